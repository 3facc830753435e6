"""A student's gap report and plan as plain data: what `python -m bot plan --json` prints, and what an
integration or an evaluation reads. The same ranking, plan and salary story the bot shows."""

from __future__ import annotations

from typing import Any

from coach.catalog import Catalog
from coach.market import SalaryInsight
from coach.roadmap import Term
from services.coaching import Roadmap

TERMS = {Term.NOW: "now", Term.SOFT: "now", Term.NEXT: "later", Term.LATER: "later"}


def _name(catalog: Catalog, ref: str, lang: str) -> str:
    return catalog.ref_name(ref, lang)


def _salary(figure: SalaryInsight | None, lang: str) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {
        "level": figure.level,
        "city": figure.city,
        "low": figure.low,
        "high": figure.high,
        "median": figure.median,
        "currency": figure.currency,
        "postings": figure.sample,
        "from_postings": figure.from_postings,
        "source": figure.fallback_source.get(lang) if figure.fallback_source and not figure.from_postings else None,
        "first_published": figure.first.isoformat() if figure.first else None,
        "last_published": figure.last.isoformat() if figure.last else None,
    }


def plan_summary(catalog: Catalog, roadmap: Roadmap, lang: str = "en", unknown: tuple[str, ...] = ()) -> dict:
    """The gap (alternatives as one entry, in the roadmap's order) and the roadmap (first term with its action
    items as this student should read them, then the backlog), with the market they were weighed on."""
    profile, gap, plan, market = roadmap.profile, roadmap.gap, roadmap.plan, roadmap.market
    student = profile.student
    return {
        "role": student.role_id,
        "stack": gap.stack,
        "level": student.level,
        "city": student.city,
        "have": sorted(profile.have),
        "lacks": list(profile.want),
        "unknown": list(unknown),
        "core": {"have": len(gap.core_have), "total": gap.core_total},
        "gap": [
            {
                "skill": demand.ref,
                "name": _name(catalog, demand.ref, lang),
                "learn": demand.skill_id,
                "postings": market.demand(demand.ref),
                "share": round(market.share(demand.ref), 3),
                "named": demand.named,
                "core": demand.core,
            }
            for demand in gap.lack
            if not demand.soft
        ],
        "roadmap": [
            {
                "skill": planned.skill_id,
                "name": catalog.skill(planned.skill_id).display(lang),
                "for": planned.ref or planned.skill_id,
                "term": TERMS[planned.term],
                "soft": planned.term is Term.SOFT,
                "items": [
                    plan.wording(catalog, planned.skill_id, n).get(lang)
                    for n in range(len(catalog.skill(planned.skill_id).actions))
                ]
                if planned.term in (Term.NOW, Term.SOFT)
                else [],
            }
            for planned in plan.skills
        ],
        "postings_used": market.postings_total,
        "postings_by_source": dict(market.source_counts),
        "published": {
            "first": market.first_published.isoformat() if market.first_published else None,
            "last": market.last_published.isoformat() if market.last_published else None,
        },
        "other_stacks": [{"stack": s.stack_id, "share": round(s.share, 3)} for s in gap.other_stacks],
        "salary": _salary(gap.salary, lang),
    }
