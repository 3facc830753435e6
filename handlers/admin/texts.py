"""What the operator's console says."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import html
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date, format_datetime

from coach.catalog import Catalog
from handlers.common.format import fit, money
from services.admin import Overview
from services.reminders import RunCounts
from services.sync import SyncSummary

_SOURCES = {"hh": "hh", "csv": "files", "sample": "samples", "user": "students"}


def _n(value: int, lang: str) -> str:
    return money(value, lang)


def _day(value: datetime | None, lang: str) -> str:
    return format_date(value, "d MMM y", locale=lang) if value else "—"


def _moment(value: datetime, lang: str) -> str:
    naive = value.astimezone(UTC).replace(tzinfo=None)
    return format_datetime(naive, "d MMM y, HH:mm 'UTC'", locale=lang)


def _students(overview: Overview, lang: str) -> str:
    s = overview.students
    return "👥 " + _(
        "<b>Students:</b> {total} — onboarded {onboarded} · active this week {active} · reminders on {reminders} · "
        "blocked the bot {blocked}"
    ).format(total=_n(s.total, lang), onboarded=_n(s.onboarded, lang), active=_n(s.active, lang),
             reminders=_n(s.reminders_on, lang), blocked=_n(s.blocked, lang))  # fmt: skip


def _postings(catalog: Catalog, overview: Overview, lang: str) -> str:
    lines = ["📊 " + _("<b>Postings per role</b> (published from – to):")]
    counted = {row.role_id: row for row in overview.postings}
    for role_id, role in catalog.roles.items():
        row = counted.get(role_id)
        name = html.quote(role.display(lang))
        if row is None:
            lines.append(f"• {name}: " + _("none"))
        elif row.first is None:
            lines.append(f"• {name}: {_n(row.postings, lang)} (" + _("no dates") + ")")
        else:
            lines.append(f"• {name}: {_n(row.postings, lang)} ({_day(row.first, lang)} – {_day(row.last, lang)})")
    sources = ", ".join(
        f"{_SOURCES.get(source, source)} {_n(n, lang)}" for source, n in sorted(overview.sources.items())
    )
    if sources:
        lines.append(_("By source: {sources}").format(sources=html.quote(sources)))
    return "\n".join(lines)


def _counts_line(summary: SyncSummary) -> str:
    total = summary.totals()
    return _("fetched {fetched}, added {added}, updated {updated}, expired {expired}, failed {failed}").format(
        fetched=total.fetched, added=total.added, updated=total.updated, expired=total.expired, failed=total.failed
    )


def _sync(overview: Overview, lang: str) -> str:
    head = "🔄 " + _("<b>Postings sync from hh:</b>") + " "
    summary = overview.sync
    if overview.sync_running:
        line = head + _("running now.")
        if summary is not None and summary.status == "running":
            line += " " + _counts_line(summary) + "."
        return line
    if summary is None:
        text = head + _("never run yet. Press “Sync postings now” or run <code>python -m bot postings sync</code>.")
    else:
        when = _moment(summary.started_at, lang) if summary.started_at else "—"
        mode = _("full") if summary.mode == "full" else _("incremental")
        if summary.status == "completed":
            state = _("completed")
        elif summary.status == "running":
            state = _("interrupted (it goes on from where it stopped at the next run)")
        else:
            state = _("stopped")
        text = head + f"{when}, {state} ({mode}): {_counts_line(summary)}."
        if summary.error:
            text += "\n⚠️ " + html.quote(summary.error)
    if overview.sync_problem:
        text += "\n⚠️ " + html.quote(overview.sync_problem)
    return text


def _deliveries(overview: Overview, lang: str) -> str:
    r = overview.reminders
    reminders = _(
        "<b>Reminders, last 7 days:</b> sent {sent} · failed {failed} · blocked {blocked} · skipped {skipped}"
    )
    lines = [
        "⏰ "
        + reminders.format(
            sent=_n(r.sent, lang), failed=_n(r.failed, lang), blocked=_n(r.blocked, lang), skipped=_n(r.skipped, lang)
        )
    ]
    if overview.broadcasting:
        lines.append("📣 " + _("<b>A message to every student</b> is being sent now."))
    elif overview.broadcast is not None:
        b = overview.broadcast
        last = _("<b>Last message to every student</b> ({day}): sent {sent} · failed {failed} · blocked {blocked}")
        lines.append(
            "📣 "
            + last.format(
                day=_day(b.last, lang), sent=_n(b.sent, lang), failed=_n(b.failed, lang), blocked=_n(b.blocked, lang)
            )
        )
    return "\n".join(lines)


def console(catalog: Catalog, overview: Overview, lang: str) -> str:
    return fit(
        [
            "🛠 " + _("<b>Operator's console</b>"),
            _students(overview, lang),
            _postings(catalog, overview, lang),
            _sync(overview, lang),
            _deliveries(overview, lang),
        ],
        _("(shortened)"),
    )


def sync_started() -> str:
    return _("Sync started. Refresh to follow it.")


def sync_running() -> str:
    return _("A sync is running already.")


def ask_broadcast(audience: int) -> str:
    return _(
        "📣 Write the message for every student who has not blocked the bot (now: {n}). Bold, italics and links "
        "are kept. /cancel to stop."
    ).format(n=audience)


def text_only() -> str:
    return _("Only text can be sent to every student. Write it, or /cancel.")


def too_long() -> str:
    return _("That is longer than one Telegram message. Make it shorter, or /cancel.")


def confirm(audience: int, rate: float) -> str:
    minutes = max(1, round(audience / max(rate, 1) / 60))
    return ngettext(
        "☝️ This is how it will look. Send it to {n} student? It takes about {minutes} min at the bot's rate.",
        "☝️ This is how it will look. Send it to {n} students? It takes about {minutes} min at the bot's rate.",
        audience,
    ).format(n=audience, minutes=minutes)


def sending(audience: int) -> str:
    return ngettext(
        "📣 Sending to {n} student. I'll tell you when it is done.",
        "📣 Sending to {n} students. I'll tell you when it is done.",
        audience,
    ).format(n=audience)


def already_sending() -> str:
    return _("A message to every student is being sent already: wait for it to finish.")


def nothing_to_send() -> str:
    return _("Nothing to send: start again with /admin.")


def cancelled() -> str:
    return _("Cancelled: nothing was sent.")


def broadcast_done(counts: RunCounts) -> str:
    done = _("Sent to every student: {sent} delivered · {failed} failed · {blocked} have blocked the bot.")
    return "📣 " + done.format(sent=counts.sent, failed=counts.failed, blocked=counts.blocked)
