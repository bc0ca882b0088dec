"""Abbreviations staff type for names the documents spell out.

"Where is ARE based?" asks about Action for Race Equality, and "what's in the RAP?" about the Race
Action Plan; the documents mostly write the names in full, and "ARE" reads as the word "are". An
abbreviation of three to five capitals that the index does not hold as a word is written out as the
name, in the documents, whose capitalised words start with its letters ("Action for Race Equality":
A, R, E; "for" is a joining word). When several names fit, the most used one is taken; when none
does, the question is left as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

_ABBREVIATION = re.compile(r"(?<![\w’'-])([A-Z]{3,5})(?:’s|'s|s)?(?![\w’'-])")
_JOINING = r"(?:(?:of|for|and|the|on|in|&)\s+)?"


def _spelled_out(letters: str) -> re.Pattern:
    """A pattern for a name whose capitalised words start with ``letters`` in order."""
    words = [re.escape(c) + r"[a-z’'-]+" for c in letters]
    return re.compile(r"\b" + (r"\s+" + _JOINING).join(words) + r"\b")


def expansions(letters: str, texts: Iterable[str]) -> Counter:
    """How often each name spelled out by ``letters`` occurs in ``texts``."""
    pattern = _spelled_out(letters)
    found: Counter = Counter()
    for text in texts:
        found.update(m.group(0) for m in pattern.finditer(text))
    return found


def spell_out(question: str, known: Callable[[str], bool], name_for: Callable[[str], str | None]) -> str:
    """``question`` with each abbreviation the index does not hold (``known``) replaced by the name
    ``name_for`` gives it; untouched when the question is typed in capitals throughout."""
    found = list(_ABBREVIATION.finditer(question))
    if len(found) > 2 and len(found) * 2 >= len(question.split()):
        return question  # "WHO SIGNED THE LETTER?": shouted, not abbreviated
    out, last = [], 0
    for m in found:
        letters = m.group(1)
        name = None if known(letters) or known(m.group(0)) else name_for(letters)  # ("PCSOs" is known)
        if name:
            out += [question[last : m.start(1)], name]
            last = m.end(1)
    return "".join(out) + question[last:]
