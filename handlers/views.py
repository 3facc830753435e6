"""What the bot says: gap report, roadmap pages, progress, profile. HTML, escaped, within Telegram's limits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.numbers import format_decimal

from coach.catalog import Catalog
from coach.gap import Gap, SkillDemand
from coach.progress import Item, ItemState, Progress
from coach.roadmap import Reason, Term
from handlers.callbacks import ItemCb, PageCb
from handlers.labels import city_name, level_name, term_name
from services.coaching import Profile, Roadmap

TEXT_LIMIT = 4096
LIST_LIMIT = 10
SKILLS_PER_PAGE = 3


def money(amount: int | float, lang: str) -> str:
    return format_decimal(round(amount), locale="ru" if lang == "ru" else "en")


def bar(share: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, share)) * width)
    return "▰" * filled + "▱" * (width - filled)


def names(catalog: Catalog, skill_ids: Iterable[str], lang: str, limit: int = LIST_LIMIT) -> str:
    ids = list(skill_ids)
    shown = ", ".join(html.quote(catalog.skill(sid).display(lang)) for sid in ids[:limit])
    if len(ids) > limit:
        shown += " " + _("and {n} more").format(n=len(ids) - limit)
    return shown


def postings_phrase(count: int, total: int) -> str:
    return ngettext("{count} of {total} posting", "{count} of {total} postings", total).format(count=count, total=total)


def headline(catalog: Catalog, profile: Profile, lang: str) -> str:
    user = profile.user
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
            title = html.quote(posting.title)
            if posting.url and posting.url.startswith(("https://", "http://")):
                title = f'<a href="{html.quote(posting.url)}">{title}</a>'
            company = f" — {html.quote(posting.company)}" if posting.company else ""
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


def fit(parts: Sequence[str]) -> str:
    """Join sections, dropping trailing ones that would push the message past Telegram's limit."""
    text = ""
    for part in parts:
        candidate = f"{text}\n\n{part}" if text else part
        if len(candidate) > TEXT_LIMIT - 50:
            return text + "\n\n" + _("(shortened — see /roadmap for the rest)")
        text = candidate
    return text


# -- roadmap pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadmapPage:
    text: str
    markup: InlineKeyboardMarkup
    page: int
    pages: int


def _pages(items: Sequence[Item]) -> list[list[list[Item]]]:
    """Items grouped by skill (in roadmap order), SKILLS_PER_PAGE skills a page."""
    groups: list[list[Item]] = []
    for item in sorted(items, key=lambda i: i.position):
        if groups and groups[-1][0].skill_id == item.skill_id:
            groups[-1].append(item)
        else:
            groups.append([item])
    return [groups[i : i + SKILLS_PER_PAGE] for i in range(0, len(groups), SKILLS_PER_PAGE)] or [[]]


_MARKS = {ItemState.OPEN: "▫️", ItemState.DONE: "✅", ItemState.SKIPPED: "⏭"}


def roadmap_page(catalog: Catalog, profile: Profile, roadmap: Roadmap, page: int, lang: str) -> RoadmapPage:
    pages = _pages(roadmap.items)
    page = max(0, min(page, len(pages) - 1))
    progress = roadmap.progress
    header = [
        headline(catalog, profile, lang),
        core_line(roadmap.gap),
        progress_line(progress),
    ]
    if not roadmap.items:
        text = "\n".join(header) + "\n\n" + _("Your roadmap is empty: you have every skill this role asks for. 🏆")
        return RoadmapPage(text, InlineKeyboardMarkup(inline_keyboard=[]), 0, 1)
    planned = {p.skill_id: p for p in roadmap.plan.skills}
    lines: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    number = 0
    last_term: Term | None = None
    for group in pages[page]:
        skill = catalog.skill(group[0].skill_id)
        plan = planned.get(skill.id)
        term = plan.term if plan else Term.LATER
        if term != last_term:
            lines.append(f"\n<b>— {term_name(term)} —</b>")
            last_term = term
        note = _skill_note(plan, roadmap.gap.postings_total)
        lines.append(f"<b>{html.quote(skill.display(lang))}</b>{note}")
        row: list[InlineKeyboardButton] = []
        for item in group:
            number += 1
            action = skill.actions[item.action_no].get(lang) if item.action_no < len(skill.actions) else "—"
            lines.append(f"{_MARKS[item.state]} {number}. {html.quote(action)}")
            row.extend(_item_buttons(item, number, page))
            if len(row) >= 4:
                rows.append(row)
                row = []
        if row:
            rows.append(row)
    if len(pages) > 1:
        nav = []
        if page > 0:
            nav.append(InlineKeyboardButton(text="◀", callback_data=PageCb(page=page - 1).pack()))
        nav.append(InlineKeyboardButton(text=f"{page + 1}/{len(pages)}", callback_data=PageCb(page=page).pack()))
        if page < len(pages) - 1:
            nav.append(InlineKeyboardButton(text="▶", callback_data=PageCb(page=page + 1).pack()))
        rows.append(nav)
    legend = _("Tap ✅ when done, ⏭ to skip, ↩ to undo.")
    text = "\n".join(header) + "\n" + "\n".join(lines) + "\n\n" + legend
    return RoadmapPage(text, InlineKeyboardMarkup(inline_keyboard=rows), page, len(pages))


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


def _item_buttons(item: Item, number: int, page: int) -> list[InlineKeyboardButton]:
    def button(label: str, state: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=label, callback_data=ItemCb(item=item.id, state=state, page=page).pack())

    if item.state is ItemState.OPEN:
        return [button(f"{number} ✅", "d"), button(f"{number} ⏭", "s")]
    return [button(f"{number} ↩", "o")]


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
