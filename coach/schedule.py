"""When the weekly reminder is due, in UTC, from a weekday, an hour and an IANA zone — and when to nudge.

All times in and out are aware UTC; the zone only decides which instant "Monday 19:00" is. DST: an hour
that does not exist (clocks jump forward) moves to the first valid minute after it; an hour that happens
twice (clocks go back) is the first of the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

QUIET_BEFORE_NUDGE = timedelta(days=14)
LATE_LIMIT = timedelta(days=1)  # a reminder missed by more than this (the bot was down) is not sent late
MIN_GAP = timedelta(days=6)  # never two weekly reminders closer than this, whatever the schedule changes
WEEKDAYS = 7


@dataclass(frozen=True)
class Schedule:
    weekday: int  # Monday = 0
    hour: int
    zone: str

    def __post_init__(self) -> None:
        if not 0 <= self.weekday < WEEKDAYS or not 0 <= self.hour < 24:
            raise ValueError(f"no such slot: weekday {self.weekday}, hour {self.hour}")
        ZoneInfo(self.zone)


class Reminder(BaseModel):
    """A student's weekly reminder as they set it, and where its delivery stands."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    user_id: int
    enabled: bool
    weekday: int
    hour: int
    next_run_at: datetime | None
    last_sent_at: datetime | None = None
    last_nudge_at: datetime | None = None


DEFAULT_WEEKDAY = 0  # Monday: a fresh week, a fresh plan
DEFAULT_HOUR = 19  # after classes
MAX_SNOOZE = timedelta(hours=72)


def snooze_until(now: datetime, hours: int) -> datetime:
    """When a snoozed reminder comes back: between an hour and three days from now, whatever a button says."""
    return now + min(max(timedelta(hours=hours), timedelta(hours=1)), MAX_SNOOZE)


def _local_instant(day: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """`hour`:00 on `day` (a local date) as an aware UTC instant, mending DST gaps."""
    # fold=0 (PEP 495) reads a repeated hour as its first occurrence, and a skipped hour with the offset from
    # before the jump, which lands exactly where the clocks jumped to (02:00 that never was -> 03:00).
    return datetime.combine(day.date(), time(hour)).replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_run(schedule: Schedule, after: datetime, last_sent: datetime | None = None) -> datetime:
    """The first slot strictly after `after` — and at least MIN_GAP after the last reminder sent."""
    zone = ZoneInfo(schedule.zone)
    start = after.astimezone(zone)
    for offset in range(WEEKDAYS + 1):
        day = start + timedelta(days=offset)
        if day.weekday() != schedule.weekday:
            continue
        candidate = _local_instant(day, schedule.hour, zone)
        if candidate > after:
            break
    else:  # pragma: no cover - a weekday always recurs within eight days
        raise AssertionError("no slot found")
    if last_sent is not None and candidate - last_sent < MIN_GAP:
        return next_run(schedule, candidate, None)
    return candidate


def is_too_late(due: datetime, now: datetime) -> bool:
    return now - due > LATE_LIMIT


def needs_nudge(last_activity: datetime | None, last_nudge: datetime | None, now: datetime) -> bool:
    """Two quiet weeks earn one nudge; another only after the student has been active again."""
    if last_activity is None or now - last_activity < QUIET_BEFORE_NUDGE:
        return False
    return last_nudge is None or last_nudge < last_activity


def is_dormant(last_activity: datetime | None, last_nudge: datetime | None, now: datetime) -> bool:
    """Nudged already and still quiet: weekly reminders wait until the student comes back (no spam)."""
    return (
        last_activity is not None
        and now - last_activity >= QUIET_BEFORE_NUDGE
        and last_nudge is not None
        and last_nudge >= last_activity
    )
