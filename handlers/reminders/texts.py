"""What a weekly reminder says."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import html
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.progress import Item, ItemState
from handlers.common.format import names
from services.coaching import Roadmap

_MARKS = {ItemState.OPEN: "▫️", ItemState.DONE: "✅", ItemState.SKIPPED: "⏭"}


def reminder(catalog: Catalog, roadmap: Roadmap, shown: Sequence[Item], lang: str, nudge: bool = False) -> str:
    progress = roadmap.progress
    opener = (
        _("👋 It's been two quiet weeks. Ten minutes today keeps the plan alive — here is the next step:")
        if nudge
        else _("📅 <b>Your week's next steps</b>")
    )
    status = _("{done} of {total} done, {week} this week").format(
        done=progress.done, total=progress.total, week=progress.done_this_week
    )
    if progress.streak_weeks:
        status += " · 🔥 " + _("streak: {n} wk").format(n=progress.streak_weeks)
    lines = [opener, status, ""]
    planned = {p.skill_id for p in roadmap.plan.skills}
    for number, item in enumerate(shown, 1):
        skill = catalog.skill(item.skill_id)
        if item.action_no >= len(skill.actions):
            action = "—"
        elif skill.id in planned:
            action = roadmap.plan.wording(catalog, skill.id, item.action_no).get(lang)
        else:
            action = skill.actions[item.action_no].get(lang)
        lines.append(f"{_MARKS[item.state]} {number}. <b>{html.quote(skill.display(lang))}</b>: {html.quote(action)}")
    return "\n".join(lines)


def finished(catalog: Catalog, roadmap: Roadmap, lang: str) -> str:
    planned = {p.skill_id for p in roadmap.plan.skills}
    role = catalog.role(roadmap.plan.role_id)
    have = set(roadmap.gap.have) | set(roadmap.gap.other_have)
    suggestions = [sid for ref in role.nice for sid in catalog.members(ref) if sid not in planned and sid not in have]
    text = _("🎉 <b>You've done every item on your roadmap!</b> That's a real portfolio — put it on your CV.")
    if suggestions:
        text += "\n\n" + _("Next, consider: {skills}. Add them in /profile → Skills (as skills you lack).").format(
            skills=names(catalog, suggestions[:3], lang)
        )
    else:
        text += "\n\n" + _("Ready for more? Pick a neighbouring role in /profile.")
    return text


def snoozed(time: str) -> str:
    return _("😴 Snoozed. I'll remind you tomorrow at {time}.").format(time=time)


def reminders_paused() -> str:
    return _("Reminders are paused — turn them on in /settings.")


def no_profile() -> str:
    return _("You have no profile and no reminders any more. Send /start to make a new one.")
