"""Leases: "only one of us does this" across processes and replicas, without holding anything open.

A lease is a row (name, holder, expires_at). Taking it is one statement that succeeds when the row is free,
expired or already ours; the holder renews it between pieces of work and gives it back at the end. A holder
that dies loses it after `ttl`. Unlike a PostgreSQL advisory lock, no connection stays checked out while the
holder sends messages or calls hh.ru.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from storage.db import Database
from storage.models import LeaseRow

REMINDER_SENDER = "reminder-sender"  # the process holding it delivers reminders (and broadcasts)
HH_SYNC = "hh-sync"  # the process holding it syncs postings from hh
DEFAULT_TTL = timedelta(minutes=2)
_PROCESS = uuid.uuid4().hex  # this process, as a lease holder


class Lease:
    def __init__(self, db: Database, name: str, ttl: timedelta = DEFAULT_TTL, holder: str = _PROCESS) -> None:
        self._db, self._name, self._ttl, self._holder = db, name, ttl, holder

    async def acquire(self) -> bool:
        """Take or renew the lease; False when another live holder has it. Never waits."""
        if self._db.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        now = datetime.now(UTC)
        table = LeaseRow.__table__
        statement = insert(table).values(name=self._name, holder=self._holder, expires_at=now + self._ttl)
        statement = statement.on_conflict_do_update(
            index_elements=["name"],
            set_={"holder": statement.excluded.holder, "expires_at": statement.excluded.expires_at},
            where=(table.c.expires_at < now) | (table.c.holder == self._holder),
        )
        async with self._db.transaction() as session:
            await session.execute(statement)
            holder = await session.scalar(select(LeaseRow.holder).where(LeaseRow.name == self._name))
        return holder == self._holder

    async def release(self) -> None:
        async with self._db.transaction() as session:
            await session.execute(
                update(LeaseRow)
                .where(LeaseRow.name == self._name, LeaseRow.holder == self._holder)
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )

    async def taken(self) -> bool:
        """Whether a live holder (this one or another) has the lease now."""
        async with self._db.read() as session:
            expires = await session.scalar(select(LeaseRow.expires_at).where(LeaseRow.name == self._name))
        return expires is not None and expires > datetime.now(UTC)
