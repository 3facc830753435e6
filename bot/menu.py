"""The command menu Telegram shows next to the input field, in each language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from handlers.common.commands import COMMANDS
from handlers.common.i18n import DEFAULT_LANGUAGE, LANGUAGES


def commands_for(i18n: I18n, language: str) -> list[BotCommand]:
    return [BotCommand(command=name, description=i18n.gettext(text, locale=language)) for name, text in COMMANDS]


async def set_commands(bot: Bot, i18n: I18n) -> None:
    for language in LANGUAGES:
        await bot.set_my_commands(
            commands_for(i18n, language),
            scope=BotCommandScopeDefault(),
            language_code=None if language == DEFAULT_LANGUAGE else language,
        )
