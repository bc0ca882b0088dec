"""Build or update the index incrementally: only new or changed files are read and embedded."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from citebot.errors import CitebotError, DocumentError
from citebot.settings import Settings
from retrieval.ingest import CorpusFile, Failure, Ingested, file_hash, ingest_file, scan_corpus
from retrieval.lexical import BM25Index, TokenIds, load_tokens, save_tokens
from retrieval.metadata import load_metadata_file
from retrieval.textutil import attribution
from retrieval.readers import check_size
from retrieval.truecase import save_case_table
from retrieval.store import (
    INDEXES,
    Generation,
    NpyWriter,
    collect_garbage,
    current_generation,
    new_generation,
    open_manifest,
    publish,
    read_info,
    snapshot_tree,
    write_info,
    write_lock,
)
from retrieval.vectors import VectorStore

if TYPE_CHECKING:
    from retrieval.embed import Encoder

# 3: hyphenated words are also indexed joined
# 4: sentence/passage offset tables as .npy, sparse attributions, BM25 token ids kept, texts apart
# 5: cleaning keeps photo captions (text inside a credit line)
# 6: a case table (cases.json), so a question typed in lower case reads names as names
# 7: the case table ignores words shouted in capitals ("NO WARRANTY ... QUALITY")
# 8: cleaning keeps a footer's address and registration lines
# 9: the case table counts a name's forms with capitals together ("StopWatch", "Stopwatch")
SCHEMA_VERSION = "9"


@dataclass
class IndexReport:
    """What an index run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[Failure] = field(default_factory=list)
    chunks: int = 0
    documents: int = 0
    embedded: int = 0
    seconds: float = 0.0
    generation: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"documents: {len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed; {self.chunks} chunks in "
            f"{self.documents} documents; {self.embedded} texts embedded; {self.seconds:.2f} s"
        )

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": [{"doc_id": f.doc_id, "reason": f.reason} for f in self.failed],
            "chunks": self.chunks,
            "documents": self.documents,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
            "generation": self.generation,
        }


@dataclass
class _OldIndex:
    """The previous generation, as much as deciding what changed needs (no texts, no vectors)."""

    gen: Generation
    docs: dict[str, tuple[str, int, int, str, int]]  # doc_id -> (hash, size, mtime_ns, given, idx)
    info: dict[str, str]
    passages: int


def index_matches_settings(settings: Settings) -> bool:
    """True when the store's current generation was built by this code with these settings."""
    gen = current_generation(settings.store_dir)
    if gen is None:
        return False
    conn = open_manifest(gen.manifest, readonly=True)
    try:
        info = read_info(conn)
    finally:
        conn.close()
    return info.get("signature") == settings.index_signature() and info.get("schema") == SCHEMA_VERSION


def _load_old(gen: Generation | None, signature: str) -> _OldIndex | None:
    """The previous generation's file stamps: one small query, no document text is read."""
    if gen is None:
        return None
    conn = open_manifest(gen.manifest, readonly=True)
    try:
        info = read_info(conn)
        if info.get("signature") != signature or info.get("schema") != SCHEMA_VERSION:
            return None
        docs = {
            row[0]: row[1:]
            for row in conn.execute("SELECT doc_id, content_hash, size, mtime_ns, given, idx FROM documents")
        }
        passages = int(info.get("passages", "0"))
    finally:
        conn.close()
    return _OldIndex(gen, docs, info, passages)


def _store_id(gen: Generation | None) -> str:
    """The store's random id (names its collection on a Chroma server), kept across generations."""
    if gen is not None:
        try:
            conn = open_manifest(gen.manifest, readonly=True)
            try:
                found = read_info(conn).get("store_id")
            finally:
                conn.close()
            if found:
                return found
        except sqlite3.Error:
            pass
    return uuid.uuid4().hex


def _progress(iterable, total: int, desc: str, enabled: bool):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr, leave=False)


def _stamp(path: "Path | str") -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _meta_key(given: dict) -> str:
    return json.dumps(given, sort_keys=True, ensure_ascii=False)


def _encode(encoder: Encoder, texts: list[str], progress: bool, label: str) -> np.ndarray:
    if progress and texts:
        print(f"Embedding {len(texts)} {label}...", file=sys.stderr)
    return encoder.encode(texts, show_progress=progress and len(texts) > 256)


class _LazyEncoder:
    """The encoder, made (and its module imported) only when something must be embedded."""

    def __init__(self, settings: Settings, encoder: "Encoder | None") -> None:
        self._settings = settings
        self._encoder = encoder

    def get(self) -> "Encoder":
        if self._encoder is None:
            from retrieval.embed import Encoder

            self._encoder = Encoder.from_settings(self._settings)
        return self._encoder


def build_index(
    settings: Settings, encoder: "Encoder | None" = None, progress: bool = False, wait: bool = False
) -> IndexReport:
    """Bring the index of ``settings.corpus`` up to date in ``settings.store_dir``.

    ``encoder`` defaults to the model of ``settings``, loaded only when a text must be embedded
    (an unchanged corpus imports neither the model nor Chroma).
    """
    started = time.perf_counter()
    store = settings.store_dir
    with write_lock(store, wait=wait):
        report = _build_locked(settings, _LazyEncoder(settings, encoder), store, progress)
    report.seconds = time.perf_counter() - started
    return report


def _build_locked(settings: Settings, encoder: _LazyEncoder, store: Path, progress: bool) -> IndexReport:
    report = IndexReport()
    corpus = Path(settings.corpus)
    files, failures = scan_corpus(corpus)
    report.failed.extend(failures)
    given_all = load_metadata_file(corpus) if corpus.is_dir() else {}
    signature = settings.index_signature()
    prev_gen = current_generation(store)
    old = _load_old(prev_gen, signature)
    old_docs = old.docs if old else {}
    max_bytes = int(settings.max_file_mb * 1_000_000)

    # 1. Decide what changed, cheaply: size+mtime first, the content hash only when they differ.
    to_read: dict[str, tuple[CorpusFile, str, tuple[int, int]]] = {}
    keep: set[str] = set()
    failed_ids: set[str] = set()

    def fail(doc_id: str, reason: str) -> None:
        """Report ``doc_id`` and keep its previous version: a file that fails loses nothing."""
        report.failed.append(Failure(doc_id, reason))
        failed_ids.add(doc_id)
        if doc_id in old_docs:
            keep.add(doc_id)

    # A folder that cannot be listed (or a broken link) keeps the documents indexed under it.
    for failure in failures:
        prefix = failure.doc_id.rstrip("/") + "/"
        for doc_id in old_docs:
            if doc_id == failure.doc_id or doc_id.startswith(prefix):
                keep.add(doc_id)
                failed_ids.add(doc_id)

    no_meta = _meta_key({})
    for item in files:
        try:
            size, mtime = _stamp(item.location)
            check_size(size, max_bytes)  # before hashing: an oversized file is never read
        except OSError as exc:
            fail(item.doc_id, f"cannot read ({exc.strerror})")
            continue
        except DocumentError as exc:
            fail(item.doc_id, str(exc))
            continue
        given = given_all.get(item.doc_id)
        given_key = _meta_key(given) if given else no_meta
        prev = old_docs.get(item.doc_id)
        if prev and prev[1] == size and prev[2] == mtime and prev[3] == given_key:
            keep.add(item.doc_id)
            continue
        try:
            digest = file_hash(item.path)
        except OSError as exc:
            fail(item.doc_id, f"cannot read ({exc.strerror})")
            continue
        if prev and prev[0] == digest and prev[3] == given_key:
            keep.add(item.doc_id)  # touched, not changed
            continue
        to_read[item.doc_id] = (item, digest, (size, mtime))

    present = {item.doc_id for item in files}
    removed = sorted(d for d in old_docs if d not in present and d not in keep)
    report.removed = removed
    store_id = _store_id(prev_gen)

    if old is not None and not to_read and not removed:
        report.unchanged = len(keep - failed_ids)
        report.documents = len(keep)
        report.chunks = old.passages
        report.generation = prev_gen.name if prev_gen else None
        if settings.chroma_host:
            _sync_server(settings, old.gen, store_id)  # a new or emptied server gets every passage
        collect_garbage(store)
        return report
    return _write_generation(settings, encoder, store, old, keep, to_read, given_all, report, progress,
                             failed_ids, store_id, fail)


def _nothing_usable(corpus: Path, report: IndexReport, kept: bool = False) -> str:
    lines = [f"Nothing could be indexed from {corpus}."]
    lines += [f"  {f.doc_id}: {f.reason}" for f in report.failed[:20]]
    if not report.failed:
        lines.append("  The folder has no .txt, .md, .html or .pdf files.")
    if kept:
        lines.append("The previous index is kept unchanged.")
    return "\n".join(lines)


BATCH_DOCUMENTS = 256  # documents read, embedded and written per step: memory stays flat


class _Previous:
    """Row ranges of the previous generation, for copying kept documents forward as blocks."""

    def __init__(self, old: _OldIndex) -> None:
        gen = old.gen
        self.docs = old.docs
        self.passages = np.load(gen.passage_table, mmap_mode="r")
        self.sentences = np.load(gen.sentence_table, mmap_mode="r")
        self.passvec = np.load(gen.passvec, mmap_mode="r")
        self.sentvec = np.load(gen.sentvec, mmap_mode="r")
        self.attrrows = np.load(gen.attrrows).reshape(-1)
        self.attrvec = np.load(gen.attrvec, mmap_mode="r")
        n_docs = max((v[4] for v in old.docs.values()), default=-1) + 1
        bounds = np.arange(n_docs + 1)
        self.p_first = np.searchsorted(np.asarray(self.passages[:, 0]), bounds)
        self.s_first = np.searchsorted(np.asarray(self.sentences[:, 0]), bounds)
        self.tokens = load_tokens(gen.bm25)
        self.dim = self.passvec.shape[1]

    @staticmethod
    def read_rows(array: np.ndarray, a: int, b: int) -> np.ndarray:
        """Rows ``[a, b)`` of a memory-mapped ``.npy`` read with plain file reads.

        Copying through the map would leave every page of the previous generation's vectors
        resident in this process (629 MB of sentence vectors at 100k passages).
        """
        row_bytes = array.dtype.itemsize * int(np.prod(array.shape[1:]))
        with open(array.filename, "rb") as handle:
            handle.seek(array.offset + a * row_bytes)
            data = handle.read((b - a) * row_bytes)
        return np.frombuffer(data, dtype=array.dtype).reshape((b - a, *array.shape[1:]))

    def passage_rows(self, idx: int) -> tuple[int, int]:
        return int(self.p_first[idx]), int(self.p_first[idx + 1])

    def sentence_rows(self, idx: int) -> tuple[int, int]:
        return int(self.s_first[idx]), int(self.s_first[idx + 1])

    def attr_rows(self, a: int, b: int) -> tuple[int, int]:
        return int(np.searchsorted(self.attrrows, a)), int(np.searchsorted(self.attrrows, b))


class _Writer:
    """The new generation's arrays, streamed to disk in row order."""

    def __init__(self, gen: Generation, dim: int) -> None:
        self.gen = gen
        self.dim = dim
        self.passages = NpyWriter(gen.passage_table, 5, "<i4")
        self.sentences = NpyWriter(gen.sentence_table, 3, "<i4")
        self.passvec = NpyWriter(gen.passvec, dim, "<f2")
        self.sentvec = NpyWriter(gen.sentvec, dim, "<f2")
        self.attrrows = NpyWriter(gen.attrrows, 1, "<i4")
        self.attrvec = NpyWriter(gen.attrvec, dim, "<f2")
        self.docs = 0

    def close(self) -> None:
        for w in (self.passages, self.sentences, self.passvec, self.sentvec, self.attrrows, self.attrvec):
            w.close()


def _write_generation(
    settings: Settings,
    encoder: _LazyEncoder,
    store: Path,
    old: _OldIndex | None,
    keep: set[str],
    to_read: dict[str, tuple[CorpusFile, str, tuple[int, int]]],
    given_all: dict,
    report: IndexReport,
    progress: bool,
    failed_ids: set[str],
    store_id: str,
    fail,
) -> IndexReport:
    """Write a new generation document by document, in doc_id order, a batch at a time.

    Kept documents are copied from the previous generation as row blocks (manifest rows with
    SQL inside SQLite, vectors and token ids as array slices); new and changed ones are read,
    embedded (reusing the vectors of passages and sentences whose text did not change) and
    written. Nothing holds the whole corpus in memory.
    """
    gen = new_generation(store)
    prev = _Previous(old) if old is not None else None
    dim = prev.dim if prev is not None else 384
    old_docs = old.docs if old else {}
    tokens = TokenIds(prev.tokens[0] if prev is not None and prev.tokens else None)
    writer = _Writer(gen, dim)
    live_ids: list[str] = []
    stale: list[str] = []
    fresh_count = 0

    if not settings.chroma_host and old is not None:
        snapshot_tree(old.gen.chroma, gen.chroma)  # readers may be writing to it: copy a snapshot
    vectors = VectorStore.open(settings, gen.chroma, create=True, store_id=store_id)
    conn = open_manifest(gen.manifest, attach=old.gen.manifest if old else None)
    try:
        order = sorted(keep | set(to_read))
        bar = _progress(range(0, len(order), BATCH_DOCUMENTS), -(-len(order) // BATCH_DOCUMENTS), "Indexing",
                        progress)
        for b in bar:
            batch = order[b : b + BATCH_DOCUMENTS]
            fresh = _read_batch(settings, batch, to_read, given_all, fail)
            for doc_id in batch:
                if doc_id in fresh:
                    (report.updated if doc_id in old_docs else report.added).append(doc_id)
            fresh_count += len(fresh)
            encoded, embedded = _embed_batch(settings, encoder, conn, prev, fresh, progress)
            report.embedded += embedded
            run: list[str] = []  # consecutive kept documents, copied as one block
            for doc_id in batch:
                if doc_id in fresh:
                    _copy_kept(conn, writer, prev, tokens, run, live_ids)
                    run = []
                    _write_fresh(settings, conn, writer, tokens, fresh[doc_id], encoded[doc_id], live_ids, stale)
                elif doc_id in old_docs:
                    if run and old_docs[run[-1]][4] + 1 != old_docs[doc_id][4]:
                        _copy_kept(conn, writer, prev, tokens, run, live_ids)
                        run = []
                    run.append(doc_id)
            _copy_kept(conn, writer, prev, tokens, run, live_ids)
            new_rows = [(pid, vec) for pid, vec in (item for d in fresh for item in encoded[d].upload)]
            if new_rows:
                vectors.add([pid for pid, _ in new_rows], np.stack([v for _, v in new_rows]).astype(np.float32))
        for doc_id in report.removed:
            stale += [pid for (pid,) in conn.execute("SELECT passage_id FROM old.passages WHERE doc_id = ?", (doc_id,))]
        writer.close()
        report.unchanged = len(keep - failed_ids)
        if writer.docs == 0 or (old is not None and not fresh_count and not report.removed):
            # Nothing new could be read: the previous generation stays (a mistyped --corpus must
            # never publish an empty index), and this unfinished folder goes.
            vectors.close()
            conn.close()
            shutil.rmtree(gen.path, ignore_errors=True)
            if writer.docs == 0:
                raise CitebotError(_nothing_usable(Path(settings.corpus), report, kept=old is not None))
            report.documents = len(keep)
            report.chunks = old.passages if old else 0
            report.generation = old.gen.name if old else None
            return report
        live = set(live_ids)
        stale = [pid for pid in dict.fromkeys(stale) if pid not in live]
        if vectors.embedded:
            vectors.delete(stale)
        else:
            _upload_missing(vectors, gen, live_ids)  # kept passages a new or emptied server lacks

        # BM25 from the token ids (kept passages were not tokenised again), then the manifest.
        vocab, flat, offsets = tokens.arrays()
        BM25Index.build_from_ids(vocab, flat, offsets).save(gen.bm25)
        save_tokens(gen.bm25, vocab, flat, offsets)
        del flat, offsets, vocab
        save_case_table(gen.cases, (text for (text,) in conn.execute("SELECT text FROM texts")))
        with conn:
            conn.executescript(INDEXES)
            write_info(
                conn,
                schema=SCHEMA_VERSION,
                signature=settings.index_signature(),
                corpus=str(Path(settings.corpus).resolve()),
                created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                fingerprint=hashlib.sha1("".join(live_ids).encode()).hexdigest(),
                store_id=store_id,
                passages=str(len(live_ids)),
            )
        if old is not None:
            conn.execute("DETACH DATABASE old")
    finally:
        vectors.close()
        conn.close()
    publish(store, gen)
    if settings.chroma_host and old is not None:
        _drop_stale_server_vectors(settings, set(live_ids), store_id)
    report.documents = writer.docs
    report.chunks = len(live_ids)
    report.generation = gen.name
    return report


@dataclass
class _Fresh:
    """A document read in this run, and its previous version's rows when it had one."""

    ingested: Ingested
    stamp: tuple[int, int]
    given_key: str


@dataclass
class _Encoded:
    passvec: np.ndarray
    sentvec: np.ndarray
    attr: dict[int, np.ndarray]  # sentence position in the document -> attribution vector
    upload: list[tuple[str, np.ndarray]]  # passages Chroma does not hold yet
    old_ids: list[str]  # the previous version's passage ids (those not kept leave Chroma)


def _read_batch(settings: Settings, batch: list[str], to_read: dict, given_all: dict, fail) -> dict[str, _Fresh]:
    max_bytes = int(settings.max_file_mb * 1_000_000)
    fresh: dict[str, _Fresh] = {}
    for doc_id in batch:
        if doc_id not in to_read:
            continue
        item, digest, stamp = to_read[doc_id]
        given = given_all.get(doc_id, {})
        try:
            ingested = ingest_file(
                item, given, settings.chunk_chars, settings.chunk_overlap_sentences, max_bytes, digest
            )
        except DocumentError as exc:
            fail(doc_id, str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the rest
            fail(doc_id, f"could not be processed ({exc.__class__.__name__}: {exc})")
            continue
        fresh[doc_id] = _Fresh(ingested, stamp, _meta_key(given))
    return fresh


def _indexed_text(settings: Settings, title: str, text: str) -> str:
    """What the rankers see: the passage, headed by its document's title when so configured."""
    return f"{title}\n{text}" if settings.contextual_headers else text


def _embed_batch(
    settings: Settings, encoder: _LazyEncoder, conn: sqlite3.Connection, prev: "_Previous | None",
    fresh: dict[str, _Fresh], progress: bool,
) -> tuple[dict[str, _Encoded], int]:
    """Vectors of the batch's documents: reused where a passage or sentence is unchanged, else embedded."""
    jobs_p: list[tuple[str, int, str]] = []  # (doc_id, position, text) to embed
    jobs_s: list[tuple[str, int, str]] = []
    out: dict[str, _Encoded] = {}
    for doc_id, f in fresh.items():
        doc = f.ingested.document
        passvec = np.zeros((len(f.ingested.passages), prev.dim if prev else 384), np.float32)
        sentvec = np.zeros((len(f.ingested.sentences), passvec.shape[1]), np.float32)
        enc = _Encoded(passvec, sentvec, {}, [], [])
        out[doc_id] = enc
        old_p: dict[str, int] = {}
        old_s: dict[tuple[int, int, str], int] = {}
        if prev is not None and doc_id in prev.docs:
            idx = prev.docs[doc_id][4]
            old_p = dict(conn.execute("SELECT passage_id, row FROM old.passages WHERE doc_id = ?", (doc_id,)))
            enc.old_ids = list(old_p)
            (old_text,) = conn.execute("SELECT text FROM old.texts WHERE idx = ?", (idx,)).fetchone()
            a, b = prev.sentence_rows(idx)
            for row, (_d, start, end) in enumerate(np.asarray(prev.sentences[a:b]).tolist(), start=a):
                old_s[(start, end, old_text[start:end])] = row
        for i, p in enumerate(f.ingested.passages):
            row = old_p.get(p.passage_id)
            if row is not None:
                passvec[i] = prev.passvec[row]
            else:
                jobs_p.append((doc_id, i, _indexed_text(settings, doc.meta.title or "", p.text)))
        for i, s in enumerate(f.ingested.sentences):
            row = old_s.get((s.start, s.end, s.text))
            if row is not None:
                sentvec[i] = prev.sentvec[row]
                lo, hi = prev.attr_rows(row, row + 1)
                if hi > lo:
                    enc.attr[i] = np.asarray(prev.attrvec[lo], np.float32)
            else:
                jobs_s.append((doc_id, i, s.text))
    if jobs_p or jobs_s:
        model = encoder.get()
        p_vecs = _encode(model, [t for _d, _i, t in jobs_p], progress, "passages")
        s_vecs = _encode(model, [t for _d, _i, t in jobs_s], progress, "sentences")
        attributions = [(d, i, attribution(t)) for d, i, t in jobs_s]
        attributions = [(d, i, a) for d, i, a in attributions if a]
        a_vecs = _encode(model, [a for _d, _i, a in attributions], progress, "attributions")
        for (d, i, _t), v in zip(jobs_p, p_vecs):
            out[d].passvec[i] = v
        for (d, i, _t), v in zip(jobs_s, s_vecs):
            out[d].sentvec[i] = v
        for (d, i, _a), v in zip(attributions, a_vecs):
            out[d].attr[i] = v
        for d, i, _t in jobs_p:
            p = fresh[d].ingested.passages[i]
            out[d].upload.append((p.passage_id, out[d].passvec[i].astype(np.float16)))
        return out, len(jobs_p) + len(jobs_s) + len(attributions)
    return out, 0


def _write_fresh(settings: Settings, conn: sqlite3.Connection, w: _Writer, tokens: TokenIds, f: _Fresh,
                 enc: _Encoded, live_ids: list[str], stale: list[str]) -> None:
    doc = f.ingested.document
    doc_id = doc.doc_id
    idx = w.docs
    w.docs += 1
    size, mtime = f.stamp
    conn.execute(
        "INSERT INTO documents (doc_id, idx, content_hash, size, mtime_ns, given, meta) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (doc_id, idx, doc.content_hash, size, mtime, f.given_key, json.dumps(doc.meta.to_dict(), ensure_ascii=False)),
    )
    conn.execute("INSERT INTO texts (idx, text) VALUES (?, ?)", (idx, doc.text))
    stale += enc.old_ids
    p0, s0 = w.passages.rows, w.sentences.rows
    sents = f.ingested.sentences
    starts = np.asarray([s.start for s in sents], dtype=np.int64)
    table = np.zeros((len(f.ingested.passages), 5), dtype=np.int32)
    for i, p in enumerate(f.ingested.passages):
        a = int(np.searchsorted(starts, p.start, "left"))
        b = int(np.searchsorted(starts, p.end, "left"))
        table[i] = (idx, p.start, p.end, s0 + a, s0 + b) if b > a else (idx, p.start, p.end, 0, 0)
    conn.executemany(
        'INSERT INTO passages (row, passage_id, doc_id, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
        [(p0 + i, p.passage_id, doc_id, p.start, p.end, p.text) for i, p in enumerate(f.ingested.passages)],
    )
    live_ids.extend(p.passage_id for p in f.ingested.passages)
    w.passages.write(table)
    w.sentences.write(np.asarray([(idx, s.start, s.end) for s in sents], dtype=np.int32).reshape(-1, 3))
    w.passvec.write(enc.passvec.astype(np.float16))
    w.sentvec.write(enc.sentvec.astype(np.float16))
    for i in sorted(enc.attr):
        w.attrrows.write(np.asarray([s0 + i], dtype=np.int32))
        w.attrvec.write(np.asarray(enc.attr[i], dtype=np.float16))
    title = doc.meta.title or ""
    tokens.add_texts([_indexed_text(settings, title, p.text) for p in f.ingested.passages])


def _copy_kept(conn: sqlite3.Connection, w: _Writer, prev: "_Previous | None", tokens: TokenIds,
               run: list[str], live_ids: list[str]) -> None:
    """Copy a run of kept documents (consecutive in the previous generation too) as one block."""
    if not run:
        return
    assert prev is not None
    first, last = prev.docs[run[0]][4], prev.docs[run[-1]][4]
    pa, _ = prev.passage_rows(first)
    _, pb = prev.passage_rows(last)
    sa, _ = prev.sentence_rows(first)
    _, sb = prev.sentence_rows(last)
    idx0, p0, s0 = w.docs, w.passages.rows, w.sentences.rows
    conn.execute(
        "INSERT INTO documents (doc_id, idx, content_hash, size, mtime_ns, given, meta) "
        "SELECT doc_id, idx - ? + ?, content_hash, size, mtime_ns, given, meta FROM old.documents "
        "WHERE idx BETWEEN ? AND ?",
        (first, idx0, first, last),
    )
    conn.execute("INSERT INTO texts (idx, text) SELECT idx - ? + ?, text FROM old.texts WHERE idx BETWEEN ? AND ?",
                 (first, idx0, first, last))
    conn.execute(
        'INSERT INTO passages (row, passage_id, doc_id, start, "end", text) '
        'SELECT row - ? + ?, passage_id, doc_id, start, "end", text FROM old.passages WHERE row >= ? AND row < ?',
        (pa, p0, pa, pb),
    )
    live_ids.extend(pid for (pid,) in conn.execute(
        "SELECT passage_id FROM old.passages WHERE row >= ? AND row < ? ORDER BY row", (pa, pb)))
    w.docs += last - first + 1
    table = np.array(prev.passages[pa:pb], dtype=np.int32)
    table[:, 0] += idx0 - first
    has = table[:, 4] > table[:, 3]
    table[has, 3] += s0 - sa
    table[has, 4] += s0 - sa
    w.passages.write(table)
    sents = np.array(prev.sentences[sa:sb], dtype=np.int32)
    sents[:, 0] += idx0 - first
    w.sentences.write(sents)
    for a in range(pa, pb, 65536):
        w.passvec.write(prev.read_rows(prev.passvec, a, min(pb, a + 65536)))
    for a in range(sa, sb, 65536):
        w.sentvec.write(prev.read_rows(prev.sentvec, a, min(sb, a + 65536)))
    lo, hi = prev.attr_rows(sa, sb)
    if hi > lo:
        w.attrrows.write(prev.attrrows[lo:hi].astype(np.int64) - sa + s0)
        w.attrvec.write(prev.attrvec[lo:hi])
    if prev.tokens is not None:
        _vocab, flat, offsets = prev.tokens
        tokens.add_ids(flat[offsets[pa] : offsets[pb]], np.diff(offsets[pa : pb + 1]))
    else:  # pragma: no cover - every generation of this schema saves its tokens
        texts = [t for (t,) in conn.execute("SELECT text FROM old.passages WHERE row >= ? AND row < ? ORDER BY row",
                                            (pa, pb))]
        tokens.add_texts(texts)


def _upload_missing(vectors: VectorStore, gen: Generation, live_ids: list[str]) -> None:
    """Add the passages of ``gen`` the server's collection lacks (vectors from ``passvec.npy``)."""
    have = vectors.all_ids()
    missing = [row for row, pid in enumerate(live_ids) if pid not in have]
    if not missing:
        return
    passvec = np.load(gen.passvec, mmap_mode="r")
    for i in range(0, len(missing), 5000):
        rows = missing[i : i + 5000]
        vectors.add([live_ids[r] for r in rows], np.asarray(passvec[rows], dtype=np.float32))


def _sync_server(settings: Settings, gen: Generation, store_id: str) -> None:
    """Unchanged corpus on a server: make sure the collection holds every passage (e.g. a new server)."""
    conn = open_manifest(gen.manifest, readonly=True)
    try:
        live_ids = [pid for (pid,) in conn.execute("SELECT passage_id FROM passages ORDER BY row")]
    finally:
        conn.close()
    vectors = VectorStore.open(settings, None, create=True, store_id=store_id)
    try:
        if vectors.collection.count() != len(live_ids):
            _upload_missing(vectors, gen, live_ids)
            live = set(live_ids)
            vectors.delete(sorted(vectors.all_ids() - live))
    finally:
        vectors.close()


def _drop_stale_server_vectors(settings: Settings, live: set[str], store_id: str) -> None:
    """On a shared server the collection is written in place: remove what left the corpus."""
    vectors = VectorStore.open(settings, None, create=True, store_id=store_id)
    try:
        vectors.delete(sorted(vectors.all_ids() - live))
    finally:
        vectors.close()
