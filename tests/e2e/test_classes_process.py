"""A class end to end, through the real bot process and the fake Bot API over HTTP: a teacher creates a class;
three students join by its deep link (one new, one onboarded, one who then leaves); the teacher sees the two
who stayed with their progress after ticks, gets the CSV and the zip, and the weekly digest arrives once.
Another user pressing the teacher's buttons sees nothing of the class."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.student import Student

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https://t\.me/career_coach_bot\?start=(join_[A-Za-z0-9_-]{22})")


async def onboard(student: Student, start: bool = True) -> None:
    if start:
        await student.send("/start")
    await student.click("Backend Engineer")
    await student.click("Junior")
    await student.click("Almaty")
    await student.click("Python")
    await student.click("Done")
    await student.click("Skip")


def with_buttons(student: Student):
    return next(m for m in reversed(student.api.sent_to(student.id)) if m.buttons())


async def test_a_class_from_invite_link_to_exports_and_one_weekly_digest(api, start_bot, tmp_path):
    bot = await start_bot(REMINDER_TICK_SECONDS="0.3")
    await api.wait_for(lambda: any(method == "getUpdates" for method, _ in api.calls))
    teacher = Student(api, 700, "en", "Aigerim")
    await teacher.send("/class")
    await teacher.click("Create a class")
    replies = await teacher.send("SE-2301 Software Architecture")
    payload = LINK.search(replies[-1].visible).group(1)
    assert api.files[(700, "se-2301-software-architecture-invite.png")].startswith(b"\x89PNG")  # the QR code

    onboarded = Student(api, 701, "en", "Bota")
    await onboard(onboarded)
    [invite] = await onboarded.send(f"/start {payload}")
    assert "If you join, your teacher will see" in invite.visible
    await onboarded.click("✅ Join")

    newcomer = Student(api, 702, "en", "Nurlan")
    replies = await newcomer.send(f"/start {payload}")
    assert "invites you" in replies[0].visible
    await onboard(newcomer, start=False)
    assert "Join “SE-2301 Software Architecture”?" in with_buttons(newcomer).visible
    await newcomer.click("✅ Join")

    leaver = Student(api, 703, "en", "Dias")
    await onboard(leaver)
    await leaver.send(f"/start {payload}")
    await leaver.click("✅ Join")
    await leaver.send("/class")
    await leaver.click("🎓 SE-2301")
    await leaver.click("Leave the class")
    await leaver.click("Yes, leave")
    assert "You left" in leaver.last.visible

    replies = await onboarded.send("/roadmap")
    await onboarded.click("1 ✅", replies[-1])
    await onboarded.click("2 ✅", replies[-1])
    await onboarded.click("3 ✅", replies[-1])
    progress = (await onboarded.send("/progress"))[-1].visible
    done, total = map(int, re.search(r"Done: (\d+) of (\d+) action items", progress).groups())
    assert done == 3

    await teacher.send("/class")
    await teacher.click("SE-2301")
    await teacher.click("👥 Roster")
    roster = with_buttons(teacher).visible
    assert "2 students" in roster and "Dias" not in roster
    assert "Bota — Backend Engineer · Python" in roster and f"{round(100 * done / total)}%" in roster
    assert "3 done this week" in roster
    assert "Nurlan — Backend Engineer · Python" in roster and "0%" in roster
    roster_press = api.click_payload(teacher.id, with_buttons(teacher), "Bota")

    await teacher.click("◀ Back to the class")
    await teacher.click("📤 Export")
    await teacher.click("Roster (.csv)")
    table = list(
        csv.reader(io.StringIO(api.files[(700, "se-2301-software-architecture-roster.csv")].decode("utf-8-sig")))
    )
    assert sorted(row[0] for row in table[1:]) == ["Bota", "Nurlan"]
    bota = next(row for row in table[1:] if row[0] == "Bota")
    assert bota[6] == "3" and bota[8] == str(total)
    await teacher.click("Analyses (.zip)", with_buttons(teacher))
    with zipfile.ZipFile(io.BytesIO(api.files[(700, "se-2301-software-architecture-analyses.zip")])) as archive:
        assert archive.namelist() == ["1-bota.md", "2-nurlan.md"]

    # Another user replays the teacher's button: an answer, nothing of the class.
    stranger = Student(api, 704, "en", "Eve")
    await stranger.send("/start")
    before = len(api.sent_to(704))
    api._push({"callback_query": {**roster_press["callback_query"], "from": {"id": 704, "is_bot": False,
                                                                          "first_name": "Eve"}}})  # fmt: skip
    await api.wait_for(lambda: any("not yours" in (a.get("text") or "") for a in api.callback_answers))
    assert len(api.sent_to(704)) == before

    # The weekly digest: chosen with buttons, made due now, delivered once by the running process.
    await teacher.click("◀ Back to the class", with_buttons(teacher))
    await teacher.click("📬 Weekly digest")
    await teacher.click("Monday")
    await teacher.click("09:00")
    assert "every Monday at 09:00" in with_buttons(teacher).visible
    with sqlite3.connect(tmp_path / "e2e.sqlite3", timeout=10) as db:
        due = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f")  # as stored
        db.execute("UPDATE classes SET digest_next_run_at = ?", (due,))
    digest = await api.wait_for(lambda: [m for m in api.sent_to(700) if "your weekly digest" in m.visible])
    await asyncio.sleep(1.5)  # several more ticks
    assert len([m for m in api.sent_to(700) if "your weekly digest" in m.visible]) == 1
    assert "2 students" in digest[0].visible and "1 student ticked off 3 action items" in digest[0].visible
    assert api.refused == []
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log
