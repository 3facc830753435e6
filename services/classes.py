"""Classes: a teacher creates one and shares an invite link; students join by their own choice and may leave
any time; the teacher follows who has a plan, who is stuck and what the class lacks.

Every use case that shows or changes a class takes the user asking and checks that they teach it (a forged
or replayed button of someone else's class finds nothing). Figures per student are computed as the student's
own screens compute them (`coach.classes`: `coach.progress.summarize`, the gap report's core), from batch
reads of the whole class or of a page of it. Reads take no lock; each change is one short transaction,
committed before the caller sends anything.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from coach.catalog import Catalog
from coach.classes import (
    NUDGE_EVERY,
    ClassGaps,
    Classroom,
    CoreReader,
    Member,
    MemberActivity,
    MemberCore,
    MemberProgress,
    Membership,
    MemberSkills,
    class_gaps,
    member_activity,
    member_progress,
    member_skills,
    new_invite_code,
)
from coach.schedule import Schedule, is_too_late, next_run
from coach.student import Profile, Student
from services.coaching import CoachService, Roadmap
from services.reminders import Deliverer, Delivery, RunCounts
from services.ui import OutgoingMessage
from storage.classes import ClassRepo, DueDigest, DueNudge
from storage.db import Database
from storage.locks import REMINDER_SENDER, Lease
from storage.roadmap import RoadmapRepo
from storage.skills import UserSkillRepo
from storage.users import UserRepo

log = logging.getLogger(__name__)

ROSTER_PAGE = 10
REPORT_BATCH = 50
LEASE = timedelta(minutes=5)
RETRY_AFTER_FAILURE = timedelta(minutes=10)
DELIVERY_BATCH = 50


class JoinOutcome(StrEnum):
    JOINED = "joined"
    ALREADY = "already"  # a repeated press: nothing changes
    UNKNOWN = "unknown"  # no class has this code (never, or the teacher made a new link)
    CLOSED = "closed"  # the teacher closed joining
    OWN = "own"  # the teacher's own class
    FULL = "full"
    NO_PROFILE = "no_profile"  # a new student: onboarding first


@dataclass(frozen=True)
class RosterPage:
    classroom: Classroom
    rows: tuple[MemberProgress, ...]
    page: int
    pages: int

    @property
    def first(self) -> int:
        """The roster number of the page's first student."""
        return self.page * ROSTER_PAGE + 1


@dataclass(frozen=True)
class ClassSummary:
    """The whole class at `now`: every student's progress, who is stuck, what the class lacks."""

    classroom: Classroom
    members: tuple[MemberProgress, ...]
    gaps: ClassGaps
    now: datetime
    core: Mapping[int, MemberCore] = field(default_factory=dict)  # user id -> their core (with a profile)

    @property
    def stuck(self) -> tuple[MemberProgress, ...]:
        return tuple(m for m in self.members if m.stuck)

    @property
    def done_this_week(self) -> int:
        return sum(m.progress.done_this_week for m in self.members if m.progress)

    @property
    def active_this_week(self) -> int:
        return sum(1 for m in self.members if m.progress and m.progress.done_this_week)

    @property
    def joined_this_week(self) -> int:
        return sum(1 for m in self.members if self.now - m.member.joined_at < timedelta(days=7))


@dataclass(frozen=True)
class GapsView:
    classroom: Classroom
    gaps: ClassGaps


@dataclass(frozen=True)
class StuckList:
    """Every student of a class with their last tick, at `now`."""

    classroom: Classroom
    members: tuple[MemberActivity, ...]
    now: datetime

    @property
    def stuck(self) -> tuple[MemberActivity, ...]:
        return tuple(m for m in self.members if m.stuck)


@dataclass(frozen=True)
class MemberDetail:
    classroom: Classroom
    row: MemberProgress
    roadmap: Roadmap | None  # None: no profile yet


@dataclass(frozen=True)
class NudgePlan:
    """What a nudge would do now: how many stuck students it reaches, and when the teacher may send one."""

    stuck: int
    reachable: int
    allowed_from: datetime | None  # None: now


@dataclass(frozen=True)
class NudgeResult:
    queued: int
    allowed_from: datetime | None = None  # set when the week's nudge was sent already


class ClassService:
    def __init__(
        self, db: Database, catalog: Catalog, coach: CoachService, *, per_teacher: int = 20, size_limit: int = 1000
    ) -> None:
        self._db = db
        self._catalog = catalog
        self._coach = coach
        self.per_teacher = per_teacher
        self.size_limit = size_limit

    # -- the teacher's classes -------------------------------------------------------------------------

    async def create(self, owner: Student, owner_name: str, name: str) -> Classroom | None:
        """A new class with a fresh invite code; None when the teacher has `per_teacher` classes already."""
        async with self._db.transaction() as session:
            repo = ClassRepo(session)
            if await repo.count_owned(owner.id) >= self.per_teacher:
                return None
            return await repo.create(owner.id, owner_name, name, new_invite_code())

    async def owned(self, owner: Student) -> list[Classroom]:
        async with self._db.read() as session:
            return await ClassRepo(session).owned(owner.id)

    async def get(self, owner: Student, class_id: int) -> Classroom | None:
        """The class when `owner` teaches it; None for anyone else."""
        async with self._db.read() as session:
            return await ClassRepo(session).owned_by(owner.id, class_id)

    async def _changed(self, owner: Student, class_id: int, change) -> Classroom | None:
        async with self._db.transaction() as session:
            repo = ClassRepo(session)
            if not await change(repo):
                return None
            return await repo.owned_by(owner.id, class_id)

    async def rename(self, owner: Student, class_id: int, name: str) -> Classroom | None:
        now = datetime.now(UTC)
        return await self._changed(owner, class_id, lambda repo: repo.rename(owner.id, class_id, name, now))

    async def rotate(self, owner: Student, class_id: int) -> Classroom | None:
        """A new invite code: the old link stops working at once."""
        now, code = datetime.now(UTC), new_invite_code()
        return await self._changed(owner, class_id, lambda repo: repo.set_code(owner.id, class_id, code, now))

    async def set_joining(self, owner: Student, class_id: int, joining_open: bool) -> Classroom | None:
        now = datetime.now(UTC)
        return await self._changed(
            owner, class_id, lambda repo: repo.set_joining(owner.id, class_id, joining_open, now)
        )

    async def delete(self, owner: Student, class_id: int) -> bool:
        async with self._db.transaction() as session:
            return await ClassRepo(session).delete(owner.id, class_id)

    async def set_digest(
        self, owner: Student, class_id: int, weekday: int | None, hour: int | None, now: datetime | None = None
    ) -> Classroom | None:
        """The weekly digest at `weekday` / `hour` in the teacher's time zone (None: off)."""
        moment = now or datetime.now(UTC)
        due = None
        if weekday is not None and hour is not None:
            due = next_run(Schedule(weekday, hour, owner.timezone), moment)
        else:
            weekday = hour = None
        return await self._changed(
            owner, class_id, lambda repo: repo.set_digest(owner.id, class_id, weekday, hour, due)
        )

    # -- joining and leaving ---------------------------------------------------------------------------

    async def invite(self, code: str) -> Classroom | None:
        """The class an invite code names (joining open or not); None when no class has it."""
        async with self._db.read() as session:
            return await ClassRepo(session).by_code(code)

    async def is_member(self, student: Student, class_id: int) -> bool:
        async with self._db.read() as session:
            return await ClassRepo(session).is_member(class_id, student.id)

    async def join(self, student: Student, code: str, name: str, now: datetime | None = None
                   ) -> tuple[JoinOutcome, Classroom | None]:  # fmt: skip
        """Join the class of `code` as `name` (what the teacher will call them). Only a student with a profile
        joins: a new one goes through onboarding first."""
        if student.role_id is None:
            return JoinOutcome.NO_PROFILE, await self.invite(code)
        async with self._db.transaction() as session:
            repo = ClassRepo(session)
            classroom = await repo.by_code(code)
            if classroom is None:
                return JoinOutcome.UNKNOWN, None
            if classroom.owner_id == student.id:
                return JoinOutcome.OWN, classroom
            if await repo.is_member(classroom.id, student.id):
                return JoinOutcome.ALREADY, classroom
            if not classroom.joining_open:
                return JoinOutcome.CLOSED, classroom
            if classroom.members >= self.size_limit:
                return JoinOutcome.FULL, classroom
            await repo.add_member(classroom.id, student.id, name, now or datetime.now(UTC))
        return JoinOutcome.JOINED, classroom

    async def memberships(self, student: Student) -> list[Membership]:
        async with self._db.read() as session:
            return await ClassRepo(session).memberships(student.id)

    async def membership(self, student: Student, class_id: int) -> Membership | None:
        async with self._db.read() as session:
            return await ClassRepo(session).membership(student.id, class_id)

    async def leave(self, student: Student, class_id: int) -> bool:
        """Leave the class: the teacher sees nothing of the student any more (their name went with the row)."""
        async with self._db.transaction() as session:
            return await ClassRepo(session).remove_member(class_id, student.id)

    # -- what the teacher sees -------------------------------------------------------------------------

    async def roster(self, owner: Student, class_id: int, page: int, now: datetime | None = None
                     ) -> RosterPage | None:  # fmt: skip
        """One page of the class by name: each student's progress as their /progress shows it. Reads the page's
        students only."""
        moment = now or datetime.now(UTC)
        async with self._db.read() as session:
            repo = ClassRepo(session)
            classroom = await repo.owned_by(owner.id, class_id)
            if classroom is None:
                return None
            pages = max(1, -(-classroom.members // ROSTER_PAGE))
            page = min(max(page, 0), pages - 1)
            members = await repo.members(class_id, page * ROSTER_PAGE, ROSTER_PAGE)
            items = await repo.items(class_id, [m.user_id for m in members])
        rows = tuple(member_progress(m, items.get(m.user_id, ()), moment) for m in members)
        return RosterPage(classroom, rows, page, pages)

    async def summary(self, owner: Student, class_id: int, now: datetime | None = None) -> ClassSummary | None:
        """The whole class: progress, the stuck, common gaps, roles and stacks (owner only)."""
        async with self._db.read() as session:
            classroom = await ClassRepo(session).owned_by(owner.id, class_id)
        if classroom is None:
            return None
        return await self.summary_of(classroom, now or datetime.now(UTC))

    async def summary_of(self, classroom: Classroom, now: datetime) -> ClassSummary:
        """`summary` for a class already checked (or for its teacher's digest): three queries in all."""
        async with self._db.read() as session:
            repo = ClassRepo(session)
            members = await repo.members(classroom.id)
            items = await repo.items(classroom.id)
            skills = await repo.skills(classroom.id)
        rows = tuple(member_progress(m, items.get(m.user_id, ()), now) for m in members)
        read = CoreReader(self._catalog)
        cores = {}
        for m in members:
            have, want = skills.get(m.user_id, (set(), []))
            cores[m.user_id] = read(member_skills(m, have, want, items.get(m.user_id, ())))
        gaps = class_gaps(cores.values())
        return ClassSummary(classroom, rows, gaps, now, {k: v for k, v in cores.items() if v is not None})

    async def gaps(self, owner: Student, class_id: int) -> GapsView | None:
        """The class's common gaps, roles and stacks (owner only): the skills each student has, and those they
        learned from their roadmap aggregated by the database — three light queries, whatever the class's size."""
        async with self._db.read() as session:
            repo = ClassRepo(session)
            classroom = await repo.owned_by(owner.id, class_id)
            if classroom is None:
                return None
            members = await repo.members(class_id)
            skills = await repo.skills(class_id)
            learned = await repo.learned(class_id)
        read = CoreReader(self._catalog)
        cores = []
        for m in members:
            have, want = skills.get(m.user_id, (set(), []))
            skills_of = MemberSkills(m.role_id, m.stack, frozenset(have), tuple(want),
                                     frozenset(learned.get(m.user_id, ())))  # fmt: skip
            cores.append(read(skills_of))
        return GapsView(classroom, class_gaps(cores))

    async def stuck(self, owner: Student, class_id: int, now: datetime | None = None) -> StuckList | None:
        """Every student with their last tick, and so who is stuck (owner only)."""
        moment = now or datetime.now(UTC)
        async with self._db.read() as session:
            repo = ClassRepo(session)
            classroom = await repo.owned_by(owner.id, class_id)
            if classroom is None:
                return None
            members = await repo.members(class_id)
            ticks = await repo.last_ticks(class_id)
        rows = tuple(member_activity(m, ticks.get(m.user_id), moment) for m in members)
        return StuckList(classroom, rows, moment)

    async def member(self, owner: Student, class_id: int, user_id: int, now: datetime | None = None
                     ) -> MemberDetail | None:  # fmt: skip
        """One student of the owner's class, with their roadmap as they see it themselves (gap, progress)."""
        moment = now or datetime.now(UTC)
        async with self._db.read() as session:
            repo = ClassRepo(session)
            classroom = await repo.owned_by(owner.id, class_id)
            member = await repo.member(class_id, user_id) if classroom else None
        if classroom is None or member is None:
            return None
        roadmap = None
        if member.has_profile:
            student = _as_student(member)
            profile = await self._coach.profile(student)
            roadmap = await self._coach.roadmap(profile, moment)
            row = member_progress(member, roadmap.items, moment)
        else:
            row = member_progress(member, (), moment)
        return MemberDetail(classroom, row, roadmap)

    async def reports(self, owner: Student, class_id: int, now: datetime | None = None
                      ) -> AsyncIterator[tuple[Member, Roadmap]]:  # fmt: skip
        """Every student's roadmap (for their reports), by name, read in batches; nothing when the class is not
        the owner's. Students without a profile have no report."""
        moment = now or datetime.now(UTC)
        async with self._db.read() as session:
            repo = ClassRepo(session)
            if await repo.owned_by(owner.id, class_id) is None:
                return
            members = [m for m in await repo.members(class_id) if m.has_profile]
        for start in range(0, len(members), REPORT_BATCH):
            batch = members[start : start + REPORT_BATCH]
            ids = [m.user_id for m in batch]
            async with self._db.read() as session:
                skills = await UserSkillRepo(session).get_many(ids)
                items = await RoadmapRepo(session).items_many(ids)
            for member in batch:
                have, want = skills[member.user_id]
                profile = Profile(_as_student(member), frozenset(have), tuple(want))
                assert member.role_id is not None
                market = await self._coach.market(member.role_id, member.stack, member.user_id)
                yield member, self._coach.roadmap_of(profile, items[member.user_id], market, moment)
            await asyncio.sleep(0)  # a big class does not keep other students waiting

    # -- nudges ----------------------------------------------------------------------------------------

    async def nudge_plan(self, stuck: StuckList) -> NudgePlan:
        """Of the stuck students (a class already checked), how many a nudge would reach now."""
        ids = [m.member.user_id for m in stuck.stuck]
        async with self._db.read() as session:
            reachable = await ClassRepo(session).nudgeable(stuck.classroom.id, ids, stuck.now, NUDGE_EVERY)
        allowed = stuck.classroom.next_nudge()
        return NudgePlan(len(ids), len(reachable), allowed if allowed and allowed > stuck.now else None)

    async def nudge(self, owner: Student, class_id: int, now: datetime | None = None) -> NudgeResult | None:
        """Queue a gentle nudge to the class's stuck students (once a week per class; never to blocked or
        paused students, nor to one nudged this week by any class). The scheduler's sender delivers them."""
        moment = now or datetime.now(UTC)
        found = await self.stuck(owner, class_id, moment)
        if found is None:
            return None
        allowed = found.classroom.next_nudge()
        if allowed is not None and allowed > moment:
            return NudgeResult(0, allowed)
        ids = [m.member.user_id for m in found.stuck]
        async with self._db.transaction() as session:
            repo = ClassRepo(session)
            reachable = await repo.nudgeable(class_id, ids, moment, NUDGE_EVERY)
            if not reachable:
                return NudgeResult(0)
            if not await repo.claim_nudge_turn(owner.id, class_id, moment, NUDGE_EVERY):
                classroom = await repo.owned_by(owner.id, class_id)
                return NudgeResult(0, classroom.next_nudge() if classroom else None)
            await repo.queue_nudges(class_id, reachable, moment)
        return NudgeResult(len(reachable))


def _as_student(member: Member) -> Student:
    return Student(
        id=member.user_id, language="en", timezone=member.timezone, role_id=member.role_id, stack=member.stack,
        level=member.level, city=member.city, is_active=member.is_active,
    )  # fmt: skip


# -- delivery: the weekly digest and nudges, through the reminders' sender ---------------------------------

DigestComposer = Callable[[str, str, ClassSummary], Awaitable[OutgoingMessage]]  # (language, zone, summary)
NudgeComposer = Callable[[str, str, bool], Awaitable[OutgoingMessage]]  # (language, class name, has a profile)


class ClassDeliveries:
    """Delivers what is due — teachers' weekly digests, then queued nudges — exactly once, as reminders are
    delivered: claims with a lease, sends through the rate-limited `Deliverer`, completes by token. A
    crash leaves leases that run out, and the rows are claimed again."""

    def __init__(
        self, db: Database, classes: ClassService, sender: Deliverer, compose_digest: DigestComposer,
        compose_nudge: NudgeComposer, *, batch: int = DELIVERY_BATCH, lease: timedelta = LEASE,
    ) -> None:  # fmt: skip
        self._db = db
        self._classes = classes
        self._sender = sender
        self._digest = compose_digest
        self._nudge = compose_nudge
        self._batch = batch
        self._lease = lease
        self._stopping = False

    def stop_after_batch(self) -> None:
        self._stopping = True

    async def deliver_due_as_sender(self, now: datetime) -> RunCounts | None:
        """`deliver_due` by the one process that sends reminders (the send limit is the bot's, not a process's);
        None when another holds the sender's lease."""
        lease = Lease(self._db, REMINDER_SENDER)
        if not await lease.acquire():
            return None
        try:
            return await self.deliver_due(now, renew=lease.acquire)
        finally:
            await lease.release()

    async def deliver_due(self, now: datetime, renew: Callable[[], Awaitable[bool]] | None = None) -> RunCounts:
        counts = RunCounts()
        token = uuid.uuid4().hex
        while not self._stopping:
            if renew is not None and not await renew():
                return counts
            async with self._db.transaction() as session:
                digests = await ClassRepo(session).claim_digests(now, self._batch, self._lease, token)
            if not digests:
                break
            for row in digests:
                await self._guard(self._deliver_digest(row, now, counts), counts,
                                  self._release_digest(row, now))  # fmt: skip
        while not self._stopping:
            if renew is not None and not await renew():
                return counts
            async with self._db.transaction() as session:
                nudges = await ClassRepo(session).claim_nudges(now, self._batch, self._lease, token)
            if not nudges:
                break
            for row in nudges:
                await self._guard(self._deliver_nudge(row, now, counts), counts, self._release_nudge(row, now))
        return counts

    async def _guard(self, work: Awaitable[None], counts: RunCounts, release: Callable[[], Awaitable[None]]) -> None:
        """One class's or student's trouble is theirs alone: the rest goes on, this row is retried later."""
        try:
            await work
        except Exception:
            log.exception("a class delivery failed")
            counts.failed += 1
            await release()

    def _release_digest(self, row: DueDigest, now: datetime) -> Callable[[], Awaitable[None]]:
        async def release() -> None:
            async with self._db.transaction() as session:
                await ClassRepo(session).release_digest(row.class_id, row.token, now + RETRY_AFTER_FAILURE)

        return release

    def _release_nudge(self, row: DueNudge, now: datetime) -> Callable[[], Awaitable[None]]:
        async def release() -> None:
            async with self._db.transaction() as session:
                await ClassRepo(session).release_nudge(row.class_id, row.user_id, row.token,
                                                       now + RETRY_AFTER_FAILURE)  # fmt: skip

        return release

    async def _deliver_digest(self, row: DueDigest, now: datetime, counts: RunCounts) -> None:
        slot = Schedule(row.weekday, row.hour, row.timezone)

        async def complete(next_at: datetime, sent_at: datetime | None = None) -> None:
            async with self._db.transaction() as session:
                if not await ClassRepo(session).complete_digest(row.class_id, row.token, next_at, sent_at):
                    log.warning("the digest claim of class %s expired before completion", row.class_id)

        if is_too_late(row.next_run_at, now):  # the bot was down for over a day: not sent late, not lost
            counts.skipped += 1
            return await complete(next_run(slot, now))
        async with self._db.read() as session:
            classroom = await ClassRepo(session).get(row.class_id)
        if classroom is None:  # deleted meanwhile
            return
        summary = await self._classes.summary_of(classroom, now)
        message = await self._digest(row.language, row.timezone, summary)
        delivery = await self._send(row.owner_id, message, counts)
        if delivery is Delivery.SENT:
            return await complete(next_run(slot, now, last_sent=now), sent_at=now)
        retry_at = now if delivery is Delivery.BLOCKED else now + RETRY_AFTER_FAILURE
        async with self._db.transaction() as session:
            await ClassRepo(session).release_digest(row.class_id, row.token, retry_at)

    async def _deliver_nudge(self, row: DueNudge, now: datetime, counts: RunCounts) -> None:
        message = await self._nudge(row.language, row.class_name, row.has_profile)
        delivery = await self._send(row.user_id, message, counts)
        async with self._db.transaction() as session:
            repo = ClassRepo(session)
            if delivery is Delivery.FAILED:
                await repo.release_nudge(row.class_id, row.user_id, row.token, now + RETRY_AFTER_FAILURE)
            else:  # sent, or the student blocked the bot: either way it waits no more
                await repo.complete_nudge(row.class_id, row.user_id, row.token,
                                          now if delivery is Delivery.SENT else None)  # fmt: skip

    async def _send(self, chat_id: int, message: OutgoingMessage, counts: RunCounts) -> Delivery:
        delivery = await self._sender.send_message(chat_id, message.text, message.keyboard)
        if delivery is Delivery.SENT:
            counts.sent += 1
        elif delivery is Delivery.BLOCKED:
            counts.blocked += 1
            async with self._db.transaction() as session:
                await UserRepo(session).mark_blocked(chat_id)
        else:
            counts.failed += 1
        return delivery
