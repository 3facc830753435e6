"""The coaching use cases behind the journey: profile, gap report, roadmap, ticks and progress."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import Catalog
from coach.gap import Gap, compute_gap
from coach.market import MarketSnapshot, with_own
from coach.postings import PostingDraft
from coach.progress import Item, ItemState, Progress, acquired, summarize
from coach.roadmap import Plan, build_plan
from services.market_cache import cache_for
from services.postings import to_posting
from services.schedule import schedule_for
from storage.market import MarketRepo
from storage.postings import PostingRepo
from storage.reminders import ReminderDTO
from storage.roadmap import RoadmapRepo
from storage.skills import UserSkillRepo
from storage.users import UserDTO, UserRepo


@dataclass(frozen=True)
class Profile:
    user: UserDTO
    have: frozenset[str]
    want: frozenset[str]

    @property
    def complete(self) -> bool:
        return self.user.role_id is not None


class Roadmap:
    """A student's plan, gap and progress, each worked out on first use: a reminder needs only the items and
    the progress, and building the plan and the gap was two thirds of a reminder's CPU."""

    def __init__(
        self, catalog: Catalog, profile: Profile, items: Sequence[Item], market: MarketSnapshot, now: datetime
    ) -> None:
        assert profile.user.role_id is not None
        self.items = tuple(items)
        self._catalog, self._profile, self._market, self._now = catalog, profile, market, now
        self._role_id: str = profile.user.role_id

    @cached_property
    def plan(self) -> Plan:
        profile = self._profile
        return build_plan(self._catalog, self._role_id, profile.have, profile.want, self._market)

    @cached_property
    def gap(self) -> Gap:
        # A skill whose every action item is done counts as had: the gap is re-scored as items are ticked.
        user = self._profile.user
        have = self._profile.have | acquired(self.items)
        return compute_gap(self._catalog, self._role_id, have, self._market, user.level, user.city)

    @cached_property
    def progress(self) -> Progress:
        return summarize(self.items, self._now, ZoneInfo(self._profile.user.timezone))


class CoachService:
    def __init__(self, session: AsyncSession, catalog: Catalog) -> None:
        self._catalog = catalog
        self._session = session
        self._users = UserRepo(session)
        self._skills = UserSkillRepo(session)
        self._roadmap = RoadmapRepo(session)
        self._market = MarketRepo(session)

    async def profile(self, user: UserDTO) -> Profile:
        have, want = await self._skills.get(user.id)
        return Profile(user, frozenset(have), frozenset(want))

    async def save_profile(
        self,
        user: UserDTO,
        *,
        role_id: str,
        level: str | None,
        city: str | None,
        have: Collection[str],
        want: Collection[str],
    ) -> Profile:
        """Store the profile and rebuild the roadmap; items that are still planned keep their state."""
        known = self._catalog.skills.keys()
        have = {sid for sid in have if sid in known}
        want = {sid for sid in want if sid in known} - have
        await self._users.set_profile(user.id, role_id=role_id, level=level, city=city)
        await self._skills.replace(user.id, have, want)
        market = await self.market(role_id)
        plan = build_plan(self._catalog, role_id, have, want, market)
        await self._roadmap.sync(user.id, list(plan.items(self._catalog)))
        updated = user.model_copy(update={"role_id": role_id, "level": level, "city": city})
        return Profile(updated, frozenset(have), frozenset(want))

    async def market(self, role_id: str, user_id: int | None = None) -> MarketSnapshot:
        """The role's market (shared, cached a minute), plus the student's own postings when `user_id`."""
        cache = cache_for(self._session.bind)
        shared = cache.get(role_id)
        if shared is None:
            shared = await self._market.snapshot(role_id)
            cache.put(role_id, shared)
        return with_own(shared, await self._market.own(user_id)) if user_id is not None else shared

    async def add_posting(self, user: UserDTO, draft: PostingDraft) -> None:
        """A posting the student found: it counts in their own market, not in everyone's."""
        posting = to_posting(draft).model_copy(
            update={
                "source": "user",
                "source_id": f"{user.id}:{draft.source_id}"[:64],
                "role_id": None,
                "added_by": user.id,
            }
        )
        await PostingRepo(self._session).save(posting)

    async def cities(self) -> list[str]:
        return await self._market.cities()

    async def roadmap(
        self, profile: Profile, now: datetime | None = None, market: MarketSnapshot | None = None
    ) -> Roadmap:
        """Everything the roadmap, gap and progress views show, read once. A caller serving many students
        (the reminder run) passes the role's market snapshot in, read once per role."""
        assert profile.user.role_id is not None
        market = market or await self.market(profile.user.role_id, profile.user.id)
        items = await self._roadmap.items(profile.user.id)
        return Roadmap(self._catalog, profile, items, market, now or datetime.now(UTC))

    async def tick(self, user: UserDTO, item_id: int, state: ItemState, now: datetime | None = None):
        """Set one of the user's items to `state`. Returns (item or None if not theirs, changed)."""
        return await self._roadmap.set_state(user.id, item_id, state, now or datetime.now(UTC))

    async def reminder(self, user: UserDTO, now: datetime | None = None) -> ReminderDTO:
        """The user's reminder slot; onboarding turns reminders on with the defaults."""
        return await schedule_for(self._session, user, now or datetime.now(UTC))

    async def forget(self, user: UserDTO) -> None:
        await self._users.delete(user.id)
