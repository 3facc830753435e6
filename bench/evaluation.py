"""Skill reading and posting classification measured on real hh.ru vacancies (testkit.evaluation says how):
prints the figures and saves them to bench/results/evaluation.json.

    python -m bench.evaluation [--data DIR] [--errors all|dev|holdout] [--no-save]

When the data folder is absent (a user's clone has no ../shared) it prints one line and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from testkit.evaluation import DEFAULT_DATA, NAME, SPLITS, evaluate

RESULTS = Path(__file__).resolve().parent / "results"


def print_table(result: dict[str, dict[str, Any]], heading: str) -> None:
    labels = [k for k in result["all"] if not isinstance(result["all"][k], dict)]
    width = max(len(label) for label in labels)
    print(f"\n== {NAME}: {heading} ==")
    print(f"  {''.ljust(width)}  {'all':>9}  {'dev':>9}  {'holdout':>9}")
    for label in labels:
        cells = []
        for split in SPLITS:
            value = result[split][label]
            cells.append(f"{value:>9.3f}" if isinstance(value, float) else f"{value!s:>9}")
        print(f"  {label.ljust(width)}  {'  '.join(cells)}")
    confusions = result["all"]["top role confusions (label -> got)"]
    if confusions:
        print("  most common role errors (all): " + ", ".join(f"{k} ×{n}" for k, n in confusions.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.evaluation", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with vacancies.csv")
    parser.add_argument("--errors", choices=SPLITS, help="print the misread rows of this split")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/evaluation.json")
    args = parser.parse_args(argv)
    if not (args.data / "vacancies.csv").is_file():
        print(f"evaluation skipped: no real data at {args.data} (it is not part of the project)")
        return 0
    result = evaluate(args.data, errors=args.errors)
    print_table(result, "hh-ru-2025, hand labels")
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        out = {
            "benchmark": NAME,
            "data": "hh-ru-2025 (../shared/data)",
            "figures": result,
        }
        (RESULTS / f"{NAME}.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
