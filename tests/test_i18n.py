"""Every text the bot can send exists in Russian, and the compiled catalog matches its source."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, language_for

ROOT = Path(__file__).resolve().parents[1]
PO = LOCALES_DIR / "ru" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "__": None, "N_": None}


def code_messages() -> set[str]:
    found = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=()
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def russian() -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    """msgid -> msgstr; plural entries are (singular, plural) -> (one, few, many)."""
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="ru")
    return {m.id: m.string for m in catalog if m.id and not m.fuzzy}


def forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def test_every_text_in_the_code_has_a_russian_translation():
    translations = {forms(k)[0]: v for k, v in russian().items()}
    missing = sorted(m for m in code_messages() if not all(forms(translations.get(m, ""))))
    assert not missing, f"untranslated (run `python3 tasks.py i18n` and translate): {missing}"


def test_placeholders_survive_translation():
    for msgid, msgstr in russian().items():
        source = forms(msgid)[-1]
        for translated in forms(msgstr):
            assert set(re.findall(r"{\w+}", source)) == set(re.findall(r"{\w+}", translated)), msgid
            assert source.count("<b>") == translated.count("<b>"), msgid
            assert source.count("<i>") == translated.count("<i>"), msgid


def test_compiled_catalog_matches_the_source():
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for msgid, msgstr in russian().items():
        if isinstance(msgid, tuple):
            for n, expected in ((1, msgstr[0]), (3, msgstr[1]), (5, msgstr[2])):
                assert compiled.ngettext(msgid[0], msgid[1], n) == expected, f"stale .mo ({msgid[0][:40]!r})"
        else:
            assert compiled.gettext(msgid) == msgstr, f"stale .mo: run `python3 tasks.py i18n` ({msgid[:40]!r})"


def test_client_languages_map_to_ours():
    assert language_for("ru") == "ru"
    assert language_for("kk") == "ru"
    assert language_for("en-US") == "en"
    assert language_for("de") == "en"
    assert language_for(None) == "en"


def test_no_translated_call_hides_inside_an_f_string():
    """Babel cannot see _() inside an f-string: such a text would silently stay English."""
    offenders = []
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"""\bf(["']).*\{_\(["']""", line):
                offenders.append(f"{path.name}:{number}")
    assert offenders == []
