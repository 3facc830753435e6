"""Classes: a teacher's group of students who chose to share their progress, as the teacher sees it.

Pure domain: invite codes, the names people type, who counts as stuck, and what a whole class lacks. The
figures per student are the ones the student sees themselves — progress from `coach.progress.summarize`, the
core skills covered as in the gap report (`coach.ranking`: the role's core for the student's stack, against
what they have plus what their finished items taught them).
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from coach.catalog import Catalog
from coach.progress import Item, Progress, acquired, summarize
from coach.ranking import StackProfile, stack_profile, student_stack

STUCK_AFTER = timedelta(days=14)  # no tick for this long (counted from joining at the latest): stuck
NUDGE_EVERY = timedelta(days=7)  # a teacher nudges a class at most this often; a student gets at most one
NAME_LIMIT = 100  # a class's name
DISPLAY_NAME_LIMIT = 64  # a student's name as the teacher sees it
INVITE_CODE = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16): 128 random bits
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def new_invite_code() -> str:
    """An unguessable code for an invite link (22 characters of A-Z a-z 0-9 _ -)."""
    return secrets.token_urlsafe(16)


def is_invite_code(text: str) -> bool:
    return INVITE_CODE.fullmatch(text) is not None


def clean_text(text: str | None) -> str:
    """One line of text as people type it: control and invisible characters gone, whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def class_name(text: str | None) -> str | None:
    """The class name a teacher typed, cleaned; None when nothing is left or it is longer than NAME_LIMIT."""
    name = clean_text(text)
    return name if 0 < len(name) <= NAME_LIMIT else None


def display_name(first_name: str | None, fallback: str) -> str:
    """A student's name as the teacher sees it: their Telegram first name, cleaned and cut."""
    name = clean_text(first_name)[:DISPLAY_NAME_LIMIT].strip()
    return name or fallback


@dataclass(frozen=True)
class Classroom:
    """A class as its teacher manages it."""

    id: int
    owner_id: int
    owner_name: str
    name: str
    invite_code: str
    joining_open: bool
    members: int = 0
    digest_weekday: int | None = None  # None: no weekly digest
    digest_hour: int | None = None
    digest_next_run_at: datetime | None = None
    nudged_at: datetime | None = None

    @property
    def digest_on(self) -> bool:
        return self.digest_weekday is not None and self.digest_hour is not None

    def next_nudge(self) -> datetime | None:
        """When the teacher may nudge again (None: now)."""
        return self.nudged_at + NUDGE_EVERY if self.nudged_at else None


@dataclass(frozen=True)
class Membership:
    """A class a student is in, as the student sees it."""

    class_id: int
    name: str
    owner_name: str
    joined_at: datetime


@dataclass(frozen=True)
class Member:
    """One student of a class, with what the teacher may see of them (their chat is never among it)."""

    user_id: int
    name: str
    joined_at: datetime
    role_id: str | None
    stack: str | None
    level: str | None
    city: str | None
    timezone: str
    last_seen_at: datetime | None
    is_active: bool = True

    @property
    def has_profile(self) -> bool:
        return self.role_id is not None


@dataclass(frozen=True)
class MemberActivity:
    """A member, when they last ticked an item, and whether that makes them stuck."""

    member: Member
    last_tick: datetime | None
    stuck: bool

    @property
    def last_active(self) -> datetime | None:
        moments = [m for m in (self.member.last_seen_at, self.last_tick) if m is not None]
        return max(moments) if moments else None


def member_activity(member: Member, ticked: datetime | None, now: datetime) -> MemberActivity:
    return MemberActivity(member, ticked, is_stuck(member, ticked, now))


@dataclass(frozen=True)
class MemberProgress(MemberActivity):
    """A member with their progress, as /progress computes it for them, and when they last ticked."""

    progress: Progress | None = None  # None: no profile (no roadmap) yet

    @property
    def share(self) -> float:
        p = self.progress
        return p.done / p.total if p and p.total else 0.0


def last_tick(items: Iterable[Item]) -> datetime | None:
    return max((item.done_at for item in items if item.done_at is not None), default=None)


def is_stuck(member: Member, ticked: datetime | None, now: datetime) -> bool:
    """No profile yet, or no tick for STUCK_AFTER — counted from when they joined, if that is later (a
    student who joined yesterday has had no chance yet)."""
    if not member.has_profile:
        return True
    since = max(m for m in (ticked, member.joined_at) if m is not None)
    return now - since >= STUCK_AFTER


def member_progress(member: Member, items: Sequence[Item], now: datetime) -> MemberProgress:
    """A member's progress as their own /progress shows it (same function, their time zone)."""
    ticked = last_tick(items)
    progress = summarize(items, now, ZoneInfo(member.timezone)) if member.has_profile else None
    return MemberProgress(member, ticked, is_stuck(member, ticked, now), progress)


@dataclass(frozen=True)
class CommonGap:
    ref: str  # a skill or a group of alternatives (`Catalog.ref_name`)
    students: int  # how many students with this ref in their core lack it
    of: int  # how many students have it in their core


@dataclass(frozen=True)
class ClassGaps:
    """What a class lacks and chose: core skills most students lack (with counts), roles and stacks."""

    with_profile: int
    without_profile: int
    gaps: tuple[CommonGap, ...]
    roles: tuple[tuple[str, int], ...]  # role id, students
    stacks: tuple[tuple[str, str, int], ...]  # role id, stack id, students


def core_lacking(
    catalog: Catalog, role_id: str, stack: str | None, have: Iterable[str], learned: Iterable[str],
    want: Sequence[str] = (), profiles: dict[tuple[str, str | None], StackProfile] | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:  # fmt: skip
    """(the core refs of the student's role and stack, those they lack) — as the gap report counts "x of y
    core skills": what they have, plus `learned` (the skills all of whose items they finished:
    `coach.progress.acquired`), prerequisites implied."""
    owned = {sid for sid in (*have, *learned) if sid in catalog.skills}
    if stack is None:  # the market is the whole role's: the stack the skills point to, as `rank` reads it
        stack = student_stack(catalog, role_id, owned, want)
    profiles = {} if profiles is None else profiles  # a whole class shares a few
    profile = profiles.get((role_id, stack))
    if profile is None:
        profile = profiles[(role_id, stack)] = stack_profile(catalog, role_id, stack)
    known = catalog.implied(owned)
    return profile.core, tuple(ref for ref in profile.core if not catalog.covered(ref, known))


@dataclass(frozen=True)
class MemberSkills:
    role_id: str | None
    stack: str | None
    have: frozenset[str]
    want: tuple[str, ...]
    learned: frozenset[str]  # `coach.progress.acquired` of their items


def member_skills(member: Member, have: Iterable[str], want: Iterable[str], items: Iterable[Item]) -> MemberSkills:
    return MemberSkills(member.role_id, member.stack, frozenset(have), tuple(want), frozenset(acquired(items)))


@dataclass(frozen=True)
class MemberCore:
    """A student's role and stack, the core refs of it, and those they lack."""

    role_id: str
    stack: str | None
    core: tuple[str, ...]
    lacking: tuple[str, ...]

    @property
    def covered(self) -> int:
        return len(self.core) - len(self.lacking)


class CoreReader:
    """`core_lacking` for many students, sharing the few role and stack profiles of a class."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._profiles: dict[tuple[str, str | None], StackProfile] = {}

    def __call__(self, member: MemberSkills) -> MemberCore | None:
        """None for a student without a profile (or with a role the catalog no longer has)."""
        if member.role_id is None or member.role_id not in self._catalog.roles:
            return None
        core, lack = core_lacking(self._catalog, member.role_id, member.stack, member.have, member.learned,
                                  member.want, self._profiles)  # fmt: skip
        return MemberCore(member.role_id, member.stack, core, lack)


def class_gaps(members: Iterable[MemberCore | None], limit: int = 10) -> ClassGaps:
    """The core skills most students of the class lack (most first), and the roles and stacks they chose."""
    lacking: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    stacks: Counter[tuple[str, str]] = Counter()
    with_profile = without = 0
    for member in members:
        if member is None:
            without += 1
            continue
        with_profile += 1
        roles[member.role_id] += 1
        if member.stack:
            stacks[(member.role_id, member.stack)] += 1
        asked.update(member.core)
        lacking.update(member.lacking)
    gaps = sorted(lacking.items(), key=lambda pair: (-pair[1], -asked[pair[0]], pair[0]))[:limit]
    return ClassGaps(
        with_profile=with_profile,
        without_profile=without,
        gaps=tuple(CommonGap(ref, count, asked[ref]) for ref, count in gaps),
        roles=tuple(sorted(roles.items(), key=lambda pair: (-pair[1], pair[0]))),
        stacks=tuple((r, s, n) for (r, s), n in sorted(stacks.items(), key=lambda pair: (-pair[1], pair[0]))),
    )
