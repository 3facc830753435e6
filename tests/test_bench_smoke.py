"""Each benchmark runs at a tiny size, so `make bench` keeps working. No timing is asserted here."""

from __future__ import annotations

import pytest

from tests.benchmarks import run_benchmark
from tests.conftest import POSTGRES_URL


def test_reminder_benchmark_runs_and_counts_right():
    figures = run_benchmark("reminders", users=12, rate=500, blocked=2)["figures"]
    assert figures["sent"] == 10
    assert figures["users with more than one"] == 0
    assert figures["429 provoked"] == 0
    assert figures["sent by a second tick"] == 0


def test_import_benchmark_runs_and_counts_right():
    figures = run_benchmark("imports", postings=40)["figures"]
    assert figures["added / skipped"] == "40 / 0"
    assert figures["re-import updated"] == 40


def test_update_benchmark_runs_every_kind_of_update():
    figures = run_benchmark("updates", students=2)["figures"]
    assert figures["updates (each side)"] == 24
    assert "button: tick: p50 / p99 ms" in figures
    assert figures["database"] == "sqlite"
    assert figures["echo + one DB transaction: updates/s"] > 0


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL not set (CI sets it)")
def test_update_benchmark_repeats_on_a_scratch_postgres_database():
    figures = run_benchmark("updates", students=1, postgres_url=POSTGRES_URL)["figures"]
    assert figures["database"] == "postgresql"
    assert figures["updates (each side)"] == 12


def test_concurrency_benchmark_answers_every_student_of_every_burst():
    # A burst raises when a student gets no answer, so a result means everyone was answered.
    bursts, beside = run_benchmark("concurrency", students=4, rtts=[0.02], import_postings=300, rounds=1)
    assert bursts["benchmark"] == "concurrency-4-students-sqlite"
    figures = bursts["figures"]
    assert {"RTT 0 ms: answer p50 / p99 / last s", "RTT 20 ms: answer p50 / p99 / last s"} <= set(figures)
    assert "RTT 20 ms: serialisation factor" in figures
    assert figures["Bot API calls per update"] >= 1
    figures = beside["figures"]
    assert figures["import: postings, seconds"].startswith("300, ")
    answered, failed, unanswered = figures["import beside the bot: answered / failed / unanswered"].split(" / ")
    assert int(answered) == figures["import beside the bot: messages sent"] > 0
    assert (failed, unanswered) == ("0", "0")
