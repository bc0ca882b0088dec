"""Who said what the last answer quoted: "who said that?".

The answer is the sentence of the same document that attributes the quoted words: the quoted
sentence itself when it names who speaks ("..., the watchdog said"), the sentence opening the
quotation it is part of ("Jeremy Crook, Vice Chair of EQUAL said:"), or, for a paragraph going on
with a quotation, the sentence before it ("..., Dr Shabna Begum ... was quoted as saying"). When none
does, the reply says the documents do not say who, rather than naming someone they do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from retrieval.about import cite_field
from retrieval.neighbours import quotation_lead
from retrieval.search import LoadedIndex
from retrieval.textutil import content_words, is_org, is_person, proper_names
from retrieval.types import Answer, Citation

WHO_SAID_THAT = re.compile(r"^\W*(?:and\s+|so\s+|but\s+|ok\s+)?who\s+(?:said|says|wrote|claimed|claims|stated|made)\s+"
                           r"(?:that|this|it)(?:\s+(?:claim|point|comment|quote|remark))?\W*$", re.I)
_WROTE_IT = re.compile(r"^\W*(?:and\s+|so\s+|but\s+|ok\s+)?who\s+(?:wrote|made)\s+it\W*$", re.I)
_WORK_ASKED = re.compile(r"\b(?:plan|report|review|letter|article|strategy|charter|document|study|piece|story)s?\b", re.I)
_SAID_BY = re.compile(r"\b(?:said|says|told|stated|added|insisted|warned|was quoted|according to)\b|:\s*$", re.I)
_SPEAKER_NOUN = re.compile(r"\b(?:spokes(?:person|woman|man)|watchdog|chair|chief executive|commissioner)\b", re.I)


def _names_a_speaker(sentence: str) -> bool:
    """Does the sentence attribute words to someone it names ("Sir Mark said", "the watchdog said")?"""
    if not _SAID_BY.search(sentence):
        return False
    return bool(_SPEAKER_NOUN.search(sentence)) or any(is_person(n) or is_org(n) for n in proper_names(sentence[1:]))


def attribution(index: LoadedIndex, doc_id: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the sentence naming who said the sentence at ``start``, if the document has one."""
    found = index.sentences.at(doc_id, start)
    if found is None:
        return None
    row, s_start, s_end = found
    text = index.documents[doc_id].text
    if _names_a_speaker(text[s_start:s_end]):
        return s_start, s_end
    lead = quotation_lead(text, s_start)
    if lead:
        opened = text.rfind("“", 0, s_start)
        holder = index.sentences.at(doc_id, opened)
        if holder is not None and holder[1] == opened:  # the quotation opens its sentence: the lead is before it
            holder = index.sentences.at(doc_id, opened - 1) if opened > 0 else None
        if holder is not None and _names_a_speaker(text[holder[1] : holder[2]]):
            return holder[1], holder[2]
    sentence = text[s_start:s_end]
    if lead or sentence.count("“") > sentence.count("”"):
        # "“The commissioner ... met with the Runnymede Trust ... as described,” a Met spokesperson said.": a
        # quotation going on past the sentence may name its speaker where it closes
        closed = text.find("”", s_end)
        if 0 <= closed - s_end <= 900 and "“" not in text[s_end:closed]:
            holder = index.sentences.at(doc_id, closed)
            if holder is not None and _names_a_speaker(text[closed : holder[2]]):
                return holder[1], holder[2]
    if text[s_start : s_start + 1] in "“\"" and row > index.sentences.doc_rows(doc_id)[0]:
        before = index.sentences.at(doc_id, s_start - 1)
        if before is not None and "\n" in text[before[2] : s_start] and _names_a_speaker(text[before[1] : before[2]]):
            return before[1], before[2]
    return None


def _most_asked(index: LoadedIndex, quotes: list[tuple[str, int]], last_question: str) -> tuple[str, int] | None:
    """Of the last answer's quotes, the one sharing most words with the last question ("is the plan
    80 pages?": the sentence on its 80 pages, not the one quoted first); None on a tie."""
    asked = {t for w in content_words(last_question) for t in index.bm25.tokens(w)}  # stems: "pages" is "80-page"'s
    words = []
    for doc_id, start in quotes:
        found = index.sentences.at(doc_id, start)
        text = index.documents[doc_id].text[found[1] : found[2]] if found else ""
        title = index.documents.meta(doc_id).title or ""  # "the Race Action Plan article" names the document
        words.append(asked & index.bm25.tokens.stem_set(f"{text} {title}"))
    # a word every quote has tells them apart no more than a word none has
    weight = {w: 1.0 / sum(w in ws for ws in words) for ws in words for w in ws}
    scores = [sum(weight[w] for w in ws) for ws in words]
    best = max(range(len(quotes)), key=scores.__getitem__)
    return None if scores.count(scores[best]) > 1 else quotes[best]


def answer_who_said_last(question: str, index: LoadedIndex, quotes: list[tuple[str, int]], last_question: str,
                         k: int, encode: Callable[[str], np.ndarray],
                         refuse: Callable[[str, LoadedIndex, list], Answer]) -> Answer | None:
    """For "who said that?": the sentence attributing the quote of the last answer (``quotes``: their
    documents and starts) that answered ``last_question``, cited; for a letter's own words, the line
    naming its writers; else ``refuse``'s answer (the documents do not say who). None for another question."""
    if not WHO_SAID_THAT.match(question) or not quotes:
        return None
    if _WROTE_IT.match(question) and _WORK_ASKED.search(last_question):
        return None  # "who wrote it?" after "what's the New Met plan?": who wrote the plan, not the answer's words
    quote = _most_asked(index, quotes, last_question)
    if quote is None:
        return None  # which of the quotes is meant is not clear: the question is answered as any other
    doc_id, start = quote
    span = attribution(index, doc_id, start)
    text = index.documents[doc_id].text
    if span is None:
        found = index.sentences.at(doc_id, start)
        words = text[found[1] : found[2]] if found else last_question
        hits = index.search(words, encode(words), k)
        if "letter" in (index.documents[doc_id].meta.kind or "").lower():
            return cite_field(question, index, hits, doc_id, "author")  # a letter's own words are its writers'
        return refuse(question, index, hits)  # not someone the documents do not name as saying it
    said = text[span[0] : span[1]]
    hits = index.search(said, encode(said), k)
    holder = next((h.passage for h in hits if h.passage.doc_id == doc_id and h.passage.start <= span[0]
                   and span[1] <= h.passage.end), None)
    if holder is None:
        return None
    meta = index.documents[doc_id].meta
    citation = Citation(1, doc_id, meta.title, meta.source, meta.date, said, span[0], span[1], holder.passage_id)
    return Answer(question, f"{said} [1]", False, [citation], hits, notes=["the sentence naming who said the last answer's words"])
