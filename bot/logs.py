"""Logging: one line per record (or JSON), and secrets kept out of everything written — messages, arguments,
tracebacks and uncaught exceptions alike.

Redaction happens in the formatter, on the final text: a traceback whose frames or exception message hold the
bot token (aiohttp puts the request URL, /bot<token>/sendMessage, in its errors) is redacted as well as a
message is. Uncaught exceptions go through the same handler (`sys.excepthook`), so not even a crash at
start-up prints a secret.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MIN_SECRET_LENGTH = 6  # shorter strings would redact ordinary words


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, "***")
        return text


class RedactingFormatter(logging.Formatter):
    """The standard format, with every secret replaced by *** in the whole output (traceback included)."""

    def __init__(self, redact: Redactor, fmt: str = TEXT_FORMAT) -> None:
        super().__init__(fmt)
        self._redact = redact

    def formatException(self, ei) -> str:
        return self._redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return self._redact(super().formatStack(stack_info))

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


class JsonFormatter(RedactingFormatter):
    """One JSON object per line (for log collectors): time, level, logger, message, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return self._redact(json.dumps(entry, ensure_ascii=False))


class SchedulerLinesAsDebug(logging.Filter):
    """APScheduler's INFO lines ("Running job ...", "Job ... executed successfully": a pair per reminder tick,
    every minute) become DEBUG, shown only with LOG_LEVEL=DEBUG; its warnings and errors (a job missed or
    failed) stay as they are."""

    def __init__(self, show_debug: bool) -> None:
        super().__init__()
        self._show_debug = show_debug

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and record.name.startswith("apscheduler"):
            record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
            return self._show_debug
        return True


def setup_logging(level: str, secrets: Iterable[str] = (), json_format: bool = False) -> None:
    redact = Redactor(secrets)
    numeric = logging.getLevelName(level)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(redact) if json_format else RedactingFormatter(redact))
    handler.addFilter(SchedulerLinesAsDebug(show_debug=numeric <= logging.DEBUG))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("aiogram.event").setLevel(max(numeric, logging.WARNING))  # our own line per update says it
    logging.getLogger("alembic").setLevel(max(numeric, logging.WARNING))

    def excepthook(kind: type[BaseException], value: BaseException, traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, traceback)
            return
        logging.getLogger("bot").critical("unexpected error", exc_info=(kind, value, traceback))

    sys.excepthook = excepthook
