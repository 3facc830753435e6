"""The roadmap: missing skills in the order to learn them, each with concrete action items, grouped by term."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from enum import StrEnum

from coach.catalog import Catalog
from coach.market import MarketSnapshot

TERM_SIZE = 5  # skills per term: five skills with ~3 items each is a semester's side work
# Nice-to-have skills planned: those the postings ask for, topped up from the profile to this many. The
# rest stay visible in the gap report; a roadmap of 140 items is one nobody starts.
NICE_IN_PLAN = 8
# Soft skills every junior is asked about in interviews, practised alongside the hard skills.
SOFT_SKILLS = ("code_review", "pair_programming", "open_source", "technical_writing", "estimation")


class Term(StrEnum):
    NOW = "now"  # next 3 months
    NEXT = "next"  # 3–6 months
    LATER = "later"
    SOFT = "soft"  # alongside everything else


class Reason(StrEnum):
    CORE = "core"
    WANTED = "wanted"  # the student said they lack it
    NICE = "nice"
    PREREQUISITE = "prerequisite"
    SOFT = "soft"


@dataclass(frozen=True)
class PlannedSkill:
    skill_id: str
    term: Term
    reason: Reason
    demand: int  # postings of the role asking for it


@dataclass(frozen=True)
class Plan:
    role_id: str
    skills: tuple[PlannedSkill, ...]

    def items(self, catalog: Catalog) -> Iterator[tuple[str, int]]:
        """(skill id, action number) for every action item, in plan order."""
        for planned in self.skills:
            for action_no in range(len(catalog.skills[planned.skill_id].actions)):
                yield planned.skill_id, action_no


def salary_lift(catalog: Catalog, skill_id: str) -> int:
    return max((lift.high for lift in catalog.salary.lifts if skill_id in lift.skills), default=0)


def build_plan(
    catalog: Catalog, role_id: str, have: Collection[str], want: Collection[str], market: MarketSnapshot
) -> Plan:
    """Order: the profile's core and what the student asked for, then nice-to-have; within each, most
    demanded first, then the bigger salary lift, then the cross-cutting skills; a skill's missing
    prerequisites are placed right before it. Soft skills follow as their own group."""
    role = _flat(catalog, catalog.role(role_id))
    owned = set(have)
    order = {sid: i for i, sid in enumerate(role.core + role.nice)}
    is_soft = catalog.soft_ids

    reasons: dict[str, Reason] = {}
    for sid in role.core:
        reasons.setdefault(sid, Reason.CORE)
    for sid in want:
        if sid in catalog.skills:
            reasons.setdefault(sid, Reason.WANTED)
    for sid in role.nice:
        reasons.setdefault(sid, Reason.NICE)
    hard = [sid for sid in reasons if sid not in owned and sid not in is_soft and catalog.skills[sid].actions]
    nice = sorted(
        (sid for sid in hard if reasons[sid] is Reason.NICE), key=lambda sid: (-market.demand(sid), order[sid])
    )
    asked = [sid for sid in nice if market.demand(sid)]
    keep = set(asked) if len(asked) >= NICE_IN_PLAN else set(nice[:NICE_IN_PLAN])  # nice is most asked first
    hard = [sid for sid in hard if reasons[sid] is not Reason.NICE or sid in keep]

    def priority(sid: str) -> tuple:
        tier = 1 if reasons[sid] is Reason.NICE else 0
        return (
            tier,
            -market.share(sid),
            -salary_lift(catalog, sid),
            sid not in catalog.cross_cutting,
            order.get(sid, len(order)),
            sid,
        )

    # (skill, reason, rank): a prerequisite takes the rank of the skill that needs it, so terms are counted
    # in skills the student chose or the role asks for, and prerequisites ride along.
    ordered: list[tuple[str, Reason, int]] = []
    placed = set(owned)

    def place(sid: str, reason: Reason, rank: int) -> None:
        if sid in placed:
            return
        placed.add(sid)
        for required in catalog.skills[sid].requires:
            if catalog.skills[required].actions:
                place(required, reasons.get(required, Reason.PREREQUISITE), rank)
        ordered.append((sid, reason, rank))

    rank = 0
    for sid in sorted(hard, key=priority):
        if sid not in placed:
            place(sid, reasons[sid], rank)
            rank += 1

    planned = [PlannedSkill(sid, _term(rank), reason, market.demand(sid)) for sid, reason, rank in ordered]
    soft = [sid for sid in (*SOFT_SKILLS, *sorted(set(want) & is_soft)) if sid not in owned]
    planned += [PlannedSkill(sid, Term.SOFT, Reason.SOFT, market.demand(sid)) for sid in dict.fromkeys(soft)]
    return Plan(role_id, tuple(planned))


def _term(rank: int) -> Term:
    if rank < TERM_SIZE:
        return Term.NOW
    if rank < 2 * TERM_SIZE:
        return Term.NEXT
    return Term.LATER


def _flat(catalog: Catalog, role):
    """Interim: groups stand for their first member until the ranking knows alternatives."""
    from types import SimpleNamespace

    def flat(refs):
        return tuple(dict.fromkeys(catalog.members(ref)[0] for ref in refs))

    core = flat(role.core)
    return SimpleNamespace(core=core, nice=tuple(s for s in flat(role.nice) if s not in core))
