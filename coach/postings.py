"""Job postings from outside: hh.ru API vacancy JSON and a documented CSV → drafts ready to store.

hh.ru vacancy fields used (GET /vacancies/{id}, and the items of GET /vacancies): `id`, `name`,
`employer.name`, `area.name`, `experience.id`, `salary{from,to,currency,gross}`, `key_skills[].name`,
`professional_roles[].name`, `alternate_url`, `description` (HTML), `snippet.requirement`.

CSV columns (header row required; `title` and `skills` must be there, the rest may be empty):
`id, title, company, city, level, salary_from, salary_to, currency, skills, url, role` — skills separated by
`;` or `,`; level one of intern / junior / middle / senior; role a catalog role id (else guessed from title).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from coach.catalog import Catalog
from coach.skills import SkillParser

_TAGS = re.compile(r"<[^>]+>")
_CURRENCIES = {"RUR": "RUB"}  # hh.ru still writes the pre-1998 code
_EXPERIENCE = {"noExperience": "junior", "between1And3": "junior", "between3And6": "middle", "moreThan6": "senior"}
_TITLE_LEVELS = (
    ("intern", ("intern", "стажер", "стажёр", "trainee", "практикант")),
    ("senior", ("senior", "ведущий", "старший", "lead", "тимлид", "principal")),
    ("middle", ("middle", "мидл")),
    ("junior", ("junior", "младший", "джуниор", "начинающий")),
)
LEVELS = {"intern", "junior", "middle", "senior"}


class PostingError(ValueError):
    """A row that cannot become a posting; the message says why."""


@dataclass(frozen=True)
class PostingDraft:
    source: str
    source_id: str
    title: str
    company: str | None
    role_id: str | None
    level: str | None
    city: str | None
    url: str | None
    salary_from: int | None
    salary_to: int | None
    currency: str | None
    salary_gross: bool | None
    skills: tuple[str, ...]
    unknown_skills: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


def strip_html(text: str) -> str:
    return html.unescape(_TAGS.sub(" ", text or "")).strip()


def level_from(title: str, experience: str | None = None) -> str | None:
    lowered = title.lower()
    for level, words in _TITLE_LEVELS:
        if any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered) for word in words):
            return level
    return _EXPERIENCE.get(experience or "")


def role_from(catalog: Catalog, *texts: str) -> str | None:
    """The catalog role whose title words match the longest part of the texts (title first)."""
    for text in texts:
        lowered = text.lower()
        best = max(
            ((len(word), role.id) for role in catalog.roles.values() for word in role.titles if word in lowered),
            default=None,
        )
        if best:
            return best[1]
    return None


def role_from_skills(catalog: Catalog, skills: tuple[str, ...]) -> str | None:
    """When the title names no role ("Стажер Python"): the role whose profile the skills fit best."""
    asked = set(skills)
    scored = [
        (2 * len(asked & set(role.core)) + len(asked & set(role.nice)), role.id) for role in catalog.roles.values()
    ]
    score, role_id = max(scored, default=(0, None))
    return role_id if score >= 4 else None


def _money(value: Any) -> int | None:
    if value in (None, ""):
        return None
    amount = int(float(str(value).replace(" ", "").replace("\u00a0", "")))
    if amount < 0:
        raise PostingError(f"negative salary {value!r}")
    return amount


def from_hh(vacancy: Any, catalog: Catalog, parser: SkillParser, source: str = "hh") -> PostingDraft:
    if not isinstance(vacancy, dict):
        raise PostingError("not a vacancy object")
    vacancy_id = str(vacancy.get("id") or "").strip()
    title = str(vacancy.get("name") or "").strip()
    if not vacancy_id or not title:
        raise PostingError("a vacancy needs an id and a name")
    key_skills = [s.get("name", "") for s in vacancy.get("key_skills") or [] if isinstance(s, dict)]
    if key_skills:
        parsed = [parser.parse(name) for name in key_skills]
        skills = [sid for result in parsed for sid in result.recognized]
        unknown = [u for result in parsed for u in result.unknown]
    else:  # no key skills: read them from the text, ignoring what is not a skill
        text = " \n".join(
            strip_html(part)
            for part in (vacancy.get("description"), (vacancy.get("snippet") or {}).get("requirement"))
            if part
        )
        skills, unknown = list(parser.parse(text).recognized), []
    salary = vacancy.get("salary") or {}
    area = (vacancy.get("area") or {}).get("name")
    city = catalog.city(area)
    roles = [r.get("name", "") for r in vacancy.get("professional_roles") or [] if isinstance(r, dict)]
    currency = salary.get("currency")
    return PostingDraft(
        source=source,
        source_id=vacancy_id[:64],
        title=title[:300],
        company=((vacancy.get("employer") or {}).get("name") or None),
        role_id=role_from(catalog, title, *roles) or role_from_skills(catalog, tuple(dict.fromkeys(skills))),
        level=level_from(title, (vacancy.get("experience") or {}).get("id")),
        city=city.name if city else (area or None),
        url=vacancy.get("alternate_url") or vacancy.get("url"),
        salary_from=_money(salary.get("from")),
        salary_to=_money(salary.get("to")),
        currency=_CURRENCIES.get(currency, currency) if currency else None,
        salary_gross=salary.get("gross"),
        skills=tuple(dict.fromkeys(skills)),
        unknown_skills=tuple(dict.fromkeys(unknown)),
    )


def read_hh(text: str) -> Iterator[tuple[int, Any]]:
    """(line or item number, vacancy) from one object, an array, an {"items": [...]} page, or JSON Lines."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        document = None
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        yield from enumerate(document["items"], 1)
    elif isinstance(document, list):
        yield from enumerate(document, 1)
    elif isinstance(document, dict):
        yield 1, document
    else:
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, PostingError(f"not JSON: {exc.msg}")


def from_csv_row(row: dict[str, str], catalog: Catalog, parser: SkillParser) -> PostingDraft:
    title = (row.get("title") or "").strip()
    if not title:
        raise PostingError("no title")
    parsed = parser.parse((row.get("skills") or "").replace(";", ","))
    level = (row.get("level") or "").strip().lower() or None
    if level and level not in LEVELS:
        raise PostingError(f"level {level!r} is not one of {sorted(LEVELS)}")
    role = (row.get("role") or "").strip() or None
    if role and role not in catalog.roles:
        raise PostingError(f"unknown role {role!r}")
    city_text = (row.get("city") or "").strip()
    city = catalog.city(city_text)
    currency = (row.get("currency") or "").strip().upper() or None
    key = row.get("id") or hashlib.sha1(f"{title}|{row.get('company')}|{row.get('url')}".encode()).hexdigest()[:16]
    return PostingDraft(
        source="csv",
        source_id=str(key).strip()[:64],
        title=title[:300],
        company=(row.get("company") or "").strip() or None,
        role_id=role or role_from(catalog, title) or role_from_skills(catalog, parsed.recognized),
        level=level or level_from(title),
        city=city.name if city else (city_text or None),
        url=(row.get("url") or "").strip() or None,
        salary_from=_money(row.get("salary_from")),
        salary_to=_money(row.get("salary_to")),
        currency=_CURRENCIES.get(currency, currency) if currency else None,
        salary_gross=None,
        skills=parsed.recognized,
        unknown_skills=parsed.unknown,
    )


def read_csv(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"title", "skills"} - set(reader.fieldnames or [])
    if missing:
        raise PostingError(f"CSV header lacks {sorted(missing)} (columns: {', '.join(reader.fieldnames or [])})")
    for row in reader:
        yield reader.line_num, {k.strip(): (v or "") for k, v in row.items() if k}


def read_postings(
    name: str, text: str, catalog: Catalog, parser: SkillParser
) -> tuple[list[PostingDraft], list[RowProblem]]:
    """Every good row of a file, and a problem for each bad one (with its line or item number)."""
    drafts: list[PostingDraft] = []
    problems: list[RowProblem] = []
    is_csv = name.lower().endswith(".csv")
    rows = read_csv(text) if is_csv else read_hh(text)
    for line, row in rows:
        try:
            if isinstance(row, Exception):
                raise row
            draft = from_csv_row(row, catalog, parser) if is_csv else from_hh(row, catalog, parser)
        except (PostingError, ValueError, TypeError) as exc:
            problems.append(RowProblem(line, str(exc)))
            continue
        if draft.role_id is None:
            problems.append(RowProblem(line, f"no catalog role matches the title {draft.title!r}"))
            continue
        drafts.append(draft)
    return drafts, problems
