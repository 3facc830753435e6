"""Settings: defaults, parsing, the token check, and .env.example staying true to the code."""

from __future__ import annotations

import re
import subprocess
import sys
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


def test_aiogram_types_are_left_to_build_on_first_use_and_every_one_resolves():
    """bot.lazy_types defers aiogram's up-front build of ~300 models (2.8 s, 100 MB per process); each must
    still find its forward references when pydantic builds it later."""
    script = (
        "import bot, sys\n"
        "from pydantic import BaseModel\n"
        "import aiogram.types as types\n"
        "found = map(types.__dict__.get, types.__all__)\n"
        "models = [m for m in found if isinstance(m, type) and issubclass(m, BaseModel)]\n"
        "built_at_import = sum(bool(m.__pydantic_complete__) for m in models)\n"
        "failed = [m.__name__ for m in models if not (m.model_rebuild(raise_errors=False) or m.__pydantic_complete__)]"
        "\n"
        "print(len(models), built_at_import, failed)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    total, built_at_import, failed = run.stdout.split(" ", 2)
    assert int(total) > 250
    assert int(built_at_import) < int(total) // 10  # left for later, not built at import
    assert failed.strip() == "[]"
