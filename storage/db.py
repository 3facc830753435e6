"""The database: an engine, short write transactions, reads that take no lock, and the update scope.

Nothing here is ever held across a network call. Services open a write transaction for exactly the statements
that belong together and commit before anything is sent; reads take no write lock. Within one Telegram update
(`UpdateScope`), reads share one session until the first write or network call, and the conversation
state's writes wait for the update's next write transaction — so a step's state commits together with the
data it belongs to, in one transaction, and is on disk before the student sees the next step.

SQLite has one writer at a time. Every write transaction begins IMMEDIATE (it takes the write lock at once:
a deferred transaction that has read cannot become a writer once another connection committed), and this
process's writers queue in a FIFO gate instead of SQLite's busy handler, which serves waiters in no order
and gives up after its timeout. Another process (a `postings import` beside the bot) can still hold the lock
for a moment: BEGIN is then retried with backoff for up to `BUSY_PATIENCE` seconds, so a student's update
waits instead of failing with "database is locked".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

# SQLite's own wait for the write lock, per attempt. Short, because the wait happens in SQLite's busy handler
# (growing sleeps, no order); a busy BEGIN is retried here with our own backoff instead.
SQLITE_BUSY_TIMEOUT_MS = 1_000
BUSY_PATIENCE = 60.0  # seconds a write keeps retrying a busy database before it gives up
_READ_ONLY = "coach_read_only"  # execution option: no BEGIN IMMEDIATE for this connection's reads


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that `_begin` decides how to begin.
    dbapi_connection.isolation_level = None
    # WAL lets readers run while a writer commits; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(conn: Any) -> None:
    # Writes take the write lock at BEGIN (see the module's docstring). Reads begin nothing: each statement
    # is its own snapshot, and no lock outlives it.
    if not conn.get_execution_options().get(_READ_ONLY):
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
        event.listen(engine.sync_engine, "begin", _begin)
        return engine
    # A connection is checked out per transaction and returned at once, so a pool of 5 + 10 serves hundreds
    # of students at a time. pre_ping is left off: it doubled the round trips of every transaction, and a
    # connection the server dropped fails one transaction, which the pool then replaces.
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_recycle", 1800)
    return create_async_engine(url, **kwargs)


def _is_busy(exc: OperationalError) -> bool:
    return "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig)


# The FIFO write gate of each SQLite engine (per event loop: tests run several loops).
_gates: WeakKeyDictionary[AsyncEngine, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = WeakKeyDictionary()


def write_gate(engine: AsyncEngine) -> AbstractAsyncContextManager[Any]:
    """Held around a write transaction on `engine`: a FIFO lock on SQLite, nothing on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    loop = asyncio.get_running_loop()
    known = _gates.get(engine)
    if known is None or known[0] is not loop:
        known = _gates[engine] = (loop, asyncio.Lock())
    return known[1]


class Database:
    """The application's database. Repositories take the sessions it hands out; only services open them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._reader = engine.execution_options(**{_READ_ONLY: True})

    @classmethod
    def open(cls, url: str, **kwargs: Any) -> Database:
        return cls(create_engine(url, **kwargs))

    async def dispose(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A write transaction that commits on leaving (rolls back on an exception). Inside an update, the
        conversation state's pending writes join it, and the update's read session ends first (so what is
        read afterwards sees this commit)."""
        scope = _scope.get()
        if scope is not None:
            await scope.end_read()
        async with write_gate(self.engine):
            session = await self._begin_write()
            try:
                yield session
                if scope is not None and scope.database is self:
                    await scope.run_pending(session)
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            finally:
                await session.close()

    async def _begin_write(self) -> AsyncSession:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BUSY_PATIENCE
        delay = 0.02
        while True:
            session = self._sessions()
            try:
                await session.connection()  # BEGIN (IMMEDIATE on SQLite): the write lock, or busy
                return session
            except OperationalError as exc:
                await session.close()
                if not _is_busy(exc) or loop.time() >= deadline:
                    raise
                log.debug("database busy (another process writes); retrying in %.2fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.25)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reading only; inside an update, the update's shared read session."""
        scope = _scope.get()
        if scope is not None and scope.database is self:
            yield await scope.read_session()
            return
        async with self._sessions(bind=self._reader) as session:
            yield session

    async def before_network(self) -> None:
        """Called by a service before it waits on the network (hh.ru): the update's read session is closed, so
        no pooled connection waits with it. (Bot API calls get the same from the bot's request middleware.)"""
        scope = _scope.get()
        if scope is not None and scope.database is self:
            await scope.end_read()

    def reader(self) -> AsyncSession:
        """A new read-only session the caller closes (the update scope's)."""
        return self._sessions(bind=self._reader)


Job = Callable[[AsyncSession], Awaitable[None]]


class UpdateScope:
    """What one Telegram update shares while it is handled: a read session (closed before every network call
    and every write) and writes deferred to the update's next transaction (the conversation state's).

    The bot's update middleware opens it and calls `before_network()` before each Bot API request and
    `finish()` at the end; nothing here lives across a network call.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._read: AsyncSession | None = None
        self._pending: dict[Hashable, Job] = {}
        self.cache: dict[Hashable, Any] = {}  # per-update memo for repositories (the FSM row)

    async def read_session(self) -> AsyncSession:
        if self._read is None:
            self._read = self.database.reader()
        return self._read

    async def end_read(self) -> None:
        if self._read is not None:
            read, self._read = self._read, None
            await read.close()

    def held(self) -> list[str]:
        """What the scope holds right now (nothing, before any network call)."""
        return [what for what, held in (("a read session", self._read), ("pending writes", self._pending)) if held]

    def defer(self, key: Hashable, job: Job) -> None:
        """Run `job` in the update's next write transaction (the latest job per key wins)."""
        self._pending[key] = job

    async def run_pending(self, session: AsyncSession) -> None:
        jobs, self._pending = self._pending, {}
        for job in jobs.values():
            await job(session)

    async def before_network(self) -> None:
        """Nothing held, everything the student is about to see committed: end the read session and write what
        is pending."""
        await self.end_read()
        if self._pending:
            async with self.database.transaction():
                pass  # the transaction runs the pending jobs

    async def finish(self) -> None:
        await self.before_network()

    async def abandon(self) -> None:
        """The handler failed: what it deferred is dropped with it."""
        self._pending.clear()
        await self.end_read()


_scope: ContextVar[UpdateScope | None] = ContextVar("update_scope", default=None)


@asynccontextmanager
async def update_scope(database: Database) -> AsyncIterator[UpdateScope]:
    scope = UpdateScope(database)
    token = _scope.set(scope)
    try:
        yield scope
    except BaseException:
        await scope.abandon()
        raise
    else:
        await scope.finish()
    finally:
        _scope.reset(token)


def current_scope() -> UpdateScope | None:
    return _scope.get()
