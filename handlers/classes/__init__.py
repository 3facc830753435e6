"""/class: teachers create classes and follow their students; students join by invite link, with consent."""

from handlers.classes.router import create_router, make_composers
from handlers.classes.states import ClassFlow

__all__ = ["ClassFlow", "create_router", "make_composers"]
