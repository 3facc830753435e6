"""Stacks, alternatives, the market snapshot, surprises and best matches."""

from __future__ import annotations

from datetime import date

import pytest

from coach.gap import MIN_MATCH_SHARE, best_matches, compute_gap, posting_match
from coach.market import PostingView, snapshot_from_postings, with_own
from coach.ranking import SURPRISES, asked, posting_stack, rank, stack_profile, student_stack, surprises
from tests import synthetic_market


def view(i: int, *skills: str, **fields) -> PostingView:
    return PostingView(i, fields.pop("title", f"posting {i}"), None, frozenset(skills), **fields)


# -- stacks ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "have", "want", "stack"),
    [
        ("backend", ["python", "fastapi"], [], "python"),
        ("backend", ["fastapi"], [], "python"),  # FastAPI implies Python
        ("backend", ["drf"], [], "python"),
        ("backend", ["sql", "git"], [], None),  # nothing points anywhere
        ("backend", ["go", "python"], [], None),  # a tie that cannot be broken
        ("backend", ["go", "python"], ["django"], "python"),  # ... unless what they want breaks it
        ("backend", ["python", "fastapi", "go"], [], "python"),
        ("backend", ["sql"], ["java"], "java"),  # no marker had: what they want decides
        ("frontend", ["html", "css", "javascript", "react"], [], "react"),
        ("frontend", ["nextjs"], [], "react"),
        ("frontend", ["html", "javascript"], [], None),
        ("mobile", ["kotlin"], [], "android"),
        ("mobile", ["flutter"], [], "flutter"),
        ("devops", ["linux", "python"], [], None),  # a role without stacks
    ],
)
def test_student_stack(catalog, role, have, want, stack):
    assert student_stack(catalog, role, have, want) == stack


@pytest.mark.parametrize(
    ("title", "skills", "stack"),
    [
        ("Python Developer", {"python", "django"}, "python"),
        ("Java-разработчик", {"postgresql", "python"}, "java"),  # the title names one stack
        ("Разработчик Go", set(), "go"),
        ("Backend developer", {"java", "spring_boot", "kafka"}, "java"),
        ("Backend developer", {"go", "python"}, None),  # Go/Python: stack-neutral
        ("Backend developer", {"sql", "docker"}, None),
        (".NET Developer", set(), "dotnet"),
        ("Node.js Developer", {"javascript"}, "nodejs"),
    ],
)
def test_posting_stack(catalog, title, skills, stack):
    assert posting_stack(catalog, "backend", skills, title) == stack


def test_posting_stack_needs_a_role_with_stacks(catalog):
    assert posting_stack(catalog, "devops", {"python"}, "Python DevOps") is None
    assert posting_stack(catalog, None, {"python"}, "Python Developer") is None


def test_a_stack_profile_turns_skills_into_refs_and_names_other_stacks(catalog):
    react = stack_profile(catalog, "frontend", "react")
    assert "js_framework" in react.core and "react" not in react.core  # React is the group's member
    assert react.hints["js_framework"] == "react"
    assert {"nuxt", "pinia", "rxjs"} <= react.foreign and "js_framework" not in react.foreign
    python = stack_profile(catalog, "backend", "python")
    assert {"java", "spring_boot", "junit", "php", "php_web", "mysql", "go", "typescript"} <= python.foreign
    assert not python.foreign & (set(python.core) | set(python.nice))
    neutral = stack_profile(catalog, "backend", None)
    assert {"python", "java", "py_web"} <= neutral.foreign


# -- the snapshot ------------------------------------------------------------------------------------------


def test_a_group_counts_once_per_posting_and_the_market_is_the_stack_plus_neutral(catalog):
    postings = [
        view(1, "python", "fastapi", "django", stack="python", published_at=date(2025, 10, 1), source="hh"),
        view(2, "python", "flask", stack="python", published_at=date(2025, 11, 5), source="hh"),
        view(3, "sql", "docker", source="csv", published_at=date(2025, 9, 20)),  # stack-neutral
        view(4, "java", "spring_boot", stack="java", published_at=date(2025, 8, 1)),
        view(5, "php", "laravel", "symfony", stack="php"),
    ]
    market = snapshot_from_postings(catalog, "backend", "python", postings)
    assert (market.postings_total, market.role_total) == (3, 5)
    assert market.demand("py_web") == 2  # "FastAPI/Django" asks once for a Python web framework
    assert (market.demand("fastapi"), market.demand("django"), market.demand("flask")) == (1, 1, 1)
    assert market.demand("java") == 0 and market.demand("php_web") == 0
    assert dict(market.stack_counts) == {"python": 2, "java": 1, "php": 1}
    assert dict(market.source_counts) == {"hh": 2, "csv": 1}
    assert (market.first_published, market.last_published) == (date(2025, 9, 20), date(2025, 11, 5))
    assert [p.id for p in market.postings] == [2, 1, 3]  # newest first
    whole = snapshot_from_postings(catalog, "backend", None, postings)
    assert whole.postings_total == 5 and whole.demand("php_web") == 1

    own = [view(9, "python", "django", "redis", source="user", published_at=date(2025, 11, 20)),
           view(10, "java", stack="java", source="user")]  # fmt: skip
    mine = with_own(market, own, catalog)
    assert (mine.postings_total, mine.own, mine.demand("py_web"), mine.demand("redis")) == (4, 1, 3, 1)
    assert mine.source_counts["user"] == 1 and mine.last_published == date(2025, 11, 20)
    assert with_own(market, [], catalog) is market


def test_other_stacks_are_shown_as_such(catalog):
    market = synthetic_market.market(catalog, "backend", "python")
    gap = compute_gap(catalog, "backend", ["python"], market)
    shares = {s.name: s.share for s in gap.other_stacks}
    assert list(shares)[:2] == ["Java", "PHP"]  # most postings first
    assert "Python" not in shares
    assert all(0 < share < 1 for share in shares.values())
    assert shares["Java"] == market.stack_counts["java"] / market.whole_role


def test_what_the_market_asks_shows_a_group_not_its_members(catalog):
    market = synthetic_market.market(catalog, "backend", "python")
    refs = [d.ref for d in asked(catalog, market, stack_profile(catalog, "backend", "python"))]
    assert "py_web" in refs and not {"django", "fastapi", "flask"} & set(refs)
    assert "broker" in refs and not {"kafka", "rabbitmq"} & set(refs)
    assert "go" not in refs  # the Go/Python postings are neutral, but Go is another stack's
    py_web = next(d for d in asked(catalog, market) if d.ref == "py_web")
    assert py_web.skill_id == "django"  # the group's most asked member, for display


# -- surprises ---------------------------------------------------------------------------------------------


def test_surprises_are_the_markets_own_and_few(catalog):
    for role, have in (("backend", ["python", "fastapi"]), ("frontend", ["react"]), ("devops", ["linux"])):
        stack = student_stack(catalog, role, have)
        market = synthetic_market.market(catalog, role, stack)
        profile = stack_profile(catalog, role, stack)
        found = surprises(catalog, market, profile)
        assert len(found) <= SURPRISES
        for d in found:
            assert d.ref not in profile.core and d.ref not in profile.nice
            assert d.ref not in profile.foreign
            assert d.share >= 0.05 and d.total == market.postings_total
        assert [d.postings for d in found] == sorted((d.postings for d in found), reverse=True)
    # A Python student is not surprised by PHP, MySQL, Laravel or Spring, even on the whole role's market.
    whole = synthetic_market.market(catalog, "backend", None)
    gap = compute_gap(catalog, "backend", ["python", "fastapi"], whole)
    assert gap.stack == "python"
    assert not {d.ref for d in gap.surprising} & {"php", "mysql", "php_web", "laravel", "spring", "java", "go"}


def test_a_soft_skill_is_no_surprise(catalog):
    postings = [view(i, "python", "teamwork", "jira", stack="python") for i in range(10)]
    market = snapshot_from_postings(catalog, "backend", "python", postings)
    refs = {d.ref for d in surprises(catalog, market, stack_profile(catalog, "backend", "python"))}
    assert refs == {"task_tracker"}  # Jira, as one of the task trackers


# -- best matches -----------------------------------------------------------------------------------------


def test_best_matches_respect_level_city_and_stack(catalog):
    skills = ("python", "django", "postgresql", "docker")
    postings = [
        view(1, *skills, level="middle", city="Алматы", stack="python"),
        view(2, *skills, level="senior", city="Алматы", stack="python"),  # two levels up
        view(3, *skills, level="junior", city="Астана", stack="python"),
        view(4, *skills, level="junior", city="Almaty", stack="python"),
        view(5, *skills, level="junior", city="Шымкент", stack="python", remote=True),
        view(6, "java", "postgresql", "docker", level="junior", city="Алматы", stack="java"),  # another stack
        view(7, "python", "kubernetes", "terraform", "aws", "kafka", "go", level="junior", city="Алматы"),  # 1 of 6
        view(8, *skills, level=None, city="Алматы"),  # level unknown, stack-neutral
    ]
    market = snapshot_from_postings(catalog, "backend", None, postings)
    found = best_matches(catalog, market, ["python", "fastapi", "postgresql"], "junior", "Almaty", 10, "python")
    ids = [m.posting.id for m in found]
    assert ids[:2] == [4, 5]  # junior, here or remote
    assert set(ids) == {1, 3, 4, 5, 8}
    assert 2 not in ids and 6 not in ids and 7 not in ids
    for match in found:
        assert match.matched and match.share >= MIN_MATCH_SHARE
    # FastAPI meets "Django" as a Python web framework: 3 of 4 asks.
    assert (len(found[0].matched), found[0].total) == (3, 4)
    gap = compute_gap(catalog, "backend", ["python", "fastapi", "postgresql"], market, "junior", "Almaty")
    assert [m.posting.id for m in gap.best_postings] == ids[:3]


def test_posting_match_counts_asks_not_spellings(catalog):
    posting = view(1, "python", "fastapi", "django", "postgresql")
    match = posting_match(posting, ["flask", "postgresql"], catalog)
    assert match.asks == {"python", "py_web", "postgresql"}
    assert match.matched == {"python", "py_web", "postgresql"}  # Flask implies Python; one framework is enough
    assert match.missing == frozenset()


def test_the_ranking_is_the_same_for_the_gap_and_the_plan(catalog):
    market = synthetic_market.market(catalog, "backend", "python")
    ranking = rank(catalog, "backend", ["python", "sql"], market, ["docker", "redis"])
    gap = compute_gap(catalog, "backend", ["python", "sql"], market, want=["docker", "redis"])
    assert gap.lack == ranking.entries
    assert [d.skill_id for d in gap.lack[:2]] == ["docker", "redis"]
    assert gap.shown(limit=3) == (*gap.named, *gap.top(3))
    assert len(gap.top()) == 8 and not any(d.named for d in gap.top())
