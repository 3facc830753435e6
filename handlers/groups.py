"""The coach works in a private chat: in a group it answers a command or a button with one line pointing
there, and acts on nothing (a group member pressing another's roadmap button changes nothing)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

_SHARED = {ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL}


def _private_only() -> str:
    return _("I coach one student at a time in a private chat — open a chat with me and send /start.")


async def group_command(message: Message) -> None:
    await message.reply(_private_only())


async def group_message(message: Message) -> None:
    """Anything else said in a group is not for the coach: no answer."""


async def group_button(callback: CallbackQuery) -> None:
    await callback.answer(_private_only(), show_alert=True)


def create_router() -> Router:
    router = Router(name="groups")
    router.message.filter(F.chat.type.in_(_SHARED))
    router.message.register(group_command, F.text.startswith("/"))
    router.message.register(group_message)
    router.callback_query.register(group_button, F.message.chat.type.in_(_SHARED))
    return router
