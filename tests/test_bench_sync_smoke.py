"""The broadcast and sync benchmarks at a tiny size, so `make bench` keeps working. No timing is asserted."""

from __future__ import annotations

from tests.benchmarks import run_benchmark


def test_broadcast_benchmark_runs_and_counts_right():
    figures = run_benchmark("broadcast", users=12, rate=500, blocked=2)["figures"]
    assert figures["sent"] == 10
    assert figures["429 provoked"] == 0
    assert figures["students with more than one"] == 0
    assert figures["blocked (403) and marked inactive"] == "2 / 2"


def test_sync_benchmark_runs_and_fetches_nothing_again():
    figures = run_benchmark("sync", per_role=2)["figures"]
    assert figures["roles filled"].endswith("of 21") and figures["roles filled"].startswith("21")
    assert figures["requests beyond hh's 2,000 cap (400)"] == 0
    assert figures["incremental run mode"] == "incremental"
    assert figures["incremental run: searches / vacancies fetched"].endswith("/ 0")
