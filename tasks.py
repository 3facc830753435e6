#!/usr/bin/env python3
"""One entry point for people and CI: sets up its own virtual environment, then runs the bot or the tests.

    python3 tasks.py run [ARGS...]    # python -m bot ARGS (default: run the bot)
    python3 tasks.py test [ARGS...]   # ruff + pytest ARGS
    python3 tasks.py lint             # ruff only
    python3 tasks.py bench [ARGS...]  # the benchmarks (make bench)
    python3 tasks.py i18n             # re-extract, update and compile the translations (maintainers)
    python3 tasks.py font             # rebuild the chart's font, handlers/market/fonts (maintainers)

Only the standard library is used here, so it works on a fresh machine with Python 3.11+ and pip. The
environment lives in .venv (or $VENV_DIR) and is reinstalled only when pyproject.toml changes. `run`
installs what the settings need: the `postgres` extra for a PostgreSQL DATABASE_URL, `redis` for a REDIS_URL
(from the environment or .env); the other tasks install the `dev` extra, which has both.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV_DIR", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCALES = ROOT / "bot" / "locales"


def _say(text: str) -> None:
    print(f"[tasks] {text}", file=sys.stderr, flush=True)


def ensure_env(*extras: str) -> None:
    """Create the venv and install the project (with `extras`) unless the same pyproject is installed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs before any check of the version
        sys.exit("Career Coach needs Python 3.11 or newer; run this with python3.11 (or newer).")
    if not PY.exists():
        _say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = ",".join(sorted(set(extras)))
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{wanted or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{wanted}]" if wanted else "."
    _say(f"installing {target} (first run takes a minute)")
    subprocess.run(
        [str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target],
        cwd=ROOT,
        check=True,
    )
    stamp.write_text(digest)


def settings_extras(environ: dict[str, str] | None = None, dotenv: Path = ROOT / ".env") -> list[str]:
    """The extras the bot's settings need, read as bot/config.py reads them (the environment first, then
    .env; names in any case): `postgres` for a PostgreSQL DATABASE_URL, `redis` when REDIS_URL is set."""
    values = {key.upper(): value for key, value in _read_dotenv(dotenv).items()}
    values.update({key.upper(): value for key, value in (os.environ if environ is None else environ).items()})
    extras = []
    if values.get("DATABASE_URL", "").strip().lower().startswith("postgres"):
        extras.append("postgres")
    if values.get("REDIS_URL", "").strip():
        extras.append("redis")
    return extras


def _read_dotenv(path: Path) -> dict[str, str]:
    """KEY=value lines of a .env file (`export`, quotes and trailing comments as python-dotenv reads them)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, sep, value = line.strip().removeprefix("export ").partition("=")
        if not sep or key.strip().startswith("#"):
            continue
        value = value.strip()
        if value[:1] in {"'", '"'} and value[0] in value[1:]:
            value = value[1 : value.index(value[0], 1)]
        else:
            value = value.split(" #", 1)[0].strip()
        values[key.strip()] = value
    return values


def _exec(args: list[str]) -> int:
    return subprocess.call(args, cwd=ROOT)


def run(args: list[str]) -> int:
    ensure_env(*settings_extras())
    return _exec([str(PY), "-m", "bot", *args])


def lint() -> int:
    ensure_env("dev")
    return _exec([str(BIN / "ruff"), "check", "."]) or _exec([str(BIN / "ruff"), "format", "--check", "."])


def test(args: list[str]) -> int:
    ensure_env("dev")
    code = lint()
    if code:
        _say("lint failed: `python3 tasks.py lint` shows it; `.venv/bin/ruff format .` fixes formatting")
        return code
    return _exec([str(PY), "-m", "pytest", *args])


def bench(args: list[str]) -> int:
    """Every benchmark, in one run; each prints a table and writes bench/results/<name>.json."""
    ensure_env("dev")
    return _exec([str(PY), "-m", "bench", *args])


def i18n() -> int:
    """Extract texts from the code, merge them into each language's .po, and compile the .mo files."""
    ensure_env("dev")
    pybabel = str(BIN / "pybabel")
    pot = LOCALES / "messages.pot"
    steps = [
        [
            pybabel,
            "extract",
            "-k",
            "__",
            "-k",
            "_",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(pot),
            "bot",
            "handlers",
        ],
        [pybabel, "update", "-d", str(LOCALES), "-D", "messages", "-i", str(pot), "--no-fuzzy-matching"],
        [pybabel, "compile", "-d", str(LOCALES), "-D", "messages", "--statistics"],
    ]
    for step in steps:
        if code := _exec(step):
            return code
    return 0


def font() -> int:
    """Rebuild the chart's font from matplotlib's wheel (tools/subset_font.py; fontTools is in `dev`)."""
    ensure_env("dev")
    return _exec([str(PY), "tools/subset_font.py"])


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    task, rest = argv[0], argv[1:]
    if task == "run":
        return run(rest)
    if task == "test":
        return test(rest)
    if task == "lint":
        return lint()
    if task == "i18n":
        return i18n()
    if task == "bench":
        return bench(rest)
    if task == "font":
        return font()
    print(f"unknown task {task!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
