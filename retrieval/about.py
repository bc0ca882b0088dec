"""Questions about a document itself: who wrote it, who published it, when it is dated.

"Who wrote the report saying 26 organisations criticised the Met?" is not answered by what the
report says but by its byline. The document is the best retrieved one that has the field in its
metadata; the answer quotes the line of its text that gives the value ("By: Pramod Thomas",
"7/30/2023 9:16 AM"), so it stays verbatim and cited. When the text does not show the value, this
returns nothing and the ordinary answerer takes the question.
"""

from __future__ import annotations

import re
from datetime import date

from retrieval.questions import dated_documents
from retrieval.search import LoadedIndex
from retrieval.textutil import content_words
from retrieval.types import Answer, Citation, Hit

# What a written document is called: "the report", "this article", "the open letter"
_WRITINGS = r"report|article|story|piece|letter|document|blog|blog post|op-ed|statement"  # not "the post of Commissioner"
_DOC_NOUN = r"(?:[\w'’-]+ ){0,2}(" + _WRITINGS + r")\b"
_AUTHOR_Q = re.compile(r"\bwho (?:wrote|authored) (?:the|this|that|a|an) " + _DOC_NOUN +
                       r"|\b(?:author|byline|writer) of (?:the|this|that|a|an) " + _DOC_NOUN +
                       # "which groups are behind the 2022 letter?": its writers
                       r"|\b(?:who|which (?:groups?|organi[sz]ations?|charities|bodies))\s+(?:is|are|was|were)\s+behind "
                       r"(?:the|this|that) " + _DOC_NOUN, re.I)
_SOURCE_Q = re.compile(r"\b(?:which|what) (?:outlet|newspaper|paper|publication|website|site|publisher|news site)\b"
                       r".*\b(?:published|posted|ran|carried)\b|\bwho published\b", re.I)
_DATE_Q = re.compile(r"\b(?:when|what date|which date|what day|date)\b.*\b(?:published|dated|posted|released|issued|"
                     r"written|date is given|date given|date on|(?:go|went|gone|come|came|put) (?:up|out|online)|"
                     r"(?:publish|release|issue)\b)|\bwhat date is (?:given|shown|on)\b|"
                     # "what's the publication date on the letter?", "what date is the letter?", "date of the piece?"
                     r"\b(?:publication|publishing|release) date\b|\bdate of (?:publication|release)\b|"
                     r"\b(?:what|which)\s+date\s+(?:is|was|does)\s+(?:the|that|this|it)\b|"
                     r"\b(?:what|which)(?:’s|'s|\s+is|\s+was)\s+(?:the|its)\s+date\b|^\W*date\s+of\b", re.I)
# "What year did ARE send that letter to the home secretary?": the date of a letter in the collection
# (asked first: "who was home secretary when ARE sent their letter?" asks who)
_SENT_Q = re.compile(r"^\W*(?:and\s+|so\s+)?(?:when|(?:in\s+)?(?:what|which) (?:year|date|day))\b(?:[^?]*\b(?:send|sent|write|"
                     r"wrote|written)\b[^?]*\bletter\b|[^?]*\bletter\b[^?]*\b(?:sent|written)\b)", re.I)
# "When was Baroness Casey's review published?" asks about the review an article tells of, not the article
_OTHER_WORK = re.compile(r"\b(?:review|inquiry|plan|strategy|charter|super-complaint|complaint|investigation|scheme|"
                         r"study|survey|figures|data)\b(?!\s+(?:coverage|story|article|piece|report|letter))", re.I)
_MONTHS = ("January February March April May June July August September October November December").split()


def about_field(question: str) -> str | None:
    """"author", "source" or "date" when the question asks about a document rather than its content."""
    if _AUTHOR_Q.search(question):
        return "author"
    if _SOURCE_Q.search(question):
        return "source"
    if (_DATE_Q.search(question) or _SENT_Q.search(question)) and not _OTHER_WORK.search(question) and \
            not _ASKS_ANOTHER_THING.match(question):
        return "date"
    return None


# "which commissioner was leaving when the letter was written?": a person, whenever the letter is dated
_ASKS_ANOTHER_THING = re.compile(r"^\W*(?:and\s+|so\s+)?(?:which|who|whom|whose|why|how)\b(?!\s+(?:date|day|year|month)\b)",
                                 re.I)


_DOC_WORD = re.compile(r"\b(" + _WRITINGS + r")\b", re.I)


def _describes(question: str, meta) -> int:
    """How well the question describes this document: its author or publisher named (10), or the
    number of title words it shares ("the article about the £366m makeover")."""
    lowered = question.lower()
    if any(v and v.lower() in lowered for v in (meta.author, meta.source)):
        return 10
    title = {w[:5] for w in content_words(meta.title or "") if len(w) >= 3}
    asked = {w[:5] for w in content_words(question) if len(w) >= 3}
    score = len(title & asked - {"lette", "repor", "artic", "story"})
    # "the 2022 open letter to Priti Patel": the kind of document and its year describe it too
    noun = _DOC_WORD.search(question)
    if noun and meta.kind and (noun.group(1).lower() == "letter") == ("letter" in meta.kind.lower()):
        score += 1
    if meta.date and re.search(r"\b" + meta.date[:4] + r"\b", question):
        score += 1
    return score


def _kind_fits(question: str, kind: str | None) -> bool:
    """"Who wrote the letter?" is about a letter, not the news report that quotes it."""
    m = _AUTHOR_Q.search(question)
    noun = next((g for g in (m.groups() if m else ()) if g), None)
    if noun is None or kind is None:
        return True
    return (noun == "letter") == ("letter" in kind.lower())


def _date_forms(iso: str) -> list[str]:
    """How a date may be written in a page: 7/30/2023, 30/07/2023, July 30, 2023, 30 July 2023 …"""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return []
    month = _MONTHS[d.month - 1]
    return [f"{d.month}/{d.day}/{d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}",
            f"{d.month:02d}/{d.day:02d}/{d.year}", f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}", iso]


def _line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The line of ``text`` holding ``[start, end)``, without its bullet or surrounding spaces."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    while line_start < start and text[line_start] in " \t•·*-–":
        line_start += 1
    while line_end > end and text[line_end - 1] in " \t":
        line_end -= 1
    return line_start, line_end


def answer_about(question: str, index: LoadedIndex, hits: list[Hit]) -> Answer | None:
    """A cited answer from the byline or dateline of the best matching document, if it has one."""
    field = about_field(question)
    if field is None:
        return None
    # The document the question is about: the one whose author or publisher it names, else the best
    # retrieved one sharing two title words with it. Only that one: never a neighbour's byline or date.
    # ("the 2022 letter": the document dated so, wherever its passages rank)
    docs = list(dict.fromkeys([*sorted(dated_documents(question, index)), *(h.passage.doc_id for h in hits[:3])]))
    scores = {d: _describes(question, index.documents[d].meta) for d in docs}
    named = [d for d in docs if scores[d] >= 10]
    doc_id = named[0] if named else next((d for d in docs if scores[d] >= 2), None)
    if doc_id is None:
        return None
    doc = index.documents[doc_id]
    if not _kind_fits(question, doc.meta.kind) or not _DOC_WORD.search(question):
        return None
    if field == "date" and _SENT_Q.search(question) and "letter" not in (doc.meta.kind or "").lower():
        return None  # when a letter was sent is not when a report of it was published
    return cite_field(question, index, hits, doc_id, field)


_NAMED_THING = re.compile(r"\b(review|report|plan|letter|article|complaint|super-complaint|investigation|charter|scheme)\b",
                          re.I)
# "when was that sent?", "when did it come out?": the date of the document the conversation is on
_IT_DATED_Q = re.compile(r"^\W*(?:and\s+|so\s+)?when\s+(?:was|were|did)\s+(?:that|this|it|the)\s+"
                         r"(?:(?:open\s+)?(?:" + _WRITINGS + r")\s+)?(?:get\s+)?(?P<verb>sent|send|"
                         r"published|publish|released|release|written|write|issued|posted|put out|come out|came out|"
                         r"go up|went up)\b", re.I)


# "when was that?" after "who wrote to the Home Secretary about ...?": when the writing was sent
_WHEN_WAS_THAT = re.compile(r"^\W*(?:and\s+|so\s+)?when(?:\s+(?:was|is)\s+(?:that|this|it))?\W*$", re.I)
# "when did they send it?": the writers' act, dated as the letter is
_THEY_DATED_Q = re.compile(r"^\W*(?:and\s+|so\s+)?when\s+did\s+(?:they|he|she|we)\s+(?P<verb>send|write|publish|"
                           r"release|issue|sign)\b", re.I)
_WROTE = re.compile(r"\b(?:wrote|written|write|sent|send|signed)\b", re.I)
# "what was the date on it?", "what's it dated?": the date the document carries
_DATE_ON_IT = re.compile(r"^\W*(?:and\s+|so\s+|ok\s+)?(?:what(?:['’]s|\s+is|\s+was)\s+the\s+date\s+(?:on|of)\s+(?:it|that|this)|"
                         r"what(?:['’]s|\s+is|\s+was)\s+(?:it|that|this)\s+dated)\W*$", re.I)


def answer_date_of_last(question: str, query: str, index: LoadedIndex, hits: list[Hit], doc_id: str,
                        last_question: str = "") -> Answer | None:
    """For "when was that sent?": the dateline of ``doc_id``, the document the last answer quoted,
    when it is among ``hits``; "sent" or "written" only of a letter (a news report about a letter
    is dated when the report was published, not when the letter was sent). Not when the question,
    resolved as ``query``, is about another thing ("it" after "what did the Casey review find?");
    "when was that?" after ``last_question`` "who wrote to ...?" asks when it was sent."""
    m = _IT_DATED_Q.match(question) or _THEY_DATED_Q.match(question)
    verb = m.group("verb").lower() if m else "sent" if _WHEN_WAS_THAT.match(question) and _WROTE.search(last_question) \
        else "dated" if _DATE_ON_IT.match(question) else None
    if verb is None or doc_id not in {h.passage.doc_id for h in hits}:
        return None
    meta = index.documents[doc_id].meta
    kind = (meta.kind or "").lower()
    named = {n.lower() for n in _NAMED_THING.findall(query)}
    if named - set(re.findall(r"[a-z]+", f"{meta.title} {kind}".lower())):
        return None
    if verb in ("sent", "send", "written", "write", "sign") and "letter" not in kind:
        return None
    return cite_field(question, index, hits, doc_id, "date")


def cite_field(question: str, index: LoadedIndex, hits: list[Hit], doc_id: str, field: str) -> Answer | None:
    """The answer quoting the line of ``doc_id``'s text that shows its ``field`` value, if it does."""
    hit = next((h for h in hits if h.passage.doc_id == doc_id), None)
    if hit is None:
        return None
    doc = index.documents[doc_id]
    value = getattr(doc.meta, field)
    if not value:
        return None
    forms = _date_forms(value) if field == "date" else [value]
    found = next(((doc.text.find(f), f) for f in forms if f in doc.text), None)
    if found is None:
        return None  # the text does not show it; the ordinary answerer takes the question
    start, end = _line_around(doc.text, found[0], found[0] + len(found[1]))
    quote = doc.text[start:end]
    meta = doc.meta
    holder = next((h.passage for h in hits if h.passage.doc_id == doc_id and h.passage.start <= start < h.passage.end),
                  hit.passage)
    citation = Citation(1, doc_id, meta.title, meta.source, meta.date, quote, start, end, holder.passage_id)
    text = f"“{meta.title}”: {quote} [1]"
    return Answer(question, text, False, [citation], hits, notes=[f"answered from the document's {field} line"])


# "source?", "link pls", "where's that from?", "which document says that?": where the last answer's words are from
SOURCE_OF_LAST = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?(?:(?:what|which)(?:'s|’s|\s+is|\s+are|\s+was)?\s+(?:the\s+|your\s+|its\s+)?)?"
    r"(?:sources?|links?|refs?|references?|citations?)(?:\s+(?:for|of|on)\s+(?:that|this|it))?(?:\s+(?:pls|please))?\W*$|"
    r"^\W*(?:and\s+|so\s+)?where(?:'s|’s|\s+is|\s+does|\s+did|\s+was)?\s+(?:that|this|it)\s+(?:come\s+|coming\s+)?from\W*$|"
    r"^\W*(?:and\s+|so\s+)?(?:which|what)\s+(?:document|report|article|letter|source|paper|piece)\s+"
    r"(?:says|said|is|was)\s+(?:that|this|it)(?:\s+(?:in|from))?\W*$", re.I)


def answer_source_of_last(question: str, index: LoadedIndex, quotes: list[tuple[str, int]]) -> Answer | None:
    """For "source?" or "where's that from?": the documents the last answer quoted (``quotes``: their
    documents and starts), each with its publisher and date, citing the sentence quoted from it."""
    if not SOURCE_OF_LAST.match(question) or not quotes:
        return None
    citations: list[Citation] = []
    for doc_id, start in quotes:
        doc = index.documents.get(doc_id)
        found = index.sentences.at(doc_id, start) if doc is not None else None
        if found is None or any(c.doc_id == doc_id for c in citations):
            continue  # one line for each document
        holder = index.passage_holding(found[0])
        if holder is None:
            continue
        meta = doc.meta
        citations.append(Citation(len(citations) + 1, doc_id, meta.title, meta.source, meta.date,
                                  doc.text[found[1] : found[2]], found[1], found[2], holder.passage_id))
    if not citations:
        return None
    lines = [f"“{c.title}”" + "".join(f", {v}" for v in (c.source, c.date) if v) + f" [{c.n}]" for c in citations]
    return Answer(question, "From " + "; ".join(lines) + ".", False, citations,
                  notes=["the documents the last answer quoted"])
