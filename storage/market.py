"""The postings behind a role's market snapshot."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coach.market import MarketSnapshot, PostingView
from storage.models import Posting, PostingSkill, RolePostingCount, RoleSkillCount

SAMPLE = 300  # newest postings loaded for best matches and salaries; demand comes from the aggregates


class MarketRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def snapshot(self, role_id: str) -> MarketSnapshot:
        """Demand per skill from the aggregates (O(skills)); the newest postings for matches and salaries."""
        total = await self._session.scalar(select(RolePostingCount.postings).where(RolePostingCount.role_id == role_id))
        counts = dict(
            (
                await self._session.execute(
                    select(RoleSkillCount.skill_id, RoleSkillCount.postings).where(
                        RoleSkillCount.role_id == role_id, RoleSkillCount.postings > 0
                    )
                )
            ).all()
        )
        postings = (
            await self._session.scalars(
                select(Posting).where(Posting.role_id == role_id).order_by(Posting.id.desc()).limit(SAMPLE)
            )
        ).all()
        return MarketSnapshot(role_id, total or 0, counts, tuple(await self._views(postings)))

    async def own(self, user_id: int) -> list[PostingView]:
        """The postings a student added themselves."""
        postings = (await self._session.scalars(select(Posting).where(Posting.added_by == user_id))).all()
        return await self._views(postings)

    async def _views(self, postings) -> list[PostingView]:
        skills: dict[int, set[str]] = {p.id: set() for p in postings}
        if postings:
            rows = await self._session.execute(
                select(PostingSkill.posting_id, PostingSkill.skill_id).where(PostingSkill.posting_id.in_(skills))
            )
            for posting_id, skill_id in rows:
                skills[posting_id].add(skill_id)
        return [
            PostingView(
                id=p.id,
                title=p.title,
                company=p.company,
                skills=frozenset(skills[p.id]),
                level=p.level,
                city=p.city,
                url=p.url,
                salary_from=p.salary_from,
                salary_to=p.salary_to,
                currency=p.currency,
                source=p.source,
            )
            for p in postings
        ]

    async def cities(self, limit: int = 8) -> list[str]:
        """Cities of stored postings, most common first."""
        rows = await self._session.execute(
            select(Posting.city, func.count())
            .where(Posting.city.is_not(None))
            .group_by(Posting.city)
            .order_by(func.count().desc(), Posting.city)
            .limit(limit)
        )
        return [city for city, _ in rows]
