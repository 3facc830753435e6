"""Answers whatever no other handler took: text, stickers, photos, unknown commands, stale buttons."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _


async def unknown_message(message: Message) -> None:
    if message.text and message.text.startswith("/"):
        await message.answer(_("I don't know that command. /help lists the ones I do."))
    else:
        await message.answer(_("I didn't get that. Send /start to begin or /help to see what I can do."))


async def stale_button(callback: CallbackQuery) -> None:
    await callback.answer(_("This button no longer works. Send /start to begin again."), show_alert=False)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unknown_message)
    router.callback_query.register(stale_button)
    return router
