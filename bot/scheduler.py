"""APScheduler 3 runs one interval job: deliver the reminders that are due.

The scheduler never holds per-user jobs — the database rows do (`reminders.next_run_at`), so nothing is
lost when the process restarts and several processes can share the work. The job starts in the dispatcher's
startup hook (inside the running loop), has a fixed id with replace_existing, runs at most one instance at a
time, and coalesces ticks missed while the loop was busy.
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
from handlers.reminders import make_composer
from services.coaching import CoachService, Rates
from services.reminders import ReminderService
from storage.db import Database

log = logging.getLogger(__name__)


def rates_from(settings: Settings) -> Rates:
    return Rates(dict(settings.currency_rates), settings.currency_rates_date)


JOB_ID = "deliver-due-reminders"
STOP_TIMEOUT_SECONDS = 20.0  # a batch of 50 at 30 msg/s takes under 2 s; a 429 pause can add more


def reminder_service(
    bot: Bot, settings: Settings, db: Database, catalog: Catalog, i18n: I18n, coach: CoachService | None = None
) -> ReminderService:
    sender = Sender(bot, rate=settings.send_rate, per_chat_interval=settings.send_per_chat_interval)
    coach = coach or CoachService(db, catalog, rates_from(settings))
    return ReminderService(db, coach, sender, make_composer(catalog, i18n))


class ReminderScheduler:
    """The interval job, and a stop that lets the run in progress finish its batch before the database goes.

    Stopping the bot right after a tick began used to dispose of the engine under the running batch: its
    completions were never written, so after the lease those already-sent reminders went out again.
    """

    def __init__(self, service: ReminderService, every_seconds: float, metrics: Metrics | None = None) -> None:
        self._service = service
        self._metrics = metrics
        self._running: asyncio.Task | None = None
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._scheduler.add_job(
            self._tick,
            "interval",
            seconds=every_seconds,
            id=JOB_ID,
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
        if self._running is not None and not self._running.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._running), timeout)
            except TimeoutError:
                log.warning("the reminder run did not finish its batch within %ss", timeout)
        self._scheduler.shutdown(wait=False)

    async def _tick(self) -> None:
        self._running = asyncio.current_task()
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
