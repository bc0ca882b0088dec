"""Build or update the index incrementally: only new or changed files are read and embedded."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from citebot.errors import CitebotError, DocumentError
from citebot.settings import Settings
from retrieval.embed import Encoder
from retrieval.ingest import CorpusFile, Failure, Ingested, file_hash, ingest_file, scan_corpus
from retrieval.lexical import BM25Index
from retrieval.metadata import load_metadata_file
from retrieval.textutil import attribution
from retrieval.readers import check_size
from retrieval.store import (
    Generation,
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

SCHEMA_VERSION = "3"  # 3: hyphenated words are also indexed joined


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
    gen: Generation
    docs: dict[str, tuple[str, int, int, str, str]]  # doc_id -> (hash, size, mtime_ns, meta, text)
    passage_rows: dict[str, int]
    sentence_rows: dict[tuple[str, int, int, str], int]
    passvec: np.ndarray
    sentvec: np.ndarray
    attrvec: np.ndarray
    info: dict[str, str]


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
    if gen is None:
        return None
    conn = open_manifest(gen.manifest, readonly=True)
    try:
        info = read_info(conn)
        if info.get("signature") != signature or info.get("schema") != SCHEMA_VERSION:
            return None
        docs = {
            row[0]: (row[1], row[2], row[3], row[4], row[5])
            for row in conn.execute("SELECT doc_id, content_hash, size, mtime_ns, meta, text FROM documents")
        }
        passage_rows = {pid: row for row, pid in conn.execute("SELECT row, passage_id FROM passages")}
        sentence_rows: dict[tuple[str, int, int, str], int] = {}
        for row, doc_id, start, end in conn.execute('SELECT row, doc_id, start, "end" FROM sentences'):
            text = docs[doc_id][4][start:end]
            sentence_rows[(doc_id, start, end, text)] = row
    finally:
        conn.close()
    passvec = np.load(gen.passvec, mmap_mode="r")
    sentvec = np.load(gen.sentvec, mmap_mode="r")
    attrvec = np.load(gen.attrvec, mmap_mode="r")
    return _OldIndex(gen, docs, passage_rows, sentence_rows, passvec, sentvec, attrvec, info)


def _progress(iterable, total: int, desc: str, enabled: bool):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr, leave=False)


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _meta_key(given: dict) -> str:
    return json.dumps(given, sort_keys=True, ensure_ascii=False)


def _encode(encoder: Encoder, texts: list[str], progress: bool, label: str) -> np.ndarray:
    if progress and texts:
        print(f"Embedding {len(texts)} {label}...", file=sys.stderr)
    return encoder.encode(texts, show_progress=progress and len(texts) > 256)


def build_index(settings: Settings, encoder: Encoder, progress: bool = False, wait: bool = False) -> IndexReport:
    """Bring the index of ``settings.corpus`` up to date in ``settings.store_dir``."""
    started = time.perf_counter()
    store = settings.store_dir
    with write_lock(store, wait=wait):
        report = _build_locked(settings, encoder, store, progress)
    report.seconds = time.perf_counter() - started
    return report


def _build_locked(settings: Settings, encoder: Encoder, store: Path, progress: bool) -> IndexReport:
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
    to_read: list[tuple[CorpusFile, str, tuple[int, int]]] = []
    keep: dict[str, tuple[str, int, int, str, str]] = {}
    failed_ids: set[str] = set()

    def fail(doc_id: str, reason: str) -> None:
        """Report ``doc_id`` and keep its previous version: a file that fails loses nothing."""
        report.failed.append(Failure(doc_id, reason))
        failed_ids.add(doc_id)
        if doc_id in old_docs:
            keep[doc_id] = old_docs[doc_id]

    # A folder that cannot be listed (or a broken link) keeps the documents indexed under it.
    for failure in failures:
        for doc_id in old_docs:
            if doc_id == failure.doc_id or doc_id.startswith(failure.doc_id.rstrip("/") + "/"):
                keep[doc_id] = old_docs[doc_id]
                failed_ids.add(doc_id)

    for item in files:
        try:
            size, mtime = _stamp(item.path)
            check_size(size, max_bytes)  # before hashing: an oversized file is never read
        except OSError as exc:
            fail(item.doc_id, f"cannot read ({exc.strerror})")
            continue
        except DocumentError as exc:
            fail(item.doc_id, str(exc))
            continue
        given_key = _meta_key(given_all.get(item.doc_id, {}))
        prev = old_docs.get(item.doc_id)
        if prev and prev[1] == size and prev[2] == mtime and json.loads(prev[3]).get("_given") == given_key:
            keep[item.doc_id] = prev
            continue
        try:
            digest = file_hash(item.path)
        except OSError as exc:
            fail(item.doc_id, f"cannot read ({exc.strerror})")
            continue
        if prev and prev[0] == digest and json.loads(prev[3]).get("_given") == given_key:
            keep[item.doc_id] = (prev[0], size, mtime, prev[3], prev[4])  # touched, not changed
            continue
        to_read.append((item, digest, (size, mtime)))

    present = {item.doc_id for item in files}
    removed = sorted(d for d in old_docs if d not in present and d not in keep)

    # 2. Read and chunk what changed; a file that fails now keeps its previous version.
    fresh: dict[str, tuple[Ingested, tuple[int, int], str]] = {}
    for item, digest, stamp in _progress(to_read, len(to_read), "Reading", progress):
        given = given_all.get(item.doc_id, {})
        try:
            ingested = ingest_file(
                item, given, settings.chunk_chars, settings.chunk_overlap_sentences, max_bytes, digest
            )
        except DocumentError as exc:
            fail(item.doc_id, str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the rest
            fail(item.doc_id, f"could not be processed ({exc.__class__.__name__}: {exc})")
            continue
        fresh[item.doc_id] = (ingested, stamp, _meta_key(given))
        (report.updated if item.doc_id in old_docs else report.added).append(item.doc_id)
    report.removed = removed
    report.unchanged = len(keep) - len([d for d in keep if d in failed_ids])

    if old is not None and not fresh and not removed:
        report.documents = len(keep)
        report.chunks = len(old.passage_rows)
        report.generation = prev_gen.name if prev_gen else None
        collect_garbage(store)
        return report
    if not keep and not fresh:
        # Never publish an empty index: a mistyped --corpus must not wipe a good one.
        raise CitebotError(_nothing_usable(corpus, report, kept=prev_gen is not None))
    return _write_generation(settings, encoder, store, old, keep, fresh, report, progress)


def _nothing_usable(corpus: Path, report: IndexReport, kept: bool = False) -> str:
    lines = [f"Nothing could be indexed from {corpus}."]
    lines += [f"  {f.doc_id}: {f.reason}" for f in report.failed[:20]]
    if not report.failed:
        lines.append("  The folder has no .txt, .md, .html or .pdf files.")
    if kept:
        lines.append("The previous index is kept unchanged.")
    return "\n".join(lines)


def _write_generation(
    settings: Settings,
    encoder: Encoder,
    store: Path,
    old: _OldIndex | None,
    keep: dict[str, tuple[str, int, int, str, str]],
    fresh: dict[str, tuple[Ingested, tuple[int, int], str]],
    report: IndexReport,
    progress: bool,
) -> IndexReport:
    gen = new_generation(store)
    # 3. Gather every passage and sentence in a stable order, reusing vectors where the text is known.
    passages: list[tuple[str, str, int, int, str]] = []
    sentences: list[tuple[str, int, int]] = []
    pass_src: list[int] = []  # row in old passvec, or -1 when it must be embedded
    sent_src: list[int] = []
    documents: list[tuple[str, str, int, int, str, str]] = []

    old_conn = open_manifest(old.gen.manifest, readonly=True) if old else None
    try:
        for doc_id in sorted({*keep, *fresh}):
            if doc_id in fresh:
                ingested, (size, mtime), given_key = fresh[doc_id]
                doc = ingested.document
                meta = {**doc.meta.to_dict(), "_given": given_key}
                documents.append((doc_id, doc.content_hash, size, mtime, json.dumps(meta, ensure_ascii=False), doc.text))
                doc_passages = [(p.passage_id, p.doc_id, p.start, p.end, p.text) for p in ingested.passages]
                doc_sentences = [(s.doc_id, s.start, s.end) for s in ingested.sentences]
                text = doc.text
            else:
                digest, size, mtime, meta_json, text = keep[doc_id]
                documents.append((doc_id, digest, size, mtime, meta_json, text))
                assert old_conn is not None
                doc_passages = list(
                    old_conn.execute(
                        'SELECT passage_id, doc_id, start, "end", text FROM passages WHERE doc_id = ? ORDER BY row',
                        (doc_id,),
                    )
                )
                doc_sentences = list(
                    old_conn.execute(
                        'SELECT doc_id, start, "end" FROM sentences WHERE doc_id = ? ORDER BY row', (doc_id,)
                    )
                )
            for p in doc_passages:
                passages.append(p)
                pass_src.append(old.passage_rows.get(p[0], -1) if old else -1)
            for s in doc_sentences:
                sentences.append(s)
                key = (s[0], s[1], s[2], text[s[1] : s[2]])
                sent_src.append(old.sentence_rows.get(key, -1) if old else -1)
    finally:
        if old_conn is not None:
            old_conn.close()

    # 4. Embed only what is new.
    texts_by_doc = {d[0]: d[5] for d in documents}
    new_p = [i for i, src in enumerate(pass_src) if src < 0]
    new_s = [i for i, src in enumerate(sent_src) if src < 0]
    dim = 384
    titles = {d[0]: json.loads(d[4]).get("title") or "" for d in documents}

    def indexed_text(p: tuple[str, str, int, int, str]) -> str:
        """What the rankers see: the passage, headed by its document's title when so configured."""
        return f"{titles[p[1]]}\n{p[4]}" if settings.contextual_headers else p[4]

    p_new_vecs = _encode(encoder, [indexed_text(passages[i]) for i in new_p], progress, "passages")
    new_sentence_texts = [texts_by_doc[sentences[i][0]][sentences[i][1] : sentences[i][2]] for i in new_s]
    s_new_vecs = _encode(encoder, new_sentence_texts, progress, "sentences")
    attributions = [(i, attribution(t)) for i, t in zip(new_s, new_sentence_texts)]
    attributions = [(i, a) for i, a in attributions if a]
    a_new_vecs = _encode(encoder, [a for _i, a in attributions], progress, "attributions")
    if len(p_new_vecs):
        dim = p_new_vecs.shape[1]
    elif old is not None:
        dim = old.passvec.shape[1]
    passvec = np.zeros((len(passages), dim), dtype=np.float16)
    sentvec = np.zeros((len(sentences), dim), dtype=np.float16)
    attrvec = np.zeros((len(sentences), dim), dtype=np.float16)
    for i, src in enumerate(pass_src):
        if src >= 0 and old is not None:
            passvec[i] = old.passvec[src]
    for i, src in enumerate(sent_src):
        if src >= 0 and old is not None:
            sentvec[i] = old.sentvec[src]
            attrvec[i] = old.attrvec[src]
    if new_p:
        passvec[new_p] = p_new_vecs.astype(np.float16)
    if new_s:
        sentvec[new_s] = s_new_vecs.astype(np.float16)
    if attributions:
        attrvec[[i for i, _a in attributions]] = a_new_vecs.astype(np.float16)
    report.embedded = len(new_p) + len(new_s) + len(attributions)

    # 5. The dense store: carry the previous generation forward, then apply the difference.
    if not settings.chroma_host and old is not None:
        snapshot_tree(old.gen.chroma, gen.chroma)  # readers may be writing to it: copy a snapshot
    vectors = VectorStore.open(settings, gen.chroma, create=True)
    try:
        new_ids = {p[0] for p in passages}
        stale = [pid for pid in (old.passage_rows if old else {}) if pid not in new_ids]
        if vectors.embedded:
            vectors.delete(stale)
        add_rows = [i for i in range(len(passages)) if old is None or pass_src[i] < 0]
        vectors.add(
            [passages[i][0] for i in add_rows],
            passvec[add_rows].astype(np.float32) if add_rows else np.zeros((0, dim), np.float32),
            [passages[i][1] for i in add_rows],
            [passages[i][4] for i in add_rows],
        )
    finally:
        vectors.close()

    # 6. Lexical index, vectors and manifest, then publish.
    BM25Index.build([indexed_text(p) for p in passages]).save(gen.bm25)
    np.save(gen.passvec, passvec)
    np.save(gen.sentvec, sentvec)
    np.save(gen.attrvec, attrvec)
    conn = open_manifest(gen.manifest)
    try:
        with conn:
            conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)", documents)
            conn.executemany(
                'INSERT INTO passages (row, passage_id, doc_id, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
                [(i, *p) for i, p in enumerate(passages)],
            )
            conn.executemany(
                'INSERT INTO sentences (row, doc_id, start, "end") VALUES (?, ?, ?, ?)',
                [(i, *s) for i, s in enumerate(sentences)],
            )
            write_info(
                conn,
                schema=SCHEMA_VERSION,
                signature=settings.index_signature(),
                corpus=str(Path(settings.corpus).resolve()),
                created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                fingerprint=hashlib.sha1("".join(p[0] for p in passages).encode()).hexdigest(),
            )
    finally:
        conn.close()
    publish(store, gen)
    if settings.chroma_host and old is not None:
        _drop_stale_server_vectors(settings, {p[0] for p in passages})
    report.documents = len(documents)
    report.chunks = len(passages)
    report.generation = gen.name
    return report


def _drop_stale_server_vectors(settings: Settings, live: set[str]) -> None:
    """On a shared server the collection is written in place: remove what left the corpus."""
    vectors = VectorStore.open(settings, None, create=True)
    try:
        vectors.delete(sorted(vectors.all_ids() - live))
    finally:
        vectors.close()
