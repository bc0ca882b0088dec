"""A part of a briefing asked for in a conversation: "who's who?" or "timeline?" after a question on a topic.

The briefing on what the last question asked about (``citebot brief`` on it) is built and its people
and organisations, or its dated events, become the answer, each line with the citations the briefing
gives it, numbered afresh.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from retrieval.questions import BRIEF_Q
from retrieval.types import Answer, Citation

_WHO_IS_WHO = re.compile(r"^\W*(?:and\s+|so\s+|ok\s+)?(?:who(?:'s|’s|\s+is)\s+who|"
                         r"who(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+(?:the\s+)?(?:key\s+|main\s+)?"
                         r"(?:people|players|figures|names|organisations|organizations|groups)(?:\s+involved)?|"
                         r"who(?:'s|’s|\s+is|\s+was|\s+are|\s+were)\s+involved|(?:the\s+)?(?:key\s+|main\s+)?(?:people|players)"
                         r"(?:\s+involved)?)\W*$", re.I)
_TIMELINE = re.compile(r"^\W*(?:and\s+|so\s+|ok\s+)?(?:(?:what(?:'s|’s|\s+is|\s+are)\s+the\s+|give me\s+(?:a|the)\s+|the\s+)?"
                       r"(?:timeline|key dates|dates|chronology|sequence of events))\W*$", re.I)
LINES = 8  # lines of an answer; the briefing has them all


def asked_part(question: str) -> str | None:
    """"people" for "who's who?", "timeline" for "what are the key dates?"; None for other questions."""
    if _WHO_IS_WHO.match(question):
        return "people"
    if _TIMELINE.match(question):
        return "timeline"
    return None


def topic_of(question: str) -> str:
    """What a question asks about, as a briefing topic: "brief me on the New Met plan" -> "the New Met plan"."""
    topic = BRIEF_Q.sub("", question.strip())
    return re.sub(r"^\s*(?:me\s+)?(?:on|about|of)\s+", "", topic).strip(" ?.!") or question


def answer_briefing_part(engine: Any, question: str, earlier: list[str]) -> Answer | None:
    """For "who's who?" or "timeline?" after the ``earlier`` questions: that part of the briefing on the topic
    of the last of them that asked for no such part ("timeline?" after "who's who?" is on the same topic)."""
    part = asked_part(question)
    last_question = next((q for q in reversed(earlier) if asked_part(q) is None), None)
    if part is None or last_question is None:
        return None
    briefing = engine.brief(topic_of(last_question))
    if part == "people":
        items = [(e.name + (f": {e.role}" if e.role else ""), e.cites) for e in briefing.people + briefing.organisations]
    else:
        items = [(f"{e.iso}: " + (f"“{e.text}” published" if e.kind == "published" else e.text), e.cites)
                 for e in briefing.timeline]
    if not briefing.covered or not items:
        return None
    numbers: dict[int, int] = {}
    lines = []
    for text, cites in items[:LINES]:
        marks = "".join(f"[{numbers.setdefault(n, len(numbers) + 1)}]" for n in cites)
        lines.append(f"- {text} {marks}")
    citations: list[Citation] = [replace(briefing.citation(old), n=new) for old, new in numbers.items()]
    more = len(items) - LINES
    text = "\n".join(lines) + (f"\n… and {more} more in the full briefing." if more > 0 else "")
    return Answer(question, text, False, citations, notes=[f"from the briefing on: {topic_of(last_question)}"])
