"""The postings behind a role's market snapshot."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coach.market import MarketSnapshot, PostingView
from storage.models import CityPostingCount, Posting, PostingSkill, RolePostingCount, RoleSkillCount

SAMPLE = 300  # newest postings loaded for best matches and salaries; demand comes from the aggregates
# What a PostingView needs, read as plain rows: a snapshot loads SAMPLE postings on every cache miss, and as
# ORM objects (identity map, both timestamps through the UTC type) they cost more than the query.
_VIEW_COLUMNS = (
    Posting.id,
    Posting.title,
    Posting.company,
    Posting.level,
    Posting.city,
    Posting.url,
    Posting.salary_from,
    Posting.salary_to,
    Posting.currency,
    Posting.source,
)
SEPARATOR = ","  # skill ids are slugs: never a comma


def _with_skills() -> Select:
    """Postings as plain rows, each with its skills in one string looked up by the posting's key: one query,
    and the skills are read only for the rows the caller's filter, order and limit keep (on SQLite and on
    PostgreSQL alike), not by a second query with hundreds of bound ids."""
    skills = (
        select(func.aggregate_strings(PostingSkill.skill_id, SEPARATOR))
        .where(PostingSkill.posting_id == Posting.id)
        .scalar_subquery()
    )
    return select(*_VIEW_COLUMNS, skills.label("skills"))


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
        newest = _with_skills().where(Posting.role_id == role_id).order_by(Posting.id.desc()).limit(SAMPLE)
        return MarketSnapshot(role_id, total or 0, counts, tuple(await self._views(newest)))

    async def own(self, user_id: int) -> list[PostingView]:
        """The postings a student added themselves."""
        return await self._views(_with_skills().where(Posting.added_by == user_id))

    async def _views(self, which: Select) -> list[PostingView]:
        # Unpacked by position (the order of _with_skills): reading a Row's fields by name costs three times
        # as much as building the views.
        return [
            PostingView(
                id=posting_id,
                title=title,
                company=company,
                skills=frozenset(skills.split(SEPARATOR)) if skills else frozenset(),
                level=level,
                city=city,
                url=url,
                salary_from=salary_from,
                salary_to=salary_to,
                currency=currency,
                source=source,
            )
            for posting_id, title, company, level, city, url, salary_from, salary_to, currency, source, skills in (
                await self._session.execute(which)
            )
        ]

    async def cities(self, limit: int = 8) -> list[str]:
        """Cities of stored postings, most common first (from the aggregate: O(cities), not O(postings))."""
        rows = await self._session.scalars(
            select(CityPostingCount.city)
            .where(CityPostingCount.postings > 0)
            .order_by(CityPostingCount.postings.desc(), CityPostingCount.city)
            .limit(limit)
        )
        return list(rows)
