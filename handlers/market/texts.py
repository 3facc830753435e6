"""What /market and "Add a posting" say."""

from __future__ import annotations

from collections.abc import Mapping

from aiogram import html
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.market import MarketSnapshot, salary_by_city, salary_table
from coach.student import Profile
from handlers.common.format import fit, money, names, quote
from handlers.common.labels import city_name, level_name
from services.postings import AddedPosting

TOP_SKILLS = 12
CITY_ROWS = 8  # a market with postings from 150 cities shows the biggest few


def market_text(catalog: Catalog, profile: Profile, market: MarketSnapshot, have: set[str],
                rates: Mapping[str, float], lang: str) -> str:  # fmt: skip
    role = catalog.role(profile.student.role_id or "")
    own = sum(1 for p in market.postings if p.source == "user")
    head = "📈 " + _("<b>Market for {role}</b>: {n} postings").format(
        role=html.quote(role.display(lang)), n=market.postings_total
    )
    if own:
        head += " " + _("({n} added by you)").format(n=own)
    if not market.postings_total:
        return head + "\n" + _("No postings for this role yet. Add the ones you find: tap “Add a posting”.")
    sections = [head]
    lines = [_("<b>Most asked</b> (✅ you have it):")]
    for skill_id, count in market.ranked()[:TOP_SKILLS]:
        mark = " ✅" if skill_id in have else ""
        name = html.quote(catalog.skill(skill_id).display(lang))
        lines.append(
            f"• {name} — {round(100 * count / market.postings_total)}% ({count}/{market.postings_total}){mark}"
        )
    sections.append("\n".join(lines))
    if almost := market.almost_every():
        sections.append(
            "⭐ " + _("<b>In almost every posting:</b> {skills}").format(skills=names(catalog, almost, lang))
        )
    in_profile = set(role.core + role.nice)
    surprising = [sid for sid, _count in market.ranked() if sid not in in_profile][:8]
    if surprising:
        sections.append("😮 " + _("<b>Surprising</b> (postings ask, the profile does not): {skills}").format(
            skills=names(catalog, surprising, lang)))  # fmt: skip

    def row_text(label: str, row) -> str:
        return (
            f"• {label}: {money(row.median, lang)} {row.currency} · "
            f"{money(row.low, lang)}–{money(row.high, lang)} · {row.sample}"
        )

    table = salary_table(market.postings, rates)
    if table:
        lines = ["💰 " + _("<b>Salaries by level</b> (median · range · postings):")]
        lines += [row_text(level_name(row.level), row) for row in table]
        sections.append("\n".join(lines))
    level = profile.student.level
    by_city = salary_by_city(market.postings, level, rates) if level else {}
    if by_city:
        biggest = sorted(by_city.items(), key=lambda kv: -sum(r.sample for r in kv[1]))[:CITY_ROWS]
        lines = ["🏙 " + _("<b>{level} by city:</b>").format(level=level_name(level))]
        for city, rows in sorted(biggest):
            lines += [row_text(quote(city_name(catalog, city, lang), 40), row) for row in rows]
        if len(by_city) > CITY_ROWS:
            lines.append(_("…and {n} more cities").format(n=len(by_city) - CITY_ROWS))
        sections.append("\n".join(lines))
    return fit(sections, _("(shortened)"))


def ask_posting() -> str:
    return _("Paste the vacancy's text, or a link like <i>https://hh.kz/vacancy/123456</i>. /cancel to stop.")


def hh_problem(kind: str, vacancy: str) -> str:
    reasons = {
        "not_found": _("hh.ru has no vacancy {id} (it may be closed or archived).").format(id=vacancy),
        "timeout": _("hh.ru did not answer in time."),
        "unavailable": _("hh.ru could not be reached right now."),
    }
    return reasons.get(kind, reasons["unavailable"]) + " " + _("Paste the vacancy's text instead, or try later.")


def unreadable_vacancy() -> str:
    return _("That vacancy could not be read. Paste its text instead.")


def no_skills_in_posting() -> str:
    return _("I couldn't find any skills in that. Paste the requirements part, or an hh link.")


def added_posting(catalog: Catalog, added: AddedPosting, lang: str) -> str:
    draft, match = added.draft, added.match
    lines = [
        f"🏢 <b>{quote(draft.title)}</b>" + (f" — {quote(draft.company, 60)}" if draft.company else ""),
        _("Skills: {skills}").format(skills=names(catalog, draft.skills, lang, 30)),
        _("Your match: <b>{matched} of {total}</b> skills").format(matched=len(match.matched), total=match.total),
    ]
    if match.missing:
        lines.append(_("Missing: {skills}").format(skills=names(catalog, sorted(match.missing), lang, 30)))
        lines.append(
            _("Not on your roadmap yet: {skills} — add them in /profile → Skills as skills you lack.").format(
                skills=names(catalog, added.not_planned, lang, 30))
            if added.not_planned else _("Everything it asks for is already on your roadmap.")
        )  # fmt: skip
    else:
        lines.append(_("You have every skill it asks for — apply! 🚀"))
    lines.append(_("Saved: it now counts in your /market."))
    return "\n".join(lines)
