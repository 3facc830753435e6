"""The student's "Roles and Skills Analysis" as Markdown, in the seeds' structure and the student's language."""

from __future__ import annotations

from datetime import datetime

from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.progress import ItemState
from coach.roadmap import Term
from coach.student import Profile
from handlers.common.format import money
from handlers.common.labels import city_name, level_name, term_name
from services.coaching import Roadmap

POSTINGS_IN_REPORT = 5


def md(text: str | None) -> str:
    """Text from outside (posting titles, companies) made safe inside Markdown tables and lists."""
    return " ".join((text or "").split()).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def _skills(catalog: Catalog, ids, lang: str) -> str:
    return ", ".join(catalog.skill(sid).display(lang) for sid in ids) or "—"


def build_report(catalog: Catalog, profile: Profile, roadmap: Roadmap, lang: str, today: datetime) -> str:
    role = catalog.role(profile.user.role_id or "")
    gap = roadmap.gap
    lines: list[str] = ["# " + _("Roles and Skills Analysis"), ""]
    lines.append(
        _("*{role}, {level}, {city} — prepared with Career Coach on {date}.*").format(
            role=role.display(lang),
            level=level_name(profile.user.level),
            city=city_name(catalog, profile.user.city, lang),
            date=today.date().isoformat(),
        )
    )

    lines += [
        "",
        "## 1. " + _("Roles per module"),
        "",
        "| " + _("Module") + " | " + _("Roles involved") + " |",
        "|---|---|",
    ]
    for module in catalog.modules.values():
        roles = ", ".join(catalog.role(r).display(lang) for r in module.roles)
        lines.append(f"| **{module.name.get(lang)}** | {roles} |")

    lines += ["", "## 2. " + _("Cross-cutting skills"), "", _("Skills almost every team member needs:"), ""]
    lines += [f"* **{catalog.skill(sid).display(lang)}**" for sid in catalog.cross_cutting]

    lines += ["", "## 3. " + _("My chosen role"), "", f"**{role.display(lang)}** — {role.summary.get(lang)}", ""]
    lines.append(_("* **Core skills:** {have} of {total}").format(have=len(gap.core_have), total=gap.core_total))
    lines.append(
        _("* **Skills I already have:** {skills}").format(skills=_skills(catalog, [*gap.have, *gap.other_have], lang))
    )
    lacking = [d.skill_id for d in gap.lack] + sorted(profile.want - {d.skill_id for d in gap.lack})
    lines.append(_("* **Skills I clearly lack:** {skills}").format(skills=_skills(catalog, lacking, lang)))

    lines += ["", "## 4. " + _("Job market snapshot"), ""]
    if gap.postings_total:
        lines.append(_("I analysed {n} job postings for this role.").format(n=gap.postings_total))
        lines.append("")
        for number, match in enumerate(gap.best_postings[:POSTINGS_IN_REPORT], 1):
            posting = match.posting
            title = md(posting.title) + (f" ({md(posting.company)})" if posting.company else "")
            lines.append(f"{number}. **{title}**")
            if posting.url:
                lines.append("    * " + _("Link") + f": <{md(posting.url)}>")
            lines.append("    * " + _("Key skills") + ": " + _skills(catalog, sorted(posting.skills), lang))
            if posting.has_salary:
                low, high = posting.salary_from, posting.salary_to
                span = "–".join(money(v, lang) for v in (low, high) if v is not None)
                lines.append("    * " + _("Salary") + f": {span} {md(posting.currency or '')}")
        lines += ["", "### " + _("Skills in both the postings and the role profile"), ""]
        lines.append(_skills(catalog, gap.in_both, lang))
        lines += ["", "### " + _("Skills that surprised me"), ""]
        lines.append(_skills(catalog, [d.skill_id for d in gap.surprising], lang))
        if gap.almost_every:
            lines += ["", "### " + _("Skills in almost every posting"), "", _skills(catalog, gap.almost_every, lang)]
    else:
        lines.append(_("No job postings for this role are stored yet; this analysis uses the role profile only."))

    lines += ["", "## 5. " + _("Salary insights"), ""]
    salary = gap.salary
    if salary is not None:
        span = f"{money(salary.low, lang)}–{money(salary.high, lang)} {salary.currency}"
        if salary.from_postings:
            lines.append(
                _("* {level}: median {median} {currency}, range {range} (from {n} postings with a salary).").format(
                    level=level_name(salary.level), median=money(salary.median or 0, lang), currency=salary.currency,
                    range=span, n=salary.sample,
                )
            )  # fmt: skip
        else:
            lines.append(_("* {level}: {range} a month ({source}).").format(
                level=level_name(salary.level), range=span, source=salary.fallback_source
            ))  # fmt: skip
    facts = catalog.salary
    monthly = _("Monthly, {currency}").format(currency=facts.currency)
    lines += ["", "| " + _("Level") + f" | {monthly} |", "|---|---|"]
    for level, band in facts.levels.items():
        lines.append(f"| {level_name(level)} | {money(band.low, lang)}–{money(band.high, lang)} |")
    if facts.lifts:
        lines += ["", "**" + _("Skills that raise the offer") + ":**", ""]
        for lift in facts.lifts:
            lines.append(f"* {_skills(catalog, lift.skills, lang)}: +{lift.low}–{lift.high}%")

    states = {(i.skill_id, i.action_no): i.state for i in roadmap.items}
    lines += ["", "## 6. " + _("Hard skills roadmap (priority order)")]
    last_term = None
    hard = [p for p in roadmap.plan.skills if p.term is not Term.SOFT]
    for number, planned in enumerate(hard, 1):
        if planned.term != last_term:
            lines += ["", f"### {term_name(planned.term)}", ""]
            last_term = planned.term
        skill = catalog.skill(planned.skill_id)
        lines.append(f"{number}. **{skill.display(lang)}**")
        lines += [f"    * {action.get(lang)}" for action in skill.actions]

    lines += ["", "## 7. " + _("Soft skills"), ""]
    lines += [
        f"* **{catalog.skill(p.skill_id).display(lang)}** — {catalog.skill(p.skill_id).actions[0].get(lang)}"
        for p in roadmap.plan.skills
        if p.term is Term.SOFT and catalog.skill(p.skill_id).actions
    ]

    lines += ["", "## 8. " + _("Action items"), ""]
    progress = roadmap.progress
    lines.append(_("Done {done} of {total}.").format(done=progress.done, total=progress.total))
    lines.append("")
    for planned in roadmap.plan.skills:
        skill = catalog.skill(planned.skill_id)
        for action_no, action in enumerate(skill.actions):
            state = states.get((skill.id, action_no))
            if state is None:
                continue
            mark = "x" if state is ItemState.DONE else " "
            skipped = " *(" + _("skipped") + ")*" if state is ItemState.SKIPPED else ""
            lines.append(f"- [{mark}] {skill.display(lang)}: {action.get(lang)}{skipped}")
    return "\n".join(lines) + "\n"
