"""Staff briefings: key points, disagreements, a timeline and who is who, every line cited.

    briefing = build_briefing(engine, "the criticism of the New Met for London plan")
    print(briefing.to_markdown())          # or briefing.to_html(), briefing.to_dict()

Extractive like the answerer, no LLM: the topic is searched (with a second query widened by
the names the best passages mention), the sentences of the retrieved passages are scored
against it (their precomputed vectors, and the share of the topic's rare words they hold),
and the briefing is assembled from verbatim sentences only:

- key points are picked by maximal marginal relevance over the sentence vectors, so they are
  relevant and say different things; another document saying the same is cited alongside;
- sentences of different documents about the same thing that give different counts are shown
  side by side ("Where sources differ");
- publication dates (metadata) and dates written in the text make the timeline;
- names with their roles come from general patterns (titles, appositives, "X spokeswoman Y").

Every citation is a ``Citation`` whose quote is ``document.text[start:end]``; numbering runs
once through the whole briefing, and the sources list only the documents cited.

The pieces live beside this module: ``briefing`` (the dataclasses), ``brief_points`` (sentences and
key points), ``brief_timeline`` (dates), ``brief_people`` (who is who) and ``brief_render`` (Markdown, HTML).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from retrieval.brief_people import Entities, capitalised_runs
from retrieval.brief_points import ABSTAIN_BELOW, Sent, clean, same_elsewhere, select_points, units
from retrieval.brief_render import NOT_COVERED
from retrieval.brief_timeline import FULL_DATE, MONTH_YEAR, is_dateline, timeline
from retrieval.briefing import Briefing, Difference, Entity, KeyPoint, Side, TimelineEntry
from retrieval.search import LoadedIndex
from retrieval.textutil import STOPWORDS, content_words, count_numbers, leans_on_previous, normalise, proper_names
from retrieval.types import Citation, DocMeta, Hit, Passage

# --------------------------------------------------------------------------- tuning
MAX_TOPIC_CHARS = 300
SEARCH_K = 18  # NOTE: passages per query; reaches every on-topic passage of the bundled corpus at 600-1000 char chunks
COVERAGE_WEIGHT = 0.3  # NOTE: half the answerer's weight; briefing topics are phrases, not questions
RANK_PENALTY = 0.004  # per rank below the first, so later passages break ties only
PHRASE_BONUS = 0.1  # for a sentence holding a name the topic gives; twice this for a document holding them all
DOC_MARGIN = 0.22  # a document is on topic when its best sentence is within this of the overall best
UNNAMED_DOC_MARGIN = 0.1  # ... and within this when the topic names something it does not mention
DIFFER_SIMILARITY = 0.55  # NOTE: sentences this close are about the same fact; on the bundled corpus the
#                           "26" and "Thirty" sentences score ~0.6, unrelated counts below 0.45
EVENT_FLOOR = 0.15  # a dated sentence must score this (similarity and word coverage) to enter the timeline
MAX_PEOPLE, MAX_ORGS = 10, 10


# --------------------------------------------------------------------------- sentences
_FURNITURE = re.compile(
    r"^(by:?\s|published( on)?:?|posted( on)?:?|updated:?|dear\s|yours (sincerely|faithfully)|kind regards|"
    r"press (queries|enquiries|contact)|media (queries|enquiries|contact)|find out more|read more|click here|"
    r"sign up|subscribe|follow us|share this|related (stories|articles)|you may also like|source link|"
    r"skip to|photo:|image:|getty images|#)|"
    r"cookie|privacy policy|all rights reserved|©|\b\d+ (views|min(ute)?s? read)\b",
    re.IGNORECASE,
)


_INSTRUCTION = re.compile(
    r"^(please\s+)?(brief me on|give me (an? )?(overview|briefing|summary|rundown) (of|on)|"
    r"summari[sz]e|an? (overview|briefing|summary) (of|on)|what (do|does) the documents? say about|"
    r"tell me (about|what the documents say about))\s+",
    re.IGNORECASE,
)


def _query(topic: str) -> str:
    """The topic as a search query: instructions ("Brief me on ...") dropped."""
    query = _INSTRUCTION.sub("", topic).rstrip(" ?.!")
    return query or topic


class _Scorer:
    """Topic relevance of sentences: vector similarity, the share of the topic's rare words held,
    and the names the topic mentions ("New Met for London") found in the sentence or its document."""

    def __init__(self, index: LoadedIndex, topic: str, vector: np.ndarray, docs: list[str], unranked: int) -> None:
        self.index = index
        self.vector = vector
        self.unranked = unranked
        n = max(1, len(index.passages))
        self.words: list[tuple[set[str], float]] = []
        for word in sorted(set(content_words(topic))):
            stems = set(index.bm25.tokens(word))
            if not stems:
                continue
            df = min(index.bm25.doc_freq(s) for s in stems)
            self.words.append((stems, math.log(1 + (n - df + 0.5) / (df + 0.5))))
        self.total = sum(w for _, w in self.words) or 1.0
        texts = {d: normalise(index.documents[d].text) for d in docs}
        self.phrases = _topic_phrases(topic, list(texts.values()))
        self.named: dict[str, float] = {}  # doc id -> share of the topic's names it mentions
        for d, text in texts.items():
            held = sum(p in text or p == (index.documents[d].meta.date or "")[:4] for p in self.phrases)
            if held:
                self.named[d] = held / len(self.phrases)

    def score(self, s: Sent) -> None:
        s.dense = float(s.vec @ self.vector)
        held = frozenset(self.index.bm25.tokens(s.text))
        s.stems = held
        s.coverage = sum(w for stems, w in self.words if stems <= held) / self.total
        rank_term = RANK_PENALTY * ((s.rank or self.unranked) - 1)
        s.base = s.dense + COVERAGE_WEIGHT * s.coverage
        s.rel = s.base - rank_term
        if s.doc_id in self.named:
            s.rel += 2 * PHRASE_BONUS * self.named[s.doc_id]
            if any(p in normalise(s.text) for p in self.phrases):
                s.rel += PHRASE_BONUS


def _topic_phrases(topic: str, texts: list[str]) -> list[str]:
    """Names in the topic that pick out documents (of ``texts``, the retrieved ones, normalised):
    several words, or one word most of them lack; and years."""
    out = []
    for name in proper_names(topic):
        phrase = normalise(name)
        if not re.search(r"[a-z]{2}", phrase):
            continue
        holding = sum(phrase in t for t in texts)
        if holding and (len(phrase.split()) >= 2 or holding <= len(texts) / 2):
            out.append(phrase)
    out.extend(re.findall(r"\b(?:19|20)\d{2}\b", topic))  # "the 2022 open letter"
    return out


def _retrieve(engine: Any, index: LoadedIndex, query: str) -> tuple[list[Hit], np.ndarray]:
    """Hits for the topic, then for the topic widened by the names its best passages mention.

    The topic is encoded once (encoding is the slow part); the widened query changes what
    BM25 sees and reuses the topic's vector for the dense rankers.
    """
    vector = engine.encoder.encode_one(query)
    hits = index.search(query, vector, SEARCH_K)
    names: dict[str, int] = {}
    for hit in hits[:3]:
        for name in capitalised_runs(hit.passage.text):
            if name.lower() not in query.lower():
                names[name] = names.get(name, 0) + 1
    extra = [n for n, c in sorted(names.items(), key=lambda kv: -kv[1]) if c > 1][:3]
    if extra:
        best = {h.passage.passage_id: h for h in hits}
        for h in index.search(f"{query} {' '.join(extra)}", vector, SEARCH_K):
            if h.passage.passage_id not in best:
                best[h.passage.passage_id] = Hit(h.passage, h.score, len(best) + 1)
        hits = list(best.values())
    return hits, vector


def _doc_sentences(index: LoadedIndex, doc_id: str) -> list[Sent]:
    text = index.documents[doc_id].text
    out = []
    for row, start, end in index.sentences.in_span(doc_id, 0, len(text) + 1):
        piece = text[start:end]
        before = text[max(0, start - 1) : start]
        after = text[end : end + 1]
        out.append(
            Sent(row, doc_id, start, end, piece, np.asarray(index.sentences.vectors[row], dtype=np.float32),
                  line=before in ("", "\n") and after in ("", "\n"),
                  furniture=bool(_FURNITURE.search(piece)) or is_dateline(piece))
        )
    return out


# --------------------------------------------------------------------------- citations
class _Register:
    """Numbers citations in order of first use across the whole briefing."""

    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        self.numbers: dict[tuple[str, int, int], int] = {}
        self.citations: list[Citation] = []
        self._passages: dict[str, list[Passage]] = {}
        for p in index.passages:
            self._passages.setdefault(p.doc_id, []).append(p)

    def _passage_id(self, doc_id: str, start: int, end: int) -> str:
        holding = [p for p in self._passages.get(doc_id, []) if p.start <= start < p.end]
        inside = [p for p in holding if end <= p.end]
        return (inside or holding or [Passage("", doc_id, 0, 0, "")])[0].passage_id

    def cite(self, doc_id: str, start: int, end: int) -> int:
        key = (doc_id, start, end)
        if key not in self.numbers:
            n = len(self.citations) + 1
            doc = self.index.documents[doc_id]
            meta = doc.meta
            self.citations.append(
                Citation(n, doc_id, meta.title, meta.source, meta.date, doc.text[start:end], start, end,
                         self._passage_id(doc_id, start, end))
            )
            self.numbers[key] = n
        return self.numbers[key]

    def cite_all(self, spans: list[tuple[str, int, int]]) -> tuple[int, ...]:
        return tuple(dict.fromkeys(self.cite(*s) for s in spans))

    def sources(self) -> list[DocMeta]:
        seen = dict.fromkeys(c.doc_id for c in self.citations)
        return [self.index.documents[d].meta for d in seen]


# --------------------------------------------------------------------------- differences
@dataclass(frozen=True)
class _Figure:
    """A count written in a sentence: its value, as written, and what it counts when the text says."""

    value: float
    written: str
    counts: str | None


def _figures(text: str) -> list[_Figure]:
    """The counts in ``text``, leaving out the days of dates ("12 March 2024")."""
    dates = [m.span() for pattern in (FULL_DATE, MONTH_YEAR) for m in pattern.finditer(text)]
    out = []
    for value, start, end in count_numbers(text):
        if any(a <= start < b for a, b in dates):
            continue
        written = text[start:end]
        out.append(_Figure(value, written, _counted_noun(text[end:])))
    return out


def _same_thing(a: str | None, b: str | None) -> bool:
    """Whether two counted phrases name the same thing ("library posts" / "library posts")."""
    if not a or not b:
        return False
    return a.lower().split()[-1].rstrip("s") == b.lower().split()[-1].rstrip("s")


def _differences(pool: list[Sent], floor: float) -> list[list[tuple[Sent, _Figure]]]:
    """Sentences of different documents about the same fact that give different counts.

    Either both count the same named thing ("12 library posts" / "15 library posts") in sentences
    that are at least loosely related, or the sentences are close and share no figure at all
    ("A group of 26 racial justice organisations ..." / "Thirty of London's ... bodies ...").
    """
    counted = [(s, _figures(s.text)) for s in pool if not s.furniture and s.words >= 6]
    counted = [(s, f) for s, f in counted if f]
    pairs = []
    for i, (a, fa) in enumerate(counted):
        for b, fb in counted[i + 1 :]:
            if a.doc_id == b.doc_id or max(a.rel, b.rel) < floor:
                continue  # one side at least must be about the topic; the other may say it differently
            sim = float(a.vec @ b.vec)
            named = [(x, y) for x in fa for y in fb if _same_thing(x.counts, y.counts)]
            if named and sim >= DIFFER_SIMILARITY - 0.2:
                x, y = named[0]
                if x.value != y.value:
                    pairs.append((sim, a, x, b, y))
            elif sim >= DIFFER_SIMILARITY and not ({x.value for x in fa} & {y.value for y in fb}):
                pairs.append((sim, a, fa[0], b, fb[0]))
    groups: list[list[tuple[Sent, _Figure]]] = []
    used: set[tuple[str, int]] = set()
    for _sim, a, x, b, y in sorted(pairs, key=lambda p: -p[0]):
        if (a.doc_id, a.start) in used or (b.doc_id, b.start) in used:
            continue
        used.update({(a.doc_id, a.start), (b.doc_id, b.start)})
        groups.append([(a, x), (b, y)])
    return groups[:3]


def _counted_noun(after: str) -> str | None:
    """The words a figure counts, from the text after it: " racial justice organisations has ..." ->
    "racial justice organisations"."""
    words = []
    for word in after.split()[:5]:
        bare = word.rstrip(",.;:”’\"')")
        if not bare.isalpha() or bare.lower() in STOPWORDS:
            break
        words.append(bare)
        if bare != word:
            break
    return " ".join(words) or None


# --------------------------------------------------------------------------- assembling
def build_briefing(engine: Any, topic: str, today: date | None = None) -> Briefing:
    """A staff briefing on ``topic`` from the engine's documents.

    Args:
        engine: an ``Engine`` (its ``loaded`` index and ``encoder`` are used).
        topic: what the briefing is about, in the user's words.
        today: the date printed as "generated" (default: today).

    Returns:
        A ``Briefing``; ``covered`` is False, with a plain message and no key points, when the
        documents do not cover the topic.
    """
    topic = clean(topic)[:MAX_TOPIC_CHARS]
    generated = (today or date.today()).isoformat()
    index: LoadedIndex = engine.loaded
    n_docs = len(index.documents)
    if not topic or not re.search(r"\w", topic):
        return Briefing(topic, generated, False, "Please give a topic for the briefing.", documents_searched=n_docs)
    if not index.passages:
        return Briefing(topic, generated, False, "No documents are indexed yet.", documents_searched=n_docs)

    by_doc, named = _scored_documents(engine, index, _query(topic))
    docs = _topic_documents(by_doc, named)
    if not docs:
        message = (f"{NOT_COVERED} None of the {n_docs} indexed documents says enough about "
                   f"“{topic}” to brief on it, so there are no key points, timeline or people to report.")
        return Briefing(topic, generated, False, message, documents_searched=n_docs)

    reg = _Register(index)
    sentences = [s for d in docs for s in by_doc[d]]
    points = _summary(index, reg, by_doc, sentences)
    differences = _where_sources_differ(reg, sentences)
    entries = [
        TimelineEntry(d.key, d.when, clean(d.text), reg.cite_all([(s.doc_id, s.start, s.end) for s in d.sents]),
                      d.kind)
        for d in timeline(index, docs, by_doc, EVENT_FLOOR)
    ]
    entities = _people_and_organisations(index, reg, sentences, list(by_doc))
    return Briefing(topic, generated, True, None, points, differences, entries, entities,
                    reg.citations, reg.sources(), n_docs)


def _scored_documents(engine: Any, index: LoadedIndex, query: str) -> tuple[dict[str, list[Sent]], set[str]]:
    """Every sentence of every retrieved document, scored against the topic; and the documents
    holding names the topic gives."""
    hits, vector = _retrieve(engine, index, query)
    retrieved = list(dict.fromkeys(h.passage.doc_id for h in hits))
    scorer = _Scorer(index, query, vector, retrieved, len(hits) + 1)
    rank_of: dict[tuple[str, int], int] = {}
    for hit in hits:
        p = hit.passage
        for _, start, _end in index.sentences.in_span(p.doc_id, p.start, p.end):
            rank_of.setdefault((p.doc_id, start), hit.rank)
    by_doc: dict[str, list[Sent]] = {}
    for doc_id in retrieved:
        sents = _doc_sentences(index, doc_id)
        for s in sents:
            s.rank = rank_of.get((doc_id, s.start))
            scorer.score(s)
        by_doc[doc_id] = sents
    return by_doc, set(scorer.named)


def _topic_documents(by_doc: dict[str, list[Sent]], named: set[str]) -> list[str]:
    """The documents the briefing draws on, best first; none when even the best sentence is weak."""
    doc_best = {
        d: max((s.rel for s in sents if s.rank is not None and s.content), default=0.0) for d, sents in by_doc.items()
    }
    best = max(doc_best.values(), default=0.0)
    if best < ABSTAIN_BELOW:
        return []
    named &= set(by_doc)

    def margin(doc_id: str) -> float:
        return DOC_MARGIN if not named or doc_id in named else UNNAMED_DOC_MARGIN

    ranked = sorted(doc_best, key=lambda d: -doc_best[d])
    return [d for d in ranked if doc_best[d] >= max(ABSTAIN_BELOW, best - margin(d))]


def _summary(
    index: LoadedIndex, reg: _Register, by_doc: dict[str, list[Sent]], sentences: list[Sent]
) -> list[KeyPoint]:
    """Key points from the retrieved passages of the topic's documents, each with its corroboration."""
    retrieved = [s for s in sentences if s.rank is not None]
    chosen = select_points(units(index, retrieved, by_doc))
    taken = {(g.doc_id, g.start) for u in chosen for g in u.sents}
    points = []
    for unit in chosen:
        spans = [(unit.doc_id, unit.start, unit.end)]
        for other in same_elsewhere(unit, sentences, taken):
            spans.append((other.doc_id, other.start, other.end))
            taken.add((other.doc_id, other.start))
        # Lead with a version that reads on its own ("They said ..." needs what came before).
        spans.sort(key=lambda sp: leans_on_previous(index.documents[sp[0]].text[sp[1] : sp[2]]))
        doc_id, start, end = spans[0]
        points.append(KeyPoint(clean(index.documents[doc_id].text[start:end]), reg.cite_all(spans)))
    return points


def _where_sources_differ(reg: _Register, sentences: list[Sent]) -> list[Difference]:
    """Figures the topic's documents give differently, each side cited."""
    differences = []
    for group in _differences(sentences, ABSTAIN_BELOW):
        sides = tuple(Side(f.written, clean(s.text), reg.cite_all([(s.doc_id, s.start, s.end)])) for s, f in group)
        differences.append(Difference(sides, next((f.counts for _, f in group if f.counts), None)))
    return differences


def _people_and_organisations(index: LoadedIndex, reg: _Register, sentences: list[Sent],
                              retrieved: list[str]) -> list[Entity]:
    """People first, then organisations; those with a role, then by how much the topic's sentences say."""
    lowercase = set(re.findall(r"\b[a-z][a-z’'\-]+\b", " ".join(index.documents[d].text for d in retrieved)))
    finder = Entities(lowercase)
    for s in sentences:
        if not s.furniture and not s.caption:
            finder.scan(s)
    found = sorted(finder.build(), key=lambda g: (g.role is None, -g.weight))
    entities = []
    for kind, limit in (("person", MAX_PEOPLE), ("organisation", MAX_ORGS)):
        for group in [g for g in found if g.kind == kind][:limit]:
            s = group.role_sent or max(group.sents, key=lambda x: x.rel)
            entities.append(Entity(group.name, kind, group.role, reg.cite_all([(s.doc_id, s.start, s.end)])))
    return entities
