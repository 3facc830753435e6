"""What onboarding says."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram import html
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from handlers.common.format import names


def greeting(name: str) -> str:
    return _(
        "Hi, {name}! I'm <b>Career Coach</b>. I compare what you know with IT role profiles and real job "
        "postings from hh.kz, show what you still lack and how often employers ask for it, and turn the gaps "
        "into a step-by-step plan you can tick off."
    ).format(name=name or _("there"))


def welcome_back(name: str) -> str:
    return _("Welcome back, {name}!").format(name=name)


def modules_step() -> str:
    return _("<b>Which parts of the system will you work on?</b>\nPick one or more, then tap “Show roles”.")


def role_step(suggested: bool) -> str:
    if suggested:
        return _("These roles build the parts you picked. Which one is yours?")
    return _("<b>Step 1 of 5.</b> Which role do you want?")


def level_step(role: str) -> str:
    return _("<b>{role}</b> — good choice.\n\n<b>Step 2 of 5.</b> Which level are you aiming for?").format(
        role=html.quote(role)
    )


def city_step() -> str:
    return _("<b>Step 3 of 5.</b> Where do you want to work?")


def skills_step(catalog: Catalog, data: dict[str, Any], lang: str) -> str:
    text = _(
        "<b>Step 4 of 5.</b> What do you already know?\n"
        "Tap the skills below, or type them the way you would in a CV — e.g. <i>Python, SQL, a bit of REST</i>. "
        "Typos and Russian are fine. Then tap <b>Done</b>."
    )
    have = data.get("have", [])
    if have:
        text += "\n\n" + _("<b>Selected ({n}):</b> {skills}").format(n=len(have), skills=names(catalog, have, lang, 40))
    return text


def stack_step(role: str) -> str:
    return _(
        "<b>{role}</b> jobs split by the main technology. Which one is yours? Your gaps and your market will be "
        "those of that stack; the others are shown separately."
    ).format(role=html.quote(role))


def want_step() -> str:
    return _(
        "<b>Step 5 of 5.</b> Anything you know you <b>lack</b> and want to learn? Type it like "
        "<i>OAuth, GitHub, Docker</i> — or tap Skip."
    )


def conflict_step(skill: str) -> str:
    return _("You listed <b>{skill}</b> both as a skill you have and one you lack. Which is it?").format(
        skill=html.quote(skill)
    )


def _fragments(unknown: Sequence[str]) -> str:
    return ", ".join(f"“{html.quote(u)}”" for u in unknown)


def typed_skills(catalog: Catalog, recognized: Sequence[str], unknown: Sequence[str], lang: str) -> str:
    lines = []
    if recognized:
        lines.append("👍 " + _("Got it: {skills}").format(skills=names(catalog, recognized, lang, 40)))
    if unknown:
        lines.append(
            "❓ "
            + _("I didn't recognise: {items}. Check the spelling, write it differently, or use the buttons.").format(
                items=_fragments(unknown)
            )
        )
    if not lines:
        lines.append(_("I couldn't find any skills in that. Try a list like <i>Python, SQL, Git</i>."))
    return "\n".join(lines)


def no_wanted_skills(unknown: Sequence[str]) -> str:
    text = _("I couldn't find any skills in that.")
    if unknown:
        text += " " + _("Not recognised: {items}.").format(items=_fragments(unknown))
    return text + " " + _("Try again, or tap Skip.")


def wanted_skills(catalog: Catalog, want: Sequence[str], unknown: Sequence[str], lang: str) -> str:
    reply = "👍 " + _("Noted, you want to learn: {skills}").format(skills=names(catalog, want, lang, 40))
    if unknown:
        reply += "\n❓ " + _("Not recognised: {items}.").format(items=_fragments(unknown))
    return reply


def profile_saved(note: str) -> str:
    return "✔ " + _("Profile saved.") + (f"\n{note}" if note else "")


def nothing_changed() -> str:
    return _("Nothing changed. /profile to edit again.")


def no_profile_yet() -> str:
    return _("You have no profile yet. Let's make one!")


def option_gone() -> str:
    return _("That option is no longer available.")


def role_gone() -> str:
    return _("I don't know that role any more — please pick again.")


def pick_a_module() -> str:
    return _("Pick at least one part of the system first.")


def question_answered() -> str:
    return _("That question was already answered.")
