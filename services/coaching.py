"""The coaching use cases behind the journey: profile, gap report, roadmap, ticks and progress."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import Catalog
from coach.gap import Gap, compute_gap
from coach.market import MarketSnapshot, with_own
from coach.progress import Item, ItemState, Progress, acquired, summarize
from coach.roadmap import Plan, build_plan
from coach.schedule import Reminder
from coach.student import Profile, Student
from services.market_cache import cache_for
from services.schedule import ensure_reminder
from storage.db import Database
from storage.market import MarketRepo
from storage.roadmap import RoadmapRepo
from storage.skills import UserSkillRepo
from storage.users import UserRepo

OFFERED_SKILLS = 18


class Roadmap:
    """A student's plan, gap and progress, each worked out on first use: a reminder needs only the items and
    the progress, and building the plan and the gap was two thirds of a reminder's CPU."""

    def __init__(
        self, catalog: Catalog, profile: Profile, items: Sequence[Item], market: MarketSnapshot, now: datetime
    ) -> None:
        assert profile.student.role_id is not None
        self.profile = profile
        self.items = tuple(items)
        self.market = market
        self._catalog, self._now = catalog, now
        self._role_id: str = profile.student.role_id

    @cached_property
    def plan(self) -> Plan:
        return build_plan(self._catalog, self._role_id, self.profile.have, self.profile.want, self.market)

    @cached_property
    def gap(self) -> Gap:
        # A skill whose every action item is done counts as had: the gap is re-scored as items are ticked.
        student = self.profile.student
        have = self.profile.have | acquired(self.items)
        return compute_gap(self._catalog, self._role_id, have, self.market, student.level, student.city)

    @cached_property
    def progress(self) -> Progress:
        return summarize(self.items, self._now, ZoneInfo(self.profile.student.timezone))


@dataclass(frozen=True)
class SavedProfile:
    profile: Profile
    reminder: Reminder


@dataclass(frozen=True)
class Tick:
    """A press of ✅ / ⏭ / ↩: the item (None when it is not the presser's), whether it changed, and the roadmap
    as it is now (only when it changed)."""

    item: Item | None
    changed: bool
    roadmap: Roadmap | None = None


class CoachService:
    def __init__(self, db: Database, catalog: Catalog, rates: Mapping[str, float] | None = None) -> None:
        self._db = db
        self._catalog = catalog
        self._cache = cache_for(db.engine)
        self.rates: Mapping[str, float] = dict(rates or {})  # KZT for one unit of each currency

    async def profile(self, student: Student) -> Profile:
        async with self._db.read() as session:
            return await self._profile(session, student)

    @staticmethod
    async def _profile(session: AsyncSession, student: Student) -> Profile:
        have, want = await UserSkillRepo(session).get(student.id)
        return Profile(student, frozenset(have), frozenset(want))

    async def save_profile(
        self,
        student: Student,
        *,
        role_id: str,
        level: str | None,
        city: str | None,
        have: Collection[str],
        want: Collection[str],
        now: datetime | None = None,
    ) -> SavedProfile:
        """Store the profile, rebuild the roadmap (items still planned keep their state) and make sure a weekly
        reminder exists — in one transaction, with the conversation state that asked for it."""
        known = self._catalog.skills.keys()
        have = {sid for sid in have if sid in known}
        want = {sid for sid in want if sid in known} - have
        market = await self.market(role_id)
        plan = build_plan(self._catalog, role_id, have, want, market)
        updated = student.model_copy(update={"role_id": role_id, "level": level, "city": city})
        async with self._db.transaction() as session:
            await UserRepo(session).set_profile(student.id, role_id=role_id, level=level, city=city)
            await UserSkillRepo(session).replace(student.id, have, want)
            await RoadmapRepo(session).sync(student.id, list(plan.items(self._catalog)))
            reminder = await ensure_reminder(session, updated, now or datetime.now(UTC))
        return SavedProfile(Profile(updated, frozenset(have), frozenset(want)), reminder)

    async def market(self, role_id: str, user_id: int | None = None) -> MarketSnapshot:
        """The role's market (shared, cached a minute), plus the student's own postings when `user_id`."""
        shared = self._cache.get(role_id)
        if shared is None:
            async with self._db.read() as session:
                shared = await MarketRepo(session).snapshot(role_id)
            self._cache.put(role_id, shared)
        if user_id is None:
            return shared
        async with self._db.read() as session:
            return with_own(shared, await MarketRepo(session).own(user_id))

    async def cities(self) -> list[str]:
        """Cities of stored postings, most common first."""
        async with self._db.read() as session:
            return await MarketRepo(session).cities()

    async def offered_skills(self, role_id: str) -> list[str]:
        """The skills onboarding offers as buttons: each stack's main technology (Python, Java, ...), the
        role's core, then its most demanded nice-to-have."""
        role = self._catalog.role(role_id)
        market = await self.market(role_id)
        nice = sorted(role.nice, key=lambda ref: (-market.demand(ref), role.nice.index(ref)))
        stacks = [stack.markers[0] for stack in role.stacks]
        offered = [*stacks, *(sid for ref in (*role.core, *nice) for sid in self._catalog.members(ref))]
        return list(dict.fromkeys(offered))[:OFFERED_SKILLS]

    async def roadmap(self, profile: Profile, now: datetime | None = None) -> Roadmap:
        """Everything the roadmap, gap and progress views show, read once."""
        assert profile.student.role_id is not None
        market = await self.market(profile.student.role_id, profile.student.id)
        async with self._db.read() as session:
            items = await RoadmapRepo(session).items(profile.student.id)
        return Roadmap(self._catalog, profile, items, market, now or datetime.now(UTC))

    async def overview(self, student: Student, now: datetime | None = None) -> Roadmap | None:
        """The student's roadmap (with gap and progress), or None when they have no profile yet."""
        profile = await self.profile(student)
        if not profile.complete:
            return None
        return await self.roadmap(profile, now)

    async def tick(self, student: Student, item_id: int, state: ItemState, now: datetime | None = None) -> Tick:
        """Set one of the student's items to `state`; another student's item or a repeat changes nothing."""
        moment = now or datetime.now(UTC)
        async with self._db.transaction() as session:
            item, changed = await RoadmapRepo(session).set_state(student.id, item_id, state, moment)
        if item is None or not changed:
            return Tick(item, changed)
        return Tick(item, changed, await self.overview(student, moment))
