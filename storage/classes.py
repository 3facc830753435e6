"""Classes, their members, and the claims on digests and nudges due. Returns `coach.classes` types; never
commits. Every change a teacher makes is scoped to the owner: another user's class id changes nothing.

Digests and nudges are delivered like reminders (`storage.reminders`): a sender claims due rows by setting
a lease (`*_claimed_until`, `*_claim_token`) in one short transaction — on PostgreSQL with `FOR UPDATE SKIP
LOCKED` — sends outside any transaction, and completes the rows by their token.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from coach.classes import Classroom, Member, Membership
from coach.progress import Item, ItemState
from storage.models import ClassMember, ClassRow, ReminderSettings, RoadmapItem, User, UserSkill
from storage.upsert import upsert

_CLASS = (
    ClassRow.id, ClassRow.owner_id, ClassRow.owner_name, ClassRow.name, ClassRow.invite_code, ClassRow.joining_open,
    ClassRow.digest_weekday, ClassRow.digest_hour, ClassRow.digest_next_run_at, ClassRow.nudged_at,
)  # fmt: skip
_MEMBER = (
    ClassMember.user_id, ClassMember.display_name, ClassMember.joined_at, User.role_id, User.stack, User.level,
    User.city, User.timezone, User.last_seen_at, User.is_active,
)  # fmt: skip
_STATES = {state.value: state for state in ItemState}


def _utc(moment: datetime | str) -> datetime:
    """An aggregate's time: SQLite hands MAX() back as the stored text, PostgreSQL as an aware datetime."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _classroom(row, members: int = 0) -> Classroom:
    return Classroom(
        id=row[0], owner_id=row[1], owner_name=row[2], name=row[3], invite_code=row[4], joining_open=row[5],
        members=members, digest_weekday=row[6], digest_hour=row[7], digest_next_run_at=row[8], nudged_at=row[9],
    )  # fmt: skip


def _member(row) -> Member:
    return Member(
        user_id=row[0], name=row[1], joined_at=row[2], role_id=row[3], stack=row[4], level=row[5], city=row[6],
        timezone=row[7], last_seen_at=row[8], is_active=row[9],
    )  # fmt: skip


@dataclass(frozen=True)
class DueDigest:
    """A claimed digest: the class and its teacher's language and time zone."""

    class_id: int
    owner_id: int
    language: str
    timezone: str
    weekday: int
    hour: int
    next_run_at: datetime
    last_sent_at: datetime | None
    token: str


@dataclass(frozen=True)
class DueNudge:
    """A claimed nudge: the student, their language, and the class that is waiting for them."""

    class_id: int
    user_id: int
    class_name: str
    language: str
    has_profile: bool
    token: str


class ClassRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # -- classes ---------------------------------------------------------------------------------------

    async def create(self, owner_id: int, owner_name: str, name: str, code: str) -> Classroom:
        class_id = await self._session.scalar(
            ClassRow.__table__.insert()
            .values(owner_id=owner_id, owner_name=owner_name, name=name, invite_code=code, joining_open=True)
            .returning(ClassRow.id)
        )
        created = await self.get(class_id)
        assert created is not None
        return created

    async def get(self, class_id: int) -> Classroom | None:
        row = (await self._session.execute(select(*_CLASS).where(ClassRow.id == class_id))).first()
        return _classroom(row, await self.member_count(class_id)) if row else None

    async def owned_by(self, owner_id: int, class_id: int) -> Classroom | None:
        """The class, when `owner_id` teaches it (None for anyone else, whatever the id)."""
        row = (
            await self._session.execute(select(*_CLASS).where(ClassRow.id == class_id, ClassRow.owner_id == owner_id))
        ).first()
        return _classroom(row, await self.member_count(class_id)) if row else None

    async def owned(self, owner_id: int) -> list[Classroom]:
        counts = select(ClassMember.class_id, func.count().label("n")).group_by(ClassMember.class_id).subquery()
        rows = await self._session.execute(
            select(*_CLASS, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.class_id == ClassRow.id)
            .where(ClassRow.owner_id == owner_id)
            .order_by(ClassRow.id)
        )
        return [_classroom(row, row[-1]) for row in rows]

    async def count_owned(self, owner_id: int) -> int:
        return await self._session.scalar(select(func.count()).where(ClassRow.owner_id == owner_id)) or 0

    async def by_code(self, code: str) -> Classroom | None:
        row = (await self._session.execute(select(*_CLASS).where(ClassRow.invite_code == code))).first()
        return _classroom(row, await self.member_count(row[0])) if row else None

    async def _change(self, owner_id: int, class_id: int, **values) -> bool:
        changed = await self._session.scalars(
            update(ClassRow)
            .where(ClassRow.id == class_id, ClassRow.owner_id == owner_id)
            .values(**values)
            .returning(ClassRow.id)
        )
        return changed.first() is not None

    async def rename(self, owner_id: int, class_id: int, name: str, now: datetime) -> bool:
        return await self._change(owner_id, class_id, name=name, updated_at=now)

    async def set_code(self, owner_id: int, class_id: int, code: str, now: datetime) -> bool:
        return await self._change(owner_id, class_id, invite_code=code, updated_at=now)

    async def set_joining(self, owner_id: int, class_id: int, joining_open: bool, now: datetime) -> bool:
        return await self._change(owner_id, class_id, joining_open=joining_open, updated_at=now)

    async def set_digest(
        self, owner_id: int, class_id: int, weekday: int | None, hour: int | None, next_run_at: datetime | None
    ) -> bool:
        # A digest being delivered right now loses its claim: its completion must not move the new slot.
        return await self._change(
            owner_id, class_id, digest_weekday=weekday, digest_hour=hour, digest_next_run_at=next_run_at,
            digest_claimed_until=None, digest_claim_token=None,
        )  # fmt: skip

    async def delete(self, owner_id: int, class_id: int) -> bool:
        """The class and its memberships (ON DELETE CASCADE)."""
        gone = await self._session.scalars(
            delete(ClassRow).where(ClassRow.id == class_id, ClassRow.owner_id == owner_id).returning(ClassRow.id)
        )
        return gone.first() is not None

    async def claim_nudge_turn(self, owner_id: int, class_id: int, now: datetime, every: timedelta) -> bool:
        """The teacher's weekly nudge: True (and it is recorded) when the last one was at least `every` ago.
        One statement, so two presses at once give one nudge."""
        return await self._change_where(
            owner_id, class_id, or_(ClassRow.nudged_at.is_(None), ClassRow.nudged_at <= now - every), nudged_at=now
        )

    async def _change_where(self, owner_id: int, class_id: int, condition, **values) -> bool:
        changed = await self._session.scalars(
            update(ClassRow)
            .where(ClassRow.id == class_id, ClassRow.owner_id == owner_id, condition)
            .values(**values)
            .returning(ClassRow.id)
        )
        return changed.first() is not None

    # -- members ---------------------------------------------------------------------------------------

    async def member_count(self, class_id: int) -> int:
        return await self._session.scalar(select(func.count()).where(ClassMember.class_id == class_id)) or 0

    async def add_member(self, class_id: int, user_id: int, name: str, now: datetime) -> bool:
        """Add the student; False when they were in the class already (a repeated press)."""
        before = await self.is_member(class_id, user_id)
        if before:
            return False
        values = {"class_id": class_id, "user_id": user_id, "display_name": name, "joined_at": now}
        dialect = self._session.bind.dialect.name
        await self._session.execute(upsert(dialect, ClassMember.__table__, values, ["class_id", "user_id"]))
        return True

    async def is_member(self, class_id: int, user_id: int) -> bool:
        found = await self._session.scalar(
            select(ClassMember.user_id).where(ClassMember.class_id == class_id, ClassMember.user_id == user_id)
        )
        return found is not None

    async def remove_member(self, class_id: int, user_id: int) -> bool:
        gone = await self._session.scalars(
            delete(ClassMember)
            .where(ClassMember.class_id == class_id, ClassMember.user_id == user_id)
            .returning(ClassMember.user_id)
        )
        return gone.first() is not None

    async def memberships(self, user_id: int) -> list[Membership]:
        rows = await self._session.execute(
            select(ClassRow.id, ClassRow.name, ClassRow.owner_name, ClassMember.joined_at)
            .join(ClassMember, ClassMember.class_id == ClassRow.id)
            .where(ClassMember.user_id == user_id)
            .order_by(ClassMember.joined_at, ClassRow.id)
        )
        return [Membership(class_id=r[0], name=r[1], owner_name=r[2], joined_at=r[3]) for r in rows]

    async def membership(self, user_id: int, class_id: int) -> Membership | None:
        found = [m for m in await self.memberships(user_id) if m.class_id == class_id]
        return found[0] if found else None

    async def members(self, class_id: int, offset: int = 0, limit: int | None = None) -> list[Member]:
        """The class's students by name (case aside: lower() folds ASCII on SQLite, every script on PostgreSQL;
        then id), with what the teacher sees of their profile."""
        query = (
            select(*_MEMBER)
            .join(User, User.id == ClassMember.user_id)
            .where(ClassMember.class_id == class_id)
            .order_by(func.lower(ClassMember.display_name), ClassMember.display_name, ClassMember.user_id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        return [_member(row) for row in await self._session.execute(query)]

    async def member(self, class_id: int, user_id: int) -> Member | None:
        row = (
            await self._session.execute(
                select(*_MEMBER)
                .join(User, User.id == ClassMember.user_id)
                .where(ClassMember.class_id == class_id, ClassMember.user_id == user_id)
            )
        ).first()
        return _member(row) if row else None

    def _of_class(self, class_id: int):
        return select(ClassMember.user_id).where(ClassMember.class_id == class_id).scalar_subquery()

    async def items(self, class_id: int, user_ids: Collection[int] | None = None) -> dict[int, list[Item]]:
        """Roadmap items of the class's students (of `user_ids` among them), in roadmap order, in one query."""
        who = (
            RoadmapItem.user_id.in_(user_ids)
            if user_ids is not None
            else RoadmapItem.user_id.in_(self._of_class(class_id))
        )
        rows = await self._session.execute(
            select(RoadmapItem.user_id, RoadmapItem.id, RoadmapItem.skill_id, RoadmapItem.action_no,
                   RoadmapItem.position, RoadmapItem.state, RoadmapItem.done_at)
            .where(who)
            .order_by(RoadmapItem.user_id, RoadmapItem.position)
        )  # fmt: skip
        found: dict[int, list[Item]] = {}
        for user_id, i, skill, no, pos, state, done_at in rows:
            found.setdefault(user_id, []).append(Item(i, skill, no, pos, _STATES[state], done_at))
        return found

    async def learned(self, class_id: int) -> dict[int, set[str]]:
        """Per student of the class, the skills all of whose roadmap items are done — `coach.progress.acquired`,
        aggregated by the database (a few hundred rows for a big class instead of every item)."""
        rows = await self._session.execute(
            select(RoadmapItem.user_id, RoadmapItem.skill_id)
            .where(RoadmapItem.user_id.in_(self._of_class(class_id)))
            .group_by(RoadmapItem.user_id, RoadmapItem.skill_id)
            .having(func.min(case((RoadmapItem.state == ItemState.DONE.value, 1), else_=0)) == 1)
        )
        found: dict[int, set[str]] = {}
        for user_id, skill_id in rows:
            found.setdefault(user_id, set()).add(skill_id)
        return found

    async def last_ticks(self, class_id: int) -> dict[int, datetime]:
        """Per student of the class who ever ticked an item: when they last did (undone items have no time)."""
        rows = await self._session.execute(
            select(RoadmapItem.user_id, func.max(RoadmapItem.done_at))
            .where(RoadmapItem.user_id.in_(self._of_class(class_id)), RoadmapItem.done_at.is_not(None))
            .group_by(RoadmapItem.user_id)
        )
        return {user_id: _utc(moment) for user_id, moment in rows if moment is not None}

    async def skills(self, class_id: int) -> dict[int, tuple[set[str], list[str]]]:
        """What each student of the class has and says they lack (as `UserSkillRepo.get_many`)."""
        rows = await self._session.execute(
            select(UserSkill.user_id, UserSkill.skill_id, UserSkill.status)
            .where(UserSkill.user_id.in_(self._of_class(class_id)))
            .order_by(UserSkill.user_id, UserSkill.position, UserSkill.skill_id)
        )
        found: dict[int, tuple[set[str], list[str]]] = {}
        for user_id, skill_id, status in rows:
            have, want = found.setdefault(user_id, (set(), []))
            if status == "have":
                have.add(skill_id)
            else:
                want.append(skill_id)
        return found

    # -- nudges ----------------------------------------------------------------------------------------

    async def nudgeable(self, class_id: int, user_ids: Collection[int], now: datetime, every: timedelta) -> list[int]:
        """Of `user_ids` (students of the class): those a nudge may reach — active (not blocked), reminders
        not paused, not nudged by any class within `every`, none waiting already."""
        if not user_ids:
            return []
        paused = select(ReminderSettings.user_id).where(ReminderSettings.enabled.is_(False))
        recent = select(ClassMember.user_id).where(
            or_(ClassMember.nudged_at > now - every, ClassMember.nudge_due_at.is_not(None))
        )
        rows = await self._session.scalars(
            select(ClassMember.user_id)
            .join(User, User.id == ClassMember.user_id)
            .where(
                ClassMember.class_id == class_id,
                ClassMember.user_id.in_(user_ids),
                User.is_active.is_(True),
                ClassMember.user_id.not_in(paused),
                ClassMember.user_id.not_in(recent),
            )
            .order_by(ClassMember.user_id)
        )
        return list(rows)

    async def queue_nudges(self, class_id: int, user_ids: Collection[int], now: datetime) -> None:
        if user_ids:
            await self._session.execute(
                update(ClassMember)
                .where(ClassMember.class_id == class_id, ClassMember.user_id.in_(user_ids))
                .values(nudge_due_at=now)
            )

    async def claim_nudges(self, now: datetime, limit: int, lease: timedelta, token: str) -> list[DueNudge]:
        due = (
            select(ClassMember.class_id, ClassMember.user_id)
            .join(User, User.id == ClassMember.user_id)
            .where(
                ClassMember.nudge_due_at.is_not(None),
                ClassMember.nudge_due_at <= now,
                or_(ClassMember.nudge_claimed_until.is_(None), ClassMember.nudge_claimed_until < now),
                User.is_active.is_(True),
            )
            .order_by(ClassMember.nudge_due_at)
            .limit(limit)
            .with_for_update(of=ClassMember, skip_locked=True)
        )
        claimed = (
            await self._session.execute(
                update(ClassMember)
                .where(tuple_(ClassMember.class_id, ClassMember.user_id).in_(due.subquery().select()))
                .values(nudge_claimed_until=now + lease, nudge_claim_token=token)
                .returning(ClassMember.user_id)
            )
        ).all()
        if not claimed:
            return []
        rows = await self._session.execute(
            select(ClassMember.class_id, ClassMember.user_id, ClassRow.name, User.language, User.role_id)
            .join(ClassRow, ClassRow.id == ClassMember.class_id)
            .join(User, User.id == ClassMember.user_id)
            .where(ClassMember.nudge_claim_token == token)
            .order_by(ClassMember.nudge_due_at)
        )
        return [DueNudge(c, u, name, language, role is not None, token) for c, u, name, language, role in rows]

    async def complete_nudge(self, class_id: int, user_id: int, token: str, sent_at: datetime | None) -> bool:
        """The nudge was sent (`sent_at`) or dropped (None: the student blocked the bot): it waits no more."""
        done = await self._session.scalars(
            update(ClassMember)
            .where(ClassMember.class_id == class_id, ClassMember.user_id == user_id,
                   ClassMember.nudge_claim_token == token)
            .values(nudge_due_at=None, nudge_claimed_until=None, nudge_claim_token=None,
                    nudged_at=func.coalesce(sent_at, ClassMember.nudged_at))
            .returning(ClassMember.user_id)
        )  # fmt: skip
        return done.first() is not None

    async def release_nudge(self, class_id: int, user_id: int, token: str, retry_at: datetime) -> None:
        await self._session.execute(
            update(ClassMember)
            .where(ClassMember.class_id == class_id, ClassMember.user_id == user_id,
                   ClassMember.nudge_claim_token == token)
            .values(nudge_claimed_until=retry_at, nudge_claim_token=None)
        )  # fmt: skip

    # -- digests ---------------------------------------------------------------------------------------

    async def claim_digests(self, now: datetime, limit: int, lease: timedelta, token: str) -> list[DueDigest]:
        due = (
            select(ClassRow.id)
            .join(User, User.id == ClassRow.owner_id)
            .where(
                ClassRow.digest_next_run_at.is_not(None),
                ClassRow.digest_next_run_at <= now,
                or_(ClassRow.digest_claimed_until.is_(None), ClassRow.digest_claimed_until < now),
                User.is_active.is_(True),
            )
            .order_by(ClassRow.digest_next_run_at)
            .limit(limit)
            .with_for_update(of=ClassRow, skip_locked=True)
        )
        claimed = (
            await self._session.scalars(
                update(ClassRow)
                .where(ClassRow.id.in_(due.scalar_subquery()))
                .values(digest_claimed_until=now + lease, digest_claim_token=token)
                .returning(ClassRow.id)
            )
        ).all()
        if not claimed:
            return []
        rows = await self._session.execute(
            select(ClassRow.id, ClassRow.owner_id, User.language, User.timezone, ClassRow.digest_weekday,
                   ClassRow.digest_hour, ClassRow.digest_next_run_at, ClassRow.digest_last_sent_at)
            .join(User, User.id == ClassRow.owner_id)
            .where(ClassRow.id.in_(claimed), ClassRow.digest_claim_token == token)
            .order_by(ClassRow.digest_next_run_at)
        )  # fmt: skip
        return [
            DueDigest(r[0], r[1], r[2], r[3], r[4] if r[4] is not None else 0, r[5] if r[5] is not None else 0, r[6],
                      r[7], token)
            for r in rows
        ]  # fmt: skip

    async def complete_digest(self, class_id: int, token: str, next_run_at: datetime | None,
                              sent_at: datetime | None) -> bool:  # fmt: skip
        """Release the claim and move the digest to its next slot; False when the claim was lost meanwhile."""
        done = await self._session.scalars(
            update(ClassRow)
            .where(ClassRow.id == class_id, ClassRow.digest_claim_token == token)
            .values(
                digest_next_run_at=next_run_at,
                digest_claimed_until=None,
                digest_claim_token=None,
                digest_last_sent_at=func.coalesce(sent_at, ClassRow.digest_last_sent_at),
            )
            .returning(ClassRow.id)
        )
        return done.first() is not None

    async def release_digest(self, class_id: int, token: str, retry_at: datetime) -> None:
        await self._session.execute(
            update(ClassRow)
            .where(ClassRow.id == class_id, ClassRow.digest_claim_token == token)
            .values(digest_claimed_until=retry_at, digest_claim_token=None)
        )
