"""Job postings, their skills, and the market aggregates kept exact as they change.

Aggregates: per (role, stack, source) the number of postings, and per (role, stack) how many ask for each
ref — a skill id, or a group of alternatives counted once per posting (the repository is given the catalog's
skill → group map; it knows nothing else of the catalog). Stack "" is a stack-neutral posting. A student's own postings
(`added_by`) count in no shared aggregate: only in their own market.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CityPostingCount, Meta, Posting, PostingSkill, RolePostingCount, RoleSkillCount, utcnow
from storage.upsert import upsert

NEUTRAL = ""  # the stack of a stack-neutral posting in the aggregates


class PostingIn(BaseModel):
    """A posting ready to store: skills already resolved to catalog ids, refs (skills and their groups) too."""

    model_config = ConfigDict(frozen=True)

    source: str
    source_id: str
    title: str
    company: str | None = None
    role_id: str | None = None
    stack: str | None = None
    level: str | None = None
    city: str | None = None
    remote: bool = False
    published_at: datetime | None = None
    url: str | None = None
    salary_from: int | None = None
    salary_to: int | None = None
    currency: str | None = None
    salary_gross: bool | None = None
    added_by: int | None = None  # a student's own find (counts only in their market)
    skill_ids: tuple[str, ...] = ()

    @property
    def shared(self) -> bool:
        return self.added_by is None


# What a saved posting contributed to the aggregates, to take it out again exactly.
_Contribution = tuple[str | None, str | None, str, str | None, frozenset[str], bool]  # role, stack, source, city, refs


class PostingRepo:
    BATCH = 500

    def __init__(self, session: AsyncSession, group_of: Mapping[str, str] | None = None) -> None:
        self._session = session
        self._group_of = group_of or {}

    def _refs_of(self, skills) -> frozenset[str]:
        """What a posting asking for `skills` counts for: each skill, and each group one belongs to."""
        skills = frozenset(skills)
        return skills | frozenset(self._group_of[sid] for sid in skills if sid in self._group_of)

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
        before = await self._contributions(tuple_(Posting.source, Posting.source_id).in_(keys))
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
        after = [(p.role_id, p.stack, p.source, p.city, self._refs_of(p.skill_ids), p.shared) for p in postings]
        await self._apply(list(before.values()), after)
        return [(ids[key], key not in {(k[0], k[1]) for k in before}) for key in keys]

    async def _contributions(self, which) -> dict[tuple[str, str, int], _Contribution]:
        """What the postings `which` selects add to the aggregates now: (source, source_id, id) -> contribution."""
        columns = (Posting.source, Posting.source_id, Posting.id, Posting.role_id, Posting.stack, Posting.city)
        query = select(*columns, Posting.added_by).where(which)
        rows = (await self._session.execute(query)).all()
        if not rows:
            return {}
        refs = await self._refs([row[2] for row in rows])
        return {
            (source, source_id, posting_id): (role, stack, source, city, refs.get(posting_id, frozenset()),
                                               added_by is None)
            for source, source_id, posting_id, role, stack, city, added_by in rows
        }  # fmt: skip

    async def _skills(self, posting_ids: list[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        rows = await self._session.execute(
            select(PostingSkill.posting_id, PostingSkill.skill_id).where(PostingSkill.posting_id.in_(posting_ids))
        )
        for posting_id, skill_id in rows:
            found.setdefault(posting_id, set()).add(skill_id)
        return found

    async def _refs(self, posting_ids: list[int]) -> dict[int, frozenset[str]]:
        return {pid: self._refs_of(skills) for pid, skills in (await self._skills(posting_ids)).items()}

    async def _apply(self, removed: list[_Contribution], added: list[_Contribution]) -> None:
        roles: Counter[tuple[str, str, str]] = Counter()
        skills: Counter[tuple[str, str, str]] = Counter()
        cities: Counter[str] = Counter()
        for sign, contributions in ((-1, removed), (1, added)):
            for role, stack, source, city, refs, shared in contributions:
                if not shared:
                    continue  # a student's own posting counts in their market only
                if role:
                    roles[(role, stack or NEUTRAL, source)] += sign
                    for ref in refs:
                        skills[(role, stack or NEUTRAL, ref)] += sign
                if city:
                    cities[city] += sign
        await self._add_counts(roles, skills, cities)

    async def _add_counts(
        self, roles: Counter[tuple[str, str, str]], skills: Counter[tuple[str, str, str]], cities: Counter[str]
    ) -> None:
        dialect = self._session.bind.dialect.name
        role_rows = [{"role_id": r, "stack": st, "source": so, "postings": n} for (r, st, so), n in roles.items() if n]
        skill_rows = [
            {"role_id": r, "stack": st, "skill_id": ref, "postings": n} for (r, st, ref), n in skills.items() if n
        ]
        city_rows = [{"city": c, "postings": n} for c, n in sorted(cities.items()) if n]
        if role_rows:
            await self._session.execute(
                upsert(dialect, RolePostingCount.__table__, role_rows, ["role_id", "stack", "source"],
                       increment=["postings"])
            )  # fmt: skip
        if skill_rows:
            await self._session.execute(
                upsert(dialect, RoleSkillCount.__table__, skill_rows, ["role_id", "stack", "skill_id"],
                       increment=["postings"])
            )  # fmt: skip
        if city_rows:
            await self._session.execute(
                upsert(dialect, CityPostingCount.__table__, city_rows, ["city"], increment=["postings"])
            )

    async def remove(self, source: str, source_ids: Sequence[str]) -> int:
        """Delete postings of `source` (closed or too old) and take exactly what they added out of the
        aggregates; returns how many there were."""
        removed = 0
        unique = list(dict.fromkeys(source_ids))
        for start in range(0, len(unique), self.BATCH):
            chunk = unique[start : start + self.BATCH]
            before = await self._contributions((Posting.source == source) & Posting.source_id.in_(chunk))
            if not before:
                continue
            ids = [posting_id for _, _, posting_id in before]
            await self._session.execute(delete(PostingSkill).where(PostingSkill.posting_id.in_(ids)))
            await self._session.execute(delete(Posting).where(Posting.id.in_(ids)))
            await self._apply(list(before.values()), [])
            removed += len(ids)
        return removed

    async def published_before(self, source: str, moment: datetime, limit: int = 5000) -> list[tuple[str, str | None]]:
        """(source id, role) of shared postings of `source` published before `moment`, the oldest first."""
        rows = await self._session.execute(
            select(Posting.source_id, Posting.role_id)
            .where(Posting.source == source, Posting.added_by.is_(None), Posting.published_at < moment)
            .order_by(Posting.published_at)
            .limit(limit)
        )
        return [(source_id, role) for source_id, role in rows]

    # -- recounting -----------------------------------------------------------------------------------------

    async def counted_with(self) -> str | None:
        """The catalog fingerprint the aggregates were last counted with."""
        return await self._session.scalar(select(Meta.value).where(Meta.key == "aggregates"))

    async def recount(self, fingerprint: str, restack: Callable[[str | None, str, frozenset[str]], str | None]) -> int:
        """Count every aggregate again from the stored postings (after a change of the catalog's groups or
        stacks): each shared posting's stack is read again with `restack(role, title, skills)`. Returns the
        postings counted."""
        await self._session.execute(delete(RoleSkillCount))
        await self._session.execute(delete(RolePostingCount))
        await self._session.execute(delete(CityPostingCount))
        counted = 0
        last_id = 0
        while True:
            query = (
                select(Posting.id, Posting.role_id, Posting.stack, Posting.source, Posting.city, Posting.title,
                       Posting.added_by)
                .where(Posting.id > last_id).order_by(Posting.id).limit(self.BATCH)
            )  # fmt: skip
            rows = (await self._session.execute(query)).all()
            if not rows:
                break
            last_id = rows[-1][0]
            stored = await self._skills([row[0] for row in rows])
            added: list[_Contribution] = []
            for posting_id, role, stack, source, city, title, added_by in rows:
                skills = frozenset(stored.get(posting_id, ()))
                if added_by is None and role:
                    new_stack = restack(role, title, skills)
                    if new_stack != stack:
                        await self._session.execute(
                            Posting.__table__.update().where(Posting.id == posting_id).values(stack=new_stack)
                        )
                        stack = new_stack
                added.append((role, stack, source, city, self._refs_of(skills), added_by is None))
            await self._apply([], added)
            counted += len(rows)
        dialect = self._session.bind.dialect.name
        await self._session.execute(
            upsert(dialect, Meta.__table__, {"key": "aggregates", "value": fingerprint}, ["key"], update=["value"])
        )
        return counted

    # -- reading ----------------------------------------------------------------------------------------------

    async def count(self, source: str | None = None) -> int:
        query = select(func.count()).select_from(Posting)
        if source:
            query = query.where(Posting.source == source)
        return await self._session.scalar(query) or 0

    async def role_stats(self, top: int = 10) -> list[tuple[str, int, list[tuple[str, int]]]]:
        """Per role: postings, and the most asked refs with their counts (from the aggregates, every stack)."""
        roles = (
            await self._session.execute(
                select(RolePostingCount.role_id, func.sum(RolePostingCount.postings).label("n"))
                .group_by(RolePostingCount.role_id)
                .having(func.sum(RolePostingCount.postings) > 0)
                .order_by(func.sum(RolePostingCount.postings).desc(), RolePostingCount.role_id)
            )
        ).all()
        stats = []
        for role_id, postings in roles:
            skills = (
                await self._session.execute(
                    select(RoleSkillCount.skill_id, func.sum(RoleSkillCount.postings))
                    .where(RoleSkillCount.role_id == role_id)
                    .group_by(RoleSkillCount.skill_id)
                    .having(func.sum(RoleSkillCount.postings) > 0)
                    .order_by(func.sum(RoleSkillCount.postings).desc(), RoleSkillCount.skill_id)
                    .limit(top)
                )
            ).all()
            stats.append((role_id, int(postings), [(s, int(n)) for s, n in skills]))
        return stats

    async def page(self, after: int, limit: int) -> list[dict]:
        """Stored postings with row id above `after`, as plain dicts (the export), skills included; `_key`
        is the row id to continue after. A student's own finds are theirs: not exported."""
        rows = (
            (
                await self._session.execute(
                    select(Posting)
                    .where(Posting.id > after, Posting.added_by.is_(None))
                    .order_by(Posting.id)
                    .limit(limit)
                )
            )
            .scalars()
            .all()
        )
        skills = await self._skills([row.id for row in rows])
        return [
            {
                "_key": row.id, "id": row.source_id, "source": row.source, "title": row.title, "company": row.company,
                "role": row.role_id, "stack": row.stack, "level": row.level, "city": row.city, "remote": row.remote,
                "salary_from": row.salary_from, "salary_to": row.salary_to, "currency": row.currency,
                "published_at": row.published_at.isoformat() if row.published_at else None, "url": row.url,
                "skills": sorted(skills.get(row.id, ())),
            }
            for row in rows
        ]  # fmt: skip

    async def own_skills(self, posting_id: int, user_id: int) -> list[str] | None:
        """The skills of a posting the student added themselves; None when it is not theirs (or gone)."""
        owner = await self._session.scalar(select(Posting.added_by).where(Posting.id == posting_id))
        if owner is None or owner != user_id:
            return None
        return await self.skills_of(posting_id)

    async def skills_of(self, posting_id: int) -> list[str]:
        rows = await self._session.scalars(select(PostingSkill.skill_id).where(PostingSkill.posting_id == posting_id))
        return list(rows)
