"""/start: the greeting, in the user's language."""

from __future__ import annotations

from aiogram import Router, html
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog


async def start(message: Message, state: FSMContext, catalog: Catalog) -> None:
    await state.clear()
    name = html.quote(message.from_user.first_name) if message.from_user else ""
    await message.answer(
        _(
            "Hi, {name}! I'm <b>Career Coach</b>.\n\n"
            "I compare what you know with {roles} IT role profiles and real job postings from hh.kz, "
            "show which skills you still lack and how often employers ask for them, and turn the gaps "
            "into a step-by-step plan.\n\n"
            "/help shows everything I can do."
        ).format(name=name or _("there"), roles=len(catalog.roles))
    )


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    return router
