"""Free text → skills, as students and postings really write them."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.skills import CONCEPT_CATEGORIES, MAX_FRAGMENT_CHARS, MAX_UNKNOWN, ParseResult, SkillParser


def ids(parser: SkillParser, text: str) -> list[str]:
    return list(parser.parse(text).recognized)


# -- the issue's own examples --------------------------------------------------------------------


def test_the_maintainers_example(parser):
    result = parser.parse("Basic Python, PosgreSQL, Go/Python")
    assert result.recognized == ("python", "postgresql", "go")
    assert result.unknown == ()


def test_parentheses_name_more_skills(parser):
    assert ids(parser, "Django (DRF)") == ["django", "drf"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Go/Python", ["go", "python"]),
        ("Docker & Docker Compose", ["docker", "docker_compose"]),
        ("JS/TS", ["javascript", "typescript"]),
        ("Python; SQL | Git", ["python", "sql", "git"]),
        ("Python and SQL", ["python", "sql"]),
        ("Python и SQL", ["python", "sql"]),
        ("Python\nSQL\nGit", ["python", "sql", "git"]),
        ("RabbitMQ/Kafka", ["rabbitmq", "kafka"]),
        ("FastAPI/Django", ["fastapi", "django"]),
        ("Docker/Kubernetes", ["docker", "kubernetes"]),
        ("Git & GitHub", ["git", "github"]),
        ("HTTP/REST", ["http", "rest_api"]),
    ],
)
def test_lists_and_compounds_are_split(parser, text, expected):
    assert ids(parser, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("basic Python", ["python"]),
        ("understanding of REST APIs", ["rest_api"]),
        ("основы SQL", ["sql"]),
        ("знание Git", ["git"]),
        ("опыт работы с Docker", ["docker"]),
        ("Linux basics", ["linux"]),
        ("Python fundamentals", ["python"]),
        ("Deep knowledge of Docker", ["docker"]),
        ("уверенное владение Python", ["python"]),
        ("English B2", ["english"]),
        ("Английский — B2", ["english"]),
        ("2+ years experience with Django", ["django"]),
    ],
)
def test_filler_words_are_dropped(parser, text, expected):
    result = parser.parse(text)
    assert list(result.recognized) == expected
    assert result.unknown == ()


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("PosgreSQL", "postgresql"),
        ("Postgress", "postgresql"),
        ("Pyhton", "python"),
        ("Pyton", "python"),
        ("Dokcer", "docker"),
        ("Kubernets", "kubernetes"),
        ("Javascipt", "javascript"),
        ("Djnago", "django"),
        ("Typescipt", "typescript"),
    ],
)
def test_typos_are_forgiven(parser, typo, expected):
    assert ids(parser, typo) == [expected]


@pytest.mark.parametrize("word", ["reach", "string", "sigma", "linus", "scrub", "banana", "hello world", "Rusty"])
def test_unrelated_words_are_not_turned_into_skills(parser, word):
    result = parser.parse(word)
    assert result.recognized == ()
    assert result.unknown == (word,)


# -- the seeds: the students' own lists ----------------------------------------------------------


def test_seed_one_have_and_lack(parser):
    have = parser.parse("Basic Python, SQL, and understanding of REST APIs.")
    assert have.recognized == ("python", "sql", "rest_api")
    assert have.unknown == ()
    lack = parser.parse("REST,  OAuth,  Git,  GitHub,  PosgreSQL")
    assert lack.recognized == ("rest_api", "oauth", "git", "github", "postgresql")
    assert lack.unknown == ()


def test_seed_one_postings(parser):
    assert ids(parser, "Python, Django (DRF), PostgreSQL") == ["python", "django", "postgresql", "drf"]
    assert ids(parser, "Go/Python, Clickhouse, MongoDB, Cassandra") == [
        "go", "python", "clickhouse", "mongodb", "cassandra"
    ]  # fmt: skip


def test_seed_two_have(parser):
    text = """* **Python:** Advanced usage, OOP.
* **Relational Databases:** PostgreSQL, SQL queries.
* **Frameworks:** FastAPI.
* **Version Control:** Git (Basic usage)."""
    recognized = set(ids(parser, text))
    assert {"python", "oop", "postgresql", "sql", "fastapi", "git"} <= recognized


def test_seed_two_lack(parser):
    text = """* **Testing:** Pytest, Unit testing.
* **Containerization:** Deep knowledge of Docker & Docker Compose.
* **CI/CD:** GitHub Actions pipelines.
* **Message Brokers:** RabbitMQ/Kafka."""
    recognized = set(ids(parser, text))
    assert {
        "pytest",
        "unit_testing",
        "docker",
        "docker_compose",
        "ci_cd",
        "github_actions",
        "rabbitmq",
        "kafka",
    } <= recognized


def test_seed_two_postings_requirements(parser):
    assert set(ids(parser, "Docker/Kubernetes, Redis, Microservices architecture")) == {
        "docker", "kubernetes", "redis", "microservices"
    }  # fmt: skip
    assert set(ids(parser, "SQL optimization, Linux basics, REST API")) == {"query_optimization", "linux", "rest_api"}
    assert set(ids(parser, "Algorithms, REST API, Python fundamentals")) == {"algorithms", "rest_api", "python"}


def test_seed_cross_cutting_and_soft_skills(parser):
    assert set(ids(parser, "Git, Basic Linux usage, Docker, Network Fundamentals")) == {
        "git", "linux", "docker", "networking"
    }  # fmt: skip
    soft = "Code review culture, Time estimation, Team collaboration, Stakeholder communication"
    assert set(ids(parser, soft)) == {"code_review", "estimation", "teamwork", "stakeholder_comms"}


# -- real-world spellings (hh.kz / hh.ru key skills and students' lists) --------------------------

REAL_WORLD = [
    ("Golang", "go"), ("GoLang", "go"), ("ООП", "oop"), ("Английский язык", "english"),
    ("английский", "english"), ("CI\\CD", "ci_cd"), ("CI/CD", "ci_cd"), ("Django Rest Framework", "drf"),
    ("MS SQL", "mssql"), ("MS SQL Server", "mssql"), ("T-SQL", "mssql"), ("PostgreSQL", "postgresql"),
    ("Postgres", "postgresql"), ("postgre", "postgresql"), ("JS", "javascript"), ("ES6", "javascript"),
    ("TS", "typescript"), ("React.js", "react"), ("ReactJS", "react"), ("Vue.js", "vue"),
    ("Node.js", "nodejs"), ("NodeJS", "nodejs"), ("C++", "cpp"), ("С++", "cpp"), ("C#", "csharp"),
    ("k8s", "kubernetes"), ("K8S", "kubernetes"), ("Docker Compose", "docker_compose"),
    ("docker-compose", "docker_compose"), ("Apache Kafka", "kafka"), ("RabbitMQ", "rabbitmq"),
    ("Redis", "redis"), ("ClickHouse", "clickhouse"), ("MongoDB", "mongodb"), ("Mongo", "mongodb"),
    ("Atlassian Jira", "jira"), ("JIRA", "jira"), ("Git", "git"), ("GitHub", "github"),
    ("GitLab CI", "gitlab_ci"), ("GitHub Actions", "github_actions"), ("Linux", "linux"),
    ("Bash", "bash"), ("Nginx", "nginx"), ("Prometheus", "prometheus"), ("Grafana", "grafana"),
    ("Terraform", "terraform"), ("Ansible", "ansible"), ("AWS", "aws"), ("REST", "rest_api"),
    ("RESTful API", "rest_api"), ("REST API", "rest_api"), ("GraphQL", "graphql"), ("gRPC", "grpc"),
    ("Микросервисная архитектура", "microservices"), ("Работа в команде", "teamwork"),
    ("Юнит-тесты", "unit_testing"), ("Unit Testing", "unit_testing"), ("Pytest", "pytest"),
    ("Ручное тестирование", "manual_testing"), ("Нагрузочное тестирование", "load_testing"),
    ("Postman", "api_testing"), ("Selenium", "selenium"), ("HTML5", "html"), ("CSS3", "css"),
    ("SCSS", "sass"), ("Tailwind CSS", "tailwind"), ("Next.js", "nextjs"), ("Figma", "figma"),
    ("Pandas", "pandas"), ("NumPy", "numpy"), ("Scikit-learn", "scikit_learn"), ("sklearn", "scikit_learn"),
    ("PyTorch", "pytorch"), ("TensorFlow", "tensorflow"), ("Apache Airflow", "airflow"),
    ("Apache Spark", "spark"), ("PySpark", "spark"), ("Power BI", "power_bi"), ("Machine Learning", "machine_learning"),
    ("Машинное обучение", "machine_learning"), ("Алгоритмы", "algorithms"), ("Структуры данных", "data_structures"),
    ("Компьютерные сети", "networking"), ("TCP/IP", "networking"), ("HTTPS", "http"), ("Kotlin", "kotlin"),
    ("Swift", "swift"), ("Flutter", "flutter"), ("Jetpack Compose", "jetpack_compose"), ("SwiftUI", "swiftui"),
    ("Code Review", "code_review"), ("Код-ревью", "code_review"), ("Scrum", "scrum"), ("Agile", "agile"),
]  # fmt: skip


@pytest.mark.parametrize(("written", "skill_id"), REAL_WORLD)
def test_real_world_spellings(parser, written, skill_id):
    result = parser.parse(written)
    assert result.recognized == (skill_id,), (written, result)


def test_there_are_fifty_plus_real_world_spellings():
    assert len(REAL_WORLD) >= 50


def test_a_real_hh_key_skills_list(parser):
    text = "Python, Django Framework, PostgreSQL, Git, Docker, Redis, Celery, Linux, REST, ООП, Английский язык"
    result = parser.parse(text)
    assert set(result.recognized) == {
        "python", "django", "postgresql", "git", "docker", "redis", "celery", "linux", "rest_api", "oop", "english"
    }  # fmt: skip
    assert result.unknown == ()


def test_known_skills_inside_a_phrase_are_found(parser):
    assert "sql" in ids(parser, "writing SQL queries every day")
    assert "github_actions" in ids(parser, "pipelines in GitHub Actions")


def test_unknown_fragments_are_reported_as_written(parser):
    result = parser.parse("Python, Underwater Basket Weaving, SQL")
    assert result.recognized == ("python", "sql")
    assert result.unknown == ("Underwater Basket Weaving",)


def test_each_skill_is_reported_once_in_order_of_first_mention(parser):
    assert ids(parser, "SQL, python, Python, PYTHON, sql") == ["sql", "python"]


def test_every_canonical_name_parses_to_its_skill(catalog, parser):
    for skill in catalog.skills.values():
        assert parser.parse(skill.name).recognized == (skill.id,), skill.name


def test_output_is_bounded_for_huge_input(parser):
    result = parser.parse(", ".join(f"thing{i} " * 20 for i in range(500)))
    assert len(result.unknown) <= MAX_UNKNOWN
    assert all(len(fragment) <= MAX_FRAGMENT_CHARS for fragment in result.unknown)


@pytest.mark.parametrize("garbage", ["", "   ", ",,,;;;", "🙂🙂🙂", "((((", "))", "/", "&&&", "\x00\x01", "a" * 10_000])
def test_garbage_never_raises(parser, garbage):
    result = parser.parse(garbage)
    assert isinstance(result.recognized, tuple)
    assert isinstance(result.unknown, tuple)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_parse_never_raises_and_only_returns_catalog_skills(parser, catalog, text):
    result = parser.parse(text)
    assert set(result.recognized) <= catalog.skills.keys()
    assert len(set(result.recognized)) == len(result.recognized)
    assert len(result.unknown) <= MAX_UNKNOWN


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_list_of_canonical_names_parses_back_to_those_skills(parser, catalog, data):
    skills = data.draw(st.lists(st.sampled_from(sorted(catalog.skills)), min_size=1, max_size=8, unique=True))
    separator = data.draw(st.sampled_from([", ", "; ", "\n", " | "]))
    text = separator.join(catalog.skills[sid].name for sid in skills)
    assert list(parser.parse(text).recognized) == skills


@pytest.mark.parametrize(
    "sentence", ["make a website", "I want to go further", "the system", "serve", "Rest in peace", "R&D"]
)
def test_everyday_words_inside_sentences_are_not_skills(parser, sentence):
    assert parser.parse(sentence).recognized == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Go developer", ["go"]),
        ("разработка на Go", ["go"]),
        ("React developer with Redux", ["react", "redux"]),
        ("язык программирования Python", ["python"]),
        ("фреймворк Django", ["django"]),
    ],
)
def test_role_and_kind_words_are_filler(parser, text, expected):
    assert ids(parser, text) == expected


def test_names_that_are_everyday_words_still_count_alone_or_in_a_list(parser):
    assert ids(parser, "Go, Make, React, Spring") == ["go", "make", "react", "spring"]


# -- false skills: another word is never "corrected" into a skill ---------------------------------


@pytest.mark.parametrize(
    ("written", "not_this"),
    [
        ("Визуализация", "virtualization"),  # two letters off a Russian word is another word
        ("Веб-программирование", "pair_programming"),  # "Моб-программирование": another first word
        ("Администрирование ОС", "db_administration"),  # "администрирование БД": another second word
        ("- query", "jquery"),  # a typo keeps the first letter
        ("Флористика", "color_theory"),  # "Колористика"
        ("AI-инструменты", "bi_tools"),  # "BI-инструменты"
        ("HR-аналитика", "bi_tools"),  # "BI-аналитика"
        ("Архитектура ИБ", "system_design"),  # "Архитектура ПО"
    ],
)
def test_a_different_word_is_not_a_typo(parser, written, not_this):
    assert not_this not in ids(parser, written)


@pytest.mark.parametrize(
    ("written", "meant"),
    [("Kuberentes", "kubernetes"), ("Jenkns", "jenkins"), ("Ansibel", "ansible"), ("Микросервсы", "microservices")],
)
def test_slips_inside_one_word_are_still_forgiven(parser, written, meant):
    assert ids(parser, written) == [meant]


@pytest.mark.parametrize(
    ("phrase", "not_this"),
    [
        ("Мотивация персонала", "initiative"),  # staff motivation, not self-motivation
        ("Антивирусная защита сети", "networking"),
        ("1С: Зарплата и управление персоналом", "leadership"),  # a 1C product, not people management
    ],
)
def test_an_everyday_russian_word_inside_a_phrase_is_not_a_skill(parser, phrase, not_this):
    assert not_this not in ids(parser, phrase)


# -- Russian inflection and versions in key skills -------------------------------------------------


@pytest.mark.parametrize(
    ("written", "skill_id"),
    [
        ("Работа с базами данных", "sql"),  # "Базы данных"
        ("Знание сетевых протоколов", "networking"),  # "Сетевые протоколы"
        ("Разработка технических заданий", "requirements"),  # "Техническое задание"
        ("Написание unit-тестов", "unit_testing"),  # "Unit-тесты"
        ("Опыт микросервисной архитектуры", "microservices"),
        ("Автоматизации тестирования", "test_automation"),
        ("PHP8", "php"),
        ("Python 3.12", "python"),
        ("Vue3", "vue"),
        ("Angular 17", "angular"),
    ],
)
def test_inflected_and_versioned_names(parser, written, skill_id):
    assert ids(parser, written) == [skill_id]


# -- prose: a vacancy's requirements, duties and description -------------------------------------


def found(parser: SkillParser, text: str) -> list[str]:
    return list(parser.find_in_text(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Знание сетевых протоколов (TCP/IP, DNS), опыт администрирования Linux", ["networking", "dns", "linux"]),
        ("Опыт автоматизации тестирования на Python", ["test_automation", "python"]),
        ("Опыт тестирования мобильных приложений", ["mobile_testing"]),
        ("Написание unit-тестов и интеграционных тестов", ["unit_testing", "integration_testing"]),
        ("Настройка и поддержка CI/CD, мониторинг в Grafana", ["ci_cd", "monitoring", "grafana"]),
        (
            "Experience with Docker and Kubernetes, CI/CD pipelines in GitLab",
            ["docker", "kubernetes", "ci_cd", "gitlab"],
        ),
        ("Знание Git, понимание ООП и SOLID", ["git", "oop", "solid"]),
        ("Английский язык не ниже B1", ["english"]),
        ("Знание C и C++", ["c", "cpp"]),
        ("Будет плюсом: React, Redux, TypeScript", ["react", "redux", "typescript"]),
        ("Опыт работы с 1С:Предприятие 8.3", ["onec"]),
        ("Разработка на <highlighttext>Go</highlighttext> и PostgreSQL", ["go", "postgresql"]),
    ],
)
def test_skills_named_in_prose(parser, text, expected):
    assert found(parser, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Работа в крупной торговой сети",  # a retail chain, not computer networks
        "Визуализация интерьеров и 3D",  # not virtualization
        "Работа с AI-инструментами",  # not BI
        "Мы — команда R&D",  # not the R language
        "We go to the office on Mondays",  # go, rest, make: words of a sentence
        "Ответственность, коммуникабельность, работа в команде",  # soft words every description has
        "Ведение документации, разбор логов, сети",  # everyday Russian words of the practices
        "Keep the logs and the documentation tidy",
        "Data, Lake",  # a name's words must be written together
        "Dolinux, Reactive",  # never a name inside a longer word
    ],
)
def test_words_that_are_not_skills_in_prose(parser, text):
    assert found(parser, text) == []


def test_prose_never_splits_a_word(parser):
    assert found(parser, "PostgreSQL, JavaScript, Kubernetes") == ["postgresql", "javascript", "kubernetes"]
    assert "ux_design" not in found(parser, "Администрирование Linux")  # "ux" is not in "Linux"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_prose_reading_never_raises_and_only_returns_catalog_skills(parser, catalog, text):
    result = parser.find_in_text(text)
    assert set(result) <= catalog.skills.keys()
    assert len(set(result)) == len(result)


def test_every_tool_is_found_by_its_name_in_a_sentence(parser, catalog):
    """Names of tools, languages and services are found in prose as the catalog writes them."""
    for skill in catalog.skills.values():
        if skill.category not in CONCEPT_CATEGORIES:
            assert skill.id in parser.find_in_text(f"Требуется опыт: {skill.name}."), skill.name


# -- Kazakh: names with their endings, filler, and Kazakh mixed with Russian and English -----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python, SQL білемін, аздап Docker", ["python", "sql", "docker"]),
        ("деректер қоры, тестілеу негіздері", ["sql", "manual_testing"]),
        ("Git және Linux", ["git", "linux"]),
        ("Docker мен Kubernetes", ["docker", "kubernetes"]),
        ("Алгоритмдер мен деректер құрылымдары", ["algorithms", "data_structures"]),
        ("ағылшын тілі B2, орыс тілі еркін", ["english", "russian"]),
        ("ООП принциптері, SOLID", ["oop", "solid"]),
        ("Компьютерлік желілер негіздері", ["networking"]),
        ("SQL-ді жақсы білемін, PostgreSQL-мен жұмыс тәжірибесі бар", ["sql", "postgresql"]),
        ("Python-да бағдарламалау, Django фреймворкі", ["python", "django"]),
        ("бұлттық технологиялар (AWS)", ["cloud_computing", "aws"]),
        ("модульдік тестілеу, pytest", ["unit_testing", "pytest"]),
        ("Командада жұмыс істеу, жауапкершілік", ["teamwork", "responsibility"]),
        ("немного Docker, аздап Kubernetes, a bit of Helm", ["docker", "kubernetes", "helm"]),
        ("нысанға бағытталған бағдарламалау", ["oop"]),
        ("Машиналық оқыту негіздері", ["machine_learning"]),
    ],
)
def test_kazakh_and_mixed_lists(parser, text, expected):
    result = parser.parse(text)
    assert list(result.recognized) == expected
    assert result.unknown == ()


@pytest.mark.parametrize(
    ("written", "skill_id"),
    [
        ("Деректер қорларымен жұмыс", "sql"),  # "Деректер қоры": plural, possessive, instrumental
        ("Дерекқорлар", "sql"),
        ("Алгоритмдерді білемін", "algorithms"),  # "Алгоритмдер" in the accusative
        ("Компьютерлік желілерді түсінемін", "networking"),
        ("Ағылшын тілін орташа деңгейде", "english"),
        ("Жүктемелік тестілеуді", "load_testing"),
        ("Бұлтта жұмыс", "cloud_computing"),
        ("Docker-ді", "docker"),  # a Kazakh ending after a Latin name
        ("Pythonда", "python"),
    ],
)
def test_kazakh_endings_are_read(parser, written, skill_id):
    result = parser.parse(written)
    assert result.recognized == (skill_id,)
    assert result.unknown == ()


@pytest.mark.parametrize(
    "text",
    [
        "аздап",
        "жақсы білемін",
        "орташа деңгей",
        "2 жыл тәжірибе",
        "негіздері және",
        "продвинутый уровень",
        "базовое использование",
        "advanced level",
        "basic usage",
    ],
)
def test_qualifiers_alone_are_neither_skills_nor_unknown(parser, text):
    assert parser.parse(text) == ParseResult((), ())


@pytest.mark.parametrize(
    "text",
    [
        "мен студентпін",  # I am a student
        "футбол ойнаймын",
        "кітап оқу",
        "компьютер",  # "-тер" is no plural here
        "желтоқсан",  # December: "жел..." is not "желі"
        "жел соқты",  # the wind blew
        "тілек",
        "Қазақ әдебиеті",  # Kazakh literature, not the language
        "Сәлеметсіз бе",
    ],
)
def test_ordinary_kazakh_words_are_not_skills(parser, text):
    result = parser.parse(text)
    assert result.recognized == ()
    assert result.unknown == (text,)


def test_kazakh_prose(parser):
    text = "Python және деректер қорларымен жұмыс тәжірибесі; ағылшын тілін білу; Docker туралы түсінік."
    assert found(parser, text) == ["python", "sql", "english", "docker"]
    # One word of the fundamentals is an ordinary word in a sentence, as in Russian ("алгоритмы", "сети").
    assert found(parser, "Алгоритмдер туралы кітап, желілер дүкені") == []


def test_every_kazakh_name_parses_to_its_skill(catalog, parser):
    for skill in catalog.skills.values():
        for name in (skill.name_kk, *skill.aliases_kk):
            if name:
                assert ids(parser, name) == [skill.id], (skill.id, name)
