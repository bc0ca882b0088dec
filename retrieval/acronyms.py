"""Abbreviations staff type for names the documents spell out.

"Where is ARE based?" asks about Action for Race Equality, and "what's in the RAP?" about the Race
Action Plan; the documents mostly write the names in full, and "ARE" reads as the word "are". An
abbreviation of three to five capitals that the index does not hold as a word is written out as the
name, in the documents, whose capitalised words start with its letters ("Action for Race Equality":
A, R, E; "for" is a joining word). When several names fit, the most used one is taken; when none
does, the question is left as typed. The names are gathered in one pass over the documents (``names``),
made once per index generation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

_ABBREVIATION = re.compile(r"(?<![\w’'-])([A-Z]{3,5})(?:’s|'s|s)?(?![\w’'-])")
# A run of capitalised words, joining words allowed between them ("Action for Race Equality")
_WORD = r"[A-Z][a-z]+(?:[’'-](?!s\b)[A-Za-z]+)*"  # "O'Brien", not "Alliance’s"
_CAPITALISED_RUN = re.compile(r"\b" + _WORD + r"(?:\s+(?:(?:of|for|and|the|on|in|&)\s+)?" + _WORD + r")+")
_CAPITALISED = re.compile(_WORD)


def names(texts: Iterable[str]) -> dict[str, Counter]:
    """Letters -> how often each name of three to five capitalised words with those initials occurs
    in ``texts`` (every stretch of a longer run counts: "Race Action Plan" in "The Race Action Plan")."""
    table: dict[str, Counter] = {}
    for text in texts:
        for run in _CAPITALISED_RUN.finditer(text):
            words = list(_CAPITALISED.finditer(run.group(0)))
            for i in range(len(words)):
                for j in range(i + 2, min(i + 5, len(words))):
                    span = run.group(0)[words[i].start() : words[j].end()]
                    letters = "".join(w.group(0)[0] for w in words[i : j + 1])
                    table.setdefault(letters, Counter())[span] += 1
    return table


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
