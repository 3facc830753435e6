"""Importing hh.ru vacancy JSON and CSV: drafts, bad rows with their lines, upserts and the aggregates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from coach.postings import from_hh, level_from, read_postings, role_from
from storage.models import CityPostingCount, Posting, PostingSkill, RolePostingCount, RoleSkillCount
from testkit.seeding import importer

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


def test_an_hh_page_becomes_drafts(catalog, parser):
    drafts, problems = read_postings("page.json", (FIXTURES / "hh" / "page.json").read_text(), catalog, parser)
    assert problems == []
    by_id = {d.source_id: d for d in drafts}
    kolesa = by_id["98000001"]
    assert (kolesa.role_id, kolesa.level, kolesa.city, kolesa.company) == (
        "backend",
        "junior",
        "Almaty",
        "Kolesa Group",
    )
    assert set(kolesa.skills) == {"python", "django", "postgresql", "git", "english"}
    assert (kolesa.salary_from, kolesa.salary_to, kolesa.currency, kolesa.salary_gross) == (
        450000,
        650000,
        "KZT",
        False,
    )
    assert kolesa.url == "https://hh.kz/vacancy/98000001"


def test_without_key_skills_the_description_is_read(catalog, parser):
    drafts, _ = read_postings("page.json", (FIXTURES / "hh" / "page.json").read_text(), catalog, parser)
    intern = next(d for d in drafts if d.source_id == "98000002")
    assert {"python", "sql", "rest_api", "git", "linux"} <= set(intern.skills)
    assert intern.level == "intern"  # "Стажер" in the title outranks noExperience
    assert (intern.currency, intern.salary_to, intern.city) == ("RUB", None, "Astana")  # RUR is the old code


def test_usd_odd_experience_and_unknown_skills(catalog, parser):
    drafts, _ = read_postings("page.json", (FIXTURES / "hh" / "page.json").read_text(), catalog, parser)
    by_id = {d.source_id: d for d in drafts}
    devops = by_id["98000003"]
    assert (devops.role_id, devops.level, devops.currency) == ("devops", "senior", "USD")
    assert "ci_cd" in devops.skills
    data = by_id["98000004"]
    assert data.level is None  # an experience id hh may add later is not guessed
    assert data.unknown_skills == ("Quantum Basket Weaving",)
    assert data.salary_from is None


def test_broken_json_lines_are_reported_with_their_line(catalog, parser):
    drafts, problems = read_postings("x.jsonl", (FIXTURES / "hh" / "broken.jsonl").read_text(), catalog, parser)
    assert [d.source_id for d in drafts] == ["98000010"]
    reasons = {p.line: p.reason for p in problems}
    assert set(reasons) == {2, 3, 4, 5}
    assert "not JSON" in reasons[2]
    assert "id and a name" in reasons[3]
    assert "no catalog role" in reasons[4]
    assert "negative salary" in reasons[5]


def test_csv_rows(catalog, parser):
    drafts, problems = read_postings("postings.csv", (FIXTURES / "postings.csv").read_text(), catalog, parser)
    by_id = {d.source_id: d for d in drafts}
    assert set(by_id) == {"c1", "c2", "c4"}
    assert by_id["c1"].role_id == "qa" and by_id["c1"].city == "Almaty"
    assert {"manual_testing", "sql", "api_testing", "jira"} == set(by_id["c1"].skills)
    assert by_id["c2"].role_id == "mobile"
    assert set(by_id["c4"].skills) == {"python", "pytorch", "docker", "mlops"}
    assert [(p.line, "wizard" in p.reason) for p in problems] == [(4, True)]


def test_levels_and_roles_from_titles(catalog):
    assert level_from("Senior Python Developer") == "senior"
    assert level_from("Ведущий инженер") == "senior"
    assert level_from("Python developer", "between3And6") == "middle"
    assert level_from("Leader of nothing") is None  # "lead" only as a word
    assert role_from(catalog, "Frontend-разработчик (React)") == "frontend"
    assert role_from(catalog, "Full-stack developer") == "fullstack"
    assert role_from(catalog, "Повар") is None


def test_from_hh_refuses_what_is_not_a_vacancy(catalog, parser):
    for bad in (None, [], "text", {"id": "1"}):
        try:
            from_hh(bad, catalog, parser)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


async def aggregates_match_a_recount(session) -> None:
    """The aggregates kept on every save equal a count from scratch."""
    kept = select(RoleSkillCount.role_id, RoleSkillCount.skill_id, RoleSkillCount.postings)
    stored = {(role, skill): n for role, skill, n in await session.execute(kept) if n}
    recount_query = (
        select(Posting.role_id, PostingSkill.skill_id, func.count())
        .join(PostingSkill, PostingSkill.posting_id == Posting.id)
        .where(Posting.role_id.is_not(None))
        .group_by(Posting.role_id, PostingSkill.skill_id)
    )
    assert stored == {(role, skill): n for role, skill, n in await session.execute(recount_query)}
    roles = {
        role: n for role, n in await session.execute(select(RolePostingCount.role_id, RolePostingCount.postings)) if n
    }
    per_role = select(Posting.role_id, func.count()).where(Posting.role_id.is_not(None)).group_by(Posting.role_id)
    assert roles == dict((await session.execute(per_role)).all())
    cities = {c: n for c, n in await session.execute(select(CityPostingCount.city, CityPostingCount.postings)) if n}
    per_city = select(Posting.city, func.count()).where(Posting.city.is_not(None)).group_by(Posting.city)
    assert cities == dict((await session.execute(per_city)).all())


async def test_import_then_reimport_updates_and_keeps_aggregates_exact(database, session_pool, catalog, parser,
                                                                      tmp_path):  # fmt: skip
    from bot.bootstrap import prepare_storage

    await prepare_storage(database, catalog, parser)
    files = [FIXTURES / "hh" / "page.json", FIXTURES / "hh" / "broken.jsonl", FIXTURES / "postings.csv"]
    first = await importer(database, catalog, parser).import_files(files)
    assert (first.added, first.updated, first.skipped) == (8, 0, 5)
    async with session_pool() as session:
        await aggregates_match_a_recount(session)
    # The same vacancy again, with different skills, a new title and city: updated in place, counts follow.
    page = json.loads((FIXTURES / "hh" / "page.json").read_text())
    page["items"][0]["key_skills"] = [{"name": "FastAPI"}, {"name": "Docker"}]
    page["items"][0]["name"] = "Python Backend Developer"
    page["items"][0]["area"] = {"name": "Караганда"}
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(page, ensure_ascii=False))
    second = await importer(database, catalog, parser).import_files([changed])
    assert (second.added, second.updated) == (0, 4)
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Posting).where(Posting.source == "hh")) == 5
        await aggregates_match_a_recount(session)
    stats = {role: (n, dict(skills)) for role, n, skills in await importer(database, catalog, parser).role_stats()}
    backend_total, backend_skills = stats["backend"]
    assert backend_total == 7 + 3  # samples + Kolesa, the intern and the Go posting
    assert backend_skills.get("django") == 3  # Kolesa no longer asks for Django


def test_the_cli_imports_and_reports(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {"PYTHONPATH": str(ROOT), "DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "postings", "import", str(FIXTURES / "hh" / "broken.jsonl"),
         str(FIXTURES / "postings.csv")],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "added 4, updated 0, skipped 5"
    assert "broken.jsonl:2: skipped: not JSON" in result.stderr
    assert "postings.csv:4: skipped: level 'wizard'" in result.stderr
    stats = subprocess.run(
        [sys.executable, "-m", "bot", "postings", "stats"], capture_output=True, text=True, env=env, timeout=60
    )
    assert "Backend Engineer: 8 postings" in stats.stdout
    assert "QA Engineer: 1 postings" in stats.stdout
