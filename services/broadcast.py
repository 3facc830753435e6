"""An operator's broadcast: one message to every student who has not blocked the bot, through the
rate-limited sender (`Deliverer`), so the whole bot stays within Telegram's limits.

Unsolicited messages share one budget per bot, not per process: the broadcast takes the same lease as the
reminder sender (`storage.locks.REMINDER_SENDER`), so no replica sends reminders while another broadcasts (in
one process the two share one sender, and with it the rate). It reads the audience in pages, never holds a
transaction while it sends, marks students who blocked the bot, and records its counts for the console.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from services.reminders import Deliverer, Delivery, RunCounts
from storage.db import Database
from storage.locks import REMINDER_SENDER, Lease
from storage.runs import DeliveryRunRepo
from storage.users import UserRepo

log = logging.getLogger(__name__)

PAGE = 200  # students read at a time
CONCURRENCY = 20  # sends in flight; the sender's rate limit spaces them
LEASE = timedelta(minutes=2)
LEASE_WAIT = timedelta(minutes=15)  # how long a broadcast waits for another replica's reminder run to end
POLL_SECONDS = 2.0

Report = Callable[[RunCounts], str]  # the operator's note when it is done, in their language


class BroadcastService:
    def __init__(self, db: Database, deliverer: Deliverer | None = None, rate: float = 30.0) -> None:
        self._db = db
        self._deliverer = deliverer
        self.rate = rate  # messages per second the deliverer keeps to (for the operator's estimate)
        self._task: asyncio.Task | None = None

    def attach(self, deliverer: Deliverer) -> None:
        """The sender to deliver through (it needs the bot, which exists only once the bot starts)."""
        self._deliverer = deliverer

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def audience(self) -> int:
        """How many students a broadcast would reach now."""
        async with self._db.read() as session:
            return await UserRepo(session).count_active()

    def start(self, text: str, report_to: int | None = None, report: Report | None = None) -> bool:
        """Send `text` (HTML) to every active student in the background, then tell `report_to` how it went;
        False when a broadcast is running already."""
        if self.running or self._deliverer is None:
            return False
        # A context of its own: not the update's (its database scope, its language) that started it.
        work = self._background(text, report_to, report)
        self._task = asyncio.create_task(work, name="broadcast", context=contextvars.Context())
        return True

    async def join(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        if self.running:
            assert self._task is not None
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _background(self, text: str, report_to: int | None, report: Report | None) -> None:
        try:
            counts = await self.send(text)
        except Exception:
            log.exception("the broadcast failed")
            return
        if report_to is not None and report is not None and self._deliverer is not None:
            await self._deliverer.send_message(report_to, report(counts))

    async def send(self, text: str) -> RunCounts:
        """Deliver `text` to every active student now; returns the counts (also recorded)."""
        assert self._deliverer is not None, "attach a deliverer first"
        lease = Lease(self._db, REMINDER_SENDER, ttl=LEASE)
        waited = 0.0
        while not await lease.acquire():
            if waited >= LEASE_WAIT.total_seconds():
                raise TimeoutError("another replica kept sending reminders; the broadcast did not start")
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
        started = datetime.now(UTC)
        counts = RunCounts()
        slots = asyncio.Semaphore(CONCURRENCY)
        try:
            after = -1
            while True:
                await lease.acquire()  # renewed per page
                async with self._db.read() as session:
                    ids = await UserRepo(session).active_ids(after, PAGE)
                if not ids:
                    break
                after = ids[-1]
                blocked = await self._page(text, ids, counts, slots)
                if blocked:
                    async with self._db.transaction() as session:
                        for user_id in blocked:
                            await UserRepo(session).mark_blocked(user_id)
        finally:
            await lease.release()
            async with self._db.transaction() as session:
                await DeliveryRunRepo(session).record(
                    "broadcast", started, datetime.now(UTC), sent=counts.sent, skipped=counts.skipped,
                    failed=counts.failed, blocked=counts.blocked,
                )  # fmt: skip
            log.info("broadcast: %s", counts)
        return counts

    async def _page(self, text: str, ids: list[int], counts: RunCounts, slots: asyncio.Semaphore) -> list[int]:
        """Send to one page of students; returns those who blocked the bot."""
        deliverer = self._deliverer
        assert deliverer is not None
        blocked: list[int] = []

        async def one(user_id: int) -> None:
            async with slots:
                delivery = await deliverer.send_message(user_id, text)
            if delivery is Delivery.SENT:
                counts.sent += 1
            elif delivery is Delivery.BLOCKED:
                counts.blocked += 1
                blocked.append(user_id)
            else:
                counts.failed += 1

        async with asyncio.TaskGroup() as group:
            for user_id in ids:
                group.create_task(one(user_id))
        return blocked
