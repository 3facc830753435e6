"""The catalog's data: complete, consistent, and written the way the market writes skills."""

from __future__ import annotations

import shutil

import pytest

from coach.catalog import CATALOG_DIR, CatalogError, Category, load_catalog, untranslated
from coach.skills import SkillParser
from coach.text import normalize

REQUIRED_ROLES = {
    "backend", "frontend", "fullstack", "mobile", "devops", "sre", "qa", "data_engineer", "data_scientist",
    "ml_engineer", "ml_safety", "gpu_infra", "dba", "uiux",
}  # fmt: skip
NEW_ROLES = {"data_analyst", "system_analyst", "infosec", "sysadmin", "onec", "game_dev", "product_manager"}


def test_has_the_required_roles_in_every_language(catalog):
    assert catalog.roles.keys() >= REQUIRED_ROLES | NEW_ROLES
    assert len(catalog.roles) >= 20
    for role in catalog.roles.values():
        assert role.name
        assert role.name_ru
        assert role.summary.en
        assert role.summary.ru
        assert role.name_kk
        assert role.summary.kk
        assert role.core
        assert role.nice
        assert catalog.modules_of(role.id), f"{role.id} belongs to no module"


def test_seeds_module_table(catalog):
    def roles(module: str) -> set[str]:
        return set(catalog.modules[module].roles)

    assert {"frontend", "uiux", "qa"} <= roles("client")
    assert {"backend", "devops"} <= roles("api_gateway")
    assert {"backend", "ml_safety"} <= roles("moderation")
    assert {"ml_engineer", "data_scientist", "gpu_infra"} <= roles("inference")
    assert {"dba", "data_engineer"} <= roles("database")
    assert {"sre", "devops"} <= roles("monitoring")


def test_has_at_least_200_skills_in_every_category(catalog):
    assert len(catalog.skills) >= 200
    assert {s.category for s in catalog.skills.values()} == set(Category)


def test_every_alias_resolves_to_exactly_one_skill(catalog):
    for skill in catalog.skills.values():
        for alias in (
            skill.name,
            skill.name_ru or skill.name,
            skill.name_kk or skill.name,
            *skill.aliases,
            *skill.aliases_kk,
        ):
            assert catalog.lookup(alias) is skill, (skill.id, alias)


def test_an_alias_naming_two_skills_is_refused(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with (folder / "skills" / "zz_clash.toml").open("w") as fh:
        fh.write('category = "practice"\n[[skill]]\nid = "clash"\nname = "Clash"\naliases = ["Postgres"]\n')
    with pytest.raises(CatalogError, match="names two skills"):
        load_catalog(folder)


def test_a_prerequisite_cycle_is_refused(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with (folder / "skills" / "zz_cycle.toml").open("w") as fh:
        fh.write(
            'category = "practice"\n'
            '[[skill]]\nid = "egg"\nname = "Egg"\nrequires = ["hen"]\n'
            '[[skill]]\nid = "hen"\nname = "Hen"\nrequires = ["egg"]\n'
        )
    with pytest.raises(CatalogError, match="cycle"):
        load_catalog(folder)


def test_an_unknown_skill_in_a_role_is_refused(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    roles = folder / "roles.toml"
    roles.write_text(roles.read_text().replace('"sql", "postgresql"', '"sql", "cobolx"', 1))
    with pytest.raises(CatalogError, match="cobolx"):
        load_catalog(folder)


def test_prerequisites_form_no_cycle_and_come_first(catalog):
    order = catalog.prerequisites_first(catalog.skills)
    position = {sid: i for i, sid in enumerate(order)}
    for skill in catalog.skills.values():
        for required in skill.requires:
            assert position[required] < position[skill.id], (required, skill.id)


def test_role_skills_and_soft_skills_have_two_to_four_action_items(catalog):
    needed = set(catalog.cross_cutting) | {s.id for s in catalog.soft_skills()}
    for role in catalog.roles.values():
        refs = [*role.core, *role.nice, *(ref for stack in role.stacks for ref in (*stack.core, *stack.nice))]
        needed |= {sid for ref in refs for sid in catalog.members(ref)}
    for sid in needed:
        actions = catalog.skills[sid].actions
        assert 2 <= len(actions) <= 4, sid
        for action in actions:
            assert action.en[0].isupper() and action.ru[0].isupper(), (sid, action)
            assert len(action.en) <= 120 and len(action.ru) <= 140, (sid, action)


def test_new_roles_are_complete_profiles(catalog):
    for role_id in NEW_ROLES:
        role = catalog.role(role_id)
        assert len(role.core) >= 4, role_id
        assert role.nice, role_id


def test_every_role_and_stack_has_core_skills_with_action_items(catalog):
    def bare(refs: tuple[str, ...]) -> list[str]:
        return [sid for ref in refs for sid in catalog.members(ref) if not catalog.skills[sid].actions]

    for role in catalog.roles.values():
        assert role.core and not bare(role.core), role.id
        for stack in role.stacks:
            assert stack.core and not bare(stack.core), (role.id, stack.id)


def test_every_action_naming_another_tool_has_a_neutral_wording(catalog):
    """Where the main wording assumes a tool beyond the skill, its group and its prerequisites, `alt` says the
    same without it, so a student who neither has nor learns that tool can still do the item."""
    for skill in catalog.skills.values():
        own = {skill.id, *catalog.implied(skill.requires), *catalog.members(catalog.ref_of(skill.id))}
        for number, action in enumerate(skill.actions):
            assert set(action.assumes or ()) <= catalog.skills.keys(), (skill.id, number, action.assumes)
            if catalog.action_needs(skill.id, number):
                assert action.alt is not None, (skill.id, number, action.en)
            if action.alt is not None:
                assert not catalog.mentions(action.alt.en) - own, (skill.id, number, action.alt.en)
                assert action.alt.en[0].isupper() and action.alt.ru[0].isupper(), (skill.id, number)
                assert len(action.alt.en) <= 120 and len(action.alt.ru) <= 140, (skill.id, number)


def test_a_python_student_asking_for_docker_pytest_and_ci_gets_no_network_basics_first(catalog):
    """Only hard prerequisites are inserted: the soft ones once put "Split a /24 network" before Docker."""
    order = catalog.prerequisites_first(["docker", "pytest", "ci_cd"])
    assert set(order) == {"docker", "pytest", "python", "ci_cd", "git"}


@pytest.mark.parametrize(
    ("skill_id", "not_required"),
    [
        ("docker", "linux"),
        ("http", "networking"),
        ("information_security", "networking"),
        ("graphql", "http"),
        ("aws", "cloud_computing"),
        ("prometheus", "monitoring"),
        ("selenium", "test_automation"),
        ("machine_learning", "statistics"),
    ],
)
def test_soft_prerequisites_are_not_required(catalog, skill_id, not_required):
    assert not_required not in catalog.implied(catalog.skill(skill_id).requires)


def test_cross_cutting_and_soft_skills_from_the_brief(catalog):
    assert set(catalog.cross_cutting) == {"git", "linux", "docker", "http", "networking", "english"}
    soft = {s.id for s in catalog.soft_skills()}
    assert {"code_review", "pair_programming", "open_source", "technical_writing", "estimation"} <= soft


@pytest.mark.parametrize(
    ("written", "skill_id"),
    [
        ("Golang", "go"),
        ("ООП", "oop"),
        ("Английский язык", "english"),
        ("CI\\CD", "ci_cd"),
        ("Django Rest Framework", "drf"),
        ("MS SQL", "mssql"),
        ("k8s", "kubernetes"),
        ("Postgres", "postgresql"),
        ("С++", "cpp"),  # Cyrillic С, as Russian keyboards type it
        ("1С: Предприятие 8", "onec"),
        ("1С:ЗУП", "onec_configs"),
        ("ERP-системы на базе 1С", "onec_configs"),
        ("СКД", "onec_skd"),
        ("Системный анализ", "system_analysis"),
        ("Постановка задач разработчикам", "system_analysis"),
        ("Администрирование сетевого оборудования", "network_equipment"),
        ("Техническая поддержка пользователей", "tech_support"),
        ("Настройка ПК", "tech_support"),
        ("Hyper-V", "hyper_v"),
        ("Сканирование уязвимостей", "vuln_management"),
        ("Средства защиты информации", "security_tools"),
        ("Unity3D", "unity"),
        ("Управленческая отчётность", "reporting"),
    ],
)
def test_hh_key_skills_spellings(catalog, written, skill_id):
    assert catalog.lookup(written).id == skill_id


def test_sample_postings_are_the_seven_from_the_seeds(catalog):
    companies = {p.company for p in catalog.sample_postings}
    assert companies == {"SOMNIUM", "Exness", "Kolesa Group", "Chocofamily", "Bank CenterCredit", "Technodom", "Kaspi"}
    kolesa = next(p for p in catalog.sample_postings if p.company == "Kolesa Group")
    assert (kolesa.salary_from, kolesa.salary_to, kolesa.currency) == (800_000, 1_200_000, "KZT")


def test_salary_facts_from_the_seeds(catalog):
    facts = catalog.salary
    assert facts.currency == "KZT"
    assert (facts.levels["senior"].low, facts.levels["senior"].high) == (1_800_000, 3_500_000)
    assert facts.cities["Astana"]["middle"].high == 2_200_000
    docker_lift = next(lift for lift in facts.lifts if "docker" in lift.skills)
    assert (docker_lift.low, docker_lift.high) == (15, 20)


def test_normalize_keeps_symbols_that_make_a_different_skill():
    assert normalize("  C++ ") == "c++"
    assert normalize("C#") == "c#"
    assert normalize(".NET") == ".net"
    assert normalize("«Git».") == "git"
    assert normalize("Ёжик   Сервер") == "ежик сервер"
    assert normalize("PostgreSQL®") == "postgresql"


# -- Kazakh ------------------------------------------------------------------------------------------------

_KAZAKH_LETTERS = set("әғқңөұүһі")


def test_names_a_student_picks_from_are_in_kazakh(catalog):
    """Roles, modules, groups and cities have Kazakh names written in Kazakh, not copies of the Russian ones."""
    names = [(r.name_kk, r.name_ru) for r in catalog.roles.values()]
    names += [(m.name.kk, m.name.ru) for m in catalog.modules.values()]
    names += [(g.name.kk, g.name.ru) for g in catalog.groups.values()]
    names += [(c.name_kk, c.name_ru) for c in catalog.cities]
    assert all(kk for kk, _ in names)
    # Some are the same ("Алматы", "Мониторинг", "SRE-инженер"); most are not.
    assert sum(kk != ru for kk, ru in names) >= 2 / 3 * len(names)
    assert sum(bool(_KAZAKH_LETTERS & set(kk.casefold())) for kk, _ in names) >= 0.5 * len(names)
    assert catalog.city("Қарағанды").id == "karaganda"
    assert catalog.city("Алматы").display("kk") == "Алматы"


def test_every_skill_with_a_russian_name_has_a_kazakh_one(catalog):
    assert not [s.id for s in catalog.skills.values() if s.name_ru and not s.name_kk]
    assert catalog.skill("algorithms").display("kk") == "Алгоритмдер"
    assert catalog.skill("docker").display("kk") == "Docker"  # a tool keeps its name


def test_kazakh_names_are_aliases_of_their_skill(catalog):
    assert catalog.lookup("Ағылшын тілі").id == "english"
    assert catalog.lookup("Деректер қоры").id == "sql"


def test_every_text_a_student_reads_exists_in_kazakh(catalog):
    assert untranslated(catalog) == []


def test_kazakh_action_items_are_written_in_kazakh(catalog):
    """Each item and neutral wording is its own Kazakh text: not the Russian copied, not starting with a lower-case
    word (a tool's own name may: "asyncio.gather ..."), as short as the Russian ones, and written with the letters
    of Kazakh."""
    texts = [(a, sid) for sid, s in catalog.skills.items() for a in (*s.actions, *(x.alt for x in s.actions if x.alt))]
    for text, sid in texts:
        assert text.kk != text.ru, (sid, text.kk)
        assert not text.kk[0].isalpha() or text.kk[0].isupper() or text.kk[0].isascii(), (sid, text.kk)
        assert len(text.kk) <= 140, (sid, text.kk)
    assert sum(bool(_KAZAKH_LETTERS & set(t.kk.casefold())) for t, _ in texts) >= 0.95 * len(texts)


def test_a_missing_kazakh_text_is_reported(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    cities = folder / "cities.toml"
    cities.write_text(cities.read_text().replace('name_kk = "Қарағанды"\n', ""))
    groups = folder / "groups.toml"
    groups.write_text(groups.read_text().replace(', kk = "жария бұлт"', ""))
    skills = folder / "skills" / "devops.toml"
    skills.write_text(
        skills.read_text().replace(', kk = "Образды multi-stage жинақ және slim-негіз арқылы кішірейту"', "")
    )
    missing = set(untranslated(load_catalog(folder)))
    assert missing == {"city karaganda: name_kk", "group cloud: name.kk", "skill docker: action 1 kk"}


def test_the_market_fingerprint_ignores_names(tmp_path, catalog):
    """Market aggregates are recounted when the fingerprint changes: translating names must not do that."""
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    for path in [folder / "groups.toml", folder / "roles.toml"]:
        path.write_text("\n".join(line for line in path.read_text().splitlines() if "name_kk" not in line) + "\n")
    assert load_catalog(folder).market_fingerprint == catalog.market_fingerprint


def test_kazakh_aliases_name_one_skill_and_parse_back(catalog):
    parser = SkillParser(catalog)
    for skill in catalog.skills.values():
        for alias in skill.aliases_kk:
            assert parser.parse(alias).recognized == (skill.id,), (skill.id, alias)
