"""Follow-up questions: resolve "it", "they", "who signed it?" against the conversation so far."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.textutil import content_words, is_org as _is_org, is_person as _is_person, proper_names

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


_ORG_QUESTION = re.compile(r"\b(group|organi[sz]ation|body|bodies|charity|campaign|trust|newspaper|force|agency)", re.I)
_PLURAL = re.compile(r"\b(they|them|their|theirs|these|those)\b", re.I)


_PERSON_PRONOUN = re.compile(r"\b(she|her|hers|he|him|his)\b", re.I)
_THING_PRONOUN = re.compile(r"\b(it|its)\b", re.I)


def _fits(name: str, want: str) -> bool:
    if want == "person":
        return _is_person(name)
    if want == "thing":
        return not _is_person(name) or _is_org(name)
    return True


def antecedents(turn: Turn, want: str = "any") -> list[str]:
    """Names a pronoun most likely points to, best first.

    Names of the right kind score for being the agent of the answer ("co-ordinated by the
    Runnymede Trust"), for the kind the last question asked about (a group, a person), for
    recurring, and for being the last question's own subject ("the girl known as Child Q").
    """
    text = re.sub(r"\[\d+\]", " ", turn.answer)
    asked_org = bool(_ORG_QUESTION.search(turn.question))
    q_names = [n for n in proper_names(turn.question) if len(n) >= 3]
    scored: dict[str, tuple[float, int]] = {}
    for position, name in enumerate(q_names + proper_names(text)):
        if len(name) < 3 or not _fits(name, want) or name in scored:
            continue
        score = 0.5 * text.count(name)
        if asked_org and _is_org(name) or not asked_org and _is_person(name):
            score += 2.0
        if re.search(r"\bby (the )?" + re.escape(name), text):
            score += 1.5
        if name in q_names:
            score += 1.0
        scored[name] = (-score, position)
    return sorted(scored, key=lambda n: scored[n])


def resolve(question: str, history: list[Turn]) -> str:
    """The question rewritten to stand alone, using the last turn's answer and question."""
    if not history or not is_followup(question):
        return question
    last = history[-1]
    if _PERSON_PRONOUN.search(question):
        want = "person"
    elif _THING_PRONOUN.search(question):
        want = "thing"
    else:
        want = "any"
    names = antecedents(last, want)
    plural = bool(_PLURAL.search(question))
    if names:
        chosen = names[:2] if plural else names[:1]
        subject = " and ".join(chosen)
        if not plural and _is_org(chosen[0]) and not chosen[0].lower().startswith("the "):
            subject = f"the {subject}"
    else:
        subject = ""
    if subject and _PRONOUN_SLOT.search(question):
        return _PRONOUN_SLOT.sub(subject, question, count=1)
    if subject:
        return f"{question} {subject}"
    # Nothing to point at: keep the earlier question's topic words so retrieval stays on subject.
    topic = [w for w in content_words(last.question) if w not in question.lower()]
    return f"{question} ({' '.join(topic[:8])})" if topic else question
