"""Each benchmark runs at a tiny size, so `make bench` keeps working. No timing is asserted here."""

from __future__ import annotations

import pytest

from bench import imports, reminders, updates
from tests.conftest import POSTGRES_URL


async def test_reminder_benchmark_runs_and_counts_right():
    result = await reminders.run(users=12, rate=500, blocked=2, save=False)
    figures = result["figures"]
    assert figures["sent"] == 10
    assert figures["users with more than one"] == 0
    assert figures["429 provoked"] == 0
    assert figures["sent by a second tick"] == 0


async def test_import_benchmark_runs_and_counts_right():
    figures = (await imports.run(postings=40, save=False))["figures"]
    assert figures["added / skipped"] == "40 / 0"
    assert figures["re-import updated"] == 40


async def test_update_benchmark_runs_every_kind_of_update():
    figures = (await updates.run(students=2, save=False))["figures"]
    assert figures["updates (each side)"] == 24
    assert "button: tick: p50 / p99 ms" in figures
    assert figures["database"] == "sqlite"
    assert figures["echo + one DB transaction: updates/s"] > 0


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL not set (CI sets it)")
async def test_update_benchmark_repeats_on_a_scratch_postgres_database():
    figures = (await updates.run(students=1, save=False, postgres_url=POSTGRES_URL))["figures"]
    assert figures["database"] == "postgresql"
    assert figures["updates (each side)"] == 12
