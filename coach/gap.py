"""The gap report: what a student has and lacks for a role, weighed by what the postings ask for."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from coach.catalog import Catalog
from coach.market import MarketSnapshot, PostingView, SalaryInsight, salary_insight

BEST_POSTINGS = 3
SURPRISE_MIN_POSTINGS = 1


@dataclass(frozen=True)
class SkillDemand:
    skill_id: str
    postings: int  # how many of the role's postings ask for it
    total: int  # out of how many
    core: bool

    @property
    def share(self) -> float:
        return self.postings / self.total if self.total else 0.0


@dataclass(frozen=True)
class PostingMatch:
    posting: PostingView
    matched: frozenset[str]

    @property
    def total(self) -> int:
        return len(self.posting.skills)

    @property
    def missing(self) -> frozenset[str]:
        return self.posting.skills - self.matched


@dataclass(frozen=True)
class Gap:
    role_id: str
    core_total: int
    core_have: tuple[str, ...]
    have: tuple[str, ...]  # every skill the student has that the role or its postings use, profile order
    other_have: tuple[str, ...]  # skills the student has that this role does not use
    lack: tuple[SkillDemand, ...]  # missing profile skills, most demanded first
    in_both: tuple[str, ...]  # asked by postings and in the role profile
    surprising: tuple[SkillDemand, ...]  # asked by postings, absent from the profile
    almost_every: tuple[str, ...]
    best_postings: tuple[PostingMatch, ...]
    postings_total: int
    salary: SalaryInsight | None

    @property
    def core_share(self) -> float:
        return len(self.core_have) / self.core_total if self.core_total else 0.0


def posting_match(posting: PostingView, have: Collection[str]) -> PostingMatch:
    return PostingMatch(posting, frozenset(posting.skills & set(have)))


def compute_gap(
    catalog: Catalog,
    role_id: str,
    have: Collection[str],
    market: MarketSnapshot,
    level: str | None = None,
    city: str | None = None,
) -> Gap:
    from coach.roadmap import _flat

    role = _flat(catalog, catalog.role(role_id))
    owned = set(have)
    profile = role.core + role.nice
    in_profile = set(profile)
    core_have = tuple(sid for sid in role.core if sid in owned)
    used = in_profile | set(market.skill_counts)
    total = market.postings_total

    def demand(sid: str) -> SkillDemand:
        return SkillDemand(sid, market.demand(sid), total, sid in role.core)

    order = {sid: i for i, sid in enumerate(profile)}
    missing = [demand(sid) for sid in profile if sid not in owned]
    # Most demanded first; among equals the profile's core comes before nice-to-have, then profile order.
    lack = sorted(missing, key=lambda d: (-d.postings, not d.core, order[d.skill_id]))
    surprising = sorted(
        (
            demand(sid)
            for sid, count in market.skill_counts.items()
            if sid not in in_profile and count >= SURPRISE_MIN_POSTINGS
        ),
        key=lambda d: (-d.postings, d.skill_id),
    )
    in_both = [sid for sid, _ in market.ranked() if sid in in_profile]
    matches = sorted(
        (posting_match(p, owned) for p in market.postings if p.skills),
        key=lambda m: (-len(m.matched) / m.total, -len(m.matched), m.posting.id),
    )
    return Gap(
        role_id=role_id,
        core_total=len(role.core),
        core_have=core_have,
        have=tuple(sid for sid in [*profile, *sorted(owned - in_profile)] if sid in owned and sid in used),
        other_have=tuple(sorted(owned - used, key=lambda sid: catalog.skills[sid].name.lower())),
        lack=tuple(lack),
        in_both=tuple(in_both),
        surprising=tuple(surprising),
        almost_every=tuple(market.almost_every()),
        best_postings=tuple(matches[:BEST_POSTINGS]),
        postings_total=total,
        salary=salary_insight(market.postings, catalog.salary, level, city),
    )
