"""The extractive answerer: verbatim sentences from the retrieved passages, each cited.

No LLM: sentences are scored by what they say about the question (their precomputed vectors
against the query, the share of the question's rare words they contain, the answer type the
question asks for), the best are kept, sources that say the same are cited together, and
sources that give different figures are shown side by side. When nothing scores high enough
the answer says the documents do not cover the question.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from citebot.settings import Settings
from retrieval.search import LoadedIndex
from retrieval.textutil import content_words, count_numbers, proper_names
from retrieval.types import Answer, Citation, Hit

ABSTAIN_TEXT = "The documents do not answer this question."

_COUNT_Q = re.compile(r"\bhow (many|much)\b|\bwhat (number|percentage|proportion|share)\b|\bnumber of\b", re.I)
_WHEN_Q = re.compile(r"\bwhen\b|\bwhat (year|date|month|day)\b|\bwhich (year|date|month)\b", re.I)
_WHO_Q = re.compile(r"\bwho\b|\bwhose\b|\bwhich (group|organisation|organization|person|people|body|bodies|charity|campaign)", re.I)
_LIST_Q = re.compile(
    r"\b(which|what) (groups|organisations|organizations|people|individuals|bodies|measures|changes|"
    r"incidents|demands|criticisms|concerns|tactics|technologies|issues|examples|steps|deaths|names)\b|"
    r"\bwho (signed|were|are)\b|\blist\b|\bname (the|all|some)\b|\bwhat (are|were) the\b|\bwhat did .* (call|demand|urge|ask)",
    re.I,
)
_DATE = re.compile(
    r"\b(19|20)\d{2}\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)


@dataclass
class Candidate:
    """A sentence that might answer the question."""

    row: int
    doc_id: str
    start: int
    end: int
    text: str
    passage_id: str
    rank: int
    dense: float = 0.0
    coverage: float = 0.0
    score: float = 0.0
    vector: np.ndarray | None = field(default=None, repr=False)


@dataclass
class Judgement:
    """The answerer's decision, kept for evaluation and calibration."""

    support: float
    coverage: float
    dense: float


def question_kind(question: str) -> str:
    if _COUNT_Q.search(question):
        return "count"
    if _LIST_Q.search(question):
        return "list"
    if _WHEN_Q.search(question):
        return "when"
    if _WHO_Q.search(question):
        return "who"
    return "other"


class ExtractiveAnswerer:
    """Composes short cited answers from the sentences of the retrieved passages."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # ----------------------------------------------------------------- candidates
    def _idf(self, index: LoadedIndex, words: list[str]) -> dict[str, float]:
        """Inverse document frequency of each word over the passages (stemmed as BM25 sees it)."""
        n = max(1, len(index.passages))
        out = {}
        for word in words:
            stems = index.bm25.tokens(word)
            df = index.bm25.doc_freq(stems[0]) if stems else 0
            out[word] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return out

    def candidates(self, index: LoadedIndex, hits: list[Hit], query_vector: np.ndarray, query: str) -> list[Candidate]:
        seen: set[tuple[str, int]] = set()
        out: list[Candidate] = []
        words = sorted(set(content_words(query)))
        idf = self._idf(index, words)
        total = sum(idf.values()) or 1.0
        stems = {w: set(index.bm25.tokens(w)) for w in words}
        for hit in hits[: self.settings.answer_passages]:
            p = hit.passage
            doc = index.documents[p.doc_id]
            for row, start, end in index.sentences.in_span(p.doc_id, p.start, p.end):
                if (p.doc_id, start) in seen:
                    continue
                seen.add((p.doc_id, start))
                text = doc.text[start:end]
                vec = np.asarray(index.sentences.vectors[row], dtype=np.float32)
                sent_stems = set(index.bm25.tokens(text))
                covered = sum(idf[w] for w in words if stems[w] and stems[w] <= sent_stems)
                out.append(
                    Candidate(row, p.doc_id, start, end, text, p.passage_id, hit.rank,
                              dense=float(vec @ query_vector), coverage=covered / total, vector=vec)
                )
        return out

    def score(self, cands: list[Candidate], kind: str) -> None:
        s = self.settings
        for c in cands:
            bonus = 0.0
            words = len(c.text.split())
            if kind == "count" and count_numbers(c.text):
                bonus += 0.08
            if kind == "when" and _DATE.search(c.text):
                bonus += 0.08
            if kind in ("who", "list") and proper_names(c.text):
                bonus += 0.03
            if words < 6:
                bonus -= 0.15  # headings and labels rarely answer anything
            c.score = c.dense + s.coverage_weight * c.coverage + bonus - 0.01 * (c.rank - 1)

    # ----------------------------------------------------------------- compose
    def answer(
        self,
        question: str,
        query: str,
        index: LoadedIndex,
        hits: list[Hit],
        query_vector: np.ndarray,
        avoid: set[tuple[str, int]] | None = None,
    ) -> tuple[Answer, Judgement]:
        """An Answer for ``question`` (``query`` is the question resolved against the conversation)."""
        kind = question_kind(question)
        cands = self.candidates(index, hits, query_vector, query)
        self.score(cands, kind)
        if avoid:
            for c in cands:
                if (c.doc_id, c.start) in avoid:
                    c.score -= 0.2  # a follow-up wants something new, not the last answer again
        cands.sort(key=lambda c: -c.score)
        if not cands:
            return self._abstain(question, index, hits), Judgement(0.0, 0.0, 0.0)
        best = cands[0]
        judgement = Judgement(best.score, max(c.coverage for c in cands[:3]), best.dense)
        if best.score < self.settings.abstain_threshold:
            return self._abstain(question, index, hits), judgement

        chosen = self._select(cands, kind)
        groups = [[c] + self._corroborating(c, cands, chosen) for c in chosen]
        conflict = self._disagreement(cands, kind) if kind == "count" else None
        if conflict:
            groups = [[c] for c in conflict]
        answer = self._render(question, index, hits, groups, conflict is not None)
        return answer, judgement

    def _select(self, cands: list[Candidate], kind: str) -> list[Candidate]:
        s = self.settings
        limit = s.answer_max_sentences_list if kind == "list" else s.answer_max_sentences
        best = cands[0]
        chosen = [best]
        for c in cands[1:]:
            if len(chosen) >= limit:
                break
            if c.score < best.score - s.answer_margin:
                break
            if any(float(c.vector @ x.vector) > 0.8 for x in chosen):
                continue  # says the same again
            chosen.append(c)
        # Read in document order within a source, best source first.
        order = {doc: i for i, doc in enumerate(dict.fromkeys(c.doc_id for c in chosen))}
        return sorted(chosen, key=lambda c: (order[c.doc_id], c.start))

    def _corroborating(self, c: Candidate, cands: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
        """Sentences in other documents that say the same thing."""
        out = []
        used = {x.doc_id for x in chosen}
        for other in cands:
            if other.doc_id == c.doc_id or other.doc_id in used or other in chosen:
                continue
            if float(other.vector @ c.vector) >= self.settings.corroboration_similarity:
                out.append(other)
                used.add(other.doc_id)
        return out

    def _disagreement(self, cands: list[Candidate], kind: str) -> list[Candidate] | None:
        """The best sentence per source giving a count, when the sources give different counts."""
        best = cands[0]
        per_doc: dict[str, Candidate] = {}
        for c in cands:
            if c.score < best.score - self.settings.answer_margin - 0.05:
                break
            if c.doc_id not in per_doc and count_numbers(c.text) and float(c.vector @ best.vector) > 0.45:
                per_doc[c.doc_id] = c
        values = {}
        for doc_id, c in per_doc.items():
            values[doc_id] = {v for v, _, _ in count_numbers(c.text)}
        distinct = [set(v) for v in values.values()]
        if len(distinct) < 2:
            return None
        if all(d == distinct[0] for d in distinct):
            return None
        if set.intersection(*distinct):
            return None
        return list(per_doc.values())[:3]

    def _render(
        self, question: str, index: LoadedIndex, hits: list[Hit], groups: list[list[Candidate]], conflict: bool
    ) -> Answer:
        citations: list[Citation] = []
        numbers: dict[tuple[str, int], int] = {}
        parts: list[str] = []
        for group in groups:
            markers = ""
            for c in group:
                key = (c.doc_id, c.start)
                if key not in numbers:
                    numbers[key] = len(citations) + 1
                    meta = index.documents[c.doc_id].meta
                    citations.append(
                        Citation(numbers[key], c.doc_id, meta.title, meta.source, meta.date, c.text, c.start,
                                 c.end, c.passage_id)
                    )
                markers += f"[{numbers[key]}]"
            parts.append(f"{group[0].text} {markers}")
        if conflict:
            sides = "; ".join(parts)
            text = f"The sources disagree: {sides}"
        else:
            text = " ".join(parts)
        notes = ["sources disagree"] if conflict else []
        return Answer(question, text, False, citations, hits, notes=notes)

    def _abstain(self, question: str, index: LoadedIndex, hits: list[Hit]) -> Answer:
        nearest = []
        for hit in hits[:3]:
            meta = index.documents[hit.passage.doc_id].meta
            label = f"“{meta.title}”" + (f" ({meta.date})" if meta.date else "")
            if label not in nearest:
                nearest.append(label)
        text = ABSTAIN_TEXT
        if nearest:
            text += " The nearest passages are in " + ", ".join(nearest) + "."
        return Answer(question, text, True, [], hits)
