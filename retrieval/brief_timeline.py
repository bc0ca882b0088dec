"""Dates written in the documents and a briefing's timeline of publications and dated events."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from retrieval.brief_points import Sent, same
from retrieval.metadata import parse_date
from retrieval.search import LoadedIndex
from retrieval.types import DocMeta

# --------------------------------------------------------------------------- tuning
MAX_EVENTS = 14


# --------------------------------------------------------------------------- timeline
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
             r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE_WORDS = re.compile(
    rf"\b{_MONTH_RE}\b\.?|\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b|\b(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
FULL_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE}\.?,?\s+\d{{4}}\b|"
    rf"\b{_MONTH_RE}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b"
)
MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+((?:19|20)\d{{2}})\b")
_YEAR = re.compile(r"(?<![\w£$€/.,-])((?:19|20)\d{2})(?:[-–/](\d{2}))?(?![\w%/]|,\d|\.\d)")
_STATUTE = re.compile(r"\b(Act|Acts|Regulations|Order|Bill|Section|No\.?)\s*$")


def _month_number(name: str) -> int:
    low = name.lower()
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(low[:3]))


def find_date(text: str) -> tuple[tuple[int, int, int], str] | None:
    """The most specific date written in ``text``: ((year, month, day), as written)."""
    for m in FULL_DATE.finditer(text):
        iso = parse_date(m.group(0))
        if iso:
            y, mo, d = (int(x) for x in iso.split("-"))
            return (y, mo, d), m.group(0)
    for m in MONTH_YEAR.finditer(text):
        return (int(m.group(2)), _month_number(m.group(1)), 0), m.group(0)
    for m in _YEAR.finditer(text):
        if _STATUTE.search(text[: m.start()]):
            continue
        return (int(m.group(1)), 0, 0), m.group(0)
    return None


def is_dateline(text: str) -> bool:
    """A line that is mostly a date or a time ("7/30/2023 9:16 AM", "Thursday, January 16, 2025")."""
    rest = re.sub(r"\d|\b(am|pm)\b|[/:.,\-\s]", "", _DATE_WORDS.sub("", text), flags=re.IGNORECASE)
    return len(rest) <= 2 and bool(re.search(r"\d", text))


def _publication_span(index: LoadedIndex, meta: DocMeta, sents: list[Sent]) -> tuple[int, int]:
    """What to quote for a publication date: the dateline if kept, else the title line, else the opening."""
    for s in sents:
        if s.furniture and is_dateline(s.text) and parse_date(s.text) == meta.date:
            return s.start, s.end
    text = index.documents[meta.doc_id].text
    at = text.find(meta.title) if meta.title else -1
    if at >= 0:
        return at, at + len(meta.title)
    first = next((s for s in sents if not s.furniture), sents[0] if sents else None)
    return (first.start, first.end) if first else (0, min(len(text), 80))


@dataclass
class _Dated:
    """A timeline entry before numbering: the sentences saying it (or the quote dating a publication)."""

    key: tuple[int, int, int]
    when: str
    text: str
    sents: list[Sent]
    kind: str


def timeline(index: LoadedIndex, docs: list[str], by_doc: dict[str, list[Sent]], floor: float) -> list[_Dated]:
    """Publications (metadata dates) and dated events (dates in the text) of the topic's documents, by date."""
    published = []
    for doc_id in docs:
        meta = index.documents[doc_id].meta
        if meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date):
            start, end = _publication_span(index, meta, by_doc[doc_id])
            quote = Sent(-1, doc_id, start, end, index.documents[doc_id].text[start:end], np.zeros(1))
            key = tuple(int(x) for x in meta.date.split("-"))
            published.append(_Dated(key, meta.date, meta.title, [quote], "published"))  # type: ignore[arg-type]
    events: list[_Dated] = []
    for doc_id in docs:
        for s in by_doc[doc_id]:
            if s.furniture or s.words < 6 or s.base < floor:
                continue
            found = find_date(s.text)
            if not found:
                continue
            key, when = found
            earlier = next((e for e in events if e.key == key and same(e.sents[0], s)), None)
            if earlier:
                earlier.sents.append(s)  # another document dates the same event: cite both
            else:
                events.append(_Dated(key, when, s.text, [s], "event"))
    events.sort(key=lambda e: -max(x.base for x in e.sents))
    entries = published + events[:MAX_EVENTS]
    entries.sort(key=lambda e: (e.key, e.kind != "published", e.sents[0].doc_id, e.sents[0].start))
    return entries
