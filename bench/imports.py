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
from services.postings import import_files
from storage.db import create_engine, create_session_pool

TITLES = {
    "backend": ["Python Developer", "Backend разработчик", "Golang developer", "Java Developer"],
    "frontend": ["Frontend разработчик", "React Developer"],
    "devops": ["DevOps Engineer", "DevOps-инженер"],
    "qa": ["QA Engineer", "Тестировщик"],
    "data_engineer": ["Data Engineer", "ETL разработчик"],
}
CITIES = ["Алматы", "Астана", "Шымкент", "Караганда", "Москва"]
EXPERIENCE = ["noExperience", "between1And3", "between3And6", "moreThan6"]


def vacancies(count: int, seed: int = 7) -> list[dict]:
    catalog = default_catalog()
    rng = random.Random(seed)
    out = []
    for number in range(count):
        role = rng.choice(list(TITLES))
        profile = catalog.role(role)
        skills = rng.sample(list(profile.core + profile.nice), k=min(6, len(profile.core + profile.nice)))
        low = rng.randrange(300_000, 1_500_000, 50_000)
        out.append(
            {
                "id": str(90_000_000 + number),
                "name": rng.choice(TITLES[role]),
                "area": {"name": rng.choice(CITIES)},
                "experience": {"id": rng.choice(EXPERIENCE)},
                "employer": {"name": f"Company {number % 97}"},
                "salary": {"from": low, "to": low + 300_000, "currency": "KZT", "gross": False} if number % 3 else None,
                "key_skills": [{"name": catalog.skill(sid).name} for sid in skills],
                "alternate_url": f"https://hh.kz/vacancy/{90_000_000 + number}",
            }
        )
    return out


async def run(postings: int, database_url: str | None = None, save: bool = True) -> dict:
    catalog = default_catalog()
    parser = SkillParser(catalog)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vacancies.jsonl"
        path.write_text("\n".join(json.dumps(v, ensure_ascii=False) for v in vacancies(postings)))
        engine = create_engine(database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        pool = create_session_pool(engine)
        await prepare_storage(engine, pool, catalog, parser)
        started = time.perf_counter()
        first = await import_files(pool, catalog, parser, [path])
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = await import_files(pool, catalog, parser, [path])  # a re-import updates in place
        again_seconds = time.perf_counter() - started
        await engine.dispose()
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
