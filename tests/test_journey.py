"""The coaching journey through the real dispatcher: start → role → level → city → skills → gap → roadmap →
tick, in English and Russian, on SQLite and PostgreSQL, with everything a careless thumb can do."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.factory import create_dispatcher
from storage.models import RoadmapItem, User, UserSkill
from testkit.client import ChatClient


async def onboard(
    client: ChatClient, role="Backend Engineer", level="Junior", city="Almaty", skills=(), typed=None, want=None,
    done="Done", skip="Skip", stack="🤷",
):  # fmt: skip
    """Onboarding as a student taps through it. When the skills say nothing of the stack, the bot asks for it:
    `stack` is the button tapped then (default: not decided yet)."""
    await client.send("/start")
    await client.click(role)
    await client.click(level)
    await client.click(city)
    for skill in skills:
        await client.click(skill)
    if typed:
        await client.send(typed)
    await client.click(done)
    if "sk:" in " ".join(data or "" for _, data in client.last.buttons()):  # the stack question
        await client.click(stack)
    if want:
        await client.send(want)
    else:
        await client.click(skip)


async def saved_skills(session_pool, user_id: int) -> dict[str, str]:
    async with session_pool() as session:
        rows = await session.execute(select(UserSkill.skill_id, UserSkill.status).where(UserSkill.user_id == user_id))
        return dict(rows.all())


async def test_start_asks_for_a_role_with_buttons(alice):
    [reply] = await alice.send("/start")
    assert reply.visible.startswith("Hi, Alice!")
    assert "Which role do you want?" in reply.visible
    labels = [text for text, _ in reply.buttons()]
    assert "Backend Engineer" in labels and "Database Administrator (DBA)" in labels
    assert any("Not sure" in label for label in labels)


async def test_the_whole_journey_in_english(alice, session_pool):
    await alice.send("/start")
    await alice.click("Backend Engineer")
    assert "Which level" in alice.last.visible
    await alice.click("Junior")
    assert "Where do you want to work?" in alice.last.visible
    await alice.click("Almaty")
    assert "What do you already know?" in alice.last.visible
    await alice.click("Python")
    await alice.click("SQL")
    assert "Selected (2): Python, SQL" in alice.last.visible
    replies = await alice.send("understanding of REST APIs, Dokcer, Quantum knitting")
    assert "Got it: REST API, Docker" in replies[0].visible
    assert "“Quantum knitting”" in replies[0].visible
    assert "Selected (4)" in alice.last.visible
    await alice.click("Done")
    assert "lack" in alice.last.visible
    replies = await alice.click("Skip")
    report = replies[-1].visible
    assert "Backend Engineer · Python · Junior · Almaty" in report  # the stack read from the skills
    assert "Core skills: 5 of 12" in report  # HTTP comes with the REST API they know
    assert "You have: SQL, REST API, Docker, Python" in report
    assert "7 postings for Backend Engineer · Python: 7 built-in samples" in report
    assert "too few to weigh skills" in report  # samples are not a market
    assert "• PostgreSQL — core" in report
    assert "one of Django / FastAPI / Flask — core" in report
    assert "Best-matching postings" in report and "· sample" in report
    assert "Salary, Junior, Almaty" in report and "students' market overview" in report

    replies = await alice.click("My roadmap")
    roadmap = replies[-1]
    assert "Next 3 months" in roadmap.visible
    assert "Done: 0 of" in roadmap.visible
    await alice.click("1 ✅", roadmap)
    ticked = alice.telegram.messages[(roadmap.chat_id, roadmap.message_id)]
    assert ticked.edits == 1
    assert "✅ 1." in ticked.visible
    assert "Done: 1 of" in ticked.visible
    assert ("1 ↩", ticked.buttons()[0][1]) in ticked.buttons()

    async with session_pool() as session:
        user = await session.get(User, alice.user.id)
        assert (user.role_id, user.level, user.city) == ("backend", "junior", "Almaty")
        done = (await session.scalars(select(RoadmapItem).where(RoadmapItem.state == "done"))).all()
        assert len(done) == 1
    assert await saved_skills(session_pool, alice.user.id) == {
        "python": "have", "sql": "have", "rest_api": "have", "docker": "have"
    }  # fmt: skip


async def test_the_whole_journey_in_russian(dana):
    [reply] = await dana.send("/start")
    assert reply.visible.startswith("Привет, Дана!")
    await dana.click("Backend-разработчик")
    assert "уровень" in dana.last.visible
    await dana.click("Junior")
    await dana.click("Алматы")
    assert "Что вы уже знаете?" in dana.last.visible
    replies = await dana.send("основы Python, знание SQL, ООП")
    assert "Понял: Python, SQL, ООП" in replies[0].visible
    await dana.click("Готово")
    replies = await dana.click("Пропустить")
    report = replies[-1].visible
    assert "Backend-разработчик · Python" in report
    assert "Ключевые навыки: 3 из 12" in report
    assert "• PostgreSQL — ключевой" in report
    replies = await dana.click("Мой план")
    assert "Ближайшие 3 месяца" in replies[-1].visible
    await dana.click("1 ✅", replies[-1])
    assert "Выполнено: 1 из" in dana.telegram.messages[(replies[-1].chat_id, replies[-1].message_id)].visible


async def test_not_sure_leads_through_modules_to_roles(alice):
    await alice.send("/start")
    await alice.click("Not sure")
    assert "Which parts of the system" in alice.last.visible
    await alice.click("Show roles")  # nothing picked yet: an alert, the step stays
    assert "Pick at least one" in alice.telegram.callback_answers[-1].text
    await alice.click("Inference engine")
    assert "✅ Inference engine" in [t for t, _ in alice.last.buttons()]
    await alice.click("Show roles")
    labels = [text for text, _ in alice.last.buttons()]
    assert {"ML Engineer", "Data Scientist", "GPU Infrastructure Engineer"} <= set(labels)
    assert "Backend Engineer" not in labels
    await alice.click("ML Engineer")
    assert "ML Engineer" in alice.last.visible and "Which level" in alice.last.visible


async def test_a_skill_both_had_and_lacked_is_asked_about(alice, session_pool):
    await onboard(alice, typed="Python, REST", want="REST, OAuth")
    assert "both as a skill you have and one you lack" in alice.last.visible
    await alice.click("I want to learn it")
    assert await saved_skills(session_pool, alice.user.id) == {"python": "have", "rest_api": "want", "oauth": "want"}


async def test_back_buttons_walk_the_steps(alice):
    await alice.send("/start")
    await alice.click("Backend Engineer")
    await alice.click("Junior")
    await alice.click("Back")
    assert "Which level" in alice.last.visible
    await alice.click("Back")
    assert "Which role do you want?" in alice.last.visible


async def test_returning_student_is_greeted_with_progress(alice):
    await onboard(alice, skills=["Python"])
    [reply] = await alice.send("/start")
    assert reply.visible.startswith("Welcome back, Alice!")
    assert "Core skills: 1 of 12" in reply.visible
    assert "Roadmap" in " ".join(t for t, _ in reply.buttons())


async def test_done_twice_is_the_same_as_once(alice, dispatcher_env):
    _, _, telegram = dispatcher_env
    await onboard(alice, skills=["Python"])
    [roadmap] = await alice.send("/roadmap")
    data = dict(roadmap.buttons())["1 ✅"]
    await alice.press(data, roadmap)
    await alice.press(data, roadmap)  # a double tap, or Telegram delivering the update twice
    assert telegram.messages[(roadmap.chat_id, roadmap.message_id)].edits == 1
    assert telegram.callback_answers[-1].text == "Already marked."
    assert "Done: 1 of" in telegram.messages[(roadmap.chat_id, roadmap.message_id)].visible


async def test_skip_and_undo(alice):
    await onboard(alice, skills=["Python"])
    [roadmap] = await alice.send("/roadmap")
    await alice.click("1 ⏭", roadmap)
    assert "⏭ 1." in alice.telegram.messages[(roadmap.chat_id, roadmap.message_id)].visible
    await alice.click("1 ↩", alice.telegram.messages[(roadmap.chat_id, roadmap.message_id)])
    assert "▫️ 1." in alice.telegram.messages[(roadmap.chat_id, roadmap.message_id)].visible


async def test_someone_elses_item_cannot_be_ticked(alice, dana, session_pool):
    await onboard(alice, skills=["Python"])
    [roadmap] = await alice.send("/roadmap")
    alices_item = dict(roadmap.buttons())["1 ✅"]
    await onboard(
        dana,
        role="Backend-разработчик",
        level="Junior",
        city="Алматы",
        skills=["Python"],
        done="Готово",
        skip="Пропустить",
    )
    await dana.press(alices_item)  # forged: Dana replays Alice's button data
    assert "нет в вашем плане" in dana.telegram.callback_answers[-1].text
    async with session_pool() as session:
        assert (await session.scalars(select(RoadmapItem).where(RoadmapItem.state != "open"))).all() == []


@pytest.mark.parametrize(
    "data", ["i:abc:d:0", "i:1:zz:0", "r:nonexistent_role", "p:-5", "", "x" * 64, "🙂", "mn:nowhere"]
)
async def test_malformed_button_data_is_answered(alice, data):
    await onboard(alice, skills=["Python"])
    answers = len(alice.telegram.callback_answers)
    await alice.press(data, alice.last)
    assert len(alice.telegram.callback_answers) == answers + 1


async def test_roadmap_pages_never_repeat_an_identical_edit(alice):
    await onboard(alice)
    [roadmap] = await alice.send("/roadmap")
    assert "1/" in " ".join(t for t, _ in roadmap.buttons())
    await alice.click("▶", roadmap)
    page_two = alice.telegram.messages[(roadmap.chat_id, roadmap.message_id)]
    assert "2/" in " ".join(t for t, _ in page_two.buttons())
    edits = page_two.edits
    await alice.click("2/", page_two)  # the page counter re-shows the same page
    await alice.press("p:1", page_two)  # a stale "next" from page one, to the page on screen
    assert alice.telegram.messages[(roadmap.chat_id, roadmap.message_id)].edits == edits
    await alice.click("◀", page_two)
    assert "1/" in " ".join(t for t, _ in alice.telegram.messages[(roadmap.chat_id, roadmap.message_id)].buttons())


async def test_every_roadmap_page_fits_and_nothing_is_cut(alice, dispatcher_env):
    _, _, telegram = dispatcher_env
    await onboard(alice)  # no skills: the longest roadmap
    [roadmap] = await alice.send("/roadmap")
    counter = next(t for t, _ in roadmap.buttons() if "/" in t)
    pages = int(counter.split("/")[1])
    seen_items = 0
    for page in range(pages):
        message = telegram.messages[(roadmap.chat_id, roadmap.message_id)]
        seen_items += sum(
            1 for line in message.visible.splitlines() if line[:2] in {"▫️", "✅", "⏭"} or line.startswith("▫")
        )
        if page < pages - 1:
            await alice.click("▶", message)
    total = int(roadmap.visible.split("Done: 0 of ")[1].split()[0])
    assert seen_items == total


async def test_progress_shows_counts_per_skill(alice):
    await onboard(alice, skills=["Python"])
    [roadmap] = await alice.send("/roadmap")
    await alice.click("1 ✅", roadmap)
    [report] = await alice.send("/progress")
    assert "Done: 1 of" in report.visible
    assert "This week: 1" in report.visible
    assert "Streak: 1 active week in a row" in report.visible


async def test_gap_before_onboarding_points_to_start(alice):
    [reply] = await alice.send("/gap")
    assert "/start" in reply.visible


async def test_profile_change_of_role_keeps_progress_that_still_applies(alice, session_pool):
    await onboard(alice, skills=["Python"])
    [roadmap] = await alice.send("/roadmap")
    first_skill = roadmap.visible.split("\n<b>")[0]
    await alice.click("1 ✅", roadmap)
    async with session_pool() as session:
        done = (await session.scalars(select(RoadmapItem).where(RoadmapItem.state == "done"))).one()
    [summary] = await alice.send("/profile")
    assert "What would you like to change?" in summary.visible
    await alice.click("Role")
    assert "Step" not in alice.last.visible  # a /profile edit is one question, not step 1 of 5 again
    replies = await alice.click("Fullstack Engineer")
    assert replies == []  # the question's message becomes the answer: no new messages, no gap report again
    updated = alice.last.visible
    assert "Profile updated" in updated and "Fullstack Engineer" in updated and "Core skills" in updated
    assert "What you lack" not in updated and "I'll send your next steps" not in updated
    assert {label for label, _ in alice.last.buttons()} >= {"📋 Roadmap", "📊 Gap report"}
    async with session_pool() as session:
        user = await session.get(User, alice.user.id)
        assert user.role_id == "fullstack"
        kept = await session.scalar(
            select(RoadmapItem).where(RoadmapItem.skill_id == done.skill_id, RoadmapItem.action_no == done.action_no)
        )
    if kept is not None:  # the skill is still on the new roadmap: its tick survived
        assert kept.state == "done"
    assert first_skill


async def test_settings_switch_the_language(alice):
    [reply] = await alice.send("/settings")
    assert "Language: English" in reply.visible
    await alice.click("Русский", reply)
    assert "Язык: Русский" in alice.telegram.messages[(reply.chat_id, reply.message_id)].visible
    [answer] = await alice.send("/help")
    assert "Что я умею" in answer.visible


async def test_switching_to_kazakh_answers_in_kazakh_and_sets_this_chats_menu(alice):
    [reply] = await alice.send("/settings")
    assert ("Қазақша", "lg:kk") in reply.buttons()
    await alice.click("Қазақша", reply)
    shown = alice.telegram.messages[(reply.chat_id, reply.message_id)]
    assert "Тіл: Қазақша" in shown.visible
    assert ("✅ Қазақша", "lg:kk") in shown.buttons()
    assert alice.telegram.callback_answers[-1].text == "Тіл: Қазақша"
    # Telegram shows the menu of the client's language (English here) unless this chat has its own.
    menu = dict(alice.telegram.scoped_commands[("chat", alice.chat.id, None)])
    assert menu["roadmap"] == "Жол картаңыз: белгілеп отыратын тапсырмалар"
    assert "admin" not in menu
    [answer] = await alice.send("/help")
    assert "/roadmap — Жол картаңыз" in answer.visible
    await alice.click("English", alice.telegram.messages[(reply.chat_id, reply.message_id)])
    assert dict(alice.telegram.scoped_commands[("chat", alice.chat.id, None)])["roadmap"].startswith("Your roadmap")


async def test_cancel_leaves_any_step(alice):
    await alice.send("/start")
    await alice.click("Backend Engineer")
    [reply] = await alice.send("/cancel")
    assert "Cancelled" in reply.visible
    [reply] = await alice.send("/cancel")
    assert "nothing to cancel" in reply.visible


async def test_delete_me_erases_everything_after_confirmation(alice, session_pool):
    await onboard(alice, skills=["Python"])
    await alice.send("/delete_me")
    await alice.click("No, keep it")
    async with session_pool() as session:
        assert await session.get(User, alice.user.id) is not None
    await alice.send("/delete_me")
    await alice.click("Yes, delete everything")
    assert "erased" in alice.last.visible
    async with session_pool() as session:
        assert (await session.scalars(select(RoadmapItem))).all() == []
        assert (await session.scalars(select(UserSkill))).all() == []


@pytest.mark.parametrize("step", ["role", "level", "city", "skills", "want"])
async def test_garbage_in_every_step_gets_a_hint_and_the_step_again(alice, step):
    await alice.send("/start")
    clicks = {
        "level": ["Backend Engineer"], "city": ["Backend Engineer", "Junior"],
        "skills": ["Backend Engineer", "Junior", "Almaty"],
        "want": ["Backend Engineer", "Junior", "Almaty", "Python", "Done"],
    }  # fmt: skip
    for label in clicks.get(step, []):
        await alice.click(label)
    question = {
        "role": "Which role do you want?",
        "level": "Which level",
        "city": "Where do you want to work?",
        "skills": "What do you already know?",
        "want": "want to learn",
    }[step]
    assert question in alice.last.visible
    for garbage in ["/nonsense", "🙂" * 50, "x" * 10_000]:
        replies = await alice.send(garbage)
        assert replies, garbage
        assert "something went wrong" not in " ".join(r.visible for r in replies)
    from aiogram.types import Sticker

    replies = await alice.send_update(
        sticker=Sticker(
            file_id="s", file_unique_id="u", type="regular", width=1, height=1, is_animated=False, is_video=False
        )
    )
    assert replies
    assert replies[-1].buttons(), "the current step is shown again with its buttons"
    assert question in replies[-1].visible


async def test_a_restart_mid_onboarding_loses_nothing(alice, settings, database, catalog):
    await alice.send("/start")
    await alice.click("Backend Engineer")
    await alice.click("Junior")
    # A new dispatcher on the same database: as after the process was killed and started again.
    dp = create_dispatcher(settings=settings, database=database, catalog=catalog)
    restarted = ChatClient(dp, alice.bot, alice.telegram, user_id=alice.user.id, first_name="Alice")
    await restarted.click("Almaty")
    assert "What do you already know?" in restarted.last.visible
    await restarted.click("Python")
    await restarted.click("Done")
    replies = await restarted.click("Skip")
    assert "Core skills: 1 of 12" in replies[-1].visible
