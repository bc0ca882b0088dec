"""Hybrid search over one loaded generation: dense (Chroma) and BM25, fused by reciprocal rank."""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass

import numpy as np

from citebot.settings import Settings
from retrieval.embed import Encoder
from retrieval.lexical import BM25Index
from retrieval.store import Generation, open_manifest, read_info
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


@dataclass
class SentenceTable:
    """Sentence offsets per document, and their precomputed vectors."""

    starts: dict[str, list[int]]
    ends: dict[str, list[int]]
    rows: dict[str, list[int]]
    vectors: np.ndarray  # float16, row-aligned
    attributions: np.ndarray  # float16, row-aligned; zeros where a sentence has no quotation

    def in_span(self, doc_id: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """(row, start, end) of the sentences inside ``[start, end)`` of a document."""
        starts = self.starts.get(doc_id, [])
        i = bisect.bisect_left(starts, start)
        out = []
        while i < len(starts) and starts[i] < end:
            out.append((self.rows[doc_id][i], starts[i], self.ends[doc_id][i]))
            i += 1
        return out


class LoadedIndex:
    """A read-only view of one generation, held in memory for fast queries."""

    def __init__(self, settings: Settings, gen: Generation) -> None:
        self.settings = settings
        self.generation = gen
        conn = open_manifest(gen.manifest, readonly=True)
        try:
            self.info = read_info(conn)
            self.documents: dict[str, Document] = {}
            for doc_id, digest, meta_json, text in conn.execute(
                "SELECT doc_id, content_hash, meta, text FROM documents ORDER BY doc_id"
            ):
                meta = {k: v for k, v in json.loads(meta_json).items() if not k.startswith("_")}
                self.documents[doc_id] = Document(DocMeta(**meta), text, digest)
            self.passages: list[Passage] = [
                Passage(pid, doc_id, start, end, text)
                for pid, doc_id, start, end, text in conn.execute(
                    'SELECT passage_id, doc_id, start, "end", text FROM passages ORDER BY row'
                )
            ]
            starts: dict[str, list[int]] = {}
            ends: dict[str, list[int]] = {}
            rows: dict[str, list[int]] = {}
            for row, doc_id, start, end in conn.execute('SELECT row, doc_id, start, "end" FROM sentences ORDER BY row'):
                starts.setdefault(doc_id, []).append(start)
                ends.setdefault(doc_id, []).append(end)
                rows.setdefault(doc_id, []).append(row)
        finally:
            conn.close()
        self.row_of = {p.passage_id: i for i, p in enumerate(self.passages)}
        self.sentences = SentenceTable(
            starts, ends, rows, np.load(gen.sentvec, mmap_mode="r"), np.load(gen.attrvec, mmap_mode="r")
        )
        # Sentence rows of each passage form one contiguous range (sentences are stored in order).
        spans = np.zeros((len(self.passages), 2), dtype=np.int64)
        for i, p in enumerate(self.passages):
            inside = self.sentences.in_span(p.doc_id, p.start, p.end)
            spans[i] = (inside[0][0], inside[-1][0] + 1) if inside else (0, 0)
        self.sentence_span = spans
        self.passage_vectors = np.load(gen.passvec, mmap_mode="r")
        self.bm25 = BM25Index.load(gen.bm25)
        self.vectors = VectorStore.open(settings, gen.chroma, create=False)

    def close(self) -> None:
        self.vectors.close()

    def dense(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(row, cosine) from Chroma, limited to passages of this generation."""
        hits = self.vectors.query(query_vector, k)
        return [(self.row_of[pid], sim) for pid, sim in hits if pid in self.row_of]

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
        if mode == "hybrid" and query_vector is not None and s.sentence_weight > 0:
            pool = sorted({row for ranking, _ in rankings for row in ranking})
            rankings.append((self.rank_by_best_sentence(pool, query_vector), s.sentence_weight))
        fused = rrf_fuse(rankings, s.rrf_k)[:k]
        return [Hit(self.passages[row], score, rank) for rank, (row, score) in enumerate(fused, start=1)]


class Searcher:
    """Encodes the query once and searches a loaded index (what the engine and benchmarks call)."""

    def __init__(self, index: LoadedIndex, encoder: Encoder) -> None:
        self.index = index
        self.encoder = encoder

    def search(self, query: str, k: int, mode: str | None = None) -> tuple[list[Hit], np.ndarray]:
        vector = self.encoder.encode_one(query)
        return self.index.search(query, vector, k, mode), vector
