"""A sentence's neighbours in its document: the sentence before or after it, the one a pronoun
opening it points back to, and the words that open the quotation it is part of."""

from __future__ import annotations

import re

from retrieval.scorer import Candidate
from retrieval.search import LoadedIndex

PRONOUN_START = re.compile(r"^[\"'“‘]?(?:she|he|they|it|these|this|those|their|his|her|its)\b", re.I)

LEAD_IN = re.compile(r":\s*$")  # "The letter states:", "... Vice Chair of EQUAL said:"


def quotation_lead(text: str, start: int, reach: int = 900) -> str:
    """For a sentence inside a quotation that opened sentences earlier ("Jeremy Crook said: “The next
    Commissioner must ... This means rejecting ..."), the words just before the quotation opened: who
    speaks. Empty when the sentence is not inside a quotation."""
    before = text[max(0, start - reach) : start]
    opened = before.rfind("“")
    if opened < 0 or "”" in before[opened:]:
        return ""
    return before[max(0, opened - 150) : opened + 1]


def previous_sentence(index: LoadedIndex, doc_id: str, row: int) -> tuple[int, int] | None:
    """(start, end) in the document's text of the sentence before sentence ``row``, if any."""
    table = index.sentences
    i = row - table.rows[doc_id][0] - 1
    return None if i < 0 else (int(table.starts[doc_id][i]), int(table.ends[doc_id][i]))


def pronoun_antecedent(index: LoadedIndex, c: Candidate) -> str:
    """The sentence before ``c`` when ``c`` opens with a pronoun ("He was charged": who "he" is), else ""."""
    before = previous_sentence(index, c.doc_id, c.row) if PRONOUN_START.search(c.text) else None
    return index.documents[c.doc_id].text[before[0] : c.start] if before else ""


def next_sentence(index: LoadedIndex, doc_id: str, row: int) -> tuple[int, int] | None:
    """(start, end) in the document's text of the sentence after sentence ``row``, if any."""
    table = index.sentences
    i = row - table.rows[doc_id][0] + 1
    return None if i >= len(table.starts[doc_id]) else (int(table.starts[doc_id][i]), int(table.ends[doc_id][i]))
