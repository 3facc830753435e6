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
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable

from storage.db import defer_until_commit, update_session
from storage.models import FsmRecord, utcnow
from storage.upsert import upsert, upsert_statement


@dataclass
class _Row:
    """One key's state and data as this update sees them; `dirty` names the columns to write at commit."""

    state: str | None = None
    data: str = "{}"
    stored: bool = False
    dirty: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return self.state is None and self.data == "{}"


class SqlStorage(BaseStorage):
    """One row per key; data is stored as JSON so anything that could not live in Redis fails here too.

    Inside an update (see `storage.db.bind_update_session`) the row is read once and written once, in the
    update's own transaction, just before it commits: handlers set state and data several times per step,
    and state commits with the data the handler saved, or rolls back with it. Outside an update each call
    is its own transaction.
    """

    def __init__(self, session_pool: async_sessionmaker[AsyncSession], key_builder: KeyBuilder | None = None) -> None:
        self._pool = session_pool
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._dialect = session_pool.kw["bind"].dialect.name

    def _statements(self, key: str, row: _Row, columns: set[str]) -> list[Executable]:
        values = {"key": key, "state": row.state, "data": row.data, "updated_at": utcnow()}
        statements: list[Executable] = [
            upsert(self._dialect, FsmRecord.__table__, values, ["key"], update=[*sorted(columns), "updated_at"])
        ]
        if row.empty:
            # A finished conversation with no data left leaves no row behind.
            statements.append(
                delete(FsmRecord).where(FsmRecord.key == key, FsmRecord.state.is_(None), FsmRecord.data == "{}")
            )
        return statements

    async def _row(self, session: AsyncSession, key: str) -> _Row:
        """This update's copy of the row, read from the database the first time."""
        rows: dict[str, _Row] = session.info.setdefault(("fsm", id(self)), {})
        if key not in rows:
            record = await session.scalar(select(FsmRecord).where(FsmRecord.key == key))
            rows[key] = _Row(record.state, record.data, stored=True) if record else _Row()
        return rows[key]

    async def _write(self, key: StorageKey, column: str, value: str | None) -> None:
        built = self._keys.build(key)
        if session := update_session():
            row = await self._row(session, built)
            setattr(row, column, value if column == "state" else value or "{}")
            row.dirty.add(column)
            defer_until_commit(session, ("fsm", id(self), built), partial(self._flush, session, built, row))
            return
        row = _Row(**{column: value}) if column == "state" else _Row(data=value or "{}")
        async with self._pool.begin() as session:
            for statement in self._statements(built, row, {column}):
                await session.execute(statement)

    async def _flush(self, session: AsyncSession, key: str, row: _Row) -> None:
        """The update's last word on the row: one statement, or none if nothing was or is stored."""
        if row.empty:
            if row.stored:
                await session.execute(delete(FsmRecord).where(FsmRecord.key == key))
        else:
            values = {"key": key, "state": row.state, "data": row.data, "updated_at": utcnow()}
            columns = (*sorted(row.dirty), "updated_at")
            await session.execute(upsert_statement(self._dialect, FsmRecord.__table__, ("key",), columns), values)
        row.stored, row.dirty = not row.empty, set()

    async def _read(self, key: StorageKey) -> _Row:
        built = self._keys.build(key)
        if session := update_session():
            return await self._row(session, built)
        async with self._pool() as session:
            record = await session.scalar(select(FsmRecord).where(FsmRecord.key == built))
        return _Row(record.state, record.data) if record else _Row()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._write(key, "state", state.state if isinstance(state, State) else state)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(key)).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, "data", json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return json.loads((await self._read(key)).data)

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""
