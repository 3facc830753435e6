"""Reminder rows: the schedule, and the claims senders take on due rows.

A sender claims a batch of due rows by setting a lease (`claimed_until`, `claim_token`) in one short
transaction — on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so concurrent senders take disjoint rows and never
wait for each other; SQLite has one writer at a time anyway. It then delivers outside any transaction (no
lock is held during network calls) and completes rows by advancing `next_run_at`, matched on their token —
in groups, written every quarter of a second or 25 rows (services.reminders.Completions). A sender that
dies leaves leases that run out, and the rows are claimed again: nothing is lost. The one window for a
duplicate is between Telegram accepting a message and its group's commit (at most ~0.25 s of sends); a
send inside the claiming transaction would have the same kind of window before its commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Boolean, and_, bindparam, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coach.schedule import Reminder
from storage.models import ReminderSettings, User
from storage.upsert import upsert


class DueReminder(BaseModel):
    """A claimed row with what delivery needs to know about its user."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    language: str
    timezone: str
    weekday: int
    hour: int
    next_run_at: datetime
    last_sent_at: datetime | None
    last_nudge_at: datetime | None
    last_seen_at: datetime | None
    token: str


@dataclass(frozen=True)
class Completion:
    """A delivered (or skipped) claim: the row moves to `next_run_at`; `sent_at` None when nothing was sent."""

    user_id: int
    token: str
    next_run_at: datetime
    sent_at: datetime | None
    nudged: bool


class ReminderRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> Reminder | None:
        row = (
            await self._session.execute(select(ReminderSettings).where(ReminderSettings.user_id == user_id))
        ).scalar_one_or_none()
        return Reminder.model_validate(row) if row else None

    async def save(self, user_id: int, *, enabled: bool, weekday: int, hour: int, next_run_at: datetime | None) -> None:
        values = {"user_id": user_id, "enabled": enabled, "weekday": weekday, "hour": hour, "next_run_at": next_run_at}
        statement = upsert(
            self._session.bind.dialect.name,
            ReminderSettings.__table__,
            values,
            ["user_id"],
            update=["enabled", "weekday", "hour", "next_run_at"],
        )
        await self._session.execute(statement)

    async def set_next_run(self, user_id: int, next_run_at: datetime | None) -> None:
        await self._session.execute(
            update(ReminderSettings).where(ReminderSettings.user_id == user_id).values(next_run_at=next_run_at)
        )

    def _due(self, now: datetime):
        return and_(
            ReminderSettings.enabled.is_(True),
            ReminderSettings.next_run_at.is_not(None),
            ReminderSettings.next_run_at <= now,
            or_(ReminderSettings.claimed_until.is_(None), ReminderSettings.claimed_until < now),
            User.is_active.is_(True),
        )

    async def claim_due(self, now: datetime, limit: int, lease: timedelta, token: str) -> list[DueReminder]:
        due = (
            select(ReminderSettings.user_id)
            .join(User, User.id == ReminderSettings.user_id)
            .where(self._due(now))
            .order_by(ReminderSettings.next_run_at)
            .limit(limit)
            .with_for_update(of=ReminderSettings, skip_locked=True)
        )
        claimed = (
            await self._session.scalars(
                update(ReminderSettings)
                .where(ReminderSettings.user_id.in_(due.scalar_subquery()))
                .values(claimed_until=now + lease, claim_token=token)
                .returning(ReminderSettings.user_id)
            )
        ).all()
        if not claimed:
            return []
        rows = await self._session.execute(
            select(ReminderSettings, User.language, User.timezone, User.last_seen_at)
            .join(User, User.id == ReminderSettings.user_id)
            .where(ReminderSettings.user_id.in_(claimed), ReminderSettings.claim_token == token)
            .order_by(ReminderSettings.next_run_at)
        )
        return [
            DueReminder(
                user_id=r.user_id,
                language=language,
                timezone=timezone,
                weekday=r.weekday,
                hour=r.hour,
                next_run_at=r.next_run_at,
                last_sent_at=r.last_sent_at,
                last_nudge_at=r.last_nudge_at,
                last_seen_at=last_seen,
                token=token,
            )
            for r, language, timezone, last_seen in rows
        ]

    async def complete_many(self, done: Sequence[Completion]) -> int:
        """Release these claims and move each row to its next slot, in one round trip; a row whose claim was lost
        meanwhile (another sender holds it) is left alone. Returns how many claims were still held."""
        if not done:
            return 0
        table = ReminderSettings.__table__
        when = ReminderSettings.last_sent_at.type
        statement = (
            update(table)
            .where(table.c.user_id == bindparam("b_user"), table.c.claim_token == bindparam("b_token"))
            .values(
                next_run_at=bindparam("b_next", type_=when),
                claimed_until=None,
                claim_token=None,
                last_sent_at=func.coalesce(bindparam("b_sent", type_=when), table.c.last_sent_at),
                last_nudge_at=case((bindparam("b_nudged", type_=Boolean), bindparam("b_sent", type_=when)),
                                   else_=table.c.last_nudge_at),
            )
        )  # fmt: skip
        params = [
            {"b_user": d.user_id, "b_token": d.token, "b_next": d.next_run_at, "b_sent": d.sent_at,
             "b_nudged": d.nudged}
            for d in done
        ]  # fmt: skip
        # Counted first: drivers disagree on executemany's rowcount (asyncpg reports every row).
        held = 0
        for token in {d.token for d in done}:
            ids = [d.user_id for d in done if d.token == token]
            held += len(
                (
                    await self._session.scalars(
                        select(ReminderSettings.user_id).where(
                            ReminderSettings.user_id.in_(ids), ReminderSettings.claim_token == token
                        )
                    )
                ).all()
            )
        # Core executemany on the session's connection (an ORM session.execute would read the list as an
        # ORM bulk update by primary key).
        await (await self._session.connection()).execute(statement, params)
        return held

    async def release(self, user_id: int, token: str, retry_at: datetime) -> None:
        """Give the row back, due again once `retry_at` passes (a delivery failed for now)."""
        await self._session.execute(
            update(ReminderSettings)
            .where(ReminderSettings.user_id == user_id, ReminderSettings.claim_token == token)
            .values(claimed_until=retry_at, claim_token=None)
        )

    async def active_user_ids(self) -> list[int]:
        """Users a reminder to everyone may reach: active, with a profile, reminders not paused."""
        paused = select(ReminderSettings.user_id).where(ReminderSettings.enabled.is_(False))
        rows = await self._session.scalars(
            select(User.id)
            .where(User.is_active.is_(True), User.role_id.is_not(None), User.id.not_in(paused))
            .order_by(User.id)
        )
        return list(rows)
