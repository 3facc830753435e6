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

    async def snapshot(self, role_id: str, user_id: int | None = None) -> MarketSnapshot:
        """Demand per skill from the aggregates (O(skills)); the newest postings for matches and salaries.
        With `user_id`, the postings that student added themselves count too (for them only)."""
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
        postings = list(
            (
                await self._session.scalars(
                    select(Posting).where(Posting.role_id == role_id).order_by(Posting.id.desc()).limit(SAMPLE)
                )
            ).all()
        )
        own: list[Posting] = []
        if user_id is not None:
            own = list((await self._session.scalars(select(Posting).where(Posting.added_by == user_id))).all())
            postings = own + postings
        skills: dict[int, set[str]] = {p.id: set() for p in postings}
        if postings:
            rows = await self._session.execute(
                select(PostingSkill.posting_id, PostingSkill.skill_id).where(PostingSkill.posting_id.in_(skills))
            )
            for posting_id, skill_id in rows:
                skills[posting_id].add(skill_id)
        views = [
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
        for posting in own:  # the student's own postings are not in the shared aggregates
            for skill in skills[posting.id]:
                counts[skill] = counts.get(skill, 0) + 1
        return MarketSnapshot(role_id, (total or 0) + len(own), counts, tuple(views))

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
