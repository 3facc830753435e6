"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 5_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that `_begin_immediate` decides how to begin.
    dbapi_connection.isolation_level = None
    # WAL lets readers run while a writer commits; foreign keys are off by default in SQLite; the busy
    # timeout makes a second writer wait instead of failing at once with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(conn: Any) -> None:
    # A deferred transaction that has read cannot become a writer once another connection committed
    # ("database is locked" at once, the busy timeout does not help). Taking the write lock at BEGIN makes
    # writers queue behind the busy timeout instead. SQLite has one writer at a time either way.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`; for a SQLite file, its folder is created and the pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def create_session_pool(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: values read in a handler stay readable after the middleware commits.
    return async_sessionmaker(engine, expire_on_commit=False)


# The session of the update being handled, so that FSM state written during the update joins its transaction:
# state and data commit together or roll back together, and SQLite's single writer is not asked twice.
_update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


@contextmanager
def bind_update_session(session: AsyncSession) -> Iterator[None]:
    token = _update_session.set(session)
    try:
        yield
    finally:
        _update_session.reset(token)


def update_session() -> AsyncSession | None:
    return _update_session.get()


# Work a repository defers to the end of the update, run by the update's owner just before it commits. The FSM
# uses it: a handler sets state and data several times per update, and only the last value needs a write.
_DEFERRED = "deferred_until_commit"


def defer_until_commit(session: AsyncSession, key: Hashable, job: Callable[[], Awaitable[None]]) -> None:
    """Run `job` once, before `session` commits (the latest job per key wins)."""
    session.info.setdefault(_DEFERRED, {})[key] = job


async def run_deferred(session: AsyncSession) -> None:
    for job in session.info.pop(_DEFERRED, {}).values():
        await job()
