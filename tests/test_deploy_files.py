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
