"""How a roadmap splits into pages: items grouped by skill, a few skills a page, each item with the number it
keeps on every page and after every tick (its place in the whole roadmap)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.progress import Item
from coach.roadmap import Plan, Term

SKILLS_PER_PAGE = 3


@dataclass(frozen=True)
class SkillGroup:
    skill_id: str
    term: Term | None  # None: a skill of an earlier term, no longer in the plan (its items are history)
    items: tuple[tuple[int, Item], ...]  # (number, item)


@dataclass(frozen=True)
class RoadmapLayout:
    groups: tuple[SkillGroup, ...]
    page: int
    pages: int


def layout(items: Sequence[Item], plan: Plan, page: int) -> RoadmapLayout:
    terms = {p.skill_id: p.term for p in plan.skills}
    groups: list[list[tuple[int, Item]]] = []
    for number, item in enumerate(sorted(items, key=lambda i: i.position), 1):
        if groups and groups[-1][0][1].skill_id == item.skill_id:
            groups[-1].append((number, item))
        else:
            groups.append([(number, item)])
    pages = [groups[i : i + SKILLS_PER_PAGE] for i in range(0, len(groups), SKILLS_PER_PAGE)] or [[]]
    page = max(0, min(page, len(pages) - 1))
    shown = tuple(
        SkillGroup(group[0][1].skill_id, terms.get(group[0][1].skill_id), tuple(group)) for group in pages[page]
    )
    return RoadmapLayout(shown, page, len(pages))
