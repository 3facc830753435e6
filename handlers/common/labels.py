"""Translated names of fixed things: levels, terms, cities that are not in the catalog."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.roadmap import Term
from coach.zones import find_place, places, zone_label
from handlers.common.i18n import N_

_LEVELS = {
    "intern": N_("Intern"),
    "junior": N_("Junior"),
    "middle": N_("Middle"),
    "senior": N_("Senior"),
}
_TERMS = {
    Term.NOW: N_("Next 3 months"),
    Term.NEXT: N_("In 3–6 months"),
    Term.LATER: N_("Later"),
    Term.SOFT: N_("Soft skills — practise alongside"),
}


# A weekday inside a sentence needs its own words in each language ("every Monday" is "каждый понедельник" but
# "каждую среду"; "on Saturday" is "в субботу"), so each is a text of its own, not a day name put in a frame.
_EVERY = (
    N_("every Monday"), N_("every Tuesday"), N_("every Wednesday"), N_("every Thursday"), N_("every Friday"),
    N_("every Saturday"), N_("every Sunday"),
)  # fmt: skip
_ON = (
    N_("on Monday"), N_("on Tuesday"), N_("on Wednesday"), N_("on Thursday"), N_("on Friday"), N_("on Saturday"),
    N_("on Sunday"),
)  # fmt: skip
_DAY = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


def every_weekday(weekday: int) -> str:
    """ "every Monday" (0 is Monday), to stand in a sentence."""
    return _(_EVERY[weekday])


def on_weekday(weekday: int) -> str:
    """ "on Saturday", to stand in a sentence."""
    return _(_ON[weekday])


def weekday_name(weekday: int) -> str:
    """ "Monday", as a button's label."""
    return _(_DAY[weekday])


def level_name(level: str | None) -> str:
    return _(_LEVELS[level]) if level in _LEVELS else _("any level")


def term_name(term: Term) -> str:
    return _(_TERMS[term])


def city_name(catalog: Catalog, city: str | None, lang: str) -> str:
    if city == "remote":
        return _("remote")
    if city in (None, "other"):
        return _("another city")
    known = catalog.city(city)
    if known:
        return known.display(lang)
    place = find_place(city)  # a city the student typed ("Pavlodar"), in their language when we know it
    return place.display(lang) if place else city


def zone_name(zone: str, place: str | None, lang: str) -> str:
    """A time zone as people say it, at this moment: "UTC+5, Pavlodar", "UTC+6"."""
    if place is not None and place not in places():
        place = None
    return zone_label(zone, place, lang, datetime.now(UTC))
