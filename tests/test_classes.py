"""Classes through the real dispatcher: a teacher creates a class and follows the students who joined by its
invite link with their consent; anyone else pressing the teacher's buttons sees nothing of it; leaving and
/delete_me leave the teacher nothing, exports included. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.sender import Sender
from handlers.classes import make_composers
from handlers.common.callbacks import ClassAction, ClassCb, ClassStudentCb, DigestHourCb, StudentAction
from handlers.common.deeplinks import JoinLink, invite_link, parse_start
from services.classes import ClassDeliveries
from storage.models import ClassMember, ClassRow, ReminderSettings, User
from testkit.client import ChatClient
from testkit.telegram import SentMessage

LINK = re.compile(r"https://t\.me/career_coach_bot\?start=(join_[A-Za-z0-9_-]{22})")
NAME = "SE-2301 Software Architecture"


@pytest.fixture(autouse=True)
def each_press_is_answered_once(request):
    """Telegram refuses a second answer to one button press; the fake only records them, so it is checked here."""
    telegram = request.getfixturevalue("dispatcher_env")[2] if "dispatcher_env" in request.fixturenames else None
    yield
    if telegram is not None:
        answered = Counter(answer.callback_query_id for answer in telegram.callback_answers)
        assert [query for query, n in answered.items() if n > 1] == []


def client(dispatcher_env, user_id: int, name: str, language: str = "en") -> ChatClient:
    dp, bot, telegram = dispatcher_env
    return ChatClient(dp, bot, telegram, user_id=user_id, language_code=language, first_name=name)


async def onboard(student: ChatClient, start: bool = True, role: str = "Backend Engineer",
                  skills: tuple[str, ...] = ("Python", "SQL")) -> None:  # fmt: skip
    if start:
        await student.send("/start")
    await student.click(role)
    await student.click("Junior")
    await student.click("Almaty")
    for skill in skills:
        await student.click(skill)
    await student.click("Done")
    await student.click("Skip")


async def create_class(teacher: ChatClient, name: str = NAME) -> str:
    """The class's /start payload, read from the link its screen shows."""
    await teacher.send("/class")
    await teacher.click("➕")  # "Create a class", in the teacher's language
    replies = await teacher.send(name)
    found = LINK.search(replies[-1].visible)
    assert found, replies[-1].visible
    return found.group(1)


async def join(student: ChatClient, payload: str) -> None:
    await student.send(f"/start {payload}")
    await student.click("✅ Join")
    assert "You joined" in student.last.visible


def screen(teacher: ChatClient) -> SentMessage:
    """The teacher's newest message with buttons (the class screen being edited in place)."""
    return [m for m in teacher.telegram.sent_to(teacher.chat.id) if m.buttons()][-1]


async def class_id(session_pool) -> int:
    async with session_pool() as session:
        return await session.scalar(select(func.max(ClassRow.id)))


async def members(session_pool) -> set[int]:
    async with session_pool() as session:
        return set(await session.scalars(select(ClassMember.user_id)))


# -- deep links ----------------------------------------------------------------------------------------------


def test_one_function_reads_start_payloads_and_rejects_anything_else():
    code = "AbCdEfGhIjKlMnOpQr_-12"
    assert parse_start(f"join_{code}") == JoinLink(code)
    for payload in (None, "", "join_", f"join_{code}x", f"join_{code[:-1]}", f"Join_{code}", f"join-{code}",
                    f"join_{code[:-1]}!", f"join_{code[:-1]}й", f" join_{code}", code, "hello", "x" * 65,
                    f"join_{code}\n", "join_" + "A" * 59):  # fmt: skip
        assert parse_start(payload) is None, payload
    link = invite_link("career_coach_bot", code)
    payload = link.split("?start=")[1]
    assert len(payload) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    assert parse_start(payload) == JoinLink(code)


# -- the teacher creates a class ---------------------------------------------------------------------------


async def test_a_teacher_creates_a_class_and_gets_its_link_qr_code_and_buttons(alice, session_pool):
    await alice.send("/class")
    assert "Create a class" in [t for t, _ in alice.last.buttons()][-1]
    await alice.click("Create a class")
    assert "What is the class called?" in alice.last.visible
    replies = await alice.send("  SE-2301   Software Architecture ")
    photo, home = replies[-2], replies[-1]
    assert photo.document and photo.document.endswith(".png")
    assert photo.content and photo.content.startswith(b"\x89PNG\r\n\x1a\n")  # a real PNG, no Pillow needed
    payload = LINK.search(home.visible).group(1)
    assert payload in photo.visible  # the caption carries the same link
    assert "Class “SE-2301 Software Architecture” created" in home.visible
    labels = [t for t, _ in home.buttons()]
    for label in ("✏️ Rename", "🔄 New link", "🔒 Close joining", "🗑 Delete", "👥 Roster", "📤 Export"):
        assert label in labels
    async with session_pool() as session:
        row = (await session.scalars(select(ClassRow))).one()
    assert row.owner_id == alice.user.id and row.name == NAME and row.owner_name == "Alice"
    assert payload == f"join_{row.invite_code}"


async def test_class_names_that_are_empty_huge_or_not_text_are_asked_again(alice, session_pool):
    from aiogram.types import Sticker

    await alice.send("/class")
    await alice.click("Create a class")
    [reply] = await alice.send("x" * 101)
    assert "1 to 100 characters" in reply.visible
    [reply] = await alice.send("\u200b\u200b")
    assert "1 to 100 characters" in reply.visible
    sticker = Sticker(file_id="s", file_unique_id="u", type="regular", width=1, height=1, is_animated=False,
                      is_video=False)  # fmt: skip
    [reply] = await alice.send_update(sticker=sticker)
    assert "class's name as text" in reply.visible
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(ClassRow)) == 0
    await alice.send("A <b>&</b> class")
    assert "A &lt;b&gt;&amp;&lt;/b&gt; class" in screen(alice).text  # escaped, shown as typed


async def test_rename_rotate_close_and_delete(alice, dispatcher_env, session_pool):
    payload = await create_class(alice)
    await alice.click("✏️ Rename")
    await alice.send("SE-2302")
    assert "SE-2302" in alice.last.visible and "Renamed" in alice.last.visible

    await alice.click("🔄 New link")
    assert "stops working" in alice.last.visible
    await alice.click("Yes, new link")
    new_payload = LINK.search(screen(alice).visible).group(1)
    assert new_payload != payload
    assert alice.last.document.endswith(".png")  # a QR code of the new link

    bob = client(dispatcher_env, 3003, "Bob")
    await onboard(bob)
    [reply] = await bob.send(f"/start {payload}")  # the old link
    assert "does not work" in reply.visible and not reply.buttons()

    await alice.click("🔒 Close joining", screen(alice))
    assert "Joining closed" in screen(alice).visible
    assert LINK.search(screen(alice).visible) is None
    [reply] = await bob.send(f"/start {new_payload}")
    assert "not taking new students" in reply.visible
    await alice.click("🔓 Open joining", screen(alice))
    await join(bob, new_payload)

    await alice.click("🗑 Delete", screen(alice))
    assert "Its 1 student leaves it" in screen(alice).visible
    await alice.click("Yes, delete", screen(alice))
    assert "Class “SE-2302” deleted" in screen(alice).visible
    assert await members(session_pool) == set()
    [reply] = await bob.send(f"/start {new_payload}")
    assert "does not work" in reply.visible


async def test_unknown_payloads_are_a_plain_start(alice):
    for payload in ("hello", "join_short", "join_" + "A" * 23, "%3Cb%3E"):
        replies = await alice.send(f"/start {payload}")
        assert replies[-1].visible.startswith("Hi, Alice!"), payload


# -- students join with consent ------------------------------------------------------------------------------


async def test_an_onboarded_student_sees_what_the_teacher_will_see_and_joins_only_by_pressing_join(
    alice, dispatcher_env, session_pool
):
    payload = await create_class(alice)
    bob = client(dispatcher_env, 3003, "Bob")
    await onboard(bob)
    [invite] = await bob.send(f"/start {payload}")
    text = invite.visible
    assert f"Join “{NAME}”?" in text and "Teacher: Alice" in text
    assert "your first name in Telegram (Bob)" in text
    assert "Backend Engineer · Python, Junior" in text
    assert "Roles and Skills Analysis" in text and "never see your chat" in text
    assert await members(session_pool) == set()  # opening the link is not joining

    await bob.click("No, thanks")
    assert "did not join" in bob.last.visible
    assert await members(session_pool) == set()

    await bob.send(f"/start {payload}")
    invite = bob.last
    pressed = dict(invite.buttons())["✅ Join"]
    await bob.click("✅ Join", invite)
    assert await members(session_pool) == {bob.user.id}
    await bob.press(pressed, invite)  # replayed: still one membership
    assert "already" in bob.last.visible
    [reply] = await bob.send(f"/start {payload}")
    assert "You are in" in reply.visible
    [reply] = await alice.send(f"/start {payload}")  # the teacher's own link
    assert "your own class" in reply.visible


async def test_a_new_student_goes_through_onboarding_first_and_joins_at_its_end(alice, dispatcher_env, session_pool):
    payload = await create_class(alice)
    carol = client(dispatcher_env, 4004, "Carol")
    replies = await carol.send(f"/start {payload}")
    assert "invites you" in replies[0].visible and "set up your profile" in replies[0].visible
    assert "Which role do you want?" in replies[-1].visible
    await onboard(carol, start=False)
    offer = carol.last
    assert f"Join “{NAME}”?" in offer.visible and "Backend Engineer · Python, Junior" in offer.visible
    assert await members(session_pool) == set()
    await carol.click("✅ Join", offer)
    assert await members(session_pool) == {carol.user.id}
    async with session_pool() as session:
        assert await session.scalar(select(ClassMember.display_name)) == "Carol"


async def test_a_student_sees_their_classes_and_leaves_one(alice, dana, dispatcher_env, session_pool):
    first = await create_class(alice, "Class A")
    second = await create_class(dana, "Class B")
    bob = client(dispatcher_env, 3003, "Bob")
    await onboard(bob)
    await join(bob, first)
    await join(bob, second)
    [home] = await bob.send("/class")
    labels = [t for t, _ in home.buttons()]
    assert "🎓 Class A" in labels and "🎓 Class B" in labels
    await bob.click("🎓 Class A")
    assert "Teacher: Alice" in bob.last.visible and "Your teacher sees" in bob.last.visible
    await bob.click("Leave the class")
    await bob.click("Yes, leave")
    assert "You left “Class A”" in bob.last.visible
    async with session_pool() as session:
        rows = (await session.execute(select(ClassMember.class_id, ClassMember.user_id))).all()
    assert len(rows) == 1


# -- what the teacher sees -------------------------------------------------------------------------------------


async def test_roster_progress_after_ticks_summary_and_reports(alice, dispatcher_env, session_pool):
    payload = await create_class(alice)
    bob = client(dispatcher_env, 3003, "Bob")
    await onboard(bob)
    await join(bob, payload)
    replies = await bob.send("/roadmap")
    await bob.click("1 ✅", replies[-1])
    await bob.click("2 ✅", replies[-1])
    [progress] = await bob.send("/progress")
    own = re.search(r"Done: (\d+) of (\d+) action items", progress.visible)
    done, total = int(own.group(1)), int(own.group(2))
    assert done == 2

    await alice.send("/class")
    await alice.click(f"👩‍🏫 {NAME[:39]}")
    await alice.click("👥 Roster")
    roster = screen(alice).visible
    assert "1. Bob — Backend Engineer · Python" in roster
    assert f"{round(100 * done / total)}%" in roster and "2 done this week" in roster and "🔥 1 week" in roster
    await alice.click("1. Bob")
    summary = screen(alice).visible
    assert f"Done: {done} of {total} action items" in summary and "this week: 2" in summary
    assert "Core skills: 2 of 12" in summary

    await alice.click("📄 Analysis (.md)", screen(alice))
    document = alice.last
    assert document.document == "roles-and-skills-analysis-bob.md"
    text = document.content.decode()
    assert text.startswith("# Roles and Skills Analysis") and "- [x]" in text
    await alice.click("📝 Analysis (.docx)", screen(alice))
    assert alice.last.document == "roles-and-skills-analysis-bob.docx"
    assert alice.last.content[:2] == b"PK"


async def test_common_gaps_roles_and_stacks(alice, dispatcher_env):
    payload = await create_class(alice)
    for user_id, name, role, skills in (
        (3003, "Bob", "Backend Engineer", ("Python", "SQL")),
        (3004, "Cem", "Backend Engineer", ("Python", "Docker")),
        (3005, "Dia", "QA Engineer", ()),
    ):
        student = client(dispatcher_env, user_id, name)
        await onboard(student, role=role, skills=skills)
        await join(student, payload)
    await alice.click("📊 Common gaps", screen(alice))
    text = screen(alice).visible
    assert "3 students with a profile" in text
    assert "1. Git — 3 / 3" in text  # every student's role needs Git, and nobody has it
    assert "SQL — 2 / 3" in text  # Bob has SQL
    assert "one of Django / FastAPI / Flask — 2 / 2" in text  # only the backend students' role needs one
    assert "Backend Engineer 2, QA Engineer 1" in text
    assert "Backend Engineer · Python 2" in text


async def test_stuck_students_and_one_nudge_a_week(alice, dispatcher_env, session_pool, database, catalog):
    payload = await create_class(alice)
    students = {}
    for user_id, name in ((3003, "Bob"), (3004, "Cem"), (3005, "Dia")):
        students[user_id] = client(dispatcher_env, user_id, name)
        await onboard(students[user_id])
        await join(students[user_id], payload)
    long_ago = datetime.now(UTC) - timedelta(days=20)
    async with session_pool.begin() as session:
        await session.execute(update(ClassMember).values(joined_at=long_ago))
        await session.execute(update(ReminderSettings).where(ReminderSettings.user_id == 3005).values(enabled=False))
    replies = await students[3004].send("/roadmap")
    await students[3004].click("1 ✅", replies[-1])  # Cem ticked today: not stuck

    await alice.click("🆘 Who is stuck", screen(alice))
    text = screen(alice).visible
    assert "Bob" in text and "Dia" in text and "Cem" not in text
    await alice.click("📣 Nudge them (1)", screen(alice))  # Dia paused her reminders
    assert "1 stuck student" in screen(alice).visible
    await alice.click("Yes, send", screen(alice))
    assert "Nudge on its way to 1 student" in screen(alice).visible
    assert "📣" not in " ".join(t for t, _ in screen(alice).buttons())
    await alice.press(ClassCb(id=await class_id(session_pool), action=ClassAction.NUDGE_OK).pack(), screen(alice))
    assert "nudged this week already" in dispatcher_env[2].callback_answers[-1].text

    dp, bot, _ = dispatcher_env
    deliveries = ClassDeliveries(database, dp["classes"], Sender(bot, rate=1000, per_chat_interval=0),
                                 *make_composers(catalog, dp["i18n"]))  # fmt: skip
    counts = await deliveries.deliver_due(datetime.now(UTC))
    assert counts.sent == 1
    assert "is waiting for you" in students[3003].last.visible
    assert (await deliveries.deliver_due(datetime.now(UTC) + timedelta(minutes=10))).sent == 0  # exactly once


async def test_the_weekly_digest_arrives_once_at_the_chosen_slot(alice, dispatcher_env, session_pool, database,
                                                                  catalog):  # fmt: skip
    payload = await create_class(alice)
    bob = client(dispatcher_env, 3003, "Bob")
    await onboard(bob)
    await join(bob, payload)
    await alice.click("📬 Weekly digest", screen(alice))
    await alice.click("Friday", screen(alice))
    await alice.click("09:00", screen(alice))
    assert "Weekly digest: every Friday at 09:00 (UTC+5, Almaty)" in screen(alice).visible
    async with session_pool() as session:
        due = await session.scalar(select(ClassRow.digest_next_run_at))
    assert due.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Almaty")).strftime("%a %H:%M") == "Fri 09:00"

    dp, bot, telegram = dispatcher_env
    deliveries = ClassDeliveries(database, dp["classes"], Sender(bot, rate=1000, per_chat_interval=0),
                                 *make_composers(catalog, dp["i18n"]))  # fmt: skip
    before = len(telegram.sent_to(alice.chat.id))
    assert (await deliveries.deliver_due(due - timedelta(minutes=1))).sent == 0
    assert (await deliveries.deliver_due(due + timedelta(minutes=1))).sent == 1
    assert (await deliveries.deliver_due(due + timedelta(minutes=2))).sent == 0
    digests = telegram.sent_to(alice.chat.id)[before:]
    assert len(digests) == 1 and "your weekly digest" in digests[0].visible and "1 student" in digests[0].visible
    async with session_pool() as session:
        again = await session.scalar(select(ClassRow.digest_next_run_at))
    assert again - due == timedelta(days=7)
    replies = await alice.click("Open the class", digests[0])  # a new message: the digest stays as it was
    assert "1 student" in replies[-1].visible and "your weekly digest" in digests[0].visible
    await alice.click("👥 Roster", replies[-1])
    assert "1. Bob" in screen(alice).visible


# -- nobody else sees a class; leaving and /delete_me leave nothing ------------------------------------------------


async def test_another_user_pressing_the_teachers_buttons_sees_nothing(alice, dispatcher_env, session_pool):
    payload = await create_class(alice)
    bob = client(dispatcher_env, 3003, "Bob")
    await onboard(bob)
    await join(bob, payload)
    await alice.click("👥 Roster", screen(alice))
    teacher_buttons = [data for _, data in screen(alice).buttons()]
    cid = await class_id(session_pool)
    forged = [
        *(ClassCb(id=cid, action=action).pack() for action in ClassAction),
        ClassStudentCb(id=cid, user=bob.user.id, action=StudentAction.MARKDOWN).pack(),
        ClassStudentCb(id=cid, user=bob.user.id, action=StudentAction.SUMMARY).pack(),
        DigestHourCb(id=cid, day=0, hour=9).pack(),
        *teacher_buttons,
    ]
    _, _, telegram = dispatcher_env
    eve = client(dispatcher_env, 5005, "Eve")
    await eve.send("/start")
    for data in forged:
        before = {key: (m.text, m.markup) for key, m in telegram.messages.items()}
        answers = len(telegram.callback_answers)
        new = await eve.press(data, eve.last)
        assert new == [], data
        assert {key: (m.text, m.markup) for key, m in telegram.messages.items() if key in before} == before, data
        assert len(telegram.callback_answers) == answers + 1
        assert "not yours" in telegram.callback_answers[-1].text
    async with session_pool() as session:
        row = (await session.scalars(select(ClassRow))).one()
    assert row.name == NAME and row.joining_open and row.digest_weekday is None and row.nudged_at is None
    assert await members(session_pool) == {bob.user.id}
    # A student of the class is not its teacher either.
    await bob.press(ClassCb(id=cid, action=ClassAction.ROSTER).pack(), bob.last)
    assert "not yours" in telegram.callback_answers[-1].text


async def test_a_student_who_left_or_deleted_their_data_appears_nowhere(alice, dispatcher_env, session_pool):
    payload = await create_class(alice)
    people = {}
    for user_id, name in ((3003, "Bob"), (3004, "Cem"), (3005, "Dia")):
        people[name] = client(dispatcher_env, user_id, name)
        await onboard(people[name])
        await join(people[name], payload)
    await people["Cem"].send("/class")
    await people["Cem"].click(f"🎓 {NAME[:39]}")
    await people["Cem"].click("Leave the class")
    await people["Cem"].click("Yes, leave")
    await people["Dia"].send("/delete_me")
    await people["Dia"].click("Yes, delete everything")
    assert await members(session_pool) == {3003}

    await alice.send("/class")
    await alice.click(f"👩‍🏫 {NAME[:39]}")
    assert "1 student" in screen(alice).visible
    await alice.click("👥 Roster", screen(alice))
    roster = screen(alice).visible
    assert "Bob" in roster and "Cem" not in roster and "Dia" not in roster
    await alice.click("Back to the class", screen(alice))
    await alice.click("📤 Export", screen(alice))
    await alice.click("Roster (.csv)", screen(alice))
    table = list(csv.reader(io.StringIO(alice.last.content.decode("utf-8-sig"))))
    assert [row[0] for row in table[1:]] == ["Bob"]
    await alice.click("Analyses (.zip)", screen(alice))
    with zipfile.ZipFile(io.BytesIO(alice.last.content)) as archive:
        names = archive.namelist()
        assert names == ["1-bob.md"]
        assert "Roles and Skills Analysis" in archive.read(names[0]).decode()
    cid = await class_id(session_pool)
    await alice.press(ClassStudentCb(id=cid, user=3004, action=StudentAction.MARKDOWN).pack(), screen(alice))
    assert "not in this class" in dispatcher_env[2].callback_answers[-1].text

    # The teacher's /delete_me takes their classes and every membership of them.
    await alice.send("/delete_me")
    await alice.click("Yes, delete everything")
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(ClassRow)) == 0
    assert await members(session_pool) == set()


async def test_csv_cells_that_look_like_formulas_are_quoted(alice, dispatcher_env):
    payload = await create_class(alice)
    eve = client(dispatcher_env, 3009, "=HYPERLINK(1)")
    await onboard(eve)
    await join(eve, payload)
    await alice.click("📤 Export", screen(alice))
    await alice.click("Roster (.csv)", screen(alice))
    table = list(csv.reader(io.StringIO(alice.last.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Name", "Role", "Level"]
    assert table[1][0] == "'=HYPERLINK(1)"


async def test_a_large_roster_pages_without_identical_edits(alice, dispatcher_env, session_pool, database):
    payload = await create_class(alice)
    cid = await class_id(session_pool)
    async with session_pool.begin() as session:
        now = datetime.now(UTC)
        await session.execute(User.__table__.insert(), [
            {"id": 10_000 + n, "language": "en", "timezone": "Asia/Almaty", "role_id": "qa" if n % 2 else None,
             "is_active": True, "created_at": now, "updated_at": now}
            for n in range(25)
        ])  # fmt: skip
        await session.execute(ClassMember.__table__.insert(), [
            {"class_id": cid, "user_id": 10_000 + n, "display_name": f"{'sTUDENT' if n == 3 else 'Student'} {n:02d}",
             "joined_at": now}
            for n in range(25)
        ])  # fmt: skip
    assert payload
    await alice.click("👥 Roster", screen(alice))
    assert "page 1 of 3" in screen(alice).visible and "1. Student 00" in screen(alice).visible
    assert "4. sTUDENT 03" in screen(alice).visible  # by name, case aside
    await alice.click("▶", screen(alice))
    assert "11. Student 10" in screen(alice).visible
    await alice.click("2/3", screen(alice))  # the page on screen: nothing to edit, nothing refused
    await alice.click("▶", screen(alice))
    assert "21. Student 20" in screen(alice).visible and "25. Student 24" in screen(alice).visible
    assert "no profile yet" in screen(alice).visible
    # A page past the end (a stale button after students left) shows the last page.
    await alice.click("◀", screen(alice))
    await alice.press(ClassCb(id=cid, action=ClassAction.ROSTER, page=9).pack(), screen(alice))
    assert "page 3 of 3" in screen(alice).visible


async def test_the_teachers_and_the_students_screens_in_russian(dana, dispatcher_env):
    [home] = await dana.send("/class")
    assert "<b>Классы</b>" in home.text and "➕ Создать класс" in [t for t, _ in home.buttons()]
    payload = await create_class(dana, "ПИ-2301")
    assert "Класс «ПИ-2301» создан" in screen(dana).visible and "1 студент" not in screen(dana).visible
    aru = client(dispatcher_env, 3003, "Ару", "ru")
    await aru.send("/start")
    await aru.click("Backend-разработчик")
    await aru.click("Junior")
    await aru.click("Алматы")
    await aru.click("Python")
    await aru.click("Готово")
    await aru.click("Пропустить")
    [invite] = await aru.send(f"/start {payload}")
    assert "Вступить в «ПИ-2301»?" in invite.visible and "Преподаватель: Дана" in invite.visible
    await aru.click("✅ Вступить")
    assert "Вы вступили в «ПИ-2301»" in aru.last.visible
    await dana.click("👥 Список", screen(dana))
    assert "1. Ару — Backend-разработчик · Python" in screen(dana).visible
    assert "0 выполнено за неделю" in screen(dana).visible


@pytest.mark.parametrize("data", ["cl:1:o", "cl:x:o:0", "cl:1:zz:0", "cs:1:0:s:0", "jn:short:y", "ms:1:q",
                                  "cdh:1:7:9", "cdd:1:9", "cls:z"])  # fmt: skip
async def test_malformed_class_buttons_are_answered(alice, dispatcher_env, data):
    _, _, telegram = dispatcher_env
    await alice.send("/class")
    answers = len(telegram.callback_answers)
    await alice.press(data, alice.last)
    assert len(telegram.callback_answers) == answers + 1
