"""The postings sync against the fake hh API (testkit/fake_hh.py): every catalog role filled, incremental runs,
the 2,000-results cap, closed and vanished vacancies, old postings, each refusal in one line, 429 and 5xx,
and a run that stops and goes on from its cursor. Storage runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.bootstrap import prepare_storage
from bot.i18n import create_i18n
from coach.hh_search import Slice, fingerprint, first_slices, search_plan, split
from handlers.common.market import sources_line
from services.coaching import CoachService
from services.hh import HhClient
from services.sync import SyncBusy, SyncNotReady, SyncRefused, SyncService, SyncUnavailable
from storage.locks import HH_SYNC, Lease
from storage.models import Posting, PostingSkill, RolePostingCount, RoleSkillCount, SyncedVacancy, SyncRun
from testkit.fake_hh import FakeHh, realistic_vacancies

AGENT = "CareerCoach/1.0 (ops@example.kz)"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def hh():
    fake = FakeHh(realistic_vacancies(NOW))
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def ready(database, catalog, parser):
    await prepare_storage(database, catalog, parser)
    return database


@pytest.fixture
async def make_sync(ready, catalog, parser, hh):
    clients: list[HhClient] = []

    def make(token: str | None = None, agent: str = AGENT, clock: Clock | None = None, url: str | None = None,
             **kwargs) -> SyncService:  # fmt: skip
        client = HhClient(url or hh.url, agent, token, timeout=5)
        clients.append(client)
        kwargs.setdefault("rate", 1000)
        kwargs.setdefault("backoff", 0.01)
        return SyncService(ready, catalog, parser, client, user_agent=agent, has_token=token is not None,
                           clock=clock or Clock(NOW), **kwargs)  # fmt: skip

    yield make
    for client in clients:
        await client.close()


async def shared_postings(db) -> Counter:
    async with db.read() as session:
        rows = await session.execute(
            select(Posting.role_id, func.count()).where(Posting.source == "hh").group_by(Posting.role_id)
        )
        return Counter(dict(rows.all()))


async def assert_aggregates_exact(db, catalog) -> None:
    """The aggregates kept on every save and removal equal a count of the stored postings."""
    async with db.read() as session:
        kept_roles = Counter({(r.role_id, r.stack, r.source): r.postings
                              for r in await session.scalars(select(RolePostingCount)) if r.postings})  # fmt: skip
        kept_skills = Counter({(r.role_id, r.stack, r.skill_id): r.postings
                               for r in await session.scalars(select(RoleSkillCount)) if r.postings})  # fmt: skip
        postings = (
            await session.execute(
                select(Posting.id, Posting.role_id, Posting.stack, Posting.source).where(
                    Posting.added_by.is_(None), Posting.role_id.is_not(None)
                )
            )
        ).all()
        skills: dict[int, set[str]] = {}
        for posting_id, skill_id in await session.execute(select(PostingSkill.posting_id, PostingSkill.skill_id)):
            skills.setdefault(posting_id, set()).add(skill_id)
    roles, refs = Counter(), Counter()
    for posting_id, role, stack, source in postings:
        roles[(role, stack or "", source)] += 1
        own = skills.get(posting_id, set())
        for ref in own | {catalog.group_of[s] for s in own if s in catalog.group_of}:
            refs[(role, stack or "", ref)] += 1
    assert kept_roles == roles
    assert kept_skills == refs


# -- the plan and its slices (pure) ------------------------------------------------------------------------


def test_the_plan_searches_every_catalog_role_once(catalog):
    plan = search_plan(catalog)
    roles = [role for search in plan for role in search.roles]
    assert sorted(roles) == sorted(catalog.roles)
    by_key = {s.key: s for s in plan}
    assert by_key["hh-160"].roles == ("devops",)  # classify.toml: DevOps is hh's professional role 160
    assert "backend" in by_key["hh-96-104"].roles and "frontend" in by_key["hh-96-104"].roles
    assert by_key["text-sre"].text and "site reliability" in by_key["text-sre"].text


def test_a_slice_over_the_cap_splits_by_role_then_area_then_date():
    start, end = NOW - timedelta(days=8), NOW
    [part] = first_slices(search_plan_stub(), ("40", "113"), start, end)
    by_role = split(part)
    assert [p.professional_roles for p in by_role] == [("96",), ("104",)]
    by_area = split(by_role[0])
    assert [p.areas for p in by_area] == [("40",), ("113",)]
    halves = split(by_area[0])
    assert halves[0].date_to == end.isoformat() and halves[1].date_from == start.isoformat()
    assert halves[0].date_from == halves[1].date_to == (start + timedelta(days=4)).isoformat()
    tiny = Slice("s", ("96",), None, ("40",), NOW.isoformat(), (NOW + timedelta(minutes=59)).isoformat())
    assert split(tiny) is None
    params = dict(halves[0].params())
    assert params["per_page"] == "100" and params["order_by"] == "publication_time"
    assert params["date_to"].endswith("+0000")


def search_plan_stub():
    from coach.hh_search import Search

    return [Search("hh-96-104", ("backend",), ("96", "104"))]


def test_the_fingerprint_changes_with_what_the_posting_shows():
    item = {"id": "1", "name": "Python developer", "published_at": "2026-11-01T10:00:00+0300",
            "salary": {"from": 1, "currency": "KZT"}, "area": {"id": "160"}}  # fmt: skip
    same = dict(item, snippet={"requirement": "other words"})
    assert fingerprint(item) == fingerprint(same)
    assert fingerprint(item) != fingerprint(dict(item, salary={"from": 2, "currency": "KZT"}))
    assert fingerprint(item) != fingerprint(dict(item, published_at="2026-11-20T10:00:00+0300"))


# -- runs ----------------------------------------------------------------------------------------------------


async def test_a_first_sync_fills_every_catalog_role_and_a_second_is_incremental(ready, catalog, hh, make_sync):
    sync = make_sync()
    first = await sync.run()
    assert first.status == "completed" and first.mode == "full"
    counts = await shared_postings(ready)
    assert set(counts) == set(catalog.roles)
    assert min(counts.values()) >= 10, counts  # enough in every role to weigh skills by demand
    total = first.totals()
    assert total.added == sum(counts.values()) == total.fetched
    # Sales, accounting, driving and drilling jobs are never listed (their hh roles are not searched); a head of
    # development and a graphic designer are (hh files them under IT roles), and are left out as no job we coach.
    assert total.failed == 0 and first.skipped == 8
    async with ready.read() as session:
        cities = set(await session.scalars(select(Posting.city).where(Posting.source == "hh")))
    assert "Москва" not in cities and "Санкт-Петербург" not in cities  # outside HH_SYNC_AREAS
    assert {"Almaty", "Astana"} <= cities
    searches = [dict(r.query) for r in hh.requests if r.path == "/vacancies"]
    assert all(q["per_page"] == "100" and "date_from" in q for q in searches)
    assert hh.refused == {}
    await assert_aggregates_exact(ready, catalog)

    # A day later: nothing new, nothing fetched again; the window starts an hour before the last one ended.
    clock = Clock(NOW + timedelta(days=1))
    before = hh.count("/vacancies/")
    second = await make_sync(clock=clock).run()
    assert second.mode == "incremental" and second.totals().fetched == 0
    assert hh.count("/vacancies/") == before
    last_search = [dict(r.query) for r in hh.requests if r.path == "/vacancies"][-1]
    assert last_search["date_from"].startswith((NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H"))

    # A new vacancy and a republished one with a new salary: exactly those two are fetched.
    new = dict(hh.vacancies["130000001"], id="139999999", alternate_url="https://hh.kz/vacancy/139999999")
    new["published_at"] = (NOW + timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    hh.add(new)
    hh.republish("130000002", NOW + timedelta(days=1, hours=2), salary={"from": 999_000, "to": None,
                                                                        "currency": "KZT", "gross": False})  # fmt: skip
    clock.now = NOW + timedelta(days=1, hours=3)
    third = await make_sync(clock=clock).run()
    assert (third.totals().fetched, third.totals().added, third.totals().updated) == (2, 1, 1)
    async with ready.read() as session:
        salary = await session.scalar(select(Posting.salary_from).where(Posting.source_id == "130000002"))
    assert salary == 999_000
    await assert_aggregates_exact(ready, catalog)


async def test_a_search_hh_lists_only_in_part_is_split_until_it_fits(ready, catalog, hh, make_sync):
    hh.depth = 100  # the 96/104 search finds 126: more than hh lists of one query here
    summary = await make_sync(per_page=50).run()
    assert summary.status == "completed" and summary.truncated == 0
    assert 400 not in hh.refused  # no page beyond the cap was asked for
    counts = await shared_postings(ready)
    assert set(counts) == set(catalog.roles) and min(counts.values()) >= 10
    dev_searches = {tuple(v for k, v in r.query if k == "professional_role") for r in hh.requests
                    if r.path == "/vacancies"}  # fmt: skip
    assert ("96",) in dev_searches  # split by professional role (and then by date)


async def test_closed_and_vanished_vacancies_stop_counting_and_the_aggregates_stay_exact(ready, catalog, hh,
                                                                                       make_sync):  # fmt: skip
    hh.vanish = {"130000003"}  # listed, gone when fetched
    hh.close_on_fetch = {"130000004"}  # listed, archived when fetched
    first = await make_sync().run()
    assert first.gone == 2
    async with ready.read() as session:
        ids = set(await session.scalars(select(Posting.source_id).where(Posting.source == "hh")))
    assert "130000003" not in ids and "130000004" not in ids and "130000005" in ids
    counts = await shared_postings(ready)

    # Before the next full listing hh closes three vacancies: a full run no longer finds them.
    for vacancy_id in ("130000005", "130000006", "130000020"):
        hh.archive(vacancy_id)
    second = await make_sync(clock=Clock(NOW + timedelta(days=7))).run()
    assert second.mode == "full" and second.totals().expired == 3
    after = await shared_postings(ready)
    assert sum(counts.values()) - sum(after.values()) == 3
    async with ready.read() as session:
        assert await session.scalar(select(func.count()).select_from(SyncedVacancy)) == sum(after.values())
    await assert_aggregates_exact(ready, catalog)


async def test_postings_older_than_the_maximum_age_stop_counting(ready, catalog, hh, make_sync):
    await make_sync().run()
    before = sum((await shared_postings(ready)).values())
    # 30 days on, with a 45-day limit: those published 15-40 days before the first run are too old now.
    later = await make_sync(clock=Clock(NOW + timedelta(days=30)), max_age_days=45).run()
    after = sum((await shared_postings(ready)).values())
    assert later.totals().expired == before - after > 0
    async with ready.read() as session:
        oldest = await session.scalar(select(func.min(Posting.published_at)).where(Posting.source == "hh"))
    assert oldest >= NOW + timedelta(days=30) - timedelta(days=45)
    await assert_aggregates_exact(ready, catalog)


async def test_a_user_agent_without_a_contact_is_refused_before_any_request(hh, make_sync):
    with pytest.raises(SyncNotReady) as problem:
        await make_sync(agent="CareerCoach/0.1 (career-coach-bot)").run()
    assert "HH_USER_AGENT" in problem.value.line and "e-mail" in problem.value.line
    assert hh.requests == []


async def test_a_captcha_stops_the_run_with_one_line_and_the_next_run_goes_on(ready, hh, make_sync):
    hh.captcha_after = 40
    with pytest.raises(SyncRefused) as problem:
        await make_sync().run()
    line = problem.value.line
    assert "captcha" in line and "https://hh.ru/account/captcha" in line and "HH_ACCESS_TOKEN" in line
    assert "\n" not in line
    async with ready.read() as session:
        run = await session.scalar(select(SyncRun))
    assert run.status == "stopped" and run.error == line and run.cursor != "[]"
    partial = sum((await shared_postings(ready)).values())
    hh.captcha_after = None
    resumed = await make_sync().run()
    assert resumed.resumed and resumed.run_id == run.id and resumed.status == "completed"
    assert sum((await shared_postings(ready)).values()) > partial


async def test_each_refusal_says_what_hh_said_and_what_to_do(ready, hh, make_sync):
    hh.token = "app-token"
    with pytest.raises(SyncRefused) as anonymous:
        await make_sync().run()
    assert "anonymous" in anonymous.value.line and "HH_ACCESS_TOKEN" in anonymous.value.line
    with pytest.raises(SyncRefused) as wrong:
        await make_sync(token="tok-SECRET-123").run()
    assert "refused the application token (403 bad_authorization)" in wrong.value.line
    assert "tok-SECRET-123" not in wrong.value.line
    hh.blacklisted = {AGENT}
    with pytest.raises(SyncRefused) as agent:
        await make_sync(token="app-token").run()
    assert "HH-User-Agent" in agent.value.line and AGENT in agent.value.line
    hh.blacklisted = set()
    done = await make_sync(token="app-token").run()
    assert done.status == "completed"
    assert all(r.authorization == "Bearer app-token" for r in hh.requests[-5:])


async def test_429_is_waited_out_and_5xx_retried(ready, catalog, hh, make_sync):
    hh.vacancies = {v["id"]: v for v in realistic_vacancies(NOW, per_role=2)}
    hh.rate = 15  # requests per second before a 429 with Retry-After: 1
    hh.fail_next = [502, 503, 500]
    summary = await make_sync(rate=100).run()
    assert summary.status == "completed" and summary.totals().failed == 0
    assert hh.refused.get(429, 0) > 0 and hh.refused.get(502) == 1
    assert set(await shared_postings(ready)) == set(catalog.roles)


async def test_hh_unreachable_stops_the_run_with_one_line(ready, make_sync):
    with pytest.raises(SyncUnavailable) as problem:
        await make_sync(url="http://127.0.0.1:9", attempts=2).run()
    assert "run the sync again later" in problem.value.line


async def test_a_run_stopped_midway_goes_on_from_its_cursor_and_ends_as_one_uninterrupted(ready, catalog, hh,
                                                                                       make_sync):  # fmt: skip
    hh.delay = 0.002
    task = asyncio.create_task(make_sync().run())
    while hh.count("/vacancies/") < 120:
        assert not task.done()
        await asyncio.sleep(0.01)
    task.cancel()  # stopped between two pages (tests/e2e/test_sync_cli.py kills a real process instead)
    with pytest.raises(asyncio.CancelledError):
        await task
    partial = sum((await shared_postings(ready)).values())
    assert 0 < partial < 300
    fetched_before = hh.count("/vacancies/")
    summary = await make_sync().run()
    assert summary.resumed and summary.status == "completed"
    counts = await shared_postings(ready)
    assert set(counts) == set(catalog.roles)
    # Nothing saved before the stop was fetched again.
    assert hh.count("/vacancies/") - fetched_before <= sum(counts.values()) - partial + 100
    await assert_aggregates_exact(ready, catalog)


async def test_one_process_syncs_at_a_time(ready, hh, make_sync):
    other = Lease(ready, HH_SYNC, holder="another-replica")
    assert await other.acquire()
    with pytest.raises(SyncBusy):
        await make_sync().run()
    assert hh.requests == []
    await other.release()


async def test_synced_markets_are_dated_and_from_hh_and_empty_ones_say_so(ready, catalog, hh, make_sync):
    i18n = create_i18n()
    coach = CoachService(ready, catalog)
    with i18n.context(), i18n.use_locale("en"):
        for role_id in catalog.roles:
            line = sources_line(catalog, await coach.market(role_id), "en")
            assert "too few" in line, (role_id, line)  # no real vacancies yet: honest about it
    await make_sync().run()
    with i18n.context(), i18n.use_locale("en"):
        for role_id in catalog.roles:
            market = await coach.market(role_id)
            line = sources_line(catalog, market, "en")
            assert market.source_counts.get("hh", 0) >= 10, role_id
            assert "from hh.kz / hh.ru" in line and "published" in line and "too few" not in line, line


# -- the schedule --------------------------------------------------------------------------------------------


async def test_the_scheduled_sync_runs_once_per_slot_and_goes_on_after_an_interruption(ready, hh, make_sync):
    from bot.scheduler import next_slot

    after = next_slot("0 3 * * mon", "Asia/Almaty")  # Mondays 03:00 in Almaty = Sunday 22:00 UTC
    assert after(datetime(2026, 11, 30, 12, tzinfo=UTC)) == datetime(2026, 12, 6, 22, tzinfo=UTC)
    clock = Clock(NOW)  # Tuesday 1 Dec
    sync = make_sync(clock=clock)
    first = await sync.run_if_due(NOW, after)  # never synced: at once
    assert first is not None and first.trigger == "schedule" and first.status == "completed"
    clock.now = NOW + timedelta(days=3)
    assert await sync.run_if_due(clock.now, after) is None  # the next slot is Sunday 22:00 UTC
    clock.now = datetime(2026, 12, 6, 22, 5, tzinfo=UTC)
    second = await sync.run_if_due(clock.now, after)
    assert second is not None and second.mode == "incremental"
    async with ready.transaction() as session:  # a run whose process died midway
        await session.execute(update(SyncRun).where(SyncRun.id == second.run_id).values(status="running"))
    clock.now += timedelta(minutes=10)
    resumed = await sync.run_if_due(clock.now, after)
    assert resumed is not None and resumed.resumed and resumed.run_id == second.run_id


async def test_the_scheduled_sync_skips_while_another_replica_syncs(ready, hh, make_sync):
    from bot.scheduler import next_slot

    other = Lease(ready, HH_SYNC, holder="another-replica")
    assert await other.acquire()
    assert await make_sync().run_if_due(NOW, next_slot("0 3 * * mon", "UTC")) is None
    assert hh.requests == []


# -- a link a student pastes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("token", "hh.ru would not give vacancy 130000001 to this bot: it now lets only registered applications"),
        ("captcha", "it asks for a captcha, which a bot cannot solve"),
    ],
)
async def test_a_pasted_link_hh_refuses_is_answered_as_plainly_as_a_missing_one(
    settings, database, catalog, parser, hh, setup, expected, caplog
):
    from pydantic import AnyHttpUrl

    from bot.factory import create_bot, create_dispatcher
    from testkit.client import ChatClient
    from testkit.telegram import FakeTelegram
    from tests.conftest import TEST_TOKEN
    from tests.test_journey import onboard

    await prepare_storage(database, catalog, parser)
    if setup == "token":
        hh.token = "app-token"  # anonymous access closed; the bot has no token
    else:
        hh.captcha_after = 0
    settings = settings.model_copy(update={"hh_api_url": AnyHttpUrl(hh.url), "hh_user_agent": AGENT})
    telegram = FakeTelegram()
    bot = create_bot(settings, TEST_TOKEN, session=telegram)
    dp = create_dispatcher(settings=settings, database=database, catalog=catalog)
    alice = ChatClient(dp, bot, telegram, user_id=1001, first_name="Alice")
    await onboard(alice, typed="Python, SQL")
    await alice.send("/market")
    await alice.click("➕ Add a posting")
    [reply] = await alice.send("https://hh.kz/vacancy/130000001")
    assert expected in reply.visible
    assert reply.visible.endswith("Paste the vacancy's text instead: I read it just as well.")
    assert any("hh.ru refused vacancy 130000001" in r.getMessage() for r in caplog.records)  # the operators
    assert hh.requests[-1].user_agent == AGENT
    assert telegram.refused == []
    await dp.workflow_data["postings"].close()
    await dp.storage.close()
