"""Which job a posting is: the catalog role, its stack and level — or that it is no job the coach prepares for.

    classify_posting(catalog, "Ведущий разработчик бэк-энда (NodeJS)", skills)
    → Classification(role_id="backend", stack="nodejs", level="senior")

The rules are data (``coach/catalog/classify.toml``, validated with the catalog); this module reads a posting
with them. A title is cut into words (never into parts of a word: "ux" is not in "Linux"), Russian words
compared by their stems so that any case ending matches ("Инженера по тестированию", "бэк-энда"). Then:

1. A ``skip`` word outside the team/employer context → no role, with the reason ("a management position",
   "industrial or engineering work": "Инженер по тестированию бурового инструмента" is not QA).
2. A phrase naming a role outside parentheses and context ("QA инженер (mobile)", "DevOps инженер (Мобильный
   оператор)": the words in brackets describe, they do not name the job). Several: the one hh's professional
   role agrees with, else the first.
3. A family head ("Разработчик", "Аналитик", "Дизайнер", "Руководитель проектов"): a role phrase elsewhere in
   the title, then hh's professional role, then a technology the title names ("Разработчик Python" and
   "Python-разработчик" alike), then the skills the posting asks for, then words that make the job an IT one;
   a developer whose title and skills say nothing more is filed as the family's default (backend).
4. Otherwise a role phrase in parentheses, a technology in the title ("Стажер Python"), hh's professional role
   (a strong signal: it is the employer's own choice), or hh's family of roles.

The stack is the one the title names first ("Ведущий Python/C++ разработчик" → python), else the one most of
the posting's skills mark (a tie says nothing). The level is the lowest the title names ("Middle/Senior" →
middle), else hh's experience. A role the catalog does not have yet (``pending_roles``) is not filed.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from coach.catalog import Catalog, FamilyRules
from coach.text import Word, words

LEVEL_ORDER = ("intern", "junior", "middle", "senior")


@dataclass(frozen=True)
class Classification:
    role_id: str | None  # None: not an IT job we coach for
    stack: str | None
    level: str | None
    reason: str | None = None  # why role_id is None


@dataclass(frozen=True)
class _Entry:
    kind: str  # role | family | tech | ftech | level | skip | context | evidence
    value: str
    extra: str | None = None  # tech: the stack; ftech: the role


@dataclass
class _Match:
    start: int
    end: int
    entries: list[_Entry]
    secondary: bool  # in parentheses or after a context word


@dataclass
class _Index:
    phrases: dict[tuple[str, ...], list[_Entry]] = field(default_factory=dict)
    longest: int = 1
    level_words: dict[tuple[str, ...], str] = field(default_factory=dict)
    markers: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)  # skill -> (role, stack)
    families: dict[str, FamilyRules] = field(default_factory=dict)
    hh_roles: dict[str, str] = field(default_factory=dict)  # hh id -> role
    hh_families: dict[str, str] = field(default_factory=dict)  # hh id -> family
    hh_skip: frozenset[str] = frozenset()

    def add(self, phrase: str, entry: _Entry) -> None:
        key = tuple(w.stem for w in words(phrase))
        if not key:
            return
        bucket = self.phrases.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        self.longest = max(self.longest, len(key))


_INDEXES: dict[int, _Index] = {}


def _index(catalog: Catalog) -> _Index:
    """The rules of a catalog as one phrase index, built once per catalog."""
    if (found := _INDEXES.get(id(catalog))) is not None:
        return found
    rules = catalog.classify
    index = _Index()
    for level, phrases in rules.levels.words.items():
        for phrase in phrases:
            index.level_words[tuple(w.stem for w in words(phrase))] = str(level)
    for group in rules.skip:
        for phrase in group.words:
            index.add(phrase, _Entry("skip", group.reason, str(group.scope)))
    for phrase in rules.context:
        index.add(phrase, _Entry("context", ""))
    for role in rules.role:
        for phrase in role.titles:
            index.add(phrase, _Entry("role", role.id))
        for phrase in role.techs:
            index.add(phrase, _Entry("tech", role.id))
        for stack_id, phrases in role.stacks.items():
            for phrase in phrases:
                index.add(phrase, _Entry("tech", role.id, stack_id))
        for skill_id in role.markers:
            index.markers.setdefault(skill_id, []).append((role.id, None))
        for number in role.hh_roles:
            index.hh_roles[str(number)] = role.id
    for role in catalog.roles.values():
        for stack in role.stacks:
            index.add(stack.name, _Entry("tech", role.id, stack.id))
            for skill_id in stack.markers:
                index.markers.setdefault(skill_id, []).append((role.id, stack.id))
                skill = catalog.skills[skill_id]
                for name in {skill.name, skill.name_ru or skill.name, *skill.aliases}:
                    index.add(name, _Entry("tech", role.id, stack.id))
    for family in rules.family:
        index.families[family.id] = family
        for phrase in family.heads:
            index.add(phrase, _Entry("family", family.id))
        for phrase, role_id in family.techs.items():
            index.add(phrase, _Entry("ftech", family.id, role_id))
        for phrase in family.evidence:
            index.add(phrase, _Entry("evidence", family.id))
        for number in family.hh_roles:
            index.hh_families[str(number)] = family.id
    index.hh_skip = frozenset(str(n) for n in rules.hh_skip)
    _INDEXES[id(catalog)] = index
    weakref.finalize(catalog, _INDEXES.pop, id(catalog), None)
    return index


# -- reading a title --------------------------------------------------------------------------------------


@dataclass
class _Title:
    matches: list[_Match]
    levels: list[str]

    def entries(self, kind: str, *, secondary: bool | None = None) -> list[_Entry]:
        return [
            e
            for m in self.matches
            if secondary is None or m.secondary == secondary
            for e in m.entries
            if e.kind == kind
        ]


def _read_title(index: _Index, title: str) -> _Title:
    tokens = words(title)
    depth, nested = 0, []
    for word in tokens:
        depth = max(0, depth + word.before.count("(") + word.before.count("[") - word.before.count(")")
                    - word.before.count("]"))  # fmt: skip
        nested.append(depth > 0)
    # Level words are read apart and taken out, so that they never break a phrase.
    levels: list[str] = []
    kept: list[tuple[Word, bool]] = []
    position = 0
    while position < len(tokens):
        for size in (2, 1):
            key = tuple(w.stem for w in tokens[position : position + size])
            if len(key) == size and key in index.level_words:
                levels.append(index.level_words[key])
                position += size
                break
        else:
            kept.append((tokens[position], nested[position]))
            position += 1
    matches: list[_Match] = []
    in_context = False
    position = 0
    stems = [w.stem for w, _ in kept]
    while position < len(kept):
        for size in range(min(index.longest, len(kept) - position), 0, -1):
            entries = index.phrases.get(tuple(stems[position : position + size]))
            if entries:
                secondary = in_context or any(inside for _, inside in kept[position : position + size])
                matches.append(_Match(position, position + size, entries, secondary))
                if any(e.kind == "context" for e in entries) and not kept[position][1]:
                    in_context = True
                position += size
                break
        else:
            position += 1
    return _Title(matches, levels)


# -- deciding ---------------------------------------------------------------------------------------------


def classify_posting(
    catalog: Catalog,
    title: str,
    skills: Sequence[str],
    *,
    professional_roles: Iterable[str | int] = (),
    experience: str | None = None,
    text: str = "",
) -> Classification:
    """The role, stack and level of a posting from its title, the skills it asks for (catalog ids, in the
    order the posting names them), hh's `professional_roles[].id` and `experience.id`, and its prose."""
    index = _index(catalog)
    read = _read_title(index, title or "")
    hh = [str(number) for number in professional_roles]
    level = _level(catalog, read, experience)
    role, reason = _role(catalog, index, read, list(skills), hh, text)
    if role is not None and role not in catalog.roles:
        role, reason = None, f"role {role!r} is not in the catalog yet"
    stack = _stack(catalog, index, read, role, skills) if role else None
    return Classification(role, stack, level, None if role else reason)


def stack_of(catalog: Catalog, role_id: str, title: str, skills: Sequence[str]) -> str | None:
    """The stack of a posting whose role is known (a CSV row that names it)."""
    index = _index(catalog)
    return _stack(catalog, index, _read_title(index, title or ""), role_id, skills)


def level_of(catalog: Catalog, title: str, experience: str | None = None) -> str | None:
    return _level(catalog, _read_title(_index(catalog), title or ""), experience)


def _level(catalog: Catalog, read: _Title, experience: str | None) -> str | None:
    if read.levels:
        return min(read.levels, key=LEVEL_ORDER.index)
    found = catalog.classify.levels.experience.get(experience or "")
    return str(found) if found else None


def _role(
    catalog: Catalog, index: _Index, read: _Title, skills: list[str], hh: list[str], text: str
) -> tuple[str | None, str]:
    explicit = [e.value for e in read.entries("role", secondary=False)]
    named = bool(explicit or read.entries("family", secondary=False) or read.entries("tech", secondary=False))
    if reason := _skip_reason(read, named=named, named_anywhere=named or bool(read.entries("role"))):
        return None, reason
    hh_role = next((index.hh_roles[n] for n in hh if n in index.hh_roles), None)
    if explicit:
        return (hh_role if hh_role in explicit else explicit[0]), ""
    if heads := read.entries("family", secondary=False):
        family = index.families[heads[0].value]
        return _resolve_family(catalog, index, family, read, skills, hh_role, text, has_head=True)
    if explicit := [e.value for e in read.entries("role")]:
        return (hh_role if hh_role in explicit else explicit[0]), ""
    if techs := read.entries("tech"):
        return techs[0].value, ""
    if heads := read.entries("family"):
        family = index.families[heads[0].value]
        return _resolve_family(catalog, index, family, read, skills, hh_role, text, has_head=True)
    if hh_role:
        return hh_role, ""
    if any(n in index.hh_skip for n in hh):
        return None, "hh files it under a role we do not coach for"
    if family_id := next((index.hh_families[n] for n in hh if n in index.hh_families), None):
        return _resolve_family(catalog, index, index.families[family_id], read, skills, None, text, has_head=False)
    return None, "the title names no role we coach for"


def _skip_reason(read: _Title, *, named: bool, named_anywhere: bool) -> str | None:
    """Why the title is no job we coach for, if it says so (classify.toml, [[skip]] and its scopes)."""
    for match in read.matches:
        if match.secondary and _after_context(read, match):
            continue  # the employer's description: "... в команду строительной компании"
        for entry in match.entries:
            if entry.kind != "skip":
                continue
            if entry.extra == "object":
                return entry.value
            if entry.extra == "field" and not named_anywhere:
                return entry.value
            if entry.extra == "job" and (not match.secondary or not named):
                return entry.value
    return None


def _after_context(read: _Title, match: _Match) -> bool:
    """Is the match after a context word (the employer's description), not just in parentheses?"""
    starts = [m.start for m in read.matches if any(e.kind == "context" for e in m.entries) and not m.secondary]
    return bool(starts) and match.start > min(starts)


def _resolve_family(
    catalog: Catalog,
    index: _Index,
    family: FamilyRules,
    read: _Title,
    skills: list[str],
    hh_role: str | None,
    text: str,
    *,
    has_head: bool,
) -> tuple[str | None, str]:
    if explicit := [e.value for e in read.entries("role")]:
        return explicit[0], ""
    if hh_role in family.roles:
        return hh_role, ""
    for entry in (e for m in read.matches for e in m.entries if e.kind in {"ftech", "tech"}):
        if entry.kind == "ftech" and entry.value == family.id:
            return entry.extra, ""
        if entry.kind == "tech" and entry.value in family.roles:
            return entry.value, ""
    if role := _role_from_skills(index, family, skills):
        return role, ""
    rules = catalog.classify
    if family.it_skills_role and any(
        sid in catalog.skills
        and catalog.skills[sid].category in rules.it_skill_categories
        and sid not in rules.office_skills
        for sid in skills
    ):
        return family.it_skills_role, ""
    if family.evidence_role and (
        any(e.value == family.id for e in read.entries("evidence")) or _text_has_evidence(index, family, text)
    ):
        return family.evidence_role, ""
    if has_head and family.default:
        return family.default, ""
    return None, f"a {family.id} job that its title and skills do not place in a role we coach for"


def _role_from_skills(index: _Index, family: FamilyRules, skills: list[str]) -> str | None:
    """The family's role most of the posting's skills point to (ties: the one pointed to first)."""
    counts: dict[str, int] = {}
    for sid in skills:
        targets = {family.skill_roles[sid]} if sid in family.skill_roles else set()
        if not family.skill_roles:  # developers: the roles' and their stacks' markers
            targets = {role for role, _ in index.markers.get(sid, ()) if role in family.roles}
        for role in targets:
            counts[role] = counts.get(role, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    if best < family.min_skills:
        return None
    return next(role for role, n in counts.items() if n == best)  # dicts keep the order of first mention


def _text_has_evidence(index: _Index, family: FamilyRules, text: str) -> bool:
    if not text or not family.evidence:
        return False
    stems = [w.stem for w in words(text[:5_000])]
    wanted = [key for key, entries in index.phrases.items() if _Entry("evidence", family.id) in entries]
    return any(tuple(stems[i : i + len(key)]) == key for key in wanted for i in range(len(stems)))


def _stack(catalog: Catalog, index: _Index, read: _Title, role_id: str, skills: Sequence[str]) -> str | None:
    role = catalog.roles.get(role_id)
    if role is None or not role.stacks:
        return None
    for match in read.matches:
        techs = [e for e in match.entries if e.kind == "tech" and e.value == role_id]
        if techs:  # the title's first technology of the role; one that is no stack ("Программист С++"): none
            return next((e.extra for e in techs if e.extra), None)
    counts: dict[str, int] = {}
    for sid in skills:
        for marked_role, stack in index.markers.get(sid, ()):
            if marked_role == role_id and stack:
                counts[stack] = counts.get(stack, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None  # as many skills of two stacks: the posting does not say
    return max(counts, key=counts.__getitem__)
