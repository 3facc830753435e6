"""/report: the analysis as a file — Markdown, and Word (.docx) on a button."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiogram import Router
from aiogram.enums import ChatAction
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.student import Student
from handlers.common.buttons import button, rows
from handlers.common.callbacks import ReportCb, ReportFormat
from handlers.common.guards import roadmap_or_hint
from handlers.common.screens import Target, working
from handlers.report.document import build_report, docx, markdown
from services.coaching import CoachService


async def send_report(target: Target, fmt: ReportFormat, student: Student, coach: CoachService, catalog: Catalog,
                      lang: str) -> None:  # fmt: skip
    if not (roadmap := await roadmap_or_hint(target, coach, student)):
        return
    if isinstance(target, CallbackQuery):
        await target.answer()
    message = target.message if isinstance(target, CallbackQuery) else target
    assert isinstance(message, Message)
    await working(target, ChatAction.UPLOAD_DOCUMENT)
    blocks = build_report(catalog, roadmap, lang, datetime.now(UTC))
    name = _("roles-and-skills-analysis")
    if fmt is ReportFormat.DOCX:
        data = await asyncio.to_thread(docx, blocks)  # a few hundred ms of CPU: off the event loop
        file = BufferedInputFile(data, filename=f"{name}.docx")
        await message.answer_document(file, caption=_("📝 The same analysis as a Word document."))
        return
    file = BufferedInputFile(markdown(blocks).encode("utf-8"), filename=f"{name}.md")
    await message.answer_document(
        file,
        caption=_("📄 Your roles and skills analysis, ready to hand in. It follows your current profile and progress."),
        reply_markup=rows([button(_("📝 Also as Word (.docx)"), ReportCb(format=ReportFormat.DOCX))]),
    )


async def report(message: Message, student: Student, coach: CoachService, catalog: Catalog, lang: str) -> None:
    await send_report(message, ReportFormat.MARKDOWN, student, coach, catalog, lang)


async def report_button(callback: CallbackQuery, callback_data: ReportCb, student: Student, coach: CoachService,
                        catalog: Catalog, lang: str) -> None:  # fmt: skip
    await send_report(callback, callback_data.format, student, coach, catalog, lang)


def create_router() -> Router:
    router = Router(name="report")
    router.message.register(report, Command("report"))
    router.callback_query.register(report_button, ReportCb.filter())
    return router
