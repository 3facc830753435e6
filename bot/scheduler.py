"""APScheduler 3 runs the interval jobs: deliver the reminders that are due, the classes' messages that are due
(teachers' weekly digests, nudges to stuck students), and (HH_SYNC) sync postings from hh when a slot of its
schedule has passed.

The scheduler never holds per-user jobs — the database rows do (`reminders.next_run_at`,
`classes.digest_next_run_at`, `class_members.nudge_due_at`), so nothing is lost when the process restarts and
several processes can share the work. The jobs start in the dispatcher's startup hook (inside the running
loop), have fixed ids with replace_existing, run at most one instance at a time, and coalesce ticks missed
while the loop was busy. Reminders and classes' messages take turns (never both at once) and share one
rate-limited sender (broadcasts too) and the sender's lease, so the bot as a whole stays within Telegram's
send limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.config import Settings
from bot.observability import Metrics
from bot.sender import Sender
from coach.catalog import Catalog
from handlers.classes import make_composers
from handlers.reminders import make_composer
from services.classes import ClassDeliveries, ClassService
from services.coaching import CoachService, Rates
from services.reminders import ReminderService
from services.sync import RoleCounts, SyncProblem, SyncService, SyncSummary
from storage.db import Database

log = logging.getLogger(__name__)


def rates_from(settings: Settings) -> Rates:
    return Rates(dict(settings.currency_rates), settings.currency_rates_date)


JOB_ID = "deliver-due-reminders"
CLASS_JOB_ID = "deliver-due-class-messages"
STOP_TIMEOUT_SECONDS = 20.0  # a batch of 50 at 30 msg/s takes under 2 s; a 429 pause can add more


def create_sender(bot: Bot, settings: Settings) -> Sender:
    """The process's one rate-limited sender: reminders, classes' messages and broadcasts share its budget."""
    return Sender(bot, rate=settings.send_rate, per_chat_interval=settings.send_per_chat_interval)


def reminder_service(
    bot: Bot, settings: Settings, db: Database, catalog: Catalog, i18n: I18n, coach: CoachService | None = None,
    sender: Sender | None = None,
) -> ReminderService:  # fmt: skip
    coach = coach or CoachService(db, catalog, rates_from(settings))
    return ReminderService(db, coach, sender or create_sender(bot, settings), make_composer(catalog, i18n))


def class_deliveries(db: Database, catalog: Catalog, i18n: I18n, classes: ClassService, sender: Sender
                     ) -> ClassDeliveries:  # fmt: skip
    digest, nudge = make_composers(catalog, i18n)
    return ClassDeliveries(db, classes, sender, digest, nudge)


class ReminderScheduler:
    """The interval job, and a stop that lets the run in progress finish its batch before the database goes.

    Stopping the bot right after a tick began used to dispose of the engine under the running batch: its
    completions were never written, so after the lease those already-sent reminders went out again.
    """

    def __init__(
        self, service: ReminderService, every_seconds: float, metrics: Metrics | None = None,
        classes: ClassDeliveries | None = None,
    ) -> None:  # fmt: skip
        self._service = service
        self._classes = classes
        self._metrics = metrics
        self._running: set[asyncio.Task] = set()
        self._turn = asyncio.Lock()  # the two jobs take turns: one sender, one lease, never two runs at once
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        jobs = [(JOB_ID, self._tick)] + ([(CLASS_JOB_ID, self._class_tick)] if classes is not None else [])
        for job_id, job in jobs:
            self._scheduler.add_job(
                job,
                "interval",
                seconds=every_seconds,
                id=job_id,
                replace_existing=True,
                max_instances=1,
                coalesce=True,
                # The default grace of 1 s would drop a tick the busy loop started late; rows carry the real state.
                misfire_grace_time=None,
                next_run_time=datetime.now(UTC),
            )

    def start(self) -> ReminderScheduler:
        self._scheduler.start()
        return self

    async def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """No more ticks; the run in progress stops after its current batch, which is recorded. (APScheduler's
        shutdown cancels a running job, so it comes last.)"""
        self._scheduler.pause()
        self._service.stop_after_batch()
        if self._classes is not None:
            self._classes.stop_after_batch()
        running = [task for task in self._running if not task.done()]
        if running:
            try:
                await asyncio.wait_for(asyncio.shield(asyncio.gather(*running, return_exceptions=True)), timeout)
            except TimeoutError:
                log.warning("the reminder run did not finish its batch within %ss", timeout)
        self._scheduler.shutdown(wait=False)

    def _track(self) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _class_tick(self) -> None:
        """Teachers' digests and nudges that are due (after the reminders' turn, if one is running)."""
        self._track()
        assert self._classes is not None
        async with self._turn:
            started = time.perf_counter()
            counts = await self._classes.deliver_due_as_sender(datetime.now(UTC))
        if counts is not None and (counts.sent or counts.failed or counts.blocked or counts.skipped):
            log.info(
                "class messages sent=%s skipped=%s failed=%s blocked=%s seconds=%.1f",
                counts.sent, counts.skipped, counts.failed, counts.blocked, time.perf_counter() - started,
            )  # fmt: skip

    async def _tick(self) -> None:
        self._track()
        async with self._turn:
            started = time.perf_counter()
            counts = await self._service.deliver_due_as_sender(datetime.now(UTC))
        if counts is None:
            return  # another replica is sending
        if self._metrics is not None:
            self._metrics.reminders.inc(counts.sent)
            self._metrics.blocked.inc(counts.blocked)
        if counts.sent or counts.failed or counts.blocked or counts.skipped:
            log.info(
                "reminder batch sent=%s skipped=%s failed=%s blocked=%s seconds=%.1f",
                counts.sent, counts.skipped, counts.failed, counts.blocked, time.perf_counter() - started,
            )  # fmt: skip


SYNC_JOB_ID = "sync-postings-when-due"
SYNC_CHECK_SECONDS = 600.0  # how often the bot looks whether a scheduled sync is due
SYNC_FIRST_CHECK_SECONDS = 5.0  # after start-up: once the bot is ready (a fresh install syncs at once)


def next_slot(schedule: str, zone: str) -> Callable[[datetime], datetime | None]:
    """The first moment of the crontab `schedule` (in `zone`) after a given one."""
    trigger = CronTrigger.from_crontab(schedule, timezone=ZoneInfo(zone))

    def after(moment: datetime) -> datetime | None:
        return trigger.get_next_fire_time(None, moment + timedelta(seconds=1))

    return after


class SyncScheduler:
    """The scheduled postings sync (HH_SYNC): every ten minutes the bot looks whether a slot of
    HH_SYNC_SCHEDULE has passed since the last run began (or a run was interrupted) and, if so, syncs — one
    replica at a time (the sync's lease). The rows carry the state, so a restart neither loses nor repeats a
    week's sync."""

    def __init__(self, service: SyncService, schedule: str, zone: str,
                 every_seconds: float = SYNC_CHECK_SECONDS) -> None:  # fmt: skip
        self._service = service
        self._next = next_slot(schedule, zone)
        self._running: asyncio.Task | None = None
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._scheduler.add_job(
            self._check, "interval", seconds=every_seconds, id=SYNC_JOB_ID, replace_existing=True, max_instances=1,
            coalesce=True, misfire_grace_time=None,
            next_run_time=datetime.now(UTC) + timedelta(seconds=SYNC_FIRST_CHECK_SECONDS),
        )  # fmt: skip

    def start(self) -> SyncScheduler:
        self._scheduler.start()
        return self

    async def stop(self) -> None:
        """No more checks; a sync in progress stops (its cursor keeps what it did: the next run goes on)."""
        self._scheduler.pause()
        if self._running is not None and not self._running.done():
            self._running.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._running
        self._scheduler.shutdown(wait=False)

    async def _check(self) -> None:
        self._running = asyncio.current_task()
        try:
            summary = await self._service.run_if_due(datetime.now(UTC), self._next)
        except SyncProblem as problem:
            log.warning("scheduled postings sync did not finish: %s", problem.line)
            return
        if summary is not None:
            log.info("scheduled postings sync %s (run %s)", summary.status, summary.run_id)


def count_synced(metrics: Metrics) -> Callable[[SyncSummary, RoleCounts], None]:
    """The sync's observer: what each run did, on /metrics (coach_sync_postings_total by outcome)."""

    def observe(_: SyncSummary, done: RoleCounts) -> None:
        for outcome in ("fetched", "added", "updated", "expired", "failed"):
            if value := getattr(done, outcome):
                metrics.synced.labels(outcome=outcome).inc(value)

    return observe
