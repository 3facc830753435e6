"""Formatting that every screen shares: escaping, lengths Telegram accepts, numbers, lists of skills."""

from __future__ import annotations

import html as std_html
from collections.abc import Iterable, Sequence

from aiogram import html
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.numbers import format_decimal

from coach.catalog import Catalog

TEXT_LIMIT = 4096
LIST_LIMIT = 10
STORED_TEXT_LIMIT = 120  # a title or company name from outside, as shown in a list


def quote(text: str | None, limit: int = STORED_TEXT_LIMIT) -> str:
    """Text from outside (a posting's title, a company), cut to `limit` characters and escaped for HTML."""
    value = " ".join((text or "").split())
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return html.quote(value)


def link(url: str | None, text_html: str) -> str:
    """`text_html` as a link to `url` when it is an http(s) address; the attribute is escaped, quotes too."""
    if not url or not url.startswith(("https://", "http://")) or len(url) > 500:
        return text_html
    return f'<a href="{std_html.escape(url, quote=True)}">{text_html}</a>'


def money(amount: int | float, lang: str) -> str:
    return format_decimal(round(amount), locale=lang)


def bar(share: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, share)) * width)
    return "▰" * filled + "▱" * (width - filled)


def names(catalog: Catalog, skill_ids: Iterable[str], lang: str, limit: int = LIST_LIMIT) -> str:
    ids = list(skill_ids)
    shown = ", ".join(html.quote(catalog.skill(sid).display(lang)) for sid in ids[:limit])
    if len(ids) > limit:
        shown += " " + _("and {n} more").format(n=len(ids) - limit)
    return shown


def postings_phrase(count: int, total: int) -> str:
    return ngettext("{count} of {total} posting", "{count} of {total} postings", total).format(count=count, total=total)


def fit(parts: Sequence[str], more: str | None = None, limit: int = TEXT_LIMIT) -> str:
    """Join sections, dropping trailing ones that would push the message past Telegram's limit."""
    text = ""
    for part in parts:
        candidate = f"{text}\n\n{part}" if text else part
        if len(candidate) > limit - 100:
            return text + "\n\n" + (more or _("(shortened — see /roadmap for the rest)"))
        text = candidate
    return text


def ref_name(catalog: Catalog, ref: str, lang: str) -> str:
    """A skill's name, or for a group of alternatives "one of Django / FastAPI / Flask" (escaped)."""
    if catalog.is_group(ref):
        return html.quote(_("one of {names}").format(names=catalog.ref_name(ref, lang)))
    return html.quote(catalog.skill(ref).display(lang))


def ref_names(catalog: Catalog, refs: Iterable[str], lang: str, limit: int = LIST_LIMIT) -> str:
    items = list(refs)
    shown = ", ".join(ref_name(catalog, ref, lang) for ref in items[:limit])
    if len(items) > limit:
        shown += " " + _("and {n} more").format(n=len(items) - limit)
    return shown


def percent(share: float) -> str:
    return f"{round(100 * share)}%"


def demand_name(catalog: Catalog, demand, lang: str) -> str:
    """A gap as the student should read it: what they named, as they named it ("GitHub", not "one of GitHub /
    GitLab / Bitbucket"); otherwise the skill or the group."""
    if demand.named and demand.skill_id in catalog.skills:
        return html.quote(catalog.skill(demand.skill_id).display(lang))
    return ref_name(catalog, demand.ref, lang)
