"""How every screen speaks of the market: whose market it is, where and when its postings come from, and the
one salary story (the gap report, /market and the report say the same)."""

from __future__ import annotations

from aiogram import html
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date

from coach.catalog import Catalog
from coach.market import MarketSnapshot, SalaryInsight, SalaryStory, weighs_demand
from handlers.common.format import money
from handlers.common.labels import city_name, level_name


def scope(catalog: Catalog, role_id: str, stack: str | None, lang: str) -> str:
    """ "Backend Engineer · Python" (the role alone when it has no stack)."""
    role = catalog.role(role_id)
    found = role.stack(stack)
    return role.display(lang) + (f" · {found.name}" if found else "")


enough = weighs_demand


def _day(value, lang: str) -> str:
    return format_date(value, "d MMM y", locale=lang)


def sources_line(catalog: Catalog, market: MarketSnapshot, lang: str) -> str:
    """ "📊 312 postings for Backend Engineer · Python: 305 from hh.kz / hh.ru, 7 added by you; published
    1 Nov 2026 – 28 Nov 2026." — or that there are too few, and what the report leans on instead."""
    where = html.quote(scope(catalog, market.role_id, market.stack, lang))
    counts = market.source_counts
    parts = []
    if counts.get("hh"):
        parts.append(_("{n} from hh.kz / hh.ru").format(n=counts["hh"]))
    if counts.get("csv"):
        parts.append(_("{n} imported from files").format(n=counts["csv"]))
    if counts.get("user"):
        parts.append(_("{n} added by you").format(n=counts["user"]))
    if counts.get("sample"):
        parts.append(_("{n} built-in samples (illustrations, not live vacancies)").format(n=counts["sample"]))
    line = "📊 " + ngettext("{n} posting for {scope}", "{n} postings for {scope}", market.postings_total).format(
        n=market.postings_total, scope=where
    )
    if parts:
        line += ": " + ", ".join(parts)
    if market.first_published and market.last_published:
        line += "; " + _("published {first} – {last}").format(
            first=_day(market.first_published, lang), last=_day(market.last_published, lang)
        )
    line += "."
    if not enough(market):
        line += " " + _(
            "That is too few to weigh skills by how often employers ask for them, so the order follows the "
            "role profile."
        )
    return line


def salary_range(low: int | None, high: int | None, currency: str, lang: str) -> str:
    if low is not None and high is not None and low != high:
        return f"{money(low, lang)}–{money(high, lang)} {html.quote(currency)}"
    value = low if low is not None else high
    return f"{money(value or 0, lang)} {html.quote(currency)}"


def _where(catalog: Catalog, insight: SalaryInsight, lang: str) -> str:
    return html.quote(city_name(catalog, insight.city, lang)) if insight.city else _("all cities")


def salary_figure(catalog: Catalog, insight: SalaryInsight, lang: str) -> str:
    """One figure with where it comes from: "median 550,000 KZT, middle half 450,000–650,000 (14 postings,
    1–28 Nov 2026)" or the catalog's band with its source."""
    span = salary_range(insight.low, insight.high, insight.currency, lang)
    if not insight.from_postings:
        source = insight.fallback_source.get(lang) if insight.fallback_source else ""
        return _("{range} a month — {source}").format(range=span, source=html.quote(source))
    text = _("median {median}, middle half {range}").format(
        median=f"{money(insight.median or 0, lang)} {insight.currency}", range=span
    )
    details = [ngettext("{n} posting", "{n} postings", insight.sample).format(n=insight.sample)]
    if insight.first and insight.last:
        details.append(f"{_day(insight.first, lang)} – {_day(insight.last, lang)}")
    if insight.converted:
        rates = ", ".join(insight.converted)
        if insight.rates_date:
            day = _day(insight.rates_date, lang)
            details.append(_("{currencies} converted at the rates of {day}").format(currencies=rates, day=day))
        else:
            details.append(_("{currencies} converted").format(currencies=rates))
    return f"{text} ({'; '.join(details)})"


def salary_line(catalog: Catalog, story: SalaryStory | None, level: str | None, lang: str) -> str:
    """The student's salary headline, or "not enough data yet" — never another role's figures."""
    scope_level = level_name(level)
    if story is None or story.mine is None:
        return "💰 " + _("Salary for {level}: not enough data yet.").format(level=scope_level)
    insight = story.mine
    return "💰 " + _("<b>Salary, {level}, {where}:</b> {figure}.").format(
        level=scope_level, where=_where(catalog, insight, lang), figure=salary_figure(catalog, insight, lang)
    )


def left_out_line(story: SalaryStory | None) -> str | None:
    """Salaries in a currency without a rate are not in the figures: say how many."""
    if story is None or not story.left_out:
        return None
    counts = ", ".join(f"{n} {html.quote(code)}" for code, n in sorted(story.left_out.items()))
    return _("Not counted (no exchange rate set): {counts}.").format(counts=counts)
