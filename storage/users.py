"""Users: the repository handlers reach through the middleware. Returns DTOs, never ORM objects; never commits."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User, utcnow
from storage.upsert import upsert

SEEN_RESOLUTION = timedelta(hours=1)


class UserDTO(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    language: str
    timezone: str
    role_id: str | None
    level: str | None
    city: str | None
    is_active: bool
    created_at: datetime


class UserRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> UserDTO | None:
        user = await self._session.get(User, user_id)
        return UserDTO.model_validate(user) if user else None

    async def get_many(self, user_ids: Collection[int]) -> dict[int, UserDTO]:
        users = await self._session.scalars(select(User).where(User.id.in_(user_ids)))
        return {user.id: UserDTO.model_validate(user) for user in users}

    async def ensure(self, user_id: int, language: str, timezone: str) -> UserDTO:
        """The user, created on first contact; someone who writes again is active again."""
        user = await self._session.get(User, user_id)
        now = utcnow()
        if user is None:
            dialect = self._session.bind.dialect.name
            values = {
                "id": user_id,
                "language": language,
                "timezone": timezone,
                "is_active": True,
                "last_seen_at": now,
                "created_at": now,
                "updated_at": now,
            }
            # Two first updates of one user may race; whoever inserts second just reads the row.
            await self._session.execute(upsert(dialect, User.__table__, values, ["id"]))
            user = await self._session.get(User, user_id)
            assert user is not None
        else:
            if not user.is_active:
                user.is_active, user.blocked_at = True, None
            if user.last_seen_at is None or now - user.last_seen_at > SEEN_RESOLUTION:
                user.last_seen_at = now  # activity, for the nudge; written at most hourly to spare the disk
        return UserDTO.model_validate(user)

    async def set_profile(self, user_id: int, *, role_id: str, level: str | None, city: str | None) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(role_id=role_id, level=level, city=city, updated_at=utcnow())
        )

    async def set_language(self, user_id: int, language: str) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(language=language))

    async def set_timezone(self, user_id: int, timezone: str) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(timezone=timezone))

    async def mark_blocked(self, user_id: int) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(is_active=False, blocked_at=utcnow()))

    async def delete(self, user_id: int) -> None:
        """Erase the user; their skills, roadmap and reminders go with them (ON DELETE CASCADE)."""
        await self._session.execute(delete(User).where(User.id == user_id))

    async def count(self) -> int:
        return await self._session.scalar(select(func.count()).select_from(User)) or 0
