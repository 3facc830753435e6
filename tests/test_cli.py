"""The command line as an operator uses it: a real `python -m bot` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_bot(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**base, "PYTHONPATH": str(ROOT), **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.mark.parametrize("args", [(), ("run",)])
def test_run_without_a_token_prints_one_clear_line_and_exits_2(args, tmp_path):
    result = run_bot(*args, cwd=tmp_path)  # tmp_path: no .env to pick a token from
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "BOT_TOKEN" in lines[0]
    assert "@BotFather" in lines[0]
    assert ".env" in lines[0]
    assert "Traceback" not in result.stderr


def test_run_with_a_malformed_token_exits_2(tmp_path):
    result = run_bot(env={"BOT_TOKEN": "not-a-token"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "does not look like a bot token" in result.stderr
    assert "not-a-token" not in result.stderr  # never echo a secret, even a wrong one


def test_invalid_settings_exit_2_with_one_line(tmp_path):
    result = run_bot(env={"BOT_TOKEN": "123:abc", "DEFAULT_TIMEZONE": "Nowhere/City"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "DEFAULT_TIMEZONE" in result.stderr


def test_skills_parse_prints_json():
    result = run_bot("skills", "parse", "Basic Python, PosgreSQL, Go/Python, Quantum basket weaving")
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed == {"recognized": ["Python", "PostgreSQL", "Go"], "unknown": ["Quantum basket weaving"]}


def test_skills_parse_in_russian():
    result = run_bot("skills", "parse", "--lang", "ru", "ООП, английский язык")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recognized"] == ["ООП", "Английский язык"]


def test_db_upgrade_creates_the_schema(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    result = run_bot("db", "upgrade", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    head = result.stdout.strip().splitlines()[-1]
    assert run_bot("db", "current", env={"DATABASE_URL": url}).stdout.strip() == head
    down = run_bot("db", "downgrade", "base", env={"DATABASE_URL": url})
    assert down.stdout.strip().splitlines()[-1] == "base"


def test_help_lists_the_commands():
    result = run_bot("--help")
    assert result.returncode == 0
    for command in ("run", "skills", "db"):
        assert command in result.stdout
