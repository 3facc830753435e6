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


STEPS = 5


def numbered(number: int, text: str, data: dict[str, Any]) -> str:
    """A step of onboarding says where it is ("Step 2 of 5."); the same question from /profile does not."""
    if data.get("mode") == "edit":
        return text
    return _("<b>Step {n} of {total}.</b>").format(n=number, total=STEPS) + " " + text


def role_step(suggested: bool, data: dict[str, Any]) -> str:
    if suggested:
        return _("These roles build the parts you picked. Which one is yours?")
    return numbered(1, _("Which role do you want?"), data)


def level_step(role: str, data: dict[str, Any]) -> str:
    question = numbered(2, _("Which level are you aiming for?"), data)
    if data.get("mode") == "edit":
        return question
    return _("<b>{role}</b> — good choice.").format(role=html.quote(role)) + "\n\n" + question


def city_step(data: dict[str, Any]) -> str:
    return numbered(3, _("Where do you want to work?"), data)


def other_city_step() -> str:
    return _("Which city? Type its name — e.g. <i>Pavlodar</i> or <i>Ташкент</i>. Your market and your time zone "
             "will follow it.")  # fmt: skip


def unknown_city(text: str) -> str:
    return _(
        "“{text}” does not look like a city's name. Type just the name, e.g. <i>Pavlodar</i> — or tap Skip."
    ).format(text=html.quote(text[:40]))


def skills_step(catalog: Catalog, data: dict[str, Any], lang: str) -> str:
    text = numbered(4, _(
        "What do you already know?\n"
        "Tap the skills below, or type them the way you would in a CV — e.g. <i>Python, SQL, a bit of REST</i>. "
        "Typos, Russian and Kazakh are fine. To take one out, tap it again or write <i>remove Docker</i>. "
        "Then tap <b>Done</b>."
    ), data)  # fmt: skip
    have = data.get("have", [])
    if have:
        text += "\n\n" + _("<b>Selected ({n}):</b> {skills}").format(n=len(have), skills=names(catalog, have, lang, 40))
    return text


def stack_step(role: str) -> str:
    return _(
        "<b>{role}</b> jobs split by the main technology. Which one is yours? Your gaps and your market will be "
        "those of that stack; the others are shown separately."
    ).format(role=html.quote(role))


def want_step(data: dict[str, Any]) -> str:
    return numbered(5, _(
        "Anything you know you <b>lack</b> and want to learn? Type it like <i>OAuth, GitHub, Docker</i> — or tap "
        "Skip."
    ), data)  # fmt: skip


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


def removed_skills(catalog: Catalog, named: Sequence[str], absent: Sequence[str], lang: str) -> str:
    """After "remove X": what was taken out, and what was not in the list in the first place."""
    taken = [sid for sid in named if sid not in absent]
    lines = []
    if taken:
        lines.append("🗑 " + _("Removed: {skills}").format(skills=names(catalog, taken, lang, 40)))
    if absent:
        lines.append(_("Not in your list: {skills}").format(skills=names(catalog, absent, lang, 40)))
    if not named:
        lines.append(_("Which skill should I take out? Write it like <i>remove Docker</i>, or tap it below."))
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


def profile_updated(summary: str, zone_note: str) -> str:
    """After a /profile edit: what the profile is now, in a few lines (the reports are a tap away)."""
    parts = ["✔ " + _("Profile updated.") + (f" {zone_note}" if zone_note else ""), summary]
    parts.append(_("Your gap report and roadmap follow the change."))
    return "\n\n".join(parts)


def zone_moved(zone: str) -> str:
    return _("Time zone: {zone} (change it in /settings).").format(zone=html.quote(zone))


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
