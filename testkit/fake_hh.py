"""A fake hh.ru API over real HTTP (aiohttp), behaving like the real one where the postings sync and the
"paste a link" feature depend on it.

    hh = FakeHh(realistic_vacancies(now))       # ~370 vacancies: every catalog role, non-IT ones, Russia
    await hh.start()                              # hh.url → http://127.0.0.1:PORT
    ... HhClient(hh.url, "CareerCoach/1.0 (ops@example.kz)", token) ...
    await hh.stop()

What it does as hh does:
- `GET /vacancies`: filters `area` (the tree: Kazakhstan 40 holds Almaty 160, Astana 159, ...; Russia 113 holds
  Moscow 1, St Petersburg 2), `professional_role`, `text` (`A OR "b c"`, in titles with `search_field=name`),
  `date_from` / `date_to` (ISO 8601); newest first (`order_by=publication_time`); `per_page` at most 100;
  `found` is every match, `pages` only what it will list: never more than 2,000 results of a query (`depth`),
  a page beyond that is 400 `bad_argument` ("you can't look up more than 2000 items in the list"). Archived
  vacancies are not listed. Items are search results: a `snippet` with `<highlighttext>` around the words
  searched for, no key skills, no description.
- `GET /vacancies/{id}`: the whole vacancy (key skills, HTML description, salary, experience, `archived`), or
  404 `not_found`. A vacancy in `vanish` disappears between the search and this request (it was listed,
  and is gone when fetched); one in `close_on_fetch` comes back archived.
- Refusals: a request without a contact e-mail in `HH-User-Agent` (or with one in `blacklisted`) is 400
  `bad_user_agent`; with `token`
  set, a request without `Authorization: Bearer <token>` is a bare 403 (anonymous access closed) and a wrong
  token 403 `oauth`/`bad_authorization`; after `captcha_after` requests every one is 403 `captcha_required`
  with a `captcha_url`; beyond `rate` requests per second, 429 with `Retry-After`; `fail_next` answers the
  next requests with those statuses (a 502 with an HTML body, as a proxy sends it). `delay` is each
  answer's latency.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
from collections import deque
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

AREAS = {
    "40": ("Казахстан", None),
    "160": ("Алматы", "40"),
    "159": ("Астана", "40"),
    "205": ("Шымкент", "40"),
    "177": ("Караганда", "40"),
    "113": ("Россия", None),
    "1": ("Москва", "113"),
    "2": ("Санкт-Петербург", "113"),
}
PROFESSIONAL_ROLES = {
    "96": "Программист, разработчик",
    "104": "Руководитель группы разработки",
    "160": "DevOps-инженер",
    "124": "Тестировщик",
    "165": "Дата-сайентист",
    "156": "BI-аналитик, аналитик данных",
    "164": "Продуктовый аналитик",
    "148": "Системный аналитик",
    "150": "Бизнес-аналитик",
    "116": "Специалист по информационной безопасности",
    "113": "Системный администратор",
    "112": "Сетевой инженер",
    "114": "Системный инженер",
    "121": "Специалист технической поддержки",
    "107": "Руководитель проектов",
    "73": "Менеджер продукта",
    "34": "Дизайнер, художник",
    "25": "Гейм-дизайнер",
    "70": "Менеджер по продажам, менеджер по работе с клиентами",
    "18": "Бухгалтер",
    "21": "Водитель",
    "46": "Инженер-конструктор, инженер-проектировщик",
}
EXPERIENCE = {
    "intern": ("noExperience", "Нет опыта"),
    "junior": ("between1And3", "От 1 года до 3 лет"),
    "middle": ("between3And6", "От 3 до 6 лет"),
    "senior": ("moreThan6", "Более 6 лет"),
}
DEPTH = 2000
MAX_PER_PAGE = 100


def _parse_time(value: str) -> datetime:
    value = value.strip().replace(" ", "+")  # a "+" left unescaped in a query string arrives as a space
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def hh_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _in_area(area: str, wanted: set[str]) -> bool:
    while area is not None:
        if area in wanted:
            return True
        area = AREAS.get(area, ("", None))[1]  # type: ignore[assignment]
    return False


def _phrases(text: str) -> list[str]:
    return [part.strip().strip('"').lower() for part in re.split(r"\s+OR\s+", text) if part.strip().strip('"')]


def _matches(phrase: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text.lower()) is not None


def _highlight(text: str, phrases: list[str]) -> str:
    for phrase in phrases:
        text = re.sub(
            rf"(?<![\w])({re.escape(phrase)})(?![\w])", r"<highlighttext>\1</highlighttext>", text, flags=re.IGNORECASE
        )
    return text


@dataclass
class Request:
    path: str
    query: list[tuple[str, str]]
    user_agent: str
    authorization: str | None


class FakeHh:
    def __init__(self, vacancies: list[dict[str, Any]] | None = None, *, depth: int = DEPTH) -> None:
        self.vacancies: dict[str, dict[str, Any]] = {v["id"]: v for v in vacancies or []}
        self.depth = depth
        self.token: str | None = None  # set: requests must carry it as a Bearer token
        self.captcha_after: int | None = None
        self.rate: float | None = None  # requests per second before 429
        self.retry_after = "1"
        self.fail_next: list[int] = []
        self.blacklisted: set[str] = set()  # HH-User-Agent values hh refuses outright
        self.vanish: set[str] = set()
        self.close_on_fetch: set[str] = set()
        self.delay = 0.0
        self.requests: list[Request] = []
        self.refused: dict[int, int] = {}  # status -> how many requests were answered with it
        self._recent: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- the world changing between runs ------------------------------------------------------------------

    def add(self, vacancy: dict[str, Any]) -> None:
        self.vacancies[vacancy["id"]] = vacancy

    def archive(self, vacancy_id: str) -> None:
        self.vacancies[vacancy_id]["archived"] = True

    def remove(self, vacancy_id: str) -> None:
        self.vacancies.pop(vacancy_id, None)

    def republish(self, vacancy_id: str, when: datetime, **changes: Any) -> None:
        vacancy = self.vacancies[vacancy_id]
        vacancy.update(changes, published_at=hh_time(when))

    def listed(self, areas: set[str] | None = None, since: datetime | None = None) -> list[dict[str, Any]]:
        """Vacancies a search of `areas` since `since` can find (not archived)."""
        found = []
        for vacancy in self.vacancies.values():
            if vacancy.get("archived"):
                continue
            if areas and not _in_area(vacancy["area"]["id"], areas):
                continue
            if since and _parse_time(vacancy["published_at"]) < since:
                continue
            found.append(vacancy)
        return found

    def count(self, path_prefix: str) -> int:
        return sum(1 for r in self.requests if r.path.startswith(path_prefix))

    # -- serving ------------------------------------------------------------------------------------------

    async def start(self) -> FakeHh:
        app = web.Application()
        app.router.add_get("/vacancies", self._search)
        app.router.add_get("/vacancies/{id}", self._vacancy)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _refuse(
        self,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        text: str | None = None,
    ) -> web.Response:
        self.refused[status] = self.refused.get(status, 0) + 1
        if text is not None:
            return web.Response(status=status, text=text, content_type="text/html", headers=headers)
        return web.json_response(body or {}, status=status, headers=headers)

    async def _gate(self, request: web.Request) -> web.Response | None:
        """What hh answers before looking at the request itself: the client, its token, its manners."""
        self.requests.append(
            Request(
                request.path,
                list(request.query.items()),
                request.headers.get("HH-User-Agent", ""),
                request.headers.get("Authorization"),
            )
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_next:
            status = self.fail_next.pop(0)
            if status == 502:
                return self._refuse(502, text="<html><body><h1>502 Bad Gateway</h1></body></html>")
            return self._refuse(status, {"errors": [{"type": "server_error"}], "description": "Server Error"})
        agent = request.headers.get("HH-User-Agent", "")
        if not agent or "@" not in agent or agent in self.blacklisted:
            return self._refuse(
                400,
                {
                    "errors": [{"type": "bad_user_agent", "value": "blacklisted" if agent else "missing"}],
                    "description": "bad HH-User-Agent",
                },
            )
        if self.token is not None:
            auth = request.headers.get("Authorization")
            if auth is None:
                return self._refuse(403, {"errors": [{"type": "forbidden"}], "description": "Forbidden"})
            if auth != f"Bearer {self.token}":
                return self._refuse(
                    403, {"errors": [{"type": "oauth", "value": "bad_authorization"}], "description": "Forbidden"}
                )
        if self.captcha_after is not None and len(self.requests) > self.captcha_after:
            captcha = "https://hh.ru/account/captcha?state=fake-state&backurl=https%3A%2F%2Fapi.hh.ru%2Fvacancies"
            return self._refuse(
                403,
                {
                    "errors": [
                        {
                            "type": "captcha_required",
                            "value": "captcha_required",
                            "captcha_url": captcha,
                            "fallback_url": captcha,
                        }
                    ],
                    "description": "Forbidden",
                },
            )
        if self.rate is not None:
            now = time.monotonic()
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.rate:
                return self._refuse(
                    429, {"errors": [{"type": "too_many_requests"}]}, headers={"Retry-After": self.retry_after}
                )
            self._recent.append(now)
        return None

    async def _search(self, request: web.Request) -> web.Response:
        if (refusal := await self._gate(request)) is not None:
            return refusal
        query = request.query
        try:
            per_page = int(query.get("per_page", "20"))
            page = int(query.get("page", "0"))
        except ValueError:
            return self._refuse(400, {"errors": [{"type": "bad_argument", "value": "page"}]})
        if per_page > MAX_PER_PAGE or per_page < 1 or page < 0:
            return self._refuse(
                400,
                {
                    "errors": [{"type": "bad_argument", "value": "per_page"}],
                    "bad_argument": "per_page",
                    "description": "per_page is too big",
                },
            )
        if (page + 1) * per_page > self.depth:
            return self._refuse(
                400,
                {
                    "errors": [{"type": "bad_argument", "value": "page"}],
                    "bad_argument": "page, per_page",
                    "description": f"you can't look up more than {self.depth} items in the list",
                },
            )
        areas = set(query.getall("area", []))
        roles = set(query.getall("professional_role", []))
        phrases = _phrases(query.get("text", ""))
        in_name_only = query.get("search_field") == "name"
        try:
            since = _parse_time(query["date_from"]) if "date_from" in query else None
            until = _parse_time(query["date_to"]) if "date_to" in query else None
        except ValueError:
            return self._refuse(400, {"errors": [{"type": "bad_argument", "value": "date_from"}]})
        found = []
        for vacancy in self.vacancies.values():
            if vacancy.get("archived"):
                continue
            if areas and not _in_area(vacancy["area"]["id"], areas):
                continue
            if roles and not roles & {r["id"] for r in vacancy.get("professional_roles", [])}:
                continue
            published = _parse_time(vacancy["published_at"])
            if (since and published < since) or (until and published > until):
                continue
            if phrases:
                where = vacancy["name"] if in_name_only else f"{vacancy['name']} {vacancy.get('description', '')}"
                if not any(_matches(p, where) for p in phrases):
                    continue
            found.append((published, vacancy))
        found.sort(key=lambda pair: (pair[0], pair[1]["id"]), reverse=True)
        pages = min(math.ceil(len(found) / per_page), self.depth // per_page)
        items = [self._item(v, phrases) for _, v in found[page * per_page : (page + 1) * per_page]]
        return web.json_response(
            {
                "items": items,
                "found": len(found),
                "pages": pages,
                "page": page,
                "per_page": per_page,
                "clusters": None,
                "arguments": None,
                "fixes": None,
                "suggests": None,
                "alternate_url": "https://hh.kz/search/vacancy?" + request.query_string,
            }
        )

    def _item(self, vacancy: dict[str, Any], phrases: list[str]) -> dict[str, Any]:
        item = {k: deepcopy(v) for k, v in vacancy.items() if k not in {"key_skills", "description", "_snippet"}}
        requirement, responsibility = vacancy.get("_snippet", (None, None))
        item["snippet"] = {
            "requirement": _highlight(requirement, phrases) if requirement else None,
            "responsibility": _highlight(responsibility, phrases) if responsibility else None,
        }
        item["url"] = f"https://api.hh.ru/vacancies/{vacancy['id']}?host=hh.kz"
        return item

    async def _vacancy(self, request: web.Request) -> web.Response:
        if (refusal := await self._gate(request)) is not None:
            return refusal
        vacancy_id = request.match_info["id"]
        if vacancy_id in self.vanish:
            self.vacancies.pop(vacancy_id, None)
        vacancy = self.vacancies.get(vacancy_id)
        if vacancy is None:
            return web.json_response({"errors": [{"type": "not_found"}], "description": "Not Found"}, status=404)
        if vacancy_id in self.close_on_fetch:
            vacancy["archived"] = True
        detail = {k: deepcopy(v) for k, v in vacancy.items() if k != "_snippet"}
        return web.json_response(detail)


# -- realistic data ---------------------------------------------------------------------------------------

EMPLOYERS = [
    "Kaspi.kz",
    "Kolesa Group",
    "Halyk Bank",
    "BTS Digital",
    "Jusan Bank",
    "Beeline Казахстан",
    "Freedom Holding",
    "Air Astana",
    "Chocofamily Holding",
    "EPAM Kazakhstan",
    "Казахтелеком",
    "ForteBank",
    "Magnum E-commerce",
    "inDrive",
    "Arbuz.kz",
    "Kcell",
    "1Fit",
    "Tengri Lab",
]
KZ_CITIES = ["160", "160", "160", "159", "159", "205", "177"]
# (title, professional role, key skills, requirement, responsibility) — titles as hh.kz writes them, in Russian
# and English; the skills as employers type them (typos and Russian included).
ROLES: dict[str, list[tuple[str, str, list[str], str, str]]] = {
    "backend": [
        (
            "Python-разработчик",
            "96",
            ["Python", "Django Framework", "PostgreSQL", "Docker", "Redis", "Git"],
            "Опыт разработки на Python от 1 года. Знание Django или FastAPI, PostgreSQL.",
            "Разработка REST API, код-ревью.",
        ),
        (
            "Backend Developer (Java)",
            "96",
            ["Java", "Spring Boot", "Hibernate", "PostgreSQL", "Kafka"],
            "Experience with Java 17 and Spring Boot.",
            "Build microservices for payments.",
        ),
        (
            "Golang-разработчик",
            "96",
            ["Golang", "PostgreSQL", "gRPC", "Kubernetes", "Redis"],
            "Коммерческий опыт на Go.",
            "Высоконагруженные сервисы.",
        ),
        (
            "PHP-разработчик (Laravel)",
            "96",
            ["PHP", "Laravel", "MySQL", "Git", "REST API"],
            "Уверенное знание PHP 8 и Laravel.",
            "Поддержка и развитие интернет-магазина.",
        ),
        (
            "Backend-разработчик Node.js",
            "96",
            ["Node.js", "TypeScript", "NestJS", "PostgreSQL", "Docker"],
            "Опыт с Node.js и TypeScript.",
            "Проектирование API.",
        ),
        (
            "Разработчик C# / .NET",
            "96",
            ["C#", ".NET Core", "ASP.NET", "MS SQL", "Entity Framework"],
            "Знание C# и .NET 6+.",
            "Разработка банковских сервисов.",
        ),
        (
            "Team Lead Python",
            "104",
            ["Python", "FastAPI", "PostgreSQL", "Kubernetes", "Управление командой"],
            "Опыт руководства командой разработки на Python.",
            "Ведение команды из 6 backend-разработчиков.",
        ),
    ],
    "frontend": [
        (
            "Frontend-разработчик (React)",
            "96",
            ["JavaScript", "TypeScript", "React", "Redux", "HTML5", "CSS3"],
            "Опыт работы с React от 1 года.",
            "Разработка интерфейсов личного кабинета.",
        ),
        (
            "Vue.js разработчик",
            "96",
            ["Vue.js", "JavaScript", "HTML", "CSS", "Git"],
            "Знание Vue 3 и Composition API.",
            "Верстка и логика SPA.",
        ),
        (
            "Frontend Engineer (Angular)",
            "96",
            ["Angular", "TypeScript", "RxJS", "HTML", "SCSS"],
            "Solid Angular experience.",
            "Develop the trading dashboard.",
        ),
        (
            "Верстальщик",
            "96",
            ["HTML", "CSS", "JavaScript", "Figma", "Адаптивная верстка"],
            "Аккуратная адаптивная верстка по макетам Figma.",
            "Верстка лендингов.",
        ),
    ],
    "fullstack": [
        (
            "Fullstack-разработчик",
            "96",
            ["JavaScript", "React", "Node.js", "PostgreSQL", "Docker"],
            "Опыт фронтенда и бэкенда.",
            "Разработка продукта от базы до интерфейса.",
        ),
        (
            "Full Stack Developer (React/Node.js)",
            "96",
            ["TypeScript", "React", "Node.js", "MongoDB"],
            "Both sides of a web app.",
            "Ship features end to end.",
        ),
        (
            "Веб-разработчик",
            "96",
            ["PHP", "JavaScript", "MySQL", "HTML", "CSS"],
            "Знание PHP и JavaScript.",
            "Сайты и CRM компании.",
        ),
    ],
    "mobile": [
        (
            "iOS-разработчик",
            "96",
            ["Swift", "SwiftUI", "UIKit", "Git"],
            "Опыт разработки под iOS.",
            "Развитие мобильного банка.",
        ),
        (
            "Android Developer (Kotlin)",
            "96",
            ["Kotlin", "Android SDK", "Jetpack Compose", "Coroutines"],
            "Kotlin and Jetpack Compose.",
            "Build the courier app.",
        ),
        (
            "Flutter-разработчик",
            "96",
            ["Flutter", "Dart", "REST API", "Git"],
            "Опыт с Flutter от года.",
            "Кроссплатформенное приложение.",
        ),
        (
            "Мобильный разработчик (React Native)",
            "96",
            ["React Native", "JavaScript", "TypeScript", "Redux"],
            "Опыт React Native.",
            "Приложение доставки.",
        ),
    ],
    "data_engineer": [
        (
            "Data Engineer",
            "96",
            ["Python", "SQL", "Apache Airflow", "Apache Spark", "Kafka", "ClickHouse"],
            "Experience building ETL pipelines.",
            "Own the data platform.",
        ),
        (
            "Инженер данных",
            "96",
            ["SQL", "Python", "Airflow", "Hadoop", "Greenplum"],
            "Опыт построения DWH.",
            "Разработка ETL-процессов.",
        ),
    ],
    "ml_engineer": [
        (
            "ML Engineer",
            "96",
            ["Python", "PyTorch", "Machine Learning", "Docker", "MLflow"],
            "Experience shipping ML models.",
            "Serve recommendation models.",
        ),
        (
            "Инженер машинного обучения",
            "96",
            ["Python", "TensorFlow", "Машинное обучение", "SQL"],
            "Опыт в машинном обучении.",
            "Модели скоринга.",
        ),
        (
            "Computer Vision Engineer",
            "96",
            ["Python", "PyTorch", "OpenCV", "Deep Learning"],
            "CV models in production.",
            "Document recognition.",
        ),
    ],
    "dba": [
        (
            "Администратор баз данных PostgreSQL",
            "96",
            ["PostgreSQL", "Linux", "SQL", "Bash", "Репликация"],
            "Опыт администрирования PostgreSQL.",
            "Резервное копирование, мониторинг, репликация.",
        ),
        (
            "Database Administrator (Oracle)",
            "96",
            ["Oracle", "SQL", "PL/SQL", "Linux"],
            "Oracle DBA experience.",
            "Keep the core banking databases running.",
        ),
        (
            "SQL-разработчик",
            "96",
            ["SQL", "MS SQL", "T-SQL", "PostgreSQL"],
            "Отличное знание SQL.",
            "Хранимые процедуры и отчеты.",
        ),
    ],
    "onec": [
        (
            "Программист 1С",
            "96",
            ["1С:Предприятие 8", "1С: Бухгалтерия", "СКД", "Запросы 1С"],
            "Опыт доработки типовых конфигураций 1С.",
            "Доработка 1С:ERP.",
        ),
        (
            "Разработчик 1С (ERP)",
            "96",
            ["1С программирование", "1С:ERP", "Обмен данными"],
            "Знание БСП и СКД.",
            "Интеграции 1С.",
        ),
    ],
    "game_dev": [
        ("Unity-разработчик", "96", ["C#", "Unity", "ООП", "Git"], "Опыт разработки игр на Unity.", "Мобильные игры."),
        (
            "Game Developer (Unreal Engine)",
            "96",
            ["C++", "Unreal Engine", "Blueprints"],
            "Unreal Engine 5 experience.",
            "Gameplay programming.",
        ),
    ],
    "devops": [
        (
            "DevOps-инженер",
            "160",
            ["Linux", "Docker", "Kubernetes", "Terraform", "Ansible", "GitLab CI"],
            "Опыт с Kubernetes и CI/CD.",
            "Поддержка инфраструктуры.",
        ),
        (
            "DevOps Engineer",
            "160",
            ["AWS", "Kubernetes", "Helm", "Prometheus", "CI/CD"],
            "Kubernetes in production.",
            "Automate everything.",
        ),
    ],
    "sre": [
        (
            "SRE-инженер",
            "160",
            ["Linux", "Kubernetes", "Prometheus", "Grafana", "Python"],
            "Опыт эксплуатации высоконагруженных систем.",
            "SLO, алерты, инциденты.",
        ),
        (
            "Site Reliability Engineer",
            "160",
            ["Linux", "Go", "Kubernetes", "Prometheus", "Incident management"],
            "On-call experience.",
            "Keep the platform reliable.",
        ),
    ],
    "qa": [
        (
            "QA-инженер",
            "124",
            ["Тестирование", "SQL", "Postman", "Jira", "Тест-дизайн"],
            "Опыт ручного тестирования от года.",
            "Тестирование веб и мобильных приложений.",
        ),
        (
            "QA Automation Engineer (Python)",
            "124",
            ["Python", "Pytest", "Selenium", "API testing", "Allure"],
            "Automation with pytest.",
            "Build the test framework.",
        ),
        (
            "Тестировщик ПО",
            "124",
            ["Функциональное тестирование", "Jira", "Postman", "SQL"],
            "Знание теории тестирования.",
            "Регрессионное тестирование.",
        ),
    ],
    "data_scientist": [
        (
            "Data Scientist",
            "165",
            ["Python", "Pandas", "Scikit-learn", "Machine Learning", "SQL", "Статистика"],
            "Experience with classical ML.",
            "Credit scoring models.",
        ),
        (
            "Специалист по Data Science",
            "165",
            ["Python", "Машинное обучение", "SQL", "A/B тесты"],
            "Опыт построения моделей.",
            "Прогнозирование спроса.",
        ),
    ],
    "ml_safety": [
        (
            "AI Safety Researcher",
            "165",
            ["Python", "Machine Learning", "LLM", "Red teaming"],
            "Research experience in AI safety.",
            "Evaluate model risks.",
        ),
        (
            "ML Safety Engineer",
            "96",
            ["Python", "PyTorch", "LLM", "Model evaluation"],
            "Experience with LLM evaluation.",
            "Guardrails and red teaming.",
        ),
    ],
    "gpu_infra": [
        (
            "HPC Engineer (GPU clusters)",
            "160",
            ["Linux", "CUDA", "Kubernetes", "Slurm", "NVIDIA"],
            "GPU clusters experience.",
            "Run the training cluster.",
        ),
        (
            "Инженер HPC-кластеров",
            "114",
            ["Linux", "Slurm", "CUDA", "Bash", "InfiniBand"],
            "Опыт администрирования вычислительных кластеров.",
            "Поддержка суперкомпьютера.",
        ),
    ],
    "uiux": [
        (
            "UI/UX-дизайнер",
            "34",
            ["Figma", "UI", "UX", "Прототипирование", "Дизайн-системы"],
            "Портфолио интерфейсов.",
            "Проектирование интерфейсов приложения.",
        ),
        (
            "Product Designer",
            "34",
            ["Figma", "UX Research", "Prototyping", "Design systems"],
            "Product design portfolio.",
            "Design the mobile bank.",
        ),
        (
            "Дизайнер интерфейсов",
            "34",
            ["Figma", "Adobe XD", "UI Design", "Wireframing"],
            "Опыт проектирования интерфейсов.",
            "Интерфейсы веб-сервисов.",
        ),
    ],
    "data_analyst": [
        (
            "Аналитик данных",
            "156",
            ["SQL", "Python", "Power BI", "Excel", "Tableau"],
            "Уверенное знание SQL.",
            "Отчеты и дашборды.",
        ),
        (
            "Data Analyst",
            "156",
            ["SQL", "Python", "Pandas", "Tableau", "A/B testing"],
            "Strong SQL.",
            "Product analytics.",
        ),
        (
            "Продуктовый аналитик",
            "164",
            ["SQL", "A/B тесты", "Python", "Amplitude"],
            "Опыт продуктовой аналитики.",
            "Метрики продукта.",
        ),
    ],
    "system_analyst": [
        (
            "Системный аналитик",
            "148",
            ["BPMN", "UML", "SQL", "REST API", "Confluence"],
            "Опыт написания ТЗ.",
            "Сбор и анализ требований.",
        ),
        (
            "Бизнес-аналитик",
            "150",
            ["Бизнес-анализ", "BPMN", "Jira", "Confluence"],
            "Опыт бизнес-анализа.",
            "Описание бизнес-процессов.",
        ),
        (
            "System Analyst",
            "148",
            ["REST API", "SQL", "Swagger", "UML"],
            "Integration experience.",
            "Specify integrations.",
        ),
    ],
    "infosec": [
        (
            "Специалист по информационной безопасности",
            "116",
            ["Информационная безопасность", "SIEM", "Linux", "Сетевые технологии"],
            "Знание стандартов ИБ.",
            "Мониторинг инцидентов.",
        ),
        (
            "Аналитик SOC",
            "116",
            ["SIEM", "Информационная безопасность", "Windows Server", "Linux"],
            "Опыт работы с SIEM.",
            "Разбор инцидентов ИБ.",
        ),
        (
            "Пентестер",
            "116",
            ["Pentest", "OWASP", "Burp Suite", "Linux", "Python"],
            "Опыт тестирования на проникновение.",
            "Анализ защищенности приложений.",
        ),
    ],
    "sysadmin": [
        (
            "Системный администратор",
            "113",
            ["Windows Server", "Active Directory", "Linux", "TCP/IP"],
            "Опыт администрирования Windows и Linux.",
            "Поддержка офиса и серверов.",
        ),
        (
            "Сетевой инженер",
            "112",
            ["Cisco", "TCP/IP", "Маршрутизация", "VLAN"],
            "Знание Cisco, Mikrotik.",
            "Сеть филиалов.",
        ),
        (
            "Специалист технической поддержки",
            "121",
            ["Техническая поддержка", "Windows", "Helpdesk"],
            "Грамотная речь, знание ПК.",
            "Помощь пользователям.",
        ),
    ],
    "product_manager": [
        (
            "Менеджер IT-проектов",
            "107",
            ["Управление проектами", "Agile", "Scrum", "Jira"],
            "Опыт управления IT-проектами.",
            "Ведение проектов разработки.",
        ),
        (
            "Product Manager",
            "73",
            ["Product Management", "Agile", "Jira", "A/B testing", "SQL"],
            "Product experience in fintech.",
            "Own the roadmap.",
        ),
    ],
}
# What the sync must leave out: jobs that are no IT role we coach for, some under IT-looking words.
NOT_IT = [
    ("Менеджер по продажам IT-решений", "70", ["Продажи", "B2B", "CRM"]),
    ("Бухгалтер (1С)", "18", ["1С: Бухгалтерия", "Налоговый учет"]),
    ("Водитель-курьер", "21", ["Водительское удостоверение категории B"]),
    ("Инженер по бурению", "46", ["AutoCAD", "Бурение"]),
    ("Руководитель отдела разработки", "104", ["Управление командой", "Python"]),
    ("Графический дизайнер", "34", ["Adobe Photoshop", "Illustrator"]),
]
LEVEL_WORDS = {
    "intern": ["Стажер"],
    "junior": ["Junior", "Младший"],
    "middle": ["Middle", ""],
    "senior": ["Senior", "Ведущий"],
}
SALARY = {
    "intern": (150_000, 250_000),
    "junior": (300_000, 600_000),
    "middle": (600_000, 1_200_000),
    "senior": (1_200_000, 2_500_000),
}


def _vacancy(
    rng: random.Random,
    number: int,
    title: str,
    role: str,
    skills: list[str],
    requirement: str,
    responsibility: str,
    area: str,
    level: str,
    published: datetime,
) -> dict[str, Any]:
    vacancy_id = str(130_000_000 + number)
    low, high = SALARY[level]
    kind = rng.random()
    if area in ("1", "2"):
        salary = {"from": rng.randrange(low, high, 10_000) // 5, "to": None, "currency": "RUR", "gross": True}
    elif kind < 0.55:
        start = rng.randrange(low, high, 10_000)
        salary = {
            "from": start,
            "to": start + rng.choice([0, 100_000, 200_000]) or None,
            "currency": "KZT",
            "gross": False,
        }
    elif kind < 0.7:
        salary = {"from": rng.randrange(low // 500, high // 500, 100), "to": None, "currency": "USD", "gross": True}
    else:
        salary = None
    experience = EXPERIENCE[level]
    employer = rng.choice(EMPLOYERS)
    description = (
        f"<p><strong>{employer}</strong> ищет специалиста в команду.</p>"
        f"<p><strong>Требования:</strong></p><ul><li>{requirement}</li>"
        + "".join(f"<li>{skill}</li>" for skill in skills[:3])
        + f"</ul><p><strong>Обязанности:</strong></p><ul><li>{responsibility}</li></ul>"
    )
    return {
        "id": vacancy_id,
        "name": title,
        "area": {"id": area, "name": AREAS[area][0], "url": f"https://api.hh.ru/areas/{area}"},
        "salary": salary,
        "experience": {"id": experience[0], "name": experience[1]},
        "schedule": {"id": rng.choice(["fullDay", "fullDay", "remote", "flexible"])},
        "employment": {"id": "full"},
        "employer": {"id": str(1000 + EMPLOYERS.index(employer)), "name": employer},
        "professional_roles": [{"id": role, "name": PROFESSIONAL_ROLES[role]}],
        "key_skills": [{"name": skill} for skill in skills],
        "description": description,
        "published_at": hh_time(published),
        "created_at": hh_time(published - timedelta(days=rng.randint(0, 20))),
        "archived": False,
        "alternate_url": f"https://hh.kz/vacancy/{vacancy_id}",
        "apply_alternate_url": f"https://hh.kz/applicant/vacancy_response?vacancyId={vacancy_id}",
        "_snippet": (requirement, responsibility),
    }


def realistic_vacancies(now: datetime, per_role: int = 14, seed: int = 7, max_days: int = 40) -> list[dict[str, Any]]:
    """Vacancies as hh.kz lists them: `per_role` for every role above in Kazakhstan's cities (Russian and
    English titles, levels, KZT / USD salaries or none, published over the last `max_days` days), the non-IT
    ones, a few in Russia (RUR), and a few published long ago."""
    rng = random.Random(seed)
    vacancies = []
    number = 0
    levels = ["junior", "junior", "middle", "middle", "senior", "intern"]
    for templates in ROLES.values():
        for n in range(per_role):
            title, role, skills, requirement, responsibility = templates[n % len(templates)]
            level = levels[n % len(levels)]
            word = rng.choice(LEVEL_WORDS[level])
            if word and "Lead" not in title:
                title = f"{word} {title}" if rng.random() < 0.5 else f"{title} ({word})"
            published = now - timedelta(days=rng.uniform(0, max_days))
            number += 1
            vacancies.append(
                _vacancy(
                    rng,
                    number,
                    title,
                    role,
                    skills,
                    requirement,
                    responsibility,
                    rng.choice(KZ_CITIES),
                    level,
                    published,
                )
            )
    for n in range(len(NOT_IT) * 4):
        title, role, skills = NOT_IT[n % len(NOT_IT)]
        number += 1
        vacancies.append(
            _vacancy(
                rng,
                number,
                title,
                role,
                skills,
                "Опыт работы от года.",
                "Работа с клиентами.",
                rng.choice(KZ_CITIES),
                "middle",
                now - timedelta(days=rng.uniform(0, max_days)),
            )
        )
    for n in range(12):  # Russia: outside the default areas
        templates = list(ROLES.values())[n % len(ROLES)]
        title, role, skills, requirement, responsibility = templates[0]
        number += 1
        vacancies.append(
            _vacancy(
                rng,
                number,
                title,
                role,
                skills,
                requirement,
                responsibility,
                rng.choice(["1", "2"]),
                "middle",
                now - timedelta(days=rng.uniform(0, max_days)),
            )
        )
    for n in range(5):  # published long ago (beyond the sync's window)
        title, role, skills, requirement, responsibility = ROLES["backend"][n % len(ROLES["backend"])]
        number += 1
        vacancies.append(
            _vacancy(
                rng,
                number,
                title,
                role,
                skills,
                requirement,
                responsibility,
                "160",
                "middle",
                now - timedelta(days=70 + n),
            )
        )
    return vacancies
