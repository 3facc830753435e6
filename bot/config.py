"""Settings: read once from the environment and `.env`, validated by pydantic-settings.

Every field is documented one by one in `.env.example`; keep the two in step (a test compares them).
"""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram.utils.token import TokenValidationError, validate_token
from pydantic import AnyHttpUrl, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/career_coach.sqlite3"


class TokenProblem(Exception):
    """BOT_TOKEN is missing or malformed; the message says what to do, in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: AnyHttpUrl | None = None
    redis_url: str | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_timezone: str = "Asia/Almaty"
    log_level: str = Field(default="INFO", pattern=r"(?i)^(DEBUG|INFO|WARNING|ERROR|CRITICAL)$")
    log_format: str = Field(default="text", pattern=r"^(text|json)$")
    webhook_url: AnyHttpUrl | None = None
    webhook_path: str = Field(default="/telegram/webhook", pattern=r"^/[A-Za-z0-9_/.-]*$")
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    health_host: str = "127.0.0.1"
    health_port: int | None = Field(default=None, ge=1, le=65535)  # polling mode: /healthz and /metrics here
    metrics_port: int | None = Field(default=None, ge=1, le=65535)  # webhook mode: /metrics here, not public
    hh_api_url: AnyHttpUrl = AnyHttpUrl("https://api.hh.ru")
    hh_user_agent: str = "CareerCoach/0.1 (career-coach-bot)"
    hh_access_token: SecretStr | None = None  # hh's application token (Authorization: Bearer); secret
    hh_sync: bool = False  # this process runs the scheduled postings sync (one replica at a time)
    hh_sync_schedule: str = "0 3 * * mon"  # crontab, in DEFAULT_TIMEZONE: Mondays at 03:00
    hh_sync_areas: Annotated[tuple[str, ...], NoDecode] = ("40",)  # hh area ids; 40 is Kazakhstan
    hh_sync_max_age_days: int = Field(default=60, ge=1, le=365)
    hh_sync_rate: float = Field(default=3.0, gt=0, le=100)  # requests per second to hh
    currency_rates: Annotated[dict[str, float], NoDecode] = Field(default_factory=dict)
    currency_rates_date: date | None = None  # the day CURRENCY_RATES are from (shown beside converted salaries)
    reminders: bool = True
    reminder_tick_seconds: float = Field(default=60.0, gt=0)
    send_rate: float = Field(default=30.0, gt=0)
    send_per_chat_interval: float = Field(default=1.0, ge=0)
    classes_per_teacher: int = Field(default=20, ge=1, le=1000)
    class_size_limit: int = Field(default=1000, ge=1, le=10_000)

    @field_validator(
        "bot_token",
        "redis_url",
        "telegram_api_url",
        "webhook_url",
        "webhook_secret",
        "currency_rates_date",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("hh_sync_areas", mode="before")
    @classmethod
    def _split_areas(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())
        if isinstance(value, (tuple, list)):
            if not value or not all(str(part).isdigit() for part in value):
                raise ValueError("hh area ids, comma-separated (40 is Kazakhstan, 160 Almaty, 159 Astana)")
            return tuple(str(part) for part in value)
        return value

    @field_validator("hh_sync_schedule")
    @classmethod
    def _crontab(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a crontab expression (minute hour day month weekday): {exc}") from exc
        return value

    @field_validator("currency_rates", mode="before")
    @classmethod
    def _parse_rates(cls, value: object) -> object:
        """ "USD=480, RUB=5.6" -> {"USD": 480.0, "RUB": 5.6}: KZT for one unit of each currency."""
        if isinstance(value, str):
            rates = {}
            for part in value.replace(";", ",").split(","):
                if part.strip():
                    code, _, rate = part.partition("=")
                    rates[code.strip().upper()] = float(rate)
            return rates
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. Asia/Almaty)") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    def token(self) -> str:
        """The bot token, or :class:`TokenProblem` with the one line that tells the operator what to do."""
        how = "get one from @BotFather in Telegram and put BOT_TOKEN=... in .env (see .env.example)"
        if self.bot_token is None:
            raise TokenProblem(f"BOT_TOKEN is not set: {how}.")
        token = self.bot_token.get_secret_value().strip()
        try:
            validate_token(token)
        except TokenValidationError:
            raise TokenProblem(f"BOT_TOKEN does not look like a bot token (123456:ABC...): {how}.") from None
        return token

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.webhook_url is None:
            return self
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
            raise ValueError("WEBHOOK_SECRET is required with WEBHOOK_URL: 16-256 characters of A-Z, a-z, 0-9, _ and -")
        return self

    def webhook_endpoint(self) -> str:
        assert self.webhook_url is not None
        return str(self.webhook_url).rstrip("/") + self.webhook_path

    def secrets(self) -> list[str]:
        """Every secret value the settings hold, for logging to keep out of every line."""
        values = [self.bot_token, self.webhook_secret, self.hh_access_token]
        found = [v.get_secret_value().strip() for v in values if v is not None]
        return [v for v in (*found, self.database_password() or "", self._redis_password()) if v]

    def _redis_password(self) -> str:
        if not self.redis_url:
            return ""
        try:
            return make_url(self.redis_url.replace("redis://", "redis+x://", 1)).password or ""
        except ArgumentError:
            return ""

    def database_password(self) -> str | None:
        """The password inside DATABASE_URL, so logging can keep it out of every line."""
        try:
            return make_url(self.database_url).password
        except ArgumentError:
            return None

    def missing_extra(self) -> str | None:
        """One line saying which optional package the settings need and this environment lacks (asyncpg for a
        PostgreSQL DATABASE_URL, redis for REDIS_URL) and how to install it; None when nothing is missing."""
        needs = []
        try:
            if make_url(self.database_url).get_backend_name() == "postgresql":
                needs.append(("DATABASE_URL is a PostgreSQL database", "asyncpg", "postgres"))
        except ArgumentError:
            pass  # not a URL at all: opening the database says so
        if self.redis_url:
            needs.append(("REDIS_URL is set", "redis", "redis"))
        for why, module, extra in needs:
            if importlib.util.find_spec(module) is None:
                return (
                    f"{why}, but {module} is not installed: start the bot with `python3 tasks.py run` (it installs "
                    f"what the settings need), or pip install 'career-coach[{extra}]'."
                )
        return None

    def sqlite_path(self) -> Path | None:
        """The SQLite file behind DATABASE_URL, if it is one (its folder is created on start)."""
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix):
            rest = self.database_url.removeprefix(prefix).split("?", 1)[0]
            return Path(rest) if rest and rest != ":memory:" else None
        return None
