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


# As if the package were not installed: `import` fails and importlib finds no spec.
WITHOUT = "import sys\nsys.modules[{module!r}] = None\nfrom bot.__main__ import main\nsys.exit(main(sys.argv[1:]))"


@pytest.mark.parametrize(
    ("module", "setting", "extra"),
    [
        ("asyncpg", {"DATABASE_URL": "postgresql+asyncpg://coach:pg-secret-word@127.0.0.1:9/coach"}, "postgres"),
        ("redis", {"REDIS_URL": "redis://:redis-secret-word@127.0.0.1:9/0"}, "redis"),
    ],
)
def test_a_setting_whose_package_is_missing_is_one_line_and_exit_2(tmp_path, module, setting, extra):
    """asyncpg and redis are extras: a bot started with a PostgreSQL or Redis URL without them says what to
    install, in one line, with no traceback and no password."""
    base = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL", "REDIS_URL"}}
    env = {**base, "PYTHONPATH": str(ROOT), "BOT_TOKEN": "123456:AAE-token-for-a-missing-extra", **setting}
    for args in (["run"], ["db", "current"]):
        result = subprocess.run([sys.executable, "-c", WITHOUT.format(module=module), *args], env=env, cwd=tmp_path,
                                capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)  # fmt: skip
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert f"{module} is not installed" in line and f"career-coach[{extra}]" in line and "tasks.py run" in line
        assert "secret" not in result.stderr + result.stdout


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


FIXTURES = Path(__file__).parent / "fixtures"
SEED_002 = ("Python (advanced, OOP), PostgreSQL, SQL queries, FastAPI, Git (basic usage)",
            "Pytest, Unit testing, Docker & Docker Compose, CI/CD (GitHub Actions), RabbitMQ/Kafka")  # fmt: skip


@pytest.fixture(scope="module")
def market_db(tmp_path_factory) -> dict[str, str]:
    """A database with the fixtures' hh.kz-style postings imported, as an operator would fill it."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('plan') / 'plan.sqlite3'}"
    imported = run_bot("postings", "import", str(FIXTURES / "hh" / "kz-search.json"), env={"DATABASE_URL": url})
    assert imported.returncode == 0, imported.stderr
    return {"DATABASE_URL": url}


def test_plan_as_json_follows_what_the_student_asked_for(market_db):
    skills, lacks = SEED_002
    result = run_bot("plan", "--role", "backend", "--skills", skills, "--lacks", lacks, "--json", env=market_db)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert (plan["role"], plan["stack"]) == ("backend", "python")
    assert {"python", "fastapi", "postgresql", "sql", "git"} <= set(plan["have"])
    gap = [entry["skill"] for entry in plan["gap"]]
    assert gap.count("broker") == 1 and "kafka" not in gap and "rabbitmq" not in gap  # one of RabbitMQ/Kafka
    assert {entry["skill"] for entry in plan["gap"][:3]} <= {"docker", "pytest", "unit_testing", "ci_cd"}
    first_term = [entry for entry in plan["roadmap"] if entry["term"] == "now"]
    assert sum(len(entry["items"]) for entry in first_term) <= 20
    assert {"docker", "ci_cd"} <= {entry["skill"] for entry in first_term}
    everything = {entry["skill"] for entry in plan["roadmap"]} | set(gap)
    assert not everything & {"java", "go", "php", "spring", "laravel"}
    assert plan["postings_used"] >= 1 and set(plan) >= {"unknown", "salary", "roadmap", "gap", "have"}


def test_plan_as_text_in_russian(market_db):
    skills, lacks = SEED_002
    result = run_bot("plan", "--role", "backend", "--skills", skills, "--lacks", lacks, "--lang", "ru",
                     env=market_db)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Backend-разработчик · Python" in result.stdout
    assert "<b>" not in result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--role", "wizard", "--skills", "Python"), "unknown role 'wizard'"),
        (("--role", "backend", "--skills", "   "), "--skills is empty"),
        (("--role", "backend", "--skills", "x" * 10_000), "longer than"),
        (("--role", "backend", "--skills", "Python", "--stack", "cobol"), "has no stack 'cobol'"),
        (("--role", "backend", "--skills", "Quantum basket weaving"), "no skill recognised"),
    ],
)
def test_plan_refuses_bad_input_with_one_line_and_exit_2(market_db, args, says):
    result = run_bot("plan", *args, env=market_db)
    assert result.returncode == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_postings_export_as_json_lines_and_csv(market_db):
    lines = run_bot("postings", "export", env=market_db)
    assert lines.returncode == 0, lines.stderr
    postings = [json.loads(line) for line in lines.stdout.splitlines()]
    assert len(postings) >= 20
    fields = {"id", "title", "role", "stack", "level", "city", "salary_from", "salary_to", "currency", "skills"}
    assert all(fields <= set(p) for p in postings)
    synced = [p for p in postings if p["source"] == "hh"]
    assert synced and all(p["role"] for p in synced) and all(isinstance(p["skills"], list) for p in synced)
    table = run_bot("postings", "export", "--format", "csv", env=market_db)
    header, *rows = table.stdout.splitlines()
    assert header.startswith("id,source,title") and len(rows) == len(postings)
