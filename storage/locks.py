"""A process-wide "only one of us" lock across replicas: PostgreSQL advisory locks.

On SQLite there is one process by construction, so the lock is always granted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

REMINDER_SENDER = 7446912  # the replica holding this key delivers reminders


@asynccontextmanager
async def exclusive(engine: AsyncEngine, key: int) -> AsyncIterator[bool]:
    """Try to take `key`; yields whether this process holds it. Never waits."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    async with engine.connect() as conn:
        held = bool((await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})).scalar())
        await conn.commit()  # the lock belongs to the session, not the transaction: no idle transaction
        try:
            yield held
        finally:
            if held:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                await conn.commit()
