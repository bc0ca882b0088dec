"""Document metadata: the editable ``metadata.json`` beside the corpus, else what the text says."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from citebot.errors import CitebotError
from retrieval.types import DocMeta

METADATA_FILE = "metadata.json"
FIELDS = ("title", "source", "author", "date", "kind", "url")

_MONTHS = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for m in names
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
_LABEL = re.compile(r"\b(published|posted|updated|date)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*(?:by|written by|words by)\s*:?\s+(.{3,80}?)\s*$", re.IGNORECASE)


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first full date in ``text`` as ISO ``YYYY-MM-DD`` (numeric dates read day-first unless impossible)."""
    candidates: list[tuple[int, str]] = []
    for m in _ISO.finditer(text):
        iso = _valid(int(m[1]), int(m[2]), int(m[3]))
        if iso:
            candidates.append((m.start(), iso))
    for m in _DAY_FIRST.finditer(text):
        iso = _valid(int(m[3]), _MONTHS[m[2].lower()[:3]], int(m[1]))
        if iso:
            candidates.append((m.start(), iso))
    for m in _MONTH_FIRST.finditer(text):
        iso = _valid(int(m[3]), _MONTHS[m[1].lower()[:3]], int(m[2]))
        if iso:
            candidates.append((m.start(), iso))
    for m in _NUMERIC.finditer(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        iso = _valid(y, b, a) if a > 12 or b <= 12 else _valid(y, a, b)
        if iso:
            candidates.append((m.start(), iso))
    return min(candidates)[1] if candidates else None


def extract_date(paragraphs: list[str]) -> str | None:
    """Publication date from a dateline: a labelled date, else a short paragraph that is mostly a date."""
    for i, p in enumerate(paragraphs):
        if _LABEL.search(p) and len(p.split()) <= 6:
            found = parse_date(p) or (parse_date(paragraphs[i + 1]) if i + 1 < len(paragraphs) else None)
            if found:
                return found
    edges = paragraphs[:8] + paragraphs[-8:]
    for p in edges:
        if len(p.split()) <= 8:
            found = parse_date(p)
            if found:
                return found
    return None


def extract_author(paragraphs: list[str]) -> str | None:
    """The byline's name ("By: Jane Doe")."""
    for p in paragraphs[:10]:
        m = _BYLINE.match(p)
        if m:
            return m.group(1).strip()
    return None


def extract_title(paragraphs: list[str]) -> str | None:
    """The first heading-like paragraph (short, no closing full stop)."""
    for p in paragraphs[:5]:
        words = p.split()
        if 3 <= len(words) <= 25 and not p.rstrip().endswith(".") and not _BYLINE.match(p):
            return p.strip()
    return None


def load_metadata_file(corpus: Path) -> dict[str, dict[str, Any]]:
    """The user's metadata file: ``{"relative/path.txt": {"title": ..., "date": "YYYY-MM-DD", ...}}``."""
    path = corpus / METADATA_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        message = f"{path}: not valid JSON ({exc}); fix or remove the file"
        raise CitebotError(message) from exc
    if not isinstance(data, dict):
        raise CitebotError(f"{path}: expected an object keyed by file path")
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def build_meta(
    doc_id: str, given: dict[str, Any], hints: dict[str, str], raw: list[str], cleaned: list[str]
) -> DocMeta:
    """Metadata from the file (wins), then the format's own fields, then the text.

    Dates and bylines are read from the raw paragraphs (datelines are page furniture and
    cleaned away); the title from the cleaned ones (the page's first line is often a menu).
    """
    extracted = {
        "title": extract_title(cleaned),
        "author": extract_author(raw),
        "date": extract_date(raw),
    }
    values: dict[str, str | None] = {}
    for name in FIELDS:
        if name in given and (given[name] is not None or name != "title"):
            value = given[name]  # an explicit null means "not known": nothing is guessed
        else:
            value = hints.get(name) or extracted.get(name)
        values[name] = str(value).strip() if value not in (None, "") else None
    if values["date"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values["date"]):
        values["date"] = parse_date(values["date"]) or values["date"][:10]
    title = values.pop("title") or Path(doc_id).stem.replace("_", " ").replace("-", " ")
    return DocMeta(doc_id=doc_id, title=title, **values)
