"""Messages that are not questions about the documents' content: "hi", "thanks", "what documents do you
have?". They get a short reply of their own, not "The documents do not answer this question", and they
are no turn of the conversation a follow-up leans on ("who signed it?" after "thanks" is about the
answer before the thanks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval.types import Answer, DocMeta

_GREETING = re.compile(r"^\W*(?:hi|hello|hey|hiya|howdy|yo|morning|good (?:morning|afternoon|evening|day))"
                       r"(?:\s+(?:there|all|everyone|team|bot|citebot))?\W*$", re.I)
_ACK = r"ok(?:ay)?|great|perfect|brilliant|lovely|cool|nice|super|excellent|got it|understood|noted"
_THANKS = re.compile(r"^\W*(?:(?:" + _ACK + r")\W*)?(?:(?:many\s+)?thanks|thank\s*(?:you|u)|thx|ty|cheers|ta)"
                     r"(?:\s+(?:a lot|very much|so much|again|mate))?\W*$", re.I)
_ACKNOWLEDGED = re.compile(r"^\W*(?:" + _ACK + r")\W*$", re.I)
_COLLECTION = re.compile(r"^\W*(?:so\s+)?(?:what|which)\s+(?:documents|docs|sources|files|texts|reports|material)\s+"
                         r"(?:do you have|have you got|are there|can you (?:search|see|read)|are (?:in|on) (?:here|file|the system)|"
                         r"do you (?:know|cover|use))\W*$", re.I)
_HELP = re.compile(r"^\W*(?:help|what (?:can|do) you (?:do|know|cover)|how (?:do|does) (?:this|it|you) work)\W*$", re.I)
LISTED = 20  # documents named in the reply; a larger collection is counted


def kind_of(message: str) -> str | None:
    """"greeting", "thanks", "ok", "help" or "collection" for a message of that kind; None for a question."""
    for kind, pattern in (("greeting", _GREETING), ("thanks", _THANKS), ("ok", _ACKNOWLEDGED), ("help", _HELP),
                          ("collection", _COLLECTION)):
        if pattern.match(message):
            return kind
    return None


def _described(meta: DocMeta) -> str:
    """“Title” (publisher, date) of one document."""
    details = ", ".join(v for v in (meta.source, meta.date) if v)
    return f"“{meta.title}”" + (f" ({details})" if details else "")


def reply(message: str, kind: str, documents: Sequence[DocMeta]) -> Answer:
    """The reply to a greeting, thanks, or a question about what the collection holds (``documents``,
    newest first in the reply)."""
    if kind == "greeting":
        text = (f"Hello. Ask me a question about the {len(documents)} documents I hold; I answer with quotes "
                "from them, numbered, and say so when they do not answer.")
    elif kind == "thanks":
        text = "You're welcome."
    elif kind == "ok":
        text = "Ask away when you have another question."
    elif kind == "help":
        text = (f"Ask a question about the {len(documents)} documents I hold, and follow it up (“who signed it?”, "
                "“when?”, “source?”). Each answer quotes the documents, numbered; when they do not answer, I say so. "
                "“What documents do you have?” lists them.")
    else:
        newest = sorted(documents, key=lambda m: m.date or "", reverse=True)
        lines = [f"- {_described(m)}" for m in newest[:LISTED]]
        more = len(documents) - LISTED
        text = f"I answer from {len(documents)} documents:\n" + "\n".join(lines) + \
            (f"\n… and {more} more." if more > 0 else "")
    return Answer(message, text, True)  # no claim from the documents, so nothing cited (and no note shown)
