"""Per-update plumbing: the conversation lock and a database session with one transaction, and the user who
sent the update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import language_for
from storage.db import bind_update_session, run_deferred, write_gate
from storage.users import UserRepo

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateScopeMiddleware(FSMContextMiddleware):
    """aiogram's FSM middleware with the update's database transaction inside its per-user lock.

    One session per update: the transaction commits when the handler returns and rolls back if it raises
    (repositories never commit themselves). The conversation state is read in that same transaction, not on
    a connection of its own as aiogram's middleware would (on SQLite that was a second BEGIN IMMEDIATE per
    update), and the commit happens before the lock is released, so the user's next update sees it.
    """

    def __init__(
        self, session_pool: async_sessionmaker[AsyncSession], storage: BaseStorage, events_isolation: BaseEventIsolation
    ) -> None:
        super().__init__(storage=storage, events_isolation=events_isolation)
        self._pool = session_pool

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context = self.resolve_event_context(data["bot"], data)
        data["fsm_storage"] = self.storage
        lock = self.events_isolation.lock(key=context.key) if context else nullcontext()
        async with lock, write_gate(self._pool.kw["bind"]), self._pool() as session, session.begin():
            data["session"] = session
            with bind_update_session(session):
                if context:
                    data.update(state=context, raw_state=await context.get_state())
                result = await handler(event, data)
                await run_deferred(session)
                return result


class UserMiddleware(BaseMiddleware):
    """Loads the sender as a UserDTO into `data["user"]`, creating the row on first contact."""

    def __init__(self, default_timezone: str) -> None:
        self._timezone = default_timezone

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: User | None = data.get("event_from_user")
        if sender is not None and not sender.is_bot:
            data["user"] = await UserRepo(data["session"]).ensure(
                sender.id, language_for(sender.language_code), self._timezone
            )
        return await handler(event, data)
