"""/market: demand for the student's role as numbers and a chart, salaries, and "add a posting" by pasting a
vacancy's text or an hh.kz / hh.ru link."""

from __future__ import annotations

import asyncio
import hashlib
import io

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from coach.catalog import Catalog
from coach.gap import posting_match
from coach.market import MarketSnapshot, PostingView, salary_by_city, salary_table
from coach.postings import PostingDraft, PostingError, from_hh
from coach.skills import SkillParser
from handlers import views
from handlers.coaching import profile_or_hint
from handlers.labels import city_name, level_name
from services.coaching import CoachService, Profile
from services.hh import HhError, fetch_vacancy, vacancy_id
from storage.users import UserDTO

TOP_SKILLS = 12


class MarketCb(CallbackData, prefix="mk"):
    action: str  # add


class MarketFlow(StatesGroup):
    posting = State()


def render_chart(rows: list[tuple[str, float, bool]], title: str, mine: str, others: str) -> bytes:
    """A horizontal bar chart of skill demand, the student's skills in another colour (Agg: no display)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    names = [name for name, _, _ in rows][::-1]
    shares = [100 * share for _, share, _ in rows][::-1]
    colours = ["#2e7d32" if has else "#9e9e9e" for _, _, has in rows][::-1]
    figure, axes = plt.subplots(figsize=(7, 0.45 * len(rows) + 1.4), dpi=110)
    try:
        axes.barh(names, shares, color=colours)
        axes.set_xlim(0, 100)
        axes.set_xlabel("%")
        axes.set_title(title)
        axes.legend(handles=[Patch(color="#2e7d32", label=mine), Patch(color="#9e9e9e", label=others)],
                    loc="lower right")  # fmt: skip
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def market_text(catalog: Catalog, profile: Profile, market: MarketSnapshot, have: set[str], rates, lang: str) -> str:
    role = catalog.role(profile.user.role_id or "")
    own = sum(1 for p in market.postings if p.source == "user")
    lines = [
        "📈 "
        + _("<b>Market for {role}</b>: {n} postings").format(
            role=html.quote(role.display(lang)), n=market.postings_total
        )
        + (" " + _("({n} added by you)").format(n=own) if own else ""),
    ]
    if not market.postings_total:
        lines.append(_("No postings for this role yet. Add the ones you find: tap “Add a posting”."))
        return "\n".join(lines)
    lines += ["", _("<b>Most asked</b> (✅ you have it):")]
    for skill_id, count in market.ranked()[:TOP_SKILLS]:
        mark = " ✅" if skill_id in have else ""
        name = html.quote(catalog.skill(skill_id).display(lang))
        lines.append(
            f"• {name} — {round(100 * count / market.postings_total)}% ({count}/{market.postings_total}){mark}"
        )
    in_profile = set(role.core + role.nice)
    if almost := market.almost_every():
        lines += [
            "",
            "⭐ " + _("<b>In almost every posting:</b> {skills}").format(skills=views.names(catalog, almost, lang)),
        ]
    surprising = [sid for sid, _count in market.ranked() if sid not in in_profile][:8]
    if surprising:
        lines += ["", "😮 " + _("<b>Surprising</b> (postings ask, the profile does not): {skills}").format(
            skills=views.names(catalog, surprising, lang))]  # fmt: skip

    def row_text(label: str, row) -> str:
        return (
            f"• {label}: {views.money(row.median, lang)} {row.currency} · "
            f"{views.money(row.low, lang)}–{views.money(row.high, lang)} · {row.sample}"
        )

    table = salary_table(market.postings, rates)
    if table:
        lines += ["", "💰 " + _("<b>Salaries by level</b> (median · range · postings):")]
        lines += [row_text(level_name(row.level), row) for row in table]
    level = profile.user.level
    by_city = salary_by_city(market.postings, level, rates) if level else {}
    if by_city:
        lines += ["", "🏙 " + _("<b>{level} by city:</b>").format(level=level_name(level))]
        for city, rows in by_city.items():
            lines += [row_text(html.quote(city_name(catalog, city, lang)), row) for row in rows]
    return views.fit(["\n".join(lines)])


def _add_button() -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(text=_("➕ Add a posting"), callback_data=MarketCb(action="add").pack())
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


async def market(
    message: Message, user: UserDTO, session: AsyncSession, catalog: Catalog, settings: Settings, lang: str
) -> None:
    service = CoachService(session, catalog)
    if not (profile := await profile_or_hint(message, service, user)):
        return
    snapshot = await service.market(profile.user.role_id, user.id)
    roadmap = await service.roadmap(profile, market=snapshot)
    have = set(roadmap.gap.have) | set(roadmap.gap.other_have)
    text = market_text(catalog, profile, snapshot, have, settings.currency_rates, lang)
    if snapshot.postings_total:
        rows = [
            (catalog.skill(sid).display(lang), count / snapshot.postings_total, sid in have)
            for sid, count in snapshot.ranked()[:TOP_SKILLS]
        ]
        title = _("{role}: share of postings asking for each skill").format(
            role=catalog.role(profile.user.role_id).display(lang)
        )
        # Rendering takes ~100 ms of CPU: off the event loop, so other students are not kept waiting.
        png = await asyncio.to_thread(render_chart, rows, title, _("you have it"), _("to learn"))
        await message.answer_photo(BufferedInputFile(png, filename="market.png"))
    await message.answer(text, reply_markup=_add_button())


async def ask_posting(
    callback: CallbackQuery, state: FSMContext, user: UserDTO, session: AsyncSession, catalog: Catalog
) -> None:
    if not await profile_or_hint(callback, CoachService(session, catalog), user):
        return  # a stale button, pressed after /delete_me
    await callback.answer()
    await state.set_state(MarketFlow.posting)
    await callback.bot.send_message(
        callback.from_user.id,
        _("Paste the vacancy's text, or a link like <i>https://hh.kz/vacancy/123456</i>. /cancel to stop."),
    )


def draft_from_text(text: str, parser: SkillParser) -> PostingDraft:
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")[:100] or "—"
    result = parser.parse(text)
    return PostingDraft(
        source="text", source_id=hashlib.sha1(text.encode()).hexdigest()[:16], title=title, company=None,
        role_id=None, level=None, city=None, url=None, salary_from=None, salary_to=None, currency=None,
        salary_gross=None, skills=result.recognized,
    )  # fmt: skip


async def receive_posting(
    message: Message, state: FSMContext, user: UserDTO, session: AsyncSession, catalog: Catalog,
    parser: SkillParser, settings: Settings, lang: str,
) -> None:  # fmt: skip
    service = CoachService(session, catalog)
    if not (profile := await profile_or_hint(message, service, user)):
        # The profile was deleted while a posting was asked for: nothing to compare the posting with.
        await state.clear()
        return
    text = message.text or ""
    vacancy = vacancy_id(text)
    if vacancy:
        try:
            raw = await fetch_vacancy(str(settings.hh_api_url), settings.hh_user_agent, vacancy)
            draft = from_hh(raw, catalog, parser)
        except HhError as problem:
            reasons = {
                "not_found": _("hh.ru has no vacancy {id} (it may be closed or archived).").format(id=vacancy),
                "timeout": _("hh.ru did not answer in time."),
                "unavailable": _("hh.ru could not be reached right now."),
            }
            await message.answer(reasons[problem.kind] + " " + _("Paste the vacancy's text instead, or try later."))
            return
        except PostingError:
            await message.answer(_("That vacancy could not be read. Paste its text instead."))
            return
    else:
        draft = draft_from_text(text, parser)
    if not draft.skills:
        await message.answer(_("I couldn't find any skills in that. Paste the requirements part, or an hh link."))
        return
    await service.add_posting(user, draft)
    await state.clear()
    roadmap = await service.roadmap(profile)
    have = set(roadmap.gap.have) | set(roadmap.gap.other_have)
    view = PostingView(id=0, title=draft.title, company=draft.company, skills=frozenset(draft.skills))
    match = posting_match(view, have)
    planned = {p.skill_id for p in roadmap.plan.skills}
    lines = [
        f"🏢 <b>{html.quote(draft.title)}</b>" + (f" — {html.quote(draft.company)}" if draft.company else ""),
        _("Skills: {skills}").format(skills=views.names(catalog, draft.skills, lang, 30)),
        _("Your match: <b>{matched} of {total}</b> skills").format(matched=len(match.matched), total=match.total),
    ]
    if match.missing:
        lines.append(_("Missing: {skills}").format(skills=views.names(catalog, sorted(match.missing), lang, 30)))
        new = sorted(match.missing - planned)
        lines.append(
            _("Not on your roadmap yet: {skills} — add them in /profile → Skills as skills you lack.").format(
                skills=views.names(catalog, new, lang, 30))
            if new else _("Everything it asks for is already on your roadmap.")
        )  # fmt: skip
    else:
        lines.append(_("You have every skill it asks for — apply! 🚀"))
    lines.append(_("Saved: it now counts in your /market."))
    await message.answer("\n".join(lines))


def create_router() -> Router:
    router = Router(name="market")
    router.message.register(market, Command("market"))
    router.callback_query.register(ask_posting, MarketCb.filter(F.action == "add"))
    router.message.register(receive_posting, MarketFlow.posting, F.text, ~F.text.startswith("/"))
    return router
