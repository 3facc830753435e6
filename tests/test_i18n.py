"""Every text the bot can send exists in every language it speaks, and each compiled catalog matches its source."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, language_for
from handlers.common.i18n import DEFAULT_LANGUAGE, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]
KEYWORDS = {"_": None, "__": None, "N_": None}


def code_messages() -> set[str]:
    found = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=()
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"


def translations(language: str) -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    """msgid -> msgstr; plural entries are (singular, plural) -> one form per plural category of the language."""
    with po_path(language).open("rb") as fh:
        catalog = read_po(fh, locale=language)
    return {m.id: m.string for m in catalog if m.id and not m.fuzzy}


def forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_in_the_code_has_a_translation(language):
    translated = {forms(k)[0]: v for k, v in translations(language).items()}
    missing = sorted(m for m in code_messages() if not all(forms(translated.get(m, ""))))
    assert not missing, f"untranslated into {language} (run `python3 tasks.py i18n` and translate): {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language):
    """Every form keeps the source's placeholders, tags and commands; only a form used for exactly one (the
    first) may leave out the number, as the English singular does."""
    for msgid, msgstr in translations(language).items():
        source = forms(msgid)[-1]
        for index, translated in enumerate(forms(msgstr)):
            expected = set(re.findall(r"{\w+}", source))
            if index == 0 and isinstance(msgid, tuple) and get_plural(language).num_plurals == 2:
                expected &= set(re.findall(r"{\w+}", msgid[0])) | set(re.findall(r"{\w+}", translated))
            assert expected == set(re.findall(r"{\w+}", translated)), msgid
            assert source.count("<b>") == translated.count("<b>"), msgid
            assert source.count("<i>") == translated.count("<i>"), msgid
            assert set(re.findall(r"(?<![<\w])/[a-z_]+", source)) <= set(re.findall(r"/[a-z_]+", translated)), msgid


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_follow_the_language(language):
    """As many forms as the language's gettext plural rule chooses from (3 in Russian, 2 in Kazakh)."""
    expected = get_plural(language).num_plurals
    for msgid, msgstr in translations(language).items():
        if isinstance(msgid, tuple):
            assert len(msgstr) == expected, msgid


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalog_matches_the_source(language):
    with po_path(language).with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    form_of = gettext.c2py(get_plural(language).plural_expr)
    for msgid, msgstr in translations(language).items():
        if isinstance(msgid, tuple):
            for n in (1, 2, 3, 5, 11, 21, 22, 25, 100):
                expected = msgstr[form_of(n)]
                assert compiled.ngettext(msgid[0], msgid[1], n) == expected, f"stale .mo ({msgid[0][:40]!r}, {n})"
        else:
            assert compiled.gettext(msgid) == msgstr, f"stale .mo: run `python3 tasks.py i18n` ({msgid[:40]!r})"


def test_client_languages_map_to_ours():
    assert language_for("ru") == "ru"
    assert language_for("kk") == "kk"
    assert language_for("kk-KZ") == "kk"
    assert language_for("uz") == "ru"  # the region's other languages: Russian reads better than English
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
