"""The container files cannot be run on the build machines; these checks keep them true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_the_image_copies_every_package_and_runs_as_non_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    packages = re.findall(r"include = \[(.*?)\]", (ROOT / "pyproject.toml").read_text())[0]
    for package in re.findall(r'"(\w+)\*"', packages):
        assert f"COPY {package} ./{package}" in dockerfile, package
    assert re.search(r"^USER coach$", dockerfile, re.MULTILINE)
    assert 'CMD ["python", "-m", "bot", "run"]' in dockerfile  # `run` migrates on start (tests/e2e check it)


def test_compose_sets_only_real_settings():
    compose = (ROOT / "docker-compose.yml").read_text()
    bot_section = compose.split("\n  postgres:")[0]
    names = set(re.findall(r"^\s{6}([A-Z_]+):", bot_section, re.MULTILINE))
    assert names, "the bot service sets no environment"
    assert names <= {name.upper() for name in Settings.model_fields}
    assert "postgresql+asyncpg://" in compose and "redis://redis:6379/0" in compose


# -- health checks ---------------------------------------------------------------------------------------------


def _services(compose: str) -> dict[str, str]:
    """Each top-level service of docker-compose.yml and its block of text."""
    body = compose.split("\nservices:\n", 1)[1].split("\nvolumes:", 1)[0]
    parts = re.split(r"^  ([a-z][a-z0-9_-]*):\n", body, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _image_check() -> list[str]:
    import json

    dockerfile = (ROOT / "Dockerfile").read_text()
    match = re.search(r"^HEALTHCHECK [^\n]*\\\n\s+CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert match, "the image has no HEALTHCHECK"
    return json.loads(match.group(1))


def test_every_service_has_a_health_check_and_the_bot_checks_healthz():
    services = _services((ROOT / "docker-compose.yml").read_text())
    assert set(services) == {"bot", "postgres", "redis"}
    for name, block in services.items():
        assert re.search(r"^    healthcheck:\n(?:\s+#.*\n)*      test: \[", block, re.MULTILINE), f"{name}: no check"
    bot = services["bot"]
    assert re.search(r"^      HEALTH_HOST: 0\.0\.0\.0$", bot, re.MULTILINE)
    assert re.search(r'^      HEALTH_PORT: "8081"$', bot, re.MULTILINE)
    import json

    compose_check = json.loads(re.search(r"^      test: (\[.*\])$", bot, re.MULTILINE).group(1))
    assert compose_check == ["CMD", *_image_check()]  # one check, in the image and in compose
    assert "/healthz" in compose_check[-1]


def test_the_image_health_check_passes_only_when_the_bot_is_ready(tmp_path):
    """The image's HEALTHCHECK command, run as Docker runs it, against the bot's own /healthz."""
    import asyncio
    import os
    import subprocess

    from aiohttp import web

    from bot.health import Health, serve
    from bot.observability import Metrics
    from storage.db import Database
    from tests.e2e.test_webhook import free_port

    command = _image_check()

    async def check(**env: str) -> int:
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("HEALTH_", "WEBHOOK_"))} | env
        process = await asyncio.create_subprocess_exec(*command, env=environment, stderr=subprocess.DEVNULL)
        return await process.wait()

    async def scenario() -> None:
        db = Database.open(f"sqlite+aiosqlite:///{tmp_path / 'h.sqlite3'}")
        health = Health(db, Metrics())
        app = web.Application()
        health.add_routes(app)
        port = free_port()
        runner = await serve(app, "127.0.0.1", port)
        try:
            assert await check(HEALTH_PORT=str(port)) != 0  # starting: 503
            health.ready = True
            assert await check(HEALTH_PORT=str(port)) == 0
            assert await check(WEBHOOK_URL="https://coach.example.kz", WEBHOOK_PORT=str(port)) == 0
            assert await check(HEALTH_PORT=str(free_port())) != 0  # nothing listens
        finally:
            await runner.cleanup()
            await db.dispose()

    asyncio.run(scenario())


def test_compose_config_is_valid_when_docker_compose_is_here(tmp_path):
    import shutil
    import subprocess

    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        import pytest

        pytest.skip("docker compose is not installed here (the file checks above stand in)")
    (tmp_path / ".env").write_text("BOT_TOKEN=1:x\n")
    result = subprocess.run(
        [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "--project-directory", str(tmp_path), "config"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


# -- what is installed: only what the settings need ------------------------------------------------------------


def test_run_installs_the_extras_the_settings_need(tmp_path):
    from tasks import settings_extras

    dotenv = tmp_path / ".env"
    assert settings_extras({}, dotenv) == []  # SQLite, no Redis: no extra (and no .env at all)
    dotenv.write_text(
        "BOT_TOKEN=123:abc\n# REDIS_URL=redis://commented-out\n"
        'export DATABASE_URL="postgresql+asyncpg://coach:pw@db/coach"  # the server\nREDIS_URL=\n'
    )
    assert settings_extras({}, dotenv) == ["postgres"]  # a blank REDIS_URL is unset
    assert settings_extras({"redis_url": "redis://localhost:6379/0"}, dotenv) == ["postgres", "redis"]
    assert settings_extras({"DATABASE_URL": "sqlite+aiosqlite:///data/x.sqlite3"}, dotenv) == []  # env wins
