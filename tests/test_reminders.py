"""Weekly reminders with an injected clock, a fake Bot API that enforces Telegram's limits, and real databases."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot
from sqlalchemy import select, update

from bot.bootstrap import prepare_storage
from bot.factory import create_bot
from bot.i18n import create_i18n
from bot.sender import Sender
from handlers.reminders import make_composer
from services.coaching import CoachService
from services.reminders import LEASE, RETRY_AFTER_FAILURE, ReminderService
from services.schedule import reschedule
from services.students import StudentService
from storage.db import Database
from storage.locks import REMINDER_SENDER, Lease
from storage.models import ReminderSettings, RoadmapItem, User
from storage.reminders import Completion, ReminderRepo
from storage.users import UserRepo
from testkit.telegram import FakeTelegram
from tests.conftest import POSTGRES_URL, TEST_TOKEN

MONDAY = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


class Env:
    def __init__(self, db: Database, pool, catalog, telegram: FakeTelegram, bot: Bot) -> None:
        self.db, self.pool, self.catalog, self.telegram, self.bot = db, pool, catalog, telegram, bot
        self.compose = make_composer(catalog, create_i18n())

    def service(self, sender=None, db: Database | None = None, **kwargs) -> ReminderService:
        sender = sender or Sender(self.bot, rate=1000, per_chat_interval=0, backoff=0.01)
        return ReminderService(db or self.db, self.catalog, sender, self.compose, **kwargs)

    async def student(
        self, user_id: int, *, zone="Asia/Almaty", weekday=0, hour=19, language="en", now=MONDAY, seen=None
    ) -> None:
        """A student with a backend profile and a weekly slot, last seen at `seen` (default: `now`)."""
        student = await StudentService(self.db, zone).enter(user_id, language)
        saved = await CoachService(self.db, self.catalog).save_profile(
            student, role_id="backend", level="junior", city="Almaty", have={"python"}, want=set(), now=now
        )
        async with self.db.transaction() as session:
            await reschedule(session, saved.profile.student, now, weekday=weekday, hour=hour, enabled=True, zone=zone)
            await session.execute(update(User).where(User.id == user_id).values(last_seen_at=seen or now))

    def received(self) -> Counter:
        return Counter(m.chat_id for m in self.telegram.messages.values())

    async def row(self, user_id: int) -> ReminderSettings:
        async with self.pool() as session:
            return await session.get(ReminderSettings, user_id)


@pytest.fixture
async def env(database, session_pool, catalog, parser, settings):
    await prepare_storage(database, catalog, parser)
    telegram = FakeTelegram()
    bot = create_bot(settings, TEST_TOKEN, session=telegram)
    return Env(database, session_pool, catalog, telegram, bot)


async def test_each_student_is_due_at_their_own_local_hour(env):
    await env.student(1, zone="Asia/Almaty")  # Monday 19:00 = 14:00 UTC
    await env.student(2, zone="Europe/Moscow")  # Monday 19:00 = 16:00 UTC
    await env.student(3, zone="America/New_York")  # Monday 19:00 = Tuesday 00:00 UTC
    service = env.service()
    assert (await service.deliver_due(MONDAY + timedelta(hours=13, minutes=59))).sent == 0
    assert (await service.deliver_due(MONDAY + timedelta(hours=14, minutes=1))).sent == 1
    assert env.received() == {1: 1}
    assert (await service.deliver_due(MONDAY + timedelta(hours=16, minutes=1))).sent == 1
    assert (await service.deliver_due(MONDAY + timedelta(hours=24, minutes=1))).sent == 1
    assert env.received() == {1: 1, 2: 1, 3: 1}


async def test_a_week_is_sent_once_and_the_next_week_is_scheduled(env):
    await env.student(1)
    service = env.service()
    at = MONDAY + timedelta(hours=14, minutes=1)
    assert (await service.deliver_due(at)).sent == 1
    assert (await service.deliver_due(at)).sent == 0  # a second tick, a second replica: nothing more
    assert (await service.deliver_due(at + timedelta(days=3))).sent == 0
    row = await env.row(1)
    assert row.next_run_at == MONDAY + timedelta(days=7, hours=14)
    assert row.last_sent_at == at
    assert (await service.deliver_due(at + timedelta(days=7))).sent == 1
    assert env.received() == {1: 2}


async def test_the_reminder_shows_the_next_items_progress_and_buttons(env):
    await env.student(1)
    await env.service().deliver_due(MONDAY + timedelta(hours=15))
    [message] = env.telegram.sent_to(1)
    assert "Your week's next steps" in message.visible
    assert "0 of" in message.visible and "done, 0 this week" in message.visible
    assert message.visible.count("▫️") == 3
    labels = [text for text, _ in message.buttons()]
    assert {"1 ✅", "1 ⏭", "3 ✅", "😴 Snooze a day", "📋 Roadmap"} <= set(labels)


async def test_a_russian_student_gets_a_russian_reminder(env):
    await env.student(1, language="ru")
    await env.service().deliver_due(MONDAY + timedelta(hours=15))
    [message] = env.telegram.sent_to(1)
    assert "Ваши следующие шаги" in message.visible


async def test_a_reminder_missed_while_down_is_sent_once_within_a_day(env):
    await env.student(1)
    await env.student(2, zone="Europe/Moscow")  # due 16:00 UTC
    service = env.service()
    # The bot was down from Monday noon to Tuesday 15:00 UTC: student 2 is 23 h late, student 1 is 25 h late.
    counts = await service.deliver_due(MONDAY + timedelta(days=1, hours=15))
    assert (counts.sent, counts.skipped) == (1, 1)
    assert env.received() == {2: 1}
    assert (await env.row(1)).next_run_at == MONDAY + timedelta(days=7, hours=14)  # not lost: next week


async def test_snooze_pause_and_resume(env):
    await env.student(1)
    service = env.service()
    async with env.db.transaction() as session:
        await session.execute(
            update(ReminderSettings).values(next_run_at=MONDAY + timedelta(days=1, hours=14))
        )  # snoozed a day
    assert (await service.deliver_due(MONDAY + timedelta(hours=15))).sent == 0
    assert (await service.deliver_due(MONDAY + timedelta(days=1, hours=15))).sent == 1
    async with env.db.transaction() as session:
        user = await UserRepo(session).get(1)
        await reschedule(
            session, user, MONDAY + timedelta(days=2), weekday=0, hour=19, enabled=False, zone=user.timezone
        )
    assert (await service.deliver_due(MONDAY + timedelta(days=7, hours=15))).sent == 0  # paused
    async with env.db.transaction() as session:
        await reschedule(
            session, user, MONDAY + timedelta(days=8), weekday=0, hour=19, enabled=True, zone=user.timezone
        )
    assert (await env.row(1)).next_run_at == MONDAY + timedelta(days=14, hours=14)
    assert (await service.deliver_due(MONDAY + timedelta(days=14, hours=15))).sent == 1


async def test_one_nudge_after_two_quiet_weeks_then_silence_until_they_return(env):
    await env.student(1, seen=MONDAY - timedelta(days=15))
    service = env.service()
    await service.deliver_due(MONDAY + timedelta(hours=15))
    [nudge] = env.telegram.sent_to(1)
    assert "two quiet weeks" in nudge.visible
    counts = await service.deliver_due(MONDAY + timedelta(days=7, hours=15))  # still quiet: no spam
    assert (counts.sent, counts.skipped) == (0, 1)
    async with env.db.transaction() as session:
        await session.execute(update(User).values(last_seen_at=MONDAY + timedelta(days=10)))  # came back
    await service.deliver_due(MONDAY + timedelta(days=14, hours=15))
    latest = env.telegram.sent_to(1)[-1]
    assert "Your week's next steps" in latest.visible
    assert env.received() == {1: 2}


async def test_ticking_items_counts_as_activity(env):
    await env.student(1, seen=MONDAY - timedelta(days=20))
    async with env.db.transaction() as session:
        await session.execute(
            update(RoadmapItem)
            .where(RoadmapItem.position == 0)
            .values(state="done", done_at=MONDAY - timedelta(days=2))
        )
    await env.service().deliver_due(MONDAY + timedelta(hours=15))
    [message] = env.telegram.sent_to(1)
    assert "two quiet weeks" not in message.visible
    assert "streak: 1 wk" in message.visible


async def test_a_finished_roadmap_gets_a_congratulation(env):
    await env.student(1)
    async with env.db.transaction() as session:
        await session.execute(update(RoadmapItem).values(state="done", done_at=MONDAY))
    await env.service().deliver_due(MONDAY + timedelta(hours=15))
    [message] = env.telegram.sent_to(1)
    assert "You've done every item on your roadmap!" in message.visible


async def test_a_blocked_student_is_marked_inactive_and_skipped_until_they_return(env):
    await env.student(1)
    await env.student(2)
    env.telegram.blocked.add(1)
    counts = await env.service().deliver_due(MONDAY + timedelta(hours=15))
    assert (counts.sent, counts.blocked) == (1, 1)
    async with env.db.read() as session:
        assert not (await session.get(User, 1)).is_active
    assert (await env.service().deliver_due(MONDAY + timedelta(days=7, hours=15))).blocked == 0  # not retried
    env.telegram.blocked.clear()
    async with env.db.transaction() as session:
        await UserRepo(session).ensure(1, "en", "Asia/Almaty")  # they wrote to the bot again
    assert (await env.service().deliver_due(MONDAY + timedelta(days=14, hours=15))).sent == 2


async def test_a_network_failure_is_retried_and_then_left_for_a_later_tick(env):
    await env.student(1)
    service = env.service()
    env.telegram.fail_next = [(0, "Request timeout error")] * 3  # every attempt of this tick fails
    counts = await service.deliver_due(MONDAY + timedelta(hours=15))
    assert (counts.sent, counts.failed) == (0, 1)
    assert (await service.deliver_due(MONDAY + timedelta(hours=15, minutes=5))).sent == 0  # backing off
    later = MONDAY + timedelta(hours=15) + RETRY_AFTER_FAILURE + timedelta(minutes=1)
    assert (await service.deliver_due(later)).sent == 1
    assert env.received() == {1: 1}


async def test_a_passing_5xx_is_retried_at_once(env):
    await env.student(1)
    env.telegram.fail_next = [(502, "Bad Gateway")]
    counts = await env.service().deliver_due(MONDAY + timedelta(hours=15))
    assert counts.sent == 1
    assert env.received() == {1: 1}


async def test_429_pauses_sending_and_loses_nothing(env):
    for user_id in range(1, 13):
        await env.student(user_id)
    env.telegram.limits = (5, 0)  # Telegram allows 5/s here, the sender tries 50/s
    sender = Sender(env.bot, rate=50, per_chat_interval=0)
    counts = await env.service(sender).deliver_due(MONDAY + timedelta(hours=15))
    assert counts.sent == 12
    assert env.telegram.too_many > 0 and sender.stats.retry_after == env.telegram.too_many
    assert env.received() == dict.fromkeys(range(1, 13), 1)


async def test_the_sender_within_the_limits_provokes_no_429(env):
    for user_id in range(1, 31):
        await env.student(user_id)
    env.telegram.limits = (20, 1.0)
    sender = Sender(env.bot, rate=20, per_chat_interval=1.0)
    counts = await env.service(sender).deliver_due(MONDAY + timedelta(hours=15))
    assert counts.sent == 30
    assert env.telegram.too_many == 0


async def test_the_per_chat_limit_spaces_messages_to_one_chat(env):
    env.telegram.limits = (100, 1.0)
    sender = Sender(env.bot, rate=100, per_chat_interval=1.0)
    results = await asyncio.gather(*(sender.send_message(7, f"hello {i}") for i in range(3)))
    assert [r.value for r in results] == ["sent"] * 3
    assert env.telegram.too_many == 0


class Killed(BaseException):
    """The process dying: not an error any code handles."""


class CrashingSender(Sender):
    """Dies (as the process would) when asked to send the (n+1)th message."""

    def __init__(self, bot: Bot, crash_after: int) -> None:
        super().__init__(bot, rate=1000, per_chat_interval=0)
        self.left = crash_after

    async def send_message(self, chat_id, text, keyboard=()):
        if self.left == 0:
            raise Killed
        self.left -= 1
        return await super().send_message(chat_id, text, keyboard)


async def test_a_crash_midway_then_a_restart_sends_everyone_exactly_once(env):
    for user_id in range(1, 26):
        await env.student(user_id)
    at = MONDAY + timedelta(hours=15)
    with pytest.raises(BaseExceptionGroup):
        await env.service(CrashingSender(env.bot, crash_after=7), batch=10, concurrency=1).deliver_due(at)
    assert sum(env.received().values()) == 7
    # The restarted process ticks again: rows it had claimed come back once their lease runs out.
    service = env.service()
    await service.deliver_due(at + timedelta(minutes=1))
    await service.deliver_due(at + LEASE + timedelta(minutes=1))
    assert env.received() == dict.fromkeys(range(1, 26), 1)


async def test_an_unreadable_answer_fails_one_chat_and_the_batch_goes_on(env):
    """A proxy's HTML 502 page is not JSON: that one chat fails for now, the others get theirs, and the
    failed row is released for a later try instead of staying claimed."""
    for user_id in (1, 2, 3):
        await env.student(user_id)
    real_call = env.telegram.make_request

    async def html_page_for_two(bot, method, timeout=None):
        if getattr(method, "chat_id", None) == 2:
            return env.telegram.check_response(bot, method, 502, "<html><body>502 Bad Gateway</body></html>")
        return await real_call(bot, method, timeout)

    env.telegram.make_request = html_page_for_two
    counts = await env.service(Sender(env.bot, rate=1000, per_chat_interval=0, backoff=0.01)).deliver_due(
        MONDAY + timedelta(hours=15)
    )
    assert (counts.sent, counts.failed) == (2, 1)
    assert env.received() == {1: 1, 3: 1}
    row = await env.row(2)
    assert row.claim_token is None and row.claimed_until == MONDAY + timedelta(hours=15) + RETRY_AFTER_FAILURE


async def test_broadcast_reaches_every_active_student_without_moving_schedules(env):
    for user_id in range(1, 4):
        await env.student(user_id)
    async with env.db.transaction() as session:
        await UserRepo(session).mark_blocked(3)
    before = (await env.row(1)).next_run_at
    counts = await env.service().broadcast(MONDAY + timedelta(hours=3))
    assert counts.sent == 2
    assert env.received() == {1: 1, 2: 1}
    assert (await env.row(1)).next_run_at == before


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL not set (CI sets it)")
async def test_two_senders_on_postgres_share_the_work_exactly_once(env, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("concurrent claims need PostgreSQL")
    for user_id in range(1, 61):
        await env.student(user_id)
    databases = [Database.open(db_url), Database.open(db_url)]  # two processes' connection pools
    try:
        services = [
            ReminderService(db, env.catalog, Sender(env.bot, rate=1000, per_chat_interval=0), env.compose, batch=5)
            for db in databases
        ]
        at = MONDAY + timedelta(hours=15)
        results = await asyncio.gather(*(service.deliver_due(at) for service in services))
    finally:
        for db in databases:
            await db.dispose()
    assert sum(r.sent for r in results) == 60
    assert env.received() == dict.fromkeys(range(1, 61), 1)
    async with env.db.read() as session:
        rows = (await session.scalars(select(ReminderSettings))).all()
        assert {r.next_run_at for r in rows} == {MONDAY + timedelta(days=7, hours=14)}


async def test_only_one_replica_sends_at_a_time_and_a_dead_holder_loses_the_lease(env, db_url):
    for user_id in range(1, 4):
        await env.student(user_id)
    at = MONDAY + timedelta(hours=15)
    other = Database.open(db_url)  # another replica
    try:
        theirs = Lease(other, REMINDER_SENDER, holder="other-replica")
        assert await theirs.acquire()
        assert await env.service().deliver_due_as_sender(at) is None  # this tick belongs to the other
        await theirs.release()
        assert (await env.service().deliver_due_as_sender(at)).sent == 3
        # A holder that died without releasing: its lease runs out and someone else sends.
        dead = Lease(other, REMINDER_SENDER, ttl=timedelta(seconds=-1), holder="dead-replica")
        assert await dead.acquire()
        assert await env.service().deliver_due_as_sender(at + timedelta(days=7)) is not None
    finally:
        await other.dispose()


async def test_grouped_completions_skip_claims_that_were_lost(env):
    """Completions are written in groups; a row whose claim another sender took over is left to that sender."""
    for user_id in (1, 2, 3):
        await env.student(user_id)
    at = MONDAY + timedelta(hours=15)
    async with env.db.transaction() as session:
        claimed = await ReminderRepo(session).claim_due(at, 10, LEASE, "first")
    assert [row.user_id for row in claimed] == [1, 2, 3]
    async with env.db.transaction() as session:  # the lease ran out and another sender claimed student 3
        await session.execute(update(ReminderSettings).where(ReminderSettings.user_id == 3).values(claim_token="other"))
    later = at + timedelta(days=7)
    async with env.db.transaction() as session:
        held = await ReminderRepo(session).complete_many(
            [
                Completion(1, "first", later, sent_at=at, nudged=True),
                Completion(2, "first", later, sent_at=None, nudged=False),  # skipped: nothing was sent
                Completion(3, "first", later, sent_at=at, nudged=False),
            ]
        )
    assert held == 2
    one, two, three = [await env.row(user_id) for user_id in (1, 2, 3)]
    assert (one.next_run_at, one.last_sent_at, one.last_nudge_at, one.claim_token) == (later, at, at, None)
    assert (two.next_run_at, two.last_sent_at, two.last_nudge_at) == (later, None, None)
    assert (three.next_run_at, three.claim_token) == (MONDAY + timedelta(hours=14), "other")


async def test_the_global_window_never_lets_more_than_the_rate_into_any_second():
    """Telegram's rule is "no more than R per second": the window keeps it for every second, not on average."""
    from bot.sender import SlidingWindow

    window, moments = SlidingWindow(rate=40), []

    async def send() -> None:
        async with window:
            moments.append(asyncio.get_running_loop().time())

    await asyncio.gather(*(send() for _ in range(100)))
    assert len(moments) == 100
    assert max(sum(1 for m in moments if start <= m < start + 1.0) for start in moments) <= 40
    assert moments[40] - moments[0] >= 1.0  # the 41st waited for the first to leave the window


async def test_stopping_the_bot_mid_run_records_the_batch_in_progress_and_claims_no_more(env):
    """A deploy's SIGTERM right after a tick began used to dispose of the database under the running batch:
    what it had sent was never recorded, and went out again once the leases ran out."""
    from bot.scheduler import ReminderScheduler

    now = datetime.now(UTC)  # the scheduler ticks on the real clock
    for user_id in range(1, 31):
        await env.student(user_id, now=now - timedelta(days=7))
    async with env.db.transaction() as session:
        await session.execute(update(ReminderSettings).values(next_run_at=now - timedelta(minutes=1)))
    first_send = asyncio.Event()
    real_call = env.telegram.make_request

    async def slow_call(bot, method, timeout=None):
        first_send.set()
        await asyncio.sleep(0.02)  # each send takes a while, as over the network
        return await real_call(bot, method, timeout)

    env.telegram.make_request = slow_call
    scheduler = ReminderScheduler(env.service(batch=10, concurrency=2), every_seconds=3600).start()
    await asyncio.wait_for(first_send.wait(), 10)  # the first tick is under way
    await scheduler.stop()
    first_run = env.received()
    assert 0 < sum(first_run.values()) <= 10  # the batch in progress finished; no new one was claimed
    async with env.db.read() as session:
        rows = (await session.scalars(select(ReminderSettings))).all()
    assert sum(1 for row in rows if row.claim_token is not None) == 0  # every claim completed or released
    # The next process sends the rest, and nobody twice.
    await env.service().deliver_due(now + timedelta(minutes=1))
    assert env.received() == dict.fromkeys(range(1, 31), 1)
