"""Users (students). Returns `coach.student.Student`, never ORM objects; never commits."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coach.student import Student
from storage.models import User, utcnow
from storage.upsert import upsert

SEEN_RESOLUTION = timedelta(hours=1)
_COLUMNS = (User.id, User.language, User.timezone, User.role_id, User.stack, User.level, User.city, User.is_active,
            User.created_at, User.last_seen_at, User.zone_place)  # fmt: skip


def _student(row) -> Student:
    return Student(
        id=row[0], language=row[1], timezone=row[2], role_id=row[3], stack=row[4], level=row[5], city=row[6],
        is_active=row[7], created_at=row[8], zone_place=row[10],
    )  # fmt: skip


class UserRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> Student | None:
        row = (await self._session.execute(select(*_COLUMNS).where(User.id == user_id))).first()
        return _student(row) if row else None

    async def get_many(self, user_ids: Collection[int]) -> dict[int, Student]:
        rows = await self._session.execute(select(*_COLUMNS).where(User.id.in_(user_ids)))
        return {row[0]: _student(row) for row in rows}

    async def seen(self, user_id: int) -> tuple[Student, datetime | None] | None:
        """The student and when they were last seen (None: never stored)."""
        row = (await self._session.execute(select(*_COLUMNS).where(User.id == user_id))).first()
        return (_student(row), row[9]) if row else None

    async def ensure(self, user_id: int, language: str, timezone: str) -> Student:
        """The user, created on first contact; someone who writes again is active again and seen now."""
        now = utcnow()
        values = {
            "id": user_id,
            "language": language,
            "timezone": timezone,
            "is_active": True,
            "last_seen_at": now,
            "created_at": now,
            "updated_at": now,
        }
        # Two first updates of one user may race; whoever inserts second just updates the row.
        dialect = self._session.bind.dialect.name
        await self._session.execute(
            upsert(dialect, User.__table__, values, ["id"], update=["is_active", "last_seen_at"])
        )
        await self._session.execute(update(User).where(User.id == user_id, User.blocked_at.is_not(None))
                                    .values(blocked_at=None))  # fmt: skip
        student = await self.get(user_id)
        assert student is not None
        return student

    async def set_profile(
        self, user_id: int, *, role_id: str, stack: str | None, level: str | None, city: str | None
    ) -> None:
        await self._session.execute(
            update(User)
            .where(User.id == user_id)
            .values(role_id=role_id, stack=stack, level=level, city=city, updated_at=utcnow())
        )

    async def set_language(self, user_id: int, language: str) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(language=language))

    async def set_timezone(self, user_id: int, timezone: str, place: str | None = None) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(timezone=timezone, zone_place=place))

    async def mark_blocked(self, user_id: int) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(is_active=False, blocked_at=utcnow()))

    async def delete(self, user_id: int) -> None:
        """Erase the user; their skills, roadmap and reminders go with them (ON DELETE CASCADE)."""
        await self._session.execute(delete(User).where(User.id == user_id))

    async def count(self) -> int:
        return await self._session.scalar(select(func.count()).select_from(User)) or 0

    async def active_ids(self, after: int = -1, limit: int = 500) -> list[int]:
        """Ids of users who have not blocked the bot, in id order after `after` (a broadcast's audience)."""
        rows = await self._session.scalars(
            select(User.id).where(User.is_active.is_(True), User.id > after).order_by(User.id).limit(limit)
        )
        return list(rows)

    async def count_active(self) -> int:
        return await self._session.scalar(select(func.count()).select_from(User).where(User.is_active.is_(True))) or 0
