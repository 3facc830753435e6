"""/settings: language, the weekly reminder's day and hour, the time zone, pause and resume."""

from handlers.settings.router import create_router
from handlers.settings.states import SettingsFlow

__all__ = ["SettingsFlow", "create_router"]
