"""The classes benchmark at a tiny size: it runs, and its counts are right. No timing is asserted here."""

from __future__ import annotations

from tests.benchmarks import run_benchmark


def test_class_benchmark_runs_and_counts_right():
    figures = run_benchmark("classes", students=12, repeats=2, others=8)["figures"]
    assert figures["students in the class"] == 12
    assert figures["students in the database"] == 20
    # The roster reads one page of the class, and the common gaps the class in a few aggregate queries:
    # neither grows with the class.
    assert figures["roster, first page: SQL statements"] == 4
    assert figures["common gaps: SQL statements"] == 5
    assert "roster, first page (through the dispatcher): p50 / p99 ms" in figures
    assert "common gaps (through the dispatcher): p50 / p99 ms" in figures
