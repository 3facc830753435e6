"""The conversation that sets a student up: role (or modules → role), level, city, skills, what they lack.

Answers live in the conversation's data until the last step, then the profile is saved in one go; /profile
re-enters any single step ("edit" mode) and saves right after it. Every step can be re-shown by `prompt()`,
which the fallback uses when a student sends something the step does not expect.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router, html
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from coach.catalog import Catalog, Level
from coach.intent import removal
from coach.skills import SkillParser
from coach.student import Profile, Student
from coach.zones import Zone, find_place, typed_city
from handlers.classes.consent import offer_after_onboarding
from handlers.coaching import keyboards as coaching_keyboards
from handlers.coaching import texts as coaching_texts
from handlers.common.callbacks import (
    CityCb,
    ConflictCb,
    LevelCb,
    ModuleCb,
    ProfileCb,
    ProfileField,
    RoleCb,
    SkillCb,
    StackCb,
    StepAction,
    StepCb,
)
from handlers.common.labels import zone_name
from handlers.common.screens import Target, drop_keyboard, send, show
from handlers.onboarding import keyboards, texts
from handlers.onboarding.states import Onboarding
from handlers.settings.texts import next_reminder_note
from services.coaching import CoachService

# -- the steps -----------------------------------------------------------------------------------------


async def prompt(
    state: str | None, data: dict[str, Any], catalog: Catalog, coach: CoachService, lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and keyboard of the step `state`, with the answers so far in `data`."""
    if state == Onboarding.modules.state:
        return texts.modules_step(), keyboards.modules(catalog, lang, data.get("modules", []))
    if state == Onboarding.level.state:
        return texts.level_step(catalog.role(data["role"]).display(lang), data), keyboards.levels()
    if state == Onboarding.city.state:
        return texts.city_step(data), keyboards.cities(await _city_options(catalog, coach, lang))
    if state == Onboarding.other_city.state:
        return texts.other_city_step(), keyboards.other_city()
    if state == Onboarding.skills.state:
        offered = await coach.offered_skills(data["role"])
        return texts.skills_step(catalog, data, lang), keyboards.skills(catalog, lang, offered, data.get("have", []))
    if state == Onboarding.stack.state:
        role = catalog.role(data["role"])
        return texts.stack_step(role.display(lang)), keyboards.stacks(catalog, role.id, data.get("stack"))
    if state == Onboarding.want.state:
        return texts.want_step(data), keyboards.skip()
    if state == Onboarding.conflicts.state:
        skill = catalog.skill(data["conflicts"][0])
        return texts.conflict_step(skill.display(lang)), keyboards.conflict(skill.id)
    suggested = data.get("suggested")
    return texts.role_step(bool(suggested), data), keyboards.roles(catalog, lang, suggested, unsure=not suggested)


async def _city_options(catalog: Catalog, coach: CoachService, lang: str) -> list[tuple[str, str]]:
    """Catalog cities, those with stored postings first."""
    posted = [catalog.city(name) for name in await coach.cities()]
    ordered = [c for c in posted if c] + list(catalog.cities)
    return [(city.id, city.display(lang)) for city in dict.fromkeys(ordered)]


async def step(
    target: Target, state: FSMContext, new_state: State, catalog: Catalog, coach: CoachService, lang: str, **data: Any
) -> None:
    """Move to `new_state` and show it (editing the pressed message, or sending a new one)."""
    await state.set_state(new_state)
    current = await state.update_data(**data)
    text, markup = await prompt(new_state.state, current, catalog, coach, lang)
    message_id = await show(target, text, markup)
    await state.update_data(msg=message_id)


async def advance(
    target: Target, state: FSMContext, student: Student, coach: CoachService, catalog: Catalog, lang: str,
    next_state: State, **answer: Any,
) -> None:  # fmt: skip
    """Record this step's answer; /profile edits save right away, onboarding goes on to `next_state`."""
    data = await state.update_data(**answer)
    if data.get("mode") == "edit":
        await finish(target, state, student, coach, catalog, lang)
    else:
        await step(target, state, next_state, catalog, coach, lang)


# -- start and the role --------------------------------------------------------------------------------


async def start(message: Message, state: FSMContext, student: Student, coach: CoachService, catalog: Catalog,
                lang: str) -> None:  # fmt: skip
    await state.clear()
    name = html.quote(message.from_user.first_name) if message.from_user else ""
    roadmap = await coach.overview(student)
    if roadmap is not None:
        text = "\n".join(
            [
                texts.welcome_back(name) + "\n",
                coaching_texts.headline(catalog, roadmap.profile, lang),
                coaching_texts.core_line(roadmap.gap),
                coaching_texts.progress_line(roadmap.progress),
            ]
        )
        await message.answer(text, reply_markup=coaching_keyboards.main_menu())
        return
    await state.set_state(Onboarding.role)
    data = await state.update_data(mode="new")
    text, markup = await prompt(Onboarding.role.state, data, catalog, coach, lang)
    sent = await message.answer(f"{texts.greeting(name)}\n\n{text}", reply_markup=markup)
    await state.update_data(msg=sent.message_id)


async def choose_role(
    callback: CallbackQuery, callback_data: RoleCb, state: FSMContext, student: Student, coach: CoachService,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    if callback_data.role not in catalog.roles:
        await callback.answer(texts.role_gone())
        return
    await callback.answer()
    await advance(callback, state, student, coach, catalog, lang, Onboarding.level,
                  role=callback_data.role, suggested=None)  # fmt: skip


async def unsure(callback: CallbackQuery, state: FSMContext, coach: CoachService, catalog: Catalog, lang: str) -> None:
    await callback.answer()
    await step(callback, state, Onboarding.modules, catalog, coach, lang, modules=[])


async def toggle_module(
    callback: CallbackQuery, callback_data: ModuleCb, state: FSMContext, coach: CoachService, catalog: Catalog,
    lang: str,
) -> None:  # fmt: skip
    if callback_data.module not in catalog.modules:
        await callback.answer(texts.option_gone())
        return
    await callback.answer()
    chosen: list[str] = (await state.get_data()).get("modules", [])
    module = callback_data.module
    chosen = [m for m in chosen if m != module] if module in chosen else [*chosen, module]
    await step(callback, state, Onboarding.modules, catalog, coach, lang, modules=chosen)


async def show_roles(callback: CallbackQuery, state: FSMContext, coach: CoachService, catalog: Catalog,
                     lang: str) -> None:  # fmt: skip
    chosen = [m for m in (await state.get_data()).get("modules", []) if m in catalog.modules]
    if not chosen:
        await callback.answer(texts.pick_a_module(), show_alert=True)
        return
    await callback.answer()
    suggested = list(dict.fromkeys(r for m in chosen for r in catalog.modules[m].roles))
    await step(callback, state, Onboarding.role, catalog, coach, lang, suggested=suggested)


# -- level and city --------------------------------------------------------------------------------------


async def choose_level(
    callback: CallbackQuery, callback_data: LevelCb, state: FSMContext, student: Student, coach: CoachService,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    if callback_data.level not in {level.value for level in Level}:
        await callback.answer(texts.option_gone())
        return
    await callback.answer()
    await advance(callback, state, student, coach, catalog, lang, Onboarding.city, level=callback_data.level)


async def choose_city(
    callback: CallbackQuery, callback_data: CityCb, state: FSMContext, student: Student, coach: CoachService,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    city = catalog.city(callback_data.city)
    if city is None and callback_data.city not in {"other", "remote"}:
        await callback.answer(texts.option_gone())
        return
    await callback.answer()
    if callback_data.city == "other":
        await step(callback, state, Onboarding.other_city, catalog, coach, lang)
        return
    await advance(callback, state, student, coach, catalog, lang, Onboarding.skills,
                  city=city.name if city else callback_data.city, city_changed=True)  # fmt: skip


async def type_city(message: Message, state: FSMContext, student: Student, coach: CoachService, catalog: Catalog,
                    lang: str) -> None:  # fmt: skip
    """ "Other city": the city the student types — one we know (in either script), or their own words."""
    city = typed_city(catalog, message.text or "")
    if city is None:
        await message.answer(texts.unknown_city(message.text or ""))
        return
    data = await state.get_data()
    await drop_keyboard(message, message.chat.id, data.get("msg"))
    await advance(message, state, student, coach, catalog, lang, Onboarding.skills, city=city, city_changed=True)


async def skip_city(callback: CallbackQuery, state: FSMContext, student: Student, coach: CoachService,
                    catalog: Catalog, lang: str) -> None:  # fmt: skip
    await callback.answer()
    await advance(callback, state, student, coach, catalog, lang, Onboarding.skills, city="other", city_changed=True)


# -- skills ----------------------------------------------------------------------------------------------


async def toggle_skill(
    callback: CallbackQuery, callback_data: SkillCb, state: FSMContext, coach: CoachService, catalog: Catalog,
    lang: str,
) -> None:  # fmt: skip
    if callback_data.skill not in catalog.skills:
        await callback.answer(texts.option_gone())
        return
    await callback.answer()
    have: list[str] = (await state.get_data()).get("have", [])
    skill = callback_data.skill
    have = [s for s in have if s != skill] if skill in have else [*have, skill]
    await step(callback, state, Onboarding.skills, catalog, coach, lang, have=have)


async def clear_skills(callback: CallbackQuery, state: FSMContext, coach: CoachService, catalog: Catalog,
                       lang: str) -> None:  # fmt: skip
    await callback.answer()
    await step(callback, state, Onboarding.skills, catalog, coach, lang, have=[])


async def skills_done(callback: CallbackQuery, state: FSMContext, coach: CoachService, catalog: Catalog,
                      lang: str) -> None:  # fmt: skip
    await callback.answer()
    data = await state.get_data()
    # The stack is read from the skills (Python + FastAPI: Python backend); asked only when they say nothing.
    if catalog.role(data["role"]).stacks and coach.stack_for(data["role"], data.get("have", [])) is None:
        await step(callback, state, Onboarding.stack, catalog, coach, lang)
    else:
        await step(callback, state, Onboarding.want, catalog, coach, lang, stack=None)


async def choose_stack(
    callback: CallbackQuery, callback_data: StackCb, state: FSMContext, student: Student, coach: CoachService,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    data = await state.get_data()
    role = catalog.role(data.get("role") or "")
    if callback_data.stack != "auto" and role.stack(callback_data.stack) is None:
        await callback.answer(texts.option_gone())
        return
    await callback.answer()
    chosen = None if callback_data.stack == "auto" else callback_data.stack
    await advance(callback, state, student, coach, catalog, lang, Onboarding.want, stack=chosen)


async def type_skills(message: Message, state: FSMContext, coach: CoachService, catalog: Catalog,
                      parser: SkillParser, lang: str) -> None:  # fmt: skip
    data = await state.get_data()
    text = message.text or ""
    if (taken_out := removal(text)) is not None:
        named = parser.parse(taken_out).recognized
        have = [sid for sid in data.get("have", []) if sid not in named]
        reply = texts.removed_skills(catalog, named, [sid for sid in named if sid not in data.get("have", [])], lang)
        await message.answer(reply)
    else:
        result = parser.parse(text)
        have = list(dict.fromkeys([*data.get("have", []), *result.recognized]))
        await message.answer(texts.typed_skills(catalog, result.recognized, result.unknown, lang))
    await drop_keyboard(message, message.chat.id, data.get("msg"))
    await step(message, state, Onboarding.skills, catalog, coach, lang, have=have)


async def type_wanted(
    message: Message, state: FSMContext, student: Student, coach: CoachService, catalog: Catalog,
    parser: SkillParser, lang: str,
) -> None:  # fmt: skip
    data = await state.get_data()
    text = message.text or ""
    if (taken_out := removal(text)) is not None:
        named = parser.parse(taken_out).recognized
        want = [sid for sid in data.get("want", []) if sid not in named]
        await message.answer(texts.removed_skills(catalog, named, [s for s in named if s not in data.get("want", [])],
                                                  lang))  # fmt: skip
        await drop_keyboard(message, message.chat.id, data.get("msg"))
        await step(message, state, Onboarding.want, catalog, coach, lang, want=want)
        return
    result = parser.parse(text)
    if not result.recognized:
        await message.answer(texts.no_wanted_skills(result.unknown))
        await drop_keyboard(message, message.chat.id, data.get("msg"))
        await step(message, state, Onboarding.want, catalog, coach, lang)
        return
    want = list(dict.fromkeys([*data.get("want", []), *result.recognized]))
    await message.answer(texts.wanted_skills(catalog, want, result.unknown, lang))
    await drop_keyboard(message, message.chat.id, data.get("msg"))
    await state.update_data(want=want)
    await after_want(message, state, student, coach, catalog, lang)


async def skip_want(callback: CallbackQuery, state: FSMContext, student: Student, coach: CoachService,
                    catalog: Catalog, lang: str) -> None:  # fmt: skip
    await callback.answer()
    await after_want(callback, state, student, coach, catalog, lang)


async def after_want(target: Target, state: FSMContext, student: Student, coach: CoachService, catalog: Catalog,
                     lang: str) -> None:  # fmt: skip
    data = await state.get_data()
    both = [sid for sid in data.get("want", []) if sid in set(data.get("have", []))]
    if both:
        await step(target, state, Onboarding.conflicts, catalog, coach, lang, conflicts=both)
    else:
        await finish(target, state, student, coach, catalog, lang)


async def resolve_conflict(
    callback: CallbackQuery, callback_data: ConflictCb, state: FSMContext, student: Student, coach: CoachService,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    data = await state.get_data()
    conflicts: list[str] = data.get("conflicts", [])
    if not conflicts or conflicts[0] != callback_data.skill:
        await callback.answer(texts.question_answered())
        return
    await callback.answer()
    skill = callback_data.skill
    have = [s for s in data.get("have", []) if s != skill or callback_data.have]
    want = [s for s in data.get("want", []) if s != skill or not callback_data.have]
    await state.update_data(have=have, want=want, conflicts=conflicts[1:])
    if conflicts[1:]:
        await step(callback, state, Onboarding.conflicts, catalog, coach, lang)
    else:
        await finish(callback, state, student, coach, catalog, lang)


# -- back, finish, /profile ------------------------------------------------------------------------------

_BACK = {
    Onboarding.modules.state: Onboarding.role,
    Onboarding.role.state: Onboarding.role,
    Onboarding.level.state: Onboarding.role,
    Onboarding.city.state: Onboarding.level,
    Onboarding.other_city.state: Onboarding.city,
    Onboarding.skills.state: Onboarding.city,
    Onboarding.stack.state: Onboarding.skills,
    Onboarding.want.state: Onboarding.skills,
}


async def back(callback: CallbackQuery, state: FSMContext, coach: CoachService, catalog: Catalog, lang: str) -> None:
    await callback.answer()
    current = await state.get_state()
    data = await state.get_data()
    previous = _BACK.get(current or "", Onboarding.role)
    if data.get("mode") == "edit" and previous not in (Onboarding.skills, Onboarding.city):
        await state.clear()
        await show(callback, texts.nothing_changed())
        return
    await step(callback, state, previous, catalog, coach, lang, suggested=None)


async def finish(target: Target, state: FSMContext, student: Student, coach: CoachService, catalog: Catalog,
                 lang: str) -> None:  # fmt: skip
    data = await state.get_data()
    # Cleared first, so the conversation's end commits in the same transaction as the profile it saved.
    await state.clear()
    # A city named in this conversation brings its time zone (Kazakhstan's cities: UTC+5; Tashkent, Bishkek...).
    place = find_place(data["city"]) if data.get("city_changed") and data.get("city") else None
    saved = await coach.save_profile(
        student,
        role_id=data["role"],
        level=data.get("level"),
        city=data.get("city"),
        have=data.get("have", []),
        want=data.get("want", []),
        stack=data.get("stack"),
        zone=Zone(place.zone, place.id) if place else None,
    )
    moved = saved.profile.student.timezone != student.timezone or saved.profile.student.zone_place != student.zone_place
    student = saved.profile.student
    if data.get("mode") == "edit":
        roadmap = await coach.roadmap(saved.profile)
        summary = "\n".join(
            [
                coaching_texts.headline(catalog, saved.profile, lang),
                coaching_texts.core_line(roadmap.gap),
                coaching_texts.progress_line(roadmap.progress),
            ]
        )
        zone_note = texts.zone_moved(zone_name(student.timezone, student.zone_place, lang)) if moved else ""
        await show(target, texts.profile_updated(summary, zone_note), coaching_keyboards.main_menu())
        return
    await show(target, texts.profile_saved(next_reminder_note(saved.reminder, student, lang)))
    roadmap = await coach.roadmap(saved.profile)
    await send(target, coaching_texts.gap_report(catalog, roadmap, lang),
               coaching_keyboards.after_gap())  # fmt: skip
    # A student who came with a class's invite link decides now, seeing what the teacher would see.
    await offer_after_onboarding(target, catalog, student, data, lang)


async def show_profile(target: Target, state: FSMContext, profile: Profile, catalog: Catalog, lang: str) -> None:
    await state.clear()
    stacks = bool(catalog.role(profile.student.role_id or "").stacks)
    await show(
        target, coaching_texts.profile_summary(catalog, profile, lang), coaching_keyboards.profile_fields(stacks)
    )


async def profile_command(message: Message, state: FSMContext, student: Student, coach: CoachService,
                          catalog: Catalog, lang: str) -> None:  # fmt: skip
    profile = await coach.profile(student)
    if not profile.complete:
        await message.answer(texts.no_profile_yet())
        await step(message, state, Onboarding.role, catalog, coach, lang, mode="new")
        return
    await show_profile(message, state, profile, catalog, lang)


_EDIT_STEPS = {
    ProfileField.ROLE: Onboarding.role,
    ProfileField.STACK: Onboarding.stack,
    ProfileField.LEVEL: Onboarding.level,
    ProfileField.CITY: Onboarding.city,
    ProfileField.SKILLS: Onboarding.skills,
}


async def edit_field(
    callback: CallbackQuery, callback_data: ProfileCb, state: FSMContext, student: Student, coach: CoachService,
    catalog: Catalog, lang: str,
) -> None:  # fmt: skip
    profile = await coach.profile(student)
    if not profile.complete:
        await callback.answer(texts.option_gone())
        return
    await callback.answer()
    await state.clear()
    target = _EDIT_STEPS[callback_data.field]
    if target is Onboarding.stack and not catalog.role(profile.student.role_id or "").stacks:
        target = Onboarding.skills  # a role without stacks: the stack is its skills
    await step(
        callback, state, target, catalog, coach, lang,
        mode="edit", role=profile.student.role_id, stack=profile.student.stack, level=profile.student.level,
        city=profile.student.city, have=sorted(profile.have), want=list(profile.want),
    )  # fmt: skip


def create_router() -> Router:
    router = Router(name="onboarding")
    router.message.register(start, CommandStart())
    router.message.register(profile_command, Command("profile"))
    router.callback_query.register(choose_role, RoleCb.filter(), Onboarding.role)
    router.callback_query.register(unsure, StepCb.filter(F.action == StepAction.UNSURE), Onboarding.role)
    router.callback_query.register(toggle_module, ModuleCb.filter(), Onboarding.modules)
    router.callback_query.register(show_roles, StepCb.filter(F.action == StepAction.SHOW_ROLES), Onboarding.modules)
    router.callback_query.register(choose_level, LevelCb.filter(), Onboarding.level)
    router.callback_query.register(choose_city, CityCb.filter(), Onboarding.city)
    router.message.register(type_city, Onboarding.other_city, F.text, ~F.text.startswith("/"))
    router.callback_query.register(skip_city, StepCb.filter(F.action == StepAction.SKIP), Onboarding.other_city)
    router.callback_query.register(toggle_skill, SkillCb.filter(), Onboarding.skills)
    router.callback_query.register(clear_skills, StepCb.filter(F.action == StepAction.SKILLS_CLEAR), Onboarding.skills)
    router.callback_query.register(skills_done, StepCb.filter(F.action == StepAction.SKILLS_DONE), Onboarding.skills)
    router.callback_query.register(choose_stack, StackCb.filter(), Onboarding.stack)
    router.message.register(type_skills, Onboarding.skills, F.text, ~F.text.startswith("/"))
    router.message.register(type_wanted, Onboarding.want, F.text, ~F.text.startswith("/"))
    router.callback_query.register(skip_want, StepCb.filter(F.action == StepAction.SKIP), Onboarding.want)
    router.callback_query.register(resolve_conflict, ConflictCb.filter(), Onboarding.conflicts)
    router.callback_query.register(back, StepCb.filter(F.action == StepAction.BACK), Onboarding())
    router.callback_query.register(edit_field, ProfileCb.filter())
    return router
