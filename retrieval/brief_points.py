"""Sentences of a briefing's documents and the key points chosen from them.

A ``Sent`` is one sentence with its scores against the topic; ``units`` joins a sentence that cannot
stand alone with its neighbour, and ``select_points`` picks relevant, mutually different units by
maximal marginal relevance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from retrieval.search import LoadedIndex
from retrieval.textutil import leans_on_previous, quote_balance

# --------------------------------------------------------------------------- tuning
ABSTAIN_BELOW = 0.36  # NOTE: best sentence score; on the bundled corpus off-topic probes (sourdough, football,
#                       volcanoes, Paris weather) peak at 0.06-0.18, real topics score 0.7 and above
MIN_POINTS, MAX_POINTS = 4, 8
POINT_MARGIN = 0.3  # points after the fourth must score within this of the best
MMR_LAMBDA = 0.7  # NOTE: maximal marginal relevance (Carbonell & Goldstein 1998); 0.7 leans to relevance,
#                   set by reading briefings on the gold set's briefing topics
SAME_SIMILARITY = 0.8  # cosine at which two sentences say the same thing (cite both, do not repeat)
MAX_POINT_WORDS = 75


# --------------------------------------------------------------------------- sentences
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")


@dataclass
class Sent:
    """A sentence of a retrieved document with its scores."""

    row: int
    doc_id: str
    start: int
    end: int
    text: str
    vec: np.ndarray = field(repr=False)
    dense: float = 0.0
    coverage: float = 0.0
    rank: int | None = None  # best rank of a retrieved passage holding it; None when not retrieved
    rel: float = 0.0
    base: float = 0.0  # vector similarity and word coverage alone
    stems: frozenset[str] = frozenset()
    line: bool = False  # the sentence is a whole line of the document
    furniture: bool = False

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def caption(self) -> bool:
        """A heading or caption: a whole line without closing punctuation."""
        text = self.text.rstrip()
        return self.line and not _TERMINAL.search(text) and not text.endswith(":")

    @property
    def heading(self) -> bool:
        """A heading, caption or label ("The letter states:")."""
        return self.caption or self.text.rstrip().endswith(":")

    @property
    def content(self) -> bool:
        """Fit to be a key point on its own."""
        return not self.furniture and not self.heading and self.words >= 6


@dataclass
class _Unit:
    """A key-point candidate: one sentence, or two adjacent ones read together."""

    sents: list[Sent]
    vec: np.ndarray = field(repr=False)
    rel: float

    @property
    def stems(self) -> frozenset[str]:
        return frozenset().union(*(s.stems for s in self.sents))

    @property
    def doc_id(self) -> str:
        return self.sents[0].doc_id

    @property
    def start(self) -> int:
        return self.sents[0].start

    @property
    def end(self) -> int:
        return self.sents[-1].end


def clean(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- key points
def same(a: Sent | _Unit, b: Sent | _Unit) -> bool:
    """Whether two passages say the same thing: close vectors, or fairly close and mostly the same words."""
    sim = float(a.vec @ b.vec)
    if sim >= SAME_SIMILARITY:
        return True
    small = min(len(a.stems), len(b.stems)) or 1
    return sim >= SAME_SIMILARITY - 0.15 and len(a.stems & b.stems) / small >= 0.6


def units(index: LoadedIndex, pool: list[Sent], by_doc: dict[str, list[Sent]]) -> list[_Unit]:
    """Key-point candidates. A sentence reads with a neighbour when it cannot stand alone: a label
    ending in a colon ("The letter states:") takes the sentence it introduces; a sentence opening
    with a pronoun, or closing a quotation opened before, takes its predecessor in the paragraph;
    one opening a quotation closed after takes its successor."""
    position = {(s.doc_id, s.start): i for sents in by_doc.values() for i, s in enumerate(sents)}
    units = []
    for s in pool:
        sents = by_doc[s.doc_id]
        text = index.documents[s.doc_id].text
        i = position[(s.doc_id, s.start)]
        prev = sents[i - 1] if i > 0 else None
        nxt = sents[i + 1] if i + 1 < len(sents) else None
        group = [s]
        if s.text.rstrip().endswith(":"):
            if s.furniture or nxt is None or not nxt.content:
                continue
            group = [s, nxt]
        elif not s.content:
            continue
        else:
            balance = quote_balance(s.text)
            if balance > 0 and nxt and nxt.content and "\n" not in text[s.end : nxt.start]:
                group = [s, nxt]
            elif balance < 0 and prev and prev.content and "\n" not in text[prev.end : s.start]:
                group = [prev, s]
            elif leans_on_previous(s.text) and prev and prev.content and _TERMINAL.search(prev.text):
                group = [prev, s]  # "They have challenged ...": the paragraph before says who "they" are
        if sum(g.words for g in group) > MAX_POINT_WORDS:
            if not s.content or s.words > MAX_POINT_WORDS:
                continue
            group = [s]
        vec = np.sum([g.vec for g in group], axis=0)
        vec = vec / (np.linalg.norm(vec) or 1.0)
        rel = s.rel if len(group) == 1 else (s.rel + max(g.rel for g in group)) / 2
        if quote_balance(text[group[0].start : group[-1].end]):
            rel -= 0.08  # a quotation cut short reads badly
        if len(group) == 1 and leans_on_previous(s.text):
            rel -= 0.08  # "they" with no one named before it reads badly too
        units.append(_Unit(group, vec, rel))
    return units


def select_points(units: list[_Unit]) -> list[_Unit]:
    """Relevant and mutually different units, by maximal marginal relevance."""
    if not units:
        return []
    units = sorted(units, key=lambda u: -u.rel)
    best = units[0].rel
    chosen: list[_Unit] = []
    used: set[tuple[str, int]] = set()
    while len(chosen) < MAX_POINTS:
        pick, pick_score = None, -1e9
        for u in units:
            if any((g.doc_id, g.start) in used for g in u.sents):
                continue
            if len(chosen) >= MIN_POINTS and u.rel < best - POINT_MARGIN:
                continue
            if u.rel < ABSTAIN_BELOW - 0.1:
                continue
            if any(same(u, c) for c in chosen):
                continue
            overlap = max((float(u.vec @ c.vec) for c in chosen), default=0.0)
            score = MMR_LAMBDA * u.rel - (1 - MMR_LAMBDA) * overlap
            if score > pick_score:
                pick, pick_score = u, score
        if pick is None:
            break
        chosen.append(pick)
        used.update((g.doc_id, g.start) for g in pick.sents)
    return chosen


def same_elsewhere(unit: _Unit, candidates: list[Sent], taken: set[tuple[str, int]]) -> list[Sent]:
    """The closest sentence of each other document that says the same as ``unit``."""
    best: dict[str, tuple[float, Sent]] = {}
    for s in candidates:
        if s.doc_id == unit.doc_id or s.furniture or s.words < 6 or (s.doc_id, s.start) in taken:
            continue
        sim = float(s.vec @ unit.vec)
        if same(s, unit) and sim > best.get(s.doc_id, (0.0, s))[0]:
            best[s.doc_id] = (sim, s)
    return [s for _, s in sorted(best.values(), key=lambda x: -x[0])]
