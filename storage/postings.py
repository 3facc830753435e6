"""Job postings and their skills."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CityPostingCount, Posting, PostingSkill, RolePostingCount, RoleSkillCount, utcnow
from storage.upsert import upsert


class PostingIn(BaseModel):
    """A posting ready to store: skills already resolved to catalog ids."""

    model_config = ConfigDict(frozen=True)

    source: str
    source_id: str
    title: str
    company: str | None = None
    role_id: str | None = None
    level: str | None = None
    city: str | None = None
    url: str | None = None
    salary_from: int | None = None
    salary_to: int | None = None
    currency: str | None = None
    salary_gross: bool | None = None
    added_by: int | None = None  # a student's own find (counts only in their market)
    skill_ids: tuple[str, ...] = ()


class PostingRepo:
    BATCH = 500

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, posting: PostingIn) -> tuple[int, bool]:
        """Insert or update by (source, source_id); returns the row id and whether it was new."""
        (posting_id, new), *_ = await self._save_batch([posting])
        return posting_id, new

    async def save_many(self, postings: Sequence[PostingIn]) -> tuple[int, int]:
        """Insert or update many postings (a re-import updates, never duplicates); returns (added, updated)."""
        added = updated = 0
        unique = list({(p.source, p.source_id): p for p in postings}.values())  # the last copy wins
        for start in range(0, len(unique), self.BATCH):
            for _, new in await self._save_batch(unique[start : start + self.BATCH]):
                added, updated = added + new, updated + (not new)
        return added, updated

    async def _save_batch(self, postings: Sequence[PostingIn]) -> list[tuple[int, bool]]:
        keys = [(p.source, p.source_id) for p in postings]
        before = {
            (source, source_id): (posting_id, role_id, city)
            for posting_id, source, source_id, role_id, city in await self._session.execute(
                select(Posting.id, Posting.source, Posting.source_id, Posting.role_id, Posting.city).where(
                    tuple_(Posting.source, Posting.source_id).in_(keys)
                )
            )
        }
        old_skills: dict[int, set[str]] = {}
        if before:
            rows = await self._session.execute(
                select(PostingSkill.posting_id, PostingSkill.skill_id).where(
                    PostingSkill.posting_id.in_([posting_id for posting_id, _, _ in before.values()])
                )
            )
            for posting_id, skill_id in rows:
                old_skills.setdefault(posting_id, set()).add(skill_id)

        now = utcnow()
        dialect = self._session.bind.dialect.name
        rows = [{**p.model_dump(exclude={"skill_ids"}), "created_at": now, "updated_at": now} for p in postings]
        columns = [c for c in rows[0] if c not in {"source", "source_id", "created_at"}]
        await self._session.execute(upsert(dialect, Posting.__table__, rows, ["source", "source_id"], update=columns))
        ids = {
            (source, source_id): posting_id
            for posting_id, source, source_id in await self._session.execute(
                select(Posting.id, Posting.source, Posting.source_id).where(
                    tuple_(Posting.source, Posting.source_id).in_(keys)
                )
            )
        }
        await self._session.execute(delete(PostingSkill).where(PostingSkill.posting_id.in_(list(ids.values()))))
        links = [
            {"posting_id": ids[(p.source, p.source_id)], "skill_id": sid}
            for p in postings
            for sid in dict.fromkeys(p.skill_ids)
        ]
        if links:
            await self._session.execute(PostingSkill.__table__.insert(), links)

        # The aggregates change by exactly what changed: the old version of a posting out, the new one in.
        role_delta: Counter[str] = Counter()
        skill_delta: Counter[tuple[str, str]] = Counter()
        city_delta: Counter[str] = Counter()
        for posting_id, role_id, city in before.values():
            if role_id:
                role_delta[role_id] -= 1
                skill_delta.update({(role_id, sid): -1 for sid in old_skills.get(posting_id, ())})
            if city:
                city_delta[city] -= 1
        for p in postings:
            if p.role_id:
                role_delta[p.role_id] += 1
                skill_delta.update({(p.role_id, sid): 1 for sid in dict.fromkeys(p.skill_ids)})
            if p.city:
                city_delta[p.city] += 1
        await self._add_counts(role_delta, skill_delta, city_delta)
        return [(ids[key], key not in before) for key in keys]

    async def _add_counts(self, roles: Counter[str], skills: Counter[tuple[str, str]], cities: Counter[str]) -> None:
        dialect = self._session.bind.dialect.name
        role_rows = [{"role_id": r, "postings": n} for r, n in roles.items() if n]
        skill_rows = [{"role_id": r, "skill_id": s, "postings": n} for (r, s), n in skills.items() if n]
        city_rows = [{"city": c, "postings": n} for c, n in sorted(cities.items()) if n]
        if role_rows:
            await self._session.execute(
                upsert(dialect, RolePostingCount.__table__, role_rows, ["role_id"], increment=["postings"])
            )
        if skill_rows:
            await self._session.execute(
                upsert(dialect, RoleSkillCount.__table__, skill_rows, ["role_id", "skill_id"], increment=["postings"])
            )
        if city_rows:
            await self._session.execute(
                upsert(dialect, CityPostingCount.__table__, city_rows, ["city"], increment=["postings"])
            )

    async def count(self, source: str | None = None) -> int:
        query = select(func.count()).select_from(Posting)
        if source:
            query = query.where(Posting.source == source)
        return await self._session.scalar(query) or 0

    async def role_stats(self, top: int = 10) -> list[tuple[str, int, list[tuple[str, int]]]]:
        """Per role: postings, and the most asked skills with their counts (from the aggregates)."""
        roles = (
            await self._session.execute(
                select(RolePostingCount.role_id, RolePostingCount.postings)
                .where(RolePostingCount.postings > 0)
                .order_by(RolePostingCount.postings.desc(), RolePostingCount.role_id)
            )
        ).all()
        stats = []
        for role_id, postings in roles:
            skills = (
                await self._session.execute(
                    select(RoleSkillCount.skill_id, RoleSkillCount.postings)
                    .where(RoleSkillCount.role_id == role_id, RoleSkillCount.postings > 0)
                    .order_by(RoleSkillCount.postings.desc(), RoleSkillCount.skill_id)
                    .limit(top)
                )
            ).all()
            stats.append((role_id, postings, [(s, n) for s, n in skills]))
        return stats

    async def skills_of(self, posting_id: int) -> list[str]:
        rows = await self._session.scalars(select(PostingSkill.skill_id).where(PostingSkill.posting_id == posting_id))
        return list(rows)
