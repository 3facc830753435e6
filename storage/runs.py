"""Runs of unsolicited messages (reminder ticks that sent anything, `remind` commands, broadcasts) and their
outcome, for the operator's console. Never commits."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeliveryRun
from storage.stats import aware


class DeliveryTotals(BaseModel):
    model_config = ConfigDict(frozen=True)

    runs: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    blocked: int = 0
    last: datetime | None = None  # when the newest run finished


class DeliveryRunRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self, kind: str, started_at: datetime, finished_at: datetime, *, sent: int, skipped: int, failed: int,
        blocked: int,
    ) -> None:  # fmt: skip
        self._session.add(
            DeliveryRun(kind=kind, started_at=started_at, finished_at=finished_at, sent=sent, skipped=skipped,
                        failed=failed, blocked=blocked)
        )  # fmt: skip
        await self._session.flush()

    async def totals(self, kind: str, since: datetime) -> DeliveryTotals:
        """The runs of `kind` that started at `since` or later, added up."""
        row = (
            await self._session.execute(
                select(
                    func.count(), func.sum(DeliveryRun.sent), func.sum(DeliveryRun.skipped),
                    func.sum(DeliveryRun.failed), func.sum(DeliveryRun.blocked), func.max(DeliveryRun.finished_at),
                ).where(DeliveryRun.kind == kind, DeliveryRun.started_at >= since)
            )
        ).one()  # fmt: skip
        runs, sent, skipped, failed, blocked, last = row
        return DeliveryTotals(runs=runs or 0, sent=sent or 0, skipped=skipped or 0, failed=failed or 0,
                              blocked=blocked or 0, last=aware(last))  # fmt: skip

    async def last(self, kind: str) -> DeliveryTotals | None:
        run = await self._session.scalar(
            select(DeliveryRun).where(DeliveryRun.kind == kind).order_by(DeliveryRun.id.desc()).limit(1)
        )
        if run is None:
            return None
        return DeliveryTotals(runs=1, sent=run.sent, skipped=run.skipped, failed=run.failed, blocked=run.blocked,
                              last=run.finished_at)  # fmt: skip
