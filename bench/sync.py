"""The postings sync against the fake hh API (testkit/fake_hh.py) over real HTTP: a first full run over
thousands of vacancies (one search over hh's 2,000-results cap, split until it fits), then an incremental run
with nothing new.

    python -m bench.sync [--per-role 240]

Reports vacancies stored per second, requests made (searches and vacancies), requests beyond hh's cap (must
be 0), searches hh would not list whole, and what the incremental run asked for (no vacancy fetched again).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import report
from bot.bootstrap import prepare_storage
from coach.catalog import default_catalog
from coach.skills import SkillParser
from services.hh import HhClient
from services.sync import SyncService
from storage.db import Database
from testkit.fake_hh import FakeHh, realistic_vacancies

AGENT = "CareerCoach-bench/1.0 (bench@example.kz)"


async def run(per_role: int, save: bool = True) -> dict:
    catalog = default_catalog()
    parser = SkillParser(catalog)
    now = datetime.now(UTC)
    hh = await FakeHh(realistic_vacancies(now, per_role=per_role)).start()
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        await prepare_storage(db, catalog, parser)
        client = HhClient(hh.url, AGENT)

        def sync(at: datetime) -> SyncService:
            return SyncService(db, catalog, parser, client, user_agent=AGENT, has_token=False, rate=1000,
                               clock=lambda: at)  # fmt: skip

        wall, cpu = time.perf_counter(), time.process_time()
        first = await sync(now).run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        searches, details = hh.count("/vacancies") - hh.count("/vacancies/"), hh.count("/vacancies/")
        again = time.perf_counter()
        second = await sync(now + timedelta(days=1)).run()
        again = time.perf_counter() - again
        searches2 = hh.count("/vacancies") - hh.count("/vacancies/") - searches
        details2 = hh.count("/vacancies/") - details
        await client.close()
        await db.dispose()
    await hh.stop()
    total = first.totals()
    rows = [
        ("vacancies in the fake hh", len(hh.vacancies)),
        ("listed / fetched / added", f"{first.listed} / {total.fetched} / {total.added}"),
        ("not a role we coach (left out)", first.skipped),
        ("roles filled", f"{sum(1 for c in first.roles.values() if c.added)} of {len(catalog.roles)}"),
        ("search requests / vacancy requests", f"{searches} / {details}"),
        ("requests beyond hh's 2,000 cap (400)", hh.refused.get(400, 0)),
        ("searches hh would not list whole", first.truncated),
        ("first run wall time (s)", wall),
        ("vacancies stored per second", total.added / wall if wall else 0.0),
        ("CPU ms per vacancy", 1000 * cpu / max(total.fetched, 1)),
        ("incremental run: searches / vacancies fetched", f"{searches2} / {details2}"),
        ("incremental run wall time (s)", again),
        ("incremental run mode", second.mode),
    ]
    return report(f"sync-{len(hh.vacancies)}-vacancies", rows, save=save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-role", type=int, default=240, help="vacancies per catalog role (21 roles)")
    args = parser.parse_args()
    asyncio.run(run(args.per_role))


if __name__ == "__main__":
    main()
