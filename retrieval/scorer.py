"""Scoring the candidate sentences and judging whether to answer at all: the candidate, the features
the fitted sentence scorer reads, and the fitted model of whether the documents answer the question
(both fitted by ``python -m eval.fit_answerer``)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from retrieval.questions import ASKS_NAME, ROLE
from retrieval.slots import gives_name, slot_match
from retrieval.textutil import ANAPHOR_START, is_person, proper_names


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
    prev_dense: float = 0.0
    prev_coverage: float = 0.0
    passage_dense: float = 0.0
    restates: bool = False  # a document's first sentence, when the question names the document: no answer to it
    score: float = 0.0
    vector: np.ndarray | None = field(default=None, repr=False)
    features: np.ndarray | None = field(default=None, repr=False)


def best_first(cands: list["Candidate"], n: int | None) -> list["Candidate"]:
    """The ``n`` best-scored candidates, best first (all of them for None)."""
    return sorted(cands, key=lambda c: -c.score)[:n]


TYPED = ("count", "when", "who", "name", "where")
ABSTAIN_FEATURES = (
    "bias", "best_score", "best_dense", "unknown_words", "typed", "slot_best", "unknown_name", "name_missing",
)
# NOTE: fitted by `python -m eval.fit_answerer` (logistic regression: is the question answerable?)
# on eval/gold.jsonl; the decision threshold is Settings.abstain_threshold.
ABSTAIN_WEIGHTS = np.array([-1.916, 3.914, -0.551, -0.770, -4.363, 3.955, -3.369, -0.957], dtype=np.float32)


@dataclass
class Judgement:
    """Why the answerer answered or abstained (for calibration and evaluation)."""

    features: np.ndarray
    answerable: float  # probability that the documents answer the question

    def at_least(self, floor: float) -> "Judgement":
        """This judgement, lifted to ``floor`` by a rule that finds what is asked."""
        return Judgement(self.features, max(self.answerable, floor))

    def at_most(self, ceiling: float) -> "Judgement":
        """This judgement, lowered to ``ceiling`` by a rule that finds the documents do not say."""
        return Judgement(self.features, min(self.answerable, ceiling))


def judge(cands: list["Candidate"], unknown: float, kind: str = "other", unknown_name: bool = False,
          question: str = "") -> Judgement:
    """How likely the best candidates answer the question at all."""
    typed = 1.0 if kind in TYPED else 0.0
    asks_name = bool(ASKS_NAME.search(question))
    if not cands:
        features = np.array([1.0, 0.0, 0.0, unknown, typed, 0.0, float(unknown_name), float(asks_name)],
                            dtype=np.float32)
    else:
        top = max(cands, key=lambda c: c.score)
        leaders = best_first(cands, 3)
        slot = max((c.score for c in leaders if c.features is not None and c.features[6] > 0), default=0.0)
        missing = asks_name and not any(gives_name(c.text, question) for c in best_first(cands, 2))
        features = np.array(
            [1.0, top.score, max(c.dense for c in cands), unknown, typed, slot * typed, float(unknown_name),
             float(missing)],
            dtype=np.float32,
        )
    return Judgement(features, float(1.0 / (1.0 + np.exp(-(features @ ABSTAIN_WEIGHTS)))))


TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")

FEATURES = (
    "bias", "dense", "coverage", "passage_rank", "heading", "log_words", "type_match", "type_missing",
    "novel_names", "prev_dense", "prev_coverage", "anaphor_start", "role_mention", "dense_rank",
    "passage_dense",
)

# NOTE: fitted by `python -m eval.fit_answerer` (logistic regression: does the sentence contain a gold
# answer?) on eval/gold.jsonl; refit when features change. Order follows FEATURES.
SCORER_WEIGHTS = np.array([-1.398, 4.563, 3.580, 1.130, -0.495, -0.604, 0.270, -2.090, 1.167, -0.002, 2.486, -0.111, 0.558, 0.805, 0.323], dtype=np.float32)


def candidate_features(c: "Candidate", kind: str, question: str) -> list[float]:
    """The scorer's inputs for one candidate sentence (the last, dense_rank, is filled in later)."""
    words = len(c.text.split())
    names = proper_names(c.text)
    q_lower = question.lower()
    novel = [n for n in names if n.lower() not in q_lower]
    match = slot_match(c.text, question, kind)
    return [
        1.0,
        c.dense,
        c.coverage,
        1.0 / c.rank,
        0.0 if TERMINAL.search(c.text) else 1.0,
        math.log1p(words),
        1.0 if match else 0.0,
        1.0 if kind in TYPED and not match else 0.0,
        min(len(novel), 3) / 3.0,
        c.prev_dense,
        c.prev_coverage,
        1.0 if ANAPHOR_START.search(c.text) else 0.0,
        1.0 if kind == "who" and ROLE.search(c.text) and any(is_person(n) for n in novel) else 0.0,
        0.0,
        c.passage_dense,
    ]


def fits_slot(c: Candidate) -> bool:
    """Does the scored candidate hold what a name, date or count question asks for?"""
    return c.features is not None and c.features[FEATURES.index("type_match")] > 0
