"""/cancel and /delete_me."""

from handlers.account.router import create_router

__all__ = ["create_router"]
