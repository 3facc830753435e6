"""/help: what the coach does, what each command is for, and the way on (buttons for a student with a
roadmap, /start for a newcomer)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from coach.student import Student
from handlers.coaching import keyboards as coaching_keyboards
from handlers.common.commands import COMMANDS
from services.coaching import CoachService


async def show_help(message: Message, student: Student, coach: CoachService) -> None:
    lines = [f"/{name} — {_(description)}" for name, description in COMMANDS]
    parts = [
        _("<b>What I can do</b>"),
        _(
            "You tell me the role you want and what you know; I compare it with the role's profile and real "
            "job postings, show what you lack and how often employers ask for it, and turn that into a plan of "
            "small tasks you tick off. Every week I remind you of the next steps."
        ),
        "\n".join(lines),
        _(
            "Tips: type skills the way you would in a CV (<i>Python, SQL, a bit of REST</i>), in English, Russian "
            "or Kazakh; write <i>remove Docker</i> to take one out; paste a vacancy in /market to compare it with "
            "your skills."
        ),
    ]
    profile = await coach.profile(student)
    if not profile.complete:
        parts.append(_("Send /start to begin — it takes about a minute."))
        await message.answer("\n\n".join(parts))
        return
    await message.answer("\n\n".join(parts), reply_markup=coaching_keyboards.main_menu())


def create_router() -> Router:
    router = Router(name="help")
    router.message.register(show_help, Command("help"))
    return router
