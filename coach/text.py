"""Text normalisation shared by the catalog (alias keys), the skill parser (what users type) and the posting
classifier (titles and prose): comparison keys, words, Russian word stems and Kazakh endings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_SPACES = re.compile(r"\s+")
# Punctuation that never carries meaning at the edges of a skill name ("Docker." / "«Git»" / "- SQL").
_EDGE = "\"'`«»“”„‘’()[]{}<>.,;:!?*•·-–—_=~ \t\r\n"
# Hyphens that look like "-" but are other characters (hh titles write "1C‑разработчик" with U+2011).
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u00ad": None})


def normalize(text: str) -> str:
    """Fold a skill as written into a comparison key: "  PostgreSQL®, " and "postgresql" meet.

    NFKC folds full-width and compatibility forms, casefold handles both alphabets, "ё" becomes "е" the way
    Russian postings mix them, look-alike hyphens become "-", and inner runs of white space collapse. Symbols
    inside a name stay: "C++", "C#", ".NET" (leading dot kept when followed by letters), "CI/CD" are different
    skills from "C", "CI", "NET".
    """
    text = unicodedata.normalize("NFKC", text).translate(_HYPHENS).casefold().replace("ё", "е")
    text = text.replace("®", "").replace("™", "")
    text = _SPACES.sub(" ", text)
    dotted = text.lstrip(_EDGE.replace(".", ""))
    if dotted.startswith(".") and len(dotted) > 1 and dotted[1].isalpha():
        return dotted.rstrip(_EDGE)
    return text.strip(_EDGE)


# -- words ------------------------------------------------------------------------------------------------

# A word is a run of letters and digits; "C++", "C#", "F#" keep their symbols and ".NET" its dot. Hyphens,
# slashes and dots split: "Python-разработчик" is "python" + "разработчик", "CI/CD" is "ci" + "cd", and a
# name is never found inside a longer word ("ux" is not in "linux").
_WORD = re.compile(r"\.net(?![^\W_])|[^\W_]+(?:\+\+|#)?")
_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
# Cyrillic letters typed for Latin ones in names: "С#", "С++" (Cyrillic С), "1C" (Latin C) for 1С.
_LOOKALIKES = {"с#": "c#", "с++": "c++", "1c": "1с"}
_STEMMER = snowballstemmer.stemmer("russian")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Russian stem of a lower-case Cyrillic word ("тестированию" → "тестирован"); other words as they
    are. Russian declines nouns and adjectives, so "сетевых протоколов" and "Сетевые протоколы" meet here."""
    if _CYRILLIC.search(word) and not _LATIN.search(word) and word.isalpha():
        return _STEMMER.stemWord(word)
    return word


@dataclass(frozen=True)
class Word:
    key: str  # normalised form ("c#", "1с", ".net", "разработчика")
    stem: str  # what matching compares ("разработчик")
    written: str  # as in the text, case kept
    before: str  # what separates it from the word before (or the text's start): " ", "/", ", ", "\n- "
    after: str = ""  # the first character after it ("" at the end)


def words(text: str) -> list[Word]:
    """The words of a text, in order, with their stems and where they are."""
    folded = unicodedata.normalize("NFKC", text).translate(_HYPHENS)
    if len(folded) != len(text):
        text = folded  # positions refer to the folded text when folding changed its length
    lowered = text.casefold().replace("ё", "е")
    if len(lowered) != len(text):  # casefold lengthened something ("ß"): positions stay those of `lowered`
        text = lowered
    out: list[Word] = []
    last = 0
    for match in _WORD.finditer(lowered):
        key = _LOOKALIKES.get(match.group(), match.group())
        start, end = match.span()
        out.append(Word(key, stem(key), text[start:end], lowered[last:start], lowered[end : end + 1]))
        last = end
    return out


# Kazakh endings that inflect a noun without changing what it names: cases (genitive, ablative, locative,
# dative, accusative, instrumental), possessives and plurals, in each vowel-harmony variant. Word-forming
# suffixes (-лық "-al", -шы "-er", -у "-ing") are not here: they make another word.
KAZAKH_ENDINGS = tuple(
    sorted(
        """
        ның нің дың дің тың тің нан нен дан ден тан тен нда нде да де та те ға ге қа ке на не
        ды ді ты ті ны ні ын ін мен бен пен лар лер дар дер тар тер сы сі ы і
        """.split(),  # noqa: SIM905 - a word list reads better as text
        key=len,
        reverse=True,
    )
)
_KAZAKH_MIN_BASE = 3


@lru_cache(maxsize=65_536)
def kazakh_bases(word: str) -> tuple[str, ...]:
    """A lower-case Cyrillic word, then what is left as Kazakh endings come off its end one by one, longest
    ending first: "деректерді" → ("деректерді", "деректер", "дерек"). The rule knows no meaning ("компьютер"
    → "компью"), so a caller accepts a base only when it is the base of a word it knows. Other words: (word,)."""
    if not word.isalpha() or not is_cyrillic(word):
        return (word,)
    bases = [word]
    while True:
        last = bases[-1]
        ending = next((e for e in KAZAKH_ENDINGS if last.endswith(e) and len(last) - len(e) >= _KAZAKH_MIN_BASE), None)
        if ending is None:
            return tuple(bases)
        bases.append(last[: -len(ending)])


def stems(text: str) -> tuple[str, ...]:
    return tuple(word.stem for word in words(text))


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word)) and not _LATIN.search(word)
