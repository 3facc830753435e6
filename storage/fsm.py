"""aiogram FSM storage in the SQL database, so conversation state survives restarts without Redis."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database, current_scope
from storage.models import FsmRecord, utcnow
from storage.upsert import upsert_statement


@dataclass
class _Row:
    """One key's state and data as this update sees them; `dirty` names the columns to write."""

    state: str | None = None
    data: str = "{}"
    stored: bool = False
    dirty: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return self.state is None and self.data == "{}"


class SqlStorage(BaseStorage):
    """One row per key; data is stored as JSON so anything that could not live in Redis fails here too.

    Inside an update (`storage.db.UpdateScope`) the row is read once, with the update's other reads, and
    written once: the write waits for the update's next write transaction — the one that saves the data the
    step belongs to, so state and data commit together — or, if there is none, for the moment before the
    next message goes out. Outside an update each call is its own transaction.
    """

    def __init__(self, database: Database, key_builder: KeyBuilder | None = None) -> None:
        self._db = database
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._columns = ("state", "data", "updated_at")

    async def _load(self, session: AsyncSession, key: str) -> _Row:
        record = (await session.execute(select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key))).first()
        return _Row(record[0], record[1], stored=True) if record else _Row()

    async def _row(self, key: str) -> _Row:
        scope = current_scope()
        if scope is None or scope.database is not self._db:
            async with self._db.read() as session:
                return await self._load(session, key)
        cached = scope.cache.get(("fsm", key))
        if cached is None:
            async with self._db.read() as session:
                cached = scope.cache[("fsm", key)] = await self._load(session, key)
        return cached

    async def _write(self, key: StorageKey, column: str, value: str | None) -> None:
        built = self._keys.build(key)
        row = await self._row(built)
        setattr(row, column, value if column == "state" else value or "{}")
        row.dirty.add(column)
        scope = current_scope()
        if scope is not None and scope.database is self._db:
            scope.defer(("fsm", built), partial(self._flush, built, row))
            return
        async with self._db.transaction() as session:
            await self._flush(built, row, session)

    async def _flush(self, key: str, row: _Row, session: AsyncSession) -> None:
        """The last word on the row: one statement, or none if nothing was or is stored."""
        if not row.dirty:
            return
        if row.empty:
            if row.stored:
                await session.execute(delete(FsmRecord).where(FsmRecord.key == key))
        else:
            values = {"key": key, "state": row.state, "data": row.data, "updated_at": utcnow()}
            columns = (*sorted(row.dirty), "updated_at")
            await session.execute(upsert_statement(self._db.dialect, FsmRecord.__table__, ("key",), columns), values)
        row.stored, row.dirty = not row.empty, set()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._write(key, "state", state.state if isinstance(state, State) else state)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._row(self._keys.build(key))).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, "data", json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return json.loads((await self._row(self._keys.build(key))).data)

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""
