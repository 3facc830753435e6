"""What a typed answer asks for beyond listing skills: taking some out ("remove Docker", "убери докер",
"Docker алып таста", "-kubernetes"). Without this, "remove kubernetes" read as one more skill to add."""

from __future__ import annotations

import re

# Verbs that take skills out, at the start of the text (en, ru, kk), or Kazakh's at the end ("Docker өшір").
_LEADING = re.compile(
    r"^\s*(?:remove|delete|drop|untick|take out|without|"
    r"убери|убрать|удали|удалить|убираю|удаляю|исключи|исключить|сотри|без|"
    r"алып таста|алып тастау|өшір|өшіру|жой|жою|алу)\b[\s:,-]*",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"[\s,]*\b(?:алып таста|алып тастау|өшір|өшіру|жой|жою|керек емес)\s*[.!]*\s*$", re.IGNORECASE)
_MINUS = re.compile(r"^\s*[-−–]\s*(?=\S)")


def removal(text: str) -> str | None:
    """The skills part of a request to take skills out, or None when the text is not one."""
    for pattern in (_LEADING, _TRAILING, _MINUS):
        if pattern.search(text):
            rest = pattern.sub("", text, count=1).strip(" ,.;:!")
            return rest or None
    return None
