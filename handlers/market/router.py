"""/market: demand for the student's role as numbers and a chart, salaries, and "add a posting" by pasting a
vacancy's text or an hh.kz / hh.ru link."""

from __future__ import annotations

import asyncio
import logging

from aiogram import F, Router
from aiogram.enums import ChatAction
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.postings import PostingError
from coach.student import Student
from handlers.common.callbacks import MarketAction, MarketCb, PostingAction, PostingCb
from handlers.common.guards import profile_or_hint, roadmap_or_hint
from handlers.common.screens import drop_keyboard, send, working
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
    if not roadmap.market.postings_total:
        await message.answer(texts.market_text(catalog, roadmap, lang), reply_markup=keyboards.add_posting())
        return
    await working(message, ChatAction.UPLOAD_PHOTO)
    known = roadmap.ranking.known
    rows = [
        (catalog.ref_name(d.ref, lang), d.share, catalog.covered(d.ref, known))
        for d in texts.top_asked(catalog, roadmap)
    ]
    title = texts.chart_title(catalog, roadmap, lang)
    # Rendering takes CPU: off the event loop, so other students are not kept waiting.
    png = await asyncio.to_thread(render_chart, rows, title, *texts.chart_legend())
    # The chart carries the summary as its caption; the message after it holds only what the chart does not
    # show (the exact shares, other stacks, salaries by level and city), with the button.
    await message.answer_photo(
        BufferedInputFile(png, filename="market.png"), caption=texts.market_caption(catalog, roadmap, lang)
    )
    await message.answer(texts.market_text(catalog, roadmap, lang, charted=True), reply_markup=keyboards.add_posting())


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
        await working(message)  # hh.ru takes a moment, sometimes seconds
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
    await message.answer(
        texts.added_posting(catalog, added, lang), reply_markup=keyboards.after_posting(added.posting_id,
                                                                                          len(added.not_planned))
    )  # fmt: skip


async def want_missing(callback: CallbackQuery, callback_data: PostingCb, student: Student, postings: PostingService,
                       catalog: Catalog, lang: str) -> None:  # fmt: skip
    added = await postings.want_missing(student, callback_data.posting)
    if added is None:  # not their posting, or no profile any more
        await callback.answer(_("This button no longer works. Send /start to begin again."))
        return
    await callback.answer()
    await send(callback, texts.missing_added(catalog, added, lang))
    if isinstance(callback.message, Message):  # the button has done its work: only "another posting" stays
        await drop_keyboard(callback, callback.message.chat.id, callback.message.message_id,
                            keyboards.after_posting(callback_data.posting, 0))  # fmt: skip


def create_router() -> Router:
    router = Router(name="market")
    router.message.register(market, Command("market"))
    router.callback_query.register(ask_posting, MarketCb.filter(F.action == MarketAction.ADD))
    router.message.register(receive_posting, MarketFlow.posting, F.text, ~F.text.startswith("/"))
    router.callback_query.register(want_missing, PostingCb.filter(F.action == PostingAction.WANT_MISSING))
    return router
