"""The weekly reminder as the student sees it, and its buttons: tick items off right there, or snooze."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import Router, html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import Catalog
from coach.progress import Item, ItemState
from handlers import views
from handlers.callbacks import MenuCb, RemItemCb, SnoozeCb
from handlers.coaching import tick_and_answer
from handlers.ui import show
from services.coaching import CoachService, Roadmap
from services.reminders import ReminderMessage
from storage.reminders import ReminderRepo
from storage.users import UserDTO

ITEMS_PER_REMINDER = 3


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


# -- the reminder itself -----------------------------------------------------------------------------


def next_items(items: tuple[Item, ...], count: int = ITEMS_PER_REMINDER) -> list[Item]:
    return [item for item in sorted(items, key=lambda i: i.position) if item.state is ItemState.OPEN][:count]


def reminder_view(
    catalog: Catalog, user: UserDTO, roadmap: Roadmap, shown: list[Item], lang: str, nudge: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    progress = roadmap.progress
    if not shown and progress.open == 0:
        return _finished(catalog, roadmap, lang), InlineKeyboardMarkup(
            inline_keyboard=[[_button(_("📊 Gap report"), MenuCb(target="gap"))]]
        )
    opener = (
        _("👋 It's been two quiet weeks. Ten minutes today keeps the plan alive — here is the next step:")
        if nudge
        else _("📅 <b>Your week's next steps</b>")
    )
    lines = [
        opener,
        _("{done} of {total} done, {week} this week").format(
            done=progress.done, total=progress.total, week=progress.done_this_week
        )
        + (" · 🔥 " + _("streak: {n} wk").format(n=progress.streak_weeks) if progress.streak_weeks else ""),
        "",
    ]
    ids = ".".join(str(item.id) for item in shown)
    rows = []
    for number, item in enumerate(shown, 1):
        skill = catalog.skill(item.skill_id)
        action = skill.actions[item.action_no].get(lang) if item.action_no < len(skill.actions) else "—"
        mark = {ItemState.OPEN: "▫️", ItemState.DONE: "✅", ItemState.SKIPPED: "⏭"}[item.state]
        lines.append(f"{mark} {number}. <b>{html.quote(skill.display(lang))}</b>: {html.quote(action)}")
        if item.state is ItemState.OPEN:
            rows.append(
                [
                    _button(f"{number} ✅", RemItemCb(item=item.id, state="d", shown=ids)),
                    _button(f"{number} ⏭", RemItemCb(item=item.id, state="s", shown=ids)),
                ]
            )
    rows.append([_button(_("😴 Snooze a day"), SnoozeCb(hours=24)), _button(_("📋 Roadmap"), MenuCb(target="roadmap"))])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def _finished(catalog: Catalog, roadmap: Roadmap, lang: str) -> str:
    planned = {p.skill_id for p in roadmap.plan.skills}
    role = catalog.role(roadmap.plan.role_id)
    have = set(roadmap.gap.have) | set(roadmap.gap.other_have)
    suggestions = [sid for sid in role.nice if sid not in planned and sid not in have][:3]
    text = _("🎉 <b>You've done every item on your roadmap!</b> That's a real portfolio — put it on your CV.")
    if suggestions:
        text += "\n\n" + _("Next, consider: {skills}. Add them in /profile → Skills (as skills you lack).").format(
            skills=views.names(catalog, suggestions, lang)
        )
    else:
        text += "\n\n" + _("Ready for more? Pick a neighbouring role in /profile.")
    return text


def make_composer(catalog: Catalog, i18n: I18n):
    """The reminder renderer the ReminderService calls, speaking each user's language."""

    async def compose(user: UserDTO, roadmap: Roadmap | None, nudge: bool) -> ReminderMessage | None:
        if roadmap is None:
            return None
        with i18n.context(), i18n.use_locale(user.language):
            text, markup = reminder_view(catalog, user, roadmap, next_items(roadmap.items), user.language, nudge)
        return ReminderMessage(text, markup, nudge)

    return compose


async def tick_on_reminder(
    callback: CallbackQuery, callback_data: RemItemCb, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    state = {"d": ItemState.DONE, "s": ItemState.SKIPPED}.get(callback_data.state)
    service = CoachService(session, catalog)
    if not await tick_and_answer(callback, service, user, callback_data.item, state):
        return
    profile = await service.profile(user)
    roadmap = await service.roadmap(profile)
    wanted = [int(part) for part in callback_data.shown.split(".") if part.isdigit()]
    by_id = {i.id: i for i in roadmap.items}
    shown = [by_id[i] for i in wanted if i in by_id]
    text, markup = reminder_view(catalog, user, roadmap, shown, lang)
    await show(callback, text, markup)


async def snooze(callback: CallbackQuery, callback_data: SnoozeCb, user: UserDTO, session: AsyncSession) -> None:
    repo = ReminderRepo(session)
    reminder = await repo.get(user.id)
    if reminder is None or not reminder.enabled:
        await callback.answer(_("Reminders are paused — turn them on in /settings."))
        return
    until = datetime.now(UTC) + timedelta(hours=max(1, min(callback_data.hours, 72)))
    await repo.set_next_run(user.id, until)
    local = until.astimezone(ZoneInfo(user.timezone))
    await callback.answer(_("😴 Snoozed. I'll remind you tomorrow at {time}.").format(time=local.strftime("%H:%M")))
    markup = getattr(callback.message, "reply_markup", None)
    if isinstance(callback.message, Message) and markup:
        kept = [[b for b in row if not (b.callback_data or "").startswith("sz:")] for row in markup.inline_keyboard]
        await show(callback, callback.message.html_text, InlineKeyboardMarkup(inline_keyboard=[r for r in kept if r]))


def create_router() -> Router:
    router = Router(name="reminders")
    router.callback_query.register(tick_on_reminder, RemItemCb.filter())
    router.callback_query.register(snooze, SnoozeCb.filter())
    return router
