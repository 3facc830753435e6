"""/report: the student's "Roles and Skills Analysis" as a document they can hand in."""

from handlers.report.router import create_router

__all__ = ["create_router"]
