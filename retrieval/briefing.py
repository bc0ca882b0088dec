"""A staff briefing as data: key points, differences, timeline entries and who is who, with citations.

``retrieval.brief.build_briefing`` fills a ``Briefing``; ``retrieval.brief_render`` writes it as Markdown or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from retrieval.brief_render import render_html, render_markdown
from retrieval.types import Citation, DocMeta


# --------------------------------------------------------------------------- the briefing
@dataclass(frozen=True)
class KeyPoint:
    """One verbatim sentence (or two adjacent ones) and the citations backing it."""

    text: str
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Side:
    """One document's version of a disputed figure."""

    figure: str  # as written: "26", "Thirty"
    text: str
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Difference:
    """Documents that give different figures for the same thing."""

    sides: tuple[Side, ...]
    counted: str | None = None  # what is counted, when the text says ("racial justice organisations")

    @property
    def summary(self) -> str:
        """"Different figures for racial justice organisations: 26 vs Thirty"."""
        about = f" for {self.counted}" if self.counted else ""
        return f"Different figures{about}: " + " vs ".join(s.figure for s in self.sides)


@dataclass(frozen=True)
class TimelineEntry:
    """A dated event (from the text) or a publication (from the metadata)."""

    key: tuple[int, int, int]  # (year, month or 0, day or 0): sorts and reads as ISO
    when: str  # the date as written in the document
    text: str
    cites: tuple[int, ...]
    kind: str = "event"  # "event" or "published"

    @property
    def iso(self) -> str:
        y, m, d = self.key
        return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


@dataclass(frozen=True)
class Entity:
    """A person or organisation named in the documents, with a role when the text gives one."""

    name: str
    kind: str  # "person" or "organisation"
    role: str | None
    cites: tuple[int, ...]


@dataclass
class Briefing:
    """A staff briefing on one topic; render with ``to_markdown()`` or ``to_html()``."""

    topic: str
    generated: str
    covered: bool
    message: str | None = None
    points: list[KeyPoint] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    sources: list[DocMeta] = field(default_factory=list)
    documents_searched: int = 0

    @property
    def people(self) -> list[Entity]:
        return [e for e in self.entities if e.kind == "person"]

    @property
    def organisations(self) -> list[Entity]:
        return [e for e in self.entities if e.kind == "organisation"]

    def citation(self, n: int) -> Citation:
        return self.citations[n - 1]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): every section, the citations of CONTRACTS.md section 3, the sources."""
        return {
            "topic": self.topic,
            "generated": self.generated,
            "covered": self.covered,
            "message": self.message,
            "points": [{"text": p.text, "cites": list(p.cites)} for p in self.points],
            "differences": [
                {"summary": d.summary, "counted": d.counted,
                 "sides": [{"figure": s.figure, "text": s.text, "cites": list(s.cites)} for s in d.sides]}
                for d in self.differences
            ],
            "timeline": [
                {"date": e.iso, "when": e.when, "text": e.text, "kind": e.kind, "cites": list(e.cites)}
                for e in self.timeline
            ],
            "entities": [
                {"name": e.name, "kind": e.kind, "role": e.role, "cites": list(e.cites)} for e in self.entities
            ],
            "citations": [c.to_dict() for c in self.citations],
            "sources": [m.to_dict() for m in self.sources],
        }

    def to_markdown(self) -> str:
        """The briefing as Markdown for a briefing note: sections, [n] markers, the quotes at the end."""
        return render_markdown(self)

    def to_html(self) -> str:
        """The briefing as a standalone HTML page (inline CSS); all document and user text escaped."""
        return render_html(self)
