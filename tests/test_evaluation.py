"""Quality floors on real hh.ru vacancies (../shared/data/hh-ru-2025, hand labels in bench/labels/).

Skipped when the data folder is absent: a user's clone has no ../shared. The floors are the levels the
import reaches today; a change that reads real postings worse fails here.
"""

from __future__ import annotations

import pytest

from bench.evaluation import DEFAULT_DATA, evaluate, main

needs_data = pytest.mark.skipif(
    not (DEFAULT_DATA / "vacancies.csv").is_file(), reason=f"no real data at {DEFAULT_DATA}"
)

# Figure -> the lowest acceptable value, on all labelled rows.
FLOORS = {
    "role accuracy": 0.38,
    "role accuracy, catalog roles only": 0.67,
    "IT recall (kept / IT)": 0.48,
    "non-IT precision (kept IT / kept)": 0.78,
    "stack accuracy (role right)": 0.11,
    "level accuracy": 0.94,
    "skill recall": 0.85,
    "skill precision": 0.97,
}


@pytest.fixture(scope="module")
def figures(catalog):
    return evaluate(DEFAULT_DATA, catalog)


@needs_data
@pytest.mark.parametrize(("name", "floor"), FLOORS.items())
def test_quality_stays_above_its_floor(figures, name, floor):
    assert figures["all"][name] >= floor, (name, figures["all"][name])


@needs_data
def test_the_held_out_part_is_measured_too(figures):
    assert figures["holdout"]["vacancies"] >= 150
    assert figures["holdout"]["skill tokens"] >= 400


def test_a_missing_data_folder_is_one_line_and_success(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nowhere"), "--no-save"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "skipped" in out
