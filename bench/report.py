"""Printing a small table and saving the same figures as JSON."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def report(name: str, rows: list[tuple[str, object]], extra: dict | None = None, save: bool = True) -> dict:
    width = max(len(label) for label, _ in rows)
    print(f"\n== {name} ==")
    for label, value in rows:
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"  {label.ljust(width)}  {shown}")
    data = {
        "benchmark": name,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
        "figures": dict(rows),
        **(extra or {}),
    }
    if os.environ.get("BENCH_JSON"):  # for the smoke tests, which run benchmarks as processes
        print("BENCH-JSON: " + json.dumps(data, ensure_ascii=False, default=str))
    if not save:
        return data
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data
