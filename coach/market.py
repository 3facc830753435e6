"""What the job market asks for a role: demand per skill, and salaries by level and city."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

from coach.catalog import SalaryFacts

MIN_SALARY_SAMPLE = 3  # fewer postings with a salary than this say little; fall back to the catalog's facts
ALMOST_EVERY_SHARE = 0.8


@dataclass(frozen=True)
class PostingView:
    """A posting as the coach sees it (no storage types)."""

    id: int
    title: str
    company: str | None
    skills: frozenset[str]
    level: str | None = None
    city: str | None = None
    url: str | None = None
    salary_from: int | None = None
    salary_to: int | None = None
    currency: str | None = None
    source: str = "sample"

    @property
    def has_salary(self) -> bool:
        return self.salary_from is not None or self.salary_to is not None

    @property
    def salary_mid(self) -> float | None:
        values = [v for v in (self.salary_from, self.salary_to) if v is not None]
        return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class MarketSnapshot:
    role_id: str
    postings_total: int
    skill_counts: Mapping[str, int]  # skill id -> postings of the role that ask for it
    postings: tuple[PostingView, ...] = field(default=())  # the postings behind it (for matches and salaries)

    def demand(self, skill_id: str) -> int:
        return self.skill_counts.get(skill_id, 0)

    def share(self, skill_id: str) -> float:
        return self.demand(skill_id) / self.postings_total if self.postings_total else 0.0

    def almost_every(self) -> list[str]:
        """Skills in at least 80% of postings (needs three postings to mean anything)."""
        if self.postings_total < 3:
            return []
        return [sid for sid, _ in self.ranked() if self.share(sid) >= ALMOST_EVERY_SHARE]

    def ranked(self) -> list[tuple[str, int]]:
        return sorted(self.skill_counts.items(), key=lambda kv: (-kv[1], kv[0]))


def with_own(shared: MarketSnapshot, own: Sequence[PostingView]) -> MarketSnapshot:
    """The role's market plus the postings one student added (they count for that student only)."""
    if not own:
        return shared
    counts = dict(shared.skill_counts)
    for posting in own:
        for skill in posting.skills:
            counts[skill] = counts.get(skill, 0) + 1
    return MarketSnapshot(shared.role_id, shared.postings_total + len(own), counts, (*own, *shared.postings))


def snapshot_from_postings(role_id: str, postings: Sequence[PostingView]) -> MarketSnapshot:
    counts: dict[str, int] = {}
    for posting in postings:
        for skill in posting.skills:
            counts[skill] = counts.get(skill, 0) + 1
    return MarketSnapshot(role_id, len(postings), counts, tuple(postings))


@dataclass(frozen=True)
class SalaryInsight:
    """Salary for a level (and city): from postings when there are enough, else from the catalog's facts."""

    level: str | None
    city: str | None  # None: across all cities
    low: int
    high: int
    median: int | None
    sample: int  # postings with a salary behind the figures; 0 for catalog facts
    currency: str
    from_postings: bool
    fallback_source: str | None = None  # where catalog facts come from


def salary_insight(
    postings: Sequence[PostingView], facts: SalaryFacts, level: str | None, city: str | None, currency: str = "KZT"
) -> SalaryInsight | None:
    paid = [p for p in postings if p.has_salary and (p.currency or currency) == currency]
    if level:
        paid = [p for p in paid if p.level == level]
    scopes = [city, None] if city else [None]
    for scope in scopes:
        sample = [p for p in paid if scope is None or p.city == scope]
        if len(sample) >= MIN_SALARY_SAMPLE:
            lows = [p.salary_from if p.salary_from is not None else p.salary_to for p in sample]
            highs = [p.salary_to if p.salary_to is not None else p.salary_from for p in sample]
            mids = [p.salary_mid for p in sample]
            return SalaryInsight(
                level=level,
                city=scope,
                low=int(min(v for v in lows if v is not None)),
                high=int(max(v for v in highs if v is not None)),
                median=int(median(m for m in mids if m is not None)),
                sample=len(sample),
                currency=currency,
                from_postings=True,
            )
    return _catalog_salary(facts, level, city)


def _catalog_salary(facts: SalaryFacts, level: str | None, city: str | None) -> SalaryInsight | None:
    if not level:
        return None
    by_city = facts.cities.get(city or "", {})
    # The facts give one "entry" range per city; interns are paid below it, so their city figure is skipped.
    if level in by_city:
        band, scope = by_city[level], city
    elif level in facts.levels:
        band, scope = facts.levels[level], None
    else:
        return None
    return SalaryInsight(
        level=level,
        city=scope,
        low=band.low,
        high=band.high,
        median=None,
        sample=0,
        currency=facts.currency,
        from_postings=False,
        fallback_source=facts.source,
    )


@dataclass(frozen=True)
class SalaryRow:
    level: str | None
    currency: str
    median: int
    low: int
    high: int
    sample: int


def _converted(value: float | None, posted: str | None, rates: Mapping[str, float]) -> float | None:
    if value is None or posted not in rates:
        return value
    return value * rates[posted]


def salary_by_city(
    postings: Sequence[PostingView], level: str, rates: Mapping[str, float], home: str = "KZT"
) -> dict[str, list[SalaryRow]]:
    """For one level, the salary rows of each city that has postings with a salary."""
    cities: dict[str, list[PostingView]] = {}
    for posting in postings:
        if posting.level == level and posting.has_salary and posting.city:
            cities.setdefault(posting.city, []).append(posting)
    return {city: salary_table(group, rates, home) for city, group in sorted(cities.items())}


def salary_table(postings: Sequence[PostingView], rates: Mapping[str, float], home: str = "KZT") -> list[SalaryRow]:
    """Salaries by level: median of posting midpoints, lowest and highest figure, sample size. A currency with
    a rate is converted to `home`; others are shown as posted, in rows of their own."""
    groups: dict[tuple[str | None, str], list[PostingView]] = {}
    for posting in postings:
        if not posting.has_salary:
            continue
        currency = posting.currency or home
        groups.setdefault((posting.level, home if currency in rates else currency), []).append(posting)
    rows = []
    for (level, currency), group in groups.items():
        mids = [_converted(p.salary_mid, p.currency, rates) for p in group]
        lows = [
            _converted(p.salary_from if p.salary_from is not None else p.salary_to, p.currency, rates) for p in group
        ]
        highs = [
            _converted(p.salary_to if p.salary_to is not None else p.salary_from, p.currency, rates) for p in group
        ]
        rows.append(
            SalaryRow(level, currency, int(median(m for m in mids if m is not None)),
                      int(min(v for v in lows if v is not None)), int(max(v for v in highs if v is not None)),
                      len(group))
        )  # fmt: skip
    order = {"intern": 0, "junior": 1, "middle": 2, "senior": 3}
    return sorted(rows, key=lambda r: (order.get(r.level or "", 9), r.currency))
