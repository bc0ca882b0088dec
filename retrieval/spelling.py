"""Typing slips in a question, put right by the documents' own words ("comissioner" -> "commissioner").

A word is put right only when no passage has it, it is no English word (the English word list of
``pyspellchecker``, installed with the package) and a word of the documents is one slip from it. An
English word the documents do not use ("weather", "mayor") stays as it is: that the documents do not
use it is what tells the answerer they do not answer.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_BRITISH = re.compile(r"is(e|es|ed|ing|ation|ations)$")
MIN_LENGTH = 5  # shorter words are too often another word one slip away ("khan", "than")


@functools.cache
def _english() -> Callable[[str], bool]:
    """Is a lower-case word an English word? (The list loads once, in about 0.1 s.)"""
    from spellchecker import SpellChecker

    words = SpellChecker(language="en", distance=1).word_frequency

    def english(word: str) -> bool:
        # the list spells the American way: "emphasise", "organisation" are its "emphasize", "organization"
        return word in words or _BRITISH.search(word) is not None and _BRITISH.sub(r"iz\1", word) in words

    return english


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_slip(word: str) -> set[str]:
    """Every string one slip from ``word``: a letter left out, added, changed, or two swapped."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1} |
            {a + c + b[1:] for a, b in splits if b for c in _LETTERS} | {a + c + b for a, b in splits for c in _LETTERS})


class Speller:
    """The documents' words, and the one a slip of the keyboard most likely meant."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter(w.lower() for text in texts for w in _WORD.findall(text))

    def meant(self, word: str) -> str | None:
        """The documents' word one slip from ``word`` (lower case, a word the documents do not have): one
        with a letter ``word`` left out, the commonest slip ("happend": "happened", not "happens"), else
        the most used; None when there is none, or a tie."""
        found = sorted((len(w) <= len(word), -self.counts[w], w) for w in one_slip(word) if w in self.counts)
        if not found or len(found) > 1 and found[1][:2] == found[0][:2]:
            return None
        return found[0][2]

    def correct(self, question: str, known: Callable[[str], bool]) -> str:
        """``question`` with each slip put right: a word of ``MIN_LENGTH`` letters or more that no passage
        has (``known``) and that is no English word, when a word of the documents is close to it."""
        english = _english()

        def fix(m: re.Match) -> str:
            typed = m.group(0)
            lower = typed.lower()
            if len(lower) < MIN_LENGTH or "'" in lower or "’" in lower or lower in self.counts or \
                    english(lower) or known(typed):
                return typed
            word = self.meant(lower)
            if word is None:
                return typed
            return word.capitalize() if typed[0].isupper() else word

        return _WORD.sub(fix, question)
