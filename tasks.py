#!/usr/bin/env python3
"""One entry point for people and CI: sets up its own virtual environment, then runs the bot or the tests.

    python3 tasks.py run [ARGS...]    # python -m bot ARGS (default: run the bot)
    python3 tasks.py test [ARGS...]   # ruff + pytest ARGS
    python3 tasks.py lint             # ruff only
    python3 tasks.py bench [ARGS...]  # the benchmarks (make bench)
    python3 tasks.py i18n             # re-extract, update and compile the translations (maintainers)
    python3 tasks.py lock             # re-resolve every dependency and write constraints.txt (maintainers)
    python3 tasks.py font             # rebuild the chart's font, handlers/market/fonts (maintainers)

Only the standard library is used here, so it works on a fresh machine with Python 3.11+ and pip. The
environment lives in .venv (or $VENV_DIR); it gets the versions pinned in constraints.txt and is reinstalled
only when pyproject.toml or constraints.txt changes. `run` installs what the settings need: the `postgres`
extra for a PostgreSQL DATABASE_URL, `redis` for a REDIS_URL (from the environment or .env); the other tasks
install the `dev` extra, which has both.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV_DIR", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCALES = ROOT / "bot" / "locales"
CONSTRAINTS = ROOT / "constraints.txt"
UNPINNED = {"pip", "setuptools", "wheel"}  # the environment's own tools: pinning them could clash with a build


def _say(text: str) -> None:
    print(f"[tasks] {text}", file=sys.stderr, flush=True)


def ensure_env(*extras: str) -> None:
    """Create the venv and install the project (with `extras`) at the pinned versions, unless the same
    pyproject.toml and constraints.txt are installed already."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs before any check of the version
        sys.exit("Career Coach needs Python 3.11 or newer; run this with python3.11 (or newer).")
    if not PY.exists():
        _say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = ",".join(sorted(set(extras)))
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        digest.update(path.read_bytes() if path.exists() else b"")
    stamp = VENV / f".installed-{wanted or 'base'}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest()[:16]:
        return
    target = f".[{wanted}]" if wanted else "."
    _say(f"installing {target} (first run takes a minute)")
    pins = ["-c", str(CONSTRAINTS)] if CONSTRAINTS.exists() else []
    _pip(PY, "install", "--quiet", *pins, "-e", target)
    stamp.write_text(digest.hexdigest()[:16])


def _pip(python: Path, *args: str) -> str:
    """Run pip quietly: its output is shown only when it fails (then this script stops with its code)."""
    done = subprocess.run(
        [str(python), "-m", "pip", *args, "--disable-pip-version-check"], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        print(done.stdout + done.stderr, file=sys.stderr)
        _say(f"pip {args[0]} failed (exit code {done.returncode})")
        sys.exit(done.returncode)
    return done.stdout


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


def lock() -> int:
    """Resolve the newest versions pyproject.toml allows, in a fresh environment with every extra, and pin
    them in constraints.txt (which every install here, CI and the image then use)."""
    with tempfile.TemporaryDirectory(prefix="coach-lock-") as folder:
        python = Path(folder) / ("Scripts" if os.name == "nt" else "bin") / "python"
        _say("resolving every dependency in a fresh environment (a minute or two)")
        venv.EnvBuilder(with_pip=True).create(folder)
        _pip(python, "install", "--quiet", "-e", ".[dev]")  # not pinned by the old file: that is the point
        frozen = _pip(python, "freeze", "--exclude-editable").splitlines()
    pins = [line for line in frozen if "==" in line and line.split("==")[0].lower() not in UNPINNED]
    pins.sort(key=lambda line: line.split("==")[0].lower())
    header = [
        "# Every package the bot, its extras (postgres, redis) and the development tools install, pinned.",
        f"# Written by `python3 tasks.py lock` on Python {sys.version_info.major}.{sys.version_info.minor};"
        " used by tasks.py, .ci/run (through tasks.py) and the Dockerfile.",
        "# Change a range in pyproject.toml, then run the lock again; do not edit by hand.",
    ]
    CONSTRAINTS.write_text("\n".join([*header, *pins]) + "\n")
    _say(f"{CONSTRAINTS.name}: {len(pins)} packages pinned")
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
    if task == "lock":
        return lock()
    if task == "font":
        return font()
    print(f"unknown task {task!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
