"""Free text → canonical skills: "Basic Python, PosgreSQL, Go/Python, Django (DRF)" → python, postgresql, go, ...

How a piece of text is read, in order (the first step that understands it wins):

1. Lists are split on strong separators: new lines, ``, ; |`` and bullets; "(...)" is read as a list of its own
   ("Django (DRF)" → "Django" + "DRF").
2. The whole piece is looked up as an alias ("CI/CD", "Docker Compose", "Английский язык").
3. The same without filler ("basic", "understanding of", "основы", "знание", "опыт работы с", "B2").
4. Compounds are split ("Go/Python", "Docker & Docker Compose", "JS/TS", "Django и Flask") and each part read
   again from step 2.
5. A typo is forgiven ("PosgreSQL" → PostgreSQL) only within a small edit distance that grows with the
   word's length, and only when one skill is the clear nearest — "reach" does not become React.
6. Known skills inside a longer phrase are found ("SQL queries" → SQL, "Pipelines in GitHub Actions").

What is left is reported as not understood, in the user's own spelling. Parsing never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from coach.catalog import Catalog
from coach.text import normalize

MAX_INPUT_CHARS = 4_000  # a pasted CV is longer than any skill list; the tail is not worth the CPU
MAX_UNKNOWN = 20
MAX_FRAGMENT_CHARS = 60

_STRONG_SEPARATORS = re.compile(r"[\n\r,;|•·●▪►✓✔]+|\.\s+|\s\*\s|^\s*[-*]\s", re.MULTILINE)
_PARENTHESES = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_COMPOUND_SEPARATORS = re.compile(
    r"\s*[/\\&:]\s*|\s+\+\s+|\s+[-–—]\s+|\s+(?:and|or|with|plus|и|или|а также|с|со)\s+", re.IGNORECASE
)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?\+?$")

# Words that qualify a skill without naming one. Only dropped when the whole piece did not match as written,
# so aliases that contain them ("Separation of concerns") still match.
FILLER_WORDS = frozenset(
    """
    a an the of in on with to for at by from my some bit little very also etc basic basics base
    fundamental fundamentals foundations intro introduction beginner novice advanced deep deeper good
    strong solid confident excellent great expert expertise proficient proficiency understanding
    understand knowledge know knowing familiarity familiar experience experienced skills skill usage use
    using ability able level practical hands-on working work commercial theory principles concepts year
    years yr yrs months+ year+ years+ junior middle senior a1 a2 b1 b2 c1 c2 intermediate
    upper-intermediate pre-intermediate fluent native conversational основы основ основами базовые
    базовое базовый базовая базовых базовое базовыми начальный начальные знание знания знаний знаю знать
    понимание понимания понимаю умение умения умею навыки навык навыков опыт опыта работы работа
    работать работе с со в на по и для уровне уровень уровня уверенное уверенный уверенные уверенно
    хорошее хороший хорошие хорошо отличное отличные глубокое глубокие глубокий владение владения владею
    немного принципов принципы практика практический лет год года месяцев
    developer developers dev engineer engineers engineering programmer programming development framework
    frameworks library libraries language lang tool tools technology technologies r&d
    разработчик разработчика разработка разработки программист программирование программирования
    фреймворк фреймворка фреймворки библиотека библиотеки технологии технология инструменты
    """.split()  # noqa: SIM905 - a word list reads better as text
)


# Everyday words that are also skill names or one letter away from one. Said alone or in a list they are
# skills ("Go", "Make", "React"); inside a sentence ("make a website", "the system") they are just words,
# and they are never "corrected" into a skill ("system" is not a typo of systemd).
COMMON_WORDS = frozenset(
    """
    go make rest node swift spring react express compose helm chef puppet salt ray flask ruby rust pearl
    hive pig storm beam spark kafka presto airflow druid flink elastic arrow dash streamlit gradio bottle
    redux ember meteor gatsby remix solid svelte next nest nuxt vite jest mocha chai jasmine karma cypress
    system systems serve server service services class classes string strings reach sigma scrub cloud
    data model models test tests design map graph stack queue tree hash sort search note plan team lead
    make made makes making word words work works form forms table tables view views page pages state
    base core home office market money city level course project client app apps web site game
    r c d e f j k q v x
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@dataclass(frozen=True)
class ParseResult:
    recognized: tuple[str, ...]  # skill ids, in the order first mentioned
    unknown: tuple[str, ...]  # fragments not understood, as the user wrote them

    def names(self, catalog: Catalog, lang: str = "en") -> list[str]:
        return [catalog.skills[sid].display(lang) for sid in self.recognized]


def _max_edits(length: int) -> int:
    if length < 5:
        return 0
    if length < 9:
        return 1
    return 2


def _is_slip(query: str, candidate: str) -> bool:
    """Short words only forgive a missing, extra or swapped letter — a changed letter makes a new word
    ("reach" ≠ "react", "sigma" ≠ "figma"), while "pyton", "dokcer" are slips of the hand."""
    if len(query) >= 7:
        return True
    return Indel.distance(query, candidate) <= 1 or sorted(query) == sorted(candidate)


class SkillParser:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._aliases = dict(catalog.aliases)
        # Fuzzy matching only against names long enough that a near miss is informative.
        self._fuzzy_keys = [key for key in self._aliases if len(key) >= 5]
        self._max_words = max(len(key.split()) for key in self._aliases)

    def parse(self, text: str) -> ParseResult:
        recognized: dict[str, None] = {}
        unknown: dict[str, None] = {}
        if not isinstance(text, str):
            return ParseResult((), ())
        for piece in self._pieces(text[:MAX_INPUT_CHARS]):
            found, missed = self._read(piece, depth=0)
            recognized.update(dict.fromkeys(found))
            for fragment in missed:
                if len(unknown) < MAX_UNKNOWN:
                    unknown[fragment] = None
        return ParseResult(tuple(recognized), tuple(unknown))

    # -- splitting -------------------------------------------------------------------------------

    def _pieces(self, text: str) -> list[str]:
        """Top-level list items; the contents of parentheses become items of their own."""
        inner: list[str] = []
        for _ in range(10):  # nested parentheses, innermost first; bounded for pathological input
            found = False

            def take(match: re.Match[str]) -> str:
                nonlocal found
                found = True
                inner.append(match.group(1) if match.group(1) is not None else match.group(2))
                return ", "

            text = _PARENTHESES.sub(take, text)
            if not found:
                break
        pieces = []
        for chunk in [text, *inner]:
            pieces.extend(p for p in _STRONG_SEPARATORS.split(chunk) if p and p.strip())
        return pieces

    # -- reading one piece -------------------------------------------------------------------------

    def _read(self, piece: str, depth: int) -> tuple[list[str], list[str]]:
        key = normalize(piece)
        if not key or not any(ch.isalnum() for ch in key):
            return [], []
        if hit := self._aliases.get(key):
            return [hit], []
        stripped = self._strip_filler(key)
        if not stripped:
            return [], []  # only filler ("basic usage", "2+ years")
        if hit := self._aliases.get(stripped):
            return [hit], []
        if depth < 2:
            parts = [p for p in _COMPOUND_SEPARATORS.split(piece) if p and p.strip()]
            if len(parts) > 1:
                found: list[str] = []
                missed: list[str] = []
                for part in parts:
                    f, m = self._read(part, depth + 1)
                    found += f
                    missed += m
                return found, missed
        if stripped not in COMMON_WORDS and (hit := self._fuzzy(stripped)):
            return [hit], []
        if inside := self._scan(key):
            return inside, []
        return [], [self._fragment(piece)]

    @staticmethod
    def _strip_filler(key: str) -> str:
        words = [w for w in key.split() if w not in FILLER_WORDS and not _NUMBER.match(w)]
        return normalize(" ".join(words))

    def _fuzzy(self, key: str) -> str | None:
        limit = _max_edits(len(key))
        if not limit or len(key) > 40 or not any(ch.isalpha() for ch in key):
            return None
        matches = process.extract(key, self._fuzzy_keys, scorer=OSA.distance, score_cutoff=limit, limit=5)
        if not matches:
            return None
        best = min(distance for _, distance, _ in matches)
        skills = {self._aliases[alias] for alias, distance, _ in matches if distance == best}
        if len(skills) != 1:
            return None  # two skills equally near: guessing would invent a match
        alias = next(alias for alias, distance, _ in matches if distance == best)
        return skills.pop() if _is_slip(key, alias) else None

    def _scan(self, key: str) -> list[str]:
        """Known skills named inside a longer phrase, longest names first, without overlaps."""
        words = key.split()
        if len(words) < 2:
            return []
        taken = [False] * len(words)
        found: list[tuple[int, str]] = []
        for size in range(min(self._max_words, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                phrase = normalize(" ".join(words[start : start + size]))
                hit = self._aliases.get(phrase)
                if hit and (size > 1 or (phrase not in FILLER_WORDS and phrase not in COMMON_WORDS)):
                    found.append((start, hit))
                    taken[start : start + size] = [True] * size
        return list(dict.fromkeys(hit for _, hit in sorted(found)))

    @staticmethod
    def _fragment(piece: str) -> str:
        text = " ".join(piece.split())
        return text if len(text) <= MAX_FRAGMENT_CHARS else text[: MAX_FRAGMENT_CHARS - 1] + "…"
