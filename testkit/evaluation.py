"""How well imported postings are read, measured on real hh.ru vacancies against labels we made by hand.

    python -m bench.evaluation [--data DIR] [--errors all|dev|holdout] [--no-save]

(this module is the evaluation itself, shared by `bench/evaluation.py`, which prints and saves the figures,
and `tests/test_evaluation.py`, which holds their floors)

The data (default ``../shared/data/hh-ru-2025`` from the project root, see its README) is someone else's
collection and is not part of the project: when the folder is absent the evaluation prints one line saying
it was skipped and exits 0, so `make bench` and a user's clone without ``../shared`` keep working.

Every vacancy goes through the real import path, ``coach.postings.from_hh``, as an hh API item built from
the CSV row: title, key skills, ``professional_roles`` (the row's specialization id and its name) and
``experience``. What is measured (the labels and their rules: bench/labels/README.md):

* **Skill tokens** — each `key_skills` token of the IT rows is imported alone; its label names the concept
  (or ``-``: not a skill we coach), which ``catalog.lookup`` turns into a catalog skill. Recall is over the
  concepts the catalog has; precision over the skills the import recognised. A recognised skill is correct
  when it is the label's skill, or a specialisation of it — the label's skill is among its hard
  prerequisites (a 1C configuration for "1С", network equipment for "Computer networks": a finer catalog
  names the same thing more precisely). Another member of the same alternative group (Kafka for RabbitMQ)
  is wrong, because the posting would name a tool it does not ask for; the same figures with group members
  counted as one ("by group") are shown beside, as gaps and demand count them.
* **Role** — the label is a role id or ``skip`` (not an IT job we coach for). IT vs non-IT: kept non-IT
  postings and skipped IT ones.
* **Stack** — on the rows whose role was found and is one whose stacks were labelled (backend, frontend,
  mobile, game_dev: ``STACK_LABELLED``): the stack (or none) equals the label.
* **Level** — on the IT rows with a level label.

Labels are split by vacancy id into a development part (used to look at errors) and a held-out part
(``int(id) % 3 == 0``, never looked at row by row); both are reported.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach import postings
from coach.catalog import Catalog, default_catalog
from coach.skills import SkillParser

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "hh-ru-2025"
LABELS = ROOT / "bench" / "labels"
NAME = "evaluation"

EXPERIENCE = {
    "Нет опыта": "noExperience",
    "От 1 года до 3 лет": "between1And3",
    "От 3 до 6 лет": "between3And6",
    "Более 6 лет": "moreThan6",
}
SPLITS = ("all", "dev", "holdout")
# Roles whose stacks the labels give (the roles that had stacks when they were written); a role that gains
# stacks later (infosec, product_manager on the catalog branch) needs its rows labelled before it counts.
STACK_LABELLED = frozenset({"backend", "frontend", "mobile", "game_dev"})


def split_of(vacancy_id: str) -> str:
    return "holdout" if int(vacancy_id) % 3 == 0 else "dev"


@dataclass(frozen=True)
class RoleLabel:
    role: str  # a role id or "skip"
    stack: str | None
    level: str | None


@dataclass
class Counts:
    """Everything counted for one split; `figures()` turns it into rates."""

    rows: int = 0
    role_ok: int = 0
    it_kept: int = 0
    it_skipped: int = 0
    non_it_kept: int = 0
    non_it_skipped: int = 0
    it_wrong_role: int = 0  # kept, but filed under another role
    stack_rows: int = 0
    stack_ok: int = 0
    level_rows: int = 0
    level_ok: int = 0
    tokens: int = 0
    concepts: int = 0  # label concepts the catalog has (recall's denominator)
    found: int = 0
    recognised: int = 0  # skills the import recognised (precision's denominator)
    correct: int = 0
    found_group: int = 0
    correct_group: int = 0
    dash_tokens: int = 0
    dash_with_skill: int = 0
    outside_tokens: int = 0  # concept not in the catalog
    outside_with_skill: int = 0
    confusions: Counter = field(default_factory=Counter)

    def figures(self) -> dict[str, Any]:
        def rate(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        it_rows = self.it_kept + self.it_skipped
        return {
            "vacancies": self.rows,
            "role accuracy": rate(self.role_ok, self.rows),
            "IT kept": self.it_kept,
            "IT skipped": self.it_skipped,
            "IT kept under another role": self.it_wrong_role,
            "non-IT kept": self.non_it_kept,
            "non-IT skipped": self.non_it_skipped,
            "IT recall (kept / IT)": rate(self.it_kept, it_rows),
            "non-IT precision (kept IT / kept)": rate(self.it_kept, self.it_kept + self.non_it_kept),
            "stack accuracy (role right)": rate(self.stack_ok, self.stack_rows),
            "stack rows": self.stack_rows,
            "level accuracy": rate(self.level_ok, self.level_rows),
            "level rows": self.level_rows,
            "skill tokens": self.tokens,
            "skill concepts in catalog": self.concepts,
            "skill recall": rate(self.found, self.concepts),
            "skill precision": rate(self.correct, self.recognised),
            "skill recall by group": rate(self.found_group, self.concepts),
            "skill precision by group": rate(self.correct_group, self.recognised),
            "skills recognised": self.recognised,
            "'-' tokens given a skill": f"{self.dash_with_skill} / {self.dash_tokens}",
            "out-of-catalog tokens given a skill": f"{self.outside_with_skill} / {self.outside_tokens}",
        }


def read_labels(folder: Path = LABELS) -> tuple[dict[str, RoleLabel], list[tuple[str, int, str]]]:
    with (folder / "hh-ru-2025-roles.csv").open(encoding="utf-8", newline="") as fh:
        roles = {
            row["id"]: RoleLabel(row["role"], row["stack"] or None, row["level"] or None) for row in csv.DictReader(fh)
        }
    with (folder / "hh-ru-2025-skill-tokens.csv").open(encoding="utf-8", newline="") as fh:
        tokens = [(row["id"], int(row["token_no"]), row["concept"]) for row in csv.DictReader(fh)]
    return roles, tokens


def read_data(folder: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    with (folder / "vacancies.csv").open(encoding="utf-8", newline="") as fh:
        vacancies = {row["id"]: row for row in csv.DictReader(fh)}
    with (folder / "professional_roles.csv").open(encoding="utf-8", newline="") as fh:
        names = {row["id"]: row["name"] for row in csv.DictReader(fh)}
    return vacancies, names


def split_key_skills(text: str) -> list[str]:
    return [token.strip() for token in text.split(",")] if text.strip() else []


def as_hh_item(row: dict[str, str], role_names: dict[str, str]) -> dict[str, Any]:
    """The CSV row as the hh API writes a vacancy (what `from_hh` reads)."""
    item: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "key_skills": [{"name": token} for token in split_key_skills(row["key_skills"])],
    }
    if spec := row.get("specialization_id"):
        item["professional_roles"] = [{"id": spec, "name": role_names.get(spec, "")}]
    if experience := row.get("experience"):
        item["experience"] = {"id": EXPERIENCE.get(experience, experience), "name": experience}
    return item


def evaluate(data: Path, catalog: Catalog | None = None, errors: str | None = None) -> dict[str, dict[str, Any]]:
    """Figures per split ("all", "dev", "holdout"). `errors` ("dev", "all", ...) prints that split's
    misread rows to stdout (never saved: they quote the data)."""
    catalog = catalog or default_catalog()
    parser = SkillParser(catalog)
    vacancies, role_names = read_data(data)
    role_labels, token_labels = read_labels()
    counts = {name: Counts() for name in SPLITS}

    def both(vacancy_id: str) -> tuple[Counts, Counts]:
        return counts["all"], counts[split_of(vacancy_id)]

    def show(vacancy_id: str, text: str) -> None:
        if errors and (errors == "all" or split_of(vacancy_id) == errors):
            print(text)

    for vacancy_id, label in role_labels.items():
        row = vacancies.get(vacancy_id)
        if row is None:
            continue
        draft = postings.from_hh(as_hh_item(row, role_names), catalog, parser)
        got_role, got_stack = draft.role_id, getattr(draft, "stack", None)
        is_it = label.role != "skip"
        want_role = label.role if is_it else None
        for c in both(vacancy_id):
            c.rows += 1
            c.role_ok += got_role == want_role
            if is_it:
                c.it_kept += got_role is not None
                c.it_skipped += got_role is None
                c.it_wrong_role += got_role is not None and got_role != want_role
            else:
                c.non_it_kept += got_role is not None
                c.non_it_skipped += got_role is None
            if got_role != want_role:
                c.confusions[(label.role, got_role or "skip")] += 1
            if is_it and got_role == want_role and got_role in STACK_LABELLED and catalog.roles[got_role].stacks:
                c.stack_rows += 1
                c.stack_ok += got_stack == label.stack
            if is_it and label.level:
                c.level_rows += 1
                c.level_ok += draft.level == label.level
        if got_role != want_role:
            show(vacancy_id, f"role  {vacancy_id}: {row['name']!r} [{row['specialization_id']}] -> "
                             f"{got_role or 'skip'}, label {label.role}")  # fmt: skip
        elif is_it and got_role in STACK_LABELLED and catalog.roles[got_role].stacks and got_stack != label.stack:
            show(vacancy_id, f"stack {vacancy_id}: {row['name']!r} -> {got_stack}, label {label.stack}")
        if is_it and label.level and draft.level != label.level:
            show(vacancy_id, f"level {vacancy_id}: {row['name']!r} ({row['experience']}) -> {draft.level}, "
                             f"label {label.level}")  # fmt: skip

    for vacancy_id, token_no, concept in token_labels:
        row = vacancies.get(vacancy_id)
        if row is None:
            continue
        token = split_key_skills(row["key_skills"])[token_no]
        item = {"id": vacancy_id, "name": row["name"], "key_skills": [{"name": token}]}
        got = set(postings.from_hh(item, catalog, parser).skills)
        names = [c for c in concept.split("|") if c and c != "-"]
        want = {skill.id for name in names if (skill := catalog.lookup(name))}
        # What each recognised skill stands for: itself and what it is built on (its hard prerequisites).
        meant = {sid: set(catalog.prerequisites_first([sid])) for sid in got}
        covered = set().union(*meant.values()) if meant else set()
        want_groups = {catalog.ref_of(sid) for sid in want}
        got_groups = {catalog.ref_of(sid) for sid in got}
        for c in both(vacancy_id):
            c.tokens += 1
            c.concepts += len(want)
            c.found += len(want & covered)
            c.found_group += len(want_groups & got_groups)
            c.recognised += len(got)
            c.correct += sum(bool(meant[sid] & want) for sid in got)
            c.correct_group += sum(catalog.ref_of(sid) in want_groups for sid in got)
            if not names:
                c.dash_tokens += 1
                c.dash_with_skill += bool(got)
            elif len(want) < len(names):
                c.outside_tokens += 1
                c.outside_with_skill += bool(got - want)
        if got != want:
            show(vacancy_id, f"skill {vacancy_id}#{token_no}: {token!r} -> {sorted(got)}, label {concept!r}")

    result = {name: c.figures() for name, c in counts.items()}
    for name, c in counts.items():
        result[name]["top role confusions (label -> got)"] = {
            f"{want} -> {got}": n for (want, got), n in c.confusions.most_common(12)
        }
    return result
