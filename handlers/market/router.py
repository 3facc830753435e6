"""/market: demand for the student's role as numbers and a chart, salaries, and "add a posting" by pasting a
vacancy's text or an hh.kz / hh.ru link."""

from __future__ import annotations

import asyncio
import logging

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.postings import PostingError
from coach.student import Student
from handlers.common.callbacks import MarketAction, MarketCb
from handlers.common.guards import profile_or_hint, roadmap_or_hint
from handlers.common.screens import send
from handlers.market import keyboards, texts
from handlers.market.chart import render_chart
from handlers.market.states import MarketFlow
from services.coaching import CoachService
from services.hh import HhError, vacancy_id
from services.postings import PostingService

log = logging.getLogger(__name__)


async def market(message: Message, student: Student, coach: CoachService, catalog: Catalog, lang: str) -> None:
    if not (roadmap := await roadmap_or_hint(message, coach, student)):
        return
    text = texts.market_text(catalog, roadmap, lang)
    if roadmap.market.postings_total:
        known = roadmap.ranking.known
        rows = [
            (catalog.ref_name(d.ref, lang), d.share, catalog.covered(d.ref, known))
            for d in texts.top_asked(catalog, roadmap)
        ]
        title = texts.chart_title(catalog, roadmap, lang)
        # Rendering takes ~100 ms of CPU: off the event loop, so other students are not kept waiting.
        png = await asyncio.to_thread(render_chart, rows, title, _("you have it"), _("to learn"))
        await message.answer_photo(BufferedInputFile(png, filename="market.png"))
    await message.answer(text, reply_markup=keyboards.add_posting())


async def ask_posting(callback: CallbackQuery, state: FSMContext, student: Student, coach: CoachService) -> None:
    if not await profile_or_hint(callback, coach, student):
        return  # a stale button, pressed after /delete_me
    await callback.answer()
    await state.set_state(MarketFlow.posting)
    await send(callback, texts.ask_posting())


async def receive_posting(
    message: Message, state: FSMContext, student: Student, coach: CoachService, postings: PostingService,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    if not await profile_or_hint(message, coach, student):
        # The profile was deleted while a posting was asked for: nothing to compare the posting with.
        await state.clear()
        return
    text = message.text or ""
    if vacancy := vacancy_id(text):
        try:
            draft = await postings.fetch_draft(vacancy)  # hh.ru, outside any transaction
        except HhError as problem:
            if problem.kind in ("captcha", "forbidden", "bad_user_agent"):  # the operators must act, not the student
                log.warning("hh.ru refused vacancy %s to the bot (%s): see `python -m bot postings sync`", vacancy,
                            problem)  # fmt: skip
            await message.answer(texts.hh_problem(problem.kind, vacancy))
            return
        except PostingError:
            await message.answer(texts.unreadable_vacancy())
            return
    else:
        draft = postings.draft_from_text(text)
    if not draft.skills:
        await message.answer(texts.no_skills_in_posting())
        return
    await state.clear()  # joins the transaction that saves the posting
    added = await postings.add(student, draft)
    await message.answer(texts.added_posting(catalog, added, lang))


def create_router() -> Router:
    router = Router(name="market")
    router.message.register(market, Command("market"))
    router.callback_query.register(ask_posting, MarketCb.filter(F.action == MarketAction.ADD))
    router.message.register(receive_posting, MarketFlow.posting, F.text, ~F.text.startswith("/"))
    return router
