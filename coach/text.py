"""Text normalisation shared by the catalog (alias keys) and the skill parser (what users type)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Punctuation that never carries meaning at the edges of a skill name ("Docker." / "«Git»" / "- SQL").
_EDGE = "\"'`«»“”„‘’()[]{}<>.,;:!?*•·-–—_=~ \t\r\n"


def normalize(text: str) -> str:
    """Fold a skill as written into a comparison key: "  PostgreSQL®, " and "postgresql" meet.

    NFKC folds full-width and compatibility forms, casefold handles both alphabets, "ё" becomes "е" the way
    Russian postings mix them, and inner runs of white space collapse. Symbols inside a name stay: "C++",
    "C#", ".NET" (leading dot kept when followed by letters), "CI/CD" are different skills from "C", "CI", "NET".
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = text.replace("®", "").replace("™", "")
    text = _SPACES.sub(" ", text)
    dotted = text.lstrip(_EDGE.replace(".", ""))
    if dotted.startswith(".") and len(dotted) > 1 and dotted[1].isalpha():
        return dotted.rstrip(_EDGE)
    return text.strip(_EDGE)
