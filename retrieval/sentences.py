"""Sentence boundaries with character offsets, for chunking and for extractive answers."""

from __future__ import annotations

import re

from retrieval.types import Sentence

# Abbreviations after which a full stop does not end a sentence (lower case, no dot).
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sir st rt hon rev gen col maj capt lt sgt insp supt det pc dc cllr gov sen rep "
    "no nos vol fig p pp ed eds co ltd inc corp plc bros dept est approx vs etc al e.g i.e cf jan feb "
    "mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun u.s u.k a.m p.m".split()
)
# Candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+[\"'“‘«(\[]*[A-Z0-9£$€]")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` closes an abbreviation or an initial."""
    if text[dot] != ".":
        return False
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    token = text[start:dot].lower()
    if not token:
        return False
    if len(token) == 1 and text[start].isupper():
        return True  # an initial: "J. Smith"
    return token in _ABBREVIATIONS


def _split_block(text: str, base: int, doc_id: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if not _NEXT_START.match(text, end):
            continue
        first_dot = match.start()
        if _is_abbreviation(text, first_dot) and match.end() - match.start() == 1:
            continue
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            sentences.append(Sentence(doc_id, base + start + lead, base + end, piece.strip()))
        start = end
    piece = text[start:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        stripped = piece.strip()
        sentences.append(Sentence(doc_id, base + start + lead, base + start + lead + len(stripped), stripped))
    return sentences


def split_sentences(text: str, doc_id: str = "") -> list[Sentence]:
    """Sentences of ``text``; a line break always ends a sentence; ``text[s.start:s.end] == s.text``."""
    sentences: list[Sentence] = []
    pos = 0
    for match in _PARAGRAPH.finditer(text):
        sentences.extend(_split_block(text[pos : match.start()], pos, doc_id))
        pos = match.end()
    sentences.extend(_split_block(text[pos:], pos, doc_id))
    return sentences
