"""A vacancy a student pasted as text: its title, company, city, salary and skills, where the text has them.

Pasted postings come from hh.kz pages, Telegram channels and LinkedIn, in Russian, English or Kazakh, with or
without labels ("Компания:", "Salary:", "Жалақы:"). What is not clearly there stays empty: a number is a
salary only next to a currency or a salary label, a city only when it is one we know or is labelled.
"""

from __future__ import annotations

import hashlib
import re

from coach.catalog import Catalog
from coach.classify import level_of
from coach.postings import MAX_SALARY, PostingDraft
from coach.skills import SkillParser
from coach.zones import find_place

TITLE_CHARS = 80  # a title longer than this is a sentence, cut at a word
COMPANY_CHARS = 60

_LABEL = r"[ \t]*[:：\-–—][ \t]*"
_COMPANY = re.compile(rf"^(?:компания|company|работодатель|employer|мекеме|жұмыс беруші){_LABEL}(.+)$",
                      re.IGNORECASE | re.MULTILINE)  # fmt: skip
_CITY = re.compile(rf"^(?:город|city|location|локация|место работы|қала|орналасқан жері){_LABEL}(.+)$",
                   re.IGNORECASE | re.MULTILINE)  # fmt: skip
_SALARY_LINE = re.compile(rf"^(?:зарплата|заработная плата|зп|з/п|оклад|доход|salary|pay|compensation|жалақы)"
                          rf"{_LABEL}(.+)$", re.IGNORECASE | re.MULTILINE)  # fmt: skip
_TITLE_LABEL = re.compile(rf"^(?:вакансия|vacancy|position|позиция|должность|job|бос орын|лауазым){_LABEL}",
                          re.IGNORECASE)  # fmt: skip
# "Python Developer — Kolesa Group", "Python developer at Kolesa", "Python-разработчик в Kaspi.kz"
_TITLE_COMPANY = re.compile(
    r"^(.{3,}?)\s+(?:[—–|]|-\s|at\s|@\s?|в компанию\s|в компании\s|в\s)\s*([A-ZА-ЯЁ0-9«\"].{1,59})$"
)

_CURRENCIES = {
    "₸": "KZT", "тг": "KZT", "тенге": "KZT", "теңге": "KZT", "kzt": "KZT",
    "$": "USD", "usd": "USD", "долл": "USD", "долларов": "USD",
    "₽": "RUR", "руб": "RUR", "рублей": "RUR", "rub": "RUR", "rur": "RUR",
    "€": "EUR", "eur": "EUR", "евро": "EUR",
}  # fmt: skip
_CURRENCY = "|".join(sorted((re.escape(c) for c in _CURRENCIES), key=len, reverse=True))
_NUMBER = r"\d[\d\s\u00a0\u202f.,]*\d|\d"
_THOUSANDS = r"(?:\s?(?:k|к|тыс\.?|тысяч|мың))?"
_AMOUNT = rf"(?:{_NUMBER}){_THOUSANDS}"
# "от 300 000 до 500 000 ₸", "300 000 – 500 000 тг", "$1,500-2,000", "до 700 тыс. тенге", "from 1500 USD"
_SALARY = re.compile(
    rf"(?:(?P<pre>{_CURRENCY})\s?)?"
    rf"(?:(?:от|from|бастап)\s*)?(?P<low>{_AMOUNT})"
    rf"(?:\s*(?:[-–—]|до|to)\s*(?:(?P<mid>{_CURRENCY})\s?)?(?P<high>{_AMOUNT}))?"
    rf"\s*(?P<post>{_CURRENCY})?"
    rf"|(?:до|up to|дейін)\s*(?:(?P<pre2>{_CURRENCY})\s?)?(?P<only_high>{_AMOUNT})\s*(?P<post2>{_CURRENCY})?",
    re.IGNORECASE,
)
_REMOTE = re.compile(r"\b(?:remote|удал[её]нн?о|удал[её]нка|удал[её]нная|қашықтан)\b", re.IGNORECASE)
_NET = re.compile(r"на руки|после вычета|net|қолға", re.IGNORECASE)
_GROSS = re.compile(r"до вычета|gross|брутто", re.IGNORECASE)


def from_text(text: str, catalog: Catalog, parser: SkillParser) -> PostingDraft:
    """The posting in `text`; `skills` are the catalog skills its prose names (empty: not a posting)."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    title_line = _TITLE_LABEL.sub("", lines[0]) if lines else ""
    title, company = _title_and_company(title_line)
    if labelled := _COMPANY.search(text):
        company = _cut(labelled.group(1), COMPANY_CHARS)
    low, high, currency, gross = _salary(text)
    return PostingDraft(
        source="text",
        source_id=hashlib.sha1(text.encode()).hexdigest()[:16],
        title=title or "—",
        company=company,
        role_id=None,
        level=level_of(catalog, title),
        city=_city(text, lines, catalog),
        url=None,
        salary_from=low,
        salary_to=high,
        currency=currency,
        salary_gross=gross,
        skills=parser.find_in_text(text) or parser.parse(text).recognized,
        remote=bool(_REMOTE.search(text)),
    )


def _cut(text: str, limit: int) -> str:
    """`text` up to `limit` characters, cut after a whole word ("…" marks the cut)."""
    text = text.strip(" .,;:")
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:-–—(") + "…"


def _title_and_company(line: str) -> tuple[str, str | None]:
    # A whole posting on one line: the title is its first sentence, or its first clause when that is long.
    first = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    if len(first) > TITLE_CHARS:
        first = re.split(r":\s|,\s|\s[(\[]|;\s", first, maxsplit=1)[0]
    if match := _TITLE_COMPANY.match(first):
        return _cut(match.group(1), TITLE_CHARS), _cut(match.group(2).strip('«»"'), COMPANY_CHARS)
    return _cut(first, TITLE_CHARS), None


def _city(text: str, lines: list[str], catalog: Catalog) -> str | None:
    if labelled := _CITY.search(text):
        value = re.split(r"[,;(]", labelled.group(1))[0].strip()
        known = catalog.city(value)
        place = find_place(value)
        return known.name if known else place.display("en") if place else _cut(value, 40) or None
    # Otherwise a city we know, named in the first lines ("Алматы, Казахстан", "Astana · hybrid").
    for line in lines[:12]:
        for word in re.findall(r"[^\W\d_]+(?:[-\s][^\W\d_]+)?", line):
            for candidate in (word, word.split()[0]):
                if known := catalog.city(candidate):
                    return known.name
                if (place := find_place(candidate)) and place.id not in {"kazakhstan", "uzbekistan", "kyrgyzstan"}:
                    return place.display("en")
    return None


def _amount(raw: str | None) -> int | None:
    if not raw:
        return None
    value = raw.lower().strip()
    thousands = bool(re.search(r"(k|к|тыс\.?|тысяч|мың)$", value))
    digits = re.sub(r"(k|к|тыс\.?|тысяч|мың)$", "", value).strip()
    digits = re.sub(r"[\s\u00a0\u202f]", "", digits)
    separators = re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits)  # 1,500 or 1.500.000
    digits = re.sub(r"[.,]", "", digits) if separators else digits.replace(",", ".")
    try:
        amount = float(digits) * (1000 if thousands else 1)
    except ValueError:
        return None
    return round(amount) if 0 < amount <= MAX_SALARY else None


def _salary(text: str) -> tuple[int | None, int | None, str | None, bool | None]:
    """(from, to, currency, gross) for the first salary in `text`: a labelled line first, else any amount that
    has a currency. Nothing without a currency or a label (years of experience are numbers too)."""
    labelled = _SALARY_LINE.search(text)
    scope = [labelled.group(1)] if labelled else []
    scope.append(text)
    for place in scope:
        for match in _SALARY.finditer(place):
            groups = match.groupdict()
            currency = next((groups[k] for k in ("pre", "mid", "post", "pre2", "post2") if groups.get(k)), None)
            if currency is None and place is not scope[0]:
                continue
            if currency is None and not labelled:
                continue
            if groups.get("only_high"):
                low, high = None, _amount(groups["only_high"])
            else:
                low, high = _amount(groups.get("low")), _amount(groups.get("high"))
                if (low is not None and high is not None) and low > high:
                    low, high = high, low
            if low is None and high is None:
                continue
            code = _CURRENCIES.get(currency.lower(), "KZT") if currency else "KZT"
            around = place[max(0, match.start() - 40) : match.end() + 40]
            gross = True if _GROSS.search(around) else False if _NET.search(around) else None
            return low, high, code, gross
    return None, None, None, None
