"""A fake Telegram Bot API server over real HTTP, for end-to-end tests of the real bot process.

It speaks the Bot API the way aiogram's HTTP session uses it (POST /bot<token>/<method>, form or JSON
fields), serves `getUpdates` with offset and long-poll timeout from a queue the test fills, keeps the
messages the bot sends and edits, and refuses what Telegram refuses (see `testkit.telegram`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from testkit.telegram import BOT_ID, BadRequest, check_inline_keyboard, check_text, visible_html


@dataclass
class ServerMessage:
    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None = None
    edits: int = 0

    @property
    def visible(self) -> str:
        return visible_html(self.text)

    def buttons(self) -> list[tuple[str, str | None]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data")) for row in rows for b in row]


@dataclass
class FakeBotApiServer:
    token: str
    updates: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[tuple[int, int], ServerMessage] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    commands: dict[str | None, list[dict[str, str]]] = field(default_factory=dict)  # default scope, per language
    # (scope type, chat id, language) -> commands, every scope (an operator's chat has its own menu)
    scoped_commands: dict[tuple[str, int | None, str | None], list[dict[str, str]]] = field(default_factory=dict)
    callback_answers: list[dict[str, Any]] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    documents: list[tuple[int, str, int]] = field(default_factory=list)  # (chat, file name, bytes)
    photos: list[tuple[int, str, int]] = field(default_factory=list)  # (chat, file name, bytes)
    files: dict[tuple[int, str], bytes] = field(default_factory=dict)  # (chat, file name) -> the latest upload
    refused: list[str] = field(default_factory=list)
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(5000))
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    port: int = 0
    # Telegram's round trip, as a bot in Kazakhstan sees it (~100 ms): every answer leaves this long after the
    # request arrived. 0 answers at once.
    rtt: float = 0.0
    delivered_at: float | None = None  # when the last getUpdates carrying updates was answered
    arrivals: dict[int, list[float]] = field(default_factory=dict)  # chat -> when each message to it arrived

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # -- what the test does ------------------------------------------------------------------------

    def push_text(self, user_id: int, text: str, language_code: str = "en", first_name: str = "Student") -> None:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._push({"message": message})

    def push_click(self, user_id: int, message: ServerMessage, label: str, language_code: str = "en",
                   first_name: str = "Student") -> str:  # fmt: skip
        """Press the button labelled `label` (exact, else containing it) on `message`; returns its data."""
        update = self.click_payload(user_id, message, label, language_code, first_name)
        self._push({"callback_query": update["callback_query"]})
        return update["callback_query"]["data"]

    def click_payload(self, user_id: int, message: ServerMessage, label: str, language_code: str = "en",
                      first_name: str = "Student") -> dict:  # fmt: skip
        """The callback_query update pressing `label` on `message` makes, as a webhook would receive it."""
        buttons = message.buttons()
        data = next((d for t, d in buttons if t == label), None) or next((d for t, d in buttons if label in t), None)
        if data is None:
            raise AssertionError(f"no button {label!r} on message {message.message_id}: {[t for t, _ in buttons]}")
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        query = {
            "id": str(next(self._update_ids) * 1000),
            "from": user,
            "chat_instance": "ci",
            "data": data,
            "message": {**self._as_message(message), "chat": {"id": user_id, "type": "private"}},
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    def _push(self, payload: dict[str, Any]) -> None:
        self.updates.append({"update_id": next(self._update_ids), **payload})
        self._new_update.set()

    def sent_to(self, chat_id: int) -> list[ServerMessage]:
        return [m for (chat, _), m in sorted(self.messages.items()) if chat == chat_id]

    def last(self, chat_id: int) -> ServerMessage | None:
        sent = self.sent_to(chat_id)
        return sent[-1] if sent else None

    def transcript(self, chat_id: int) -> str:
        """Every message in the chat as the student sees it now, with its buttons."""
        lines = []
        for message in self.sent_to(chat_id):
            lines.append(f"--- #{message.message_id} (edited {message.edits}x)\n{message.visible}")
            if message.buttons():
                lines.append("    " + " | ".join(f"[{text}]" for text, _ in message.buttons()))
        return "\n".join(lines)

    async def wait_for(self, predicate, timeout: float = 60.0) -> Any:
        """Wait until `predicate()` returns something truthy; return it. Generous: a loaded machine starts a bot
        process slowly, and only a failing test waits the whole time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if result := predicate():
                return result
            await asyncio.sleep(0.05)
        raise TimeoutError(f"condition not met in {timeout}s; calls so far: {[c for c, _ in self.calls]}")

    # -- the API -----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        if method.startswith(("send", "edit")) and "chat_id" in params:
            self.arrivals.setdefault(int(params["chat_id"]), []).append(time.perf_counter())
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except BadRequest as exc:
            self.refused.append(f"{method}: {exc.description}")
            return self._error(400, exc.description)
        if self.rtt:
            await asyncio.sleep(self.rtt)
        if method == "getUpdates" and result:
            self.delivered_at = time.perf_counter()
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        params: dict[str, Any] = {}
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part.filename:
                    content = await part.read()
                    params[part.name] = {"filename": part.filename, "size": len(content), "content": content}
                else:
                    params[part.name] = await part.text()
        else:
            params.update(await request.post())
        for key, value in list(params.items()):
            if isinstance(value, str) and value[:1] in "{[":
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params

    @staticmethod
    def _error(status: int, description: str) -> web.Response:
        return web.json_response({"ok": False, "error_code": status, "description": description}, status=status)

    async def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Career Coach", "username": "career_coach_bot"}

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    def update_payload(self, user_id: int, text: str, language_code: str = "en") -> dict[str, Any]:
        """A message update as Telegram would post it to a webhook."""
        self.push_text(user_id, text, language_code)
        return self.updates.pop()

    async def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        if scope.get("type", "default") == "default":
            self.commands[params.get("language_code")] = params["commands"]
        key = (scope.get("type", "default"), scope.get("chat_id"), params.get("language_code"))
        self.scoped_commands[key] = params["commands"]
        return True

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]  # confirmed ones are gone
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 2.0)  # short long-polls keep tests quick
        while not self.updates and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        return self.updates[: int(params.get("limit") or 100)]

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        check_text(text, params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        chat_id = int(params["chat_id"])
        message = ServerMessage(chat_id, next(self._message_ids), text, markup)
        self.messages[(chat_id, message.message_id)] = message
        return self._as_message(message)

    @staticmethod
    def _upload(params: dict[str, Any], field: str) -> dict[str, Any]:
        """The uploaded file a send names in `field` (aiogram sends it as a multipart part, `attach://...`)."""
        upload = params.get(field)
        if isinstance(upload, str) and upload.startswith("attach://"):
            upload = params.get(upload.removeprefix("attach://"))
        if not isinstance(upload, dict) or not upload.get("size"):
            raise BadRequest(f"Bad Request: there is no {field} in the request")
        return upload

    async def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        photo = self._upload(params, "photo")
        caption = str(params.get("caption") or "")
        if caption:
            check_text(caption, params.get("parse_mode"), limit=1024)
        chat_id = int(params["chat_id"])
        message = ServerMessage(chat_id, next(self._message_ids), caption or f"🖼 {photo['filename']}")
        self.messages[(chat_id, message.message_id)] = message
        self.photos.append((chat_id, photo["filename"], photo["size"]))
        self.files[(chat_id, photo["filename"])] = photo["content"]
        result = self._as_message(message)
        result["photo"] = [{"file_id": f"p{message.message_id}", "file_unique_id": "u", "width": 770, "height": 700}]
        return result

    async def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        document = self._upload(params, "document")
        caption = str(params.get("caption") or "")
        if caption:
            check_text(caption, params.get("parse_mode"), limit=1024)
        chat_id = int(params["chat_id"])
        message = ServerMessage(chat_id, next(self._message_ids), caption or f"📎 {document['filename']}")
        self.messages[(chat_id, message.message_id)] = message
        self.documents.append((chat_id, document["filename"], document["size"]))
        self.files[(chat_id, document["filename"])] = document["content"]
        result = self._as_message(message)
        result["document"] = {
            "file_id": f"f{message.message_id}",
            "file_unique_id": "u",
            "file_name": document["filename"],
        }
        return result

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.callback_answers.append(params)
        return True

    async def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        text = str(params.get("text", ""))
        check_text(text, params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        if text == message.text and markup == message.reply_markup:
            raise BadRequest("Bad Request: message is not modified")
        message.text, message.reply_markup = text, markup
        message.edits += 1
        return self._as_message(message)

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        markup = self._check_markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise BadRequest("Bad Request: message is not modified")
        message.reply_markup = markup
        message.edits += 1
        return self._as_message(message)

    def _find(self, params: dict[str, Any]) -> ServerMessage:
        key = (int(params.get("chat_id") or 0), int(params.get("message_id") or 0))
        if key not in self.messages:
            raise BadRequest("Bad Request: message to edit not found")
        return self.messages[key]

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if not isinstance(markup, dict):
            return None
        check_inline_keyboard(markup)
        return markup

    @staticmethod
    def _as_message(message: ServerMessage) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Career Coach"},
            "text": message.visible,
        }
        if message.reply_markup:
            result["reply_markup"] = message.reply_markup
        return result
