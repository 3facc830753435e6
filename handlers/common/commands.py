"""The commands the bot answers, with what each does: the command menu and /help read this one list."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat
from aiogram.utils.i18n import I18n

from handlers.common.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_

log = logging.getLogger(__name__)

COMMANDS = (
    ("start", N_("Start: choose a role and check your skills")),
    ("gap", N_("Gap report: what you have and lack, by market demand")),
    ("roadmap", N_("Your roadmap: action items to tick off")),
    ("progress", N_("Your progress and streak")),
    ("market", N_("The job market for your role, and adding postings you found")),
    ("report", N_("Your roles and skills analysis as a document")),
    ("profile", N_("Change role, level, city or skills")),
    ("settings", N_("Language, reminders and time zone")),
    ("class", N_("Classes: create one as a teacher, or see and leave yours")),
    ("cancel", N_("Stop the current step")),
    ("delete_me", N_("Erase everything about you")),
    ("help", N_("What I can do")),
)

# Shown in the command menu of the operators' chats only (ADMIN_IDS); others are answered as for any unknown
# command.
ADMIN_COMMANDS = (("admin", N_("Operator's console: students, postings, sync, broadcast")),)


def command_menu(i18n: I18n, language: str, admin: bool = False) -> list[BotCommand]:
    listed = (*COMMANDS, *ADMIN_COMMANDS) if admin else COMMANDS
    return [BotCommand(command=name, description=i18n.gettext(text, locale=language)) for name, text in listed]


async def set_chat_menu(bot: Bot, i18n: I18n, chat_id: int, language: str, admin: bool = False) -> None:
    """The command menu of one private chat in the language its student chose in /settings (Telegram otherwise
    shows the menu of the client's language). An operator's chat also has a menu per client language (set at
    start-up), which would win over a language-neutral one, so each of those is replaced too."""
    menu = command_menu(i18n, language, admin)
    codes = [None, *(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)] if admin else [None]
    try:
        for code in codes:
            await bot.set_my_commands(menu, scope=BotCommandScopeChat(chat_id=chat_id), language_code=code)
    except TelegramAPIError as exc:  # the menu is a convenience: the language is switched all the same
        log.warning("no command menu for chat %s: %s", chat_id, exc)
