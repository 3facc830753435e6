"""`python -m bot chat`: the coach in a terminal, played through a pipe as a newcomer would type."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e


def chat(lines: list[str], tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--database", f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT), "USER": "aru"},
        timeout=60,
    )


def test_a_newcomer_reaches_a_ticked_item_in_the_terminal(tmp_path):
    # /start, Backend Engineer, Junior, Almaty (cities with postings come first: Astana, Almaty), type
    # skills, Done ([21] under the skill buttons), Skip, My roadmap, tick the first item.
    result = chat(["/start", "1", "2", "2", "Python, SQL", "21", "2", "1", "1", "/quit"], tmp_path, "--lang", "en")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Hi, Aru!" in out
    assert "[1] Backend Engineer" in out
    assert "Got it: Python, SQL" in out
    assert "Core skills: 2 of 12" in out
    assert "✎ 🎯 Backend Engineer · Python · Junior · Almaty" in out  # the roadmap, edited in place by the tick
    assert "✅ 1." in out
    assert "Traceback" not in result.stderr


def test_the_chat_speaks_russian_and_keeps_state_between_runs(tmp_path):
    first = chat(["/start", "1", "2"], tmp_path, "--lang", "ru")  # role, level: now at the city step
    assert "Шаг 3 из 5" in first.stdout
    # A new process: its buttons are not on screen any more, so "1" is plain text, and the bot answers
    # with the step the conversation was at — the city step, saved in the database.
    second = chat(["1", "/cancel"], tmp_path, "--lang", "ru")
    assert "Выберите вариант кнопками ниже" in second.stdout
    assert "Шаг 3 из 5" in second.stdout
    assert "Отменено" in second.stdout


def test_run_without_a_token_and_without_a_terminal_still_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot"], input="y\n", capture_output=True, text=True, cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Try the coach in this terminal" not in result.stdout


def test_the_market_chart_and_the_report_are_saved_as_files(tmp_path):
    lines = ["/start", "1", "2", "2", "Python, SQL", "21", "2", "/market", "/report", "/quit"]
    result = chat(lines, tmp_path, "--lang", "ru")
    assert result.returncode == 0, result.stderr
    assert "что-то пошло не так" not in result.stdout
    files = sorted((tmp_path / "data" / "terminal-chat-files").iterdir())
    chart = next(f for f in files if f.suffix == ".png")
    report = next(f for f in files if f.suffix == ".md")
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert report.read_text().startswith("# Анализ ролей и навыков")
    assert f"🖼 data/terminal-chat-files/{chart.name}" in result.stdout
    assert "Рынок: Backend-разработчик" in result.stdout
