"""The roadmap: the first term — a semester's side work with concrete action items — then a backlog of skills.

The plan is a pure function of what the student has (`have` plus the skills whose stored items are all done),
what they say they lack (`want`), what they turned down, the term in progress and the market (see
`build_plan`). It follows the one ranking (`coach.ranking.rank`), so the gap report and the roadmap agree:

* First term: the first hard skills of the ranking, prerequisites included, while they are at most
  `TERM_SKILLS` and their items fit in `TERM_ITEMS - SOFT_RESERVE` (at least three skills always fit: a
  skill has at most four items), then one soft skill whose items fit in what is left of `TERM_ITEMS`. Only
  these items are stored and ticked.
* Backlog: the rest of the ranking, shown as skill names. When every item of the term is settled (done or
  skipped) the next plan promotes the next skills; until then the term in progress stays as it is.
* No item's wording assumes a tool the student neither has nor learns earlier in the plan:
  `Plan.wording` gives the item's neutral `alt` wording then (the main wording while the catalog has none).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from coach.catalog import Catalog, Text
from coach.market import MarketSnapshot
from coach.progress import History
from coach.ranking import Ranking, Reason, SkillDemand, rank

__all__ = ["Plan", "PlannedSkill", "Reason", "Term", "build_plan", "plan_from_ranking"]

TERM_SKILLS = 5  # hard skills in a term at most (prerequisites count)
TERM_ITEMS = 20  # action items in a term at most, soft skill included
SOFT_RESERVE = 3  # items kept for the term's soft skill when the hard skills are chosen
# Soft skills every junior is asked about in interviews: one is practised each term, after any soft skill the
# student named or the role asks for.
SOFT_SKILLS = ("code_review", "pair_programming", "open_source", "technical_writing", "estimation")


class Term(StrEnum):
    NOW = "now"  # the first term: its items are stored and ticked
    NEXT = "next"  # not used by the plan any more (kept for the labels of older views)
    LATER = "later"  # the backlog: skill names, promoted when the term is settled
    SOFT = "soft"  # the term's soft skill, practised alongside


@dataclass(frozen=True)
class PlannedSkill:
    skill_id: str
    term: Term
    reason: Reason
    demand: int  # postings of the student's market asking for `ref`
    ref: str = ""  # the gap it closes: the skill itself or its group ("one of ...")
    total: int = 0  # postings of the student's market
    named: bool = False  # the student said they lack it
    needed_by: str | None = None  # for a prerequisite: the skill that needs it

    @property
    def share(self) -> float:
        return self.demand / self.total if self.total else 0.0


@dataclass(frozen=True)
class Plan:
    """`skills`: the first term (hard skills in ranking order, then its soft skill), then the backlog in
    ranking order. `known`: what the student has (prerequisites implied). `skipped`: refs they turned down."""

    role_id: str
    skills: tuple[PlannedSkill, ...]
    stack: str | None = None
    known: frozenset[str] = frozenset()
    skipped: tuple[str, ...] = ()
    # skill id -> what its items may assume: `known` plus every skill placed before it, prerequisites implied
    covers: Mapping[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def term(self) -> tuple[PlannedSkill, ...]:
        return tuple(p for p in self.skills if p.term in (Term.NOW, Term.SOFT))

    @property
    def backlog(self) -> tuple[PlannedSkill, ...]:
        return tuple(p for p in self.skills if p.term is Term.LATER)

    def items(self, catalog: Catalog) -> Iterator[tuple[str, int]]:
        """(skill id, action number) of every action item of the first term, in plan order: what to store."""
        for planned in self.term:
            for action_no in range(len(catalog.skills[planned.skill_id].actions)):
                yield planned.skill_id, action_no

    def unmet(self, catalog: Catalog, skill_id: str, action_no: int) -> frozenset[str]:
        """Tools the item's main wording assumes that the student neither has nor learns before it (a group
        counts as learned when any member is)."""
        cover = self.covers.get(skill_id, self.known)
        needs = catalog.action_needs(skill_id, action_no)
        return frozenset(sid for sid in needs if not catalog.covered(catalog.ref_of(sid), cover))

    def wording(self, catalog: Catalog, skill_id: str, action_no: int) -> Text:
        """The item as this student should read it: its neutral `alt` wording when the main one assumes a
        tool they neither have nor learn earlier (the main wording while the catalog gives no `alt`)."""
        action = catalog.skills[skill_id].actions[action_no]
        if action.alt is not None and self.unmet(catalog, skill_id, action_no):
            return action.alt
        return action


def build_plan(
    catalog: Catalog,
    role_id: str,
    have: Collection[str],
    want: Collection[str],
    market: MarketSnapshot,
    history: History | None = None,
) -> Plan:
    """The student's plan. Inputs: `have` (what they say they have), `want` (what they say they lack — a list
    keeps their order), `market` (their role and stack), `history` (`coach.progress.history(items)`: acquired
    skills count as had, turned-down ones are not planned again, and a term in progress is kept as it is)."""
    history = history or History()
    return plan_from_ranking(catalog, rank(catalog, role_id, have, market, want, history), market, history)


def _size(catalog: Catalog, skill_id: str) -> int:
    return len(catalog.skills[skill_id].actions)


def plan_from_ranking(
    catalog: Catalog, ranking: Ranking, market: MarketSnapshot, history: History | None = None
) -> Plan:
    """Split a ranking into the first term and the backlog (see the module's doc)."""
    history = history or History()
    entries = list(ranking.entries)
    known = ranking.known
    soft_ids = catalog.soft_ids
    hard = [e for e in entries if e.skill_id not in soft_ids]
    term_hard: list[SkillDemand] = []
    term_soft: SkillDemand | None = None

    current = set(history.current) & {e.skill_id for e in entries}
    if current:  # a term in progress stays as it is (what of it the student has meanwhile is gone)
        term_hard = [e for e in hard if e.skill_id in current]
        term_soft = next((e for e in entries if e.skill_id in soft_ids and e.skill_id in current), None)
    else:
        items = 0
        for entry in hard:
            size = _size(catalog, entry.skill_id)
            if len(term_hard) >= TERM_SKILLS or items + size > TERM_ITEMS - SOFT_RESERVE:
                break
            term_hard.append(entry)
            items += size
        learned = catalog.implied(known | {e.skill_id for e in term_hard})
        turned_down = set(history.skipped)
        ranked_soft = [e for e in entries if e.skill_id in soft_ids]
        classics = [
            SkillDemand(sid, sid, market.demand(sid), market.postings_total, Reason.SOFT, soft=True)
            for sid in SOFT_SKILLS
            if sid in catalog.skills and sid not in known and not any(e.skill_id == sid for e in entries)
        ]  # fmt: skip
        for entry in (*ranked_soft, *classics):
            sid = entry.skill_id
            if sid in turned_down or not catalog.skills[sid].actions:
                continue
            if not catalog.prerequisites(catalog.skills[sid].requires) <= learned:
                continue
            if items + _size(catalog, sid) <= TERM_ITEMS:
                term_soft = entry
                break

    hard_ids = {e.skill_id for e in term_hard}
    in_term = hard_ids | ({term_soft.skill_id} if term_soft else set())
    order = [*term_hard, *([term_soft] if term_soft else []), *(e for e in entries if e.skill_id not in in_term)]
    skills: list[PlannedSkill] = []
    covers: dict[str, frozenset[str]] = {}
    learned_so_far = set(known)
    for entry in order:
        term = Term.NOW if entry.skill_id in hard_ids else Term.SOFT if entry is term_soft else Term.LATER
        covers[entry.skill_id] = frozenset(catalog.implied(learned_so_far))
        learned_so_far.add(entry.skill_id)
        skills.append(
            PlannedSkill(
                skill_id=entry.skill_id, term=term, reason=entry.reason or Reason.SOFT, demand=entry.postings,
                ref=entry.ref, total=entry.total, named=entry.named, needed_by=entry.needed_by,
            )
        )  # fmt: skip
    return Plan(ranking.role_id, tuple(skills), ranking.stack, known, ranking.skipped, covers)
