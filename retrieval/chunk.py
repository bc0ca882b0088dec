"""Passages: runs of whole sentences, located by offsets in the cleaned document text."""

from __future__ import annotations

import hashlib

from retrieval.sentences import split_sentences
from retrieval.types import Passage, Sentence


def passage_id(doc_id: str, text: str, occurrence: int = 0) -> str:
    """A stable id: the same passage text in the same document keeps its id across re-indexing."""
    digest = hashlib.sha1(f"{doc_id}\x00{text}\x00{occurrence}".encode()).hexdigest()
    return digest[:20]


def chunk_sentences(
    text: str, sentences: list[Sentence], doc_id: str, target_chars: int, overlap: int
) -> list[Passage]:
    """Pack consecutive sentences into passages of about ``target_chars``.

    A passage never cuts a sentence; neighbours share ``overlap`` sentences, so any quote that
    spans a sentence boundary is whole in at least one passage.
    """
    passages: list[Passage] = []
    seen: dict[str, int] = {}
    i = 0
    n = len(sentences)
    while i < n:
        j = i
        while j + 1 < n and sentences[j + 1].end - sentences[i].start <= target_chars:
            j += 1
        start, end = sentences[i].start, sentences[j].end
        body = text[start:end]
        occurrence = seen.get(body, 0)
        seen[body] = occurrence + 1
        passages.append(Passage(passage_id(doc_id, body, occurrence), doc_id, start, end, body))
        if j + 1 >= n:
            break
        i = max(i + 1, j + 1 - overlap)
    return passages


def chunk_text(text: str, doc_id: str, target_chars: int = 600, overlap: int = 1) -> list[Passage]:
    """Passages of a cleaned document text."""
    return chunk_sentences(text, split_sentences(text, doc_id), doc_id, target_chars, overlap)
