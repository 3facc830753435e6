"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

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


# SQLite has one writer, and every transaction here begins IMMEDIATE (takes the write lock at once). Waiting
# for that lock in SQLite's busy handler means polling with growing sleeps, in no order, and giving up after
# the busy timeout: a burst of 300 students starting at once left 34 of them with "database is locked".
# Transactions of this process queue here instead, first come first served, without a timeout. Other
# processes (a `postings import` next to the bot) still meet the busy timeout.
_gates: WeakKeyDictionary[AsyncEngine, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = WeakKeyDictionary()


def write_gate(engine: AsyncEngine) -> AbstractAsyncContextManager[Any]:
    """Hold around a transaction on `engine`: a FIFO lock on SQLite, nothing on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    loop = asyncio.get_running_loop()
    known = _gates.get(engine)
    if known is None or known[0] is not loop:
        known = _gates[engine] = (loop, asyncio.Lock())
    return known[1]


@asynccontextmanager
async def transaction(pool: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """`pool.begin()` behind the write gate: a session whose transaction commits on leaving."""
    async with write_gate(pool.kw["bind"]), pool.begin() as session:
        yield session


# Work a repository defers to the end of the update, run by the update's owner just before it commits. The FSM
# uses it: a handler sets state and data several times per update, and only the last value needs a write.
_DEFERRED = "deferred_until_commit"


def defer_until_commit(session: AsyncSession, key: Hashable, job: Callable[[], Awaitable[None]]) -> None:
    """Run `job` once, before `session` commits (the latest job per key wins)."""
    session.info.setdefault(_DEFERRED, {})[key] = job


async def run_deferred(session: AsyncSession) -> None:
    for job in session.info.pop(_DEFERRED, {}).values():
        await job()
