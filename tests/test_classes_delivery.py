"""Classes below the screens: the domain's rules, the database's aggregates against the domain's functions, and
the delivery of digests and nudges — exactly once, through the rate-limited sender, never to blocked students —
on SQLite and PostgreSQL, with an injected clock."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.bootstrap import prepare_storage
from bot.factory import create_bot
from bot.i18n import create_i18n
from bot.sender import Sender
from coach.classes import (
    STUCK_AFTER,
    Member,
    MemberCore,
    class_gaps,
    class_name,
    display_name,
    is_stuck,
    last_tick,
)
from coach.progress import ItemState, acquired
from handlers.classes import make_composers
from services.classes import LEASE, ClassDeliveries, ClassService
from services.coaching import CoachService
from services.students import StudentService
from storage.classes import ClassRepo
from storage.db import Database
from storage.models import ClassMember, ClassRow, User
from storage.roadmap import RoadmapRepo
from testkit.telegram import FakeTelegram
from tests.conftest import POSTGRES_URL, TEST_TOKEN

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # a Monday, 11:00 in Almaty


# -- the domain -------------------------------------------------------------------------------------------


def test_class_names_and_display_names_are_cleaned():
    assert class_name("  SE-2301 \n Software\tArchitecture ") == "SE-2301 Software Architecture"
    assert class_name("\u200b\u200e") is None and class_name("") is None and class_name(None) is None
    assert class_name("x" * 100) == "x" * 100 and class_name("x" * 101) is None
    assert display_name("  Ару\u202e ", "Student") == "Ару"
    assert display_name(None, "Student") == "Student" and display_name("\x00", "Student") == "Student"
    assert len(display_name("A" * 300, "Student")) == 64


def _member(joined: datetime, role: str | None = "backend") -> Member:
    return Member(1, "A", joined, role, None, "junior", "Almaty", "Asia/Almaty", None)


def test_stuck_means_no_profile_or_no_tick_for_two_weeks_counted_from_joining():
    assert is_stuck(_member(NOW, role=None), None, NOW)
    assert not is_stuck(_member(NOW - timedelta(days=3)), None, NOW)  # joined three days ago: no chance yet
    assert is_stuck(_member(NOW - STUCK_AFTER), None, NOW)
    assert is_stuck(_member(NOW - timedelta(days=60)), NOW - timedelta(days=14), NOW)
    assert not is_stuck(_member(NOW - timedelta(days=60)), NOW - timedelta(days=13, hours=23), NOW)
    assert not is_stuck(_member(NOW - timedelta(days=2)), NOW - timedelta(days=30), NOW)  # ticked before joining


def test_common_gaps_count_students_lacking_each_core_ref_most_first():
    gaps = class_gaps([
        MemberCore("backend", "python", ("git", "docker", "sql"), ("git", "docker")),
        MemberCore("backend", "python", ("git", "docker", "sql"), ("docker",)),
        MemberCore("qa", None, ("git", "testing"), ("git", "testing")),
        None,
    ])  # fmt: skip
    assert gaps.with_profile == 3 and gaps.without_profile == 1
    assert [(g.ref, g.students, g.of) for g in gaps.gaps] == [
        ("git", 2, 3), ("docker", 2, 2), ("testing", 1, 1)
    ]  # fmt: skip
    assert gaps.roles == (("backend", 2), ("qa", 1)) and gaps.stacks == (("backend", "python", 2),)


# -- the database and the service ------------------------------------------------------------------------------


class Env:
    def __init__(self, db: Database, catalog, telegram: FakeTelegram) -> None:
        self.db, self.catalog, self.telegram = db, catalog, telegram
        self.bot = create_bot_for(telegram)
        self.coach = CoachService(db, catalog)
        self.classes = ClassService(db, catalog, self.coach)
        self.students = StudentService(db, "Asia/Almaty")

    def deliveries(self, db: Database | None = None, sender: Sender | None = None, **kwargs) -> ClassDeliveries:
        sender = sender or Sender(self.bot, rate=1000, per_chat_interval=0, backoff=0.01)
        digest, nudge = make_composers(self.catalog, create_i18n())
        return ClassDeliveries(db or self.db, ClassService(db or self.db, self.catalog, self.coach), sender, digest,
                               nudge, **kwargs)  # fmt: skip

    async def student(self, user_id: int, *, profile: bool = True):
        student = await self.students.enter(user_id, "en")
        if not profile:
            return student
        saved = await self.coach.save_profile(student, role_id="backend", level="junior", city="Almaty",
                                              have={"python"}, want=[], now=NOW - timedelta(days=30))  # fmt: skip
        return saved.profile.student

    async def class_of(self, teacher_id: int, students: list[int], name: str = "SE-2301"):
        teacher = await self.student(teacher_id, profile=False)
        classroom = await self.classes.create(teacher, "Aigerim", name)
        assert classroom is not None
        for user_id in students:
            student = await self.student(user_id)
            outcome, _ = await self.classes.join(
                student, classroom.invite_code, f"S{user_id}", NOW - timedelta(days=20)
            )
            assert outcome.value == "joined"
        return teacher, classroom

    def received(self) -> Counter:
        return Counter(m.chat_id for m in self.telegram.messages.values())


def create_bot_for(telegram: FakeTelegram):
    from bot.config import Settings

    return create_bot(Settings(_env_file=None, bot_token=TEST_TOKEN), TEST_TOKEN, session=telegram)


@pytest.fixture
async def env(database, catalog, parser) -> Env:
    await prepare_storage(database, catalog, parser)
    return Env(database, catalog, FakeTelegram())


async def test_the_databases_aggregates_agree_with_the_domain(env):
    _, classroom = await env.class_of(1, [11, 12, 13])
    async with env.db.transaction() as session:
        items = await RoadmapRepo(session).items(11)
        first = [i for i in items if i.skill_id == items[0].skill_id]
        for item in first:  # every item of the first skill: learned
            await RoadmapRepo(session).set_state(11, item.id, ItemState.DONE, NOW - timedelta(days=2))
        await RoadmapRepo(session).set_state(12, (await RoadmapRepo(session).items(12))[0].id, ItemState.DONE,
                                             NOW - timedelta(days=1))  # fmt: skip
        await RoadmapRepo(session).set_state(12, (await RoadmapRepo(session).items(12))[0].id, ItemState.OPEN, NOW)
    async with env.db.read() as session:
        repo = ClassRepo(session)
        learned, ticks, items = (
            await repo.learned(classroom.id),
            await repo.last_ticks(classroom.id),
            await repo.items(classroom.id),
        )
    for user_id in (11, 12, 13):
        assert learned.get(user_id, set()) == acquired(items[user_id]), user_id
        assert ticks.get(user_id) == last_tick(items[user_id]), user_id
    assert learned[11] == {first[0].skill_id} and 12 not in ticks  # an undone tick has no time


async def test_the_digest_is_sent_once_even_when_a_sender_died_holding_its_claim(env):
    teacher, classroom = await env.class_of(1, [11, 12])
    await env.classes.set_digest(teacher, classroom.id, 0, 9, now=NOW - timedelta(days=7))  # Mondays 09:00
    async with env.db.read() as session:
        due = await session.scalar(select(ClassRow.digest_next_run_at))
    assert due == datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
    async with env.db.transaction() as session:  # a sender claimed it and died before sending
        assert len(await ClassRepo(session).claim_digests(NOW, 10, LEASE, "dead")) == 1
    assert (await env.deliveries().deliver_due(NOW)).sent == 0  # the claim holds
    counts = await env.deliveries().deliver_due(NOW + LEASE + timedelta(minutes=1))
    assert counts.sent == 1 and env.received()[1] == 1
    assert (await env.deliveries().deliver_due(NOW + timedelta(hours=1))).sent == 0
    async with env.db.read() as session:
        row = (await session.scalars(select(ClassRow))).one()
    assert row.digest_next_run_at == due + timedelta(days=7) and row.digest_claim_token is None
    digest = env.telegram.sent_to(1)[0]
    assert "2 students" in digest.visible and "Stuck: 2 — S11, S12" in digest.visible


async def test_a_digest_missed_by_over_a_day_is_not_sent_late_but_moves_on(env):
    teacher, classroom = await env.class_of(1, [11])
    await env.classes.set_digest(teacher, classroom.id, 0, 9, now=NOW - timedelta(days=7))
    counts = await env.deliveries().deliver_due(NOW + timedelta(days=2))
    assert counts.sent == 0 and counts.skipped == 1
    async with env.db.read() as session:
        assert await session.scalar(select(ClassRow.digest_next_run_at)) == datetime(2026, 12, 14, 4, 0, tzinfo=UTC)


async def test_a_teacher_who_blocked_the_bot_gets_no_digest_and_is_marked_inactive(env):
    teacher, classroom = await env.class_of(1, [11])
    await env.classes.set_digest(teacher, classroom.id, 0, 9, now=NOW - timedelta(days=7))
    env.telegram.blocked = {1}
    counts = await env.deliveries().deliver_due(NOW)
    assert counts.blocked == 1 and counts.sent == 0
    async with env.db.read() as session:
        assert (await session.get(User, 1)).is_active is False
    assert (await env.deliveries().deliver_due(NOW + timedelta(hours=1))).blocked == 0  # not claimed again


async def test_nudges_reach_stuck_students_once_never_paused_or_blocked_ones(env):
    teacher, classroom = await env.class_of(1, [11, 12, 13, 14])
    from storage.models import ReminderSettings

    async with env.db.transaction() as session:
        await session.execute(update(ReminderSettings).where(ReminderSettings.user_id == 12).values(enabled=False))
    stuck = await env.classes.stuck(teacher, classroom.id, NOW)
    assert len(stuck.stuck) == 4  # nobody ticked in the 20 days since joining
    plan = await env.classes.nudge_plan(stuck)
    assert (plan.stuck, plan.reachable, plan.allowed_from) == (4, 3, None)
    result = await env.classes.nudge(teacher, classroom.id, NOW)
    assert result.queued == 3
    again = await env.classes.nudge(teacher, classroom.id, NOW + timedelta(days=6))
    assert again.queued == 0 and again.allowed_from == NOW + timedelta(days=7)

    env.telegram.blocked = {13}
    counts = await env.deliveries().deliver_due(NOW)
    assert (counts.sent, counts.blocked) == (2, 1)
    assert env.received() == Counter({11: 1, 14: 1})
    assert "“SE-2301” is waiting for you" in env.telegram.sent_to(11)[0].visible
    assert (await env.deliveries().deliver_due(NOW + timedelta(minutes=30))).sent == 0
    async with env.db.read() as session:
        rows = {r.user_id: r for r in await session.scalars(select(ClassMember))}
        assert (await session.get(User, 13)).is_active is False
    assert rows[11].nudged_at == NOW and rows[13].nudged_at is None
    assert all(r.nudge_due_at is None for r in rows.values())

    # A week later the teacher may nudge again; a student nudged by another class this week is left out.
    _, other = await env.class_of(2, [], name="Other")
    student_14 = await env.students.enter(14, "en")
    await env.classes.join(student_14, other.invite_code, "S14", NOW)
    async with env.db.transaction() as session:
        await session.execute(update(ClassMember).where(ClassMember.class_id == other.id)
                              .values(joined_at=NOW - timedelta(days=20)))  # fmt: skip
    teacher_2 = await env.students.enter(2, "en")
    assert (await env.classes.nudge(teacher_2, other.id, NOW + timedelta(days=1))).queued == 0


async def test_the_scheduler_runs_the_class_job_beside_the_reminders(env):
    from bot.scheduler import ReminderScheduler
    from handlers.reminders import make_composer
    from services.reminders import ReminderService

    teacher, classroom = await env.class_of(1, [11])
    now = datetime.now(UTC)  # the scheduler ticks on the real clock
    await env.classes.set_digest(teacher, classroom.id, 0, 9, now=now)
    async with env.db.transaction() as session:
        await session.execute(update(ClassRow).values(digest_next_run_at=now - timedelta(minutes=1)))
    sender = Sender(env.bot, rate=1000, per_chat_interval=0)
    reminders = ReminderService(env.db, env.catalog, sender, make_composer(env.catalog, create_i18n()))
    scheduler = ReminderScheduler(reminders, every_seconds=3600, classes=env.deliveries(sender=sender)).start()
    try:
        await asyncio.wait_for(_until(lambda: env.received()[1] == 1), 10)
    finally:
        await scheduler.stop()
    assert env.received()[1] == 1


async def _until(condition) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise TimeoutError("the scheduler did not deliver")


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL not set (CI sets it)")
async def test_two_senders_at_once_send_each_digest_and_nudge_once(env, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("concurrent claims need PostgreSQL")
    for teacher_id in range(1, 9):
        teacher, classroom = await env.class_of(teacher_id, [100 + teacher_id], name=f"C{teacher_id}")
        await env.classes.set_digest(teacher, classroom.id, 0, 9, now=NOW - timedelta(days=7))
        assert (await env.classes.nudge(teacher, classroom.id, NOW)).queued == 1
    other = Database.open(db_url)
    try:
        first, second = await asyncio.gather(
            env.deliveries(batch=2).deliver_due(NOW), env.deliveries(db=other, batch=2).deliver_due(NOW)
        )
    finally:
        await other.dispose()
    assert first.sent + second.sent == 16
    assert set(env.received().values()) == {1} and len(env.received()) == 16  # 8 teachers, 8 students, once each
