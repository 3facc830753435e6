"""Per-update plumbing: the student's conversation lock, the update's database scope, the student, and the
rule that nothing database-side is held while the bot talks to Telegram."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, TelegramObject, User

from handlers.common.i18n import language_for
from services.students import StudentService
from storage.db import Database, current_scope, update_scope

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
REPLY_RETRY_AFTER_LIMIT = 30  # seconds: a longer 429 pause is not worth keeping a student's update waiting


class UpdateScopeMiddleware(FSMContextMiddleware):
    """aiogram's FSM middleware, extended: inside the student's conversation lock (aiogram's per-user event
    isolation — an in-process lock, or Redis's with replicas), the update gets a database scope and the
    student who sent it.

    The scope (`storage.db.UpdateScope`) shares one read session between the update's reads and defers the
    conversation state's writes to the update's next write transaction; `BeforeTelegram` closes the one and
    commits the other before every Bot API request. So no transaction, lock or connection is held while the
    bot waits for Telegram, and the state of a step is committed before the student sees the next one.
    """

    def __init__(
        self, db: Database, storage: BaseStorage, events_isolation: BaseEventIsolation, students: StudentService
    ) -> None:
        super().__init__(storage=storage, events_isolation=events_isolation)
        self._db = db
        self._students = students
        # A student's own burst: the same button pressed again while the first press waits for the lock. Only
        # the latest press of a button is handled; the earlier ones get their (silent) answer.
        self._latest_press: dict[tuple[int, int, str], int] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context = self.resolve_event_context(data["bot"], data)
        data["fsm_storage"] = self.storage
        press = _press_key(event)
        if press is not None:
            self._latest_press[press] = event.update_id  # type: ignore[attr-defined]
        lock = self.events_isolation.lock(key=context.key) if context else nullcontext()
        try:
            async with lock:
                if press is not None and self._latest_press.get(press) != event.update_id:  # type: ignore[attr-defined]
                    async with update_scope(self._db):
                        await event.callback_query.answer()  # type: ignore[attr-defined]
                    return None
                return await self._handle(handler, event, data, context)
        finally:
            if press is not None and self._latest_press.get(press) == event.update_id:  # type: ignore[attr-defined]
                del self._latest_press[press]

    async def _handle(self, handler: Handler, event: TelegramObject, data: dict[str, Any], context: Any) -> Any:
        async with update_scope(self._db):
            sender: User | None = data.get("event_from_user")
            chat: Chat | None = data.get("event_chat")
            private = chat is None or chat.type == ChatType.PRIVATE  # in groups the coach only points here
            if sender is not None and not sender.is_bot and private:
                data["student"] = await self._students.enter(sender.id, language_for(sender.language_code))
            if context:
                data.update(state=context, raw_state=await context.get_state())
            return await handler(event, data)


def _press_key(event: TelegramObject) -> tuple[int, int, str] | None:
    """(user, message, button data) of a button press; None for anything else."""
    query = getattr(event, "callback_query", None)
    if query is None or query.message is None:
        return None
    return query.from_user.id, query.message.message_id, query.data or ""


class BeforeTelegram(BaseRequestMiddleware):
    """Runs before every Bot API request made while an update is handled: the update's read session is closed
    and its pending writes committed (`UpdateScope.before_network`). A 429 on a reply waits `retry_after` and
    tries again instead of failing the update (deliveries outside updates have their own pacing in
    `bot.sender`)."""

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        scope = current_scope()
        if scope is None:
            return await make_request(bot, method)
        await scope.before_network()
        for attempt in range(3):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == 2 or exc.retry_after > REPLY_RETRY_AFTER_LIMIT:
                    raise
                log.info("429 on %s: waiting %ss", type(method).__name__, exc.retry_after)
                await asyncio.sleep(exc.retry_after)
        raise AssertionError("unreachable")
