"""What coaching says: the gap report, roadmap pages, progress, the profile. HTML, escaped, within Telegram's
limits."""

from __future__ import annotations

from aiogram import html
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from coach.catalog import Catalog
from coach.gap import Gap, SkillDemand
from coach.progress import ItemState, Progress
from coach.roadmap import Reason
from coach.student import Profile
from handlers.coaching.layout import RoadmapLayout
from handlers.common.format import LIST_LIMIT, bar, fit, link, money, names, postings_phrase, quote
from handlers.common.labels import city_name, level_name, term_name
from services.coaching import Roadmap


def headline(catalog: Catalog, profile: Profile, lang: str) -> str:
    user = profile.student
    role = catalog.role(user.role_id).display(lang) if user.role_id else _("no role yet")
    return (
        f"🎯 <b>{html.quote(role)}</b> · {level_name(user.level)} · {html.quote(city_name(catalog, user.city, lang))}"
    )


def core_line(gap: Gap) -> str:
    return _("Core skills: <b>{have} of {total}</b> {bar} {percent}%").format(
        have=len(gap.core_have), total=gap.core_total, bar=bar(gap.core_share), percent=round(gap.core_share * 100)
    )


def _demand_line(catalog: Catalog, demand: SkillDemand, lang: str) -> str:
    name = html.quote(catalog.skill(demand.skill_id).display(lang))
    if not demand.total:
        return f"• {name}"
    return f"• {name} — {postings_phrase(demand.postings, demand.total)}"


def gap_report(catalog: Catalog, profile: Profile, gap: Gap, lang: str) -> str:
    parts = [headline(catalog, profile, lang), core_line(gap)]
    parts.append(
        "✅ " + _("<b>You have:</b> {skills}").format(skills=names(catalog, gap.have, lang))
        if gap.have
        else "✅ " + _("<b>You have:</b> none of this role's skills yet — everyone starts somewhere.")
    )
    if gap.lack:
        lines = [_demand_line(catalog, d, lang) for d in gap.lack[:LIST_LIMIT]]
        if len(gap.lack) > LIST_LIMIT:
            lines.append(_("…and {n} more in /roadmap").format(n=len(gap.lack) - LIST_LIMIT))
        title = _("<b>You lack</b> (most asked first):") if gap.postings_total else _("<b>You lack:</b>")
        parts.append("❌ " + title + "\n" + "\n".join(lines))
    else:
        parts.append("🏆 " + _("You have every skill in this role's profile!"))
    if not gap.postings_total:
        parts.append(
            "ℹ️ " + _("No job postings for this role are stored yet, so this report uses the role profile only.")
        )
        return fit(parts)
    if gap.in_both:
        parts.append(
            "🔁 "
            + _("<b>In the postings and the profile:</b> {skills}").format(skills=names(catalog, gap.in_both, lang))
        )
    if gap.surprising:
        surprising = ", ".join(
            f"{html.quote(catalog.skill(d.skill_id).display(lang))} ({d.postings})" for d in gap.surprising[:LIST_LIMIT]
        )
        parts.append(
            "😮 " + _("<b>Surprising</b> (postings ask, the profile does not): {skills}").format(skills=surprising)
        )
    if gap.almost_every:
        parts.append(
            "⭐ " + _("<b>In almost every posting:</b> {skills}").format(skills=names(catalog, gap.almost_every, lang))
        )
    if gap.best_postings:
        lines = []
        for i, match in enumerate(gap.best_postings, 1):
            posting = match.posting
            title = link(posting.url, quote(posting.title))
            company = f" — {quote(posting.company, 60)}" if posting.company else ""
            line = f"{i}. {title}{company} · " + _("{matched} of {total} skills").format(
                matched=len(match.matched), total=match.total
            )
            if posting.has_salary:
                line += " · " + salary_range(posting.salary_from, posting.salary_to, posting.currency or "KZT", lang)
            lines.append(line)
        parts.append(
            "🏢 " + _("<b>Best-matching postings</b> (of {n}):").format(n=gap.postings_total) + "\n" + "\n".join(lines)
        )
    parts.append(salary_line(catalog, profile, gap, lang))
    return fit(parts)


def salary_range(low: int | None, high: int | None, currency: str, lang: str) -> str:
    if low is not None and high is not None and low != high:
        return f"{money(low, lang)}–{money(high, lang)} {html.quote(currency)}"
    value = low if low is not None else high
    return f"{money(value or 0, lang)} {html.quote(currency)}"


def salary_line(catalog: Catalog, profile: Profile, gap: Gap, lang: str) -> str:
    insight = gap.salary
    scope = level_name(profile.user.level)
    if insight is None:
        return "💰 " + _("Salary: not enough data yet for {level}.").format(level=scope)
    where = html.quote(city_name(catalog, insight.city, lang)) if insight.city else _("all cities")
    span = salary_range(insight.low, insight.high, insight.currency, lang)
    if insight.from_postings:
        return "💰 " + _("<b>Salary, {level}, {where}:</b> median {median}, range {range}, from {n} postings.").format(
            level=scope,
            where=where,
            median=f"{money(insight.median or 0, lang)} {insight.currency}",
            range=span,
            n=insight.sample,
        )
    return "💰 " + _(
        "<b>Salary, {level}, {where}:</b> {range} a month. Too few stored postings show a salary, so this comes "
        "from the catalog's market facts ({source})."
    ).format(level=scope, where=where, range=span, source=html.quote(insight.fallback_source or ""))


def roadmap_text(catalog: Catalog, roadmap: Roadmap, layout: RoadmapLayout, lang: str) -> str:
    header = [headline(catalog, roadmap.profile, lang), core_line(roadmap.gap), progress_line(roadmap.progress)]
    if not roadmap.items:
        return "\n".join(header) + "\n\n" + _("Your roadmap is empty: you have every skill this role asks for. 🏆")
    planned = {p.skill_id: p for p in roadmap.plan.skills}
    lines: list[str] = []
    last_term = None
    for group in layout.groups:
        skill = catalog.skill(group.skill_id)
        plan = planned.get(skill.id)
        if group.term != last_term:
            lines.append(f"\n<b>— {term_name(group.term)} —</b>")
            last_term = group.term
        lines.append(f"<b>{html.quote(skill.display(lang))}</b>{_skill_note(plan, roadmap.gap.postings_total)}")
        for number, item in group.items:
            action = skill.actions[item.action_no].get(lang) if item.action_no < len(skill.actions) else "—"
            lines.append(f"{_MARKS[item.state]} {number}. {html.quote(action)}")
    legend = _("Tap ✅ when done, ⏭ to skip, ↩ to undo.")
    return "\n".join(header) + "\n" + "\n".join(lines) + "\n\n" + legend


_MARKS = {ItemState.OPEN: "▫️", ItemState.DONE: "✅", ItemState.SKIPPED: "⏭"}


def _skill_note(plan, postings_total: int) -> str:
    if plan is None:
        return ""
    reason = {
        Reason.CORE: _("core"),
        Reason.WANTED: _("you asked for it"),
        Reason.NICE: _("nice to have"),
        Reason.PREREQUISITE: _("needed first"),
        Reason.SOFT: _("soft skill"),
    }[plan.reason]
    note = f" · <i>{reason}</i>"
    if postings_total and plan.demand:
        note += " · " + postings_phrase(plan.demand, postings_total)
    return note


def progress_line(progress: Progress) -> str:
    line = _("Done: <b>{done} of {total}</b> action items").format(done=progress.done, total=progress.total)
    if progress.streak_weeks:
        line += " · 🔥 " + ngettext("{n}-week streak", "{n}-week streak", progress.streak_weeks).format(
            n=progress.streak_weeks
        )
    return line


def progress_report(catalog: Catalog, profile: Profile, roadmap: Roadmap, lang: str) -> str:
    progress = roadmap.progress
    share = progress.done / progress.total if progress.total else 0.0
    lines = [
        headline(catalog, profile, lang),
        _("Done: <b>{done} of {total}</b> action items {bar} {percent}%").format(
            done=progress.done, total=progress.total, bar=bar(share), percent=round(share * 100)
        ),
        _("This week: {n} · skipped: {skipped}").format(n=progress.done_this_week, skipped=progress.skipped),
        "🔥 "
        + (
            ngettext(
                "Streak: {n} active week in a row", "Streak: {n} active weeks in a row", progress.streak_weeks
            ).format(n=progress.streak_weeks)
            if progress.streak_weeks
            else _("Streak: none yet — tick an item this week to start one")
        ),
        core_line(roadmap.gap),
        "",
    ]
    for skill in progress.skills:
        mark = "✅" if skill.complete else ("▫️" if not skill.done else "◐")
        name = html.quote(catalog.skill(skill.skill_id).display(lang))
        lines.append(f"{mark} {name} — {skill.done}/{skill.total}")
    return fit(["\n".join(lines)])


def profile_summary(catalog: Catalog, profile: Profile, lang: str) -> str:
    lines = [headline(catalog, profile, lang)]
    lines.append(
        _("<b>Skills you have:</b> {skills}").format(skills=names(catalog, sorted(profile.have), lang, 30) or "—")
    )
    if profile.want:
        lines.append(
            _("<b>Skills you want:</b> {skills}").format(skills=names(catalog, sorted(profile.want), lang, 30))
        )
    lines.append("")
    lines.append(_("What would you like to change? Your progress on items that still apply is kept."))
    return "\n".join(lines)
