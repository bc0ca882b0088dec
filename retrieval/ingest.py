"""Find the corpus files and turn each into a cleaned Document with its passages and sentences."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from citebot.errors import DocumentError
from retrieval.chunk import chunk_sentences
from retrieval.clean import clean_paragraphs, split_paragraphs
from retrieval.metadata import METADATA_FILE, build_meta
from retrieval.readers import SUPPORTED, read_document
from retrieval.sentences import split_sentences
from retrieval.types import Document, Passage, Sentence


@dataclass(frozen=True)
class CorpusFile:
    """A candidate document: its id (path relative to the corpus) and where it is."""

    doc_id: str
    location: str | Path  # NOTE: a plain string from the scan; a Path is made only when the file is read

    @property
    def path(self) -> Path:
        return Path(self.location)


@dataclass(frozen=True)
class Failure:
    """A file that could not be indexed, and why."""

    doc_id: str
    reason: str


@dataclass(frozen=True)
class Ingested:
    """A document ready for the index."""

    document: Document
    passages: list[Passage]
    sentences: list[Sentence]


def scan_corpus(corpus: Path) -> tuple[list[CorpusFile], list[Failure]]:
    """Supported files under ``corpus`` (sorted), following symlinks but never in a loop."""
    files: list[CorpusFile] = []
    failures: list[Failure] = []
    seen_dirs: set[tuple[int, int]] = set()
    root = corpus.resolve()

    def walk(folder: str, prefix: str) -> None:
        try:
            st = os.stat(folder)
        except OSError as exc:
            failures.append(Failure(_rel(prefix), f"cannot open folder ({exc.strerror})"))
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            failures.append(Failure(_rel(prefix), "symlink loop (folder already visited)"))
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            failures.append(Failure(_rel(prefix), f"cannot list folder ({exc.strerror})"))
            return
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name == METADATA_FILE:
                continue
            doc_id = prefix + name
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError as exc:
                failures.append(Failure(doc_id, f"cannot read ({exc.strerror})"))
                continue
            if is_dir:
                walk(entry.path, doc_id + "/")
            elif is_file and os.path.splitext(name)[1].lower() in SUPPORTED:
                files.append(CorpusFile(doc_id, entry.path))
            elif entry.is_symlink() and not is_file and not is_dir:
                failures.append(Failure(doc_id, "broken symlink"))

    def _rel(prefix: str) -> str:
        return prefix.rstrip("/") or "."

    if not root.is_dir():
        return [], [Failure(str(corpus), "corpus folder does not exist")]
    walk(str(corpus), "")
    return files, failures


def file_hash(path: Path) -> str:
    """Content hash of a file (what decides whether it is re-embedded)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_file(
    item: CorpusFile, given_meta: dict, chunk_chars: int, overlap: int, max_bytes: int, content_hash: str
) -> Ingested:
    """Read, clean, describe and chunk one file; raises DocumentError with the reason."""
    raw = read_document(item.path, max_bytes)
    paragraphs = clean_paragraphs(raw.text)
    text = "\n\n".join(paragraphs)
    if len(text.split()) < 3:
        raise DocumentError("no article text left after removing page furniture")
    meta = build_meta(item.doc_id, given_meta, raw.hints, split_paragraphs(raw.text), paragraphs)
    document = Document(meta=meta, text=text, content_hash=content_hash)
    sentences = split_sentences(text, item.doc_id)
    passages = chunk_sentences(text, sentences, item.doc_id, chunk_chars, overlap)
    return Ingested(document, passages, sentences)
