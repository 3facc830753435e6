"""The seed students on a market made of real hh.ru postings (../shared/data/hh-ru-2025, spring 2025).

An evaluation, not a tuning: the postings are filed to roles by title and to stacks the way an import files
them, and the assertions are the invariants the synthetic tests hold, on someone else's data. Skipped when
the folder is absent (a user's clone has no ../shared).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coach.classify import classify_posting
from coach.gap import compute_gap
from coach.market import PostingView, snapshot_from_postings
from coach.ranking import posting_stack, student_stack
from coach.roadmap import TERM_ITEMS, Term, build_plan
from tests.test_coach import NOT_PYTHON, SEED_000_HAVE, SEED_000_LACK, SEED_002_HAVE, SEED_002_LACK

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "hh-ru-2025" / "vacancies.csv"
pytestmark = pytest.mark.skipif(not DATA.exists(), reason="no ../shared/data/hh-ru-2025 (evaluation data)")


@pytest.fixture(scope="module")
def hh_postings(catalog, parser) -> dict[str, list[PostingView]]:
    by_role: dict[str, list[PostingView]] = {}
    with DATA.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            skills = frozenset(parser.parse(row["key_skills"]).recognized) if row["key_skills"] else frozenset()
            role = classify_posting(catalog, row["name"], sorted(skills)).role_id
            if role is None or not skills:
                continue
            by_role.setdefault(role, []).append(
                PostingView(
                    int(row["id"]),
                    row["name"],
                    None,
                    skills,
                    source="hh",
                    stack=posting_stack(catalog, role, skills, row["name"]),
                    remote=row["work_format_name"] == "Удалённо",
                )
            )
    return by_role


def test_the_seed_students_on_real_postings(catalog, parser, hh_postings):
    backend = hh_postings.get("backend", [])
    assert len(backend) >= 5
    for have_text, lack_text in ((SEED_000_HAVE, SEED_000_LACK), (SEED_002_HAVE, SEED_002_LACK)):
        have = parser.parse(have_text).recognized
        want = [sid for sid in parser.parse(lack_text).recognized if sid not in have]
        stack = student_stack(catalog, "backend", have, want)
        assert stack == "python"
        for market in (
            snapshot_from_postings(catalog, "backend", stack, backend),
            snapshot_from_postings(catalog, "backend", None, backend),
        ):
            plan = build_plan(catalog, "backend", have, want, market)
            gap = compute_gap(catalog, "backend", have, market, "junior", "Almaty", want=want)
            assert len(list(plan.items(catalog))) <= TERM_ITEMS
            shown = {p.skill_id for p in plan.skills} | {d.ref for d in (*gap.lack, *gap.surprising)}
            assert not shown & NOT_PYTHON, shown & NOT_PYTHON
            first_term = {p.skill_id for p in plan.skills if p.term is Term.NOW}
            if "oauth" in want:
                assert {"git", "postgresql"} <= first_term
            else:
                assert {"docker", "ci_cd"} <= first_term and {"pytest", "unit_testing"} & first_term


def test_every_role_and_stack_on_real_postings(catalog, hh_postings):
    for role_id, postings in hh_postings.items():
        role = catalog.role(role_id)
        for stack in (None, *(s.id for s in role.stacks)):
            market = snapshot_from_postings(catalog, role_id, stack, postings)
            core, _ = role.profile(stack)
            have = [catalog.members(ref)[0] for ref in core[:2]]
            plan = build_plan(catalog, role_id, have, [], market)
            assert len(list(plan.items(catalog))) <= TERM_ITEMS
            gap = compute_gap(catalog, role_id, have, market, "junior", None)
            assert [d.skill_id for d in gap.lack if not d.soft] == [
                p.skill_id for p in plan.skills if p.skill_id not in catalog.soft_ids
            ]
