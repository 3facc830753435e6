"""APScheduler 3 runs two interval jobs: deliver the reminders that are due, and the classes' messages that
are due (teachers' weekly digests, nudges to stuck students).

The scheduler never holds per-user jobs — the database rows do (`reminders.next_run_at`,
`classes.digest_next_run_at`, `class_members.nudge_due_at`), so nothing is lost when the process restarts and
several processes can share the work. The jobs start in the dispatcher's startup hook (inside the running
loop), have fixed ids with replace_existing, run at most one instance at a time, and coalesce ticks missed
while the loop was busy. The two take turns (never both at once) and share one rate-limited sender and the
sender's lease, so the bot as a whole stays within Telegram's send limit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.observability import Metrics
from bot.sender import Sender
from coach.catalog import Catalog
from handlers.classes import make_composers
from handlers.reminders import make_composer
from services.classes import ClassDeliveries, ClassService
from services.coaching import CoachService, Rates
from services.reminders import ReminderService
from storage.db import Database

log = logging.getLogger(__name__)


def rates_from(settings: Settings) -> Rates:
    return Rates(dict(settings.currency_rates), settings.currency_rates_date)


JOB_ID = "deliver-due-reminders"
CLASS_JOB_ID = "deliver-due-class-messages"
STOP_TIMEOUT_SECONDS = 20.0  # a batch of 50 at 30 msg/s takes under 2 s; a 429 pause can add more


def sender_for(bot: Bot, settings: Settings) -> Sender:
    return Sender(bot, rate=settings.send_rate, per_chat_interval=settings.send_per_chat_interval)


def reminder_service(
    bot: Bot, settings: Settings, db: Database, catalog: Catalog, i18n: I18n, coach: CoachService | None = None,
    sender: Sender | None = None,
) -> ReminderService:  # fmt: skip
    coach = coach or CoachService(db, catalog, rates_from(settings))
    return ReminderService(db, coach, sender or sender_for(bot, settings), make_composer(catalog, i18n))


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
