"""A user's weekly reminder slot: created with defaults, changed from /settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coach.schedule import Schedule, next_run
from storage.reminders import ReminderDTO, ReminderRepo
from storage.users import UserDTO

DEFAULT_WEEKDAY = 0  # Monday: a fresh week, a fresh plan
DEFAULT_HOUR = 19  # after classes


async def schedule_for(session: AsyncSession, user: UserDTO, now: datetime) -> ReminderDTO:
    """The user's reminder settings, created with the defaults on first use."""
    repo = ReminderRepo(session)
    current = await repo.get(user.id)
    if current is not None:
        return current
    slot = Schedule(DEFAULT_WEEKDAY, DEFAULT_HOUR, user.timezone)
    await repo.save(user.id, enabled=True, weekday=slot.weekday, hour=slot.hour, next_run_at=next_run(slot, now))
    created = await repo.get(user.id)
    assert created is not None
    return created


async def reschedule(
    session: AsyncSession, user: UserDTO, now: datetime, *, weekday: int, hour: int, enabled: bool, zone: str
) -> ReminderDTO:
    repo = ReminderRepo(session)
    current = await repo.get(user.id)
    slot = Schedule(weekday, hour, zone)
    due = next_run(slot, now, current.last_sent_at if current else None) if enabled else None
    await repo.save(user.id, enabled=enabled, weekday=weekday, hour=hour, next_run_at=due)
    updated = await repo.get(user.id)
    assert updated is not None
    return updated
