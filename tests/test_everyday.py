"""A student's everyday experience (issue 16): time zones as people say them, another city, taking one skill
out, /profile edits that stay small, "hello" after onboarding, pasted vacancies read properly, chat actions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from aiogram.methods import SendChatAction, SendDocument, SendMessage, SendPhoto
from sqlalchemy import select

from coach.catalog import default_catalog
from coach.intent import removal
from coach.pasted import from_text
from coach.skills import SkillParser
from coach.zones import Zone, find_place, parse_zone, places, typed_city, zone_label
from storage.models import User, UserSkill
from testkit.client import ChatClient
from tests.test_journey import onboard

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)


# -- time zones ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone", "shown_en", "shown_ru"),
    [
        ("UTC+6", Zone("Etc/GMT-6"), "UTC+6", "UTC+6"),
        ("utc + 6", Zone("Etc/GMT-6"), "UTC+6", "UTC+6"),
        ("GMT-3", Zone("Etc/GMT+3"), "UTC-3", "UTC-3"),
        ("Астана", Zone("Asia/Almaty", "astana"), "UTC+5, Astana", "UTC+5, Астана"),
        ("Pavlodar", Zone("Asia/Almaty", "pavlodar"), "UTC+5, Pavlodar", "UTC+5, Павлодар"),
        ("г. Павлодар", Zone("Asia/Almaty", "pavlodar"), "UTC+5, Pavlodar", "UTC+5, Павлодар"),
        ("Нур-Султан", Zone("Asia/Almaty", "astana"), "UTC+5, Astana", "UTC+5, Астана"),
        ("Өскемен", Zone("Asia/Almaty", "ust-kamenogorsk"), "UTC+5, Oskemen", "UTC+5, Усть-Каменогорск"),
        ("Ташкент", Zone("Asia/Tashkent", "tashkent"), "UTC+5, Tashkent", "UTC+5, Ташкент"),
        ("bishkek", Zone("Asia/Bishkek", "bishkek"), "UTC+6, Bishkek", "UTC+6, Бишкек"),
        ("Asia/Almaty", Zone("Asia/Almaty"), "UTC+5, Almaty", "UTC+5, Алматы"),
        ("+5:30", Zone("Asia/Kolkata"), "UTC+5:30, Kolkata", "UTC+5:30, Kolkata"),
        ("UTC", Zone("UTC"), "UTC", "UTC"),
    ],
)
def test_zones_are_read_and_shown_as_people_say_them(typed, zone, shown_en, shown_ru):
    assert parse_zone(typed) == zone
    assert zone_label(zone.name, zone.place, "en", WINTER) == shown_en
    assert zone_label(zone.name, zone.place, "ru", WINTER) == shown_ru


@pytest.mark.parametrize("typed", ["UTC-13", "UTC+15", "Etc/GMT+14", "мск+2", "Middle Earth", "", "x" * 500, "+5:17"])
def test_what_is_no_zone_is_refused(typed):
    assert parse_zone(typed) is None


def test_summer_time_is_shown_in_summer():
    assert zone_label("Europe/Berlin", "berlin", "en", WINTER) == "UTC+1, Berlin"
    assert zone_label("Europe/Berlin", "berlin", "en", SUMMER) == "UTC+2, Berlin"
    assert zone_label("Asia/Almaty", None, "en", SUMMER) == "UTC+5, Almaty"  # Kazakhstan keeps one time


def test_every_place_has_a_real_zone_and_every_zone_a_primary_place_or_city():
    known = places()
    assert len(known) > 40 and {"almaty", "astana", "pavlodar", "tashkent", "bishkek", "moscow"} <= set(known)
    for place in known.values():
        assert {"en", "ru", "kk"} <= set(place.names), place.id
        assert find_place(place.names["ru"]) is not None and find_place(place.names["kk"]) is not None


def test_a_typed_city_is_a_known_one_or_a_plausible_name():
    catalog = default_catalog()
    assert typed_city(catalog, "алматы") == "Almaty"
    assert typed_city(catalog, "Павлодар") == "Pavlodar"
    assert typed_city(catalog, "г. Ташкент") == "Tashkent"
    assert typed_city(catalog, "Лисаковск") == "Лисаковск"  # a town we do not list: the student's own words
    for garbage in ("123", "Python, SQL, Docker, Git, Linux", "I live in a small town near the river", "🙂", ""):
        assert typed_city(catalog, garbage) is None


async def test_onboarding_city_sets_the_zone_and_other_city_asks_which(alice, dana, session_pool):
    await onboard(alice, city="Astana", typed="Python")
    async with session_pool() as session:
        user = await session.get(User, alice.user.id)
        assert (user.timezone, user.zone_place) == ("Asia/Almaty", "astana")
    saved = next(m for m in alice.telegram.sent_to(alice.chat.id) if "Profile saved" in m.visible)
    assert "(UTC+5, Astana)" in saved.visible

    await dana.send("/start")
    for label in ("Backend-разработчик", "Junior", "Другой город"):
        await dana.click(label)
    assert "Какой город?" in dana.last.visible
    [hint] = await dana.send("12345")
    assert "не похоже на название города" in hint.visible
    await dana.send("Ташкент")
    assert "Что вы уже знаете?" in dana.last.visible
    await dana.send("Python")
    await dana.click("Готово")
    await dana.click("Пропустить")
    async with session_pool() as session:
        user = await session.get(User, dana.user.id)
        assert (user.city, user.timezone, user.zone_place) == ("Tashkent", "Asia/Tashkent", "tashkent")
    [settings] = await dana.send("/settings")
    assert "Часовой пояс: UTC+5, Ташкент" in settings.visible
    [profile] = await dana.send("/profile")
    assert "Ташкент" in profile.visible


async def test_other_city_can_be_skipped(alice, session_pool):
    await alice.send("/start")
    for label in ("Backend Engineer", "Junior", "Other city", "Skip ⏭"):
        await alice.click(label)
    assert "What do you already know?" in alice.last.visible
    async with session_pool() as session:
        assert (await session.get(User, alice.user.id)) is not None


# -- taking one skill out --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rest"),
    [("remove kubernetes", "kubernetes"), ("убрать Docker, Git", "Docker, Git"), ("Docker алып таста", "Docker"),
     ("-Kubernetes", "Kubernetes"), ("без Java", "Java"), ("Python, SQL", None), ("Node.js", None),
     ("не очень хорошо SQL", None)],
)  # fmt: skip
def test_removal_requests_are_told_from_skill_lists(text, rest):
    assert removal(text) == rest


async def test_one_typed_skill_is_taken_out_by_words_or_by_a_tap(alice, session_pool):
    await alice.send("/start")
    for label in ("Backend Engineer", "Junior", "Almaty"):
        await alice.click(label)
    await alice.send("Python, SQL, Kubernetes, Figma")
    picker = alice.last
    assert "✅ Kubernetes" in [label for label, _ in picker.buttons()]  # typed, not offered: tappable all the same
    [reply, _picker] = await alice.send("remove kubernetes")
    assert "Removed: Kubernetes" in reply.visible
    [reply, _picker] = await alice.send("убрать Git")
    assert "Not in your list: Git" in reply.visible
    await alice.click("✅ Figma")  # a tap takes a typed skill out too
    assert "Selected (2): Python, SQL" in alice.last.visible
    await alice.click("Done")
    await alice.click("Skip")
    async with session_pool() as session:
        rows = await session.execute(select(UserSkill.skill_id).where(UserSkill.user_id == alice.user.id))
        assert {sid for (sid,) in rows} == {"python", "sql"}


# -- small flows -----------------------------------------------------------------------------------------


async def test_hello_after_onboarding_shows_where_you_are_and_the_menu(alice):
    [before] = await alice.send("hello")
    assert "/start" in before.visible
    await onboard(alice, typed="Python")
    [reply] = await alice.send("hello")
    assert "Here is where you are" in reply.visible and "Core skills" in reply.visible
    assert {"📋 Roadmap", "📊 Gap report", "📈 Progress", "👤 Profile"} == {label for label, _ in reply.buttons()}


async def test_help_says_what_each_command_does_and_offers_the_way_on(alice):
    [reply] = await alice.send("/help")
    assert "/roadmap — Your roadmap" in reply.visible and "Send /start to begin" in reply.visible
    assert reply.buttons() == []
    await onboard(alice, typed="Python")
    [reply] = await alice.send("/help")
    assert "remove Docker" in reply.visible and "📋 Roadmap" in [label for label, _ in reply.buttons()]


async def test_a_profile_city_change_moves_the_zone_and_says_so_once(alice, session_pool):
    await onboard(alice, typed="Python")
    await alice.send("/profile")
    await alice.click("City")
    assert "Step" not in alice.last.visible
    await alice.click("Other city")
    replies = await alice.send("Bishkek")
    assert len(replies) == 0 or all("Step" not in m.visible for m in replies)
    assert "Time zone: UTC+6, Bishkek" in alice.last.visible and "Profile updated" in alice.last.visible
    await alice.send("/profile")
    await alice.click("Level")
    await alice.click("Middle")
    assert "Time zone" not in alice.last.visible  # the city did not change: nothing about the zone
    async with session_pool() as session:
        assert (await session.get(User, alice.user.id)).timezone == "Asia/Bishkek"


# -- pasted postings -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reader():
    catalog = default_catalog()
    parser = SkillParser(catalog)
    return lambda text: from_text(text, catalog, parser)


def test_a_pasted_vacancy_gives_title_company_city_salary_and_skills(reader):
    draft = reader(
        "Junior Python Developer — Kolesa Group\nАлматы\nот 400 000 до 600 000 ₸ на руки\n"
        "Требования: Python, Django, PostgreSQL, Docker, Celery"
    )
    assert (draft.title, draft.company, draft.city, draft.level) == ("Junior Python Developer", "Kolesa Group",
                                                                     "Almaty", "junior")  # fmt: skip
    assert (draft.salary_from, draft.salary_to, draft.currency, draft.salary_gross) == (400_000, 600_000, "KZT", False)
    assert draft.skills == ("python", "django", "postgresql", "docker", "celery")


def test_labels_in_russian_english_and_kazakh_are_read(reader):
    draft = reader("Вакансия: Python-разработчик в Kaspi.kz\nГород: Астана\nЗарплата: 500 000 - 800 000 тг\nSQL, Git")
    assert (draft.title, draft.company, draft.city) == ("Python-разработчик", "Kaspi.kz", "Astana")
    assert (draft.salary_from, draft.salary_to, draft.currency) == (500_000, 800_000, "KZT")
    draft = reader("QA Engineer\nCompany: Beeline Kazakhstan\nSalary: up to 450k KZT\nPostman, SQL, Jira")
    assert (draft.company, draft.salary_from, draft.salary_to) == ("Beeline Kazakhstan", None, 450_000)
    draft = reader("Деректер талдаушысы\nҚала: Шымкент\nЖалақы: 350 000 теңге\nSQL, Excel, Power BI")
    assert (draft.city, draft.salary_from, draft.currency) == ("Shymkent", 350_000, "KZT")


def test_a_one_line_posting_is_cut_at_a_word_and_numbers_without_a_currency_are_no_salary(reader):
    text = ("Ищем Middle Python разработчика в команду платформы данных, требования: Python, FastAPI, PostgreSQL, "
            "Docker, Celery, опыт от 3 лет и 5 проектов")  # fmt: skip
    draft = reader(text)
    assert draft.title == "Ищем Middle Python разработчика в команду платформы данных"
    assert (draft.salary_from, draft.salary_to) == (None, None)  # "3 years", "5 projects" are not pay
    long_title = reader("Senior Backend Engineer for the payments lending and deposits platform team with PostgreSQL "
                        "Docker Celery RabbitMQ Kafka")  # fmt: skip
    assert long_title.title.endswith("…") and not long_title.title[:-1].endswith(("Cele", " "))
    assert len(long_title.title) <= 80
    draft = reader("Backend developer (Go) at Chocofamily. Remote. $1,500–2,500 USD gross. Go, Kubernetes, gRPC.")
    assert (draft.title, draft.company, draft.remote) == ("Backend developer (Go)", "Chocofamily", True)
    assert (draft.salary_from, draft.salary_to, draft.currency, draft.salary_gross) == (1500, 2500, "USD", True)


async def test_missing_skills_of_a_pasted_posting_go_onto_the_roadmap_with_one_tap(alice, dana, session_pool):
    await onboard(alice, typed="Python, SQL")
    await alice.send("/market")
    await alice.click("➕ Add a posting")
    [added] = await alice.send("Junior Python Developer — Kolesa\nАлматы\nот 400 000 ₸\nPython, Django, RabbitMQ")
    assert "📍 Almaty" in added.visible and "400,000 KZT" in added.visible
    button = next(label for label, _ in added.buttons() if label.startswith("📌"))
    data = dict(added.buttons())[button]
    await onboard(dana, role="Backend-разработчик", city="Алматы", typed="Python", done="Готово", skip="Пропустить")
    await dana.press(data, added)  # someone else's posting: nothing happens to anybody
    assert "больше не работает" in dana.telegram.callback_answers[-1].text
    await alice.click(button, added)
    assert "On your roadmap now" in alice.last.visible and "RabbitMQ" in alice.last.visible
    async with session_pool() as session:
        wanted = await session.scalars(
            select(UserSkill.skill_id).where(UserSkill.user_id == alice.user.id, UserSkill.status == "want")
        )
        assert "rabbitmq" in set(wanted)
        assert "rabbitmq" not in set(
            await session.scalars(select(UserSkill.skill_id).where(UserSkill.user_id == dana.user.id))
        )
    assert [label for label, _ in alice.telegram.messages[(added.chat_id, added.message_id)].buttons()] == [
        "➕ Add another posting"
    ]


# -- Telegram touches ------------------------------------------------------------------------------------


async def test_chat_actions_come_before_slow_answers(alice, dispatcher_env):
    _, _, telegram = dispatcher_env
    await onboard(alice, typed="Python")

    def methods_since(start: int) -> list:
        return telegram.requests[start:]

    start = len(telegram.requests)
    await alice.send("/market")
    sent = methods_since(start)
    action = next(i for i, m in enumerate(sent) if isinstance(m, SendChatAction))
    photo = next(i for i, m in enumerate(sent) if isinstance(m, SendPhoto))
    assert action < photo and sent[action].action == "upload_photo"
    start = len(telegram.requests)
    await alice.send("/report")
    sent = methods_since(start)
    assert [type(m) for m in sent if isinstance(m, SendChatAction | SendDocument)] == [SendChatAction, SendDocument]


async def test_messages_go_without_link_previews(dispatcher_env, alice):
    _, bot, telegram = dispatcher_env
    assert bot.default.link_preview_is_disabled is True
    await alice.send("/start")
    request = next(m for m in telegram.requests if isinstance(m, SendMessage))
    # aiogram fills the default in when it builds the request: what Telegram receives has previews off.
    sent = bot.session.prepare_value(request.link_preview_options, bot=bot, files={})
    assert json.loads(sent) == {"is_disabled": True}


def test_a_group_chat_client_is_not_a_private_one():
    from aiogram.types import Chat

    client = ChatClient.__new__(ChatClient)
    ChatClient.__init__(client, None, None, None, chat=Chat(id=-5, type="group"))  # type: ignore[arg-type]
    assert client.chat.type == "group" and client.user.id == 1001
