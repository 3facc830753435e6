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
    remote: bool = False  # the posting allows working remotely


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str
    failed: bool = True  # False: a readable posting left out on purpose (no role we coach for)


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


# What storage and screens accept from outside: longer text is cut, control characters (NUL included) go,
# and a salary must be a plausible monthly figure.
TITLE_CHARS, COMPANY_CHARS, CITY_CHARS, URL_CHARS = 300, 200, 100, 500
MAX_SALARY = 1_000_000_000  # a month's pay in any currency; more is a typo or garbage (and overflows storage)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$")


def clean(value: Any, limit: int) -> str | None:
    """Text from outside as one clean line of at most `limit` characters (None when nothing is left)."""
    if value is None:
        return None
    text = " ".join(_CONTROL.sub("", str(value)).split())
    return text[:limit] or None


def clean_url(value: Any) -> str | None:
    """An http(s) address fit to be a link, else None (no javascript:, no quotes, no spaces)."""
    text = clean(value, URL_CHARS + 1)
    return text if text and len(text) <= URL_CHARS and _URL.match(text) else None


def _obj(value: Any) -> dict:
    """A JSON object where one is expected; anything else (a string, a number) reads as empty."""
    return value if isinstance(value, dict) else {}


def _money(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        amount = float(str(value).replace(" ", "").replace("\u00a0", ""))
    except ValueError as exc:
        raise PostingError(f"salary {str(value)[:40]!r} is not a number") from exc
    if amount != amount or amount in (float("inf"), float("-inf")):
        raise PostingError(f"salary {str(value)[:40]!r} is not a number")
    if amount < 0:
        raise PostingError(f"negative salary {value!r}")
    if amount > MAX_SALARY:
        raise PostingError(f"salary {str(value)[:40]!r} is out of range")
    return int(amount)


def from_hh(vacancy: Any, catalog: Catalog, parser: SkillParser, source: str = "hh") -> PostingDraft:
    if not isinstance(vacancy, dict):
        raise PostingError("not a vacancy object")
    vacancy_id = clean(vacancy.get("id"), 64) or ""
    title = clean(vacancy.get("name"), TITLE_CHARS) or ""
    if not vacancy_id or not title:
        raise PostingError("a vacancy needs an id and a name")
    key_skills = [s.get("name", "") for s in _list(vacancy.get("key_skills")) if isinstance(s, dict)]
    parsed = [parser.parse(name) for name in key_skills if isinstance(name, str)]
    skills = [sid for result in parsed for sid in result.recognized]
    unknown = [u for result in parsed for u in result.unknown]
    # The prose names skills too (hh's search results have no key skills at all): requirements, duties and
    # the description, read strictly — a description is sentences, not a skill list.
    snippet = _obj(vacancy.get("snippet"))
    prose = [
        strip_html(part)
        for part in (snippet.get("requirement"), snippet.get("responsibility"), vacancy.get("description"))
        if isinstance(part, str) and part
    ]
    for text in prose:
        skills.extend(parser.find_in_text(text))
    skills = list(dict.fromkeys(skills))
    salary = _obj(vacancy.get("salary"))
    area = clean(_obj(vacancy.get("area")).get("name"), CITY_CHARS)
    city = catalog.city(area)
    hh_roles = tuple(
        str(r["id"]) for r in _list(vacancy.get("professional_roles")) if isinstance(r, dict) and r.get("id")
    )
    experience = clean(_obj(vacancy.get("experience")).get("id"), 32)
    said = "\n".join([*key_skills, *prose])  # what the posting says besides its title
    kind = classify_posting(catalog, title, skills, professional_roles=hh_roles, experience=experience, text=said)
    try:
        published = _when(vacancy.get("published_at") or vacancy.get("created_at"))
    except (TypeError, ValueError):
        published = None  # a format hh may start to use is not a reason to lose the vacancy
    currency = _currency(salary.get("currency"))
    schedule = _obj(vacancy.get("schedule")).get("id")
    formats = {str(_obj(f).get("id")).upper() for f in _list(vacancy.get("work_format"))}
    return PostingDraft(
        source=source,
        source_id=vacancy_id,
        title=title,
        company=clean(_obj(vacancy.get("employer")).get("name"), COMPANY_CHARS),
        role_id=kind.role_id,
        level=kind.level,
        city=city.name if city else area,
        url=clean_url(vacancy.get("alternate_url")) or clean_url(vacancy.get("url")),
        salary_from=_money(salary.get("from")),
        salary_to=_money(salary.get("to")),
        currency=currency,
        salary_gross=salary.get("gross") if isinstance(salary.get("gross"), bool) else None,
        skills=tuple(skills),
        unknown_skills=tuple(dict.fromkeys(unknown)),
        stack=kind.stack,
        published_at=published,
        professional_roles=hh_roles,
        archived=bool(vacancy.get("archived")),
        skip_reason=kind.reason,
        remote=schedule == "remote" or "REMOTE" in formats,
    )


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _currency(value: Any) -> str | None:
    """An ISO 4217 code (hh's RUR read as RUB); anything else is no currency."""
    code = (clean(value, 8) or "").upper()
    code = _CURRENCIES.get(code, code)
    return code if re.fullmatch(r"[A-Z]{3}", code) else None


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
    title = clean(row.get("title"), TITLE_CHARS) or ""
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
    city_text = clean(row.get("city"), CITY_CHARS)
    city = catalog.city(city_text)
    currency = _currency(row.get("currency"))
    if (row.get("currency") or "").strip() and currency is None:
        raise PostingError(f"currency {str(row.get('currency'))[:20]!r} is not a three-letter code")
    key = (
        clean(row.get("id"), 64)
        or hashlib.sha1(f"{title}|{row.get('company')}|{row.get('url')}".encode()).hexdigest()[:16]
    )
    return PostingDraft(
        source="csv",
        source_id=key,
        title=title,
        company=clean(row.get("company"), COMPANY_CHARS),
        role_id=role,
        level=level,
        city=city.name if city else city_text,
        url=clean_url(row.get("url")),
        salary_from=_money(row.get("salary_from")),
        salary_to=_money(row.get("salary_to")),
        currency=currency,
        salary_gross=None,
        skills=parsed.recognized,
        unknown_skills=parsed.unknown,
        stack=stack,
        published_at=published,
        professional_roles=hh_roles,
        archived=archived in _TRUE,
        skip_reason=kind.reason if kind else None,
    )


CSV_FIELD_LIMIT = 1_000_000  # characters; Python's default (131,072) refused long descriptions outright


def read_csv(text: str) -> Iterator[tuple[int, dict[str, str] | PostingError]]:
    """(line, row) of every CSV row; a row the reader cannot read is that row's problem, not the file's."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.DictReader(io.StringIO(text))
    missing = {"title", "skills"} - set(reader.fieldnames or [])
    if missing:
        raise PostingError(f"CSV header lacks {sorted(missing)} (columns: {', '.join(reader.fieldnames or [])})")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, PostingError(f"unreadable CSV row: {exc}")
            continue
        yield reader.line_num, {k.strip(): (v or "") for k, v in row.items() if isinstance(k, str) and k}


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
        except PostingError as exc:
            problems.append(RowProblem(line, str(exc)))
            continue
        except Exception as exc:  # whatever a row holds, it is that row's problem only
            problems.append(RowProblem(line, f"unreadable row ({type(exc).__name__}: {str(exc)[:80]})"))
            continue
        if draft.role_id is None:
            reason = draft.skip_reason or "the title names no role we coach for"
            problems.append(RowProblem(line, f"no catalog role for {draft.title!r}: {reason}", failed=False))
            continue
        drafts.append(draft)
    return drafts, problems
