"""Progress on the roadmap: done / total, per skill, this week, and the streak of active weeks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from operator import attrgetter
from zoneinfo import ZoneInfo


class ItemState(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Item:
    """One action item of a student's roadmap."""

    id: int
    skill_id: str
    action_no: int
    position: int
    state: ItemState
    done_at: datetime | None = None


@dataclass(frozen=True)
class SkillProgress:
    skill_id: str
    done: int
    skipped: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class Progress:
    done: int
    skipped: int
    total: int
    done_this_week: int
    streak_weeks: int
    skills: tuple[SkillProgress, ...]

    @property
    def open(self) -> int:
        return self.total - self.done - self.skipped


def _week(moment: datetime, zone: ZoneInfo) -> tuple[int, int]:
    year, week, _ = moment.astimezone(zone).isocalendar()
    return year, week


def streak(done_times: Iterable[datetime], now: datetime, zone: ZoneInfo) -> int:
    """Consecutive ISO weeks (in the student's zone) with something done, up to this week. A week that has
    only just begun does not break the streak: it counts from last week until this week sees a tick."""
    weeks = {_week(t, zone) for t in done_times}
    cursor = now
    if _week(cursor, zone) not in weeks:
        cursor -= timedelta(weeks=1)
    count = 0
    while _week(cursor, zone) in weeks:
        count += 1
        cursor -= timedelta(weeks=1)
    return count


def summarize(items: Sequence[Item], now: datetime, zone: ZoneInfo) -> Progress:
    # One pass over the items (every view and every reminder summarizes ~80 of them).
    per_skill: dict[str, list[int]] = {}  # skill -> [done, skipped, total], in roadmap order
    done = skipped = 0
    done_times: list[datetime] = []
    for item in sorted(items, key=attrgetter("position")):
        counts = per_skill.get(item.skill_id)
        if counts is None:
            counts = per_skill[item.skill_id] = [0, 0, 0]
        counts[2] += 1
        if item.state is ItemState.DONE:
            counts[0] += 1
            done += 1
            if item.done_at:
                done_times.append(item.done_at)
        elif item.state is ItemState.SKIPPED:
            counts[1] += 1
            skipped += 1
    this_week = _week(now, zone)
    return Progress(
        done=done,
        skipped=skipped,
        total=len(items),
        done_this_week=sum(_week(t, zone) == this_week for t in done_times),
        streak_weeks=streak(done_times, now, zone),
        skills=tuple(SkillProgress(sid, *counts) for sid, counts in per_skill.items()),
    )


def acquired(items: Iterable[Item]) -> set[str]:
    """Skills whose every action item is done: the student has them now."""
    by_skill: dict[str, bool] = {}
    for item in items:
        by_skill[item.skill_id] = by_skill.get(item.skill_id, True) and item.state is ItemState.DONE
    return {sid for sid, complete in by_skill.items() if complete}


@dataclass(frozen=True)
class History:
    """What a student's stored items say, as the planner needs it (see coach.roadmap.build_plan).

    `acquired`: every stored item of the skill is done — the student has it now.
    `skipped`: every stored item is settled and at least one was skipped — the student turned it down; it is
    not planned again (a group counts as turned down when one of its members is).
    `current`: skills with an open item, in roadmap order — the term in progress. While it is not empty the
    plan keeps exactly these skills as its first term; once every item is settled it is empty and the next
    plan promotes the next skills.
    """

    acquired: frozenset[str] = frozenset()
    skipped: frozenset[str] = frozenset()
    current: tuple[str, ...] = ()

    @property
    def settled(self) -> bool:
        return not self.current


def history(items: Iterable[Item]) -> History:
    """The planner's view of stored items (any order; roadmap order is taken from `position`)."""
    states: dict[str, list[ItemState]] = {}
    for item in sorted(items, key=attrgetter("position")):
        states.setdefault(item.skill_id, []).append(item.state)
    done = frozenset(sid for sid, s in states.items() if all(state is ItemState.DONE for state in s))
    current = tuple(sid for sid, s in states.items() if ItemState.OPEN in s)
    skipped = frozenset(sid for sid, s in states.items() if ItemState.OPEN not in s and ItemState.SKIPPED in s)
    return History(acquired=done, skipped=skipped, current=current)
