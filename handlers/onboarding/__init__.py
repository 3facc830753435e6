"""The conversation that sets a student up: role (or modules → role), level, city, skills, what they lack."""

from handlers.onboarding.router import create_router
from handlers.onboarding.states import Onboarding

__all__ = ["Onboarding", "create_router"]
