"""Weekly reminders: scheduling a user's slot, and delivering what is due exactly once.

`deliver_due(now)` claims due rows in batches, reads the batch's students in four queries, composes each
student's reminder (next items, progress, or a nudge after two quiet weeks), sends through the rate-limited
`Sender`, and advances the rows in groups (see `Completions`). The clock is
always passed in, so tests travel in time.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from coach.catalog import Catalog
from coach.market import MarketSnapshot
from coach.schedule import LATE_LIMIT, Schedule, is_dormant, is_too_late, needs_nudge, next_run
from coach.student import Profile, Student
from services.coaching import CoachService, Roadmap
from services.ui import Keyboard
from storage.db import Database
from storage.locks import REMINDER_SENDER, Lease
from storage.reminders import Completion, DueReminder, ReminderRepo
from storage.roadmap import RoadmapRepo
from storage.runs import DeliveryRunRepo
from storage.skills import UserSkillRepo
from storage.users import UserRepo

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
RETRY_AFTER_FAILURE = timedelta(minutes=10)
BATCH = 50
CONCURRENCY = 20
FLUSH_SIZE = 25
FLUSH_SECONDS = 0.25


class Delivery(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # 403 or chat gone: the user is marked inactive, never retried
    FAILED = "failed"  # network or server trouble that outlasted the retries: try again later


class Deliverer(Protocol):
    """Sends one unsolicited message within Telegram's limits (bot.sender.Sender). Never raises: whatever
    went wrong is that one chat's FAILED or BLOCKED."""

    async def send_message(self, chat_id: int, text: str, keyboard: Keyboard = ()) -> Delivery: ...


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
    keyboard: Keyboard
    nudge: bool


# Renders a reminder for one student: (student, roadmap, is_nudge) -> message, in the student's language.
Composer = Callable[[Student, Roadmap | None, bool], Awaitable[ReminderMessage | None]]


class ReminderService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog | CoachService,
        sender: Deliverer,
        compose: Composer,
        *,
        batch: int = BATCH,
        concurrency: int = CONCURRENCY,
        lease: timedelta = LEASE,
    ) -> None:
        self._db = db
        # The coach service that builds each student's roadmap (its rates included); a bare catalog gets one.
        self._coach = catalog if isinstance(catalog, CoachService) else CoachService(db, catalog)
        self._sender = sender
        self._compose = compose
        self._batch = batch
        self._slots = asyncio.Semaphore(concurrency)
        self._lease = lease
        self._markets: dict[str, MarketSnapshot] = {}
        self._stopping = False

    def stop_after_batch(self) -> None:
        """The process is stopping: a run in progress ends after its current batch (recorded), claims no more."""
        self._stopping = True

    async def deliver_due_as_sender(self, now: datetime) -> RunCounts | None:
        """`deliver_due`, by one replica at a time: Telegram's send limit is per bot, not per process, so
        with N replicas one of them sends (at the full rate) and the others skip the tick. None: skipped.
        The sender holds a lease row (renewed per batch), not a connection: nothing is held while it sends."""
        lease = Lease(self._db, REMINDER_SENDER)
        if not await lease.acquire():
            return None
        started = datetime.now(UTC)
        try:
            counts = await self.deliver_due(now, renew=lease.acquire)
        finally:
            await lease.release()
        await self.record_run(started, counts)
        return counts

    async def record_run(self, started: datetime, counts: RunCounts, kind: str = "reminders") -> None:
        """Keep a run's counts for the operator's console (a tick that found nothing due is not kept)."""
        if not (counts.sent or counts.skipped or counts.failed or counts.blocked):
            return
        async with self._db.transaction() as session:
            await DeliveryRunRepo(session).record(
                kind, started, datetime.now(UTC), sent=counts.sent, skipped=counts.skipped, failed=counts.failed,
                blocked=counts.blocked,
            )  # fmt: skip

    async def deliver_due(self, now: datetime, renew: Callable[[], Awaitable[bool]] | None = None) -> RunCounts:
        """Deliver every reminder due at `now`; claims are per batch, so several senders can share the work."""
        self._markets.clear()  # one snapshot per role per run: the market does not change between students
        counts = RunCounts()
        token = uuid.uuid4().hex
        while not self._stopping:
            if renew is not None and not await renew():
                log.warning("the reminder sender's lease was lost; another replica goes on")
                return counts
            async with self._db.transaction() as session:
                claimed = await ReminderRepo(session).claim_due(now, self._batch, self._lease, token)
            if not claimed:
                return counts
            loaded = await self._load([row.user_id for row in claimed], now)
            completions = Completions(self._db)
            try:
                async with asyncio.TaskGroup() as group:
                    for row in claimed:
                        group.create_task(self._deliver(row, now, counts, *loaded[row.user_id], completions))
            finally:  # what was sent is recorded even if a send failed unexpectedly or the run was stopped
                await completions.flush()
        return counts

    async def _deliver(
        self, row: DueReminder, now: datetime, counts: RunCounts, user: Student | None, roadmap: Roadmap | None,
        completions: Completions,
    ) -> None:  # fmt: skip
        try:
            await self._deliver_one(row, now, counts, user, roadmap, completions)
        except Exception:
            # One student's trouble (a message that cannot be composed, an unexpected answer) is theirs alone:
            # the rest of the batch goes on, and this row is tried again later.
            log.exception("reminder for %s failed", row.user_id)
            counts.failed += 1
            async with self._db.transaction() as session:
                await ReminderRepo(session).release(row.user_id, row.token, now + RETRY_AFTER_FAILURE)

    async def _deliver_one(
        self, row: DueReminder, now: datetime, counts: RunCounts, user: Student | None, roadmap: Roadmap | None,
        completions: Completions,
    ) -> None:  # fmt: skip
        async with self._slots:
            slot = Schedule(row.weekday, row.hour, row.timezone)
            last_activity = _last_activity(row, roadmap)

            async def complete(next_at: datetime, sent_at: datetime | None = None, nudged: bool = False) -> None:
                await completions.add(Completion(row.user_id, row.token, next_at, sent_at, nudged))

            if is_too_late(row.next_run_at, now) and (latest := next_run(slot, now - LATE_LIMIT)) > now:
                # Missed by more than a day (the bot was down, or the student was away): not sent late, and not
                # lost either — the row moves to its next slot.
                counts.skipped += 1
                return await complete(latest)
            if user is None or is_dormant(last_activity, row.last_nudge_at, now):
                counts.skipped += 1
                return await complete(next_run(slot, now))
            nudge = needs_nudge(last_activity, row.last_nudge_at, now)
            message = await self._compose(user, roadmap, nudge)
            if message is None:  # nothing worth saying (no profile yet)
                counts.skipped += 1
                return await complete(next_run(slot, now))
            delivery = await self._send(row.user_id, message, counts)
            if delivery is Delivery.SENT:
                return await complete(next_run(slot, now, last_sent=now), sent_at=now, nudged=message.nudge)
            # Blocked users are not claimed again; a failure is retried after a pause.
            retry_at = now if delivery is Delivery.BLOCKED else now + RETRY_AFTER_FAILURE
            async with self._db.transaction() as session:
                await ReminderRepo(session).release(row.user_id, row.token, retry_at)

    async def _load(self, user_ids: list[int], now: datetime) -> dict[int, tuple[Student | None, Roadmap | None]]:
        """Students and their roadmaps for a whole batch, in four queries rather than four per student."""
        async with self._db.read() as session:
            users = await UserRepo(session).get_many(user_ids)
            skills = await UserSkillRepo(session).get_many(user_ids)
            items = await RoadmapRepo(session).items_many(user_ids)
        loaded: dict[int, tuple[Student | None, Roadmap | None]] = {}
        for user_id in user_ids:
            user = users.get(user_id)
            if user is None or user.role_id is None:
                loaded[user_id] = (user, None)
                continue
            key = f"{user.role_id}:{user.stack or ''}"
            if key not in self._markets:
                self._markets[key] = await self._coach.market(user.role_id, user.stack)
            have, want = skills[user_id]
            profile = Profile(user, frozenset(have), tuple(want))
            roadmap = self._coach.roadmap_of(profile, items[user_id], self._markets[key], now)
            loaded[user_id] = (user, roadmap)
        return loaded

    async def _send(self, user_id: int, message: ReminderMessage, counts: RunCounts) -> Delivery:
        """Send through the rate-limited sender, count the outcome, and mark a user who blocked the bot."""
        delivery = await self._sender.send_message(user_id, message.text, message.keyboard)
        if delivery is Delivery.SENT:
            counts.sent += 1
        elif delivery is Delivery.BLOCKED:
            counts.blocked += 1
            async with self._db.transaction() as session:
                await UserRepo(session).mark_blocked(user_id)
        else:
            counts.failed += 1
        return delivery

    async def broadcast(self, now: datetime) -> RunCounts:
        """A reminder to every active student now, leaving everyone's schedule as it is (operators' tool)."""
        self._markets.clear()
        counts = RunCounts()
        async with self._db.read() as session:
            user_ids = await ReminderRepo(session).active_user_ids()

        async def one(user: Student | None, roadmap: Roadmap | None) -> None:
            async with self._slots:
                message = await self._compose(user, roadmap, False) if user else None
                if message is None:
                    counts.skipped += 1
                    return
                await self._send(user.id, message, counts)

        for start in range(0, len(user_ids), self._batch):
            loaded = await self._load(user_ids[start : start + self._batch], now)
            async with asyncio.TaskGroup() as group:
                for user, roadmap in loaded.values():
                    group.create_task(one(user, roadmap))
        return counts


class Completions:
    """Completed claims, written together: one transaction per group instead of one per student.

    A group is written once it is FLUSH_SIZE long or its oldest entry FLUSH_SECONDS old, and at the end of each
    batch — so a crash can repeat at most that many already-sent reminders (their leases run out and they are
    claimed again), a window of a fraction of a second at any rate.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._pending: list[Completion] = []
        self._since = 0.0
        self._writing = asyncio.Lock()

    async def add(self, completion: Completion) -> None:
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append(completion)
        if len(self._pending) >= FLUSH_SIZE or time.monotonic() - self._since >= FLUSH_SECONDS:
            await self.flush()

    async def flush(self) -> None:
        async with self._writing:
            group, self._pending = self._pending, []
            if not group:
                return
            async with self._db.transaction() as session:
                held = await ReminderRepo(session).complete_many(group)
            if held < len(group):
                log.warning("%d reminder claims expired before completion", len(group) - held)


def _last_activity(row: DueReminder, roadmap: Roadmap | None) -> datetime | None:
    moments = [row.last_seen_at] + ([i.done_at for i in roadmap.items] if roadmap else [])
    known = [m for m in moments if m is not None]
    return max(known) if known else None
