"""/report: the analysis as a file."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.student import Student
from handlers.common.guards import roadmap_or_hint
from handlers.report.document import build_report
from services.coaching import CoachService


async def report(message: Message, student: Student, coach: CoachService, catalog: Catalog, lang: str) -> None:
    if not (roadmap := await roadmap_or_hint(message, coach, student)):
        return
    text = build_report(catalog, roadmap.profile, roadmap, lang, datetime.now(UTC))
    name = _("roles-and-skills-analysis") + ".md"
    await message.answer_document(
        BufferedInputFile(text.encode("utf-8"), filename=name),
        caption=_("📄 Your roles and skills analysis, ready to hand in. It follows your current profile and progress."),
    )


def create_router() -> Router:
    router = Router(name="report")
    router.message.register(report, Command("report"))
    return router
