"""Showing a screen without tripping over Telegram: send or edit in one place, no identical edits, no keyboard
left alive on an old step."""

from __future__ import annotations

import logging

from aiogram.enums import ChatAction
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

log = logging.getLogger(__name__)

Target = Message | CallbackQuery


def _same(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Whether `message` already shows this text and keyboard (an edit would be refused as "not modified")."""
    shown = message.html_text if message.text else None
    return shown == text and (message.reply_markup or None) == (markup or None)


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Edit `message` in place; None when it cannot be edited any more (the caller sends a new one). An edit
    that would change nothing is not sent."""
    if _same(message, text, markup):
        return message
    try:
        result = await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "message is not modified" in exc.message:
            return message
        log.info("could not edit message %s: %s", message.message_id, exc.message)
        return None
    return result if isinstance(result, Message) else message


async def working(target: Target, action: ChatAction = ChatAction.TYPING) -> None:
    """Tell the student work is under way ("typing…", "sending a photo…") before something slow: the hh
    lookup, a chart, a document. One action (it shows until the next message or for 5 s), not a background
    sender: every Bot API call of an update goes out from the update's own task. Never fails the update."""
    chat_id = target.from_user.id if isinstance(target, CallbackQuery) else target.chat.id
    try:
        await target.bot.send_chat_action(chat_id, action)
    except TelegramAPIError as exc:
        log.debug("no chat action for %s: %s", chat_id, exc)


async def show(target: Target, text: str, markup: InlineKeyboardMarkup | None = None) -> int:
    """Show a screen: edit the message a button was pressed on, or send a new one. Returns its id."""
    if isinstance(target, CallbackQuery):
        if isinstance(target.message, Message) and (edited := await edit(target.message, text, markup)):
            return edited.message_id
        sent = await target.bot.send_message(target.from_user.id, text, reply_markup=markup)
        return sent.message_id
    sent = await target.answer(text, reply_markup=markup)
    return sent.message_id


async def send(target: Target, text: str, markup: InlineKeyboardMarkup | None = None) -> int:
    """A new message in the chat of `target` (a command's answer, or a screen opened from a button)."""
    if isinstance(target, CallbackQuery):
        sent = await target.bot.send_message(target.from_user.id, text, reply_markup=markup)
    else:
        sent = await target.answer(text, reply_markup=markup)
    return sent.message_id


async def drop_keyboard(
    target: Target, chat_id: int, message_id: int | None, replacement: InlineKeyboardMarkup | None = None
) -> None:
    """Remove the buttons of an earlier step's message (or put `replacement` in their place), so only one live
    keyboard remains."""
    if not message_id:
        return
    try:
        await target.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=replacement)
    except TelegramBadRequest as exc:  # already gone, or it had no buttons: nothing to remove
        log.debug("no keyboard to remove on %s: %s", message_id, exc.message)
