"""Quality floors on real hh.ru vacancies (../shared/data/hh-ru-2025, hand labels in bench/labels/).

Skipped when the data folder is absent: a user's clone has no ../shared. The floors are the levels reached
with the current classifier, prose reader and catalog (bench/results/evaluation.json), rounded down to the
hundredth, and 0.98 where it reached 1.0: a change that reads real postings worse fails here. The same checks
run elsewhere on other real postings; the labels and the rules they follow are in bench/labels/README.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from testkit.evaluation import DEFAULT_DATA, evaluate

ROOT = Path(__file__).resolve().parents[1]
needs_data = pytest.mark.skipif(
    not (DEFAULT_DATA / "vacancies.csv").is_file(), reason=f"no real data at {DEFAULT_DATA}"
)

FLOORS = {
    "role accuracy": 0.95,
    "IT recall (kept / IT)": 0.98,
    "non-IT precision (kept IT / kept)": 0.97,
    "stack accuracy (role right)": 0.98,
    "level accuracy": 0.98,
    "skill recall": 0.95,
    "skill precision": 0.96,
}


@pytest.fixture(scope="module")
def figures(catalog):
    return evaluate(DEFAULT_DATA, catalog)


@needs_data
@pytest.mark.parametrize(("name", "floor"), FLOORS.items())
def test_quality_stays_above_its_floor(figures, name, floor):
    assert figures["all"][name] >= floor, (name, figures["all"][name])


def test_without_the_data_the_evaluation_says_so_and_succeeds(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bench.evaluation", "--data", str(tmp_path), "--no-save"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stdout.strip().startswith("evaluation skipped: no real data")
