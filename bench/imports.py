"""Import throughput: N generated hh.ru vacancies (JSON Lines) through `python -m bot postings import`'s
code path — parsing, skill recognition, batch upserts and the market aggregates.

    python -m bench.imports [--postings 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from pathlib import Path

from bench.report import report
from bot.bootstrap import prepare_storage
from coach.catalog import default_catalog
from coach.skills import SkillParser
from storage.db import Database
from testkit.seeding import importer

# Titles as hh.kz / hh.ru employers write them, per catalog role, with how common the role is among IT
# vacancies (weights): the role is filed from the title, as on a real import.
TITLES = {
    "backend": (24, ["Python Developer", "Backend разработчик", "Golang developer", "Java Developer"]),
    "frontend": (16, ["Frontend разработчик", "React Developer", "Vue.js разработчик"]),
    "fullstack": (8, ["Fullstack разработчик", "Full Stack Developer"]),
    "mobile": (7, ["Android разработчик", "iOS Developer", "Flutter developer"]),
    "devops": (9, ["DevOps Engineer", "DevOps-инженер"]),
    "sre": (3, ["SRE инженер", "Site Reliability Engineer"]),
    "qa": (12, ["QA Engineer", "Тестировщик", "Инженер по автотестам"]),
    "data_engineer": (5, ["Data Engineer", "ETL разработчик"]),
    "data_scientist": (5, ["Data Scientist", "Дата-сайентист"]),
    "ml_engineer": (4, ["ML Engineer", "Инженер машинного обучения"]),
    "dba": (3, ["Администратор баз данных", "DBA PostgreSQL"]),
    "uiux": (4, ["UI/UX дизайнер", "Product Designer"]),
}
CITIES = ["Алматы", "Алматы", "Астана", "Шымкент", "Караганда", "Актобе", "Павлодар", "Москва", "Санкт-Петербург"]
EXPERIENCE = ["noExperience", "between1And3", "between1And3", "between3And6", "moreThan6"]


def vacancies(count: int, seed: int = 7) -> list[dict]:
    """hh.ru API vacancies: 4-10 key skills mostly from the role's profile, sometimes one from elsewhere
    (what makes "surprising" skills), a salary on two thirds of them, ids unique per number."""
    catalog = default_catalog()
    rng = random.Random(seed)
    roles = list(TITLES)
    weights = [TITLES[role][0] for role in roles]
    everything = sorted(catalog.skills)
    out = []
    for number in range(count):
        role = rng.choices(roles, weights)[0]
        profile = catalog.role(role)
        pool = list(dict.fromkeys(sid for ref in profile.core + profile.nice for sid in catalog.members(ref)))
        skills = rng.sample(pool, k=min(rng.randint(4, 10), len(pool)))
        if rng.random() < 0.3:
            skills.append(rng.choice(everything))
        low = rng.randrange(300_000, 1_500_000, 50_000)
        out.append(
            {
                "id": str(90_000_000 + number),
                "name": rng.choice(TITLES[role][1]),
                "area": {"name": rng.choice(CITIES)},
                "experience": {"id": rng.choice(EXPERIENCE)},
                "employer": {"name": f"Company {number % 997}"},
                "salary": {"from": low, "to": low + 300_000, "currency": "KZT", "gross": False} if number % 3 else None,
                "key_skills": [{"name": catalog.skill(sid).name} for sid in dict.fromkeys(skills)],
                "alternate_url": f"https://hh.kz/vacancy/{90_000_000 + number}",
            }
        )
    return out


def write_jsonl(path: Path, count: int, seed: int = 7) -> Path:
    """`count` vacancies as JSON Lines, the format of an hh.ru export."""
    path.write_text("\n".join(json.dumps(v, ensure_ascii=False) for v in vacancies(count, seed)), encoding="utf-8")
    return path


async def run(postings: int, database_url: str | None = None, save: bool = True) -> dict:
    catalog = default_catalog()
    parser = SkillParser(catalog)
    with tempfile.TemporaryDirectory() as folder:
        path = write_jsonl(Path(folder) / "vacancies.jsonl", postings)
        db = Database.open(database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        await prepare_storage(db, catalog, parser)
        postings_service = importer(db, catalog, parser)
        started = time.perf_counter()
        first = await postings_service.import_files([path])
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = await postings_service.import_files([path])  # a re-import updates in place
        again_seconds = time.perf_counter() - started
        await db.dispose()
    rows = [
        ("postings in the file", postings),
        ("added / skipped", f"{first.added} / {first.skipped}"),
        ("import seconds", first_seconds),
        ("import postings/s", first.added / first_seconds),
        ("re-import updated", again.updated),
        ("re-import seconds", again_seconds),
        ("re-import postings/s", again.updated / again_seconds),
    ]
    return report(f"import-{postings}", rows, save=save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postings", type=int, default=3000)
    asyncio.run(run(parser.parse_args().postings))


if __name__ == "__main__":
    main()
