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
