"""The pure domain on a realistic market: the two seed students as personas, the roadmap's first term and
backlog, promotion from term to term, the wording of items, and progress."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from coach.catalog import Catalog, Text
from coach.gap import compute_gap
from coach.market import MarketSnapshot, snapshot_from_postings
from coach.progress import History, Item, ItemState, acquired, history, streak, summarize
from coach.ranking import rank, student_stack
from coach.roadmap import TERM_ITEMS, TERM_SKILLS, Plan, Reason, Term, build_plan
from tests import synthetic_market

ALMATY = ZoneInfo("Asia/Almaty")

# The students' own words (../shared/seeds/000_*.txt and 002_*.txt).
SEED_000_HAVE = "Basic Python, SQL, and understanding of REST APIs."
SEED_000_LACK = "REST,  OAuth,  Git,  GitHub,  PosgreSQL"
SEED_002_HAVE = """* **Python:** Advanced usage, OOP.
* **Relational Databases:** PostgreSQL, SQL queries.
* **Frameworks:** FastAPI.
* **Version Control:** Git (Basic usage)."""
SEED_002_LACK = """* **Testing:** Pytest, Unit testing.
* **Containerization:** Deep knowledge of Docker & Docker Compose.
* **CI/CD:** GitHub Actions pipelines.
* **Message Brokers:** RabbitMQ/Kafka."""

# What only the other backend stacks use: a Python student must never be sent there.
NOT_PYTHON = {"java", "spring", "spring_boot", "hibernate", "junit", "kotlin", "gradle", "go", "gin", "concurrency",
              "php", "laravel", "symfony", "php_web", "mysql", "csharp", "dotnet", "aspnet", "entity_framework",
              "mssql", "nodejs", "express", "nestjs", "node_web", "typescript", "javascript"}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Student:
    role: str
    have: tuple[str, ...]
    want: tuple[str, ...]  # in the order typed
    level: str = "junior"
    city: str = "Almaty"


def student(parser, role: str, have: str, lack: str) -> Student:
    owned = parser.parse(have).recognized
    return Student(role, owned, tuple(sid for sid in parser.parse(lack).recognized if sid not in owned))


def market_for(catalog: Catalog, who: Student, whole_role: bool = False) -> MarketSnapshot:
    stack = None if whole_role else student_stack(catalog, who.role, who.have, who.want)
    return synthetic_market.market(catalog, who.role, stack)


def plan_and_gap(catalog: Catalog, who: Student, market: MarketSnapshot, past: History | None = None):
    plan = build_plan(catalog, who.role, who.have, who.want, market, past)
    gap = compute_gap(catalog, who.role, who.have, market, who.level, who.city, want=who.want, history=past)
    return plan, gap


def hard(plan: Plan, catalog: Catalog, term: Term | None = None) -> list[str]:
    return [p.skill_id for p in plan.skills if p.skill_id not in catalog.soft_ids and (term is None or p.term is term)]


@pytest.fixture(scope="module")
def seed_000(parser) -> Student:
    return student(parser, "backend", SEED_000_HAVE, SEED_000_LACK)


@pytest.fixture(scope="module")
def seed_002(parser) -> Student:
    return student(parser, "backend", SEED_002_HAVE, SEED_002_LACK)


# -- the seed students -----------------------------------------------------------------------------------


def test_seed_002_roadmap_opens_with_docker_testing_and_ci_cd(catalog, seed_002):
    assert {"python", "fastapi", "postgresql", "sql", "git"} <= set(seed_002.have)
    assert student_stack(catalog, "backend", seed_002.have, seed_002.want) == "python"
    market = market_for(catalog, seed_002)
    plan = build_plan(catalog, "backend", seed_002.have, seed_002.want, market)
    first_term = hard(plan, catalog, Term.NOW)
    assert {"docker", "ci_cd"} <= set(first_term)
    assert {"pytest", "unit_testing"} & set(first_term)
    assert set(first_term[:3]) <= {"docker", "docker_compose", "pytest", "unit_testing", "ci_cd"}
    # His message brokers wait: he put them last, and so does the plan.
    assert not {"kafka", "rabbitmq", "message_brokers"} & set(first_term)
    assert len(list(plan.items(catalog))) <= TERM_ITEMS


@pytest.mark.parametrize("whole_role", [False, True])
def test_seed_002_never_sees_java_go_or_php(catalog, seed_002, whole_role):
    # Even on the whole role's market (the storage's snapshot for no stack), his stack keeps other stacks out.
    market = market_for(catalog, seed_002, whole_role)
    assert market.demand("java") > 0 if whole_role else market.demand("java") == 0
    plan, gap = plan_and_gap(catalog, seed_002, market)
    shown = {p.skill_id for p in plan.skills} | {p.ref for p in plan.skills}
    shown |= {d.ref for d in gap.lack} | {d.skill_id for d in gap.lack} | {d.ref for d in gap.surprising}
    shown |= set(gap.in_both) | set(gap.almost_every)
    assert not shown & NOT_PYTHON, shown & NOT_PYTHON
    # The parser reads his heading "Testing:" as JUnit: a named lack of another stack is set apart, not planned.
    assert "junit" in seed_002.want and gap.stack == "python"
    assert "junit" in rank(catalog, "backend", seed_002.have, market, seed_002.want).elsewhere
    for match in gap.best_postings:
        assert match.posting.stack in (None, "python")
    assert {s.stack_id for s in gap.other_stacks} >= ({"java", "php", "go"} if whole_role else set())


def test_seed_002_fastapi_student_is_not_sent_to_django(catalog, seed_002):
    market = market_for(catalog, seed_002)
    assert market.demand("django") > market.demand("fastapi") > 0  # the market asks for Django more
    plan, gap = plan_and_gap(catalog, seed_002, market)
    assert "py_web" in gap.core_have  # FastAPI is a Python web framework
    planned = {p.skill_id for p in plan.skills}
    assert not planned & {"django", "flask", "drf"}  # DRF is built on the framework he did not take
    assert "py_web" not in {d.ref for d in gap.lack}


def test_seed_000_first_term_holds_git_and_postgresql(catalog, seed_000):
    assert set(seed_000.have) == {"python", "sql", "rest_api"}
    assert list(seed_000.want) == ["oauth", "git", "github", "postgresql"]  # REST is had already
    market = market_for(catalog, seed_000)
    plan, gap = plan_and_gap(catalog, seed_000, market)
    first_term = hard(plan, catalog, Term.NOW)
    assert {"git", "postgresql"} <= set(first_term)
    order = hard(plan, catalog)
    assert order.index("oauth") < 6 and order.index("github") < 6
    # Git, typed as a lack and core for the role, is named in the gap report, first.
    assert gap.lack[0].skill_id == "git" and gap.lack[0].named and gap.lack[0].core
    assert {d.skill_id for d in gap.named} == {"git", "postgresql", "oauth", "github"}
    assert {d.skill_id for d in gap.named} <= {d.skill_id for d in gap.shown()}
    assert next(p for p in plan.skills if p.skill_id == "oauth").reason is Reason.WANTED
    # HTTP comes with REST: nothing about raw sockets before what he asked for.
    assert "http" not in order and "networking" not in order[:6]


def test_seed_000_items_assume_nothing_he_does_not_learn_first(catalog, seed_000):
    neutral = with_neutral_wordings(catalog)
    market = market_for(neutral, seed_000)
    plan = build_plan(neutral, "backend", seed_000.have, seed_000.want, market)
    # "Connect a FastAPI app to PostgreSQL through SQLAlchemy" is not his: he learns neither first.
    assert plan.unmet(neutral, "postgresql", 3) == {"fastapi", "sqlalchemy"}
    assert plan.wording(neutral, "postgresql", 3).en.startswith("Neutral:")
    assert plan.wording(neutral, "postgresql", 0) == neutral.skill("postgresql").actions[0]


def test_the_gap_report_lists_gaps_in_the_roadmaps_order(catalog, seed_000, seed_002, parser):
    react = student(parser, "frontend", "HTML, CSS, JavaScript, React", "Jest, Next.js")
    devops = student(parser, "devops", "Linux, Docker, Git", "Kubernetes, AWS")
    for who in (seed_000, seed_002, react, devops):
        for want in (who.want, frozenset(who.want)):  # typed in order, or stored as a set
            who_now = dataclasses.replace(who, want=want)
            market = market_for(catalog, who_now)
            plan, gap = plan_and_gap(catalog, who_now, market)
            from_gap = [d.skill_id for d in gap.lack if not d.soft]
            assert from_gap == hard(plan, catalog), who
            refs = [p.ref for p in plan.skills if p.skill_id not in catalog.soft_ids]
            assert [d.ref for d in gap.lack if not d.soft] == refs


# -- stacks and alternatives -----------------------------------------------------------------------------


def test_a_react_student_is_never_sent_to_vue_or_angular(catalog, parser):
    react = student(parser, "frontend", "HTML, CSS, JavaScript, React", "")
    assert student_stack(catalog, "frontend", react.have) == "react"
    market = market_for(catalog, react)
    plan, gap = plan_and_gap(catalog, react, market)
    other = {"vue", "angular", "svelte", "nuxt", "pinia", "rxjs"}
    assert not other & ({p.skill_id for p in plan.skills} | {d.ref for d in gap.lack} | {d.ref for d in gap.surprising})
    assert "js_framework" in gap.core_have
    assert {"Vue", "Angular"} == {s.name for s in gap.other_stacks}
    # A frontend student with no framework yet learns one of them, the market's favourite.
    fresh = student(parser, "frontend", "HTML, CSS, JavaScript", "")
    plan, gap = plan_and_gap(catalog, fresh, market_for(catalog, fresh))
    frameworks = [d for d in gap.lack if d.ref == "js_framework"]
    assert len(frameworks) == 1 and frameworks[0].skill_id == "react"
    assert [p.skill_id for p in plan.skills if p.skill_id in {"react", "vue", "angular", "svelte"}] == ["react"]


def test_a_devops_student_sees_one_of_the_clouds_once(catalog, parser):
    devops = student(parser, "devops", "Linux, Docker, Git, Bash, CI/CD, Kubernetes", "")
    market = market_for(catalog, devops)
    plan, gap = plan_and_gap(catalog, devops, market)
    clouds = {"aws", "gcp", "azure", "yandex_cloud"}
    assert [d.ref for d in gap.lack].count("cloud") == 1
    assert not clouds & {d.ref for d in gap.lack}
    assert {"AWS", "Google Cloud", "Microsoft Azure"} <= set(catalog.ref_name("cloud", "en").split(" / "))
    assert len(clouds & {p.skill_id for p in plan.skills}) == 1
    assert not clouds & {d.ref for d in gap.surprising}
    # A student with one cloud has them all.
    with_gcp = dataclasses.replace(devops, have=(*devops.have, "gcp"))
    plan, gap = plan_and_gap(catalog, with_gcp, market)
    assert "cloud" in gap.core_have or "cloud" not in {d.ref for d in gap.lack}
    assert not clouds & {p.skill_id for p in plan.skills}


def test_a_named_member_of_a_group_is_the_one_learned(catalog, parser):
    devops = student(parser, "devops", "Linux, Docker, Git", "Azure")
    market = market_for(catalog, devops)
    assert market.demand("aws") > market.demand("azure")
    _, gap = plan_and_gap(catalog, devops, market)
    cloud = next(d for d in gap.lack if d.ref == "cloud")
    assert cloud.skill_id == "azure" and cloud.named
    assert gap.lack[0].ref == "cloud_computing" or gap.lack[0].ref == "cloud"  # named first, prerequisite before


def test_prerequisites_come_right_before_what_needs_them(catalog, parser):
    for text in ("", "Python", "Git", "SQL, Linux"):
        who = student(parser, "backend", text, "GitHub Actions, Kafka")
        plan, _ = plan_and_gap(catalog, who, market_for(catalog, who))
        order = [p.skill_id for p in plan.skills]
        known = catalog.implied(who.have)
        for i, planned in enumerate(plan.skills):
            for required in catalog.skill(planned.skill_id).requires:
                if required in known:
                    assert required not in order  # what the student implies is never planned
                else:
                    assert order.index(required) < i, (required, planned.skill_id)
            if planned.needed_by:
                assert planned.reason is Reason.PREREQUISITE or planned.reason in (Reason.CORE, Reason.NICE)


def test_a_core_skill_needed_first_keeps_its_core_label(catalog, parser):
    who = student(parser, "backend", "Python, SQL", "Kubernetes")
    plan, _ = plan_and_gap(catalog, who, market_for(catalog, who))
    reasons = {p.skill_id: p.reason for p in plan.skills}
    assert reasons["docker"] is Reason.CORE  # placed before Kubernetes, which needs it, but core in its own right
    order = [p.skill_id for p in plan.skills]
    assert order.index("docker") < order.index("kubernetes")


def test_named_lacks_come_first_then_core_then_asked_nice(catalog, parser):
    who = student(parser, "backend", "Python, FastAPI", "Redis")
    market = market_for(catalog, who)
    _, gap = plan_and_gap(catalog, who, market)
    assert gap.lack[0].skill_id == "redis"
    reasons = [d.reason for d in gap.lack if d.reason is not Reason.PREREQUISITE and not d.named]
    assert reasons == sorted(reasons, key=[Reason.CORE, Reason.NICE].index)
    core = [d for d in gap.lack if d.reason is Reason.CORE and not d.needed_by]  # not moved up as a prerequisite
    assert [d.share for d in core] == sorted((d.share for d in core), reverse=True)
    assert next(d for d in gap.lack if d.skill_id == "sql").needed_by == "postgresql"
    nice = [d for d in gap.lack if d.reason is Reason.NICE and not d.needed_by]
    assert nice and all(d.postings > 0 for d in nice)  # only what the postings ask for
    assert [d.share for d in nice] == sorted((d.share for d in nice), reverse=True)


def test_the_students_own_order_decides_among_their_lacks(catalog):
    market = synthetic_market.market(catalog, "backend", "python")
    first = build_plan(catalog, "backend", ["python"], ["celery", "asyncio"], market)
    second = build_plan(catalog, "backend", ["python"], ["asyncio", "celery"], market)
    assert [p.skill_id for p in first.skills[:2]] == ["celery", "asyncio"]
    assert [p.skill_id for p in second.skills[:2]] == ["asyncio", "celery"]
    # ... but a core skill they named comes before a nice one, whatever the order.
    third = build_plan(catalog, "backend", ["python"], ["celery", "docker"], market)
    assert [p.skill_id for p in third.skills[:2]] == ["docker", "celery"]


# -- the first term and the backlog ----------------------------------------------------------------------


def role_markets(catalog: Catalog):
    """Every role × (no stack, each stack) with a market: the synthetic one where there is one, else a market
    built from the role's own profile (and an empty one)."""
    for role in catalog.roles.values():
        for stack in (None, *(s.id for s in role.stacks)):
            if role.id in synthetic_market.SPECS:
                yield role.id, stack, synthetic_market.market(catalog, role.id, stack)
            else:
                yield role.id, stack, profile_market(catalog, role.id, stack)
                yield role.id, stack, snapshot_from_postings(catalog, role.id, stack, [])


def profile_market(catalog: Catalog, role_id: str, stack: str | None) -> MarketSnapshot:
    from coach.market import PostingView

    core, nice = catalog.role(role_id).profile(stack)
    views = []
    for i in range(20):
        skills = {catalog.members(ref)[0] for ref in core[: 3 + i % 5]}
        skills |= {catalog.members(ref)[-1] for ref in nice[i % 3 :: 3]}
        views.append(PostingView(i, "x", None, frozenset(skills), level="junior", stack=stack))
    return snapshot_from_postings(catalog, role_id, stack, views)


def test_a_first_term_is_three_to_five_skills_and_at_most_twenty_items(catalog):
    checked = 0
    for role_id, stack, market in role_markets(catalog):
        role = catalog.role(role_id)
        core, nice = role.profile(stack)
        markers = list(role.stack(stack).markers[:1]) if stack else []
        skill_sets = [
            (markers, []),
            ([*markers, *(catalog.members(r)[0] for r in core[:2])], []),
            ([*markers, *(catalog.members(r)[0] for r in core[:-1])], [catalog.members(r)[0] for r in nice[:3]]),
            ([], [catalog.members(r)[-1] for r in (*nice, *core)]),
        ]
        for have, want in skill_sets:
            plan = build_plan(catalog, role_id, have, want, market)
            items = list(plan.items(catalog))
            term_hard = hard(plan, catalog, Term.NOW)
            all_hard = hard(plan, catalog)
            assert len(items) <= TERM_ITEMS, (role_id, stack, have, want)
            assert min(3, len(all_hard)) <= len(term_hard) <= TERM_SKILLS, (role_id, stack, have)
            assert all_hard[: len(term_hard)] == term_hard  # the term is the head of the ranking
            assert len([p for p in plan.skills if p.term is Term.SOFT]) <= 1
            planned = [p.skill_id for p in plan.skills]
            assert len(planned) == len(set(planned))
            assert not set(planned) & catalog.implied(have)
            assert {sid for sid, _ in items} == {p.skill_id for p in plan.term}
            checked += 1
    assert checked > 100


def test_the_term_practises_one_soft_skill_within_the_twenty_items(catalog, seed_002):
    market = market_for(catalog, seed_002)
    plan = build_plan(catalog, "backend", seed_002.have, seed_002.want, market)
    soft = [p for p in plan.skills if p.term is Term.SOFT]
    assert len(soft) == 1 and soft[0].skill_id in catalog.soft_ids
    assert any(sid == soft[0].skill_id for sid, _ in plan.items(catalog))  # it has action items
    # A student who names a soft skill practises that one.
    plan = build_plan(catalog, "backend", seed_002.have, [*seed_002.want, "estimation"], market)
    assert [p.skill_id for p in plan.skills if p.term is Term.SOFT] == ["estimation"]
    assert len(list(plan.items(catalog))) <= TERM_ITEMS


def stored(plan: Plan, catalog: Catalog, start: int = 0) -> list[Item]:
    return [Item(start + n, sid, no, start + n, ItemState.OPEN) for n, (sid, no) in enumerate(plan.items(catalog))]


def settle(items: list[Item], state: ItemState, skills: set[str] | None = None) -> list[Item]:
    return [dataclasses.replace(i, state=state) if skills is None or i.skill_id in skills else i for i in items]


def test_a_term_stays_until_settled_then_the_next_skills_are_promoted(catalog, seed_002):
    market = market_for(catalog, seed_002)

    def plan_for(items: list[Item]) -> Plan:
        return build_plan(catalog, "backend", seed_002.have, seed_002.want, market, history(items))

    first = plan_for([])
    items = stored(first, catalog)
    term = [p.skill_id for p in first.term]
    # Docker done, the rest open: the term in progress is kept as it is.
    items = settle(items, ItemState.DONE, {"docker"})
    middle = plan_for(items)
    assert [p.skill_id for p in middle.term] == [sid for sid in term if sid != "docker"]
    assert set(middle.items(catalog)) <= {(i.skill_id, i.action_no) for i in items}
    assert "docker" not in {p.skill_id for p in middle.skills}  # acquired
    # Everything settled (one skill skipped): the next skills are promoted from the backlog.
    needed = {req for sid in term for req in catalog.skill(sid).requires}
    skipped = next(sid for sid in term[1:] if sid not in needed and sid not in catalog.soft_ids)
    items = settle(settle(items, ItemState.DONE), ItemState.SKIPPED, {skipped})
    past = history(items)
    assert past.settled and skipped in past.skipped
    second = plan_for(items)
    second_term = [p.skill_id for p in second.term]
    assert not set(second_term) & set(term)
    assert hard(second, catalog, Term.NOW) == [p.skill_id for p in first.backlog if p.skill_id not in
                                               catalog.soft_ids][: len(hard(second, catalog, Term.NOW))]  # fmt: skip
    assert skipped not in {p.skill_id for p in second.skills} and catalog.ref_of(skipped) in second.skipped
    assert len(list(second.items(catalog))) <= TERM_ITEMS
    # A pure function: the same inputs give the same plan.
    assert plan_for(items) == second


def test_backlog_holds_names_only_and_every_gap(catalog, seed_000):
    market = market_for(catalog, seed_000)
    plan, gap = plan_and_gap(catalog, seed_000, market)
    assert plan.backlog and all(p.term is Term.LATER for p in plan.backlog)
    assert not {p.skill_id for p in plan.backlog} & {sid for sid, _ in plan.items(catalog)}
    assert {d.skill_id for d in gap.lack} <= {p.skill_id for p in plan.skills}


# -- wording ---------------------------------------------------------------------------------------------


def with_neutral_wordings(catalog: Catalog) -> Catalog:
    """The catalog as its writers are making it: an `alt` on every item whose main wording assumes a tool."""
    skills = {}
    for sid, skill in catalog.skills.items():
        actions = tuple(
            action.model_copy(update={"alt": Text(en=f"Neutral: {action.en}", ru=f"Нейтрально: {action.ru}")})
            if catalog.action_needs(sid, n)
            else action
            for n, action in enumerate(skill.actions)
        )
        skills[sid] = skill.model_copy(update={"actions": actions})
    return dataclasses.replace(catalog, skills=MappingProxyType(skills))


def test_no_shown_item_assumes_a_tool_the_student_does_not_learn_first(catalog, parser):
    neutral = with_neutral_wordings(catalog)
    students = [
        student(parser, "backend", SEED_000_HAVE, SEED_000_LACK),
        student(parser, "backend", SEED_002_HAVE, SEED_002_LACK),
        student(parser, "backend", "Java", ""),
        student(parser, "frontend", "HTML, CSS", ""),
        student(parser, "devops", "Linux", "Terraform"),
        student(parser, "backend", "", ""),
    ]
    alt_shown = 0
    for who in students:
        plan = build_plan(neutral, who.role, who.have, who.want, market_for(neutral, who))
        learned = set(neutral.implied(who.have))
        for planned in plan.term:
            for no, action in enumerate(neutral.skill(planned.skill_id).actions):
                text = plan.wording(neutral, planned.skill_id, no)
                if text.en.startswith("Neutral:"):
                    alt_shown += 1
                    continue
                cover = neutral.implied(learned)
                for need in neutral.action_needs(planned.skill_id, no):
                    assert neutral.covered(neutral.ref_of(need), cover), (who.role, planned.skill_id, action.en)
            learned.add(planned.skill_id)
    assert alt_shown  # the check has teeth: some items needed their neutral wording


def test_an_item_uses_its_main_wording_once_the_tool_is_learned_earlier(catalog):
    neutral = with_neutral_wordings(catalog)
    market = synthetic_market.market(neutral, "backend", "python")
    # Docker's first item containerises a FastAPI app: fine for a FastAPI (or Django: one of them) student.
    for have in (["python", "fastapi"], ["python", "django"]):
        plan = build_plan(neutral, "backend", have, ["docker"], market)
        assert plan.wording(neutral, "docker", 0) == neutral.skill("docker").actions[0]
    plan = build_plan(neutral, "backend", ["python", "sql"], ["docker"], market)
    assert plan.wording(neutral, "docker", 0).en.startswith("Neutral:")
    # CI/CD's Docker image item is fine once Docker comes earlier in the plan.
    plan = build_plan(neutral, "backend", ["python", "git"], ["docker", "ci_cd"], market)
    assert [p.skill_id for p in plan.skills[:2]] == ["docker", "ci_cd"]
    assert plan.wording(neutral, "ci_cd", 1) == neutral.skill("ci_cd").actions[1]


def test_without_an_alt_the_main_wording_is_kept(catalog):
    market = synthetic_market.market(catalog, "backend", "python")
    plan = build_plan(catalog, "backend", ["python", "sql"], ["postgresql"], market)
    assert plan.unmet(catalog, "postgresql", 3)
    if catalog.skill("postgresql").actions[3].alt is None:
        assert plan.wording(catalog, "postgresql", 3) == catalog.skill("postgresql").actions[3]


# -- progress --------------------------------------------------------------------------------------------


def item(i: int, skill: str, state: ItemState, done_at: datetime | None = None) -> Item:
    return Item(i, skill, i, i, state, done_at)


def test_streak_counts_consecutive_active_weeks():
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)  # a Monday
    weeks_ago = [now - timedelta(weeks=w) for w in (0, 1, 2, 4)]
    assert streak(weeks_ago, now, ALMATY) == 3
    assert streak([now - timedelta(weeks=1), now - timedelta(weeks=2)], now, ALMATY) == 2  # this week not over yet
    assert streak([now - timedelta(weeks=2)], now, ALMATY) == 0
    assert streak([], now, ALMATY) == 0


def test_streak_uses_the_students_week_not_utc():
    # Sunday 20:00 UTC is already Monday 01:00 in Almaty (UTC+5): a new week there.
    sunday_evening_utc = datetime(2026, 11, 22, 20, tzinfo=UTC)
    monday = datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert streak([sunday_evening_utc], monday, ALMATY) == 1
    assert streak([sunday_evening_utc], monday, ZoneInfo("UTC")) == 1
    assert streak([sunday_evening_utc], monday + timedelta(days=7), ALMATY) == 1
    assert streak([sunday_evening_utc], monday + timedelta(days=7), ZoneInfo("UTC")) == 0


def test_summary_acquired_skills_and_history():
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    items = [
        item(1, "docker", ItemState.DONE, now),
        item(2, "docker", ItemState.DONE, now - timedelta(weeks=1)),
        item(3, "pytest", ItemState.DONE, now),
        item(4, "pytest", ItemState.SKIPPED),
        item(5, "redis", ItemState.OPEN),
        item(6, "celery", ItemState.SKIPPED),
        item(7, "celery", ItemState.SKIPPED),
    ]
    progress = summarize(items, now, ALMATY)
    assert (progress.done, progress.skipped, progress.total, progress.open) == (3, 3, 7, 1)
    assert progress.done_this_week == 2
    assert progress.streak_weeks == 2
    assert [(s.skill_id, s.done, s.total) for s in progress.skills][:3] == [
        ("docker", 2, 2),
        ("pytest", 1, 2),
        ("redis", 0, 1),
    ]
    assert acquired(items) == {"docker"}  # a skipped item is not a learned one
    past = history(items)
    assert past == History(acquired=frozenset({"docker"}), skipped=frozenset({"pytest", "celery"}), current=("redis",))
    assert not past.settled
    assert history(items[:4]).settled
