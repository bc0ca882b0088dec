"""Follow-up questions: resolve "it", "they", "who signed it?" against the conversation so far."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.textutil import content_words, proper_names

_ANAPHORA = re.compile(
    r"\b(it|its|they|them|their|theirs|he|him|his|she|her|hers|this|that|these|those|there|the same)\b", re.I
)
_PRONOUN_SLOT = re.compile(r"\b(it|them|they|him|her|he|she)\b(?=[\s?.!,]|$)", re.I)


@dataclass
class Turn:
    """One exchange: the user's question and what the bot answered."""

    question: str
    answer: str = ""
    quotes: list[tuple[str, int]] = field(default_factory=list)  # (doc_id, start) of cited sentences


def is_followup(question: str) -> bool:
    """A question that leans on earlier turns (a pronoun, or too short to stand alone)."""
    return bool(_ANAPHORA.search(question)) or len(content_words(question)) <= 1


def resolve(question: str, history: list[Turn]) -> str:
    """The question rewritten to stand alone, using the last turn's answer and question."""
    if not history or not is_followup(question):
        return question
    last = history[-1]
    q_words = {w.lower() for w in question.split()}
    answer_text = re.sub(r"\[\d+\]", " ", last.answer)
    names = [n for n in proper_names(answer_text) if n.lower() not in last.question.lower()]
    names = [n for n in names if not all(w.lower() in q_words for w in n.split())]
    if not names:
        names = proper_names(last.question)
    subject = " and ".join(names[:3])
    if subject and _PRONOUN_SLOT.search(question):
        resolved = _PRONOUN_SLOT.sub(subject, question, count=1)
    elif subject:
        resolved = f"{question} {subject}"
    else:
        resolved = question
    # Keep the earlier question's topic words so retrieval stays on the same subject.
    topic = [w for w in content_words(last.question) if w not in resolved.lower()]
    if topic:
        resolved = f"{resolved} ({' '.join(topic[:8])})"
    return resolved
