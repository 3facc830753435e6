"""The skills a user says they have, and the ones they say they lack and want to learn."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import UserSkill

HAVE, WANT = "have", "want"


class UserSkillRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> tuple[set[str], set[str]]:
        rows = await self._session.execute(
            select(UserSkill.skill_id, UserSkill.status).where(UserSkill.user_id == user_id)
        )
        have: set[str] = set()
        want: set[str] = set()
        for skill_id, status in rows:
            (have if status == HAVE else want).add(skill_id)
        return have, want

    async def get_many(self, user_ids: Collection[int]) -> dict[int, tuple[set[str], set[str]]]:
        """`get` for many users in one query; every asked id is in the answer."""
        found: dict[int, tuple[set[str], set[str]]] = {user_id: (set(), set()) for user_id in user_ids}
        rows = await self._session.execute(
            select(UserSkill.user_id, UserSkill.skill_id, UserSkill.status).where(UserSkill.user_id.in_(user_ids))
        )
        for user_id, skill_id, status in rows:
            have, want = found[user_id]
            (have if status == HAVE else want).add(skill_id)
        return found

    async def replace(self, user_id: int, have: Collection[str], want: Collection[str]) -> None:
        """Make the stored skills exactly these (a skill in both counts as had)."""
        await self._session.execute(delete(UserSkill).where(UserSkill.user_id == user_id))
        rows = [{"user_id": user_id, "skill_id": sid, "status": HAVE} for sid in sorted(set(have))]
        rows += [{"user_id": user_id, "skill_id": sid, "status": WANT} for sid in sorted(set(want) - set(have))]
        if rows:
            await self._session.execute(UserSkill.__table__.insert(), rows)
