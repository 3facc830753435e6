"""What an operator sees: one log line per update (type, user, handling time, outcome) and the bot's own
counters, exposed in Prometheus text format on /metrics (bot.health) in every mode."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import func, select

log = logging.getLogger("bot.updates")


class Metrics:
    """The bot's counters, in a registry of its own (tests and replicas in one process stay apart)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter("coach_updates", "Updates handled, by type", ["type"], registry=self.registry)
        self.errors = Counter("coach_update_errors", "Updates whose handler failed", registry=self.registry)
        self.seconds = Histogram(
            "coach_update_seconds",
            "Time to handle one update",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.reminders = Counter("coach_reminders_sent", "Reminders delivered", registry=self.registry)
        self.reminders_failed = Counter(
            "coach_reminders_failed", "Reminders that could not be delivered (retried later)", registry=self.registry
        )
        self.blocked = Counter("coach_users_blocked", "Users found to have blocked the bot", registry=self.registry)
        self.synced = Counter(
            "coach_sync_postings", "Postings the hh sync fetched, by outcome", ["outcome"], registry=self.registry
        )
        self.newest_posting_age = Gauge(
            "coach_newest_posting_age_seconds", "Age of the newest stored posting (by publication)",
            registry=self.registry,
        )  # fmt: skip
        # The process (memory, CPU, open files) and the interpreter (GC, version), as Prometheus's default
        # registry has them.
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            self.registry.register(collector)

    async def refresh(self, db) -> None:
        """Figures read from the database when /metrics is scraped."""
        from datetime import UTC, datetime

        from storage.models import Posting

        async with db.read() as session:
            newest = await session.scalar(select(func.max(Posting.published_at)))
        if newest is not None:
            self.newest_posting_age.set((datetime.now(UTC) - newest).total_seconds())

    def render(self) -> bytes:
        return generate_latest(self.registry)


class UpdateLogMiddleware(BaseMiddleware):
    """Outermost: times every update and writes one logfmt line for it."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    async def __call__(
        self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], event: TelegramObject, data: dict
    ) -> Any:
        assert isinstance(event, Update)
        kind = event.event_type
        sender = data.get("event_from_user")
        started = time.perf_counter()
        outcome = "ok"
        try:
            return await handler(event, data)
        except Exception:
            outcome = "error"
            self._metrics.errors.inc()
            raise
        finally:
            elapsed = time.perf_counter() - started
            self._metrics.updates.labels(type=kind).inc()
            self._metrics.seconds.observe(elapsed)
            log.info(
                "update id=%s type=%s user=%s ms=%.1f outcome=%s",
                event.update_id,
                kind,
                sender.id if sender else "-",
                elapsed * 1000,
                outcome,
            )
