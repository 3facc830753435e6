"""Free text → canonical skills: "Basic Python, PosgreSQL, Go/Python, Django (DRF)" → python, postgresql, go, ...

Two readers share the catalog's aliases:

* ``SkillParser.parse`` reads what students type and what employers put in key skills: short lists, with typos.
* ``SkillParser.find_in_text`` reads prose — a vacancy's requirements, duties and description, Russian or
  English — strictly: a skill is found only where the text names it by an alias, word for word, Russian
  words compared by their stems ("сетевых протоколов" names "Сетевые протоколы"). No typo is forgiven and no
  word is split into parts, and words that are everyday language in a sentence do not count on their own
  (below).

How ``parse`` reads a piece of text, in order (the first step that understands it wins):

1. Lists are split on strong separators: new lines, ``, ; |`` and bullets; "(...)" is read as a list of its own
   ("Django (DRF)" → "Django" + "DRF").
2. The whole piece is looked up as an alias ("CI/CD", "Docker Compose", "Английский язык"), then by the stems
   of its words ("Работа с базами данных" → "Базы данных"), then without a version ("PHP8" → PHP).
3. The same without filler ("basic", "understanding of", "основы", "знание", "опыт работы с", "B2").
4. Compounds are split ("Go/Python", "Docker & Docker Compose", "JS/TS", "Django и Flask") and each part read
   again from step 2.
5. A typo is forgiven ("PosgreSQL" → PostgreSQL) only within a small edit distance that grows with the
   word's length, and only when one skill is the clear nearest — "reach" does not become React. A typo is a
   slip inside one word: the words around it, and its first letter, are as written, so another word is never
   "corrected" into a skill ("AI-инструменты" is not "BI-инструменты", "query" is not jQuery,
   "Администрирование ОС" is not "Администрирование БД"); a Russian word forgives one letter only, because
   two letters off is another Russian word ("Визуализация" is not "Виртуализация").
6. Known skills inside a longer phrase are found ("SQL queries" → SQL, "Pipelines in GitHub Actions"), but a
   single Russian word of the fundamentals, practices or soft skills is an ordinary word there ("Мотивация
   персонала" is not self-motivation, "Антивирусная защита сети" is not computer networks).

Kazakh words are read with their endings (cases, possessives, plurals: "деректер қорын", "алгоритмдерді") against
the catalog's Kazakh names (``name_kk``, ``aliases_kk``): a word counts as a Kazakh name's word only when taking
endings off it leaves that word's base, so "компьютер" is never cut to "компью". A Kazakh ending after a Latin
name ("SQL-ді", "Python-да") and Kazakh filler ("аздап", "негіздері", "білемін") are dropped like "basic".

What is left is reported as not understood, in the user's own spelling. Parsing never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from coach.catalog import Catalog, Category
from coach.text import KAZAKH_ENDINGS, Word, is_cyrillic, kazakh_bases, normalize, stems, words

MAX_INPUT_CHARS = 4_000  # a pasted CV is longer than any skill list; the tail is not worth the CPU
MAX_TEXT_CHARS = 20_000  # a vacancy's description; longer ones are cut
MAX_UNKNOWN = 20
MAX_FRAGMENT_CHARS = 60

_STRONG_SEPARATORS = re.compile(r"[\n\r,;|•·●▪►✓✔]+|\.\s+|\s\*\s|^\s*[-*]\s", re.MULTILINE)
_PARENTHESES = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_COMPOUND_SEPARATORS = re.compile(
    r"\s*[/\\&:]\s*|\s+\+\s+|\s+[-–—]\s+|\s+(?:and|or|with|plus|и|или|а также|с|со|және|немесе|мен|бен|пен)\s+",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?\+?$")
# A name with a version stuck to it or after it: "PHP8", "Python 3.12", "C++17", "Angular 2", "Vue3".
_VERSIONED = re.compile(r"^(.*?[a-zа-я#+])\s?v?\d+(?:\.\d+)*\+?$")
# Categories whose skills are ideas and habits rather than named tools: one such word said inside a sentence
# is the word, not the skill ("сети", "документация", "ответственность").
CONCEPT_CATEGORIES = frozenset({Category.FUNDAMENTALS, Category.PRACTICE, Category.SOFT})
# Soft skills a description names plainly enough to read from prose: languages ("английский язык B2"). The
# others ("ответственность", "работа в команде", "решение задач") are words every description uses.
PROSE_SOFT_SKILLS = frozenset({"english", "kazakh"})
# Between the words of one name in prose: nothing, a space, a hyphen, a slash or a dot ("CI/CD", "ASP.NET").
_JOINERS = frozenset(" -/.\u00a0\t")

# Kazakh filler, dropped with any endings ("негіздері", "негіздерін" as "негіз"): "a bit", "basics", "I know",
# "and", "good", "average", "experience", "level", "programming", "tools", ...
KAZAKH_FILLER_WORDS = frozenset(
    """
    аздап біраз сәл кішкене шамалы азғана негіз негізі негізгі базалық бастапқы қарапайым білемін білу
    білім білімі білімім біледі білетін меңгерген меңгергенмін меңгеру игерген және немесе мен бен пен
    менің сондай-ақ жақсы өте жетік еркін сенімді терең орташа жоғары кәсіби күшті тәжірибе тәжірибем
    тәжірибесі тәжірибелі бар деңгей деңгейі деңгейде деңгейінде жыл жылдан ай түсіну түсінік түсінемін
    қолдану қолданамын қолдана аламын пайдалану пайдаланамын жұмыс істеймін істедім істеу жасаймын
    үйреніп үйренемін үйрендім үйренудемін оқып оқимын жүрмін бағдарламалау бағдарламашы әзірлеу
    әзірлеуші құрал технология кітапхана фреймворк практика практикалық теория теориялық қағида принцип
    арқылы бойынша үшін туралы
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Words that qualify a skill without naming one. Only dropped when the whole piece did not match as written,
# so aliases that contain them ("Separation of concerns") still match.
FILLER_WORDS = KAZAKH_FILLER_WORDS | frozenset(
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
    немного принципов принципы практика практический лет год года месяцев немножко чуть чуть-чуть слегка
    продвинутый продвинутая продвинутое продвинутые продвинутого продвинутом углубленный углубленное
    использование использования использую пользуюсь средний средняя среднее разговорный разговорное
    свободный свободное свободно поверхностно поверхностное поверхностные изучаю изучал изучала изучение
    теория теоретические теоретическое общее общие представление имею профессиональное практические
    практическое
    developer developers dev engineer engineers engineering programmer programming development framework
    frameworks library libraries language lang tool tools technology technologies r&d
    разработчик разработчика разработка разработки программист программирование программирования
    фреймворк фреймворка фреймворки библиотека библиотеки технологии технология инструменты
    """.split()  # noqa: SIM905 - a word list reads better as text
)


_KAZAKH_FILLER_BASES = frozenset(kazakh_bases(word)[-1] for word in KAZAKH_FILLER_WORDS)
# A Kazakh ending after a Latin name: "SQL-ді", "Python-да", "Dockerмен".
_LATIN_WITH_KAZAKH_ENDING = re.compile(rf"^(.*[a-z0-9+#])-?(?:{'|'.join(KAZAKH_ENDINGS)})$")


def _is_filler(word: str) -> bool:
    return word in FILLER_WORDS or any(base in _KAZAKH_FILLER_BASES for base in kazakh_bases(word)[1:])


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


_WORD_BREAKS = re.compile(r"[\s\-/]+")


def _is_typo_of(query: str, alias: str) -> bool:
    """A typo changes letters inside one word; the other words, and the word's first letter, stay as written.
    A Russian word forgives one letter: two letters off is usually another word of the language."""
    written, meant = _WORD_BREAKS.split(query), _WORD_BREAKS.split(alias)
    if len(written) != len(meant):
        return False
    changed = [(w, m) for w, m in zip(written, meant, strict=True) if w != m]
    if len(changed) != 1:
        return False
    word, target = changed[0]
    if len(word) < 5 or word[0] != target[0]:
        return False
    if is_cyrillic(word) and OSA.distance(word, target) > 1:
        return False
    return _is_slip(word, target)


def _unambiguous(pairs: Iterable[tuple[tuple[str, ...], str]]) -> dict[tuple[str, ...], str]:
    """key -> skill id, without empty keys and keys that two skills share (they would guess)."""
    owner: dict[tuple[str, ...], str | None] = {}
    for key, sid in pairs:
        if key:
            owner[key] = sid if owner.get(key, sid) == sid else None
    return {key: sid for key, sid in owner.items() if sid}


class SkillParser:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._aliases = dict(catalog.aliases)
        # Fuzzy matching only against names long enough that a near miss is informative.
        self._fuzzy_keys = [key for key in self._aliases if len(key) >= 5]
        self._max_words = max(len(key.split()) for key in self._aliases)
        # The same aliases by the stems of their words; a key two skills share is ambiguous and left out.
        self._by_stems = _unambiguous((stems(key), sid) for key, sid in self._aliases.items())
        # The Kazakh names by the bases of their words, endings taken off: "деректер қорын" is "дерек қор".
        kazakh = {
            normalize(name): skill.id
            for skill in catalog.skills.values()
            for name in (skill.name_kk, *skill.aliases_kk)
            if name
        }
        self._kazakh = frozenset(kazakh_bases(word.key)[-1] for name in kazakh for word in words(name))
        self._base_of: dict[str, str] = {}  # word -> its Kazakh base, "" when it has none
        self._by_bases = _unambiguous((self._bases(words(name)), sid) for name, sid in kazakh.items())
        keys = [*self._by_stems, *self._by_bases]
        self._prefixes = {key[:n] for key in keys for n in range(1, len(key) + 1)}
        self._longest = max(len(key) for key in keys)
        # One-word names as the catalog writes them: an everyday word counts in prose only written so.
        self._written: dict[str, set[str]] = {}
        for skill in catalog.skills.values():
            for name in (skill.name, *skill.aliases):
                if len(found := words(name)) == 1:
                    self._written.setdefault(skill.id, set()).add(found[0].written)
        self._prose_soft = PROSE_SOFT_SKILLS & catalog.skills.keys()

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

    # -- prose -----------------------------------------------------------------------------------------

    def find_in_text(self, text: str) -> tuple[str, ...]:
        """The skills a piece of prose names, in order of first mention: exact or inflected aliases only.

        A name of several words must be written together (a comma or a new line between them breaks it).
        One word counts unless it is filler or an everyday English word not written as the catalog writes it
        ("Go", "REST", "SOLID" count — "go", "rest", "solid" do not), a Russian word of the fundamentals or
        practices that is not an abbreviation ("ООП" counts — "сети", "логи", "алгоритмы" do not), a
        fundamentals or practices word in lower case in English prose ("documentation"; in Russian prose a
        Latin word is a name: "git"), or a single letter not written as the catalog writes it or next to "&"
        ("C" counts — "R&D" does not). Of the soft skills only languages are read from prose
        (PROSE_SOFT_SKILLS): the others are words every description uses.
        """
        if not isinstance(text, str):
            return ()
        found: dict[str, None] = {}
        tokens = words(text[:MAX_TEXT_CHARS])
        stems = [word.stem for word in tokens]
        bases = [self._base(word) for word in tokens]
        # A comma, bracket or new line before a word: it cannot continue the name before it.
        breaks = [bool(set(word.before) - _JOINERS) for word in tokens]
        russian = any(is_cyrillic(word.key) and len(word.key) > 3 for word in tokens)
        position = 0
        while position < len(tokens):
            candidates: list[tuple[int, str]] = []
            size = 1
            while position + size <= len(tokens) and (size == 1 or not breaks[position + size - 1]):
                end = position + size
                run_stems, run_bases = tuple(stems[position:end]), tuple(bases[position:end])
                if run_stems not in self._prefixes and run_bases not in self._prefixes:
                    break
                if sid := self._by_stems.get(run_stems) or self._by_bases.get(run_bases):
                    candidates.append((size, sid))
                size += 1
            for size, sid in reversed(candidates):  # the longest name that counts
                if self._counts_in_prose(sid, tokens[position : position + size], tokens, position, russian=russian):
                    found[sid] = None
                    position += size
                    break
            else:
                position += 1
        return tuple(found)

    def _counts_in_prose(self, sid: str, span: list[Word], tokens: list[Word], position: int, *, russian: bool) -> bool:
        category = self._catalog.skills[sid].category
        if category is Category.SOFT and sid not in self._prose_soft:
            return False
        if len(span) > 1:
            return True
        word = span[0]
        as_catalog = word.written in self._written.get(sid, ())
        cyrillic = is_cyrillic(word.key)
        abbreviation = len(word.key) >= 2 and word.written.isupper()  # "ООП", "SOLID", "БД"
        if len(word.key) == 1:  # "C", "R": as written, and not the R of "R&D"
            following = tokens[position + 1].before if position + 1 < len(tokens) else word.after
            return as_catalog and "&" not in word.before[-1:] and following[:1] not in {"&", "'"}
        if word.key in FILLER_WORDS or word.key in COMMON_WORDS:
            return as_catalog and (not cyrillic or abbreviation)  # "Go", "REST", "SOLID" — not "go", "rest"
        if category in CONCEPT_CATEGORIES:
            if cyrillic:
                return abbreviation  # "ООП" is a name; "сети", "логи", "алгоритмы" are words
            # A Latin word in Russian prose is a name ("git"); in English prose lower case is a word ("logs").
            return russian or any(ch.isupper() for ch in word.written)
        return True

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
        if hit := self._whole(key):
            return [hit], []
        stripped = self._strip_filler(key)
        if not stripped:
            return [], []  # only filler ("basic usage", "2+ years")
        if hit := self._whole(stripped):
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

    def _whole(self, key: str) -> str | None:
        """The skill a whole piece names: as written, by its words' stems, or with a version number dropped."""
        if hit := self._aliases.get(key):
            return hit
        if hit := self._match(words(key)):
            return hit
        versioned = _VERSIONED.match(key)
        if versioned and len(base := versioned.group(1).strip()) >= 2 and base not in COMMON_WORDS:
            hit = self._aliases.get(base)
            if hit and self._catalog.skills[hit].category not in CONCEPT_CATEGORIES:
                return hit
        return None

    @staticmethod
    def _strip_filler(key: str) -> str:
        bare = [match.group(1) if (match := _LATIN_WITH_KAZAKH_ENDING.match(w)) else w for w in key.split()]
        return normalize(" ".join(w for w in bare if not _is_filler(w) and not _NUMBER.match(w)))

    def _fuzzy(self, key: str) -> str | None:
        limit = _max_edits(len(key))
        if not limit or len(key) > 40 or not any(ch.isalpha() for ch in key):
            return None
        matches = process.extract(key, self._fuzzy_keys, scorer=OSA.distance, score_cutoff=limit, limit=8)
        matches = [(alias, distance) for alias, distance, _ in matches if _is_typo_of(key, alias)]
        if not matches:
            return None
        best = min(distance for _, distance in matches)
        skills = {self._aliases[alias] for alias, distance in matches if distance == best}
        if len(skills) != 1:
            return None  # two skills equally near: guessing would invent a match
        return skills.pop()

    def _scan(self, key: str) -> list[str]:
        """Known skills named inside a longer phrase, longest names first, without overlaps. One Russian word
        of the fundamentals, practices or soft skills is an ordinary word inside a phrase, not the skill."""
        tokens = words(key)
        if len(tokens) < 2:
            return []
        stems, bases = [word.stem for word in tokens], self._bases(tokens)
        taken = [False] * len(tokens)
        found: list[tuple[int, str]] = []
        for size in range(min(self._longest, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                end = start + size
                if any(taken[start:end]):
                    continue
                hit = self._by_stems.get(tuple(stems[start:end])) or self._by_bases.get(tuple(bases[start:end]))
                if not hit or (size == 1 and not self._alone_in_phrase(hit, tokens[start].key)):
                    continue
                found.append((start, hit))
                taken[start:end] = [True] * size
        return list(dict.fromkeys(hit for _, hit in sorted(found)))

    def _base(self, word: Word) -> str:
        """A Kazakh word's base when taking endings off it leaves a Kazakh name's word ("деректерді" → "дерек"),
        else its stem."""
        base = self._base_of.get(word.key)
        if base is None:
            if len(self._base_of) >= 65_536:  # bounded, like the stem cache
                self._base_of.clear()
            base = next((b for b in kazakh_bases(word.key) if b in self._kazakh), None) or ""
            self._base_of[word.key] = base
        return base or word.stem

    def _bases(self, span: Sequence[Word]) -> tuple[str, ...]:
        return tuple(self._base(word) for word in span)

    def _match(self, span: Sequence[Word]) -> str | None:
        """The skill a run of words names by their stems, or a Kazakh name by their bases."""
        return self._by_stems.get(tuple(word.stem for word in span)) or self._by_bases.get(self._bases(span))

    def _alone_in_phrase(self, sid: str, word: str) -> bool:
        if word in FILLER_WORDS or word in COMMON_WORDS:
            return False
        return not (is_cyrillic(word) and self._catalog.skills[sid].category in CONCEPT_CATEGORIES)

    @staticmethod
    def _fragment(piece: str) -> str:
        text = " ".join(piece.split())
        return text if len(text) <= MAX_FRAGMENT_CHARS else text[: MAX_FRAGMENT_CHARS - 1] + "…"
