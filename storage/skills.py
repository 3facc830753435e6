"""The skills a user says they have, and the ones they say they lack and want to learn."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import UserSkill

HAVE, WANT = "have", "want"


class UserSkillRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> tuple[set[str], list[str]]:
        """What the student has, and what they lack in the order they named it."""
        return (await self.get_many([user_id]))[user_id]

    async def get_many(self, user_ids: Collection[int]) -> dict[int, tuple[set[str], list[str]]]:
        """`get` for many users in one query; every asked id is in the answer."""
        found: dict[int, tuple[set[str], list[str]]] = {user_id: (set(), []) for user_id in user_ids}
        rows = await self._session.execute(
            select(UserSkill.user_id, UserSkill.skill_id, UserSkill.status)
            .where(UserSkill.user_id.in_(user_ids))
            .order_by(UserSkill.user_id, UserSkill.position, UserSkill.skill_id)
        )
        for user_id, skill_id, status in rows:
            have, want = found[user_id]
            if status == HAVE:
                have.add(skill_id)
            else:
                want.append(skill_id)
        return found

    async def replace(self, user_id: int, have: Collection[str], want: Sequence[str]) -> None:
        """Make the stored skills exactly these (a skill in both counts as had); `want` keeps its order."""
        await self._session.execute(delete(UserSkill).where(UserSkill.user_id == user_id))
        rows = [{"user_id": user_id, "skill_id": sid, "status": HAVE, "position": 0} for sid in sorted(set(have))]
        wanted = [sid for sid in dict.fromkeys(want) if sid not in set(have)]
        rows += [{"user_id": user_id, "skill_id": sid, "status": WANT, "position": n} for n, sid in enumerate(wanted)]
        if rows:
            await self._session.execute(UserSkill.__table__.insert(), rows)
