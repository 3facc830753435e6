"""When reminders are due: local hours across zones, DST changes, late and quiet students."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coach.schedule import Schedule, is_dormant, is_too_late, needs_nudge, next_run


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_monday_19_in_almaty_is_14_utc():
    assert next_run(Schedule(0, 19, "Asia/Almaty"), utc(2026, 11, 23, 10)) == utc(2026, 11, 23, 14)


def test_the_slot_itself_is_not_after_itself():
    assert next_run(Schedule(0, 19, "Asia/Almaty"), utc(2026, 11, 23, 14)) == utc(2026, 11, 30, 14)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Almaty", utc(2026, 11, 25, 3)),  # UTC+5 (since March 2024)
        ("Europe/Moscow", utc(2026, 11, 25, 5)),  # UTC+3
        ("America/New_York", utc(2026, 11, 25, 13)),  # UTC-5 in winter
        ("Asia/Kolkata", utc(2026, 11, 25, 2, 30)),  # half-hour offset
    ],
)
def test_the_same_local_hour_across_zones(zone, expected):
    # Wednesday 08:00 local
    assert next_run(Schedule(2, 8, zone), utc(2026, 11, 24)) == expected


def test_dst_spring_forward_skipped_hour_moves_to_the_jump():
    # Berlin, Sunday 29 March 2026: 02:00 does not exist (clocks go 02:00 -> 03:00 CEST = 01:00 UTC).
    assert next_run(Schedule(6, 2, "Europe/Berlin"), utc(2026, 3, 27)) == utc(2026, 3, 29, 1)


def test_dst_fall_back_repeated_hour_is_the_first():
    # Berlin, Sunday 25 October 2026: 02:00 happens twice; the first is 00:00 UTC (CEST).
    assert next_run(Schedule(6, 2, "Europe/Berlin"), utc(2026, 10, 23)) == utc(2026, 10, 25, 0)


def test_the_local_hour_holds_across_a_dst_change():
    slot = Schedule(0, 9, "Europe/Berlin")  # Monday 09:00 Berlin
    before = next_run(slot, utc(2026, 3, 20))  # CET: 08:00 UTC
    after = next_run(slot, before)  # CEST: 07:00 UTC
    assert (before, after) == (utc(2026, 3, 23, 8), utc(2026, 3, 30, 7))


def test_never_two_reminders_within_six_days():
    slot = Schedule(2, 19, "Asia/Almaty")
    sent_monday = utc(2026, 11, 23, 14)
    # Moving the slot to Wednesday right after Monday's reminder waits for next week's Wednesday.
    assert next_run(slot, utc(2026, 11, 23, 15), last_sent=sent_monday) == utc(2026, 12, 2, 14)


def test_an_invalid_slot_is_refused():
    with pytest.raises(ValueError, match="no such slot"):
        Schedule(7, 10, "UTC")
    with pytest.raises(ValueError, match="no such slot"):
        Schedule(0, 24, "UTC")


def test_late_by_more_than_a_day_is_too_late():
    due = utc(2026, 11, 23, 14)
    assert not is_too_late(due, due + timedelta(hours=23))
    assert is_too_late(due, due + timedelta(hours=25))


def test_nudge_after_two_quiet_weeks_once():
    active = utc(2026, 11, 1)
    assert not needs_nudge(active, None, active + timedelta(days=13))
    assert needs_nudge(active, None, active + timedelta(days=14))
    nudged = active + timedelta(days=14)
    assert not needs_nudge(active, nudged, active + timedelta(days=21))  # once, not every week
    assert is_dormant(active, nudged, active + timedelta(days=21))
    back = active + timedelta(days=22)
    assert not is_dormant(back, nudged, back + timedelta(days=1))  # active again: weekly as before
    assert needs_nudge(back, nudged, back + timedelta(days=14))  # and a new quiet spell earns a new nudge
    assert not needs_nudge(None, None, active)
