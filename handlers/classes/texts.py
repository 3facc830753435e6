"""What classes say: to the teacher (their classes, roster, gaps, the stuck, digests) and to students (the
invite they may accept, their classes, the nudge)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import html
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date

from coach.catalog import Catalog
from coach.classes import NAME_LIMIT, STUCK_AFTER, Classroom, MemberProgress, Membership
from coach.student import Student
from handlers.common.format import bar, quote, ref_name
from handlers.common.labels import every_weekday, level_name, on_weekday, zone_name
from handlers.common.market import scope
from services.classes import ClassSummary, GapsView, MemberDetail, NudgePlan, RosterPage, StuckList

STUCK_SHOWN = 30  # names on the stuck screen; the rest are counted
DIGEST_STUCK_NAMES = 5
GAPS_IN_DIGEST = 3


def day(moment: datetime, zone: str, lang: str) -> str:
    return format_date(moment.astimezone(ZoneInfo(zone)), "d MMM y", locale=lang)


def ago(moment: datetime | None, now: datetime, zone: str) -> str:
    """ "today", "yesterday", "5 days ago" in the reader's time zone; "never" for None."""
    if moment is None:
        return _("never")
    tz = ZoneInfo(zone)
    days = (now.astimezone(tz).date() - moment.astimezone(tz).date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def name(classroom: Classroom | Membership, limit: int = NAME_LIMIT) -> str:
    return quote(classroom.name, limit)


# -- /class ---------------------------------------------------------------------------------------------


def home(owned: list[Classroom], memberships: list[Membership]) -> str:
    lines = [_("<b>Classes</b>")]
    if not owned and not memberships:
        lines.append(
            _(
                "Teachers: create a class and share its link. Students who join choose to share their progress "
                "with you: who has a plan, who is stuck, which skills the whole group lacks."
            )
        )
        lines.append(_("Students: open the link your teacher shared to join their class."))
        return "\n\n".join(lines)
    if owned:
        lines.append(_("Classes you teach — tap one to see it:"))
    if memberships:
        lines.append(_("Classes you are in (🎓) — tap one to see what its teacher sees, or to leave:"))
    return "\n\n".join(lines)


def ask_name() -> str:
    return _(
        "What is the class called? Send its name, e.g. <i>SE-2301 Software Architecture</i> "
        "(up to {limit} characters). /cancel to stop."
    ).format(limit=NAME_LIMIT)


def ask_new_name(classroom: Classroom) -> str:
    return _("Send the new name for “{name}” (up to {limit} characters). /cancel to stop.").format(
        name=name(classroom), limit=NAME_LIMIT
    )


def bad_name() -> str:
    return _("A class name is one line of 1 to {limit} characters. Please send it again — or /cancel.").format(
        limit=NAME_LIMIT
    )


def too_many_classes(limit: int) -> str:
    return _("You have {limit} classes already — delete one you no longer need in /class first.").format(limit=limit)


def class_screen(classroom: Classroom, link: str, zone: str, lang: str, note: str = "") -> str:
    joining = _("open") if classroom.joining_open else _("closed")
    lines = [
        f"👩‍🏫 <b>{name(classroom)}</b>",
        ngettext("{n} student", "{n} students", classroom.members).format(n=classroom.members)
        + " · "
        + _("joining: {state}").format(state=joining),
        _("Invite link: {link}").format(link=html.quote(link))
        if classroom.joining_open
        else _("Joining is closed: the invite link does not work until you open it again."),
        digest_line(classroom, zone, lang),
    ]
    text = "\n".join(lines)
    return f"{note}\n\n{text}" if note else text


def digest_line(classroom: Classroom, zone: str, lang: str) -> str:
    if not classroom.digest_on:
        return _("Weekly digest: off.")
    assert classroom.digest_weekday is not None
    return _("Weekly digest: {every_day} at {hour}:00 ({zone}).").format(
        every_day=every_weekday(classroom.digest_weekday),
        hour=f"{classroom.digest_hour:02d}",
        zone=html.quote(zone_name(zone, None, lang)),
    )


def invite_caption(classroom: Classroom, link: str) -> str:
    return _(
        "Invite link for “{name}”: {link}\n\nShare it or show this QR code. Students who open it see what you "
        "will see of them, and join only if they agree."
    ).format(name=name(classroom, 60), link=html.quote(link))


def created(classroom: Classroom) -> str:
    return "✔ " + _("Class “{name}” created. Share the link or the QR code above with your students.").format(
        name=name(classroom)
    )


def renamed() -> str:
    return "✔ " + _("Renamed.")


def rotated() -> str:
    return "✔ " + _("New invite link made: the old one no longer works. Students already in the class stay.")


def confirm_rotate(classroom: Classroom) -> str:
    return _(
        "Make a new invite link for “{name}”? The current link stops working at once; students already in the "
        "class stay."
    ).format(name=name(classroom))


def joining_changed(joining_open: bool) -> str:
    if joining_open:
        return "🔓 " + _("Joining is open again: the invite link works.")
    return "🔒 " + _("Joining closed: the invite link no longer works. Students in the class stay.")


def confirm_delete(classroom: Classroom) -> str:
    return ngettext(
        "Delete “{name}”? Its {n} student leaves it, and you no longer see them. This cannot be undone.",
        "Delete “{name}”? Its {n} students leave it, and you no longer see them. This cannot be undone.",
        classroom.members,
    ).format(name=name(classroom), n=classroom.members)


def deleted(class_name: str) -> str:
    return "🗑 " + _("Class “{name}” deleted.").format(name=quote(class_name))


def not_yours() -> str:
    return _("That class is not yours, or it no longer exists.")


def not_in_class() -> str:
    return _("That student is not in this class (any more).")


# -- the roster, a student, gaps, the stuck ----------------------------------------------------------------


def _role(catalog: Catalog, row: MemberProgress, lang: str) -> str:
    member = row.member
    if member.role_id is None or member.role_id not in catalog.roles:
        return _("no profile yet")
    return html.quote(scope(catalog, member.role_id, member.stack, lang))


def roster(catalog: Catalog, page: RosterPage, now: datetime, zone: str, lang: str) -> str:
    classroom = page.classroom
    head = f"👥 <b>{name(classroom)}</b> — " + ngettext("{n} student", "{n} students", classroom.members).format(
        n=classroom.members
    )
    if page.pages > 1:
        head += " · " + _("page {page} of {pages}").format(page=page.page + 1, pages=page.pages)
    if not page.rows:
        return head + "\n\n" + _("Nobody has joined yet. Share the invite link from the class's screen.")
    lines = [head, ""]
    for number, row in enumerate(page.rows, page.first):
        lines.append(f"{number}. <b>{quote(row.member.name, 40)}</b> — {_role(catalog, row, lang)}")
        lines.append("    " + _row_figures(row, now, zone))
    lines.append("")
    lines.append(_("Tap a name for the student's summary and their Roles and Skills Analysis."))
    return "\n".join(lines)


def _row_figures(row: MemberProgress, now: datetime, zone: str) -> str:
    if row.progress is None:
        return _("joined {when}").format(when=ago(row.member.joined_at, now, zone))
    progress = row.progress
    parts = [
        f"{bar(row.share, 5)} {round(100 * row.share)}%",
        ngettext("{n} done this week", "{n} done this week", progress.done_this_week).format(n=progress.done_this_week),
    ]
    if progress.streak_weeks:
        parts.append("🔥 " + ngettext("{n} week", "{n} weeks", progress.streak_weeks).format(n=progress.streak_weeks))
    parts.append(_("active {when}").format(when=ago(row.last_active, now, zone)))
    if row.stuck:
        parts.append("🆘")
    return " · ".join(parts)


def student(catalog: Catalog, detail: MemberDetail, now: datetime, zone: str, lang: str) -> str:
    row, member = detail.row, detail.row.member
    lines = [f"🎓 <b>{quote(member.name, 60)}</b> · {name(detail.classroom, 60)}"]
    if detail.roadmap is None:
        lines.append(_("No profile yet: they have not chosen a role or listed their skills."))
        lines.append(_("Joined: {date}").format(date=day(member.joined_at, zone, lang)))
        return "\n".join(lines)
    roadmap = detail.roadmap
    gap, progress = roadmap.gap, roadmap.progress
    facts = [_role(catalog, row, lang), level_name(member.level)]
    lines.append(" · ".join(facts))
    lines.append(
        _("Core skills: <b>{have} of {total}</b> {bar}").format(
            have=len(gap.core_have), total=gap.core_total, bar=bar(gap.core_share)
        )
    )
    share = progress.done / progress.total if progress.total else 0.0
    lines.append(
        _("Done: <b>{done} of {total}</b> action items ({percent}%) · this week: {week}").format(
            done=progress.done, total=progress.total, percent=round(100 * share), week=progress.done_this_week
        )
    )
    if progress.streak_weeks:
        lines.append(
            "🔥 "
            + ngettext("Streak: {n} active week", "Streak: {n} active weeks", progress.streak_weeks).format(
                n=progress.streak_weeks
            )
        )
    lines.append(
        _("Last active: {when} · joined {date}").format(
            when=ago(row.last_active, now, zone), date=day(member.joined_at, zone, lang)
        )
    )
    lacking = [ref_name(catalog, d.ref, lang) for d in gap.shown(5)]
    if lacking:
        lines.append(_("Lacks most (their roadmap's order): {skills}").format(skills=", ".join(lacking)))
    if row.stuck:
        lines.append("🆘 " + _("No tick in {days} days.").format(days=STUCK_AFTER.days))
    return "\n".join(lines)


def gaps(catalog: Catalog, view: GapsView, lang: str) -> str:
    result = view.gaps
    lines = [f"📊 <b>{name(view.classroom)}</b> — " + _("common gaps")]
    if not result.with_profile + result.without_profile:
        lines.append(_("Nobody has joined yet."))
        return "\n".join(lines)
    lines.append(
        ngettext("{n} student with a profile", "{n} students with a profile", result.with_profile).format(
            n=result.with_profile
        )
        + (" · " + _("{n} without one yet").format(n=result.without_profile) if result.without_profile else "")
    )
    if result.gaps:
        lines += ["", _("<b>Core skills most students lack</b> (students lacking it / students whose role needs it):")]
        lines += [
            f"{n}. {ref_name(catalog, gap.ref, lang)} — {gap.students} / {gap.of}"
            for n, gap in enumerate(result.gaps, 1)
        ]
    elif result.with_profile:
        lines += ["", _("Every student has the core skills of their role. 🎉")]
    if result.roles:
        roles = ", ".join(f"{html.quote(catalog.role(r).display(lang))} {n}" for r, n in result.roles)
        lines += ["", _("<b>Roles chosen:</b> {roles}").format(roles=roles)]
    if result.stacks:
        stacks = ", ".join(f"{html.quote(scope(catalog, r, s, lang))} {n}" for r, s, n in result.stacks)
        lines.append(_("<b>Stacks:</b> {stacks}").format(stacks=stacks))
    return "\n".join(lines)


def stuck(summary: StuckList | ClassSummary, plan: NudgePlan, zone: str, lang: str) -> str:
    rows = summary.stuck
    lines = [f"🆘 <b>{name(summary.classroom)}</b> — " + _("who is stuck")]
    if not summary.members:
        lines.append(_("Nobody has joined yet."))
        return "\n".join(lines)
    if not rows:
        lines.append(_("Nobody: every student ticked something off in the last {days} days.").format(
            days=STUCK_AFTER.days))  # fmt: skip
        return "\n".join(lines)
    lines.append(_("No tick in {days} days or more, or no profile yet:").format(days=STUCK_AFTER.days))
    for row in rows[:STUCK_SHOWN]:
        if not row.member.has_profile:
            why = _("no profile yet")
        elif row.last_tick is None:
            why = _("no tick yet, joined {when}").format(when=ago(row.member.joined_at, summary.now, zone))
        else:
            why = _("last tick {when}").format(when=ago(row.last_tick, summary.now, zone))
        lines.append(f"• <b>{quote(row.member.name, 40)}</b> — {why}")
    if len(rows) > STUCK_SHOWN:
        lines.append(_("and {n} more").format(n=len(rows) - STUCK_SHOWN))
    lines.append("")
    if plan.allowed_from is not None:
        lines.append(_("You nudged this class this week; the next nudge is possible on {date}.").format(
            date=day(plan.allowed_from, zone, lang)))  # fmt: skip
    elif plan.reachable:
        lines.append(_("You can send them a gentle “your class is waiting” message, once a week."))
    else:
        lines.append(_("None of them can be nudged now (nudged this week, reminders paused, or the bot blocked)."))
    return "\n".join(lines)


def confirm_nudge(classroom: Classroom, reachable: int) -> str:
    return ngettext(
        "Send a gentle “your class is waiting” message to {n} stuck student of “{name}”? Students who paused "
        "their reminders, blocked the bot or were nudged this week are left out. One nudge a week per class.",
        "Send a gentle “your class is waiting” message to {n} stuck students of “{name}”? Students who paused "
        "their reminders, blocked the bot or were nudged this week are left out. One nudge a week per class.",
        reachable,
    ).format(n=reachable, name=name(classroom))


def nudged(queued: int) -> str:
    return "📣 " + ngettext(
        "Nudge on its way to {n} student (within a minute or two).",
        "Nudge on its way to {n} students (within a minute or two).",
        queued,
    ).format(n=queued)


def nudge_too_soon(allowed_from: datetime | None, zone: str, lang: str) -> str:
    if allowed_from is None:
        return _("Nobody to nudge right now.")
    return _("This class was nudged this week already; next possible on {date}.").format(
        date=day(allowed_from, zone, lang)
    )


def export_menu(classroom: Classroom) -> str:
    return "\n".join(
        [
            f"📤 <b>{name(classroom)}</b> — " + _("export"),
            _("• CSV: the roster with each student's progress (opens in Excel or Google Sheets)."),
            _("• ZIP: every student's Roles and Skills Analysis (.md)."),
        ]
    )


def nobody_to_export() -> str:
    return _("Nobody in this class has a profile yet: there is nothing to export.")


def csv_caption(classroom: Classroom) -> str:
    return _("📄 Roster and progress of “{name}”.").format(name=name(classroom, 200))


def zip_caption(classroom: Classroom, count: int) -> str:
    return ngettext(
        "🗜 {n} Roles and Skills Analysis of “{name}”.", "🗜 {n} Roles and Skills Analyses of “{name}”.", count
    ).format(n=count, name=name(classroom, 200))


def report_caption(member_name: str, classroom: Classroom) -> str:
    return _("📄 {student}'s Roles and Skills Analysis ({name}).").format(
        student=quote(member_name, 60), name=name(classroom, 60)
    )


def digest_menu(classroom: Classroom, zone: str, lang: str) -> str:
    return "\n".join(
        [
            f"📬 <b>{name(classroom)}</b> — " + _("weekly digest"),
            _("Once a week: how many students ticked items off, who is stuck, what the class lacks most."),
            digest_line(classroom, zone, lang),
            _("Which day should it come?"),
        ]
    )


def digest_hour(weekday: int) -> str:
    return _("At what time {on_day}?").format(on_day=on_weekday(weekday))


def digest_set(classroom: Classroom, zone: str, lang: str) -> str:
    return "✔ " + digest_line(classroom, zone, lang)


def digest(catalog: Catalog, summary: ClassSummary, zone: str, lang: str) -> str:
    """The teacher's weekly digest."""
    classroom = summary.classroom
    members = summary.members
    lines = [f"📬 <b>{name(classroom)}</b> — " + _("your weekly digest")]
    count = ngettext("{n} student", "{n} students", len(members)).format(n=len(members))
    if summary.joined_this_week:
        count += " " + _("({n} joined this week)").format(n=summary.joined_this_week)
    lines.append(count)
    if not members:
        lines.append(_("Nobody has joined yet: share the invite link from /class."))
        return "\n".join(lines)
    lines.append(
        ngettext(
            "This week {n} student ticked off {items} action items.",
            "This week {n} students ticked off {items} action items.",
            summary.active_this_week,
        ).format(n=summary.active_this_week, items=summary.done_this_week)
    )
    stuck_rows = summary.stuck
    if stuck_rows:
        shown = ", ".join(quote(r.member.name, 30) for r in stuck_rows[:DIGEST_STUCK_NAMES])
        more = len(stuck_rows) - DIGEST_STUCK_NAMES
        if more > 0:
            shown += " " + _("and {n} more").format(n=more)
        lines.append("🆘 " + _("Stuck: {n} — {names}").format(n=len(stuck_rows), names=shown))
    else:
        lines.append("✅ " + _("Nobody is stuck."))
    if summary.gaps.gaps:
        top = ", ".join(
            f"{ref_name(catalog, g.ref, lang)} ({g.students}/{g.of})" for g in summary.gaps.gaps[:GAPS_IN_DIGEST]
        )
        lines.append("📊 " + _("Lacked most: {skills}").format(skills=top))
    return "\n".join(lines)


# -- students: the invite, their classes, the nudge ----------------------------------------------------------


def _what_the_teacher_sees(catalog: Catalog, student: Student | None, first_name: str, lang: str) -> list[str]:
    role = _("your role, stack and level")
    if student is not None and student.role_id in catalog.roles:
        role += f" ({html.quote(scope(catalog, student.role_id or '', student.stack, lang))}, "
        role += f"{level_name(student.level)})"
    return [
        "• " + _("your first name in Telegram ({name})").format(name=quote(first_name, 40)),
        "• " + role,
        "• " + _("your progress: action items done, this week, your streak, when you were last active"),
        "• " + _("your Roles and Skills Analysis (the /report document)"),
    ]


def invite(catalog: Catalog, classroom_name: str, teacher: str, student: Student | None, first_name: str,
           lang: str) -> str:  # fmt: skip
    lines = [
        "🎓 " + _("<b>Join “{name}”?</b>").format(name=quote(classroom_name)),
        _("Teacher: {teacher}").format(teacher=quote(teacher, 60)),
        "",
        _("If you join, your teacher will see:"),
        *_what_the_teacher_sees(catalog, student, first_name, lang),
        _("They never see your chat with me. You can leave any time in /class — then they see nothing of you."),
    ]
    return "\n".join(lines)


def invite_for_new_student(classroom: Classroom) -> str:
    return "🎓 " + _(
        "“{name}” (teacher: {teacher}) invites you. First, let's set up your profile — it takes a minute. At the "
        "end you will see exactly what the teacher would see, and decide whether to join."
    ).format(name=name(classroom), teacher=quote(classroom.owner_name, 60))


def joined(class_name: str) -> str:
    return "✅ " + _(
        "You joined “{name}”. Your teacher now sees your progress. /class shows your classes; leave any time."
    ).format(name=quote(class_name))


def already_in(class_name: str) -> str:
    return _("You are in “{name}” already. /class shows your classes.").format(name=quote(class_name))


def declined() -> str:
    return _("OK — you did not join. The link works as long as the teacher keeps it, if you change your mind.")


def link_unknown() -> str:
    return _(
        "This invite link does not work (any more): the teacher may have made a new one. Ask them for the current "
        "link. /start to use the coach on your own."
    )


def link_closed(class_name: str) -> str:
    return _("“{name}” is not taking new students right now. Ask your teacher to open joining.").format(
        name=quote(class_name)
    )


def class_full(class_name: str, limit: int) -> str:
    return _("“{name}” is full ({limit} students). Ask your teacher.").format(name=quote(class_name), limit=limit)


def own_class(classroom: Classroom) -> str:
    return _(
        "This is the invite link of your own class “{name}” — share it with your students. /class manages it."
    ).format(name=name(classroom))


def membership(catalog: Catalog, member: Membership, student: Student, first_name: str, zone: str,
               lang: str) -> str:  # fmt: skip
    lines = [
        f"🎓 <b>{name(member)}</b>",
        _("Teacher: {teacher} · you joined on {date}").format(
            teacher=quote(member.owner_name, 60), date=day(member.joined_at, zone, lang)
        ),
        "",
        _("Your teacher sees:"),
        *_what_the_teacher_sees(catalog, student, first_name, lang),
        _("Never your chat with me. If you leave, they see nothing of you any more."),
    ]
    return "\n".join(lines)


def confirm_leave(member: Membership) -> str:
    return _("Leave “{name}”? Your teacher will no longer see anything of you.").format(name=name(member))


def left(class_name: str) -> str:
    return "🚪 " + _("You left “{name}”. Your teacher sees nothing of you any more.").format(name=quote(class_name))


def not_a_member() -> str:
    return _("You are not in that class (any more). /class shows your classes.")


def nudge(class_name: str, has_profile: bool) -> str:
    text = "👋 " + _(
        "Your class “{name}” is waiting for you. It has been a while since your last step — even 20 minutes this "
        "week counts."
    ).format(name=quote(class_name))
    if has_profile:
        return text + "\n" + _("Your next action items are in /roadmap.")
    return text + "\n" + _("Your profile is not set up yet: /start takes a minute.")
