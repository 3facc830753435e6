"""The command menu Telegram shows next to the input field, in each language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_

# Only commands that work today; each feature adds its own line here.
COMMANDS = (
    ("start", N_("Start: choose a role and check your skills")),
    ("gap", N_("Gap report: what you have and lack, by market demand")),
    ("roadmap", N_("Your roadmap: action items to tick off")),
    ("progress", N_("Your progress and streak")),
    ("market", N_("The job market for your role, and adding postings you found")),
    ("report", N_("Your roles and skills analysis as a document")),
    ("profile", N_("Change role, level, city or skills")),
    ("settings", N_("Language, reminders and time zone")),
    ("cancel", N_("Stop the current step")),
    ("delete_me", N_("Erase everything about you")),
    ("help", N_("What I can do")),
)


def commands_for(i18n: I18n, language: str) -> list[BotCommand]:
    return [BotCommand(command=name, description=i18n.gettext(text, locale=language)) for name, text in COMMANDS]


async def set_commands(bot: Bot, i18n: I18n) -> None:
    for language in LANGUAGES:
        await bot.set_my_commands(
            commands_for(i18n, language),
            scope=BotCommandScopeDefault(),
            language_code=None if language == DEFAULT_LANGUAGE else language,
        )
