"""The coaching use cases behind the journey: profile, gap report, roadmap, ticks and progress.

A student's market is their role and stack. The gap report and the roadmap follow one ranking
(`coach.ranking.rank`); only the first term's action items are stored, and when every one of them is settled
the next term's are added (after the tick that settled the last one).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import Catalog
from coach.gap import Gap, compute_gap
from coach.market import MarketSnapshot, profile_only, weighs_demand, with_own
from coach.progress import History, Item, ItemState, Progress, history, summarize
from coach.ranking import Ranking, rank, student_stack
from coach.roadmap import Plan, plan_from_ranking
from coach.schedule import Reminder
from coach.student import Profile, Student
from coach.zones import Zone
from services.market_cache import cache_for
from services.schedule import ensure_reminder, move_to_zone
from storage.db import Database
from storage.market import MarketRepo
from storage.roadmap import RoadmapRepo
from storage.skills import UserSkillRepo
from storage.users import UserRepo

OFFERED_SKILLS = 18


@dataclass(frozen=True)
class Rates:
    """KZT for one unit of each currency, and the day the rates are from (shown beside converted salaries)."""

    kzt: Mapping[str, float]
    day: date | None = None


class Roadmap:
    """A student's ranking, plan, gap and progress, each worked out on first use: a reminder needs only the
    items and the progress."""

    def __init__(
        self, catalog: Catalog, profile: Profile, items: Sequence[Item], market: MarketSnapshot, now: datetime,
        rates: Rates | None = None,
    ) -> None:  # fmt: skip
        assert profile.student.role_id is not None
        self.profile = profile
        self.items = tuple(items)
        self.market = market
        self._catalog, self._now, self._rates = catalog, now, rates or Rates({})
        self._role_id: str = profile.student.role_id

    @cached_property
    def history(self) -> History:
        return history(self.items)

    @cached_property
    def weighing(self) -> MarketSnapshot:
        """The market the ranking weighs skills by: with too few real postings, none (the role profile's
        order), rather than a few postings' noise."""
        return self.market if weighs_demand(self.market) else profile_only(self.market)

    @cached_property
    def ranking(self) -> Ranking:
        profile = self.profile
        return rank(self._catalog, self._role_id, profile.have, self.weighing, profile.want, self.history)

    @cached_property
    def plan(self) -> Plan:
        return plan_from_ranking(self._catalog, self.ranking, self.weighing, self.history)

    @cached_property
    def gap(self) -> Gap:
        student, profile = self.profile.student, self.profile
        return compute_gap(
            self._catalog, self._role_id, profile.have, self.market, student.level, student.city,
            want=profile.want, history=self.history, rates=self._rates.kzt, rates_date=self._rates.day,
            ranking=self.ranking,
        )  # fmt: skip

    @cached_property
    def progress(self) -> Progress:
        return summarize(self.items, self._now, ZoneInfo(self.profile.student.timezone))

    def next_term(self) -> list[tuple[str, int]]:
        """Items to add now: the next term's, once every stored item is settled (else none)."""
        if any(item.state is ItemState.OPEN for item in self.items):
            return []
        stored = {(i.skill_id, i.action_no) for i in self.items}
        return [key for key in self.plan.items(self._catalog) if key not in stored]


@dataclass(frozen=True)
class SavedProfile:
    profile: Profile
    reminder: Reminder


@dataclass(frozen=True)
class Tick:
    """A press of ✅ / ⏭ / ↩: the item (None when it is not the presser's), whether it changed, the roadmap as
    it is now (only when it changed), and the skills of a new term when the press settled the last item."""

    item: Item | None
    changed: bool
    roadmap: Roadmap | None = None
    new_term: tuple[str, ...] = ()


class CoachService:
    def __init__(self, db: Database, catalog: Catalog, rates: Rates | Mapping[str, float] | None = None) -> None:
        self._db = db
        self._catalog = catalog
        self._cache = cache_for(db.engine)
        self.rates = rates if isinstance(rates, Rates) else Rates(dict(rates or {}))

    async def profile(self, student: Student) -> Profile:
        async with self._db.read() as session:
            return await self._profile(session, student)

    @staticmethod
    async def _profile(session: AsyncSession, student: Student) -> Profile:
        have, want = await UserSkillRepo(session).get(student.id)
        return Profile(student, frozenset(have), tuple(want))

    def stack_for(self, role_id: str, have: Collection[str], want: Sequence[str] = ()) -> str | None:
        """The stack a student's skills point to (None: the role has none, or nothing points anywhere)."""
        return student_stack(self._catalog, role_id, have, want)

    async def save_profile(
        self,
        student: Student,
        *,
        role_id: str,
        level: str | None,
        city: str | None,
        have: Collection[str],
        want: Sequence[str],
        stack: str | None = None,
        zone: Zone | None = None,
        now: datetime | None = None,
    ) -> SavedProfile:
        """Store the profile (the stack read from the skills unless given), plan again — settled items stay as
        history, open ones follow the new plan — and make sure a weekly reminder exists: one transaction, with
        the conversation state that asked for it. `zone`: the student moves to it (their city's), the
        reminder's slot with them."""
        known = self._catalog.skills.keys()
        have = {sid for sid in have if sid in known}
        want = [sid for sid in dict.fromkeys(want) if sid in known and sid not in have]
        role = self._catalog.role(role_id)
        if role.stack(stack) is None:
            stack = self.stack_for(role_id, have, want)
        moment = now or datetime.now(UTC)
        updated = student.model_copy(update={"role_id": role_id, "stack": stack, "level": level, "city": city})
        profile = Profile(updated, frozenset(have), tuple(want))
        async with self._db.read() as session:
            items = await RoadmapRepo(session).items(student.id)
        market = await self.market(role_id, stack)
        settled = replace(history(items), current=())  # the open items follow the new plan
        weighing = market if weighs_demand(market) else profile_only(market)
        ranking = rank(self._catalog, role_id, have, weighing, want, settled)
        planned = list(plan_from_ranking(self._catalog, ranking, weighing, settled).items(self._catalog))
        async with self._db.transaction() as session:
            await UserRepo(session).set_profile(student.id, role_id=role_id, stack=stack, level=level, city=city)
            await UserSkillRepo(session).replace(student.id, have, want)
            await RoadmapRepo(session).sync(student.id, planned)
            if zone is not None and (zone.name, zone.place) != (student.timezone, student.zone_place):
                updated, reminder = await move_to_zone(session, updated, moment, zone)
                profile = Profile(updated, frozenset(have), tuple(want))
            else:
                reminder = await ensure_reminder(session, updated, moment)
        return SavedProfile(profile, reminder)

    async def market(self, role_id: str, stack: str | None = None, user_id: int | None = None) -> MarketSnapshot:
        """The market of a role and stack (shared, cached a minute), plus a student's own postings."""
        key = f"{role_id}:{stack or ''}"
        shared = self._cache.get(key)
        if shared is None:
            async with self._db.read() as session:
                shared = await MarketRepo(session).snapshot(role_id, stack)
            self._cache.put(key, shared)
        if user_id is None:
            return shared
        async with self._db.read() as session:
            own = await MarketRepo(session).own(user_id)
        return with_own(shared, own, self._catalog)

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
        student = profile.student
        assert student.role_id is not None
        market = await self.market(student.role_id, student.stack, student.id)
        async with self._db.read() as session:
            items = await RoadmapRepo(session).items(student.id)
        return Roadmap(self._catalog, profile, items, market, now or datetime.now(UTC), self.rates)

    def roadmap_of(self, profile: Profile, items: Sequence[Item], market: MarketSnapshot, now: datetime) -> Roadmap:
        """A roadmap from what the caller read already (the reminder run reads a batch at once)."""
        return Roadmap(self._catalog, profile, items, market, now, self.rates)

    async def preview(
        self, *, role_id: str, level: str | None, city: str | None, have: Collection[str], want: Sequence[str],
        stack: str | None = None, language: str = "en", now: datetime | None = None,
    ) -> Roadmap:  # fmt: skip
        """The gap report and the plan a student with this profile would get, stored nowhere (the `plan`
        command, integrations, the evaluation)."""
        known = self._catalog.skills.keys()
        have = {sid for sid in have if sid in known}
        want = [sid for sid in dict.fromkeys(want) if sid in known and sid not in have]
        if self._catalog.role(role_id).stack(stack) is None:
            stack = self.stack_for(role_id, have, want)
        student = Student(id=0, language=language, timezone="Asia/Almaty", role_id=role_id, stack=stack,
                          level=level, city=city)  # fmt: skip
        market = await self.market(role_id, stack)
        return Roadmap(self._catalog, Profile(student, frozenset(have), tuple(want)), (), market,
                       now or datetime.now(UTC), self.rates)  # fmt: skip

    async def overview(self, student: Student, now: datetime | None = None) -> Roadmap | None:
        """The student's roadmap (with gap and progress), or None when they have no profile yet."""
        profile = await self.profile(student)
        if not profile.complete:
            return None
        return await self.roadmap(profile, now)

    async def tick(self, student: Student, item_id: int, state: ItemState, now: datetime | None = None) -> Tick:
        """Set one of the student's items to `state`; another student's item or a repeat changes nothing. The
        press that settles the term's last item adds the next term's items."""
        moment = now or datetime.now(UTC)
        async with self._db.transaction() as session:
            item, changed = await RoadmapRepo(session).set_state(student.id, item_id, state, moment)
        if item is None or not changed:
            return Tick(item, changed)
        roadmap = await self.overview(student, moment)
        assert roadmap is not None
        if planned := roadmap.next_term():
            async with self._db.transaction() as session:
                await RoadmapRepo(session).sync(student.id, planned)  # nothing is open: the new term only
            new_term = tuple(dict.fromkeys(sid for sid, _ in planned))
            roadmap = await self.overview(student, moment)
            return Tick(item, changed, roadmap, new_term)
        return Tick(item, changed, roadmap)
