"""`python -m bot chat`: the real dispatcher, with a terminal in place of Telegram.

A Bot API session that prints what the bot sends (inline buttons as numbered choices) and an input loop
that turns what you type into Telegram updates: text and commands as messages, a number as a button press.
Everything else — handlers, FSM, storage, texts — is exactly what runs on Telegram.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import os
import re
import sys
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User

CHAT_USER_ID = 100_000_001
_TAG = re.compile(r"(<[^>]+>)")
# Terminal control characters (ESC starts the sequences that clear the screen or move the cursor), C1 codes too;
# a posting's title may carry them, raw or as an HTML entity. Newlines and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BOLD = {"<b>": "\x1b[1m", "</b>": "\x1b[0m"}


def safe(text: str) -> str:
    """Text as the terminal may show it: no control characters."""
    return _CONTROL.sub("", text)


def plain(text: str, ansi: bool) -> str:
    """HTML parse mode → terminal text: tags dropped (bold as ANSI bold when the terminal shows colours),
    entities decoded, and no control character from the text itself reaching the terminal."""
    out = []
    for part in _TAG.split(text):
        if part.startswith("<") and part.endswith(">"):
            out.append(_BOLD.get(part, "") if ansi else "")
        else:
            out.append(safe(html.unescape(part)))
    return "".join(out)


class ConsoleSession(BaseSession):
    """Answers the Bot API by printing; keeps the messages, so edits and button presses work."""

    def __init__(self, out: TextIO, ansi: bool, files: Path = Path("data/terminal-chat-files")) -> None:
        super().__init__()
        self.out, self.ansi, self.files = out, ansi, files
        self.messages: dict[int, tuple[str, InlineKeyboardMarkup | None]] = {}
        self.choices: list[tuple[int, str]] = []  # (message id, callback data), numbered from 1
        self._ids = itertools.count(1)

    async def close(self) -> None:
        pass

    async def stream_content(self, url: str, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        result: Any = True
        if isinstance(method, GetMe):
            result = {"id": 1, "is_bot": True, "first_name": "Career Coach", "username": "career_coach_bot"}
        elif isinstance(method, SendMessage):
            message_id = next(self._ids)
            self._show(message_id, method.text, method.reply_markup, edited=False)
            result = self._message(message_id, method.text)
        elif isinstance(method, SendDocument | SendPhoto):
            message_id = next(self._ids)
            upload = method.document if isinstance(method, SendDocument) else method.photo
            name = getattr(upload, "filename", None) or "file"
            saved = self._save(message_id, name, getattr(upload, "data", b""))
            mark = "📎" if isinstance(method, SendDocument) else "🖼"
            self._print(f"\n{mark} {saved}" + (f"\n{plain(method.caption, self.ansi)}" if method.caption else ""))
            result = self._message(message_id, "")
            if isinstance(method, SendDocument):
                result["document"] = {"file_id": f"f{message_id}", "file_unique_id": "u", "file_name": name}
            else:
                result["photo"] = [{"file_id": f"p{message_id}", "file_unique_id": "u", "width": 1, "height": 1}]
        elif isinstance(method, EditMessageText):
            message_id = int(method.message_id or 0)
            self._show(message_id, method.text, method.reply_markup, edited=True)
            result = self._message(message_id, method.text)
        elif isinstance(method, EditMessageReplyMarkup):  # only the buttons change: nothing new to read
            message_id = int(method.message_id or 0)
            text, _ = self.messages.get(message_id, ("", None))
            markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
            self.messages[message_id] = (text, markup)
            result = self._message(message_id, text)
        elif isinstance(method, AnswerCallbackQuery) and method.text:
            self._print(f"  ({plain(method.text, self.ansi)})")
        return self.check_response(bot, method, 200, self.json_dumps({"ok": True, "result": result})).result

    def _show(self, message_id: int, text: str, markup: Any, edited: bool) -> None:
        keyboard = markup if isinstance(markup, InlineKeyboardMarkup) else None
        self.messages[message_id] = (text, keyboard)
        prefix = "✎ " if edited else ""
        self._print("\n" + prefix + plain(text, self.ansi))
        if keyboard:
            self.choices = []
            for row in keyboard.inline_keyboard:
                shown = []
                for button in row:
                    if button.callback_data:
                        self.choices.append((message_id, button.callback_data))
                        shown.append(f"[{len(self.choices)}] {safe(button.text)}")
                if shown:
                    self._print("  " + "   ".join(shown))

    def _save(self, message_id: int, name: str, data: bytes) -> Path:
        """Files the bot sends (the report, the market chart) land in a folder you can open."""
        self.files.mkdir(parents=True, exist_ok=True)
        path = self.files / f"{message_id}-{Path(name).name}"
        path.write_bytes(data)
        return path

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    @staticmethod
    def _message(message_id: int, text: str) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": CHAT_USER_ID, "type": "private"},
            "from": {"id": 1, "is_bot": True, "first_name": "Career Coach"},
            "text": plain(text, ansi=False) or "…",
        }


def _name() -> str:
    name = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    return name.capitalize() if name and name != "root" else "Student"


async def chat(dp: Dispatcher, bot: Bot, session: ConsoleSession, language: str, reader=None) -> None:
    """Read lines until end of input or /quit; feed each to the dispatcher as Telegram would."""
    user = User(id=CHAT_USER_ID, is_bot=False, first_name=_name(), language_code=language)
    chat_ = Chat(id=CHAT_USER_ID, type="private")
    updates = itertools.count(1)
    loop = asyncio.get_running_loop()
    read = reader or (lambda: sys.stdin.readline())
    session._print(
        "Career Coach in your terminal. Type as you would in Telegram (/start to begin, /help for more);\n"
        "a number presses that button. /quit or Ctrl+D leaves."
    )
    while True:
        session._print("")
        line = await loop.run_in_executor(None, read)
        if not line:
            break
        text = line.strip()
        if text in {"/quit", "/exit"}:
            break
        if not text:
            continue
        now = datetime.now(UTC)
        if text.isdigit() and 1 <= int(text) <= len(session.choices):
            message_id, data = session.choices[int(text) - 1]
            shown, markup = session.messages[message_id]
            source = Message(
                message_id=message_id,
                date=now,
                chat=chat_,
                from_user=User(id=1, is_bot=True, first_name="Career Coach"),
                text=plain(shown, ansi=False) or "…",
                reply_markup=markup,
            )
            query = CallbackQuery(
                id=str(next(updates)), from_user=user, chat_instance="terminal", message=source, data=data
            )
            update = Update(update_id=next(updates), callback_query=query)
        else:
            message = Message(message_id=next(updates), date=now, chat=chat_, from_user=user, text=text)
            update = Update(update_id=next(updates), message=message)
        await dp.feed_update(bot, update)
