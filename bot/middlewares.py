"""Per-update plumbing: a database session with one transaction, and the user who sent the update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import language_for
from storage.db import bind_update_session
from storage.users import UserRepo

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DbSessionMiddleware(BaseMiddleware):
    """One session per update; the transaction commits when the handler returns and rolls back if it raises
    (repositories never commit themselves)."""

    def __init__(self, session_pool: async_sessionmaker[AsyncSession]) -> None:
        self._pool = session_pool

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._pool() as session, session.begin():
            data["session"] = session
            with bind_update_session(session):
                return await handler(event, data)


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
