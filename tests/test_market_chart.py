"""The /market chart: drawn by Pillow in the font that ships with the bot, which must have every letter the
chart can write — every skill and role name in every language, and the chart's own texts in every translation."""

from __future__ import annotations

import io
from importlib.resources import files
from types import SimpleNamespace

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from bot.i18n import create_i18n
from coach.catalog import Catalog
from handlers.market import texts
from handlers.market.chart import FONT_FILE, render_chart

CATALOG_LANGUAGES = ("en", "ru", "kk")  # the catalog's names exist in these (a missing kk name falls back)
FONT = files("handlers.market") / "fonts" / FONT_FILE
CHART_SYMBOLS = "0123456789%…"  # the scale, the values, a cut name


def _languages() -> list[str]:
    """English (the source) and every language the gettext catalogs have."""
    return ["en", *sorted(create_i18n().available_locales)]


def _all_refs(catalog: Catalog) -> list[str]:
    """What a chart row can name: every skill, and every group (its members' names joined)."""
    return [*catalog.skills, *catalog.groups]


def _texts(catalog: Catalog, lang: str) -> dict[str, str]:
    """Each text the chart writes in `lang`, by where it comes from."""
    found = {f"skill {ref}": catalog.ref_name(ref, lang) for ref in _all_refs(catalog)}
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale(lang):
        for role in catalog.roles.values():
            for stack in (None, *role.stacks):
                roadmap = SimpleNamespace(market=SimpleNamespace(role_id=role.id, stack=stack.id if stack else None))
                found[f"title {role.id}/{stack.id if stack else '-'}"] = texts.chart_title(catalog, roadmap, lang)
        found["legend"] = " ".join(texts.chart_legend())
    return found


def _demand(catalog: Catalog, lang: str) -> list[tuple[str, float, bool]]:
    role = catalog.role("backend")
    refs = list(dict.fromkeys((*role.core, *role.stacks[0].core)))[: texts.TOP_SKILLS]
    return [(catalog.ref_name(ref, lang), 0.9 - 0.07 * n, n % 3 == 0) for n, ref in enumerate(refs)]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_chart_is_a_png_of_sane_size(catalog, lang):
    i18n = create_i18n()
    locale = lang if lang == "en" or lang in i18n.available_locales else "en"
    with i18n.context(), i18n.use_locale(locale):
        roadmap = SimpleNamespace(market=SimpleNamespace(role_id="backend", stack="python"))
        title = texts.chart_title(catalog, roadmap, lang)
        png = render_chart(_demand(catalog, lang), title, *texts.chart_legend())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert 10_000 < len(png) < 200_000  # a photo Telegram takes at once, not a blank
    image = Image.open(io.BytesIO(png))
    image.verify()
    width, height = image.size
    assert width == 960 and 500 < height < 900, image.size  # 12 rows, a title, a legend and a scale


def test_a_chart_of_long_names_or_no_rows_still_draws():
    long = "Virtualization / VMware vSphere / Hyper-V / Proxmox VE / KVM / " * 3
    for rows in ([(long, 1.0, True), ("Ә" * 80, 0.0, False), ("x", 1.7, False)], []):
        png = render_chart(rows, "A title " * 40, "you have it", "to learn")
        assert Image.open(io.BytesIO(png)).size[0] == 960


def test_the_font_has_every_letter_the_chart_writes(catalog):
    """Every character of every skill name (the catalog, in every language), of each chart title and of the
    legend (every translation) is in the bundled font: a letter it lacks would show as an empty box. When this
    fails, widen the ranges in tools/subset_font.py and run `python3 tasks.py font`."""
    covered = set(TTFont(io.BytesIO(FONT.read_bytes()))["cmap"].getBestCmap())
    missing: dict[str, str] = {}
    for lang in sorted({*CATALOG_LANGUAGES, *_languages()}):
        for where, text in _texts(catalog, lang).items():
            for char in text + CHART_SYMBOLS:
                if not char.isspace() and ord(char) not in covered:
                    missing.setdefault(char, f"{lang} {where}: {text!r}")
    assert not missing, "\n".join(f"{char!r} (U+{ord(char):04X}) in {where}" for char, where in missing.items())


def test_the_font_covers_kazakh_and_ships_with_its_licence():
    covered = set(TTFont(io.BytesIO(FONT.read_bytes()))["cmap"].getBestCmap())
    assert all(ord(char) in covered for char in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" + "ёЁйЙ" + "éüñ«»—–“”·№₸")
    licence = (files("handlers.market") / "fonts" / "LICENSE_DEJAVU").read_text()
    assert "Bitstream Vera" in licence and "DejaVu" in licence
    assert len(FONT.read_bytes()) < 200_000  # a subset, not the whole 740 kB font
