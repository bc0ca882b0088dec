"""Hybrid search over one loaded generation: dense (Chroma) and BM25, fused by reciprocal rank."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Iterator

import numpy as np

from citebot.settings import Settings
from retrieval.embed import Encoder
from retrieval.lexical import BM25Index
from retrieval.store import Generation, open_manifest, read_info
from retrieval.textutil import remembered
from retrieval.truecase import load_case_table
from retrieval.types import DocMeta, Document, Hit, Passage
from retrieval.vectors import VectorStore


def rrf_fuse(rankings: list[tuple[list[int], float]], k: int) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: sum of weight / (k + rank) over rankers, best first.

    NOTE: k=60 (the default setting) is from Cormack, Clarke and Buettcher, SIGIR 2009.
    """
    scores: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class SentenceTable:
    """Sentence offsets (compact int32 arrays, memory-mapped) and their precomputed vectors."""

    def __init__(self, table: np.ndarray, doc_index: dict[str, int], vectors: np.ndarray,
                 attributions: "AttributionVectors") -> None:
        self.table = table  # (rows, 3): document index, start, end
        self.doc_index = doc_index
        self.vectors = vectors  # float16, row-aligned
        self.attributions = attributions  # row -> vector; zeros where a sentence has no quotation
        bounds = np.arange(len(doc_index) + 1)
        self._first = np.searchsorted(np.asarray(table[:, 0]), bounds) if len(table) else np.zeros(len(bounds), np.int64)

    def doc_rows(self, doc_id: str) -> tuple[int, int]:
        """The sentence rows ``[a, b)`` of a document (empty when unknown)."""
        idx = self.doc_index.get(doc_id)
        if idx is None:
            return 0, 0
        return int(self._first[idx]), int(self._first[idx + 1])

    @property
    def rows(self) -> "_PerDocument":
        """doc_id -> its sentence rows (a range)."""
        return _PerDocument(self, None)

    @property
    def starts(self) -> "_PerDocument":
        """doc_id -> its sentences' start offsets, in order."""
        return _PerDocument(self, 1)

    @property
    def ends(self) -> "_PerDocument":
        """doc_id -> its sentences' end offsets, in order."""
        return _PerDocument(self, 2)

    def at(self, doc_id: str, pos: int) -> tuple[int, int, int] | None:
        """(row, start, end) of the sentence of ``doc_id`` holding text position ``pos``."""
        first, last = self.doc_rows(doc_id)
        starts = self.starts[doc_id]
        i = int(np.searchsorted(starts, pos, "right")) - 1
        if i < 0 or first + i >= last:
            return None
        return first + i, int(starts[i]), int(self.ends[doc_id][i])

    def in_span(self, doc_id: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """(row, start, end) of the sentences of a document that start inside ``[start, end)``."""
        idx = self.doc_index.get(doc_id)
        if idx is None:
            return []
        a, b = int(self._first[idx]), int(self._first[idx + 1])
        starts = self.table[a:b, 1]
        i = int(np.searchsorted(starts, start, "left"))
        j = int(np.searchsorted(starts, end, "left"))
        rows = np.asarray(self.table[a + i : a + j, 1:3]).tolist()
        return [(a + i + n, s, e) for n, (s, e) in enumerate(rows)]


class _PerDocument(Mapping):
    """A per-document view of one column of the sentence table (what ``rows``/``starts``/``ends`` give)."""

    def __init__(self, table: SentenceTable, column: int | None) -> None:
        self._table = table
        self._column = column

    def __getitem__(self, doc_id: str):
        if doc_id not in self._table.doc_index:
            raise KeyError(doc_id)
        a, b = self._table.doc_rows(doc_id)
        return range(a, b) if self._column is None else _Ints(self._table.table[a:b, self._column])

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.doc_index)

    def __len__(self) -> int:
        return len(self._table.doc_index)


class _Ints(Sequence):
    """A column of a memory-mapped int32 table read as Python ints (offsets end up in JSON)."""

    def __init__(self, column: np.ndarray) -> None:
        self._column = column

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return self._column[i].tolist()
        return int(self._column[i])

    def __len__(self) -> int:
        return len(self._column)


class AttributionVectors:
    """Vectors of the words outside a sentence's quotation, stored only for sentences that have one."""

    def __init__(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        self.rows = rows
        self.vectors = vectors
        self._zero = np.zeros(vectors.shape[1] if vectors.ndim == 2 else 384, dtype=np.float16)

    def __getitem__(self, row: int) -> np.ndarray:
        i = int(np.searchsorted(self.rows, row))
        if i < len(self.rows) and int(self.rows[i]) == row:
            return self.vectors[i]
        return self._zero

    def __len__(self) -> int:
        return len(self.rows)

    def dot(self, rows: list[int], vector: np.ndarray) -> np.ndarray:
        """Each row's attribution vector dotted with ``vector`` (0 where a sentence has none)."""
        out = np.zeros(len(rows), dtype=np.float32)
        if not len(self.rows) or not rows:
            return out
        wanted = np.asarray(rows)
        i = np.minimum(np.searchsorted(self.rows, wanted), len(self.rows) - 1)
        hit = np.asarray(self.rows[i]) == wanted
        if hit.any():
            out[hit] = np.asarray(self.vectors[i[hit]], dtype=np.float32) @ vector
        return out


class _Manifest:
    """A read-only manifest connection shared by threads (SQLite calls are serialised)."""

    def __init__(self, path) -> None:
        self._conn = open_manifest(path, readonly=True)
        self._lock = threading.Lock()

    def all(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple = ()) -> tuple | None:
        with self._lock:
            return self._conn.execute(sql, params).fetchone()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class DocumentTable(Mapping):
    """doc_id -> Document; metadata in memory, texts read from the manifest when asked (cached)."""

    def __init__(self, manifest: _Manifest, metas: dict[str, tuple[DocMeta, str, int]], cache: int = 256) -> None:
        self._manifest = manifest
        self._metas = metas
        self._cache: OrderedDict[str, Document] = OrderedDict()
        self._size = cache
        self._lock = threading.Lock()

    def __getitem__(self, doc_id: str) -> Document:
        with self._lock:
            doc = self._cache.get(doc_id)
            if doc is not None:
                self._cache.move_to_end(doc_id)
                return doc
        meta, digest, idx = self._metas[doc_id]
        row = self._manifest.one("SELECT text FROM texts WHERE idx = ?", (idx,))
        doc = Document(meta, row[0] if row else "", digest)
        with self._lock:
            self._cache[doc_id] = doc
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return doc

    def __iter__(self) -> Iterator[str]:
        return iter(self._metas)

    def __len__(self) -> int:
        return len(self._metas)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._metas

    def meta(self, doc_id: str) -> DocMeta:
        return self._metas[doc_id][0]

    def values(self):  # noqa: D102 - Mapping's, without reading every text at once
        return _Values(self)


class _Values:
    def __init__(self, table: DocumentTable) -> None:
        self._table = table

    def __iter__(self):
        return (self._table[d] for d in self._table)

    def __len__(self) -> int:
        return len(self._table)


class PassageTable(Sequence):
    """Row -> Passage, read from the manifest on demand (texts are not held in memory)."""

    _SQL = 'SELECT row, passage_id, doc_id, start, "end", text FROM passages'

    def __init__(self, manifest: _Manifest, size: int) -> None:
        self._manifest = manifest
        self._size = size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(self._size))]
        row = int(row)
        if row < 0:
            row += self._size
        found = self._manifest.one(self._SQL + " WHERE row = ?", (row,))
        if found is None:
            raise IndexError(row)
        return Passage(*found[1:])

    def many(self, rows: list[int]) -> list[Passage]:
        """Passages of ``rows`` in that order, in one query."""
        found: dict[int, Passage] = {}
        unique = sorted(set(int(r) for r in rows))
        for i in range(0, len(unique), 500):
            part = unique[i : i + 500]
            for r in self._manifest.all(self._SQL + f" WHERE row IN ({','.join('?' * len(part))})", tuple(part)):
                found[r[0]] = Passage(*r[1:])
        return [found[int(r)] for r in rows]

    def __iter__(self) -> Iterator[Passage]:
        last = -1
        while True:
            block = self._manifest.all(self._SQL + " WHERE row > ? ORDER BY row LIMIT 2000", (last,))
            if not block:
                return
            for r in block:
                yield Passage(*r[1:])
            last = block[-1][0]


class RowLookup(Mapping):
    """passage_id -> row, answered by the manifest's unique index (no dict of every id in memory)."""

    def __init__(self, manifest: _Manifest, size: int) -> None:
        self._manifest = manifest
        self._size = size

    def __getitem__(self, passage_id: str) -> int:
        found = self._manifest.one("SELECT row FROM passages WHERE passage_id = ?", (passage_id,))
        if found is None:
            raise KeyError(passage_id)
        return int(found[0])

    def many(self, passage_ids: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in range(0, len(passage_ids), 500):
            part = list(passage_ids[i : i + 500])
            sql = f"SELECT passage_id, row FROM passages WHERE passage_id IN ({','.join('?' * len(part))})"
            out.update(self._manifest.all(sql, tuple(part)))
        return out

    def __iter__(self) -> Iterator[str]:
        return (pid for (pid,) in self._manifest.all("SELECT passage_id FROM passages ORDER BY row"))

    def __len__(self) -> int:
        return self._size


class LoadedIndex:
    """A read-only view of one generation: small arrays and metadata in memory, the rest on demand.

    Vectors and offset tables are memory-mapped ``.npy`` files; document and passage texts stay in
    the manifest and are read when a question needs them, so memory does not grow with the corpus'
    text.
    """

    def __init__(self, settings: Settings, gen: Generation) -> None:
        self.settings = settings
        self.generation = gen
        self.manifest = _Manifest(gen.manifest)
        self.info = read_info(self.manifest._conn)
        metas: dict[str, tuple[DocMeta, str, int]] = {}
        doc_index: dict[str, int] = {}
        for idx, doc_id, digest, meta_json in self.manifest.all(
            "SELECT idx, doc_id, content_hash, meta FROM documents ORDER BY doc_id"
        ):
            meta = {k: v for k, v in json.loads(meta_json).items() if not k.startswith("_")}
            metas[doc_id] = (DocMeta(**meta), digest, idx)
            doc_index[doc_id] = idx
        self.documents = DocumentTable(self.manifest, metas)
        table = np.load(gen.passage_table, mmap_mode="r")
        self.passages = PassageTable(self.manifest, len(table))
        self.row_of = RowLookup(self.manifest, len(table))
        self.sentences = SentenceTable(
            np.load(gen.sentence_table, mmap_mode="r"),
            doc_index,
            np.load(gen.sentvec, mmap_mode="r"),
            AttributionVectors(np.load(gen.attrrows).reshape(-1), np.load(gen.attrvec, mmap_mode="r")),
        )
        # Sentence rows of each passage form one contiguous range (sentences are stored in order).
        self.sentence_span = np.asarray(table[:, 3:5], dtype=np.int64)
        self.passage_vectors = np.load(gen.passvec, mmap_mode="r")
        self.bm25 = BM25Index.load(gen.bm25)
        self._neighbourhoods: dict[tuple[str, bytes], np.ndarray] = {}  # the last few questions' (``neighbourhood``)
        self.cases = load_case_table(gen.cases)
        try:
            self.vectors = VectorStore.open(settings, gen.chroma, create=False, store_id=self.info.get("store_id", ""))
        except BaseException:
            self.manifest.close()
            raise

    def neighbourhood(self, query: str, query_vector: np.ndarray) -> np.ndarray | None:
        """The passages nearest ``query`` (the first ``answer_neighbourhood`` dense and BM25 candidates)
        as a boolean mask over rows, for counting how common a word is near the question rather than in
        the whole collection; None when that is every passage (a collection no bigger than that)."""
        n = self.settings.answer_neighbourhood
        if len(self.passages) <= n:
            return None
        return self._remember_neighbourhood(query, query_vector, lambda: [row for row, _ in self.dense(query_vector, n)]
                                            + [row for row, _ in self.bm25.search(query, n)])

    def _remember_neighbourhood(self, query: str, query_vector: np.ndarray, rows: Callable[[], list[int]]) -> np.ndarray:
        """The mask of ``rows()`` for this question, made once; the last few questions' are kept."""
        def mask(_key: object) -> np.ndarray:
            found = np.zeros(len(self.passages), dtype=bool)
            found[rows()] = True
            return found
        return remembered(self._neighbourhoods, (query, query_vector.tobytes()), mask, limit=8)

    def close(self) -> None:
        # The manifest connection is left to the garbage collector: a question still running on
        # this index in another thread (while the engine switches generation) keeps reading texts.
        self.vectors.close()

    def dense(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(row, cosine) from Chroma, limited to passages of this generation."""
        hits = self.vectors.query(query_vector, k)
        rows = self.row_of.many([pid for pid, _ in hits])
        return [(rows[pid], sim) for pid, sim in hits if pid in rows]

    def with_documents(self, hits: list[Hit], doc_ids: set[str], query_vector: np.ndarray, first: int) -> list[Hit]:
        """``hits`` with the best two passages of ``doc_ids`` (by their best sentence) among the ``first``,
        when they are not: "what did the 2022 letter ask for?" reads the letter the question names
        by its date. The passages they displace follow them; ranks are renumbered."""
        if not doc_ids:
            return hits
        rows = [int(r) for d in sorted(doc_ids) for r in self.passages_of(d)]
        if not rows:
            return hits
        chosen = self.passages.many(self.rank_by_best_sentence(rows, query_vector)[:2])
        top = hits[:first]
        missing = [p for p in chosen if p.passage_id not in {h.passage.passage_id for h in top}]
        if not missing:
            return hits
        # the last of the first passages that are not the named documents' make room
        others = [i for i, h in enumerate(top) if h.passage.doc_id not in doc_ids][::-1][: len(missing)]
        displaced = [top[i] for i in sorted(others)]
        kept = [h for i, h in enumerate(top) if i not in others]
        score = kept[-1].score if kept else 0.0
        ids = {p.passage_id for p in missing}
        merged = kept + [Hit(p, score, 0) for p in missing] + displaced + [
            h for h in hits[first:] if h.passage.passage_id not in ids]
        return [Hit(h.passage, h.score, rank) for rank, h in enumerate(merged[: len(hits)], start=1)]

    def passage_holding(self, row: int) -> Passage | None:
        """The first passage holding sentence ``row`` (a sentence may also end the passage before)."""
        span = self.sentence_span
        rows = np.flatnonzero((span[:, 0] <= row) & (span[:, 1] > row))
        return self.passages[int(rows[0])] if len(rows) else None

    def passages_of(self, doc_id: str) -> np.ndarray:
        """The passage rows of ``doc_id`` (those whose sentences are the document's)."""
        a, b = self.sentences.doc_rows(doc_id)
        span = self.sentence_span
        return np.flatnonzero((span[:, 0] < b) & (span[:, 1] > a)) if b > a else np.zeros(0, dtype=np.int64)

    def rank_by_best_sentence(self, rows: list[int], query_vector: np.ndarray) -> list[int]:
        """``rows`` ordered by their best-matching sentence (precomputed sentence vectors)."""
        best = []
        vecs = self.sentences.vectors
        for row in rows:
            a, b = self.sentence_span[row]
            sims = np.asarray(vecs[a:b], dtype=np.float32) @ query_vector if b > a else np.zeros(1)
            best.append(float(sims.max()))
        order = np.argsort(-np.asarray(best), kind="stable")
        return [rows[i] for i in order]

    def search(self, query: str, query_vector: np.ndarray | None, k: int, mode: str | None = None) -> list[Hit]:
        """The top ``k`` passages for ``query`` (``query_vector`` is needed unless mode is bm25)."""
        s = self.settings
        mode = mode or s.search_mode
        n = max(k, s.candidates)
        rankings: list[tuple[list[int], float]] = []
        if mode in ("hybrid", "dense") and query_vector is not None:
            rankings.append(([row for row, _ in self.dense(query_vector, n)], s.dense_weight))
        if mode in ("hybrid", "bm25"):
            rankings.append(([row for row, _ in self.bm25.search(query, n)], s.bm25_weight))
        near = s.answer_neighbourhood
        if len(rankings) == 2 and n >= near and len(self.passages) > near:
            # the answerer counts word frequencies among the first of these (``neighbourhood``): no second search
            self._remember_neighbourhood(query, query_vector, lambda: [row for ranking, _ in rankings for row in ranking[:near]])
        if mode == "hybrid" and query_vector is not None and s.sentence_weight > 0:
            pool = sorted({row for ranking, _ in rankings for row in ranking})
            rankings.append((self.rank_by_best_sentence(pool, query_vector), s.sentence_weight))
        fused = rrf_fuse(rankings, s.rrf_k)[:k]
        passages = self.passages.many([row for row, _ in fused])
        return [Hit(p, score, rank) for rank, (p, (_row, score)) in enumerate(zip(passages, fused), start=1)]


class Searcher:
    """Encodes the query once and searches a loaded index (what the engine and benchmarks call)."""

    def __init__(self, index: LoadedIndex, encoder: Encoder) -> None:
        self.index = index
        self.encoder = encoder

    def search(self, query: str, k: int, mode: str | None = None) -> tuple[list[Hit], np.ndarray]:
        vector = self.encoder.encode_one(query)
        return self.index.search(query, vector, k, mode), vector
