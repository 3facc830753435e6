"""One benchmark's `run()` at the sizes given, its result printed as JSON on the last line.

The smoke tests call benchmarks this way, as processes, so `tests/` never imports `bench/` (and back):

    python -m bench.call reminders '{"users": 12, "rate": 500, "blocked": 2}'

Nothing is saved to bench/results (save=False is passed unless the arguments say otherwise).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys

BENCHMARKS = (
    "broadcast",
    "classes",
    "concurrency",
    "footprint",
    "imports",
    "market",
    "reminders",
    "scaleout",
    "sync",
    "updates",
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in BENCHMARKS or len(args) > 2:
        print(f"usage: python -m bench.call {{{','.join(BENCHMARKS)}}} ['{{\"keyword\": value}}']", file=sys.stderr)
        return 2
    try:
        kwargs = json.loads(args[1]) if len(args) == 2 else {}
    except json.JSONDecodeError as error:
        print(f"bench.call: the arguments are not JSON ({error.msg})", file=sys.stderr)
        return 2
    if not isinstance(kwargs, dict):
        print("bench.call: the arguments must be a JSON object", file=sys.stderr)
        return 2
    kwargs.setdefault("save", False)
    # JSON has no tuples; the benchmarks take sizes and round trips as tuples.
    kwargs = {key: tuple(value) if isinstance(value, list) else value for key, value in kwargs.items()}
    module = importlib.import_module(f"bench.{args[0]}")
    result = asyncio.run(module.run(**kwargs))
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
