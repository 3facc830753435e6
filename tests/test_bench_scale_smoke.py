"""The scale benchmarks at a tiny size: the bulk seeder, market statistics, memory and start-up. Counts and
structure only (what a change could break); no timing is asserted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.bootstrap import prepare_storage
from services.coaching import CoachService
from storage.models import ReminderSettings, RoadmapItem, User, UserSkill
from storage.reminders import ReminderRepo
from storage.users import UserRepo
from testkit.bulk import FIRST_ID, seed_students
from tests.benchmarks import run_benchmark


async def test_seeded_students_read_back_through_the_bots_own_services(database, session_pool, catalog, parser):
    engine = database.engine
    await prepare_storage(database, catalog, parser)
    seeded = await seed_students(engine, catalog, 25)
    assert (seeded.users, seeded.reminders) == (25, 25)
    assert seeded.skills >= 25 and seeded.roadmap_items > 25
    async with session_pool() as session:
        for model in (User, ReminderSettings):
            assert await session.scalar(select(func.count()).select_from(model)) == 25
        assert await session.scalar(select(func.count()).select_from(UserSkill)) == seeded.skills
        assert await session.scalar(select(func.count()).select_from(RoadmapItem)) == seeded.roadmap_items
        # Every student has the roadmap onboarding would have given them.
        assert await session.scalar(select(func.count(func.distinct(RoadmapItem.user_id)))) == 25
        user = await UserRepo(session).get(FIRST_ID + 3)
        created = await session.scalar(select(User.created_at).where(User.id == FIRST_ID + 3))
        assert user is not None and user.role_id in catalog.roles and created is not None
        reminder = await ReminderRepo(session).get(user.id)
    service = CoachService(database, catalog)
    profile = await service.profile(user)
    assert profile.complete and profile.have
    roadmap = await service.roadmap(profile)
    assert roadmap.items and roadmap.progress.total == len(roadmap.items)
    assert reminder is not None and reminder.next_run_at is not None
    assert reminder.next_run_at > datetime.now(UTC)  # nobody is due: a benchmark's bot sends no reminders


async def test_seeding_without_roadmaps_writes_none(database, catalog, parser):
    await prepare_storage(database, catalog, parser)
    seeded = await seed_students(database.engine, catalog, 10, roadmaps=False)
    assert (seeded.users, seeded.roadmap_items) == (10, 0)


def test_market_benchmark_counts_every_posting_and_finds_no_full_scans():
    figures = run_benchmark("market", sizes=[20, 60], users=30, repeats=2)["figures"]
    assert figures["students stored"] == 30
    assert figures["20: imported / stored / in aggregates"] == "20 / 20 / 20"
    assert figures["60: imported / stored / in aggregates"] == "60 / 60 / 60"
    # The gap report, the snapshot and the city list read aggregates and indexes, never a whole table.
    assert figures["20: full scans (snapshot / gap / cities)"] == "0 / 0 / 0"
    assert figures["60: full scans (snapshot / gap / cities)"] == "0 / 0 / 0"
    for kind in ("snapshot", "gap, cold", "gap, warm", "cities"):
        assert f"{kind} 60: p50 / p99 ms" in figures
        assert f"{kind}: p50 ratio 60/20" in figures
    assert 0 < figures["20: postings loaded per snapshot (mean)"] <= figures["60: postings loaded per snapshot (mean)"]


@pytest.mark.e2e
def test_footprint_benchmark_serves_the_burst_and_stops_cleanly():
    result = run_benchmark(
        "footprint", users=40, postings=30, students=2, returning_students=2, starts=1, ramp=0, think=0
    )
    figures = result["figures"]
    assert figures["burst: new students / returning"] == "2 / 2"
    assert figures["burst: students stuck (a reply never came)"] == 0
    assert figures["burst: updates failed / of them 'database is locked'"] == "0 / 0", result["failed"]
    assert figures["refused by the Bot API / tracebacks in the log"] == "0 / 0"
    assert figures["exit code after SIGTERM"] == 0
    assert figures["peak RSS, VmHWM (MB)"] >= figures["RSS when ready (MB)"] > 0
    assert figures["burst: /report documents sent"] == 2  # one new and one returning student ask for each
    assert figures["burst: /market charts sent"] >= 1  # a role without postings gets numbers, no chart
    assert "aiogram" in result["import_seconds_top_level"]
