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
from handlers.common.format import (
    bar,
    demand_name,
    fit,
    link,
    names,
    percent,
    postings_phrase,
    quote,
    ref_name,
    ref_names,
)
from handlers.common.labels import city_name, level_name, term_name
from handlers.common.market import enough, salary_line, salary_range, scope, sources_line
from services.coaching import Roadmap


def headline(catalog: Catalog, profile: Profile, lang: str) -> str:
    student = profile.student
    if not student.role_id:
        return "🎯 <b>" + _("no role yet") + "</b>"
    role = html.quote(scope(catalog, student.role_id, student.stack, lang))
    return f"🎯 <b>{role}</b> · {level_name(student.level)} · {html.quote(city_name(catalog, student.city, lang))}"


def core_line(gap: Gap) -> str:
    return _("Core skills: <b>{have} of {total}</b> {bar} {percent}%").format(
        have=len(gap.core_have), total=gap.core_total, bar=bar(gap.core_share), percent=round(gap.core_share * 100)
    )


def _demand_line(catalog: Catalog, demand: SkillDemand, weighed: bool, lang: str) -> str:
    notes = []
    if demand.named:
        notes.append(_("you named it"))
    elif demand.reason is Reason.PREREQUISITE and demand.needed_by:
        notes.append(_("needed for {skill}").format(skill=html.quote(catalog.skill(demand.needed_by).display(lang))))
    elif demand.core:
        notes.append(_("core"))
    if weighed and demand.total:
        notes.append(_("in {share} of postings").format(share=percent(demand.share)))
    return f"• {demand_name(catalog, demand, lang)}" + (f" — {' · '.join(notes)}" if notes else "")


def gap_report(catalog: Catalog, roadmap: Roadmap, lang: str) -> str:
    profile, gap, market = roadmap.profile, roadmap.gap, roadmap.market
    weighed = enough(market)
    parts = [headline(catalog, profile, lang), core_line(gap), sources_line(catalog, market, lang)]
    parts.append(
        "✅ " + _("<b>You have:</b> {skills}").format(skills=names(catalog, gap.have, lang))
        if gap.have
        else "✅ " + _("<b>You have:</b> none of this role's skills yet — everyone starts somewhere.")
    )
    if gap.have and gap.implied:
        parts[-1] += " — " + _("which covers {skills} too").format(skills=names(catalog, gap.implied, lang))
    shown = [d for d in gap.shown() if not d.soft]  # soft skills are practised alongside, not gaps
    if shown:
        lines = [_demand_line(catalog, d, weighed, lang) for d in shown]
        if len(gap.lack) > len(shown):
            lines.append(_("…and {n} more in /roadmap").format(n=len(gap.lack) - len(shown)))
        parts.append("❌ " + _("<b>What you lack</b>, in your roadmap's order:") + "\n" + "\n".join(lines))
    else:
        parts.append("🏆 " + _("You have every skill in this role's profile!"))
    if gap.other_stacks:
        others = ", ".join(f"{html.quote(s.name)} {percent(s.share)}" for s in gap.other_stacks[:5])
        role = html.quote(catalog.role(gap.role_id).display(lang))
        parts.append("🧭 " + _("Other stacks in {role} (not your gaps): {stacks}").format(role=role, stacks=others))
    if not market.postings_total:
        return fit(parts)
    if gap.surprising and weighed:
        surprising = ", ".join(f"{ref_name(catalog, d.ref, lang)} ({percent(d.share)})" for d in gap.surprising)
        parts.append(
            "😮 " + _("<b>Surprising</b> (postings ask, the profile does not): {skills}").format(skills=surprising)
        )
    if gap.almost_every and weighed:
        parts.append("⭐ " + _("<b>In almost every posting:</b> {skills}").format(
            skills=ref_names(catalog, gap.almost_every, lang)))  # fmt: skip
    if gap.best_postings:
        lines = []
        for i, match in enumerate(gap.best_postings, 1):
            posting = match.posting
            title = link(posting.url, quote(posting.title)) if posting.source != "sample" else quote(posting.title)
            company = f" — {quote(posting.company, 60)}" if posting.company else ""
            line = f"{i}. {title}{company} · " + _("{matched} of {total} skills").format(
                matched=len(match.matched), total=match.total
            )
            if posting.has_salary:
                line += " · " + salary_range(posting.salary_from, posting.salary_to, posting.currency or "KZT", lang)
            if posting.source == "sample":
                line += " · " + _("sample")
            lines.append(line)
        parts.append("🏢 " + _("<b>Best-matching postings</b> for your level and city:") + "\n" + "\n".join(lines))
    parts.append(salary_line(catalog, gap.salaries, profile.student.level, lang))
    return fit(parts)


BACKLOG_SHOWN = 8


def roadmap_text(catalog: Catalog, roadmap: Roadmap, layout: RoadmapLayout, lang: str) -> str:
    header = [headline(catalog, roadmap.profile, lang), core_line(roadmap.gap), progress_line(roadmap.progress)]
    backlog = [p.ref or p.skill_id for p in roadmap.plan.backlog]
    if not roadmap.items:
        return "\n".join(header) + "\n\n" + _("Your roadmap is empty: you have every skill this role asks for. 🏆")
    planned = {p.skill_id: p for p in roadmap.plan.skills}
    weighed = enough(roadmap.market)
    lines: list[str] = []
    last_term: object = object()
    for group in layout.groups:
        skill = catalog.skill(group.skill_id)
        plan = planned.get(skill.id)
        if group.term != last_term:
            label = term_name(group.term) if group.term is not None else _("Done earlier")
            lines.append(f"\n<b>— {label} —</b>")
            last_term = group.term
        lines.append(f"<b>{html.quote(skill.display(lang))}</b>{_skill_note(plan, weighed)}")
        for number, item in group.items:
            if item.action_no >= len(skill.actions):
                action = "—"
            elif plan is not None:
                action = roadmap.plan.wording(catalog, skill.id, item.action_no).get(lang)
            else:
                action = skill.actions[item.action_no].get(lang)
            lines.append(f"{_MARKS[item.state]} {number}. {html.quote(action)}")
    text = "\n".join(header) + "\n" + "\n".join(lines)
    if backlog:
        text += "\n\n🗂 " + _("<b>Next terms:</b> {skills}").format(
            skills=ref_names(catalog, backlog, lang, BACKLOG_SHOWN)
        )
    return text + "\n\n" + _("Tap ✅ when done, ⏭ to skip, ↩ to undo.")


_MARKS = {ItemState.OPEN: "▫️", ItemState.DONE: "✅", ItemState.SKIPPED: "⏭"}


def _skill_note(plan, weighed: bool) -> str:
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
    if weighed and plan.total and plan.demand:
        note += " · " + postings_phrase(plan.demand, plan.total)
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
        lines.append(_("<b>Skills you want:</b> {skills}").format(skills=names(catalog, profile.want, lang, 30)))
    lines.append("")
    lines.append(_("What would you like to change? Your progress on items that still apply is kept."))
    return "\n".join(lines)
