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


# -- what is installed: pinned, and only what the settings need ------------------------------------------------


def _pins() -> dict[str, str]:
    """constraints.txt as {canonical name: version}."""
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version.strip()
    return pins


def _project() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_image_installs_the_pinned_versions_with_both_extras():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = re.search(r"^COPY (.*) \./$", dockerfile, re.MULTILINE)
    assert copied and "constraints.txt" in copied.group(1).split()
    install = re.search(r"^RUN pip install (.*?) &&", dockerfile, re.MULTILINE)
    assert install and install.group(1) == '-c constraints.txt ".[postgres,redis]"'  # compose: PostgreSQL, Redis
    assert dockerfile.index("constraints.txt") < dockerfile.index("RUN pip install")
    assert "constraints" not in (ROOT / ".dockerignore").read_text()


def test_ci_runs_the_readme_test_command_which_installs_the_pinned_versions():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().splitlines()[-1] == "python3 tasks.py test"
    assert "pip install" not in ci  # everything CI installs goes through tasks.py and its constraints


def test_tasks_installs_with_the_constraints_and_reinstalls_when_they_change(tmp_path, monkeypatch):
    import subprocess

    import tasks

    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")  # an environment exists: only the install is to be decided
    constraints = tmp_path / "constraints.txt"
    constraints.write_text((ROOT / "constraints.txt").read_text())
    monkeypatch.setattr(tasks, "VENV", venv)
    monkeypatch.setattr(tasks, "PY", venv / "bin" / "python")
    monkeypatch.setattr(tasks, "CONSTRAINTS", constraints)
    calls: list[list[str]] = []

    def pip(args, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(tasks.subprocess, "run", pip)
    tasks.ensure_env("dev")
    [command] = calls
    assert command[1:4] == ["-m", "pip", "install"]
    assert command[command.index("-c") + 1] == str(constraints) and _target(command) == ".[dev]"
    tasks.ensure_env("dev")
    assert len(calls) == 1  # the same pyproject.toml and constraints: nothing to do
    constraints.write_text(constraints.read_text() + "# changed\n")
    tasks.ensure_env("dev")
    assert len(calls) == 2  # new pins: installed again
    tasks.ensure_env("redis", "postgres")
    assert _target(calls[-1]) == ".[postgres,redis]"
    tasks.ensure_env()
    assert _target(calls[-1]) == "."


def _target(pip_command: list[str]) -> str:
    return pip_command[pip_command.index("-e") + 1]


def test_run_installs_the_extras_the_settings_need(tmp_path):
    from tasks import settings_extras

    dotenv = tmp_path / ".env"
    assert settings_extras({}, dotenv) == []  # SQLite, no Redis: no extra (and no .env at all)
    dotenv.write_text((ROOT / ".env.example").read_text())  # the README's first step: cp .env.example .env
    assert settings_extras({}, dotenv) == []
    dotenv.write_text(
        "BOT_TOKEN=123:abc\n# REDIS_URL=redis://commented-out\n"
        'export DATABASE_URL="postgresql+asyncpg://coach:pw@db/coach"  # the server\nREDIS_URL=\n'
    )
    assert settings_extras({}, dotenv) == ["postgres"]  # a blank REDIS_URL is unset
    assert settings_extras({"redis_url": "redis://localhost:6379/0"}, dotenv) == ["postgres", "redis"]
    assert settings_extras({"DATABASE_URL": "sqlite+aiosqlite:///data/x.sqlite3"}, dotenv) == []  # env wins


def test_constraints_pin_everything_the_project_installs_at_the_installed_versions():
    """Every distribution the project, its extras and the dev tools pull in (following each one's own
    requirements) is pinned, and the environment running these tests has exactly the pinned versions."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = _pins()
    project = _project()
    extras = project["optional-dependencies"]
    assert set(extras) == {"postgres", "redis", "dev"}
    assert "career-coach[postgres,redis]" in extras["dev"]
    assert "ruff==" + pins["ruff"] in extras["dev"]  # ruff exactly, in both places
    todo = [Requirement(r) for group in (project["dependencies"], *extras.values()) for r in group]
    seen: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name == "career-coach" or name in seen:
            continue
        seen.add(name)
        assert name in pins, f"{name} is installed but not pinned: run `python3 tasks.py lock`"
        assert metadata.version(name) == pins[name], f"{name}: {metadata.version(name)} installed, {pins[name]} pinned"
        for text in metadata.requires(name) or []:
            nested = Requirement(text)
            wanted = requirement.extras or {""}
            if nested.marker is None or any(nested.marker.evaluate({"extra": extra}) for extra in wanted):
                todo.append(nested)
    assert "matplotlib" not in pins and {"asyncpg", "redis"} <= seen
    assert not {"asyncpg", "redis", "matplotlib"} & {canonicalize_name(r) for r in project["dependencies"]}


def test_the_pins_satisfy_the_constraints_pip_is_configured_with():
    """This machine's pip config adds constraints of its own (global.constraint); pip applies both files, so
    a pin of ours that they exclude would make every install fail."""
    import subprocess
    import sys

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    listed = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    files = re.findall(r"^\S*\.constraint='(.*)'$", listed, re.MULTILINE)
    pins = _pins()
    for path in (Path(f) for value in files for f in value.split()):
        if not path.is_file():
            continue
        for line in path.read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                theirs = Requirement(line.split("#")[0].strip())
                ours = pins.get(canonicalize_name(theirs.name))
                assert ours is None or theirs.specifier.contains(ours, prereleases=True), (path, line, ours)
