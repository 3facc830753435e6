"""The weekly reminder as the student sees it, and its buttons: tick items off right there, or snooze."""

from handlers.reminders.router import create_router, make_composer

__all__ = ["create_router", "make_composer"]
