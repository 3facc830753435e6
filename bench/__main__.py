"""Run every benchmark: `python -m bench` (make bench)."""

from __future__ import annotations

import asyncio

from bench import imports, reminders, updates


def main() -> None:
    # Update handling: the real dispatcher against a bare aiogram echo, same number of updates.
    asyncio.run(updates.run(students=200))
    # Reminder fan-out: 1,000 due students at Telegram's default 30 msg/s (about 33 s), and 10,000 at a
    # raised rate (as for paid broadcasts) to show the sender keeps up.
    asyncio.run(reminders.run(users=1000, rate=30, blocked=10))
    asyncio.run(reminders.run(users=10_000, rate=1000, blocked=100))
    # Import throughput: a few thousand hh.ru vacancies, then the same again (updates).
    asyncio.run(imports.run(postings=3000))


if __name__ == "__main__":
    main()
