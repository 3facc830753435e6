"""What the postings sync asks hh.ru for, worked out from the catalog: the searches, and how one that finds more
than hh will list is split.

    search_plan(catalog) → [Search("hh-96-104", roles=("backend", "frontend", ...), professional_roles=("96", "104")),
                            Search("hh-160", roles=("devops",), ...), ...,
                            Search("text-sre", roles=("sre",), text='sre OR "site reliability" ...')]

Each catalog role is searched by the hh professional roles `classify.toml` maps to it (its own, else those of
its family: a "Программист, разработчик" search serves backend, frontend, mobile, 1C ...); a role hh has no
professional role for is searched by its title phrases. Roles with the same professional roles share one
search. What a search finds is filed by the same rules as `postings import` (`coach.classify`), so a vacancy
lands in its own role whichever search found it.

hh lists at most 2,000 results of a query (`depth`). A slice of a search that finds more is split: by
professional role, then by area, then its date window in halves — down to an hour, below which the first
2,000 are all hh will give (the slice is marked truncated).

A slice of several pages is walked from its last page to its first. Vacancies closed while a run walks a
listing leave it, and everything after them moves up a place: walked first to last, the one that moves from
the top of a page to the bottom of the page already walked would be missed; walked last to first, it moves
into a page still to come (and one seen twice is handled once). New vacancies cannot push others down: the
window ends when the run began.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from coach.catalog import Catalog

KAZAKHSTAN = "40"  # hh's area id
DEPTH = 2000  # hh lists no more results of one query
PER_PAGE = 100  # the most hh gives per page
MIN_WINDOW = timedelta(hours=1)  # a date window is not halved below this


@dataclass(frozen=True)
class Search:
    key: str
    roles: tuple[str, ...]  # the catalog roles it is for
    professional_roles: tuple[str, ...] = ()
    text: str | None = None  # hh's query language, searched in titles


def _phrase(text: str) -> str:
    text = text.replace('"', "").strip()
    return f'"{text}"' if " " in text else text


def search_plan(catalog: Catalog) -> list[Search]:
    """One search per set of hh professional roles the catalog's roles map to, and one by title for each role
    hh has no professional role for; every catalog role is in exactly one."""
    rules = catalog.classify
    families = {role: family for family in rules.family for role in family.roles}
    by_ids: dict[tuple[str, ...], list[str]] = {}
    by_text: list[Search] = []
    for role in rules.role:
        if role.id not in catalog.roles:
            continue  # a pending role: nothing is filed under it yet
        family = families.get(role.id)
        ids = role.hh_roles or (family.hh_roles if family else ())
        if ids:
            by_ids.setdefault(tuple(str(i) for i in sorted(ids)), []).append(role.id)
        elif role.titles:
            text = " OR ".join(dict.fromkeys(_phrase(title) for title in role.titles))
            by_text.append(Search(f"text-{role.id}", (role.id,), (), text))
    plan = [Search("hh-" + "-".join(ids), tuple(roles), ids) for ids, roles in by_ids.items()]
    return plan + by_text


def hh_time(moment: datetime) -> str:
    """A moment as hh's date_from / date_to take it: 2026-12-01T10:00:00+0000."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass(frozen=True)
class Slice:
    """A part of a search the sync walks page by page: its professional roles and areas, a date window, the
    next page. Kept in the run's cursor (JSON), so a stopped run continues at this page."""

    search: str
    professional_roles: tuple[str, ...]
    text: str | None
    areas: tuple[str, ...]
    date_from: str  # ISO 8601, aware
    date_to: str
    page: int = 0  # the next page to walk
    pages: int | None = None  # known after a look at the first page; then walked from the last to the first
    truncated: bool = False  # found more than hh lists, and cannot be split further

    def params(self, per_page: int = PER_PAGE) -> list[tuple[str, str]]:
        params = [
            ("per_page", str(per_page)),
            ("page", str(self.page)),
            ("order_by", "publication_time"),
            ("date_from", hh_time(datetime.fromisoformat(self.date_from))),
            ("date_to", hh_time(datetime.fromisoformat(self.date_to))),
        ]
        params += [("area", area) for area in self.areas]
        params += [("professional_role", role) for role in self.professional_roles]
        if self.text:
            params += [("text", self.text), ("search_field", "name")]
        return params

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slice:
        data = dict(data)
        data["professional_roles"] = tuple(data.get("professional_roles") or ())
        data["areas"] = tuple(data.get("areas") or ())
        return cls(**data)

    def walk_from_last(self, pages: int) -> Slice:
        """The slice about to be walked: its `pages`, the last one first."""
        return replace(self, pages=pages, page=pages - 1)

    def next_page(self) -> Slice | None:
        """This slice at the page to walk next (the one before), or None when the first page is walked."""
        return replace(self, page=self.page - 1) if self.page > 0 else None


def first_slices(plan: Sequence[Search], areas: Sequence[str], window_from: datetime, window_to: datetime
                 ) -> list[Slice]:  # fmt: skip
    return [
        Slice(s.key, s.professional_roles, s.text, tuple(areas), window_from.isoformat(), window_to.isoformat())
        for s in plan
    ]


def split(part: Slice) -> list[Slice] | None:
    """A slice that finds more than hh lists, as smaller ones: per professional role, per area, or its window
    in halves; None when it is one role, one area and an hour already."""
    if len(part.professional_roles) > 1:
        return [replace(part, professional_roles=(role,), page=0, pages=None) for role in part.professional_roles]
    if len(part.areas) > 1:
        return [replace(part, areas=(area,), page=0, pages=None) for area in part.areas]
    start, end = datetime.fromisoformat(part.date_from), datetime.fromisoformat(part.date_to)
    if end - start <= MIN_WINDOW:
        return None
    middle = start + (end - start) / 2
    middle = middle.replace(microsecond=0)
    return [
        replace(part, date_from=middle.isoformat(), page=0, pages=None),  # newest first, as hh orders them
        replace(part, date_to=middle.isoformat(), page=0, pages=None),
    ]


def fingerprint(item: dict[str, Any]) -> str:
    """What a search result says that matters for its posting: when a vacancy's fingerprint is unchanged, the
    stored posting is too, and the vacancy is not fetched again."""

    def obj(value: Any) -> dict:
        return value if isinstance(value, dict) else {}

    roles = item.get("professional_roles")
    seen = [
        item.get("published_at"),
        item.get("name"),
        item.get("salary"),
        obj(item.get("area")).get("id"),
        obj(item.get("experience")).get("id"),
        sorted(str(obj(r).get("id")) for r in roles) if isinstance(roles, list) else None,
        obj(item.get("employer")).get("name"),
        bool(item.get("archived")),
    ]
    return hashlib.sha1(json.dumps(seen, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
