"""The scale-out benchmark at a tiny size: real webhook replicas on PostgreSQL and Redis, counts only (no
timing is asserted). The run itself needs the servers CI provides; the skip without them is checked always."""

from __future__ import annotations

import pytest

from tests.benchmarks import run_benchmark
from tests.conftest import POSTGRES_URL, REDIS_URL

STUDENTS = 6
UPDATES_PER_STUDENT = 6  # /gap, /roadmap, two ticks, /progress, free text


@pytest.mark.e2e
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.skipif(not (POSTGRES_URL and REDIS_URL), reason="needs TEST_POSTGRES_URL and TEST_REDIS_URL (CI)")
def test_scaleout_benchmark_answers_every_update_on_every_replica():
    result = run_benchmark(
        "scaleout", students=STUDENTS, concurrency=4, replica_counts=[1, 2], warmup=2, settle=0,
        postgres_url=POSTGRES_URL, redis_url=REDIS_URL,
    )  # fmt: skip
    updates = STUDENTS * UPDATES_PER_STUDENT
    for config in result["configurations"]:
        assert config["updates posted"] == config["answered 200"] == updates
        assert config["other statuses"] == {}
        assert sum(config["handled per replica (metrics)"]) == updates
        assert all(handled > 0 for handled in config["handled per replica (metrics)"])
        assert len(config["handled per replica (metrics)"]) == config["replicas"]
        assert config["handler errors"] == 0 and config["error lines in logs"] == 0
        assert config["message updates without a reply"] == 0
        assert config["roadmaps without buttons"] == 0
        assert config["callback answers"] == config["callbacks posted"] == 2 * STUDENTS
        assert config["messages edited"] == 2 * STUDENTS  # each tick edits the roadmap in place
        assert config["refused by the fake api"] == 0
        assert config["exit codes"] == [0] * config["replicas"]
    assert "throughput 2 / 1 replicas" in result["figures"]


def test_scaleout_benchmark_skips_without_servers():
    unset = dict.fromkeys(("BENCH_POSTGRES_URL", "BENCH_REDIS_URL", "TEST_POSTGRES_URL", "TEST_REDIS_URL"))
    assert run_benchmark("scaleout", env=unset, students=1) == {"benchmark": "scaleout", "skipped": True}
