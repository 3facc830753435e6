"""The gap report: what a student has and lacks for a role and stack, in the ranking the roadmap follows,
weighed by what their market's postings ask for."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from coach.catalog import Catalog
from coach.market import CityKeys, MarketSnapshot, PostingView, SalaryInsight, SalaryStory, in_market, level_distance
from coach.market import salary_story as _salary_story
from coach.progress import History
from coach.ranking import Ranking, SkillDemand, StackShare, asked, other_stacks, rank, surprises

__all__ = ["Gap", "PostingMatch", "SkillDemand", "best_matches", "compute_gap", "posting_match"]

BEST_POSTINGS = 3
TOP_GAPS = 8  # the report shows the student's named lacks plus at most this many others
MIN_MATCH_SHARE = 0.25  # a posting the student meets less than a quarter of is not a "match"


@dataclass(frozen=True)
class PostingMatch:
    """A posting against a student: `asks` are its refs (a group once: "FastAPI/Django" is one ask),
    `matched` those the student covers."""

    posting: PostingView
    matched: frozenset[str]
    asks: frozenset[str] = frozenset()

    @property
    def total(self) -> int:
        return len(self.asks) if self.asks else len(self.posting.skills)

    @property
    def share(self) -> float:
        return len(self.matched) / self.total if self.total else 0.0

    @property
    def missing(self) -> frozenset[str]:
        return (self.asks or self.posting.skills) - self.matched


def posting_match(posting: PostingView, have: Collection[str], catalog: Catalog | None = None) -> PostingMatch:
    """How a student's skills meet a posting. With `catalog` (always pass it): by refs, the student's
    prerequisites implied; without, skill by skill as written."""
    if catalog is None:
        return PostingMatch(posting, frozenset(posting.skills & set(have)), frozenset(posting.skills))
    return _match(catalog, posting, _covered_refs(catalog, have))


def _covered_refs(catalog: Catalog, have: Collection[str]) -> frozenset[str]:
    """Every ref a student covers: what they know (prerequisites implied) and the groups of it."""
    known = catalog.implied(have)
    return frozenset(known | {catalog.group_of[sid] for sid in known if sid in catalog.group_of})


def _match(catalog: Catalog, posting: PostingView, covered: frozenset[str]) -> PostingMatch:
    group_of = catalog.group_of
    asks = frozenset(group_of.get(sid, sid) for sid in posting.skills if sid in catalog.skills)
    return PostingMatch(posting, asks & covered, asks)


def best_matches(
    catalog: Catalog,
    market: MarketSnapshot,
    have: Collection[str],
    level: str | None,
    city: str | None,
    limit: int = BEST_POSTINGS,
    stack: str | None = None,
) -> list[PostingMatch]:
    """The postings of the student's stack (`stack`, else the market's) or stack-neutral ones that they meet in
    at least one ask and a quarter of them, at their level ±1 (or of unknown level). First those in their city
    or remote at their level; then by how much of the posting they meet, newest first."""
    stack = stack if stack is not None else market.stack
    remote_student = city == "remote"
    cities = CityKeys(catalog)

    def place(posting: PostingView) -> int:
        if not city or city == "other":
            return 0
        if posting.remote or (not remote_student and cities.same(posting.city, city)):
            return 0
        return 1

    def step(posting: PostingView) -> int:
        distance = level_distance(posting.level, level)
        return 0 if not level else 1 if distance is None else distance

    covered = _covered_refs(catalog, have)
    found = []
    for posting in market.postings:
        if not posting.skills or not in_market(posting, stack):
            continue
        if step(posting) > 1:
            continue
        match = _match(catalog, posting, covered)
        if not match.matched or match.share < MIN_MATCH_SHARE:
            continue
        found.append(match)
    found.sort(
        key=lambda m: (
            place(m.posting) + step(m.posting),
            -m.share,
            -len(m.matched),
            -(m.posting.published_at or date.min).toordinal(),
            m.posting.id,
        )
    )
    return found[:limit]


@dataclass(frozen=True)
class Gap:
    """The gap report. `lack` is the ranking (`coach.ranking.rank`) — the roadmap's order: named lacks, core,
    nice-to-have, prerequisites right before what needs them. Refs: `catalog.ref_name(ref)` names a group
    ("one of ..."). `salary` is the headline of `salaries` (None: not enough data yet)."""

    role_id: str
    core_total: int  # refs in the role's core for the stack
    core_have: tuple[str, ...]  # core refs the student covers
    have: tuple[str, ...]  # skills the student has that the role or its postings use, profile order
    other_have: tuple[str, ...]  # skills the student has that this role does not use
    lack: tuple[SkillDemand, ...]
    in_both: tuple[str, ...]  # refs asked by the postings and in the profile, most asked first
    surprising: tuple[SkillDemand, ...]  # at most coach.ranking.SURPRISES
    almost_every: tuple[str, ...]  # refs in at least 80% of the postings
    best_postings: tuple[PostingMatch, ...]
    postings_total: int
    salary: SalaryInsight | None
    stack: str | None = None
    salaries: SalaryStory | None = None
    other_stacks: tuple[StackShare, ...] = ()
    skipped: tuple[str, ...] = ()  # refs the student turned down
    # Skills of the role the student covers through others without naming them (REST API brings HTTP): they
    # count as covered, so the report names them beside `have`.
    implied: tuple[str, ...] = ()

    @property
    def core_share(self) -> float:
        return len(self.core_have) / self.core_total if self.core_total else 0.0

    @property
    def named(self) -> tuple[SkillDemand, ...]:
        """What the student said they lack and still lacks, in ranking order."""
        return tuple(d for d in self.lack if d.named)

    def top(self, limit: int = TOP_GAPS) -> tuple[SkillDemand, ...]:
        """The first `limit` gaps the student did not name, in ranking order."""
        return tuple(d for d in self.lack if not d.named)[:limit]

    def shown(self, limit: int = TOP_GAPS) -> tuple[SkillDemand, ...]:
        """What the report lists: the named lacks and the `limit` top other gaps, in ranking order."""
        keep = {id(d) for d in (*self.named, *self.top(limit))}
        return tuple(d for d in self.lack if id(d) in keep)


def compute_gap(
    catalog: Catalog,
    role_id: str,
    have: Collection[str],
    market: MarketSnapshot,
    level: str | None = None,
    city: str | None = None,
    *,
    want: Collection[str] = (),
    history: History | None = None,
    rates: Mapping[str, float] | None = None,
    rates_date: date | None = None,
    ranking: Ranking | None = None,
) -> Gap:
    """The gap report for a student of `market`'s role and stack. Pass the same `want` and `history` as to
    `build_plan` (or its `ranking`) and the report lists the gaps in the roadmap's order."""
    history = history or History()
    ranking = ranking or rank(catalog, role_id, have, market, want, history)
    profile = ranking.profile
    assert profile is not None
    known = ranking.known
    owned = {sid for sid in (*have, *history.acquired) if sid in catalog.skills}
    in_profile = set(profile.core) | set(profile.nice)
    profile_skills = [sid for ref in (*profile.core, *profile.nice) for sid in catalog.members(ref)]
    demanded = asked(catalog, market, profile)
    used = set(profile_skills) | {sid for d in demanded for sid in catalog.members(d.ref)}
    order = {sid: i for i, sid in enumerate(dict.fromkeys(profile_skills))}
    story = _salary_story(catalog, market, level, city, rates, rates_date)
    return Gap(
        role_id=role_id,
        core_total=len(profile.core),
        core_have=tuple(ref for ref in profile.core if catalog.covered(ref, known)),
        have=tuple(sorted((sid for sid in owned if sid in used), key=lambda sid: (order.get(sid, len(order)), sid))),
        other_have=tuple(sorted(owned - used, key=lambda sid: catalog.skills[sid].name.lower())),
        lack=ranking.entries,
        in_both=tuple(d.ref for d in demanded if d.ref in in_profile),
        surprising=tuple(surprises(catalog, market, profile)),
        almost_every=tuple(d.ref for d in demanded if market.postings_total >= 3 and d.share >= 0.8),
        best_postings=tuple(best_matches(catalog, market, owned, level, city, stack=ranking.stack)),
        postings_total=market.postings_total,
        salary=story.mine,
        stack=ranking.stack,
        salaries=story,
        other_stacks=tuple(other_stacks(catalog, market)),
        implied=tuple(
            sorted((sid for sid in known - owned if sid in used), key=lambda sid: (order.get(sid, len(order)), sid))
        ),
        skipped=ranking.skipped,
    )
