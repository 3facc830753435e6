"""Time zones as people say them: "UTC+6", "Астана", "Pavlodar", "Asia/Almaty", "+5:30" in, "UTC+5, Almaty" out.

A zone is stored as an IANA name (what `zoneinfo` computes with) and, when the student named a place, that
place's id (`places.toml`), so it is shown the way they said it. Offsets people type ("UTC+6", "GMT-3") read
the everyday way: east of Greenwich is plus. (IANA's `Etc/GMT-6` is UTC+6 — POSIX inverts the sign — which
is why those names are never shown.)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from coach.catalog import Catalog

PLACES_FILE = Path(__file__).parent / "catalog" / "places.toml"
# Offsets that are not whole hours have no Etc/ zone: each goes to a zone that keeps it all year.
_PART_HOURS = {
    (5, 30): "Asia/Kolkata", (5, 45): "Asia/Kathmandu", (4, 30): "Asia/Kabul", (3, 30): "Asia/Tehran",
    (6, 30): "Asia/Yangon", (9, 30): "Australia/Darwin", (-3, 30): "America/St_Johns",
    (-9, 30): "Pacific/Marquesas", (12, 45): "Pacific/Chatham", (10, 30): "Australia/Lord_Howe",
}  # fmt: skip
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+\-−–])\s*(\d{1,2})(?:[:.]?(\d{2}))?$")
# Words around a place name that are not the name: "г. Павлодар", "город Астана", "Almaty time", "Павлодар
# қаласы" (Kazakh: "the city of").
_AROUND = re.compile(r"^(?:г\.?\s+|город\s+|гор\.\s*|city of\s+|in\s+|в\s+)|(?:\s+(?:қаласы|city|time|время))$")


@dataclass(frozen=True)
class Place:
    id: str
    zone: str
    names: dict[str, str]  # language -> name
    aliases: tuple[str, ...] = ()
    primary: bool = False

    def display(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class Zone:
    """What a student chose: the IANA zone, and the place they named (None for "UTC+6" or "Europe/Berlin")."""

    name: str
    place: str | None = None


def normalize(text: str) -> str:
    value = " ".join(text.lower().replace("ё", "е").replace("_", " ").replace("-", " ").split())
    value = value.strip(" .,!?;:«»\"'()")
    previous = None
    while previous != value:
        previous, value = value, _AROUND.sub("", value).strip()
    return value


@cache
def places() -> dict[str, Place]:
    data = tomllib.loads(PLACES_FILE.read_text(encoding="utf-8"))
    known = available_timezones()
    found: dict[str, Place] = {}
    for row in data["place"]:
        place = Place(
            id=row["id"],
            zone=row["zone"],
            names={lang: row[lang] for lang in ("en", "ru", "kk") if row.get(lang)},
            aliases=tuple(row.get("aliases", ())),
            primary=bool(row.get("primary")),
        )
        if place.zone not in known:
            raise ValueError(f"places.toml: {place.id} has an unknown zone {place.zone}")
        if place.id in found:
            raise ValueError(f"places.toml: {place.id} twice")
        found[place.id] = place
    return found


@cache
def _index() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(place names -> place id, IANA names -> IANA name, IANA city parts -> IANA name), all normalized."""
    by_place: dict[str, str] = {}
    for place in places().values():
        for name in (*place.names.values(), *place.aliases):
            by_place.setdefault(normalize(name), place.id)
    names = available_timezones()
    by_zone = {name.lower(): name for name in names}
    by_city = {
        normalize(name.rsplit("/", 1)[-1]): name
        for name in sorted(names)
        if "/" in name and not name.startswith("Etc/")
    }
    return by_place, by_zone, by_city


def find_place(text: str) -> Place | None:
    """The place a student named ("Павлодар", "г. Астана", "Nur-Sultan"), or None."""
    place_id = _index()[0].get(normalize(text))
    return places()[place_id] if place_id else None


def parse_zone(text: str) -> Zone | None:
    """The zone for what a student typed — an IANA name, a place, a city IANA knows, or an offset — or None."""
    raw = text.strip()
    if not raw or len(raw) > 64:
        return None
    by_place, by_zone, by_city = _index()
    if raw.lower() in by_zone:
        return Zone(by_zone[raw.lower()])
    value = normalize(raw)
    if value in by_place:
        place = places()[by_place[value]]
        return Zone(place.zone, place.id)
    if value in by_city:
        return Zone(by_city[value])
    compact = "".join(raw.lower().split())
    if compact in {"utc", "gmt", "utc+0", "gmt+0", "utc0", "+0", "0", "z"}:
        return Zone("UTC")
    match = _OFFSET.match(compact)
    if match is None:
        return None
    sign = -1 if match.group(1) in "-−–" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if minutes:
        zone = _PART_HOURS.get((sign * hours, minutes))
        return Zone(zone) if zone else None
    if not -12 <= sign * hours <= 14:  # the offsets the world uses; Etc/GMT+13 does not exist
        return None
    if hours == 0:
        return Zone("UTC")
    return Zone(f"Etc/GMT{'-' if sign > 0 else '+'}{hours}")  # POSIX signs: UTC+6 is Etc/GMT-6


def offset_label(zone: str, now: datetime) -> str:
    """ "UTC+5", "UTC-3", "UTC+5:30", "UTC" — the zone's offset at `now` (summer time included)."""
    offset = ZoneInfo(zone).utcoffset(now.replace(tzinfo=None)) or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_city(zone: str, place: str | None, lang: str) -> str | None:
    """The place a zone is shown with: the one the student named, else the zone's own (its primary place, or
    the city in its IANA name), else None (UTC, "UTC+6")."""
    known = places()
    if place in known and known[place].zone == zone:
        return known[place].display(lang)
    primary = next((p for p in known.values() if p.zone == zone and p.primary), None)
    if primary is not None:
        return primary.display(lang)
    if "/" in zone and not zone.startswith("Etc/"):
        return zone.rsplit("/", 1)[-1].replace("_", " ")
    return None


def zone_label(zone: str, place: str | None, lang: str, now: datetime) -> str:
    """A zone as people say it: "UTC+5, Almaty", "UTC+6", "UTC+3, Москва"."""
    city = zone_city(zone, place, lang)
    offset = offset_label(zone, now)
    return f"{offset}, {city}" if city else offset


_CITY_WORDS = re.compile(r"^[^\W\d_]+(?:[ \-'’.][^\W\d_]+){0,3}$")


def typed_city(catalog: Catalog, text: str) -> str | None:
    """The city a student typed for "Other city": a catalog city by any of its names ("Алматы" → "Almaty"), a
    place we know ("павлодар" → "Pavlodar"), or their own words when they look like a place's name (letters,
    up to four words, 40 characters); None for anything else (a sentence, digits, a skill list)."""
    value = " ".join(text.split())
    if known := catalog.city(value):
        return known.name
    if place := find_place(value):
        return place.display("en")
    value = _AROUND.sub("", value.strip(" .,!?;:«»\"'()")).strip()
    if not 2 <= len(value) <= 40 or not _CITY_WORDS.match(value):
        return None
    return value[:1].upper() + value[1:]
