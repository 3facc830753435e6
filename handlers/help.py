"""/help: one line per command."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from handlers.common.commands import COMMANDS


async def show_help(message: Message) -> None:
    lines = [f"/{name} — {_(description)}" for name, description in COMMANDS]
    await message.answer(_("<b>What I can do</b>") + "\n\n" + "\n".join(lines))


def create_router() -> Router:
    router = Router(name="help")
    router.message.register(show_help, Command("help"))
    return router
