"""What /market and "Add a posting" say."""

from __future__ import annotations

from aiogram import html
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.ranking import SkillDemand, asked
from handlers.common.format import fit, names, percent, quote, ref_name, ref_names
from handlers.common.labels import city_name, level_name
from handlers.common.market import left_out_line, salary_figure, salary_line, salary_range, scope, sources_line
from services.coaching import Roadmap
from services.postings import AddedPosting

TOP_SKILLS = 12
CITY_ROWS = 8  # a market with postings from 150 cities shows the biggest few


def top_asked(catalog: Catalog, roadmap: Roadmap) -> list[SkillDemand]:
    """What the student's market asks for most (a group once; other stacks' skills left out)."""
    return asked(catalog, roadmap.market, roadmap.ranking.profile)[:TOP_SKILLS]


CAPTION_LIMIT = 1024  # Telegram's limit for a photo's caption


def _headline(catalog: Catalog, roadmap: Roadmap, lang: str) -> list[str]:
    market = roadmap.market
    where = html.quote(scope(catalog, market.role_id, market.stack, lang))
    return ["📈 " + _("<b>Market for {scope}</b>").format(scope=where), sources_line(catalog, market, lang)]


def market_caption(catalog: Catalog, roadmap: Roadmap, lang: str) -> str:
    """The chart's caption: what it shows, where the numbers come from, and the student's salary line."""
    story, level = roadmap.gap.salaries, roadmap.profile.student.level
    sections = [
        *_headline(catalog, roadmap, lang),
        _("The chart: the skills asked for most, as a share of postings, marked where you have them."),
        salary_line(catalog, story, level, lang),
    ]
    return fit(sections, _("(shortened)"), limit=CAPTION_LIMIT)


def market_text(catalog: Catalog, roadmap: Roadmap, lang: str, charted: bool = False) -> str:
    """The market in numbers; with `charted`, only what the chart and its caption do not already say."""
    market, gap = roadmap.market, roadmap.gap
    student = roadmap.profile.student
    sections = [] if charted else _headline(catalog, roadmap, lang)
    if not market.postings_total:
        sections.append(_("No postings for this role yet. Add the ones you find: tap “Add a posting”."))
        return fit(sections)
    if not charted:
        known = roadmap.ranking.known
        lines = [_("<b>Most asked</b> (✅ you have it):")]
        for demand in top_asked(catalog, roadmap):
            mark = " ✅" if catalog.covered(demand.ref, known) else ""
            lines.append(
                f"• {ref_name(catalog, demand.ref, lang)} — {percent(demand.share)} ({demand.postings}/{demand.total})"
                f"{mark}"
            )
        sections.append("\n".join(lines))
    if gap.other_stacks:
        others = ", ".join(f"{html.quote(s.name)} {percent(s.share)}" for s in gap.other_stacks[:5])
        role = html.quote(catalog.role(gap.role_id).display(lang))
        sections.append("🧭 " + _("Other stacks in {role}: {stacks}").format(role=role, stacks=others))
    if gap.surprising:
        surprising = ", ".join(f"{ref_name(catalog, d.ref, lang)} ({percent(d.share)})" for d in gap.surprising)
        sections.append("😮 " + _("<b>Surprising</b> (postings ask, the profile does not): {skills}").format(
            skills=surprising))  # fmt: skip
    story = gap.salaries
    if story is not None and story.by_level:
        lines = ["💰 " + _("<b>Salaries by level</b>, all cities:")]
        lines += [f"• {level_name(row.level)}: {salary_figure(catalog, row, lang)}" for row in story.by_level]
        sections.append("\n".join(lines))
    if story is not None and story.by_city:
        lines = ["🏙 " + _("<b>{level} by city:</b>").format(level=level_name(student.level))]
        for row in story.by_city[:CITY_ROWS]:
            lines.append(f"• {quote(city_name(catalog, row.city, lang), 40)}: {salary_figure(catalog, row, lang)}")
        if len(story.by_city) > CITY_ROWS:
            lines.append(_("…and {n} more cities").format(n=len(story.by_city) - CITY_ROWS))
        sections.append("\n".join(lines))
    if not charted:
        sections.append(salary_line(catalog, story, student.level, lang))
    if note := left_out_line(story):
        sections.append(note)
    if charted and not sections:
        sections.append(_("Add the postings you find to see your own market: tap “Add a posting”."))
    return fit(sections, _("(shortened)"))


def chart_title(catalog: Catalog, roadmap: Roadmap, lang: str) -> str:
    where = scope(catalog, roadmap.market.role_id, roadmap.market.stack, lang)
    return _("{role}: share of postings asking for each skill").format(role=where)


def chart_legend() -> tuple[str, str]:
    """The chart's two colours: skills the student has, and those to learn."""
    return _("you have it"), _("to learn")


def ask_posting() -> str:
    return _("Paste the vacancy's text, or a link like <i>https://hh.kz/vacancy/123456</i>. /cancel to stop.")


def hh_problem(kind: str, vacancy: str) -> str:
    """Why a vacancy a student linked could not be read, as plainly as "there is no such vacancy": what hh
    did, and what the student can do instead."""
    refused = _(
        "hh.ru would not give vacancy {id} to this bot: it now lets only registered applications read "
        "vacancies. The bot's operators have been told."
    ).format(id=vacancy)
    reasons = {
        "not_found": _("hh.ru has no vacancy {id} (it may be closed or archived).").format(id=vacancy),
        "timeout": _("hh.ru did not answer in time."),
        "unavailable": _("hh.ru could not be reached right now."),
        "rate_limited": _("hh.ru is limiting how often this bot may ask: vacancy {id} could not be read now.").format(
            id=vacancy
        ),
        "captcha": _(
            "hh.ru would not give vacancy {id} to this bot: it asks for a captcha, which a bot cannot solve."
        ).format(id=vacancy),
        "forbidden": refused,
        "bad_user_agent": refused,
    }
    if kind in ("captcha", "forbidden", "bad_user_agent"):  # asking again will not help
        return reasons[kind] + " " + _("Paste the vacancy's text instead: I read it just as well.")
    return reasons.get(kind, reasons["unavailable"]) + " " + _("Paste the vacancy's text instead, or try later.")


def unreadable_vacancy() -> str:
    return _("That vacancy could not be read. Paste its text instead.")


def no_skills_in_posting() -> str:
    return _("I couldn't find any skills in that. Paste the requirements part, or an hh link.")


def added_posting(catalog: Catalog, added: AddedPosting, lang: str) -> str:
    draft, match = added.draft, added.match
    lines = [f"🏢 <b>{quote(draft.title)}</b>" + (f" — {quote(draft.company, 60)}" if draft.company else "")]
    facts = []
    if draft.city:
        facts.append("📍 " + html.quote(city_name(catalog, draft.city, lang)))
    if draft.remote:
        facts.append(_("remote possible"))
    if draft.level:
        facts.append(level_name(draft.level))
    if draft.salary_from is not None or draft.salary_to is not None:
        pay = salary_range(draft.salary_from, draft.salary_to, draft.currency or "KZT", lang)
        if draft.salary_gross is False:
            pay += " " + _("after tax")
        elif draft.salary_gross:
            pay += " " + _("before tax")
        facts.append("💰 " + pay)
    if facts:
        lines.append(" · ".join(facts))
    lines += [
        _("Skills: {skills}").format(skills=names(catalog, draft.skills, lang, 30)),
        _("Your match: <b>{matched} of {total}</b> skills").format(matched=len(match.matched), total=match.total),
    ]
    if match.missing:
        lines.append(_("Missing: {skills}").format(skills=ref_names(catalog, sorted(match.missing), lang, 30)))
        lines.append(
            _("Not on your roadmap yet: {skills}.").format(skills=names(catalog, added.not_planned, lang, 30))
            if added.not_planned else _("Everything it asks for is already on your roadmap.")
        )  # fmt: skip
    else:
        lines.append(_("You have every skill it asks for — apply! 🚀"))
    lines.append(_("Saved: it now counts in your /market."))
    return "\n".join(lines)


def missing_added(catalog: Catalog, added: tuple[str, ...], lang: str) -> str:
    if not added:
        return _("Your roadmap already has everything this posting asks for.")
    return "📌 " + _("On your roadmap now, as skills you lack: {skills}. See /roadmap.").format(
        skills=names(catalog, added, lang, 30)
    )
