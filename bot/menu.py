"""The command menu Telegram shows next to the input field, in each language; operators' chats get the
admin commands too (a menu of their own, `BotCommandScopeChat`), nobody else sees them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from handlers.common.commands import command_menu
from handlers.common.i18n import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)


async def set_commands(bot: Bot, i18n: I18n, admin_ids: Iterable[int] = ()) -> None:
    for language in LANGUAGES:
        code = None if language == DEFAULT_LANGUAGE else language
        await bot.set_my_commands(command_menu(i18n, language), scope=BotCommandScopeDefault(), language_code=code)
    for admin_id in sorted(admin_ids):
        try:
            for language in LANGUAGES:
                code = None if language == DEFAULT_LANGUAGE else language
                await bot.set_my_commands(
                    command_menu(i18n, language, admin=True), scope=BotCommandScopeChat(chat_id=admin_id),
                    language_code=code,
                )  # fmt: skip
        except TelegramAPIError as exc:  # an operator who never opened the chat: "chat not found"
            log.warning("no admin command menu for %s: %s", admin_id, exc)
