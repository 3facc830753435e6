"""A student's weekly reminder slot: created with defaults, changed from /settings, snoozed from a reminder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coach.schedule import DEFAULT_HOUR, DEFAULT_WEEKDAY, Reminder, Schedule, next_run, snooze_until
from coach.student import Student
from coach.zones import Zone
from storage.db import Database
from storage.reminders import ReminderRepo
from storage.users import UserRepo


async def ensure_reminder(session: AsyncSession, student: Student, now: datetime) -> Reminder:
    """The student's reminder, created with the defaults on first use (in the caller's transaction)."""
    repo = ReminderRepo(session)
    current = await repo.get(student.id)
    if current is not None:
        return current
    slot = Schedule(DEFAULT_WEEKDAY, DEFAULT_HOUR, student.timezone)
    await repo.save(student.id, enabled=True, weekday=slot.weekday, hour=slot.hour, next_run_at=next_run(slot, now))
    created = await repo.get(student.id)
    assert created is not None
    return created


async def reschedule(
    session: AsyncSession, student: Student, now: datetime, *, weekday: int, hour: int, enabled: bool, zone: str
) -> Reminder:
    repo = ReminderRepo(session)
    current = await repo.get(student.id)
    slot = Schedule(weekday, hour, zone)
    due = next_run(slot, now, current.last_sent_at if current else None) if enabled else None
    await repo.save(student.id, enabled=enabled, weekday=weekday, hour=hour, next_run_at=due)
    updated = await repo.get(student.id)
    assert updated is not None
    return updated


async def move_to_zone(session: AsyncSession, student: Student, now: datetime, zone: Zone) -> tuple[Student, Reminder]:
    """The student in `zone` (and the place they named), their reminder's next slot there (in the caller's
    transaction)."""
    updated = student.model_copy(update={"timezone": zone.name, "zone_place": zone.place})
    await UserRepo(session).set_timezone(student.id, zone.name, zone.place)
    current = await ensure_reminder(session, updated, now)
    reminder = await reschedule(session, updated, now, weekday=current.weekday, hour=current.hour,
                                enabled=current.enabled, zone=zone.name)  # fmt: skip
    return updated, reminder


class ScheduleService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def current(self, student: Student, now: datetime) -> Reminder:
        async with self._db.read() as session:
            found = await ReminderRepo(session).get(student.id)
        if found is not None:
            return found
        async with self._db.transaction() as session:
            return await ensure_reminder(session, student, now)

    async def set_slot(self, student: Student, now: datetime, weekday: int, hour: int) -> Reminder:
        async with self._db.transaction() as session:
            return await reschedule(session, student, now, weekday=weekday, hour=hour, enabled=True,
                                    zone=student.timezone)  # fmt: skip

    async def set_enabled(self, student: Student, now: datetime, enabled: bool) -> Reminder:
        async with self._db.transaction() as session:
            current = await ensure_reminder(session, student, now)
            return await reschedule(session, student, now, weekday=current.weekday, hour=current.hour,
                                    enabled=enabled, zone=student.timezone)  # fmt: skip

    async def set_zone(self, student: Student, now: datetime, zone: Zone) -> tuple[Student, Reminder]:
        """A new time zone: the student's, and their reminder's next slot in it."""
        async with self._db.transaction() as session:
            return await move_to_zone(session, student, now, zone)

    async def snooze(self, student: Student, now: datetime, hours: int) -> datetime | None:
        """Put the next reminder off by `hours` (clamped to 1–72); None while reminders are paused."""
        async with self._db.transaction() as session:
            repo = ReminderRepo(session)
            reminder = await repo.get(student.id)
            if reminder is None or not reminder.enabled:
                return None
            until = snooze_until(now, hours)
            await repo.set_next_run(student.id, until)
        return until
