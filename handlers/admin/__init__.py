"""The operator's console (/admin), for ADMIN_IDS only: figures, a postings sync, a broadcast."""

from handlers.admin.router import create_router

__all__ = ["create_router"]
