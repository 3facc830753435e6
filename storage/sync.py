"""The postings sync's own rows: its runs (with the cursor a stopped run continues from) and the hh vacancies
it stored (what their search result looked like, and the last run that listed them). Never commits."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SyncedVacancy, SyncRun
from storage.upsert import upsert

BATCH = 500


class Stored(NamedTuple):
    """A vacancy the sync stored: its search result's fingerprint, the last run that listed it, its role."""

    fingerprint: str
    seen_run: int
    role_id: str | None


class SyncRunRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    trigger: str
    mode: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    window_from: datetime
    window_to: datetime
    areas: tuple[str, ...]
    cursor: list[dict[str, Any]]
    counts: dict[str, Any]
    error: str | None


def _row(run: SyncRun) -> SyncRunRow:
    return SyncRunRow(
        id=run.id, trigger=run.trigger, mode=run.mode, status=run.status, started_at=run.started_at,
        finished_at=run.finished_at, window_from=run.window_from, window_to=run.window_to,
        areas=tuple(a for a in run.areas.split(",") if a), cursor=json.loads(run.cursor or "[]"),
        counts=json.loads(run.counts or "{}"), error=run.error,
    )  # fmt: skip


class SyncRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # -- runs -----------------------------------------------------------------------------------------------

    async def start(
        self, *, trigger: str, mode: str, started_at: datetime, window_from: datetime, window_to: datetime,
        areas: Sequence[str], cursor: list[dict[str, Any]],
    ) -> int:  # fmt: skip
        run = SyncRun(
            trigger=trigger, mode=mode, status="running", started_at=started_at, window_from=window_from,
            window_to=window_to, areas=",".join(areas), cursor=json.dumps(cursor), counts="{}",
        )  # fmt: skip
        self._session.add(run)
        await self._session.flush()
        return run.id

    async def get(self, run_id: int) -> SyncRunRow | None:
        run = await self._session.get(SyncRun, run_id)
        return _row(run) if run else None

    async def unfinished(self) -> SyncRunRow | None:
        """The newest run that did not complete and may go on (running when its process died, or stopped)."""
        newest = await self._session.scalar(select(SyncRun).order_by(SyncRun.id.desc()).limit(1))
        if newest is None or newest.status == "completed":
            return None
        return _row(newest)

    async def last(self) -> SyncRunRow | None:
        run = await self._session.scalar(select(SyncRun).order_by(SyncRun.id.desc()).limit(1))
        return _row(run) if run else None

    async def last_completed(self, mode: str | None = None) -> SyncRunRow | None:
        query = select(SyncRun).where(SyncRun.status == "completed")
        if mode:
            query = query.where(SyncRun.mode == mode)
        run = await self._session.scalar(query.order_by(SyncRun.id.desc()).limit(1))
        return _row(run) if run else None

    async def progress(self, run_id: int, cursor: list[dict[str, Any]], counts: Mapping[str, Any]) -> None:
        await self._session.execute(
            update(SyncRun).where(SyncRun.id == run_id).values(cursor=json.dumps(cursor), counts=json.dumps(counts))
        )

    async def finish(
        self, run_id: int, *, status: str, finished_at: datetime | None, counts: Mapping[str, Any],
        error: str | None = None,
    ) -> None:  # fmt: skip
        values: dict[str, Any] = {"status": status, "counts": json.dumps(counts), "error": (error or None)}
        if values["error"]:
            values["error"] = values["error"][:500]
        if finished_at is not None:
            values["finished_at"] = finished_at
        await self._session.execute(update(SyncRun).where(SyncRun.id == run_id).values(**values))

    # -- vacancies ------------------------------------------------------------------------------------------

    async def stored(self, source_ids: Iterable[str]) -> dict[str, Stored]:
        """What is known of the vacancies stored among `source_ids`."""
        ids = list(source_ids)
        found: dict[str, Stored] = {}
        columns = (SyncedVacancy.source_id, SyncedVacancy.fingerprint, SyncedVacancy.seen_run, SyncedVacancy.role_id)
        for start in range(0, len(ids), BATCH):
            rows = await self._session.execute(
                select(*columns).where(SyncedVacancy.source_id.in_(ids[start : start + BATCH]))
            )
            found.update({source_id: Stored(fp, run, role) for source_id, fp, run, role in rows})
        return found

    async def seen(self, source_ids: Sequence[str], run_id: int, now: datetime) -> None:
        """The run listed these stored vacancies (unchanged ones included)."""
        for start in range(0, len(source_ids), BATCH):
            await self._session.execute(
                update(SyncedVacancy)
                .where(SyncedVacancy.source_id.in_(source_ids[start : start + BATCH]))
                .values(seen_run=run_id, seen_at=now)
            )

    async def remember(self, rows: Sequence[tuple[str, str, str | None]], run_id: int, now: datetime) -> None:
        """(vacancy id, fingerprint, role) of vacancies just stored as postings."""
        if not rows:
            return
        values = [
            {"source_id": source_id, "fingerprint": fingerprint, "role_id": role, "seen_run": run_id, "seen_at": now}
            for source_id, fingerprint, role in {row[0]: row for row in rows}.values()
        ]
        dialect = self._session.bind.dialect.name
        await self._session.execute(
            upsert(dialect, SyncedVacancy.__table__, values, ["source_id"],
                   update=["fingerprint", "role_id", "seen_run", "seen_at"])
        )  # fmt: skip

    async def forget(self, source_ids: Sequence[str]) -> None:
        for start in range(0, len(source_ids), BATCH):
            await self._session.execute(
                delete(SyncedVacancy).where(SyncedVacancy.source_id.in_(source_ids[start : start + BATCH]))
            )

    async def not_seen_by(self, run_id: int, limit: int = 5000) -> list[tuple[str, str | None]]:
        """(vacancy id, role) of stored vacancies a run did not list (after a complete listing: hh closed them)."""
        rows = await self._session.execute(
            select(SyncedVacancy.source_id, SyncedVacancy.role_id).where(SyncedVacancy.seen_run < run_id).limit(limit)
        )
        return [(source_id, role) for source_id, role in rows]
