"""Honest salaries: from the student's market by level and city with the sample and its dates, converted only
at a known rate, catalog facts only for the role and stack they describe, and one story for every view."""

from __future__ import annotations

from datetime import date

from coach.gap import compute_gap
from coach.market import (
    MIN_SALARY_SAMPLE,
    PostingView,
    facts_apply,
    salary_story,
    snapshot_from_postings,
)
from tests import synthetic_market


def paid(i: int, low: int, high: int | None = None, **fields) -> PostingView:
    fields.setdefault("level", "junior")
    fields.setdefault("currency", "KZT")
    fields.setdefault("stack", "python")
    return PostingView(i, "Python Developer", None, frozenset({"python"}), salary_from=low,
                       salary_to=high if high is not None else low, **fields)  # fmt: skip


def test_the_facts_describe_one_role_and_stack(catalog):
    facts = catalog.salary
    assert facts.role in catalog.roles
    assert facts.stack is None or catalog.role(facts.role).stack(facts.stack) is not None
    assert (facts.role, facts.stack) == ("backend", "python")
    assert facts_apply(facts, "backend", "python")
    assert not facts_apply(facts, "backend", "java")
    assert not facts_apply(facts, "backend", None)  # the whole role is not "Python backend"
    assert not facts_apply(facts, "devops", None)


def test_salaries_from_postings_by_level_and_city_with_sample_and_dates(catalog):
    postings = [
        paid(1, 400_000, 500_000, city="Алматы", published_at=date(2025, 9, 3)),
        paid(2, 500_000, 600_000, city="Almaty", published_at=date(2025, 10, 1)),
        paid(3, 600_000, 700_000, city="Алматы", published_at=date(2025, 11, 2)),
        paid(4, 300_000, 400_000, city="Астана", published_at=date(2025, 10, 9)),
        paid(5, 1_000_000, 1_400_000, level="middle", city="Алматы"),
    ]
    market = snapshot_from_postings(catalog, "backend", "python", postings)
    story = salary_story(catalog, market, "junior", "almaty")
    mine = story.mine
    assert mine is not None and mine.from_postings
    assert (mine.city, mine.level, mine.sample, mine.median) == ("Almaty", "junior", 3, 550_000)
    assert (mine.low, mine.high) == (450_000, 650_000)  # fewer than four: lowest and highest midpoint
    assert (mine.first, mine.last) == (date(2025, 9, 3), date(2025, 11, 2))
    assert mine in story.by_city
    junior = next(row for row in story.by_level if row.level == "junior")
    assert (junior.city, junior.sample, junior.median, junior.low, junior.high) == (None, 4, 500_000, 425_000, 575_000)
    # Astana has one posting: not enough for a figure of its own; the student there gets all cities.
    assert salary_story(catalog, market, "junior", "Астана").mine == junior
    # Middle: one posting is too few; the catalog's facts for Python backend stand in, labelled.
    middle = salary_story(catalog, market, "middle", "Almaty").mine
    assert middle is not None and not middle.from_postings and middle.sample == 0
    assert (middle.city, middle.low, middle.high) == ("Almaty", 1_200_000, 2_000_000)
    assert middle.fallback_source is not None and "Python backend" in middle.fallback_source.en
    assert "Python-бэкенд" in middle.fallback_source.get("ru")


def test_another_currency_is_converted_only_at_a_known_rate(catalog):
    postings = [paid(i, 500_000, 600_000, city="Almaty") for i in range(2)]
    postings.append(paid(9, 1_000, 1_200, currency="USD", city="Almaty"))
    market = snapshot_from_postings(catalog, "backend", "python", postings)
    without = salary_story(catalog, market, "junior", "Almaty")
    assert dict(without.left_out) == {"USD": 1}
    assert without.mine is not None and not without.mine.from_postings  # two KZT salaries are too few
    assert all(row.currency == "KZT" for row in (*without.by_level, *without.by_city))
    rated = salary_story(catalog, market, "junior", "Almaty", rates={"usd": 500}, rates_date=date(2025, 11, 28))
    mine = rated.mine
    assert mine is not None and mine.from_postings and mine.sample == 3
    assert (mine.converted, mine.rates_date, mine.median) == (("USD",), date(2025, 11, 28), 550_000)
    assert dict(rated.left_out) == {}
    assert mine.low == 550_000  # 1,100 USD × 500 = 550,000 KZT, the lowest midpoint
    kzt_only = salary_story(catalog, snapshot_from_postings(catalog, "backend", "python", postings * 2), "junior",
                            "Almaty", rates={"USD": 500}, rates_date=date(2025, 11, 28))  # fmt: skip
    assert kzt_only.mine.rates_date == date(2025, 11, 28)


def test_facts_never_appear_for_another_role_or_stack(catalog):
    for role, stack in (("devops", None), ("frontend", "react"), ("backend", "java"), ("backend", None)):
        market = snapshot_from_postings(catalog, role, stack, [])
        story = salary_story(catalog, market, "junior", "Almaty")
        assert story.mine is None, (role, stack)  # "not enough data yet"
        assert story.by_level == () and story.by_city == ()
        assert story.facts_source is None and story.lifts == ()
    python = salary_story(catalog, snapshot_from_postings(catalog, "backend", "python", []), "junior", "Almaty")
    assert python.mine is not None and (python.mine.low, python.mine.high) == (400_000, 700_000)
    assert python.facts_source and python.lifts
    # No intern figure: the overview says nothing about interns.
    assert salary_story(catalog, snapshot_from_postings(catalog, "backend", "python", []), "intern", None).mine is None


def test_another_stacks_salaries_stay_out(catalog):
    postings = [paid(i, 2_000_000, 2_500_000, stack="java", city="Almaty") for i in range(5)]
    postings += [paid(10 + i, 500_000, 600_000, city="Almaty") for i in range(3)]
    python = salary_story(catalog, snapshot_from_postings(catalog, "backend", "python", postings), "junior", "Almaty")
    assert python.mine.median == 550_000 and python.mine.sample == 3
    whole = snapshot_from_postings(catalog, "backend", None, postings)
    assert salary_story(catalog, whole, "junior", "Almaty").mine.sample == 8


def test_one_story_for_the_gap_the_market_and_the_report(catalog):
    for role, have in (("backend", ["python"]), ("backend", ["java"]), ("devops", ["linux"]), ("frontend", ["vue"])):
        market = synthetic_market.market(catalog, role, None)
        gap = compute_gap(catalog, role, have, market, "middle", "Almaty", rates={"USD": 480},
                          rates_date=date(2025, 11, 28))  # fmt: skip
        story = gap.salaries
        assert story is not None and gap.salary == story.mine
        if story.mine is not None:
            assert story.mine in (*story.by_city, *story.by_level) or not story.mine.from_postings
        for row in (*story.by_level, *story.by_city):
            assert row.currency == "KZT"
            assert not row.from_postings or row.sample >= MIN_SALARY_SAMPLE
