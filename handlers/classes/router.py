"""/class: a teacher's classes (create, roster, gaps, the stuck, exports, digest, link) and a student's (join
by invite link with consent, see what the teacher sees, leave).

Every teacher's button names a class by id and is checked against the presser: someone else's class, a
forged id or a replayed button get one toast and see nothing of the class. Screens are edited in place.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.classes import Classroom, class_name, display_name
from coach.student import Student
from handlers.classes import consent, export, keyboards, texts
from handlers.classes.states import STEPS, ClassFlow
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
    StudentAction,
)
from handlers.common.deeplinks import JoinLink, invite_link, parse_start
from handlers.common.screens import Target, drop_keyboard, send, show
from handlers.onboarding import texts as onboarding_texts
from handlers.onboarding.router import prompt
from handlers.onboarding.states import Onboarding
from handlers.report.document import build_report, docx, markdown
from services.classes import ClassService, ClassSummary, DigestComposer, JoinOutcome, NudgeComposer, StuckList
from services.coaching import CoachService
from services.ui import OutgoingMessage

# -- helpers ---------------------------------------------------------------------------------------------


async def _link(bot: Bot, classroom: Classroom) -> str:
    me = await bot.me()  # cached after the first call
    return invite_link(me.username or "", classroom.invite_code)


async def _leave_class_flow(state: FSMContext) -> None:
    """A teacher who was typing a name and pressed something else: that question is over (any other
    conversation — onboarding — is left alone)."""
    if await state.get_state() in STEPS:
        await state.clear()


async def _class_screen(target: Target, classroom: Classroom, bot: Bot, student: Student, lang: str,
                        note: str = "", new: bool = False) -> None:  # fmt: skip
    link = await _link(bot, classroom)
    text = texts.class_screen(classroom, link, student.timezone, lang, note)
    await (send if new else show)(target, text, keyboards.class_screen(classroom))


async def _send_qr(target: Target, classroom: Classroom, bot: Bot) -> None:
    link = await _link(bot, classroom)
    png = await asyncio.to_thread(export.qr_png, link)
    chat_id = target.from_user.id if target.from_user else 0
    await bot.send_photo(chat_id, BufferedInputFile(png, filename=f"{export.slug(classroom.name)}-invite.png"),
                         caption=texts.invite_caption(classroom, link))  # fmt: skip


async def _send_file(target: Target, bot: Bot, data: bytes, filename: str, caption: str) -> None:
    chat_id = target.from_user.id if target.from_user else 0
    await bot.send_document(chat_id, BufferedInputFile(data, filename=filename), caption=caption)


async def _home(target: Target, student: Student, classes: ClassService) -> None:
    owned = await classes.owned(student)
    memberships = await classes.memberships(student)
    markup = keyboards.home(owned, memberships)
    await (show if isinstance(target, CallbackQuery) else send)(target, texts.home(owned, memberships), markup)


# -- /class and creating a class ---------------------------------------------------------------------------


async def class_command(message: Message, state: FSMContext, student: Student, classes: ClassService) -> None:
    await state.clear()
    await _home(message, student, classes)


async def classes_action(callback: CallbackQuery, callback_data: ClassesCb, state: FSMContext, student: Student,
                         classes: ClassService) -> None:  # fmt: skip
    await callback.answer()
    if callback_data.action is ClassesAction.LIST:
        await _leave_class_flow(state)
        await _home(callback, student, classes)
        return
    await state.set_state(ClassFlow.name)
    message_id = await show(callback, texts.ask_name(), keyboards.back_to_classes())
    await state.update_data(msg=message_id)


async def type_name(message: Message, state: FSMContext, student: Student, classes: ClassService, bot: Bot,
                    lang: str) -> None:  # fmt: skip
    name = class_name(message.text)
    if name is None:
        await message.answer(texts.bad_name())
        return
    data = await state.get_data()
    owner = display_name(message.from_user.first_name if message.from_user else None, _("Teacher"))
    await state.clear()  # cleared first: the question's end commits in the class's transaction
    created = await classes.create(student, owner, name)
    await drop_keyboard(message, message.chat.id, data.get("msg"))
    if created is None:
        await message.answer(texts.too_many_classes(classes.per_teacher))
        return
    await _send_qr(message, created, bot)
    await _class_screen(message, created, bot, student, lang, texts.created(created), new=True)


async def type_new_name(message: Message, state: FSMContext, student: Student, classes: ClassService, bot: Bot,
                        lang: str) -> None:  # fmt: skip
    name = class_name(message.text)
    if name is None:
        await message.answer(texts.bad_name())
        return
    data = await state.get_data()
    class_id = data.get("class_id")
    await state.clear()
    renamed = await classes.rename(student, class_id, name) if isinstance(class_id, int) else None
    await drop_keyboard(message, message.chat.id, data.get("msg"))
    if renamed is None:
        await message.answer(texts.not_yours())
        return
    await _class_screen(message, renamed, bot, student, lang, texts.renamed(), new=True)


# -- the teacher's class ------------------------------------------------------------------------------------


async def class_action(callback: CallbackQuery, callback_data: ClassCb, state: FSMContext, student: Student,
                       classes: ClassService, catalog: Catalog, bot: Bot, lang: str) -> None:  # fmt: skip
    classroom = await classes.get(student, callback_data.id)
    if classroom is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    action = callback_data.action
    if action is not ClassAction.RENAME:
        await _leave_class_flow(state)
    handler = _ACTIONS.get(action)
    assert handler is not None, action
    await handler(callback, callback_data, classroom, state, student, classes, catalog, bot, lang)


async def _open(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    await callback.answer()
    await _class_screen(callback, classroom, bot, student, lang, new=data.new)


def _shown_roster_page(callback: CallbackQuery, class_id: int) -> int | None:
    """The roster page a message shows, read from its page counter ("2/3")."""
    markup = getattr(callback.message, "reply_markup", None)
    for row in markup.inline_keyboard if markup else []:
        for pressed in row:
            if pressed.callback_data and "/" in pressed.text:
                try:
                    shown = ClassCb.unpack(pressed.callback_data)
                except (TypeError, ValueError):
                    return None
                if shown.id == class_id and shown.action is ClassAction.ROSTER:
                    return shown.page
    return None


async def _roster(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    shown = _shown_roster_page(callback, classroom.id)
    if data.page == shown:
        await callback.answer()
        return  # that page is on screen: an edit would change nothing (Telegram refuses those)
    now = datetime.now(UTC)
    page = await classes.roster(student, classroom.id, data.page, now)
    if page is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    await callback.answer()
    if page.page == shown:  # a page past the end (students left): the last one, which is on screen
        return
    await show(callback, texts.roster(catalog, page, now, student.timezone, lang), keyboards.roster(page))


async def _summary(callback: CallbackQuery, student: Student, classes: ClassService, class_id: int
                   ) -> ClassSummary | None:  # fmt: skip
    summary = await classes.summary(student, class_id)
    if summary is None:
        await callback.answer(texts.not_yours(), show_alert=True)
    return summary


async def _gaps(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    view = await classes.gaps(student, classroom.id)
    if view is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    await callback.answer()
    await show(callback, texts.gaps(catalog, view, lang), keyboards.back_to_class(classroom))


async def _stuck_list(callback: CallbackQuery, student: Student, classes: ClassService, class_id: int
                      ) -> StuckList | None:  # fmt: skip
    found = await classes.stuck(student, class_id)
    if found is None:
        await callback.answer(texts.not_yours(), show_alert=True)
    return found


async def _stuck(callback, data, classroom, state, student, classes, catalog, bot, lang, note: str = "") -> None:
    if not (found := await _stuck_list(callback, student, classes, classroom.id)):
        return
    plan = await classes.nudge_plan(found)
    await callback.answer(note or None)
    text = texts.stuck(found, plan, student.timezone, lang)
    can = plan.reachable if plan.allowed_from is None else 0
    await show(callback, f"{note}\n\n{text}" if note else text, keyboards.stuck(classroom, can))


async def _nudge(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    if not (found := await _stuck_list(callback, student, classes, classroom.id)):
        return
    plan = await classes.nudge_plan(found)
    if plan.allowed_from is not None or not plan.reachable:
        await callback.answer(texts.nudge_too_soon(plan.allowed_from, student.timezone, lang), show_alert=True)
        return
    await callback.answer()
    markup = keyboards.confirm(classroom, _("📣 Yes, send"), ClassAction.NUDGE_OK)
    await show(callback, texts.confirm_nudge(classroom, plan.reachable), markup)


async def _nudge_ok(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    result = await classes.nudge(student, classroom.id)
    if result is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    if not result.queued:
        await callback.answer(texts.nudge_too_soon(result.allowed_from, student.timezone, lang), show_alert=True)
        return
    await _stuck(callback, data, classroom, state, student, classes, catalog, bot, lang, texts.nudged(result.queued))


async def _export(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    await callback.answer()
    await show(callback, texts.export_menu(classroom), keyboards.export(classroom))


async def _csv(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    if not (summary := await _summary(callback, student, classes, classroom.id)):
        return
    if not summary.members:
        await callback.answer(texts.nobody_to_export(), show_alert=True)
        return
    await callback.answer()
    content = export.roster_csv(catalog, summary, student.timezone, lang)
    await _send_file(callback, bot, content, f"{export.slug(classroom.name)}-roster.csv", texts.csv_caption(classroom))


async def _zip(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    reports = [pair async for pair in classes.reports(student, classroom.id)]
    if not reports:
        await callback.answer(texts.nobody_to_export(), show_alert=True)
        return
    await callback.answer()
    today = datetime.now(UTC)
    content = await asyncio.to_thread(export.reports_zip, catalog, reports, lang, today)  # seconds for 500
    await _send_file(callback, bot, content, f"{export.slug(classroom.name)}-analyses.zip",
                     texts.zip_caption(classroom, len(reports)))  # fmt: skip


async def _link_again(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    if not classroom.joining_open:
        await callback.answer(texts.joining_changed(False), show_alert=True)
        return
    await callback.answer()
    await _send_qr(callback, classroom, bot)


async def _rename(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    await callback.answer()
    await state.set_state(ClassFlow.rename)
    message_id = await show(callback, texts.ask_new_name(classroom), keyboards.back_to_class(classroom))
    await state.update_data(class_id=classroom.id, msg=message_id)


async def _rotate(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    await callback.answer()
    markup = keyboards.confirm(classroom, _("🔄 Yes, new link"), ClassAction.ROTATE_OK)
    await show(callback, texts.confirm_rotate(classroom), markup)


async def _rotate_ok(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    rotated = await classes.rotate(student, classroom.id)
    if rotated is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    await callback.answer()
    await _class_screen(callback, rotated, bot, student, lang, texts.rotated())
    if rotated.joining_open:
        await _send_qr(callback, rotated, bot)


async def _joining(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    wanted = data.action is ClassAction.REOPEN
    changed = await classes.set_joining(student, classroom.id, wanted)
    if changed is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    await callback.answer()
    await _class_screen(callback, changed, bot, student, lang, texts.joining_changed(wanted))


async def _delete(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    await callback.answer()
    markup = keyboards.confirm(classroom, _("🗑 Yes, delete"), ClassAction.DELETE_OK)
    await show(callback, texts.confirm_delete(classroom), markup)


async def _delete_ok(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    if not await classes.delete(student, classroom.id):
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    await callback.answer()
    await show(callback, texts.deleted(classroom.name), keyboards.back_to_classes())


async def _digest(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    await callback.answer()
    await show(callback, texts.digest_menu(classroom, student.timezone, lang), keyboards.digest_days(classroom, lang))


async def _digest_off(callback, data, classroom, state, student, classes, catalog, bot, lang) -> None:
    changed = await classes.set_digest(student, classroom.id, None, None)
    if changed is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    await callback.answer()
    await _class_screen(callback, changed, bot, student, lang, texts.digest_set(changed, student.timezone, lang))


_ACTIONS = {
    ClassAction.OPEN: _open,
    ClassAction.ROSTER: _roster,
    ClassAction.GAPS: _gaps,
    ClassAction.STUCK: _stuck,
    ClassAction.NUDGE: _nudge,
    ClassAction.NUDGE_OK: _nudge_ok,
    ClassAction.EXPORT: _export,
    ClassAction.CSV: _csv,
    ClassAction.ZIP: _zip,
    ClassAction.LINK: _link_again,
    ClassAction.RENAME: _rename,
    ClassAction.ROTATE: _rotate,
    ClassAction.ROTATE_OK: _rotate_ok,
    ClassAction.CLOSE: _joining,
    ClassAction.REOPEN: _joining,
    ClassAction.DELETE: _delete,
    ClassAction.DELETE_OK: _delete_ok,
    ClassAction.DIGEST: _digest,
    ClassAction.DIGEST_OFF: _digest_off,
}


async def digest_day(callback: CallbackQuery, callback_data: DigestDayCb, student: Student, classes: ClassService,
                     lang: str) -> None:  # fmt: skip
    classroom = await classes.get(student, callback_data.id)
    if classroom is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    await callback.answer()
    await show(callback, texts.digest_hour(callback_data.day), keyboards.digest_hours(classroom, callback_data.day))


async def digest_hour(callback: CallbackQuery, callback_data: DigestHourCb, student: Student, classes: ClassService,
                      bot: Bot, lang: str) -> None:  # fmt: skip
    changed = await classes.set_digest(student, callback_data.id, callback_data.day, callback_data.hour)
    if changed is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    await callback.answer()
    await _class_screen(callback, changed, bot, student, lang, texts.digest_set(changed, student.timezone, lang))


async def student_action(callback: CallbackQuery, callback_data: ClassStudentCb, student: Student,
                         classes: ClassService, catalog: Catalog, bot: Bot, lang: str) -> None:  # fmt: skip
    if await classes.get(student, callback_data.id) is None:
        await callback.answer(texts.not_yours(), show_alert=True)
        return
    now = datetime.now(UTC)
    detail = await classes.member(student, callback_data.id, callback_data.user, now)
    if detail is None:
        await callback.answer(texts.not_in_class(), show_alert=True)
        return
    member = detail.row.member
    if callback_data.action is StudentAction.SUMMARY:
        await callback.answer()
        text = texts.student(catalog, detail, now, student.timezone, lang)
        markup = keyboards.student(callback_data.id, member.user_id, callback_data.page, detail.roadmap is not None)
        await show(callback, text, markup)
        return
    if detail.roadmap is None:
        await callback.answer(texts.nobody_to_export(), show_alert=True)
        return
    await callback.answer()
    blocks = build_report(catalog, detail.roadmap, lang, now)
    name = export.report_name(member.name)
    caption = texts.report_caption(member.name, detail.classroom)
    if callback_data.action is StudentAction.DOCX:
        content = await asyncio.to_thread(docx, blocks)
        await _send_file(callback, bot, content, f"{name}.docx", caption)
    else:
        await _send_file(callback, bot, markdown(blocks).encode("utf-8"), f"{name}.md", caption)


# -- students: the invite, their classes ----------------------------------------------------------------------


async def start_with_invite(
    message: Message, command: CommandObject, state: FSMContext, student: Student, classes: ClassService,
    coach: CoachService, catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    """/start with a class's invite: what the teacher would see and Join / No thanks; a student without a
    profile sets one up first and is asked at its end."""
    link = command.magic_result
    assert isinstance(link, JoinLink)
    await state.clear()
    classroom = await classes.invite(link.code)
    if classroom is None:
        await message.answer(texts.link_unknown())
        return
    if classroom.owner_id == student.id:
        await message.answer(texts.own_class(classroom))
        return
    if await classes.is_member(student, classroom.id):
        await message.answer(texts.already_in(classroom.name))
        return
    if not classroom.joining_open:
        await message.answer(texts.link_closed(classroom.name))
        return
    if student.role_id is None:
        await _onboard_first(message, state, classroom, coach, catalog, lang)
        return
    await consent.offer(message, catalog, student, classroom.invite_code, classroom.name, classroom.owner_name, lang)


async def _onboard_first(target: Target, state: FSMContext, classroom: Classroom, coach: CoachService,
                         catalog: Catalog, lang: str) -> None:  # fmt: skip
    """A new student: onboarding, carrying the invite to its end (`consent.offer_after_onboarding`)."""
    await send(target, texts.invite_for_new_student(classroom))
    await state.set_state(Onboarding.role)
    data = await state.update_data(mode="new", join=classroom.invite_code, join_class=classroom.name,
                                   join_teacher=classroom.owner_name)  # fmt: skip
    text, markup = await prompt(Onboarding.role.state, data, catalog, coach, lang)
    from_user = target.from_user
    greeting = onboarding_texts.greeting(texts.quote(from_user.first_name if from_user else "", 60))
    message_id = await send(target, f"{greeting}\n\n{text}", markup)
    await state.update_data(msg=message_id)


async def join(callback: CallbackQuery, callback_data: JoinCb, state: FSMContext, student: Student,
               classes: ClassService, coach: CoachService, catalog: Catalog, lang: str) -> None:  # fmt: skip
    if callback_data.action is JoinAction.DECLINE:
        await callback.answer()
        await show(callback, texts.declined())
        return
    name = display_name(callback.from_user.first_name, _("Student"))
    outcome, classroom = await classes.join(student, callback_data.code, name)
    if outcome is JoinOutcome.NO_PROFILE and classroom is not None and classroom.joining_open:
        await callback.answer()
        await state.clear()
        await _onboard_first(callback, state, classroom, coach, catalog, lang)
        return
    await callback.answer()
    if outcome is JoinOutcome.JOINED and classroom:
        await show(callback, texts.joined(classroom.name))
    elif outcome is JoinOutcome.ALREADY and classroom:
        await show(callback, texts.already_in(classroom.name))
    elif outcome is JoinOutcome.OWN and classroom:
        await show(callback, texts.own_class(classroom))
    elif outcome in (JoinOutcome.CLOSED, JoinOutcome.NO_PROFILE) and classroom:
        await show(callback, texts.link_closed(classroom.name))
    elif outcome is JoinOutcome.FULL and classroom:
        await show(callback, texts.class_full(classroom.name, classes.size_limit))
    else:
        await show(callback, texts.link_unknown())


async def membership_action(callback: CallbackQuery, callback_data: MembershipCb, state: FSMContext,
                            student: Student, classes: ClassService, catalog: Catalog, lang: str) -> None:  # fmt: skip
    member = await classes.membership(student, callback_data.id)
    if member is None:
        await callback.answer(texts.not_a_member(), show_alert=True)
        return
    await _leave_class_flow(state)
    if callback_data.action is MembershipAction.LEAVE_OK:
        left = await classes.leave(student, member.class_id)
        await callback.answer()
        await show(callback, texts.left(member.name) if left else texts.not_a_member(), keyboards.back_to_classes())
        return
    await callback.answer()
    if callback_data.action is MembershipAction.LEAVE:
        await show(callback, texts.confirm_leave(member), keyboards.confirm_leave(member))
        return
    text = texts.membership(catalog, member, student, consent.first_name(callback), student.timezone, lang)
    await show(callback, text, keyboards.membership(member))


# -- what the scheduler delivers ------------------------------------------------------------------------------


def make_composers(catalog: Catalog, i18n: I18n) -> tuple[DigestComposer, NudgeComposer]:
    """The teacher's weekly digest and the stuck student's nudge, each in its reader's language."""

    async def digest(language: str, zone: str, summary: ClassSummary) -> OutgoingMessage:
        with i18n.context(), i18n.use_locale(language):
            text = texts.digest(catalog, summary, zone, language)
            return OutgoingMessage(text, keyboards.digest_buttons(summary.classroom.id))

    async def nudge(language: str, class_name: str, has_profile: bool) -> OutgoingMessage:
        with i18n.context(), i18n.use_locale(language):
            return OutgoingMessage(texts.nudge(class_name, has_profile), keyboards.nudge_buttons(has_profile))

    return digest, nudge


def create_router() -> Router:
    router = Router(name="classes")
    router.message.register(start_with_invite, CommandStart(deep_link=True, magic=F.args.func(parse_start)))
    router.message.register(class_command, Command("class"))
    router.message.register(type_name, ClassFlow.name, F.text, ~F.text.startswith("/"))
    router.message.register(type_new_name, ClassFlow.rename, F.text, ~F.text.startswith("/"))
    router.callback_query.register(classes_action, ClassesCb.filter())
    router.callback_query.register(class_action, ClassCb.filter())
    router.callback_query.register(digest_day, DigestDayCb.filter())
    router.callback_query.register(digest_hour, DigestHourCb.filter())
    router.callback_query.register(student_action, ClassStudentCb.filter())
    router.callback_query.register(join, JoinCb.filter())
    router.callback_query.register(membership_action, MembershipCb.filter())
    return router
