"""Figures for the operator's console: students and postings, read in a few grouped queries. Never commits."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Posting, ReminderSettings, User, UTCDateTime


class StudentCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: int
    onboarded: int  # chose a role
    active: int  # seen since the moment asked about
    reminders_on: int  # reminders enabled, and not blocked
    blocked: int


class RolePostings(BaseModel):
    model_config = ConfigDict(frozen=True)

    role_id: str
    postings: int
    first: datetime | None  # the oldest publication date among them
    last: datetime | None  # the newest


_UTC = UTCDateTime()


def aware(value: datetime | str | None) -> datetime | None:
    # An aggregate (min/max) loses the column's type on SQLite: the value comes back as a naive datetime or text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return _UTC.process_result_value(value, None)


class StatsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def students(self, active_since: datetime) -> StudentCounts:
        total, onboarded, active, blocked = (
            await self._session.execute(
                select(
                    func.count(),
                    func.count(User.role_id),
                    func.count().filter(User.last_seen_at >= active_since),
                    func.count().filter(User.is_active.is_(False)),
                ).select_from(User)
            )
        ).one()
        reminders_on = await self._session.scalar(
            select(func.count())
            .select_from(ReminderSettings)
            .join(User, User.id == ReminderSettings.user_id)
            .where(ReminderSettings.enabled.is_(True), User.is_active.is_(True))
        )
        return StudentCounts(total=total, onboarded=onboarded, active=active, reminders_on=reminders_on or 0,
                             blocked=blocked)  # fmt: skip

    async def postings_by_role(self) -> list[RolePostings]:
        """Shared postings per role (most first), with the range of their publication dates."""
        rows = await self._session.execute(
            select(Posting.role_id, func.count(), func.min(Posting.published_at), func.max(Posting.published_at))
            .where(Posting.added_by.is_(None), Posting.role_id.is_not(None))
            .group_by(Posting.role_id)
            .order_by(func.count().desc(), Posting.role_id)
        )
        return [
            RolePostings(role_id=role, postings=n, first=aware(first), last=aware(last))
            for role, n, first, last in rows
        ]

    async def postings_by_source(self) -> dict[str, int]:
        rows = await self._session.execute(
            select(Posting.source, func.count()).where(Posting.added_by.is_(None)).group_by(Posting.source)
        )
        return {str(source): int(n) for source, n in rows}
