"""The postings behind a role's market snapshot, for one stack: demand from the aggregates, a sample of the
newest postings for matches and salaries, and where and when the postings come from."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coach.market import MarketSnapshot, PostingView
from storage.models import CityPostingCount, Posting, PostingSkill, RolePostingCount, RoleSkillCount
from storage.postings import NEUTRAL

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
    Posting.stack,
    Posting.published_at,
    Posting.remote,
)
SEPARATOR = ","  # skill ids are slugs: never a comma


def _with_skills() -> Select:
    """Postings as plain rows, each with its skills in one string looked up by the posting's key: one query,
    and the skills are read only for the rows the caller's filter, order and limit keep."""
    skills = (
        select(func.aggregate_strings(PostingSkill.skill_id, SEPARATOR))
        .where(PostingSkill.posting_id == Posting.id)
        .scalar_subquery()
    )
    return select(*_VIEW_COLUMNS, skills.label("skills"))


class MarketRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def snapshot(self, role_id: str, stack: str | None = None) -> MarketSnapshot:
        """The market of `role_id` for a student of `stack`: the stack's postings and the stack-neutral ones
        (every posting of the role when `stack` is None)."""
        stacks = (stack, NEUTRAL) if stack else None
        per_stack: dict[str, int] = {}
        sources: dict[str, int] = {}
        for stack_id, source, count in await self._session.execute(
            select(RolePostingCount.stack, RolePostingCount.source, RolePostingCount.postings).where(
                RolePostingCount.role_id == role_id, RolePostingCount.postings > 0
            )
        ):
            per_stack[stack_id] = per_stack.get(stack_id, 0) + count
            if stacks is None or stack_id in stacks:
                sources[source] = sources.get(source, 0) + count
        demand = select(RoleSkillCount.skill_id, func.sum(RoleSkillCount.postings)).where(
            RoleSkillCount.role_id == role_id, RoleSkillCount.postings > 0
        )
        if stacks is not None:
            demand = demand.where(RoleSkillCount.stack.in_(stacks))
        counts = {ref: int(n) for ref, n in await self._session.execute(demand.group_by(RoleSkillCount.skill_id))}
        mine = (Posting.role_id == role_id) & Posting.added_by.is_(None)  # students' own finds are theirs alone
        if stack:
            mine = mine & or_(Posting.stack == stack, Posting.stack.is_(None))
        first, last = (
            await self._session.execute(
                select(func.min(Posting.published_at), func.max(Posting.published_at)).where(mine)
            )
        ).one()
        newest = _with_skills().where(mine).order_by(Posting.id.desc()).limit(SAMPLE)
        return MarketSnapshot(
            role_id=role_id,
            postings_total=sum(sources.values()),
            skill_counts=counts,
            postings=tuple(await self._views(newest)),
            stack=stack,
            role_total=sum(per_stack.values()),
            stack_counts={s: n for s, n in per_stack.items() if s != NEUTRAL},
            source_counts=sources,
            first_published=first.date() if first else None,
            last_published=last.date() if last else None,
        )

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
                stack=stack,
                published_at=published.date() if published else None,
                remote=bool(remote),
            )
            for posting_id, title, company, level, city, url, salary_from, salary_to, currency, source, stack,
            published, remote, skills in (await self._session.execute(which))
        ]  # fmt: skip

    async def cities(self, limit: int = 8) -> list[str]:
        """Cities of stored postings, most common first (from the aggregate: O(cities), not O(postings))."""
        rows = await self._session.scalars(
            select(CityPostingCount.city)
            .where(CityPostingCount.postings > 0)
            .order_by(CityPostingCount.postings.desc(), CityPostingCount.city)
            .limit(limit)
        )
        return list(rows)
