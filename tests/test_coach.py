"""The pure domain: gap, roadmap, market and progress — including the two seed students as personas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import sample_postings
from coach.gap import compute_gap
from coach.market import PostingView, salary_insight, snapshot_from_postings
from coach.progress import Item, ItemState, acquired, streak, summarize
from coach.roadmap import Reason, Term, build_plan

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture(scope="module")
def backend_market(catalog, parser):
    views = [
        PostingView(
            id=i, title=p.title, company=p.company, skills=frozenset(p.skill_ids), level=p.level, city=p.city,
            url=p.url, salary_from=p.salary_from, salary_to=p.salary_to, currency=p.currency,
        )
        for i, p in enumerate(sample_postings(catalog, parser))
    ]  # fmt: skip
    return snapshot_from_postings("backend", views)


def test_seed_one_persona_gap(catalog, parser, backend_market):
    have = parser.parse("Basic Python, SQL, and understanding of REST APIs.").recognized
    gap = compute_gap(catalog, "backend", have, backend_market, level="junior", city="Almaty")
    assert gap.core_total == len(catalog.role("backend").core) == 11
    assert set(gap.core_have) == {"python", "sql", "rest_api"}
    # Ranked by demand: Django is in three of the seven sample postings, PostgreSQL in two.
    demands = [d.postings for d in gap.lack]
    assert demands == sorted(demands, reverse=True)
    assert [(d.skill_id, d.postings, d.total) for d in gap.lack[:2]] == [("django", 3, 7), ("postgresql", 2, 7)]
    assert gap.lack[1].core and not gap.lack[0].core
    surprising = {d.skill_id for d in gap.surprising}
    assert {"clickhouse", "cassandra"} <= surprising  # the seed's own "skills that surprised me"
    assert "python" in gap.in_both
    best = gap.best_postings[0]
    assert best.matched  # the best match shares skills with the student
    assert gap.salary is not None


def test_seed_one_persona_roadmap_starts_with_what_the_market_asks(catalog, parser, backend_market):
    have = parser.parse("Basic Python, SQL, and understanding of REST APIs.").recognized
    want = parser.parse("REST,  OAuth,  Git,  GitHub,  PosgreSQL").recognized
    plan = build_plan(catalog, "backend", set(have), set(want) - set(have), backend_market)
    order = [p.skill_id for p in plan.skills]
    assert order[0] == "postgresql"
    assert {"git", "github", "oauth"} <= set(order)  # what the student said they lack is planned
    assert next(p for p in plan.skills if p.skill_id == "oauth").reason is Reason.WANTED
    assert not set(have) & set(order)


def test_seed_two_persona_docker_and_testing_come_early(catalog, parser, backend_market):
    have = parser.parse("Python, OOP, PostgreSQL, SQL, FastAPI, Git").recognized
    assert set(have) == {"python", "oop", "postgresql", "sql", "fastapi", "git"}
    plan = build_plan(catalog, "backend", set(have), set(), backend_market)
    first_term = [p.skill_id for p in plan.skills if p.term is Term.NOW]
    assert "docker" in first_term
    assert "unit_testing" in first_term
    gap = compute_gap(catalog, "backend", have, backend_market)
    assert len(gap.core_have) == 5


def test_prerequisites_come_before_what_needs_them(catalog, backend_market):
    plan = build_plan(catalog, "backend", set(), set(), backend_market)
    position = {p.skill_id: i for i, p in enumerate(plan.skills)}
    for planned in plan.skills:
        for required in catalog.skill(planned.skill_id).requires:
            if required in position:
                assert position[required] < position[planned.skill_id], (required, planned.skill_id)


def test_core_comes_before_nice_to_have(catalog, backend_market):
    plan = build_plan(catalog, "backend", set(), set(), backend_market)
    reasons = [p.reason for p in plan.skills if p.reason is not Reason.SOFT]
    last_core = max(i for i, r in enumerate(reasons) if r is Reason.CORE)
    first_nice = min(i for i, r in enumerate(reasons) if r is Reason.NICE)
    assert last_core < first_nice


def test_soft_skills_are_planned_with_action_items(catalog, backend_market):
    plan = build_plan(catalog, "backend", {"code_review"}, set(), backend_market)
    soft = [p.skill_id for p in plan.skills if p.term is Term.SOFT]
    assert {"pair_programming", "open_source", "technical_writing", "estimation"} <= set(soft)
    assert "code_review" not in soft
    items = list(plan.items(catalog))
    assert ("estimation", 0) in items


def test_every_role_gets_a_plan_without_owned_skills(catalog, backend_market):
    for role in catalog.roles.values():
        have = set(role.core[:2])
        plan = build_plan(catalog, role.id, have, set(), snapshot_from_postings(role.id, []))
        planned = [p.skill_id for p in plan.skills]
        assert planned and not have & set(planned)
        assert len(planned) == len(set(planned))


def test_salary_from_postings_when_enough_else_catalog_facts(catalog):
    postings = [
        PostingView(id=i, title="x", company=None, skills=frozenset(), level="junior", city="Almaty",
                    salary_from=low, salary_to=low + 100_000, currency="KZT")
        for i, low in enumerate([400_000, 500_000, 600_000])
    ]  # fmt: skip
    insight = salary_insight(postings, catalog.salary, "junior", "Almaty")
    assert insight.from_postings
    assert (insight.low, insight.high, insight.median, insight.sample) == (400_000, 700_000, 550_000, 3)
    fallback = salary_insight(postings[:2], catalog.salary, "junior", "Almaty")
    assert not fallback.from_postings
    assert (fallback.low, fallback.high) == (400_000, 700_000)  # the catalog's Almaty entry-level range
    assert "students" in fallback.fallback_source
    assert salary_insight([], catalog.salary, "senior", "Shymkent").low == 1_800_000  # no city figure: level


def test_almost_every_needs_a_real_majority():
    postings = [PostingView(id=i, title="x", company=None, skills=frozenset({"docker", f"s{i}"})) for i in range(5)]
    market = snapshot_from_postings("backend", postings)
    assert market.almost_every() == ["docker"]
    assert snapshot_from_postings("backend", postings[:2]).almost_every() == []


def item(i: int, skill: str, state: ItemState, done_at: datetime | None = None) -> Item:
    return Item(i, skill, i, i, state, done_at)


def test_streak_counts_consecutive_active_weeks():
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)  # a Monday
    weeks_ago = [now - timedelta(weeks=w) for w in (0, 1, 2, 4)]
    assert streak(weeks_ago, now, ALMATY) == 3
    assert streak([now - timedelta(weeks=1), now - timedelta(weeks=2)], now, ALMATY) == 2  # this week not over yet
    assert streak([now - timedelta(weeks=2)], now, ALMATY) == 0
    assert streak([], now, ALMATY) == 0


def test_streak_uses_the_students_week_not_utc():
    # Sunday 20:00 UTC is already Monday 01:00 in Almaty (UTC+5): a new week there.
    sunday_evening_utc = datetime(2026, 11, 22, 20, tzinfo=UTC)
    monday = datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert streak([sunday_evening_utc], monday, ALMATY) == 1
    assert streak([sunday_evening_utc], monday, ZoneInfo("UTC")) == 1
    assert streak([sunday_evening_utc], monday + timedelta(days=7), ALMATY) == 1
    assert streak([sunday_evening_utc], monday + timedelta(days=7), ZoneInfo("UTC")) == 0


def test_summary_and_acquired_skills():
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    items = [
        item(1, "docker", ItemState.DONE, now),
        item(2, "docker", ItemState.DONE, now - timedelta(weeks=1)),
        item(3, "pytest", ItemState.DONE, now),
        item(4, "pytest", ItemState.SKIPPED),
        item(5, "redis", ItemState.OPEN),
    ]
    progress = summarize(items, now, ALMATY)
    assert (progress.done, progress.skipped, progress.total, progress.open) == (3, 1, 5, 1)
    assert progress.done_this_week == 2
    assert progress.streak_weeks == 2
    assert [(s.skill_id, s.done, s.total) for s in progress.skills] == [
        ("docker", 2, 2),
        ("pytest", 1, 2),
        ("redis", 0, 1),
    ]
    assert acquired(items) == {"docker"}  # a skipped item is not a learned one


def test_nice_to_have_is_capped_to_what_the_market_asks(catalog, backend_market):
    plan = build_plan(catalog, "backend", set(), set(), backend_market)
    nice = [p.skill_id for p in plan.skills if p.reason is Reason.NICE]
    asked = {sid for sid in catalog.role("backend").nice if backend_market.demand(sid)}
    assert asked <= set(nice)
    assert len(nice) <= max(len(asked), 8)
    assert len(list(plan.items(catalog))) < 120


def test_a_core_skill_needed_first_keeps_its_core_label(catalog, backend_market):
    plan = build_plan(catalog, "backend", {"python", "sql"}, set(), backend_market)
    reasons = {p.skill_id: p.reason for p in plan.skills}
    assert reasons["linux"] is Reason.CORE  # placed before Docker, which needs it, but core in its own right
