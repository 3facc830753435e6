"""Files a teacher gets: the invite's QR code, the roster as CSV, every student's analysis in a zip.

Names come from outside (a class's name, a student's Telegram name): in file names they become a safe slug,
and a CSV cell that a spreadsheet would read as a formula (=, +, -, @) is quoted with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.classes import Member
from handlers.common.labels import city_name, level_name
from handlers.common.market import scope
from handlers.report.document import build_report, markdown
from services.classes import ClassSummary
from services.coaching import Roadmap

_UNSAFE = re.compile(r"[^\w-]+", re.UNICODE)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def qr_png(link: str) -> bytes:
    """The link as a QR code (PNG): segno writes PNG itself, no imaging library needed."""
    import segno

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def slug(text: str, fallback: str = "class") -> str:
    """A file-name-safe version of a name: letters (any script), digits, - and _."""
    value = _UNSAFE.sub("-", text.strip().lower()).strip("-_")[:40].strip("-_")
    return value or fallback


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def roster_csv(catalog: Catalog, summary: ClassSummary, zone: str, lang: str) -> bytes:
    """One row per student: who, what they aim for, and their progress as their /progress shows it. UTF-8 with a
    byte order mark, so Excel opens Cyrillic names right."""
    tz = ZoneInfo(zone)

    def when(moment: datetime | None) -> str:
        return moment.astimezone(tz).date().isoformat() if moment else ""

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([
        _("Name"), _("Role"), _("Level"), _("City"), _("Core skills covered"), _("Core skills in the role"),
        _("Action items done"), _("Skipped"), _("Action items in total"), _("Progress, %"), _("Done this week"),
        _("Streak, weeks"), _("Last tick"), _("Last active"), _("Joined"), _("Stuck"),
    ])  # fmt: skip
    for row in summary.members:
        member, progress = row.member, row.progress
        core = summary.core.get(member.user_id)
        role = scope(catalog, member.role_id, member.stack, lang) if member.role_id in catalog.roles else ""
        writer.writerow([
            _cell(member.name), _cell(role),
            level_name(member.level) if member.has_profile else "",
            _cell(city_name(catalog, member.city, lang)) if member.has_profile else "",
            core.covered if core else "", len(core.core) if core else "",
            progress.done if progress else "", progress.skipped if progress else "",
            progress.total if progress else "", round(100 * row.share) if progress else "",
            progress.done_this_week if progress else "", progress.streak_weeks if progress else "",
            when(row.last_tick), when(row.last_active), when(member.joined_at),
            _("yes") if row.stuck else _("no"),
        ])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


def report_name(member_name: str) -> str:
    return _("roles-and-skills-analysis") + "-" + slug(member_name, "student")


def reports_zip(catalog: Catalog, reports: Sequence[tuple[Member, Roadmap]], lang: str, today: datetime) -> bytes:
    """Every student's analysis as Markdown, numbered in roster order (two students may share a name)."""
    buffer = io.BytesIO()
    width = len(str(len(reports)))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, (member, roadmap) in enumerate(reports, 1):
            text = markdown(build_report(catalog, roadmap, lang, today))
            archive.writestr(f"{number:0{width}d}-{slug(member.name, 'student')}.md", text)
    return buffer.getvalue()
