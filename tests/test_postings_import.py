"""Importing hh.ru vacancy JSON and CSV: drafts, bad rows with their lines, upserts and the aggregates."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coach.classify import classify_posting, level_of
from coach.postings import from_hh, read_postings
from coach.skills import SkillParser
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
    assert level_of(catalog, "Senior Python Developer") == "senior"
    assert level_of(catalog, "Ведущий инженер") == "senior"
    assert level_of(catalog, "Python developer", "between3And6") == "middle"
    assert level_of(catalog, "Leader of nothing") is None  # "lead" only as a word
    assert classify_posting(catalog, "Frontend-разработчик (React)", ()).role_id == "frontend"
    assert classify_posting(catalog, "Full-stack developer", ()).role_id == "fullstack"
    assert classify_posting(catalog, "Повар", ()).role_id is None


def test_from_hh_refuses_what_is_not_a_vacancy(catalog, parser):
    for bad in (None, [], "text", {"id": "1"}):
        try:
            from_hh(bad, catalog, parser)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


async def aggregates_match_a_recount(session, catalog) -> None:
    """The aggregates kept on every save equal a count from scratch: per role, stack and source the postings,
    per role and stack each skill and each group of alternatives (once per posting), per city the postings;
    students' own finds count nowhere."""
    from collections import Counter

    postings = (
        await session.execute(select(Posting.id, Posting.role_id, Posting.stack, Posting.source, Posting.city,
                                     Posting.added_by))
    ).all()  # fmt: skip
    skills: dict[int, set[str]] = {}
    for posting_id, skill_id in await session.execute(select(PostingSkill.posting_id, PostingSkill.skill_id)):
        skills.setdefault(posting_id, set()).add(skill_id)
    roles, refs, cities = Counter(), Counter(), Counter()
    for posting_id, role, stack, source, city, added_by in postings:
        if added_by is not None:
            continue
        if role:
            roles[(role, stack or "", source)] += 1
            own = skills.get(posting_id, set())
            for ref in own | {catalog.group_of[s] for s in own if s in catalog.group_of}:
                refs[(role, stack or "", ref)] += 1
        if city:
            cities[city] += 1
    kept_refs = select(RoleSkillCount.role_id, RoleSkillCount.stack, RoleSkillCount.skill_id, RoleSkillCount.postings)
    assert {(r, st, ref): n for r, st, ref, n in await session.execute(kept_refs) if n} == dict(refs)
    kept_roles = select(RolePostingCount.role_id, RolePostingCount.stack, RolePostingCount.source,
                        RolePostingCount.postings)  # fmt: skip
    assert {(r, st, so): n for r, st, so, n in await session.execute(kept_roles) if n} == dict(roles)
    kept_cities = select(CityPostingCount.city, CityPostingCount.postings)
    assert {c: n for c, n in await session.execute(kept_cities) if n} == dict(cities)


async def test_import_then_reimport_updates_and_keeps_aggregates_exact(database, session_pool, catalog, parser,
                                                                      tmp_path):  # fmt: skip
    from bot.bootstrap import prepare_storage

    await prepare_storage(database, catalog, parser)
    files = [FIXTURES / "hh" / "page.json", FIXTURES / "hh" / "broken.jsonl", FIXTURES / "postings.csv"]
    first = await importer(database, catalog, parser).import_files(files)
    assert (first.added, first.updated, first.skipped, first.failed) == (8, 0, 1, 4)
    async with session_pool() as session:
        await aggregates_match_a_recount(session, catalog)
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
        await aggregates_match_a_recount(session, catalog)
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
    assert result.returncode == 1, result.stderr  # some rows failed: the exit code says so
    assert result.stdout.strip() == "added 4, updated 0, skipped 1, failed 4"
    assert "broken.jsonl:2: failed: not JSON" in result.stderr
    assert "broken.jsonl:4: skipped: no catalog role for 'Бухгалтер'" in result.stderr
    assert "postings.csv:4: failed: level 'wizard'" in result.stderr
    stats = subprocess.run(
        [sys.executable, "-m", "bot", "postings", "stats"], capture_output=True, text=True, env=env, timeout=60
    )
    assert "Backend Engineer: 8 postings" in stats.stdout
    assert "QA Engineer: 1 postings" in stats.stdout


def test_bad_rows_fail_alone_and_the_next_file_is_still_imported(tmp_path, catalog, parser):
    """Values that used to abort the whole import: each is now its own row's problem."""
    good = {"id": "500", "name": "Python Developer", "key_skills": [{"name": "Python"}, {"name": "Django"}]}
    rows = [
        {**good, "id": "501", "salary": {"from": 1e30, "currency": "KZT"}},
        {**good, "id": "502", "salary": {"from": "inf", "currency": "KZT"}},
        {**good, "id": "503", "salary": "a lot"},
        {**good, "id": "504", "area": "Алматы"},
        {**good, "id": "505", "employer": {"name": 12345}},
        {**good, "id": "506", "employer": {"name": "X" * 5000}, "name": "Python\x00 Developer"},
        {**good, "id": "507", "salary": {"from": 3_000_000_000, "currency": "KZT"}},
        {**good, "id": "508", "alternate_url": 'https://hh.kz/vacancy/508" onclick="x'},
        good,
    ]
    drafts, problems = read_postings("x.json", json.dumps(rows), catalog, parser)
    failed = {p.line: p.reason for p in problems}
    assert set(failed) == {1, 2, 7}  # the numbers that are no salary
    by_id = {d.source_id: d for d in drafts}
    assert by_id["503"].salary_from is None and by_id["504"].city is None
    assert by_id["505"].company == "12345"
    assert len(by_id["506"].company) == 200 and by_id["506"].title == "Python Developer"
    assert by_id["508"].url is None  # not a link anyone should open
    long_field = "x" * 200_000
    csv_text = f"title,skills,company\nPython Developer,Python,{long_field}\nJava Developer,Java,Acme\n"
    csv_drafts, csv_problems = read_postings("y.csv", csv_text, catalog, parser)
    assert [d.title for d in csv_drafts] == ["Python Developer", "Java Developer"] and csv_problems == []


# -- hh.kz search results: titles, snippets, professional roles (no key skills) ---------------------

KZ_SEARCH = FIXTURES / "hh" / "kz-search.json"

# id (last two digits) -> (role, stack, level) as a person reads the vacancy; None role: not imported.
KZ_EXPECTED = {
    "01": ("backend", "java", "junior"),  # "Java-разработчик"
    "02": ("backend", "php", "junior"),  # "PHP-разработчик"
    "03": ("backend", "python", "junior"),  # "Разработчик Python": the other word order
    "04": ("backend", "python", "middle"),  # "... в команду инфраструктуры" is the team, not DevOps
    "06": ("qa", None, "junior"),  # "Q/A engineer"
    "07": ("backend", "nodejs", "senior"),  # "Ведущий разработчик бэк-энда (NodeJS)"
    "08": ("devops", None, "senior"),  # "Senior DevOps Engineer (Linux)": "ux" is not in "Linux"
    "09": (None, None, "middle"),  # drilling tools are tested, not software
    "10": ("qa", None, "junior"),  # "QA инженер (mobile)" is QA
    "11": ("devops", None, "middle"),  # "(Мобильный оператор)" is the employer
    "12": (None, None, "junior"),  # selling software is sales
    "13": (None, None, "senior"),  # CTO
    "14": (None, None, "junior"),  # graphic design
    "15": ("uiux", None, "junior"),
    "16": ("frontend", "react", "middle"),
    "17": ("backend", "python", "middle"),  # "Python developer"
    "18": ("backend", "go", "intern"),
    "19": ("backend", "dotnet", "middle"),  # "Middle/Senior С# (Cyrillic С)": the lower level
    "20": ("mobile", "android", "junior"),
    "23": (None, None, "junior"),  # CNC machines
    "25": ("fullstack", None, "junior"),
}


def kz_drafts(catalog, parser):
    return {item["id"][-2:]: from_hh(item, catalog, parser) for item in json.loads(KZ_SEARCH.read_text())["items"]}


@pytest.mark.parametrize(("number", "expected"), KZ_EXPECTED.items())
def test_hh_kz_titles_are_filed_under_the_right_role_stack_and_level(catalog, parser, number, expected):
    draft = kz_drafts(catalog, parser)[number]
    assert draft.role_id == expected[0], draft.title
    assert (draft.stack, draft.level) == expected[1:], draft.title


def test_non_it_jobs_with_it_looking_words_are_skipped_with_a_reason(catalog, parser):
    drafts, problems = read_postings("kz.json", KZ_SEARCH.read_text(), catalog, parser)
    skipped = {p.line: p.reason for p in problems}
    assert "industrial" in skipped[9] and "бурового" in skipped[9]
    assert "sales" in skipped[12]
    assert "management" in skipped[13]
    assert "not software" in skipped[14]
    # Roles another branch adds to the catalog are not filed until they exist, and say so.
    if "sysadmin" not in catalog.roles:
        assert "'sysadmin' is not in the catalog yet" in skipped[21]
    assert {d.source_id[-2:] for d in drafts} >= {n for n, (role, _, _) in KZ_EXPECTED.items() if role}
    assert not {d.source_id[-2:] for d in drafts} & {n for n, (role, _, _) in KZ_EXPECTED.items() if not role}


def test_with_the_extended_catalog_the_new_roles_are_filed(catalog):
    parser = SkillParser(catalog)
    drafts = kz_drafts(catalog, parser)
    assert drafts["05"].role_id == "data_analyst"  # "Data аналитик"
    assert drafts["21"].role_id == "sysadmin"  # "Системный администратор Linux", not UI/UX
    assert drafts["22"].role_id == "sysadmin"  # a title without role words: hh's professional role 121
    assert drafts["24"].role_id == "onec"


def test_skills_are_read_from_requirements_and_responsibilities_in_russian(catalog, parser):
    drafts = kz_drafts(catalog, parser)
    # CI/CD, Kubernetes and monitoring are only in the duties (snippet.responsibility).
    assert {"ci_cd", "kubernetes", "prometheus", "grafana"} <= set(drafts["08"].skills)
    assert {"microservices", "unit_testing"} <= set(drafts["01"].skills)  # "написание unit-тестов"
    assert {"mobile_testing", "regression_testing"} <= set(drafts["10"].skills)
    assert "networking" in drafts["21"].skills  # "знание сетевых протоколов"
    assert "virtualization" not in drafts["14"].skills  # "визуализация упаковки"


def test_prose_is_read_strictly(catalog, parser):
    vacancy = {
        "id": "1",
        "name": "Backend developer",
        "snippet": {
            "requirement": "Работа в крупной торговой сети; R&D; визуализация отчетов; AI-инструменты",
            "responsibility": "Разработка сервисов на <highlighttext>Python</highlighttext>",
        },
        "description": "<p>Знание <b>сетевых протоколов</b> и Docker</p>",
    }
    draft = from_hh(vacancy, catalog, parser)
    assert set(draft.skills) == {"python", "networking", "docker"}


def test_false_skills_in_key_skills_are_gone(catalog, parser):
    vacancy = {
        "id": "2",
        "name": "Аналитик данных",
        "key_skills": [
            {"name": n}
            for n in ("Визуализация", "Веб-программирование", "Администрирование ОС", "- query", "AI-инструменты")
        ],
    }
    draft = from_hh(vacancy, catalog, parser)
    assert not {"virtualization", "pair_programming", "db_administration", "jquery", "bi_tools"} & set(draft.skills)


def test_the_new_draft_fields(catalog, parser):
    drafts = kz_drafts(catalog, parser)
    java = drafts["01"]
    assert java.published_at == datetime(2025, 5, 12, 5, 21, 33, tzinfo=UTC)
    assert java.professional_roles == ("96",)
    assert java.archived is False
    archived = json.loads(KZ_SEARCH.read_text())["items"][0] | {"archived": True, "published_at": None}
    archived["created_at"] = "2025-05-01T09:00:00+03:00"
    draft = from_hh(archived, catalog, parser)
    assert draft.archived is True
    assert draft.published_at == datetime(2025, 5, 1, 6, 0, tzinfo=UTC)


def test_csv_optional_columns(catalog, parser):
    text = (
        "id,title,skills,role,stack,published_at,professional_roles,archived\n"
        "x1,Разработчик,Python; Django,,,2025-05-12,96,no\n"
        "x2,Backend developer,Go,backend,go,2025-05-12T10:00:00+05:00,,true\n"
        "x3,Backend developer,Go,backend,react,,,\n"
        "x4,Backend developer,Go,,,yesterday,,\n"
        "x5,Backend developer,Go,,,,,maybe\n"
    )
    drafts, problems = read_postings("extra.csv", text, catalog, parser)
    by_id = {d.source_id: d for d in drafts}
    assert (by_id["x1"].role_id, by_id["x1"].stack, by_id["x1"].professional_roles) == ("backend", "python", ("96",))
    assert by_id["x1"].published_at == datetime(2025, 5, 12, tzinfo=UTC)
    assert by_id["x2"].stack == "go" and by_id["x2"].archived is True
    assert by_id["x2"].published_at == datetime(2025, 5, 12, 5, 0, tzinfo=UTC)
    reasons = {p.line: p.reason for p in problems}
    assert "no stack 'react'" in reasons[4]
    assert "published_at" in reasons[5]
    assert "archived" in reasons[6]


def test_import_batches_follow_the_time_they_hold_the_write_lock():
    from services.postings import IMPORT_BATCH_SECONDS, MAX_BATCH, MIN_BATCH, next_batch_size

    assert next_batch_size(200, IMPORT_BATCH_SECONDS) == 200  # on target: unchanged
    assert next_batch_size(200, IMPORT_BATCH_SECONDS * 4) == 50  # a busy machine: fewer rows, same lock time
    assert next_batch_size(200, IMPORT_BATCH_SECONDS / 10) == 400  # fast: grows, at most twofold a batch
    assert next_batch_size(MIN_BATCH, 10.0) == MIN_BATCH
    assert next_batch_size(MAX_BATCH, 0.0) == MAX_BATCH
