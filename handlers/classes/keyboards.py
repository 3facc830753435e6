"""Classes' keyboards: the teacher's class screens and the students' invite and classes."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from coach.classes import Classroom, Membership
from handlers.common.buttons import button, grid, neutral, rows
from handlers.common.callbacks import (
    ClassAction,
    ClassCb,
    ClassesAction,
    ClassesCb,
    ClassStudentCb,
    DigestDayCb,
    DigestHourCb,
    JoinAction,
    JoinCb,
    MembershipAction,
    MembershipCb,
    MenuCb,
    MenuTarget,
    StudentAction,
)
from handlers.common.labels import weekday_name
from services.classes import RosterPage
from services.ui import Keyboard

LABEL_LIMIT = 40
DIGEST_HOURS = range(7, 23)


def _label(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cb(classroom: Classroom | int, action: ClassAction, page: int = 0) -> ClassCb:
    class_id = classroom if isinstance(classroom, int) else classroom.id
    return ClassCb(id=class_id, action=action, page=page)


def home(owned: list[Classroom], memberships: list[Membership]) -> InlineKeyboardMarkup:
    taught = [button(f"👩‍🏫 {_label(c.name)} ({c.members})", _cb(c, ClassAction.OPEN)) for c in owned]
    joined = [button(f"🎓 {_label(m.name)}", MembershipCb(id=m.class_id, action=MembershipAction.OPEN))
              for m in memberships]  # fmt: skip
    return grid([*taught, *joined], 1, [button(_("➕ Create a class"), ClassesCb(action=ClassesAction.CREATE))])


def back_to_classes() -> InlineKeyboardMarkup:
    return rows([button(_("◀ Classes"), ClassesCb(action=ClassesAction.LIST))])


def class_screen(classroom: Classroom) -> InlineKeyboardMarkup:
    toggle = (
        button(_("🔒 Close joining"), _cb(classroom, ClassAction.CLOSE))
        if classroom.joining_open
        else button(_("🔓 Open joining"), _cb(classroom, ClassAction.REOPEN))
    )
    return rows(
        [button(_("👥 Roster"), _cb(classroom, ClassAction.ROSTER)),
         button(_("📊 Common gaps"), _cb(classroom, ClassAction.GAPS))],
        [button(_("🆘 Who is stuck"), _cb(classroom, ClassAction.STUCK)),
         button(_("📤 Export"), _cb(classroom, ClassAction.EXPORT))],
        [button(_("📬 Weekly digest"), _cb(classroom, ClassAction.DIGEST)),
         button(_("🔗 Link and QR code"), _cb(classroom, ClassAction.LINK))],
        [button(_("✏️ Rename"), _cb(classroom, ClassAction.RENAME)),
         button(_("🔄 New link"), _cb(classroom, ClassAction.ROTATE))],
        [toggle, button(_("🗑 Delete"), _cb(classroom, ClassAction.DELETE))],
        [button(_("◀ Classes"), ClassesCb(action=ClassesAction.LIST))],
    )  # fmt: skip


def back_to_class(classroom: Classroom | int) -> InlineKeyboardMarkup:
    return rows([button(_("◀ Back to the class"), _cb(classroom, ClassAction.OPEN))])


def confirm(classroom: Classroom, yes: str, action: ClassAction) -> InlineKeyboardMarkup:
    return rows([button(yes, _cb(classroom, action)), button(_("◀ No, back"), _cb(classroom, ClassAction.OPEN))])


def roster(page: RosterPage) -> InlineKeyboardMarkup:
    classroom = page.classroom
    people = [
        button(f"{n}. {_label(row.member.name, 24)}",
               ClassStudentCb(id=classroom.id, user=row.member.user_id, action=StudentAction.SUMMARY, page=page.page))
        for n, row in enumerate(page.rows, page.first)
    ]  # fmt: skip
    nav: list[InlineKeyboardButton] = []
    if page.pages > 1:
        if page.page > 0:
            nav.append(button("◀", _cb(classroom, ClassAction.ROSTER, page.page - 1)))
        nav.append(button(f"{page.page + 1}/{page.pages}", _cb(classroom, ClassAction.ROSTER, page.page)))
        if page.page < page.pages - 1:
            nav.append(button("▶", _cb(classroom, ClassAction.ROSTER, page.page + 1)))
    return grid(people, 2, nav, [button(_("◀ Back to the class"), _cb(classroom, ClassAction.OPEN))])


def student(class_id: int, user_id: int, page: int, has_report: bool) -> InlineKeyboardMarkup:
    def cb(action: StudentAction) -> ClassStudentCb:
        return ClassStudentCb(id=class_id, user=user_id, action=action, page=page)

    reports = []
    if has_report:
        reports = [button(_("📄 Analysis (.md)"), cb(StudentAction.MARKDOWN)),
                   button(_("📝 Analysis (.docx)"), cb(StudentAction.DOCX))]  # fmt: skip
    return rows(reports, [button(_("◀ Back to the roster"), _cb(class_id, ClassAction.ROSTER, page))])


def stuck(classroom: Classroom, can_nudge: int) -> InlineKeyboardMarkup:
    first = []
    if can_nudge:
        label = _("📣 Nudge them ({n})").format(n=can_nudge)
        first.append(button(label, _cb(classroom, ClassAction.NUDGE)))
    return rows(first, [button(_("◀ Back to the class"), _cb(classroom, ClassAction.OPEN))])


def export(classroom: Classroom) -> InlineKeyboardMarkup:
    return rows(
        [button(_("📄 Roster (.csv)"), _cb(classroom, ClassAction.CSV)),
         button(_("🗜 Analyses (.zip)"), _cb(classroom, ClassAction.ZIP))],
        [button(_("◀ Back to the class"), _cb(classroom, ClassAction.OPEN))],
    )  # fmt: skip


def digest_days(classroom: Classroom, lang: str) -> InlineKeyboardMarkup:
    days = [button(weekday_name(d), DigestDayCb(id=classroom.id, day=d)) for d in range(7)]
    last = [button(_("◀ Back to the class"), _cb(classroom, ClassAction.OPEN))]
    if classroom.digest_on:
        last.insert(0, button(_("🔕 Turn off"), _cb(classroom, ClassAction.DIGEST_OFF)))
    return rows(days[:4], days[4:], last)


def digest_hours(classroom: Classroom, day: int) -> InlineKeyboardMarkup:
    hours = [button(f"{h:02d}:00", DigestHourCb(id=classroom.id, day=day, hour=h)) for h in DIGEST_HOURS]
    return grid(hours, 4, [button(_("◀ Back"), _cb(classroom, ClassAction.DIGEST))])


def invite(code: str) -> InlineKeyboardMarkup:
    return rows(
        [button(_("✅ Join"), JoinCb(code=code, action=JoinAction.JOIN)),
         button(_("✖ No, thanks"), JoinCb(code=code, action=JoinAction.DECLINE))]
    )  # fmt: skip


def membership(member: Membership) -> InlineKeyboardMarkup:
    return rows(
        [button(_("🚪 Leave the class"), MembershipCb(id=member.class_id, action=MembershipAction.LEAVE))],
        [button(_("◀ Classes"), ClassesCb(action=ClassesAction.LIST))],
    )


def confirm_leave(member: Membership) -> InlineKeyboardMarkup:
    return rows(
        [button(_("🚪 Yes, leave"), MembershipCb(id=member.class_id, action=MembershipAction.LEAVE_OK)),
         button(_("◀ No, stay"), MembershipCb(id=member.class_id, action=MembershipAction.OPEN))]
    )  # fmt: skip


def digest_buttons(class_id: int) -> Keyboard:
    """The digest's button (a message the scheduler delivers): the class's screen, in a new message, so the
    digest stays readable."""
    return ((neutral(_("👩‍🏫 Open the class"), ClassCb(id=class_id, action=ClassAction.OPEN, new=True)),),)


def nudge_buttons(has_profile: bool) -> Keyboard:
    if not has_profile:
        return ()
    return ((neutral(_("📋 My roadmap"), MenuCb(target=MenuTarget.ROADMAP)),),)
