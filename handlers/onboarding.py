"""The conversation that sets a student up: role (or modules → role), level, city, skills, what they lack.

Answers live in FSM data until the last step, then the profile is saved in one go; /profile re-enters any
single step ("edit" mode) and saves right after it. Every step can be re-shown by `prompt()`, which the
fallback uses when a student sends something the step does not expect.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router, html
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import Catalog, Level
from coach.skills import SkillParser
from handlers import keyboards, views
from handlers.callbacks import CityCb, ConflictCb, LevelCb, ModuleCb, ProfileCb, RoleCb, SkillCb, StepCb
from handlers.settings import next_reminder_note
from handlers.ui import drop_keyboard, show
from services.coaching import CoachService, Profile
from storage.users import UserDTO

OFFERED_SKILLS = 15


class Onboarding(StatesGroup):
    role = State()
    modules = State()
    level = State()
    city = State()
    skills = State()
    want = State()
    conflicts = State()


Target = Message | CallbackQuery


# -- the steps' texts and keyboards ------------------------------------------------------------------


async def prompt(
    state: str | None, data: dict[str, Any], catalog: Catalog, service: CoachService, lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and keyboard of the step `state`, with the answers so far in `data`."""
    if state == Onboarding.modules.state:
        text = _("<b>Which parts of the system will you work on?</b>\nPick one or more, then tap “Show roles”.")
        return text, keyboards.modules(catalog, lang, data.get("modules", []))
    if state == Onboarding.level.state:
        role = catalog.role(data["role"]).display(lang)
        return _("<b>{role}</b> — good choice.\n\n<b>Step 2 of 5.</b> Which level are you aiming for?").format(
            role=html.quote(role)
        ), keyboards.levels()
    if state == Onboarding.city.state:
        options = await _city_options(catalog, service, lang)
        return _("<b>Step 3 of 5.</b> Where do you want to work?"), keyboards.cities(options)
    if state == Onboarding.skills.state:
        return _skills_text(catalog, data, lang), keyboards.skills(
            catalog, lang, await _offered(catalog, service, data["role"]), data.get("have", [])
        )
    if state == Onboarding.want.state:
        return _(
            "<b>Step 5 of 5.</b> Anything you know you <b>lack</b> and want to learn? Type it like "
            "<i>OAuth, GitHub, Docker</i> — or tap Skip."
        ), keyboards.skip()
    if state == Onboarding.conflicts.state:
        skill = catalog.skill(data["conflicts"][0])
        text = _("You listed <b>{skill}</b> both as a skill you have and one you lack. Which is it?").format(
            skill=html.quote(skill.display(lang))
        )
        return text, InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    keyboards._button(_("I have it"), ConflictCb(skill=skill.id, have=True)),
                    keyboards._button(_("I want to learn it"), ConflictCb(skill=skill.id, have=False)),
                ]
            ]
        )
    chosen = data.get("suggested")
    text = _("<b>Step 1 of 5.</b> Which role do you want?")
    if chosen:
        text = _("These roles build the parts you picked. Which one is yours?")
    return text, keyboards.roles(catalog, lang, chosen, unsure=not chosen)


def _skills_text(catalog: Catalog, data: dict[str, Any], lang: str) -> str:
    text = _(
        "<b>Step 4 of 5.</b> What do you already know?\n"
        "Tap the skills below, or type them the way you would in a CV — e.g. <i>Python, SQL, a bit of REST</i>. "
        "Typos and Russian are fine. Then tap <b>Done</b>."
    )
    have = data.get("have", [])
    if have:
        text += "\n\n" + _("<b>Selected ({n}):</b> {skills}").format(
            n=len(have), skills=views.names(catalog, have, lang, 40)
        )
    return text


async def _offered(catalog: Catalog, service: CoachService, role_id: str) -> list[str]:
    """The role's core skills, then its most demanded nice-to-have ones."""
    role = catalog.role(role_id)
    market = await service.market(role_id)
    nice = sorted(role.nice, key=lambda sid: (-market.demand(sid), role.nice.index(sid)))
    return [*role.core, *nice][:OFFERED_SKILLS]


async def _city_options(catalog: Catalog, service: CoachService, lang: str) -> list[tuple[str, str]]:
    """Catalog cities, those with stored postings first."""
    posted = [catalog.city(name) for name in await service.cities()]
    ordered = [c for c in posted if c] + list(catalog.cities)
    return [(city.id, city.display(lang)) for city in dict.fromkeys(ordered)]


async def step(
    target: Target, state: FSMContext, new_state: State, catalog: Catalog, service: CoachService, lang: str, **data: Any
) -> None:
    """Move to `new_state` and show it (editing the pressed message, or sending a new one)."""
    await state.set_state(new_state)
    current = await state.update_data(**data)
    text, markup = await prompt(new_state.state, current, catalog, service, lang)
    message_id = await show(target, text, markup)
    await state.update_data(msg=message_id)


async def advance(
    target: Target, state: FSMContext, user: UserDTO, service: CoachService, catalog: Catalog, lang: str,
    next_state: State, **answer: Any,
) -> None:  # fmt: skip
    """Record this step's answer; /profile edits save right away, onboarding goes on to `next_state`."""
    data = await state.update_data(**answer)
    if data.get("mode") == "edit":
        await finish(target, state, user, service, catalog, lang)
    else:
        await step(target, state, next_state, catalog, service, lang)


# -- start and the role ------------------------------------------------------------------------------


async def start(
    message: Message, state: FSMContext, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    await state.clear()
    service = CoachService(session, catalog)
    profile = await service.profile(user)
    name = html.quote(message.from_user.first_name) if message.from_user else ""
    if profile.complete:
        roadmap = await service.roadmap(profile)
        text = (
            _("Welcome back, {name}!").format(name=name)
            + "\n\n"
            + views.headline(catalog, profile, lang)
            + "\n"
            + views.core_line(roadmap.gap)
            + "\n"
            + views.progress_line(roadmap.progress)
        )
        await message.answer(text, reply_markup=keyboards.main_menu())
        return
    greeting = _(
        "Hi, {name}! I'm <b>Career Coach</b>. I compare what you know with IT role profiles and real job "
        "postings from hh.kz, show what you still lack and how often employers ask for it, and turn the gaps "
        "into a step-by-step plan you can tick off."
    ).format(name=name or _("there"))
    await state.set_state(Onboarding.role)
    data = await state.update_data(mode="new")
    text, markup = await prompt(Onboarding.role.state, data, catalog, service, lang)
    sent = await message.answer(f"{greeting}\n\n{text}", reply_markup=markup)
    await state.update_data(msg=sent.message_id)


async def choose_role(
    callback: CallbackQuery, callback_data: RoleCb, state: FSMContext, user: UserDTO, session: AsyncSession,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    if callback_data.role not in catalog.roles:
        await callback.answer(_("I don't know that role any more — please pick again."))
        return
    await callback.answer()
    await advance(callback, state, user, CoachService(session, catalog), catalog, lang, Onboarding.level,
                  role=callback_data.role, suggested=None)  # fmt: skip


async def unsure(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    await callback.answer()
    await step(callback, state, Onboarding.modules, catalog, CoachService(session, catalog), lang, modules=[])


async def toggle_module(
    callback: CallbackQuery, callback_data: ModuleCb, state: FSMContext, session: AsyncSession, catalog: Catalog,
    lang: str,
) -> None:  # fmt: skip
    service = CoachService(session, catalog)
    chosen: list[str] = (await state.get_data()).get("modules", [])
    if callback_data.module == "*":
        if not chosen:
            await callback.answer(_("Pick at least one part of the system first."), show_alert=True)
            return
        await callback.answer()
        suggested = list(dict.fromkeys(r for m in chosen for r in catalog.modules[m].roles))
        await step(callback, state, Onboarding.role, catalog, service, lang, suggested=suggested)
        return
    if callback_data.module not in catalog.modules:
        await callback.answer(_("That option is no longer available."))
        return
    await callback.answer()
    chosen = (
        [m for m in chosen if m != callback_data.module]
        if callback_data.module in chosen
        else [*chosen, callback_data.module]
    )
    await step(callback, state, Onboarding.modules, catalog, service, lang, modules=chosen)


# -- level and city ------------------------------------------------------------------------------------


async def choose_level(
    callback: CallbackQuery, callback_data: LevelCb, state: FSMContext, user: UserDTO, session: AsyncSession,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    if callback_data.level not in {level.value for level in Level}:
        await callback.answer(_("That option is no longer available."))
        return
    await callback.answer()
    await advance(callback, state, user, CoachService(session, catalog), catalog, lang, Onboarding.city,
                  level=callback_data.level)  # fmt: skip


async def choose_city(
    callback: CallbackQuery, callback_data: CityCb, state: FSMContext, user: UserDTO, session: AsyncSession,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    city = catalog.city(callback_data.city)
    if city is None and callback_data.city not in {"other", "remote"}:
        await callback.answer(_("That option is no longer available."))
        return
    await callback.answer()
    await advance(callback, state, user, CoachService(session, catalog), catalog, lang, Onboarding.skills,
                  city=city.name if city else callback_data.city)  # fmt: skip


# -- skills ------------------------------------------------------------------------------------------


async def toggle_skill(
    callback: CallbackQuery, callback_data: SkillCb, state: FSMContext, user: UserDTO, session: AsyncSession,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    service = CoachService(session, catalog)
    data = await state.get_data()
    have: list[str] = data.get("have", [])
    if callback_data.skill == "*":
        await callback.answer()
        await step(callback, state, Onboarding.want, catalog, service, lang)
        return
    if callback_data.skill == "-":
        have = []
    elif callback_data.skill in catalog.skills:
        have = (
            [s for s in have if s != callback_data.skill]
            if callback_data.skill in have
            else [*have, callback_data.skill]
        )
    else:
        await callback.answer(_("That option is no longer available."))
        return
    await callback.answer()
    await step(callback, state, Onboarding.skills, catalog, service, lang, have=have)


async def type_skills(
    message: Message, state: FSMContext, session: AsyncSession, catalog: Catalog, parser: SkillParser, lang: str
) -> None:
    data = await state.get_data()
    result = parser.parse(message.text or "")
    have = list(dict.fromkeys([*data.get("have", []), *result.recognized]))
    lines = []
    if result.recognized:
        lines.append("👍 " + _("Got it: {skills}").format(skills=views.names(catalog, result.recognized, lang, 40)))
    if result.unknown:
        unknown = ", ".join(f"“{html.quote(u)}”" for u in result.unknown)
        lines.append(
            "❓ "
            + _("I didn't recognise: {items}. Check the spelling, write it differently, or use the buttons.").format(
                items=unknown
            )
        )
    if not lines:
        lines.append(_("I couldn't find any skills in that. Try a list like <i>Python, SQL, Git</i>."))
    await message.answer("\n".join(lines))
    await drop_keyboard(message, message.chat.id, data.get("msg"))
    await step(message, state, Onboarding.skills, catalog, CoachService(session, catalog), lang, have=have)


async def type_wanted(
    message: Message, state: FSMContext, user: UserDTO, session: AsyncSession, catalog: Catalog, parser: SkillParser,
    lang: str,
) -> None:  # fmt: skip
    data = await state.get_data()
    result = parser.parse(message.text or "")
    service = CoachService(session, catalog)
    if not result.recognized:
        unknown = ", ".join(f"“{html.quote(u)}”" for u in result.unknown)
        text = _("I couldn't find any skills in that.") + (
            " " + _("Not recognised: {items}.").format(items=unknown) if unknown else ""
        )
        await message.answer(text + " " + _("Try again, or tap Skip."))
        await drop_keyboard(message, message.chat.id, data.get("msg"))
        await step(message, state, Onboarding.want, catalog, service, lang)
        return
    want = list(dict.fromkeys([*data.get("want", []), *result.recognized]))
    reply = "👍 " + _("Noted, you want to learn: {skills}").format(skills=views.names(catalog, want, lang, 40))
    if result.unknown:
        reply += "\n❓ " + _("Not recognised: {items}.").format(
            items=", ".join(f"“{html.quote(u)}”" for u in result.unknown)
        )
    await message.answer(reply)
    await drop_keyboard(message, message.chat.id, data.get("msg"))
    await state.update_data(want=want)
    await after_want(message, state, user, service, catalog, lang)


async def skip_want(
    callback: CallbackQuery, state: FSMContext, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    await callback.answer()
    await after_want(callback, state, user, CoachService(session, catalog), catalog, lang)


async def after_want(
    target: Target, state: FSMContext, user: UserDTO, service: CoachService, catalog: Catalog, lang: str
) -> None:
    data = await state.get_data()
    both = [sid for sid in data.get("want", []) if sid in set(data.get("have", []))]
    if both:
        await step(target, state, Onboarding.conflicts, catalog, service, lang, conflicts=both)
    else:
        await finish(target, state, user, service, catalog, lang)


async def resolve_conflict(
    callback: CallbackQuery, callback_data: ConflictCb, state: FSMContext, user: UserDTO, session: AsyncSession,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    data = await state.get_data()
    conflicts: list[str] = data.get("conflicts", [])
    if not conflicts or conflicts[0] != callback_data.skill:
        await callback.answer(_("That question was already answered."))
        return
    await callback.answer()
    skill = callback_data.skill
    have = [s for s in data.get("have", []) if s != skill or callback_data.have]
    want = [s for s in data.get("want", []) if s != skill or not callback_data.have]
    await state.update_data(have=have, want=want, conflicts=conflicts[1:])
    service = CoachService(session, catalog)
    if conflicts[1:]:
        await step(callback, state, Onboarding.conflicts, catalog, service, lang)
    else:
        await finish(callback, state, user, service, catalog, lang)


# -- back, finish, /profile --------------------------------------------------------------------------

_BACK = {
    Onboarding.modules.state: Onboarding.role,
    Onboarding.role.state: Onboarding.role,
    Onboarding.level.state: Onboarding.role,
    Onboarding.city.state: Onboarding.level,
    Onboarding.skills.state: Onboarding.city,
    Onboarding.want.state: Onboarding.skills,
}


async def back(callback: CallbackQuery, state: FSMContext, session: AsyncSession, catalog: Catalog, lang: str) -> None:
    await callback.answer()
    current = await state.get_state()
    data = await state.get_data()
    previous = _BACK.get(current or "", Onboarding.role)
    if data.get("mode") == "edit" and previous is not Onboarding.skills:
        await state.clear()
        await show(callback, _("Nothing changed. /profile to edit again."))
        return
    await step(callback, state, previous, catalog, CoachService(session, catalog), lang, suggested=None)


async def finish(
    target: Target, state: FSMContext, user: UserDTO, service: CoachService, catalog: Catalog, lang: str
) -> None:
    data = await state.get_data()
    profile = await service.save_profile(
        user,
        role_id=data["role"],
        level=data.get("level"),
        city=data.get("city"),
        have=data.get("have", []),
        want=data.get("want", []),
    )
    await state.clear()
    reminder = await service.reminder(profile.user)
    note = next_reminder_note(reminder, profile.user.timezone, lang)
    await show(target, "✔ " + _("Profile saved.") + (f"\n{note}" if note else ""))
    roadmap = await service.roadmap(profile)
    chat = target.message.chat.id if isinstance(target, CallbackQuery) and target.message else target.from_user.id
    await target.bot.send_message(
        chat, views.gap_report(catalog, profile, roadmap.gap, lang), reply_markup=keyboards.after_gap()
    )


async def show_profile(target: Target, state: FSMContext, profile: Profile, catalog: Catalog, lang: str) -> None:
    await state.clear()
    await show(target, views.profile_summary(catalog, profile, lang), keyboards.profile_fields())


async def profile_command(
    message: Message, state: FSMContext, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    service = CoachService(session, catalog)
    profile = await service.profile(user)
    if not profile.complete:
        await message.answer(_("You have no profile yet. Let's make one!"))
        await step(message, state, Onboarding.role, catalog, service, lang, mode="new")
        return
    await show_profile(message, state, profile, catalog, lang)


async def edit_field(
    callback: CallbackQuery, callback_data: ProfileCb, state: FSMContext, user: UserDTO, session: AsyncSession,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    service = CoachService(session, catalog)
    profile = await service.profile(user)
    target_state = {
        "role": Onboarding.role,
        "level": Onboarding.level,
        "city": Onboarding.city,
        "skills": Onboarding.skills,
    }.get(callback_data.field)
    if not profile.complete or target_state is None:
        await callback.answer(_("That option is no longer available."))
        return
    await callback.answer()
    await state.clear()
    await step(
        callback, state, target_state, catalog, service, lang,
        mode="edit", role=profile.user.role_id, level=profile.user.level, city=profile.user.city,
        have=sorted(profile.have), want=sorted(profile.want),
    )  # fmt: skip


def create_router() -> Router:
    router = Router(name="onboarding")
    router.message.register(start, CommandStart())
    router.message.register(profile_command, Command("profile"))
    router.callback_query.register(choose_role, RoleCb.filter(), Onboarding.role)
    router.callback_query.register(unsure, StepCb.filter(F.action == "unsure"), Onboarding.role)
    router.callback_query.register(toggle_module, ModuleCb.filter(), Onboarding.modules)
    router.callback_query.register(choose_level, LevelCb.filter(), Onboarding.level)
    router.callback_query.register(choose_city, CityCb.filter(), Onboarding.city)
    router.callback_query.register(toggle_skill, SkillCb.filter(), Onboarding.skills)
    router.message.register(type_skills, Onboarding.skills, F.text, ~F.text.startswith("/"))
    router.message.register(type_wanted, Onboarding.want, F.text, ~F.text.startswith("/"))
    router.callback_query.register(skip_want, StepCb.filter(F.action == "skip"), Onboarding.want)
    router.callback_query.register(resolve_conflict, ConflictCb.filter(), Onboarding.conflicts)
    router.callback_query.register(back, StepCb.filter(F.action == "back"))
    router.callback_query.register(edit_field, ProfileCb.filter())
    return router
