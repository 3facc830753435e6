"""Secrets never reach the log: not in messages, not in arguments, not in tracebacks, not in crashes."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from bot.logs import JsonFormatter, RedactingFormatter, Redactor

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:AAE-secret-token-value-for-tests"


def _record(message: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("x", logging.ERROR, __file__, 1, message, args, exc_info)


def test_secrets_are_redacted_from_messages_and_arguments():
    formatter = RedactingFormatter(Redactor([TOKEN]))
    assert "calling url/bot***/getMe" in formatter.format(_record("calling %s/bot%s/getMe", "url", TOKEN))
    assert TOKEN not in formatter.format(_record(f"POST /bot{TOKEN}/sendMessage"))


def test_secrets_are_redacted_from_tracebacks():
    """aiohttp's errors carry the request URL, /bot<token>/sendMessage: the traceback is redacted too."""
    try:
        raise ConnectionError(f"502 Bad Gateway for https://api.telegram.org/bot{TOKEN}/sendMessage")
    except ConnectionError:
        record = _record("send failed", exc_info=sys.exc_info())
    for formatter in (RedactingFormatter(Redactor([TOKEN])), JsonFormatter(Redactor([TOKEN]))):
        text = formatter.format(record)
        assert TOKEN not in text and "/bot***/sendMessage" in text
    assert json.loads(JsonFormatter(Redactor([TOKEN])).format(record))["level"] == "ERROR"


def test_records_without_secrets_are_untouched():
    text = RedactingFormatter(Redactor([TOKEN])).format(_record("hello %s", "world"))
    assert text.endswith("hello world")


def test_a_crash_at_start_up_prints_no_secret(tmp_path):
    """A start-up failure (here: a database that cannot be opened) is one redacted log record, not a raw
    traceback with the token in it."""
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"http://127.0.0.1:9/{TOKEN}",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/missing-dir-{TOKEN}/x.sqlite3",
    }
    (tmp_path / f"missing-dir-{TOKEN}").write_text("a file where a folder should be")
    result = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=60)  # fmt: skip
    assert result.returncode != 0
    assert TOKEN not in result.stdout + result.stderr
    assert "***" in result.stderr


def _log_lines(level: str, json_format: bool) -> list[str]:
    """What the bot's logging writes for an update line and APScheduler's lines of one reminder tick."""
    code = (
        "import logging\n"
        "from bot.logs import setup_logging\n"
        f"setup_logging({level!r}, json_format={json_format})\n"
        "logging.getLogger('bot.observability').info('update id=%s type=message user=1 ms=1.0 outcome=ok', 7)\n"
        "logging.getLogger('apscheduler.executors.default').info('Running job %s', 'reminders')\n"
        "logging.getLogger('apscheduler.executors.default').info('Job %s executed successfully', 'reminders')\n"
        "logging.getLogger('apscheduler.scheduler').warning('Run time of job %s was missed', 'reminders')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stderr.splitlines()


def test_scheduler_ticks_are_debug_lines_and_its_warnings_stay():
    lines = _log_lines("INFO", json_format=False)
    assert len(lines) == 2, lines
    assert "INFO bot.observability: update id=7" in lines[0]
    assert "WARNING apscheduler.scheduler: Run time of job reminders was missed" in lines[1]
    debug = _log_lines("DEBUG", json_format=False)
    assert any("DEBUG apscheduler.executors.default: Running job reminders" in line for line in debug), debug
    assert len(debug) == 4


def test_json_log_lines_are_objects():
    entries = [json.loads(line) for line in _log_lines("INFO", json_format=True)]
    assert [(e["level"], e["logger"]) for e in entries] == [
        ("INFO", "bot.observability"),
        ("WARNING", "apscheduler.scheduler"),
    ]
    assert entries[0]["message"] == "update id=7 type=message user=1 ms=1.0 outcome=ok"
