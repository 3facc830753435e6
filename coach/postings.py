"""Job postings from outside: hh.ru API vacancy JSON and a documented CSV → drafts ready to store.

hh.ru vacancy fields used (GET /vacancies/{id}, and the items of GET /vacancies): `id`, `name`,
`employer.name`, `area.name`, `experience.id`, `salary{from,to,currency,gross}`, `key_skills[].name`,
`professional_roles[].id`, `alternate_url`, `published_at` (else `created_at`), `archived`, and the prose:
`snippet.requirement`, `snippet.responsibility` (search results) and `description` (HTML, one vacancy).
Key skills go through the typo-forgiving `SkillParser.parse`; the prose through the strict
`SkillParser.find_in_text`, and both count. Role, stack and level come from `coach.classify`; a posting it
files under no role is reported with the reason and not imported.

CSV columns (header row required; `title` and `skills` must be there, the rest may be left out or empty):
`id, title, company, city, level, salary_from, salary_to, currency, skills, url, role` — skills separated by
`;` or `,`; level one of intern / junior / middle / senior; role a catalog role id (else classified from the
title and skills) — and, optionally: `stack` (a stack id of the role; else read from the title and skills),
`published_at` (ISO 8601 date or date and time; without a time zone it is UTC), `professional_roles` (hh
professional role ids separated by `;` or `,`, used to classify) and `archived` (true / false, yes / no, 1 / 0).
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
from datetime import UTC, datetime
from typing import Any

from coach.catalog import Catalog
from coach.classify import classify_posting, level_of, stack_of
from coach.skills import SkillParser

_TAGS = re.compile(r"<[^>]+>")
_CURRENCIES = {"RUR": "RUB"}  # hh.ru still writes the pre-1998 code
LEVELS = {"intern", "junior", "middle", "senior"}
_TRUE = {"true", "yes", "1", "да"}
_FALSE = {"false", "no", "0", "нет", ""}


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
    stack: str | None = None  # a stack id of the role, when the posting says which
    published_at: datetime | None = None  # aware, UTC
    professional_roles: tuple[str, ...] = ()  # hh professional role ids
    archived: bool = False  # hh: the vacancy is closed
    skip_reason: str | None = None  # why role_id is None (the classifier's reason)


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


def strip_html(text: str) -> str:
    return html.unescape(_TAGS.sub(" ", text or "")).strip()


def _when(value: Any) -> datetime | None:
    """An aware UTC time from an ISO 8601 date or time ("2025-03-14T10:21:33+0300", "2025-03-14"); a time
    without a zone is taken as UTC. Anything else raises ValueError."""
    if value in (None, ""):
        return None
    moment = datetime.fromisoformat(str(value).strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _ids(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in re.split(r"[;,]", str(value or "")) if part.strip()))


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
    parsed = [parser.parse(name) for name in key_skills if isinstance(name, str)]
    skills = [sid for result in parsed for sid in result.recognized]
    unknown = [u for result in parsed for u in result.unknown]
    # The prose names skills too (hh's search results have no key skills at all): requirements, duties and
    # the description, read strictly — a description is sentences, not a skill list.
    snippet = vacancy.get("snippet") if isinstance(vacancy.get("snippet"), dict) else {}
    prose = [
        strip_html(part)
        for part in (snippet.get("requirement"), snippet.get("responsibility"), vacancy.get("description"))
        if isinstance(part, str) and part
    ]
    for text in prose:
        skills.extend(parser.find_in_text(text))
    skills = list(dict.fromkeys(skills))
    salary = vacancy.get("salary") or {}
    area = (vacancy.get("area") or {}).get("name")
    city = catalog.city(area)
    hh_roles = tuple(
        str(r["id"]) for r in vacancy.get("professional_roles") or [] if isinstance(r, dict) and r.get("id")
    )
    experience = (vacancy.get("experience") or {}).get("id")
    said = "\n".join([*key_skills, *prose])  # what the posting says besides its title
    kind = classify_posting(catalog, title, skills, professional_roles=hh_roles, experience=experience, text=said)
    try:
        published = _when(vacancy.get("published_at") or vacancy.get("created_at"))
    except (TypeError, ValueError):
        published = None  # a format hh may start to use is not a reason to lose the vacancy
    currency = salary.get("currency")
    return PostingDraft(
        source=source,
        source_id=vacancy_id[:64],
        title=title[:300],
        company=((vacancy.get("employer") or {}).get("name") or None),
        role_id=kind.role_id,
        level=kind.level,
        city=city.name if city else (area or None),
        url=vacancy.get("alternate_url") or vacancy.get("url"),
        salary_from=_money(salary.get("from")),
        salary_to=_money(salary.get("to")),
        currency=_CURRENCIES.get(currency, currency) if currency else None,
        salary_gross=salary.get("gross"),
        skills=tuple(skills),
        unknown_skills=tuple(dict.fromkeys(unknown)),
        stack=kind.stack,
        published_at=published,
        professional_roles=hh_roles,
        archived=bool(vacancy.get("archived")),
        skip_reason=kind.reason,
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
    stack = (row.get("stack") or "").strip() or None
    hh_roles = _ids(row.get("professional_roles"))
    if role:
        kind = None
        if stack and catalog.roles[role].stack(stack) is None:
            raise PostingError(f"role {role!r} has no stack {stack!r}")
        stack = stack or stack_of(catalog, role, title, parsed.recognized)
        level = level or level_of(catalog, title)
    else:
        kind = classify_posting(catalog, title, parsed.recognized, professional_roles=hh_roles)
        role, level = kind.role_id, level or kind.level
        if stack and (role is None or catalog.roles[role].stack(stack) is None):
            raise PostingError(f"stack {stack!r} is not a stack of the role the title names ({role})")
        stack = stack or kind.stack
    try:
        published = _when(row.get("published_at"))
    except ValueError as exc:
        raise PostingError(f"published_at {row.get('published_at')!r} is not an ISO 8601 date") from exc
    archived = (row.get("archived") or "").strip().lower()
    if archived not in _TRUE | _FALSE:
        raise PostingError(f"archived {row.get('archived')!r} is not true or false")
    city_text = (row.get("city") or "").strip()
    city = catalog.city(city_text)
    currency = (row.get("currency") or "").strip().upper() or None
    key = row.get("id") or hashlib.sha1(f"{title}|{row.get('company')}|{row.get('url')}".encode()).hexdigest()[:16]
    return PostingDraft(
        source="csv",
        source_id=str(key).strip()[:64],
        title=title[:300],
        company=(row.get("company") or "").strip() or None,
        role_id=role,
        level=level,
        city=city.name if city else (city_text or None),
        url=(row.get("url") or "").strip() or None,
        salary_from=_money(row.get("salary_from")),
        salary_to=_money(row.get("salary_to")),
        currency=_CURRENCIES.get(currency, currency) if currency else None,
        salary_gross=None,
        skills=parsed.recognized,
        unknown_skills=parsed.unknown,
        stack=stack,
        published_at=published,
        professional_roles=hh_roles,
        archived=archived in _TRUE,
        skip_reason=kind.reason if kind else None,
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
            reason = draft.skip_reason or "the title names no role we coach for"
            problems.append(RowProblem(line, f"no catalog role for {draft.title!r}: {reason}"))
            continue
        drafts.append(draft)
    return drafts, problems
