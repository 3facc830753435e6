"""A fake Bot API for dispatcher tests: an aiogram session that answers in memory as Telegram would.

Answers go through aiogram's real `check_response`, so serialisation and error mapping are the real ones.
It refuses what Telegram refuses — text over 4096 characters, HTML Telegram cannot parse, callback data over
64 bytes, editing a message to identical content — so a test fails where the real API would.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import deque
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup

BOT_ID = 42
TEXT_LIMIT = 4096
CALLBACK_TEXT_LIMIT = 200
CALLBACK_DATA_LIMIT = 64
_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)((?:\s+[a-zA-Z-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_ATTRIBUTE = re.compile(r"\s+([a-zA-Z-]+)(?:=(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")
_ATTRIBUTES = {
    "a": {"href"},
    "span": {"class"},
    "code": {"class"},
    "tg-emoji": {"emoji-id"},
    "blockquote": {"expandable"},
}
_LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


class BadRequest(Exception):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def visible_html(text: str) -> str:
    """The text a user sees for `text` in HTML parse mode; raises BadRequest where Telegram would."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            match = _TAG.match(text, i)
            if not match:
                raise BadRequest(f"Bad Request: can't parse entities: unsupported start tag at byte offset {i}")
            closing, name = match.group(1), match.group(2).lower()
            if name not in _ALLOWED_TAGS:
                raise BadRequest(f'Bad Request: can\'t parse entities: unsupported start tag "{name}"')
            if not closing:
                _check_attributes(name, match.group(3), i)
            if closing:
                if not stack or stack[-1] != name:
                    raise BadRequest(f'Bad Request: can\'t parse entities: unexpected end tag "{name}"')
                stack.pop()
            else:
                stack.append(name)
            i = match.end()
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if not match:
                raise BadRequest("Bad Request: can't parse entities: unescaped '&'")
            out.append({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(match.group(1), "?"))
            i = match.end()
        else:
            out.append(ch)
            i += 1
    if stack:
        raise BadRequest(f"Bad Request: can't parse entities: can't find end tag corresponding to \"{stack[-1]}\"")
    return "".join(out)


def _check_attributes(tag: str, raw: str, offset: int) -> None:
    """Telegram's rules for attributes: only those a tag has, entities well formed inside values, and a link's
    address a URL it can open."""
    attributes = {}
    for match in _ATTRIBUTE.finditer(raw):
        name, value = match.group(1).lower(), (match.group(2) or "").strip("\"'")
        if name not in _ATTRIBUTES.get(tag, set()):
            raise BadRequest(
                f'Bad Request: can\'t parse entities: unsupported attribute "{name}" at byte offset {offset}'
            )
        for amp in re.finditer("&", value):
            if not _ENTITY.match(value, amp.start()):
                raise BadRequest(
                    f"Bad Request: can't parse entities: unescaped '&' in an attribute at byte offset {offset}"
                )
        if "<" in value:
            raise BadRequest(
                f"Bad Request: can't parse entities: unexpected '<' in an attribute at byte offset {offset}"
            )
        attributes[name] = re.sub(r"&quot;", '"', value)
    if tag == "a":
        href = attributes.get("href", "")
        if not href.startswith(_LINK_SCHEMES) or '"' in href or " " in href:
            raise BadRequest("Bad Request: can't parse entities: invalid URL in a link")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_text(text: str, parse_mode: str | None, limit: int = TEXT_LIMIT) -> None:
    """Refuse a message text the way Telegram does: empty, unparsable HTML, or over `limit` once parsed."""
    visible = visible_html(text) if parse_mode == "HTML" else text
    if not visible.strip():
        raise BadRequest("Bad Request: message text is empty")
    if utf16_len(visible) > limit:
        raise BadRequest("Bad Request: message is too long")


def check_inline_keyboard(markup: dict[str, Any]) -> None:
    """Refuse an inline keyboard with a button without text or with callback data outside 1..64 bytes."""
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise BadRequest("Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    text: str  # as sent (HTML)
    markup: InlineKeyboardMarkup | None = None
    document: str | None = None  # file name, for documents
    content: bytes | None = None  # the document's bytes
    edits: int = 0

    @property
    def visible(self) -> str:
        return visible_html(self.text)

    def buttons(self) -> list[tuple[str, str | None]]:
        if not self.markup:
            return []
        return [(b.text, b.callback_data) for row in self.markup.inline_keyboard for b in row]


class FakeTelegram(BaseSession):
    """Records every call; `messages` holds the current state of each message the bot sent or edited."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.callback_answers: list[AnswerCallbackQuery] = []
        self.commands: dict[str | None, list[tuple[str, str]]] = {}  # the default scope's, per language
        # every scope's: (scope type, chat id or None, language) -> commands
        self.scoped_commands: dict[tuple[str, int | None, str | None], list[tuple[str, str]]] = {}
        self.fail_next: list[tuple[int, str]] = []  # (status, description) to answer the next calls with
        self.refused: list[str] = []  # every request refused as Telegram would refuse it
        self.blocked: set[int] = set()  # chats whose user blocked the bot: 403
        self.limits: tuple[float, float] | None = None  # (messages/s for the bot, seconds between two to a chat)
        self.too_many: int = 0  # 429s answered
        self._sends: deque[float] = deque()
        self._last_to_chat: dict[int, float] = {}
        self._next_message_id = 1000
        # Benchmarks turn the checks off: a fake "answering instantly" should not charge its own HTML parsing
        # to the bot being measured. Tests leave them on.
        self.validate = True
        self.delay = 0.0  # seconds each call takes, as a real Bot API's round trip does
        # Called with each request as it leaves the bot, before the round trip (tests check what is held then).
        self.on_request: list[Callable[[TelegramMethod[Any]], None]] = []

    async def close(self) -> None:
        pass

    async def stream_content(self, url: str, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.requests.append(method)
        for hook in self.on_request:
            hook(method)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_next:
            status, description = self.fail_next.pop(0)
            if status == 0:  # the network, not Telegram, failed
                raise TelegramNetworkError(method=method, message=description)
            body = {"ok": False, "error_code": status, "description": description}
            return self.check_response(bot, method, status, json.dumps(body))
        if isinstance(method, SendMessage):
            if int(method.chat_id) in self.blocked:
                body = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
                return self.check_response(bot, method, 403, json.dumps(body))
            if (retry_after := self._over_limit(int(method.chat_id))) is not None:
                self.too_many += 1
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                }
                return self.check_response(bot, method, 429, json.dumps(body))
        try:
            result = self._answer(bot, method)
        except BadRequest as exc:
            self.refused.append(f"{type(method).__name__}: {exc.description}")
            body = {"ok": False, "error_code": 400, "description": exc.description}
            return self.check_response(bot, method, 400, json.dumps(body))
        return self.check_response(bot, method, 200, json.dumps({"ok": True, "result": result})).result

    def _over_limit(self, chat_id: int) -> int | None:
        """429's retry_after if this send breaks the limits: more than `rate` sends in the last second, or
        a second send to one chat sooner than the per-chat interval. Only sends that went through count."""
        if self.limits is None:
            return None
        rate, interval = self.limits
        now = time.monotonic()
        while self._sends and now - self._sends[0] >= 1.0:
            self._sends.popleft()
        last = self._last_to_chat.get(chat_id)
        if len(self._sends) >= rate or (last is not None and now - last < interval * 0.999):
            return 1
        self._sends.append(now)
        self._last_to_chat[chat_id] = now
        return None

    # -- what Telegram would answer ------------------------------------------------------------

    def _answer(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return {"id": BOT_ID, "is_bot": True, "first_name": "Career Coach", "username": "career_coach_bot"}
        if isinstance(method, SendMessage):
            self._check_text(bot, method.text, method.parse_mode)
            markup = self._check_markup(method.reply_markup)
            return self._store(int(method.chat_id), method.text, markup)
        if isinstance(method, SendDocument):
            name = getattr(method.document, "filename", None) or "document"
            if method.caption:
                self._check_text(bot, method.caption, method.parse_mode, limit=1024)
            markup = self._check_markup(method.reply_markup)
            sent = self._store(int(method.chat_id), method.caption or "", markup, document=name)
            self.messages[(int(method.chat_id), sent["message_id"])].content = getattr(method.document, "data", None)
            sent["document"] = {"file_id": f"doc{sent['message_id']}", "file_unique_id": "u", "file_name": name}
            return sent
        if isinstance(method, SendPhoto):
            if method.caption:
                self._check_text(bot, method.caption, method.parse_mode, limit=1024)
            name = getattr(method.photo, "filename", None) or "photo.png"
            markup = self._check_markup(method.reply_markup)
            sent = self._store(int(method.chat_id), method.caption or "", markup, document=name)
            self.messages[(int(method.chat_id), sent["message_id"])].content = getattr(method.photo, "data", None)
            sent["photo"] = [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]
            return sent
        if isinstance(method, EditMessageText):
            return self._edit(bot, method, text=method.text)
        if isinstance(method, EditMessageReplyMarkup):
            return self._edit(bot, method, text=None)
        if isinstance(method, AnswerCallbackQuery):
            if method.text and len(method.text) > CALLBACK_TEXT_LIMIT:
                raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
            self.callback_answers.append(method)
            return True
        if isinstance(method, SetMyCommands):
            for command in method.commands:
                if not _COMMAND.match(command.command) or not 1 <= len(command.description) <= 256:
                    raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
            listed = [(c.command, c.description) for c in method.commands]
            scope = method.scope
            kind = getattr(scope, "type", "default") or "default"
            if kind == "default":
                self.commands[method.language_code] = listed
            self.scoped_commands[(kind, getattr(scope, "chat_id", None), method.language_code)] = listed
            return True
        if isinstance(method, DeleteWebhook):
            return True
        return True

    def _check_text(self, bot: Bot, text: str, parse_mode: Any, limit: int = TEXT_LIMIT) -> None:
        if not self.validate:
            return
        if isinstance(parse_mode, Default):
            parse_mode = bot.default[parse_mode.name]
        check_text(text, parse_mode, limit)

    def _check_markup(self, markup: Any) -> InlineKeyboardMarkup | None:
        if isinstance(markup, InlineKeyboardMarkup):
            if self.validate:
                check_inline_keyboard(markup.model_dump(exclude_none=True))
            return markup
        return None

    def _store(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, document: str | None = None):
        self._next_message_id += 1
        message = SentMessage(chat_id, self._next_message_id, text, markup, document)
        self.messages[(chat_id, message.message_id)] = message
        return self._as_message(message, self.validate)

    def _edit(self, bot: Bot, method: EditMessageText | EditMessageReplyMarkup, text: str | None) -> Any:
        key = (int(method.chat_id or 0), int(method.message_id or 0))
        message = self.messages.get(key)
        if message is None:
            raise BadRequest("Bad Request: message to edit not found")
        markup = self._check_markup(method.reply_markup)
        new_text = message.text if text is None else text
        if text is not None:
            self._check_text(bot, text, getattr(method, "parse_mode", None))
        if new_text == message.text and markup == message.markup:
            raise BadRequest(
                "Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.text, message.markup = new_text, markup
        message.edits += 1
        return self._as_message(message, self.validate)

    @staticmethod
    def _as_message(message: SentMessage, visible: bool = True) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "date": 1_700_000_000,
            "chat": {"id": message.chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Career Coach"},
        }
        if message.text and message.document is None:
            result["text"] = message.visible if visible else message.text
        if message.markup is not None:
            result["reply_markup"] = message.markup.model_dump(exclude_none=True)
        return result

    # -- reading what happened -------------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        return [m for (chat, _), m in sorted(self.messages.items()) if chat == chat_id]
