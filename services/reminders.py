"""Weekly reminders: scheduling a user's slot, and delivering what is due exactly once.

`deliver_due(now)` claims due rows in batches, composes each student's reminder (next items, progress, or a
nudge after two quiet weeks), sends through the rate-limited `Sender`, and advances the row. The clock is
always passed in, so tests travel in time.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coach.catalog import Catalog
from coach.market import MarketSnapshot
from coach.schedule import LATE_LIMIT, Schedule, is_dormant, is_too_late, needs_nudge, next_run
from services.coaching import CoachService, Roadmap
from storage.locks import REMINDER_SENDER, exclusive
from storage.reminders import DueReminder, ReminderRepo
from storage.users import UserDTO, UserRepo

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
RETRY_AFTER_FAILURE = timedelta(minutes=10)
BATCH = 50
CONCURRENCY = 20


class Delivery(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # 403 or chat gone: the user is marked inactive, never retried
    FAILED = "failed"  # network or server trouble that outlasted the retries: try again later


class Deliverer(Protocol):
    """Sends one unsolicited message within Telegram's limits (bot.sender.Sender)."""

    async def send_message(
        self, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
    ) -> Delivery: ...


@dataclass
class RunCounts:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    blocked: int = 0

    def __str__(self) -> str:
        return f"sent {self.sent}, skipped {self.skipped}, failed {self.failed}, blocked {self.blocked}"


@dataclass(frozen=True)
class ReminderMessage:
    text: str
    markup: InlineKeyboardMarkup | None
    nudge: bool


# Renders a reminder for one user: (user, roadmap, is_nudge) -> message, in the user's language.
Composer = Callable[[UserDTO, Roadmap | None, bool], Awaitable[ReminderMessage | None]]


class ReminderService:
    def __init__(
        self,
        pool: async_sessionmaker[AsyncSession],
        catalog: Catalog,
        sender: Deliverer,
        compose: Composer,
        *,
        batch: int = BATCH,
        concurrency: int = CONCURRENCY,
        lease: timedelta = LEASE,
    ) -> None:
        self._pool = pool
        self._catalog = catalog
        self._sender = sender
        self._compose = compose
        self._batch = batch
        self._slots = asyncio.Semaphore(concurrency)
        self._lease = lease
        self._markets: dict[str, MarketSnapshot] = {}

    async def deliver_due_as_sender(self, now: datetime) -> RunCounts | None:
        """`deliver_due`, by one replica at a time: Telegram's send limit is per bot, not per process, so
        with N replicas one of them sends (at the full rate) and the others skip the tick. None: skipped."""
        async with exclusive(self._pool.kw["bind"], REMINDER_SENDER) as sender:
            return await self.deliver_due(now) if sender else None

    async def deliver_due(self, now: datetime) -> RunCounts:
        """Deliver every reminder due at `now`; claims are per batch, so several senders can share the work."""
        self._markets.clear()  # one snapshot per role per run: the market does not change between students
        counts = RunCounts()
        token = uuid.uuid4().hex
        while True:
            async with self._pool.begin() as session:
                claimed = await ReminderRepo(session).claim_due(now, self._batch, self._lease, token)
            if not claimed:
                return counts
            async with asyncio.TaskGroup() as group:
                for row in claimed:
                    group.create_task(self._deliver(row, now, counts))

    async def _deliver(self, row: DueReminder, now: datetime, counts: RunCounts) -> None:
        async with self._slots:
            slot = Schedule(row.weekday, row.hour, row.timezone)
            user, roadmap = await self._load(row.user_id)
            last_activity = _last_activity(row, roadmap)
            if is_too_late(row.next_run_at, now) and (latest := next_run(slot, now - LATE_LIMIT)) > now:
                # Missed by more than a day (the bot was down, or the student was away): not sent late, and not
                # lost either — the row moves to its next slot.
                counts.skipped += 1
                await self._complete(row, latest, sent_at=None, nudged=False)
                return
            if user is None or is_dormant(last_activity, row.last_nudge_at, now):
                counts.skipped += 1
                await self._complete(row, next_run(slot, now), sent_at=None, nudged=False)
                return
            nudge = needs_nudge(last_activity, row.last_nudge_at, now)
            message = await self._compose(user, roadmap, nudge)
            if message is None:  # nothing worth saying (no profile yet)
                counts.skipped += 1
                await self._complete(row, next_run(slot, now), sent_at=None, nudged=False)
                return
            delivery = await self._send(row.user_id, message, counts)
            if delivery is Delivery.SENT:
                await self._complete(row, next_run(slot, now, last_sent=now), sent_at=now, nudged=message.nudge)
            else:  # blocked users are not claimed again; a failure is retried after a pause
                retry_at = now if delivery is Delivery.BLOCKED else now + RETRY_AFTER_FAILURE
                async with self._pool.begin() as session:
                    await ReminderRepo(session).release(row.user_id, row.token, retry_at)

    async def _load(self, user_id: int) -> tuple[UserDTO | None, Roadmap | None]:
        async with self._pool() as session:
            user = await UserRepo(session).get(user_id)
            return user, (await self._roadmap(session, user) if user else None)

    async def _send(self, user_id: int, message: ReminderMessage, counts: RunCounts) -> Delivery:
        """Send through the rate-limited sender, count the outcome, and mark a user who blocked the bot."""
        delivery = await self._sender.send_message(user_id, message.text, message.markup)
        if delivery is Delivery.SENT:
            counts.sent += 1
        elif delivery is Delivery.BLOCKED:
            counts.blocked += 1
            async with self._pool.begin() as session:
                await UserRepo(session).mark_blocked(user_id)
        else:
            counts.failed += 1
        return delivery

    async def _roadmap(self, session: AsyncSession, user: UserDTO) -> Roadmap | None:
        service = CoachService(session, self._catalog)
        profile = await service.profile(user)
        if not profile.complete or user.role_id is None:
            return None
        if user.role_id not in self._markets:
            self._markets[user.role_id] = await service.market(user.role_id)
        return await service.roadmap(profile, market=self._markets[user.role_id])

    async def _complete(self, row: DueReminder, next_at: datetime, *, sent_at: datetime | None, nudged: bool) -> None:
        async with self._pool.begin() as session:
            if not await ReminderRepo(session).complete(
                row.user_id, row.token, next_run_at=next_at, sent_at=sent_at, nudged=nudged
            ):
                log.warning("reminder claim for %s expired before completion", row.user_id)

    async def broadcast(self, now: datetime) -> RunCounts:
        """A reminder to every active user now, leaving everyone's schedule as it is (operators' tool)."""
        self._markets.clear()
        counts = RunCounts()
        async with self._pool() as session:
            user_ids = await ReminderRepo(session).active_user_ids()

        async def one(user_id: int) -> None:
            async with self._slots:
                user, roadmap = await self._load(user_id)
                message = await self._compose(user, roadmap, False) if user else None
                if message is None:
                    counts.skipped += 1
                    return
                await self._send(user_id, message, counts)

        async with asyncio.TaskGroup() as group:
            for user_id in user_ids:
                group.create_task(one(user_id))
        return counts


def _last_activity(row: DueReminder, roadmap: Roadmap | None) -> datetime | None:
    moments = [row.last_seen_at] + ([i.done_at for i in roadmap.items] if roadmap else [])
    known = [m for m in moments if m is not None]
    return max(known) if known else None
