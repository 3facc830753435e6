"""aiogram FSM storage in the SQL database, so conversation state survives restarts without Redis."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable

from storage.db import update_session
from storage.models import FsmRecord, utcnow
from storage.upsert import upsert


class SqlStorage(BaseStorage):
    """One row per key; data is stored as JSON so anything that could not live in Redis fails here too.

    Inside an update, reads and writes join the update's session (see `storage.db.bind_update_session`):
    the state commits with the data the handler saved, or rolls back with it.
    """

    def __init__(self, session_pool: async_sessionmaker[AsyncSession], key_builder: KeyBuilder | None = None) -> None:
        self._pool = session_pool
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._dialect = session_pool.kw["bind"].dialect.name

    async def _execute(self, *statements: Executable) -> None:
        if joined := update_session():
            for statement in statements:
                await joined.execute(statement)
            return
        async with self._pool.begin() as session:
            for statement in statements:
                await session.execute(statement)

    async def _write(self, key: StorageKey, column: str, value: str | None) -> None:
        row = {"key": self._keys.build(key), "state": None, "data": "{}", "updated_at": utcnow(), column: value}
        statements: list[Executable] = [
            upsert(self._dialect, FsmRecord.__table__, row, ["key"], update=[column, "updated_at"])
        ]
        if value is None or value == "{}":
            # A finished conversation with no data left leaves no row behind.
            statements.append(
                delete(FsmRecord).where(FsmRecord.key == row["key"], FsmRecord.state.is_(None), FsmRecord.data == "{}")
            )
        await self._execute(*statements)

    async def _read(self, key: StorageKey) -> FsmRecord | None:
        query = select(FsmRecord).where(FsmRecord.key == self._keys.build(key))
        if joined := update_session():
            return await joined.scalar(query)
        async with self._pool() as session:
            return await session.scalar(query)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._write(key, "state", state.state if isinstance(state, State) else state)

    async def get_state(self, key: StorageKey) -> str | None:
        record = await self._read(key)
        return record.state if record else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, "data", json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        record = await self._read(key)
        return json.loads(record.data) if record else {}

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""
