"""Sending and editing without tripping over Telegram: identical edits, vanished messages, long texts."""

from __future__ import annotations

import logging
from contextlib import suppress

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

log = logging.getLogger(__name__)


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Edit `message` in place; None when it cannot be edited any more (the caller sends a new one).
    Editing to identical content is a no-op instead of Telegram's 400 "message is not modified"."""
    try:
        result = await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "message is not modified" in exc.message:
            return message
        log.info("could not edit message %s: %s", message.message_id, exc.message)
        return None
    return result if isinstance(result, Message) else message


async def show(target: Message | CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> int:
    """Show a step: edit the message a button was pressed on, or send a new one. Returns its id."""
    if isinstance(target, CallbackQuery):
        if isinstance(target.message, Message) and (edited := await edit(target.message, text, markup)):
            return edited.message_id
        sent = await target.bot.send_message(target.from_user.id, text, reply_markup=markup)
        return sent.message_id
    sent = await target.answer(text, reply_markup=markup)
    return sent.message_id


async def drop_keyboard(target: Message | CallbackQuery, chat_id: int, message_id: int | None) -> None:
    """Remove the buttons of an earlier step's message, so only one live keyboard remains."""
    if not message_id:
        return
    with suppress(TelegramBadRequest):  # already gone or never had buttons: nothing to remove
        await target.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
