"""The student's "Roles and Skills Analysis" in the seeds' structure and the student's language: one content,
written out as Markdown or as a Word document (.docx) a course will accept.

The content is a list of blocks (headings, paragraphs, lists, tables, a checklist); `markdown()` and `docx()`
render the same blocks, so the two files never say different things. Text from outside (posting titles,
companies, links) is escaped for Markdown, and only http(s) links become links.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.progress import ItemState
from coach.roadmap import Term
from handlers.common.format import demand_name, ref_name
from handlers.common.labels import city_name, level_name, term_name
from handlers.common.market import salary_figure, salary_line, scope, sources_line
from services.coaching import Roadmap

POSTINGS_IN_REPORT = 5
_TAGS = re.compile(r"<[^>]+>")
# Characters Markdown renderers read as markup anywhere in a line (links, emphasis, code, HTML, tables), and
# what starts a heading, a list or a quote at the beginning of one; a backslash makes each literal.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")


def plain(text_html: str) -> str:
    """A bot text (HTML) as plain text."""
    return html.unescape(_TAGS.sub("", text_html))


def md(text: str | None, line_start: bool = False) -> str:
    """Text made literal in Markdown: one line, every markup character escaped — and, for text that begins
    a line (`line_start`), what would make it a heading, a list or a quote."""
    escaped = _MARKDOWN.sub(r"\\\1", " ".join((text or "").split()))
    if not line_start:
        return escaped

    def literal(match: re.Match[str]) -> str:
        if match.group(2):
            return f"{match.group(1)}\\{match.group(2)}"
        return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"  # "1\." is no list item

    return _LINE_START.sub(literal, escaped)


def safe_url(url: str | None) -> str | None:
    if not url or len(url) > 500 or not url.startswith(("https://", "http://")) or any(c in url for c in " <>\"'`"):
        return None
    return url


@dataclass
class Block:
    kind: str  # title | subtitle | heading | subheading | text | bullets | numbered | table | checklist
    text: str = ""
    items: list = field(default_factory=list)  # bullets/numbered: (text, [sub-items]); table: rows; checklist


def build_report(catalog: Catalog, roadmap: Roadmap, lang: str, today: datetime) -> list[Block]:
    profile, gap, market, plan = roadmap.profile, roadmap.gap, roadmap.market, roadmap.plan
    student = profile.student
    role = catalog.role(student.role_id or "")
    where = scope(catalog, role.id, student.stack, lang)
    blocks = [
        Block("title", _("Roles and Skills Analysis")),
        Block(
            "subtitle",
            _("{role}, {level}, {city} — prepared with Career Coach on {date}.").format(
                role=where,
                level=level_name(student.level),
                city=city_name(catalog, student.city, lang),
                date=today.date().isoformat(),
            ),
        ),
    ]

    blocks.append(Block("heading", "1. " + _("Roles per module")))
    rows = [[_("Module"), _("Roles involved")]]
    rows += [
        [m.name.get(lang), ", ".join(catalog.role(r).display(lang) for r in m.roles)] for m in catalog.modules.values()
    ]
    blocks.append(Block("table", items=rows))

    blocks.append(Block("heading", "2. " + _("Cross-cutting skills")))
    blocks.append(Block("text", _("Skills almost every team member needs:")))
    blocks.append(Block("bullets", items=[(catalog.skill(sid).display(lang), []) for sid in catalog.cross_cutting]))

    blocks.append(Block("heading", "3. " + _("My chosen role")))
    blocks.append(Block("text", f"{where} — {role.summary.get(lang)}"))
    have = [catalog.skill(sid).display(lang) for sid in (*gap.have, *gap.other_have)]
    named = [plain(demand_name(catalog, d, lang)) for d in gap.named]
    top = [f"{plain(ref_name(catalog, d.ref, lang))} ({round(100 * d.share)}%)" if d.total else
           plain(ref_name(catalog, d.ref, lang)) for d in gap.top()]  # fmt: skip
    blocks.append(Block("bullets", items=[
        (_("Core skills: {have} of {total}").format(have=len(gap.core_have), total=gap.core_total), []),
        (_("Skills I already have: {skills}").format(skills=", ".join(have) or "—"), []),
        (_("Skills I clearly lack (my own list): {skills}").format(skills=", ".join(named) or "—"), []),
        (_("Other gaps the market points to (share of postings): {skills}").format(skills=", ".join(top) or "—"), []),
    ]))  # fmt: skip

    blocks.append(Block("heading", "4. " + _("Job market snapshot")))
    blocks.append(Block("text", plain(sources_line(catalog, market, lang))))
    if gap.best_postings:
        postings = []
        for match in gap.best_postings[:POSTINGS_IN_REPORT]:
            posting = match.posting
            title = posting.title + (f" ({posting.company})" if posting.company else "")
            details = [
                _("Key skills") + ": " + ", ".join(sorted(catalog.skill(s).display(lang) for s in posting.skills))
            ]
            if posting.source == "sample":
                details.append(_("A built-in sample posting (an illustration, not a live vacancy)."))
            elif url := safe_url(posting.url):
                details.append(("link", url))
            if posting.has_salary:
                span = "–".join(f"{v:,}".replace(",", " ") for v in (posting.salary_from, posting.salary_to) if v)
                details.append(_("Salary") + f": {span} {posting.currency or ''}".rstrip())
            postings.append((("raw", title), details))
        blocks.append(Block("numbered", items=postings))
    if gap.in_both:
        blocks.append(Block("subheading", _("Skills in both the postings and the role profile")))
        blocks.append(Block("text", ", ".join(plain(ref_name(catalog, r, lang)) for r in gap.in_both[:12])))
    if gap.surprising:
        blocks.append(Block("subheading", _("Skills that surprised me")))
        blocks.append(Block("text", ", ".join(
            f"{plain(ref_name(catalog, d.ref, lang))} ({round(100 * d.share)}%)" for d in gap.surprising)))  # fmt: skip
    if gap.almost_every:
        blocks.append(Block("subheading", _("Skills in almost every posting")))
        blocks.append(Block("text", ", ".join(plain(ref_name(catalog, r, lang)) for r in gap.almost_every)))
    if gap.other_stacks:
        blocks.append(Block("text", _("Other stacks in this role (not my gaps): {stacks}").format(
            stacks=", ".join(f"{s.name} {round(100 * s.share)}%" for s in gap.other_stacks[:5]))))  # fmt: skip

    blocks.append(Block("heading", "5. " + _("Salary insights")))
    story = gap.salaries
    blocks.append(Block("text", plain(salary_line(catalog, story, student.level, lang))))
    if story is not None and story.by_level:
        rows = [[_("Level (all cities)"), _("Monthly, KZT")]]
        rows += [[level_name(row.level), plain(salary_figure(catalog, row, lang))] for row in story.by_level]
        blocks.append(Block("table", items=rows))
    if story is not None and story.by_city:
        rows = [[_("City"), level_name(student.level)]]
        rows += [
            [city_name(catalog, row.city, lang), plain(salary_figure(catalog, row, lang))] for row in story.by_city
        ]
        blocks.append(Block("table", items=rows))
    if story is not None and story.lifts:
        blocks.append(Block("subheading", _("Skills that raise the offer") + f" ({story.facts_source.get(lang)})"))
        blocks.append(Block("bullets", items=[
            (", ".join(catalog.skill(s).display(lang) for s in lift.skills) + f": +{lift.low}–{lift.high}%", [])
            for lift in story.lifts
        ]))  # fmt: skip

    blocks.append(Block("heading", "6. " + _("Hard skills roadmap (priority order)")))
    term = [p for p in plan.skills if p.term is Term.NOW]
    if term:
        blocks.append(Block("subheading", term_name(Term.NOW)))
        blocks.append(Block("numbered", items=[
            (catalog.skill(p.skill_id).display(lang),
             [plan.wording(catalog, p.skill_id, n).get(lang) for n in range(len(catalog.skill(p.skill_id).actions))])
            for p in term
        ]))  # fmt: skip
    if plan.backlog:
        blocks.append(Block("subheading", term_name(Term.LATER)))
        names = [plain(ref_name(catalog, p.ref or p.skill_id, lang)) for p in plan.backlog if p.skill_id]
        blocks.append(Block("text", ", ".join(names[:15]) + (" …" if len(names) > 15 else "")))

    blocks.append(Block("heading", "7. " + _("Soft skills")))
    soft = [p for p in plan.skills if p.term is Term.SOFT]
    if soft:
        blocks.append(Block("bullets", items=[
            (catalog.skill(p.skill_id).display(lang),
             [plan.wording(catalog, p.skill_id, n).get(lang) for n in range(len(catalog.skill(p.skill_id).actions))])
            for p in soft
        ]))  # fmt: skip
    else:
        blocks.append(Block("text", _("None planned this term.")))

    blocks.append(Block("heading", "8. " + _("Action items")))
    progress = roadmap.progress
    blocks.append(Block("text", _("Done {done} of {total}.").format(done=progress.done, total=progress.total)))
    planned = {p.skill_id for p in plan.skills}
    checklist = []
    for item in sorted(roadmap.items, key=lambda i: i.position):
        skill = catalog.skill(item.skill_id)
        if item.action_no >= len(skill.actions):
            continue
        wording = (plan.wording(catalog, skill.id, item.action_no) if skill.id in planned
                   else skill.actions[item.action_no])  # fmt: skip
        text = f"{skill.display(lang)}: {wording.get(lang)}"
        if item.state is ItemState.SKIPPED:
            text += " (" + _("skipped") + ")"
        checklist.append((item.state is ItemState.DONE, text))
    blocks.append(Block("checklist", items=checklist))
    return blocks


# -- Markdown ---------------------------------------------------------------------------------------------


def _md_inline(value) -> str:
    if isinstance(value, tuple) and value[0] == "link":
        return _("Link") + f": <{value[1]}>"
    if isinstance(value, tuple) and value[0] == "raw":
        return f"**{md(value[1])}**"
    return md(value)


def markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind == "title":
            out += [f"# {md(block.text)}", ""]
        elif block.kind == "subtitle":
            out += [f"*{md(block.text)}*", ""]
        elif block.kind == "heading":
            out += [f"## {md(block.text)}", ""]
        elif block.kind == "subheading":
            out += [f"### {md(block.text)}", ""]
        elif block.kind == "text":
            out += [md(block.text, line_start=True), ""]
        elif block.kind in ("bullets", "numbered"):
            for number, (text, subs) in enumerate(block.items, 1):
                mark = f"{number}." if block.kind == "numbered" else "*"
                out.append(f"{mark} {_md_inline(text)}")
                out += [f"    * {_md_inline(sub)}" for sub in subs]
            out.append("")
        elif block.kind == "table":
            header, *rows = block.items
            out.append("| " + " | ".join(md(cell) for cell in header) + " |")
            out.append("|" + "---|" * len(header))
            out += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
            out.append("")
        elif block.kind == "checklist":
            out += [f"- [{'x' if done else ' '}] {md(text)}" for done, text in block.items]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- Word ---------------------------------------------------------------------------------------------------


def docx(blocks: list[Block]) -> bytes:
    """The same document as a .docx file (python-docx, imported when a student asks for one)."""
    from docx import Document

    document = Document()
    for block in blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "subtitle":
            document.add_paragraph().add_run(block.text).italic = True
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "subheading":
            document.add_heading(block.text, level=2)
        elif block.kind == "text":
            document.add_paragraph(block.text)
        elif block.kind in ("bullets", "numbered"):
            style = "List Number" if block.kind == "numbered" else "List Bullet"
            for text, subs in block.items:
                paragraph = document.add_paragraph(style=style)
                _docx_inline(paragraph, text)
                for sub in subs:
                    _docx_inline(document.add_paragraph(style="List Bullet 2"), sub)
        elif block.kind == "table":
            header, *rows = block.items
            table = document.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        elif block.kind == "checklist":
            for done, text in block.items:
                document.add_paragraph(("☑ " if done else "☐ ") + text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_inline(paragraph, value) -> None:
    if isinstance(value, tuple) and value[0] == "link":
        paragraph.add_run(_("Link") + ": " + value[1])
    elif isinstance(value, tuple) and value[0] == "raw":
        paragraph.add_run(value[1]).bold = True
    else:
        paragraph.add_run(value)
