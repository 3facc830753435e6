"""Settings: defaults, parsing, the token check, and .env.example staying true to the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import DEFAULT_DATABASE_URL, Settings, TokenProblem

ROOT = Path(__file__).resolve().parents[1]


def make(**env: str) -> Settings:
    return Settings(_env_file=None, **env)


def test_defaults(monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    settings = make()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.default_timezone == "Asia/Almaty"
    assert settings.admin_ids == frozenset()
    assert settings.bot_token is None
    assert settings.sqlite_path() == Path("data/career_coach.sqlite3")


def test_admin_ids_are_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("ADMIN_IDS", "123, 456,789")
    assert make().admin_ids == {123, 456, 789}


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError, match="unknown IANA time zone"):
        make(default_timezone="Mars/Olympus")


@pytest.mark.parametrize("token", [None, "", "   "])
def test_missing_token_says_what_to_do(token):
    with pytest.raises(TokenProblem) as problem:
        make(bot_token=token).token()
    message = str(problem.value)
    assert "BOT_TOKEN" in message
    assert "@BotFather" in message
    assert ".env" in message
    assert "\n" not in message


@pytest.mark.parametrize("token", ["abc", "123456", "123:has space", "12x:ABC"])
def test_malformed_token_says_what_to_do(token):
    with pytest.raises(TokenProblem, match="does not look like a bot token"):
        make(bot_token=token).token()


def test_secret_token_is_not_in_the_repr():
    settings = make(bot_token="123456:SECRET-token-value")
    assert "SECRET-token-value" not in repr(settings)
    assert settings.token() == "123456:SECRET-token-value"


def test_env_example_documents_every_setting_and_nothing_else():
    text = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_database_password_is_known_for_redaction():
    settings = make(database_url="postgresql+asyncpg://coach:s3cret-pass@db:5432/coach")
    assert settings.database_password() == "s3cret-pass"
    assert make(database_url="sqlite+aiosqlite:///x.db").database_password() is None
