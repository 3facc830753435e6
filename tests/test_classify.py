"""Filing postings: role, stack and level from titles as hh.kz and hh.ru employers write them."""

from __future__ import annotations

import shutil

import pytest

from coach.catalog import CATALOG_DIR, CatalogError, load_catalog
from coach.classify import classify_posting


def role(catalog, title: str, skills=(), **kw) -> str | None:
    return classify_posting(catalog, title, skills, **kw).role_id


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # Both word orders, both languages, hyphens and spaces.
        ("Java-разработчик", ("backend", "java")),
        ("Разработчик Java", ("backend", "java")),
        ("Java Developer", ("backend", "java")),
        ("PHP-разработчик", ("backend", "php")),
        ("Разработчик Python", ("backend", "python")),
        ("Python-разработчик в команду инфраструктуры", ("backend", "python")),
        ("Golang-разработчик", ("backend", "go")),
        ("Разработчик Go (Middle)", ("backend", "go")),
        ("Ведущий разработчик бэк-энда (NodeJS)", ("backend", "nodejs")),
        ("Back-end developer (.NET)", ("backend", "dotnet")),
        ("С# разработчик", ("backend", "dotnet")),  # a Cyrillic С
        ("Backend-разработчик", ("backend", None)),
        ("Программист С++", ("backend", None)),  # C++ is no stack of ours: no stack, whatever the skills
        ("Frontend-разработчик (React)", ("frontend", "react")),
        ("Vue.js разработчик", ("frontend", "vue")),
        ("JS-программист", ("frontend", None)),
        ("Fullstack-разработчик", ("fullstack", None)),
        ("Web-программист", ("fullstack", None)),
        ("React Native разработчик", ("mobile", "react_native")),
        ("Разработчик мобильных приложений (Android)", ("mobile", "android")),
        ("iOS Developer", ("mobile", "ios")),
        ("Flutter-разработчик", ("mobile", "flutter")),
        ("Q/A engineer", ("qa", None)),
        ("Инженер по тестированию", ("qa", None)),
        ("Тестировщик мобильных приложений", ("qa", None)),
        ("QA инженер (mobile)", ("qa", None)),
        ("DevOps инженер (Мобильный оператор)", ("devops", None)),
        ("Python-разработчик (стартап в строительстве)", ("backend", "python")),  # brackets: the employer
        ("Frontend-разработчик в строительную компанию", ("frontend", None)),  # the employer's field
        ("DevOps-инженер (Linux)", ("devops", None)),
        ("SRE-инженер", ("sre", None)),
        ("Data Engineer", ("data_engineer", None)),
        ("Data Scientist", ("data_scientist", None)),
        ("Инженер машинного обучения", ("ml_engineer", None)),
        ("Администратор баз данных PostgreSQL", ("dba", None)),
        ("UI/UX дизайнер", ("uiux", None)),
        ("Продуктовый дизайнер", ("uiux", None)),
        ("Стажер Python", ("backend", "python")),  # no developer word: the technology says it
        ("Python бағдарламашы", ("backend", "python")),  # Kazakh, as some hh.kz titles are
        ("Java әзірлеуші", ("backend", "java")),
    ],
)
def test_developer_and_it_titles(catalog, title, expected):
    result = classify_posting(catalog, title, ())
    assert (result.role_id, result.stack) == expected, title


@pytest.mark.parametrize(
    "title",
    [
        "Инженер по тестированию бурового инструмента",
        "Инженер по тестированию (буровой инструмент)",  # what the job works on counts in brackets too
        "Программист (ЧПУ)",
        "Инженер-программист станков с ЧПУ",
        "Программист микроконтроллеров (embedded)",
        "Инженер-программист АСУ ТП",
        "Менеджер по продажам программного обеспечения",
        "Менеджер по продажам ИТ-решений",
        "Pre-sale инженер (информационная безопасность)",
        "Технический директор (CTO)",
        "Руководитель отдела разработки",
        "Head of QA",
        "Графический дизайнер",
        "Дизайнер интерьера",
        "Преподаватель Python в онлайн-школу",
        "Специалист по пожарной безопасности",
        "Технический писатель",
        "Инженер-электрик",
        "Бухгалтер со знанием 1С",
        "Повар",
    ],
)
def test_jobs_that_are_not_it_ones_we_coach_for(catalog, title):
    result = classify_posting(catalog, title, ("python", "sql"), professional_roles=["96"])
    assert result.role_id is None, title
    assert result.reason


@pytest.mark.parametrize(
    ("title", "not_this"),
    [
        ("Системный администратор Linux", "uiux"),  # "ux" is in "Linux"
        ("Linux-инженер", "uiux"),
        ("Мобильный системный администратор", "mobile"),  # a travelling administrator
        ("Системный аналитик (мобильные приложения)", "mobile"),
        ("Аналитик по информационной безопасности", "ml_safety"),  # "безопасность" is not AI safety
        ("Аналитик данных", "data_scientist"),  # a data analyst is a role of its own
        ("Fullstack аналитик", "fullstack"),
    ],
)
def test_no_substring_or_longest_match_traps(catalog, title, not_this):
    assert role(catalog, title) != not_this


def test_hh_professional_roles_are_a_strong_signal(catalog):
    assert role(catalog, "Инженер", professional_roles=["160"]) == "devops"
    assert role(catalog, "Специалист", professional_roles=[124]) == "qa"
    # A title naming a role wins over hh's choice; a non-IT title is skipped whatever hh says.
    assert role(catalog, "Frontend Developer", professional_roles=["104"]) == "frontend"
    assert role(catalog, "Инженер электрического цеха", professional_roles=["113"]) is None
    assert role(catalog, "Главный специалист", professional_roles=["125"]) is None  # CTO


def test_a_developer_title_without_technology_reads_the_skills(catalog):
    assert classify_posting(catalog, "Программист", ("react", "typescript")).role_id == "frontend"
    result = classify_posting(catalog, "Разработчик ПО", ("csharp", "entity_framework", "angular"))
    assert (result.role_id, result.stack) == ("backend", "dotnet")
    assert role(catalog, "Программист", ("kotlin", "android")) == "mobile"
    assert role(catalog, "Программист") == "backend"  # nothing else said: the most common developer job


def test_the_stack_comes_from_the_title_first_then_the_skills(catalog):
    android = classify_posting(catalog, "Мобильный Android разработчик", ("flutter", "dart"))
    assert android.stack == "android"
    php = classify_posting(catalog, "Backend-разработчик", ("mysql", "php", "laravel", "python"))
    assert php.stack == "php"
    tie = classify_posting(catalog, "Backend-разработчик", ("php", "python"))
    assert tie.stack is None  # as many skills of two stacks: the posting does not say


@pytest.mark.parametrize(
    ("title", "experience", "level"),
    [
        ("Senior Python Developer", None, "senior"),
        ("Middle/Senior C# разработчик", "moreThan6", "middle"),  # the lower of the two named
        ("Junior+/Middle backend разработчик", None, "junior"),
        ("Ведущий инженер-программист, мидл", None, "middle"),
        ("Стажёр-тестировщик", "between1And3", "intern"),
        ("1С разработчик (ученик)", None, "intern"),
        ("Team Lead (Java)", None, "senior"),
        ("Главный инженер-эксперт по ИБ", "between3And6", "senior"),
        ("Python developer", "between3And6", "middle"),
        ("Python developer", "noExperience", "junior"),
        ("Leader of nothing", None, None),  # "lead" only as a word
    ],
)
def test_levels(catalog, title, experience, level):
    assert classify_posting(catalog, title, (), experience=experience).level == level


def test_the_roles_kazakhstan_students_apply_for_are_filed(catalog):
    for title, expected in [
        ("Data аналитик", "data_analyst"),
        ("Аналитик данных", "data_analyst"),
        ("Системный аналитик", "system_analyst"),
        ("Бизнес-аналитик", "system_analyst"),
        ("Специалист по информационной безопасности", "infosec"),
        ("Системный администратор", "sysadmin"),
        ("Инженер технической поддержки", "sysadmin"),
        ("Программист 1С", "onec"),
        ("Разработчик 1С", "onec"),
        ("Unity-разработчик", "game_dev"),
        ("Product manager", "product_manager"),
        ("Unreal Engine developer", "game_dev"),
        ("Руководитель IT-проектов", "product_manager"),
    ]:
        assert role(catalog, title) == expected, title


def test_a_stack_word_of_a_role_gives_both_role_and_stack(catalog):
    unity = classify_posting(catalog, "Unity-разработчик", ())
    assert (unity.role_id, unity.stack) == ("game_dev", "unity")
    assert classify_posting(catalog, "Разработчик игр (UE5)", ()).stack == "unreal"


def test_families_need_evidence_to_be_it_jobs(catalog):
    c = catalog
    assert role(c, "Руководитель проектов") is None  # construction, events, sales ... or IT: not said
    assert role(c, "Руководитель проектов 1С") == "product_manager"
    assert role(c, "Менеджер проектов", ("scrum", "jira")) == "product_manager"
    assert role(c, "Менеджер проектов", ("project_management", "excel")) is None
    assert role(c, "Дизайнер") is None
    assert role(c, "Дизайнер", ("figma",)) is None  # graphic designers use Figma too
    assert role(c, "Дизайнер", ("figma", "prototyping")) == "uiux"
    assert role(c, "Веб-дизайнер") == "uiux"
    assert role(c, "Аналитик", ("bpmn", "uml")) == "system_analyst"
    assert role(c, "Аналитик", ("power_bi", "data_analysis")) == "data_analyst"
    assert role(c, "Аналитик 1С") == "system_analyst"
    assert role(c, "Аналитик", professional_roles=["148"]) == "system_analyst"
    assert role(c, "Кредитный аналитик") is None
    assert role(c, "Аналитик отдела продаж", ("sql",)) is None


# -- the rules are data, checked at start-up --------------------------------------------------------


def _catalog_with_rules(tmp_path, edit):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    rules = folder / "classify.toml"
    rules.write_text(edit(rules.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t + '\n[[role]]\nid = "wizard"\ntitles = ["wizard"]\n', "unknown roles"),
        (lambda t: t.replace('[[role]]\nid = "sre"', '[[role]]\nid = "sre_old"'), "unknown roles"),
        (
            lambda t: t.replace('id = "sre"\ntitles = ["sre", ', 'id = "sre"\nhh_roles = [160]\ntitles = ["sre", '),
            "hh professional role 160",
        ),
        (
            lambda t: t.replace("stacks = { react_native", 'stacks = { windows_phone = ["wp"], react_native'),
            "unknown stacks",
        ),
        (lambda t: t.replace('markers = ["onec"]', 'markers = ["one_c"]'), "unknown skill ids"),
        (lambda t: t.replace('default = "backend"', 'default = "uiux"'), "unknown roles"),
        (lambda t: t.replace('titles = ["sre", ', 'titles = ["—", "sre", '), "phrases without a word"),
    ],
)
def test_broken_rules_stop_the_start(tmp_path, edit, message):
    with pytest.raises(CatalogError, match=message):
        load_catalog(_catalog_with_rules(tmp_path, edit))


def test_a_catalog_role_without_rules_stops_the_start(tmp_path):
    def drop_sre(text: str) -> str:
        start = text.index('[[role]]\nid = "sre"')
        return text[:start] + text[text.index("[[role]]", start + 1) :]

    with pytest.raises(CatalogError, match="no \\[\\[role\\]\\] rules for catalog roles \\['sre'\\]"):
        load_catalog(_catalog_with_rules(tmp_path, drop_sre))
