"""Plain data passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocMeta:
    """What is known about one document (from the metadata file or its text)."""

    doc_id: str
    title: str
    source: str | None = None
    author: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    kind: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Document:
    """A cleaned document: ``text`` is what the index holds and offsets point into."""

    meta: DocMeta
    text: str
    content_hash: str

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id


@dataclass(frozen=True)
class Sentence:
    """One sentence, located by character offsets in its document's text."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A chunk of consecutive sentences; ``text == document.text[start:end]``."""

    passage_id: str
    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its fused score and 1-based rank."""

    passage: Passage
    score: float
    rank: int


@dataclass(frozen=True)
class Citation:
    """A verbatim quote backing part of an answer."""

    n: int
    doc_id: str
    title: str
    source: str | None
    date: str | None
    quote: str
    start: int
    end: int
    passage_id: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """The answer object of CONTRACTS.md section 3."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Hit] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. "sources disagree", "llm fallback"

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [
                {
                    "rank": h.rank,
                    "passage_id": h.passage.passage_id,
                    "doc_id": h.passage.doc_id,
                    "text": h.passage.text,
                    "score": round(h.score, 6),
                    "start": h.passage.start,
                    "end": h.passage.end,
                }
                for h in self.passages
            ],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "notes": list(self.notes),
        }
