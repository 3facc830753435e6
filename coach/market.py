"""What the job market asks for a role and stack: demand per skill and per group of alternatives, the postings
behind it, and one salary story per student (the gap report, /market and the report all tell this one).

A student's market is their role AND stack: the postings of their stack plus the stack-neutral ones (a posting
that names no stack, or two). The storage keeps aggregates on import and fills a `MarketSnapshot`;
`snapshot_from_postings` computes the same figures from `PostingView`s (a student's own postings, tests).

Demand is counted by *ref*: every skill id a posting asks for, and every group of alternatives it asks for
(`groups.toml`), a group once per posting however many of its members the posting lists ("FastAPI/Django" is
one ask for "a Python web framework").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median, quantiles

from coach.catalog import Catalog, SalaryFacts
from coach.catalog.models import SkillLift, Text

MIN_SALARY_SAMPLE = 3  # fewer postings with a salary than this say little: the figure is not shown
ALMOST_EVERY_SHARE = 0.8
HOME_CURRENCY = "KZT"
LEVELS = ("intern", "junior", "middle", "senior")
SOURCES = ("hh", "csv", "sample", "user")


@dataclass(frozen=True)
class PostingView:
    """A posting as the coach sees it (no storage types). `skills` are skill ids (groups are derived);
    `stack` is the role's stack the posting belongs to (None: stack-neutral), read on import by
    `coach.ranking.posting_stack`; `remote` when the posting allows working remotely."""

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
    source: str = "hh"  # where it comes from: hh, csv, user, or sample (a built-in illustration)
    stack: str | None = None
    published_at: date | None = None
    remote: bool = False

    @property
    def has_salary(self) -> bool:
        return self.salary_from is not None or self.salary_to is not None

    @property
    def salary_mid(self) -> float | None:
        values = [v for v in (self.salary_from, self.salary_to) if v is not None]
        return sum(values) / len(values) if values else None


ENOUGH_POSTINGS = 10  # fewer real postings than this cannot weigh skills by demand: the role profile decides


def real_postings(market: MarketSnapshot) -> int:
    """Postings that are vacancies (synced, imported or added by the student), not the built-in samples."""
    return market.postings_total - market.source_counts.get("sample", 0)


def weighs_demand(market: MarketSnapshot) -> bool:
    """Whether the market has enough real postings to rank skills by how often they are asked for."""
    return real_postings(market) >= ENOUGH_POSTINGS


def profile_only(market: MarketSnapshot) -> MarketSnapshot:
    """The same market with no demand figures: ranking by it follows the role profile."""
    return MarketSnapshot(market.role_id, 0, {}, market.postings, market.stack, market.role_total,
                          market.stack_counts, market.source_counts)  # fmt: skip


def posting_refs(catalog: Catalog, skills: Iterable[str]) -> frozenset[str]:
    """What a posting counts for in demand: each of its skill ids and each group one of them belongs to."""
    ids = [sid for sid in skills if sid in catalog.skills]
    return frozenset(ids) | frozenset(catalog.group_of[sid] for sid in ids if sid in catalog.group_of)


def in_market(posting: PostingView, stack: str | None) -> bool:
    """Whether a posting belongs to the market of `stack`: its own postings and the stack-neutral ones."""
    return stack is None or posting.stack is None or posting.stack == stack


@dataclass(frozen=True)
class MarketSnapshot:
    """The market of one role and stack.

    `postings_total`: postings of the stack plus the stack-neutral ones (the whole role when `stack` is None),
    the student's own included. `skill_counts`: ref (skill id or group id) -> postings among them asking for
    it, a group counted once per posting. `postings`: a sample of them (newest first) for best matches and
    salaries. `role_total`: the role's postings of every stack (None: unknown, taken as `postings_total`).
    `stack_counts`: stack id -> the role's postings of that stack (stack-neutral ones are in no entry).
    `source_counts`: "hh" / "csv" / "sample" / "user" -> postings behind the figures. `first_published` /
    `last_published`: the date range of the postings behind the figures (None: not known). `own`: how many of
    them the student added.
    """

    role_id: str
    postings_total: int
    skill_counts: Mapping[str, int]
    postings: tuple[PostingView, ...] = field(default=())
    stack: str | None = None
    role_total: int | None = None
    stack_counts: Mapping[str, int] = field(default_factory=dict)
    source_counts: Mapping[str, int] = field(default_factory=dict)
    first_published: date | None = None
    last_published: date | None = None
    own: int = 0

    def demand(self, ref: str) -> int:
        return self.skill_counts.get(ref, 0)

    def share(self, ref: str) -> float:
        return self.demand(ref) / self.postings_total if self.postings_total else 0.0

    @property
    def whole_role(self) -> int:
        return self.postings_total if self.role_total is None else max(self.role_total, self.postings_total)

    def almost_every(self) -> list[str]:
        """Refs in at least 80% of postings (needs three postings to mean anything)."""
        if self.postings_total < 3:
            return []
        return [ref for ref, _ in self.ranked() if self.share(ref) >= ALMOST_EVERY_SHARE]

    def ranked(self) -> list[tuple[str, int]]:
        """Every ref, most asked first (skills and groups alike; see coach.ranking.asked for what to show)."""
        return sorted(self.skill_counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _date_range(postings: Iterable[PostingView]) -> tuple[date | None, date | None]:
    dates = [p.published_at for p in postings if p.published_at is not None]
    return (min(dates), max(dates)) if dates else (None, None)


def snapshot_from_postings(
    catalog: Catalog, role_id: str, stack: str | None, postings: Sequence[PostingView]
) -> MarketSnapshot:
    """The snapshot the storage builds from its aggregates, computed from views: `postings` are the role's
    postings of every stack; the figures count those of `stack` plus the stack-neutral ones."""
    mine = [p for p in postings if in_market(p, stack)]
    counts: dict[str, int] = {}
    for posting in mine:
        for ref in posting_refs(catalog, posting.skills):
            counts[ref] = counts.get(ref, 0) + 1
    stacks: dict[str, int] = {}
    for posting in postings:
        if posting.stack is not None:
            stacks[posting.stack] = stacks.get(posting.stack, 0) + 1
    sources: dict[str, int] = {}
    for posting in mine:
        sources[posting.source] = sources.get(posting.source, 0) + 1
    first, last = _date_range(mine)
    newest = sorted(mine, key=lambda p: (p.published_at or date.min, p.id), reverse=True)
    return MarketSnapshot(
        role_id=role_id,
        postings_total=len(mine),
        skill_counts=counts,
        postings=tuple(newest),
        stack=stack,
        role_total=len(postings),
        stack_counts=stacks,
        source_counts=sources,
        first_published=first,
        last_published=last,
        own=sum(1 for p in mine if p.source == "user"),
    )


def with_own(shared: MarketSnapshot, own: Sequence[PostingView], catalog: Catalog) -> MarketSnapshot:
    """The role's market plus the postings one student added (they count for that student only). An added
    posting of another stack stays out, like every other posting of that stack."""
    own = [p for p in own if in_market(p, shared.stack)]
    if not own:
        return shared
    counts = dict(shared.skill_counts)
    for posting in own:
        for ref in posting_refs(catalog, posting.skills):
            counts[ref] = counts.get(ref, 0) + 1
    sources = dict(shared.source_counts)
    sources["user"] = sources.get("user", 0) + len(own)
    dates = [d for d in (shared.first_published, shared.last_published, *_date_range(own)) if d is not None]
    return MarketSnapshot(
        role_id=shared.role_id,
        postings_total=shared.postings_total + len(own),
        skill_counts=counts,
        postings=(*own, *shared.postings),
        stack=shared.stack,
        role_total=None if shared.role_total is None else shared.role_total + len(own),
        stack_counts=shared.stack_counts,
        source_counts=sources,
        first_published=min(dates) if dates else None,
        last_published=max(dates) if dates else None,
        own=shared.own + len(own),
    )


# -- salaries ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SalaryInsight:
    """One salary figure: a level (and a city, or all cities), from postings or from the catalog's facts.

    From postings: `median` of the postings' midpoints, `low`–`high` the middle half of them (25th–75th
    percentile; all of them below four postings), `sample` the postings behind it, `first`/`last` their
    publication dates, `converted` the currencies turned into KZT at the given rates (of `rates_date`).
    From facts (`from_postings` False): the band the source gives, `sample` 0, `fallback_source` names it.
    """

    level: str | None
    city: str | None  # None: across all cities; else the catalog's name for it ("Almaty") or as posted
    low: int
    high: int
    median: int | None
    sample: int
    currency: str
    from_postings: bool
    fallback_source: Text | None = None
    first: date | None = None
    last: date | None = None
    converted: tuple[str, ...] = ()
    rates_date: date | None = None


@dataclass(frozen=True)
class SalaryStory:
    """Everything the bot says about salaries for one student, from one computation.

    `mine`: the headline for the student's level — their city when it has enough postings, else all cities,
    else the catalog's facts when they describe this role and stack, else None ("not enough data yet").
    `by_level`: a row per level (all cities) — from postings when there are enough, else from matching facts.
    `by_city`: the student's level in each city with enough postings. `left_out`: salaries in a currency
    without a rate, by currency: not shown anywhere. `lifts`: the facts' salary lifts, when the facts apply.
    """

    role_id: str
    stack: str | None
    level: str | None
    city: str | None
    mine: SalaryInsight | None
    by_level: tuple[SalaryInsight, ...] = ()
    by_city: tuple[SalaryInsight, ...] = ()
    left_out: Mapping[str, int] = field(default_factory=dict)
    rates_date: date | None = None
    facts_source: Text | None = None  # set when the catalog's facts apply to this role and stack
    lifts: tuple[SkillLift, ...] = ()


def facts_apply(facts: SalaryFacts, role_id: str, stack: str | None) -> bool:
    """The catalog's facts describe one role (and stack): they are used for that scope only."""
    return facts.role == role_id and (facts.stack is None or facts.stack == stack)


def _paid(
    postings: Iterable[PostingView], rates: Mapping[str, float]
) -> tuple[list[tuple[PostingView, float, str]], dict[str, int]]:
    """(posting, midpoint in KZT, currency as posted) for every posting with a convertible salary. The built-in
    samples are illustrations, not vacancies: their salaries are no evidence."""
    paid: list[tuple[PostingView, float, str]] = []
    left_out: dict[str, int] = {}
    for posting in postings:
        if posting.source == "sample":
            continue
        mid = posting.salary_mid
        if mid is None:
            continue
        currency = (posting.currency or HOME_CURRENCY).upper()
        if currency == HOME_CURRENCY:
            paid.append((posting, mid, currency))
        elif rates.get(currency):
            paid.append((posting, mid * rates[currency], currency))
        else:
            left_out[currency] = left_out.get(currency, 0) + 1
    return paid, left_out


def _figure(
    rows: Sequence[tuple[PostingView, float, str]], level: str | None, city: str | None, rates_date: date | None
) -> SalaryInsight:
    mids = sorted(mid for _, mid, _ in rows)
    if len(mids) >= 4:
        low, _, high = quantiles(mids, n=4, method="inclusive")
    else:
        low, high = mids[0], mids[-1]
    first, last = _date_range(p for p, _, _ in rows)
    converted = tuple(sorted({c for _, _, c in rows if c != HOME_CURRENCY}))
    return SalaryInsight(
        level=level,
        city=city,
        low=round(low),
        high=round(high),
        median=round(median(mids)),
        sample=len(rows),
        currency=HOME_CURRENCY,
        from_postings=True,
        first=first,
        last=last,
        converted=converted,
        rates_date=rates_date if converted else None,
    )


class CityKeys:
    """(comparison key, display name) of a city as postings and students name it ("Алматы", "almaty" and
    "Almaty" are one city), looked up once per name: a snapshot repeats a few cities hundreds of times."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._seen: dict[str, tuple[str, str] | None] = {}

    def __call__(self, city: str | None) -> tuple[str, str] | None:
        if not city or city in ("other", "remote"):
            return None
        if city not in self._seen:
            known = self._catalog.city(city)
            self._seen[city] = (known.id, known.name) if known else (city.strip().casefold(), city.strip())
        return self._seen[city]

    def same(self, a: str | None, b: str | None) -> bool:
        ka, kb = self(a), self(b)
        return ka is not None and kb is not None and ka[0] == kb[0]


def _city_key(catalog: Catalog, city: str | None) -> tuple[str, str] | None:
    return CityKeys(catalog)(city)


def same_city(catalog: Catalog, a: str | None, b: str | None) -> bool:
    return CityKeys(catalog).same(a, b)


def _facts_figure(facts: SalaryFacts, catalog: Catalog, level: str, city: str | None) -> SalaryInsight | None:
    band, scope = None, None
    key = _city_key(catalog, city)
    if key is not None:
        for name, levels in facts.cities.items():
            if _city_key(catalog, name) == key and level in levels:
                band, scope = levels[level], key[1]
    if band is None and level in facts.levels:
        band = facts.levels[level]
    if band is None:
        return None
    return SalaryInsight(
        level=level, city=scope, low=band.low, high=band.high, median=None, sample=0, currency=facts.currency,
        from_postings=False, fallback_source=facts.source,
    )  # fmt: skip


def salary_story(
    catalog: Catalog,
    market: MarketSnapshot,
    level: str | None,
    city: str | None,
    rates: Mapping[str, float] | None = None,
    rates_date: date | None = None,
) -> SalaryStory:
    """The one salary story for a student of `market`'s role and stack at `level` in `city`.

    Only the market's postings count (their stack and the stack-neutral ones); a salary in another currency is
    converted to KZT only when `rates` (KZT for one unit) has it, and left out otherwise; the catalog's facts
    stand in only for the role and stack they describe, labelled with their source.
    """
    rates = {code.upper(): rate for code, rate in (rates or {}).items()}
    city_key = CityKeys(catalog)
    postings = [p for p in market.postings if in_market(p, market.stack)]
    paid, left_out = _paid(postings, rates)
    facts = catalog.salary if facts_apply(catalog.salary, market.role_id, market.stack) else None

    by_level: list[SalaryInsight] = []
    for lvl in LEVELS:
        rows = [row for row in paid if row[0].level == lvl]
        if len(rows) >= MIN_SALARY_SAMPLE:
            by_level.append(_figure(rows, lvl, None, rates_date))
        elif facts is not None and lvl in facts.levels:
            by_level.append(_facts_figure(facts, catalog, lvl, None))  # type: ignore[arg-type]

    by_city: list[SalaryInsight] = []
    if level:
        cities: dict[str, tuple[str, list[tuple[PostingView, float, str]]]] = {}
        for row in paid:
            key = city_key(row[0].city)
            if row[0].level == level and key is not None:
                cities.setdefault(key[0], (key[1], []))[1].append(row)
        for name, rows in sorted(cities.values(), key=lambda kv: (-len(kv[1]), kv[0])):
            if len(rows) >= MIN_SALARY_SAMPLE:
                by_city.append(_figure(rows, level, name, rates_date))

    mine: SalaryInsight | None = None
    if level:
        home = city_key(city)
        mine = next((row for row in by_city if home is not None and city_key(row.city) == home), None)
        if mine is None:
            mine = next((row for row in by_level if row.level == level and row.from_postings), None)
        if mine is None and facts is not None:
            mine = _facts_figure(facts, catalog, level, city)
    return SalaryStory(
        role_id=market.role_id,
        stack=market.stack,
        level=level,
        city=city,
        mine=mine,
        by_level=tuple(by_level),
        by_city=tuple(by_city),
        left_out=left_out,
        rates_date=rates_date,
        facts_source=facts.source if facts is not None else None,
        lifts=facts.lifts if facts is not None else (),
    )


def level_distance(a: str | None, b: str | None) -> int | None:
    """Steps between two levels (intern < junior < middle < senior); None when either is unknown."""
    if a not in LEVELS or b not in LEVELS:
        return None
    return abs(LEVELS.index(a) - LEVELS.index(b))
