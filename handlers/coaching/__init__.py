"""/gap, /roadmap, /progress and the roadmap's buttons: tick items off, page through, menu shortcuts."""

from handlers.coaching.router import create_router

__all__ = ["create_router"]
