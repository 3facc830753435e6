"""The operator's console: who may use it, and what it shows — students, postings per role with their dates,
the last postings sync, reminders of the last week and the last broadcast — read in one short read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.broadcast import BroadcastService
from services.sync import SyncService, SyncSummary
from storage.db import Database
from storage.runs import DeliveryRunRepo, DeliveryTotals
from storage.stats import RolePostings, StatsRepo, StudentCounts
from storage.sync import SyncRepo

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Overview:
    students: StudentCounts
    postings: list[RolePostings]
    sources: dict[str, int]
    sync: SyncSummary | None  # the last run
    sync_running: bool
    sync_problem: str | None  # why a sync cannot start with these settings
    reminders: DeliveryTotals  # the last seven days
    broadcast: DeliveryTotals | None  # the last one
    broadcasting: bool


class AdminService:
    def __init__(self, db: Database, admin_ids: frozenset[int], sync: SyncService, broadcasts: BroadcastService
                 ) -> None:  # fmt: skip
        self._db = db
        self._admins = frozenset(admin_ids)
        self._sync = sync
        self._broadcasts = broadcasts

    @property
    def admin_ids(self) -> frozenset[int]:
        return self._admins

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self._admins

    async def overview(self, now: datetime | None = None) -> Overview:
        moment = now or datetime.now(UTC)
        async with self._db.read() as session:
            stats, runs = StatsRepo(session), DeliveryRunRepo(session)
            students = await stats.students(moment - WEEK)
            postings = await stats.postings_by_role()
            sources = await stats.postings_by_source()
            reminders = await runs.totals("reminders", moment - WEEK)
            broadcast = await runs.last("broadcast")
            last = await SyncRepo(session).last()
        return Overview(
            students=students,
            postings=postings,
            sources=sources,
            sync=SyncSummary.from_run(last) if last else None,
            sync_running=await self._sync.running(),
            sync_problem=self._sync.problem(),
            reminders=reminders,
            broadcast=broadcast,
            broadcasting=self._broadcasts.running,
        )
