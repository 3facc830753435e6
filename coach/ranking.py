"""One ranking of what a student lacks, used by both the gap report and the roadmap, so the two always agree.

Refs. A ref is a skill id or a group id (`groups.toml`: "FastAPI/Django", "AWS/GCP/Azure"): a posting asking
for any member asks for the group, a student who has one member has the group, and a lacking group is learned
through one member (`SkillDemand.skill_id`).

Stacks. A role may split by stack (Backend: Python, Java, Go, ...). The student's stack is read from the
markers they have (`student_stack`); their profile is the role's core and nice plus the stack's, and their
market is the stack's postings plus the stack-neutral ones. What belongs only to the role's other stacks
(Java, Spring, PHP, MySQL for a Python student) never appears among their gaps or surprises; it is shown as
other stacks (`other_stacks`).

The ranking rule (`rank`), in order:
1. the skills of the term in progress, as stored (a term is finished before the plan moves on);
2. what the student says they lack — their own words are the strongest signal: the role's core for their
   stack first, then its nice-to-have, then anything else they named; within each, the order they typed
   (when `want` is a sequence), then demand (a named skill only the role's other stacks use is listed apart,
   `Ranking.elsewhere`: a Python student's "JUnit" is not a Python backend gap);
3. the role's core for their stack, most demanded first;
4. the nice-to-have the postings actually ask for (all of it when no postings are stored), most demanded first;
   a skill built on an alternative the student did not take (DRF on Django, for a FastAPI student) is left out.
Ties: demand share, then the order of the role's profile (core, then nice, as `roles.toml` writes them), then
the id. A missing hard prerequisite (`Skill.requires`) the student neither has nor implies goes right before
the first skill that needs it, with that skill's label when it is a gap of its own. Skills the student turned
down (skipped every remaining item) are not ranked again; they are listed apart.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from coach.catalog import Catalog, Category
from coach.classify import stack_of
from coach.market import MarketSnapshot
from coach.progress import History

SURPRISES = 5  # at most this many surprises
SURPRISE_MIN_SHARE = 0.05  # a skill in fewer of the postings than this is noise, not a surprise
_TITLE_WORDS = re.compile(r"[\w+#.]+")


class Reason(StrEnum):
    CORE = "core"
    WANTED = "wanted"  # the student said they lack it
    NICE = "nice"
    PREREQUISITE = "prerequisite"
    SOFT = "soft"  # a soft skill practised alongside (not a gap of the role's profile)


@dataclass(frozen=True)
class SkillDemand:
    """A ref and how much the student's market asks for it.

    `ref`: the skill or group the gap is about ("one of ..." for a group: `Catalog.ref_name(ref)`);
    `skill_id`: what to learn for it — the ref itself, or the group's member picked for this student.
    In a ranking: `reason`, `core` (in the role's core for the stack), `named` (the student said they lack it),
    `soft`, and for a prerequisite `needed_by` (the skill that needs it)."""

    ref: str
    skill_id: str
    postings: int  # postings of the student's market asking for the ref
    total: int  # out of how many
    reason: Reason | None = None
    core: bool = False
    named: bool = False
    soft: bool = False
    needed_by: str | None = None

    @property
    def share(self) -> float:
        return self.postings / self.total if self.total else 0.0


@dataclass(frozen=True)
class StackProfile:
    """A role's profile for one stack, as refs. `hints`: group -> the member the role or stack names (React
    for a React student's "front-end framework"). `foreign`: refs only the role's other stacks use (every
    stack's when `stack` is None)."""

    role_id: str
    stack: str | None
    core: tuple[str, ...]
    nice: tuple[str, ...]
    hints: Mapping[str, str] = field(default_factory=dict)
    foreign: frozenset[str] = frozenset()

    def order(self, ref: str) -> int:
        refs = (*self.core, *self.nice)
        return refs.index(ref) if ref in refs else len(refs)


@dataclass(frozen=True)
class Ranking:
    """What a student lacks, in the one order both the gap report and the roadmap use."""

    role_id: str
    stack: str | None
    known: frozenset[str]  # what the student has, prerequisites implied: have ∪ acquired, closed
    entries: tuple[SkillDemand, ...]
    skipped: tuple[str, ...] = ()  # refs the student turned down: not ranked again
    profile: StackProfile | None = None
    elsewhere: tuple[str, ...] = ()  # refs the student named that only the role's other stacks use


@dataclass(frozen=True)
class StackShare:
    stack_id: str
    name: str
    postings: int
    share: float  # of the role's postings


# -- stacks ----------------------------------------------------------------------------------------------


def _best(scores: Mapping[str, int]) -> str | None:
    top = max(scores.values(), default=0)
    winners = [sid for sid, score in scores.items() if score == top]
    return winners[0] if top > 0 and len(winners) == 1 else None


def student_stack(catalog: Catalog, role_id: str, have: Iterable[str], want: Iterable[str] = ()) -> str | None:
    """The stack of the role a student's skills point to: most markers among what they have (prerequisites
    implied: FastAPI counts Python too), ties broken by the markers among what they want. None when nothing
    points anywhere, or on a tie that is still a tie ("Go/Python")."""
    role = catalog.roles.get(role_id)
    if role is None or not role.stacks:
        return None
    known = catalog.implied(have)
    wanted = {sid for sid in want if sid in catalog.skills}
    have_scores = {s.id: len(known & set(s.markers)) for s in role.stacks}
    want_scores = {s.id: len(wanted & set(s.markers)) for s in role.stacks}
    top = max(have_scores.values())
    if top == 0:
        return _best(want_scores)
    tied = [sid for sid, score in have_scores.items() if score == top]
    if len(tied) == 1:
        return tied[0]
    return _best({sid: want_scores[sid] for sid in tied})


def posting_stack(catalog: Catalog, role_id: str | None, skills: Collection[str], title: str = "") -> str | None:
    """The stack a posting of `role_id` belongs to — the import's rule (`coach.classify.stack_of`): the one its
    title names first, else the one most of its skills mark; None (stack-neutral) when nothing decides."""
    if role_id is None or role_id not in catalog.roles:
        return None
    return stack_of(catalog, role_id, title, list(skills))


def _ref(catalog: Catalog, item: str) -> str:
    return item if item in catalog.groups else catalog.ref_of(item)


def stack_profile(catalog: Catalog, role_id: str, stack: str | None) -> StackProfile:
    role = catalog.role(role_id)
    core_items, nice_items = role.profile(stack)
    hints: dict[str, str] = {}
    for item in (*core_items, *nice_items):
        if item in catalog.skills and catalog.ref_of(item) != item:
            hints.setdefault(catalog.ref_of(item), item)
    core = tuple(dict.fromkeys(_ref(catalog, item) for item in core_items))
    nice = tuple(ref for ref in dict.fromkeys(_ref(catalog, item) for item in nice_items) if ref not in core)
    mine = set(core) | set(nice)
    foreign = {
        _ref(catalog, item)
        for other in role.stacks
        if other.id != stack
        for item in (*other.markers, *other.core, *other.nice)
    }  # fmt: skip
    return StackProfile(role_id, role.stack(stack).id if role.stack(stack) else None, core, nice, hints,
                        frozenset(foreign - mine))  # fmt: skip


def other_stacks(catalog: Catalog, market: MarketSnapshot) -> list[StackShare]:
    """The role's other stacks and their share of its postings ("Java 22 %, PHP 16 %"), most first."""
    role = catalog.role(market.role_id)
    whole = market.whole_role
    shares = [
        StackShare(s.id, s.name, market.stack_counts.get(s.id, 0), market.stack_counts.get(s.id, 0) / whole)
        for s in role.stacks
        if s.id != market.stack and market.stack_counts.get(s.id, 0) and whole
    ]
    return sorted(shares, key=lambda s: (-s.postings, s.stack_id))


# -- what the market asks --------------------------------------------------------------------------------


def asked(catalog: Catalog, market: MarketSnapshot, profile: StackProfile | None = None) -> list[SkillDemand]:
    """What the postings of the market ask for, by ref (a group once, not its members), most asked first;
    with `profile`, without what only the role's other stacks use. `skill_id` of a group: its most asked
    member."""
    refs: set[str] = set()
    for key in market.skill_counts:
        if key in catalog.groups:
            refs.add(key)
        elif key in catalog.skills:
            refs.add(catalog.ref_of(key))
    if profile is not None:
        refs -= profile.foreign
    total = market.postings_total
    result = []
    for ref in refs:
        count = market.demand(ref)
        if count <= 0:
            continue
        members = catalog.members(ref)
        member = min(members, key=lambda m: (-market.demand(m), members.index(m)))
        result.append(SkillDemand(ref, member, count, total))
    return sorted(result, key=lambda d: (-d.postings, d.ref))


def surprises(
    catalog: Catalog, market: MarketSnapshot, profile: StackProfile, limit: int = SURPRISES
) -> list[SkillDemand]:
    """Asked by the postings of the student's market, absent from the role's profile for their stack, not
    another stack's, not a soft skill; in at least 5% of the postings; at most `limit`, most asked first."""
    mine = set(profile.core) | set(profile.nice)
    found = [
        d for d in asked(catalog, market, profile)
        if d.ref not in mine
        and not (d.ref in catalog.skills and catalog.skills[d.ref].category is Category.SOFT)
        and d.share >= SURPRISE_MIN_SHARE
    ]  # fmt: skip
    return found[:limit]


# -- the ranking -----------------------------------------------------------------------------------------


def rank(
    catalog: Catalog,
    role_id: str,
    have: Collection[str],
    market: MarketSnapshot,
    want: Collection[str] = (),
    history: History | None = None,
) -> Ranking:
    """What the student lacks for `role_id`, in the order to learn it (the rule is in the module's doc).

    `have`: skills the student says they have; `want`: skills they say they lack (a list or tuple keeps the
    order they typed, which then decides within a tier; a set does not); `history`: what their stored items
    say (acquired skills count as had). The stack is the market's (`market.stack`), or when the market is the
    whole role's, the one the student's skills point to.
    """
    history = history or History()
    owned = {sid for sid in (*have, *history.acquired) if sid in catalog.skills}
    known = frozenset(catalog.implied(owned))
    stack = market.stack if market.stack is not None else student_stack(catalog, role_id, owned, want)
    profile = stack_profile(catalog, role_id, stack)
    ordered = isinstance(want, Sequence) and not isinstance(want, str)
    want_ids = [sid for sid in dict.fromkeys(want) if sid in catalog.skills]
    if not ordered:
        want_ids.sort()
    typed = {sid: i for i, sid in enumerate(want_ids)} if ordered else {}
    total = market.postings_total
    core, nice = set(profile.core), set(profile.nice)
    skipped_skills = set(history.skipped) - known
    turned_down = {catalog.ref_of(sid) for sid in skipped_skills} | skipped_skills

    def lacking(ref: str) -> bool:
        return not catalog.covered(ref, known)

    def foreign(sid: str) -> bool:
        """Only the role's other stacks use it, or it is built on what only they use (JUnit on Java)."""
        return any(
            catalog.ref_of(req) in profile.foreign
            for req in catalog.prerequisites_first([sid])
            if req == sid or req not in known
        )

    named: dict[str, list[str]] = {}
    elsewhere: list[str] = []
    for sid in want_ids:
        ref = catalog.ref_of(sid)
        if not lacking(ref):
            continue
        if foreign(sid):
            elsewhere.append(ref)
        else:
            named.setdefault(ref, []).append(sid)

    def tier(ref: str) -> int:
        return 0 if ref in core else 1 if ref in nice else 2

    def by_demand(ref: str) -> tuple:
        return (-market.share(ref), profile.order(ref), ref)

    named_refs = sorted(named, key=lambda r: (tier(r), min(typed.get(s, 0) for s in named[r]), *by_demand(r)))
    core_refs = sorted((r for r in profile.core if r not in named and lacking(r)), key=by_demand)
    nice_refs = sorted(
        (r for r in profile.nice if r not in named and lacking(r) and (market.demand(r) > 0 or total == 0)),
        key=by_demand,
    )
    candidates = set(named) | core | nice

    def missing_prerequisites(sid: str) -> set[str]:
        return catalog.prerequisites(catalog.skills[sid].requires) - known

    def choose(ref: str) -> str | None:
        """The skill to learn for a ref: itself, or for a group the member the student named, else the one
        their role or stack names, else the most asked one (then the one needing fewest new prerequisites)."""
        members = [
            m for m in catalog.members(ref) if catalog.skills[m].actions and m not in skipped_skills and not foreign(m)
        ]
        if not members:
            return None
        if ref not in catalog.groups:
            return members[0]
        said = [m for m in named.get(ref, ()) if m in members]
        if said:
            return min(said, key=lambda m: (typed.get(m, 0), -market.demand(m), members.index(m)))
        hint = profile.hints.get(ref)
        if hint in members:
            return hint
        return min(members, key=lambda m: (-market.demand(m), len(missing_prerequisites(m) - placed), members.index(m)))

    def built_on_untaken_alternative(sid: str) -> bool:
        """DRF needs Django: for a student whose Python web framework is FastAPI, DRF is not a gap."""
        return any(
            req not in known and req in catalog.group_of and catalog.covered(catalog.group_of[req], known)
            for req in catalog.skills[sid].requires
        )

    entries: list[SkillDemand] = []
    placed: set[str] = set()

    def label(ref: str) -> Reason:
        if ref in named:
            return Reason.WANTED
        if ref in core:
            return Reason.CORE
        if ref in nice:
            return Reason.NICE
        return Reason.PREREQUISITE

    def add(ref: str, sid: str, reason: Reason, needed_by: str | None = None) -> None:
        placed.add(sid)
        entries.append(
            SkillDemand(
                ref=ref, skill_id=sid, postings=market.demand(ref), total=total, reason=reason, core=ref in core,
                named=ref in named, soft=catalog.skills[sid].category is Category.SOFT, needed_by=needed_by,
            )
        )  # fmt: skip

    def ref_for(sid: str) -> str:
        ref = catalog.ref_of(sid)
        return ref if ref in candidates else sid

    def place(ref: str, sid: str, reason: Reason) -> None:
        for required in catalog.prerequisites_first([sid]):
            if required == sid or required in known or required in placed or required in skipped_skills:
                continue
            if not catalog.skills[required].actions:
                continue
            pref = ref_for(required)
            add(pref, required, label(pref), needed_by=sid)
        add(ref, sid, reason)

    for sid in dict.fromkeys(history.current):
        if sid in catalog.skills and sid not in known and sid not in placed:
            ref = ref_for(sid)
            soft_extra = catalog.skills[sid].category is Category.SOFT and ref not in candidates
            add(ref, sid, Reason.SOFT if soft_extra else label(ref))

    skipped: list[str] = []
    for group, refs in ((0, named_refs), (1, core_refs), (2, nice_refs)):
        for ref in refs:
            if catalog.covered(ref, known | placed):
                continue
            if ref in turned_down:
                skipped.append(ref)
                continue
            sid = choose(ref)
            if sid is None or sid in placed:
                continue
            if group and built_on_untaken_alternative(sid):
                continue
            place(ref, sid, label(ref))
    return Ranking(
        role_id, profile.stack, known, tuple(entries), tuple(dict.fromkeys(skipped)), profile,
        tuple(dict.fromkeys(ref for ref in elsewhere if ref not in named)),
    )  # fmt: skip
