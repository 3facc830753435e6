"""APScheduler 3 runs one interval job: deliver the reminders that are due.

The scheduler never holds per-user jobs — the database rows do (`reminders.next_run_at`), so nothing is
lost when the process restarts and several processes can share the work. The job starts in the dispatcher's
startup hook (inside the running loop), has a fixed id with replace_existing, runs at most one instance at a
time, and coalesces ticks missed while the loop was busy.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.observability import Metrics
from bot.sender import Sender
from coach.catalog import Catalog
from handlers.reminders import make_composer
from services.reminders import ReminderService

log = logging.getLogger(__name__)
JOB_ID = "deliver-due-reminders"


def reminder_service(
    bot: Bot, settings: Settings, pool: async_sessionmaker[AsyncSession], catalog: Catalog, i18n: I18n
) -> ReminderService:
    sender = Sender(bot, rate=settings.send_rate, per_chat_interval=settings.send_per_chat_interval)
    return ReminderService(pool, catalog, sender, make_composer(catalog, i18n))


def start_scheduler(service: ReminderService, every_seconds: float, metrics: Metrics | None = None) -> AsyncIOScheduler:
    async def tick() -> None:
        started = time.perf_counter()
        counts = await service.deliver_due_as_sender(datetime.now(UTC))
        if counts is None:
            return  # another replica is sending
        if metrics is not None:
            metrics.reminders.inc(counts.sent)
            metrics.blocked.inc(counts.blocked)
        if counts.sent or counts.failed or counts.blocked or counts.skipped:
            log.info(
                "reminder batch sent=%s skipped=%s failed=%s blocked=%s seconds=%.1f",
                counts.sent, counts.skipped, counts.failed, counts.blocked, time.perf_counter() - started,
            )  # fmt: skip

    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        tick,
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
    scheduler.start()
    return scheduler
