"""BM25 over passage texts (bm25s, English stemming and stop words)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from retrieval.textutil import remembered

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_COMPOUND = re.compile(r"(?u)\b[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)+\b")


def _stemmer():
    try:
        import Stemmer

        return Stemmer.Stemmer("english")
    except ImportError:  # pragma: no cover - PyStemmer is a dependency
        return None


def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


class Tokenizer:
    """Lower case, words of two or more characters, English stop words out, Snowball stems."""

    def __init__(self) -> None:
        self._stop = _stopwords()
        self._stemmer = _stemmer()
        self._cache: dict[str, str] = {}
        self._sets: dict[str, frozenset[str]] = {}

    def stem_set(self, text: str) -> frozenset[str]:
        """The stems of ``text`` as a set, remembered: the answerer reads the same sentences over and
        over (the cache is emptied when it reaches 50,000 texts)."""
        return remembered(self._sets, text, lambda t: frozenset(self(t)))

    def __call__(self, text: str) -> list[str]:
        text = text.lower()
        words = [w for w in _TOKEN.findall(text) if w not in self._stop]
        # "co-ordinated" also matches "coordinated", "anti-racist" "antiracist".
        words += [m.group(0).replace("-", "").replace("\u2010", "").replace("\u2011", "") for m in _COMPOUND.finditer(text)]
        out = []
        cache = self._cache
        for w in words:
            stem = cache.get(w)
            if stem is None:
                stem = self._stemmer.stemWord(w) if self._stemmer else w
                if len(cache) < 200_000:
                    cache[w] = stem
            out.append(stem)
        return out


class TokenIds:
    """Passages as arrays of token ids over one growing vocabulary (what BM25 is built from).

    A build keeps these instead of the passage texts, and saves them beside the BM25 index, so
    the next incremental build reuses the kept passages' tokens instead of tokenising them again.
    """

    def __init__(self, vocab: list[str] | None = None) -> None:
        self.vocab: list[str] = list(vocab or [])
        self._ids: dict[str, int] = {t: i for i, t in enumerate(self.vocab)}
        self._blocks: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []
        self.tokenize = Tokenizer()

    def add_texts(self, texts: list[str]) -> None:
        ids = self._ids
        flat: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        for n, text in enumerate(texts):
            tokens = self.tokenize(text) or [""]
            for t in tokens:
                i = ids.get(t)
                if i is None:
                    i = ids[t] = len(self.vocab)
                    self.vocab.append(t)
                flat.append(i)
            lengths[n] = len(tokens)
        self._blocks.append(np.asarray(flat, dtype=np.int32))
        self._lengths.append(lengths)

    def add_ids(self, flat: np.ndarray, lengths: np.ndarray) -> None:
        """Passages already tokenised with this vocabulary (ids of the vocabulary given at start)."""
        self._blocks.append(np.asarray(flat, dtype=np.int32))
        self._lengths.append(np.asarray(lengths, dtype=np.int64))

    def arrays(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(vocabulary of the used tokens only, flat ids, offsets) with ids renumbered densely."""
        flat = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.int32)
        lengths = np.concatenate(self._lengths) if self._lengths else np.zeros(0, np.int64)
        # Renumber by a lookup table (ids are below the vocabulary size): linear, where np.unique sorts.
        used = np.flatnonzero(np.bincount(flat, minlength=len(self.vocab)))
        renumber = np.zeros(len(self.vocab), dtype=np.int32)
        renumber[used] = np.arange(len(used), dtype=np.int32)
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return [self.vocab[i] for i in used], renumber[flat], offsets


def save_tokens(folder: Path, vocab: list[str], flat: np.ndarray, offsets: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "tokens.npy", flat)
    np.save(folder / "token_offsets.npy", offsets)
    (folder / "token_vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")


def load_tokens(folder: Path) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """What ``save_tokens`` wrote (flat ids memory-mapped), or None when absent."""
    try:
        vocab = json.loads((folder / "token_vocab.json").read_text(encoding="utf-8"))
        flat = np.load(folder / "tokens.npy", mmap_mode="r")
        offsets = np.load(folder / "token_offsets.npy")
    except (OSError, ValueError):
        return None
    return vocab, flat, offsets


def bm25_score_matrix(flat: np.ndarray, offsets: np.ndarray, n_vocab: int, k1: float, b: float) -> dict:
    """BM25 (Lucene idf, Robertson term-frequency part, as bm25s computes them) of every token in
    every passage, as bm25s keeps it: a passages x vocabulary matrix in compressed columns."""
    import scipy.sparse as sp

    n = len(offsets) - 1
    lengths = np.diff(offsets)
    rows = np.repeat(np.arange(n, dtype=np.int32), lengths)
    tf = sp.csc_matrix((np.ones(len(flat), dtype=np.float32), (rows, np.asarray(flat))), shape=(n, n_vocab))
    tf.sum_duplicates()
    df = np.diff(tf.indptr)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = (k1 * ((1 - b) + b * lengths / lengths.mean())).astype(np.float32)
    data = np.repeat(idf, df) * tf.data / (norm[tf.indices] + tf.data)
    return {"data": data.astype(np.float32), "indices": tf.indices.astype(np.int32), "indptr": tf.indptr,
            "num_docs": n}


class BM25Index:
    """A BM25 ranker over a fixed list of passages, addressed by position."""

    def __init__(self, retriever, size: int) -> None:
        self._retriever = retriever
        self.size = size
        self.tokens = Tokenizer()

    @classmethod
    def build_from_ids(cls, vocab: list[str], flat: np.ndarray, offsets: np.ndarray) -> "BM25Index":
        """The same index as ``build`` of the texts, from their token ids (``TokenIds.arrays``).

        bm25s scores each passage in a Python loop (5 s for 100k passages here); the same score
        matrix is computed here with array operations (0.5 s), and bm25s saves and queries it.
        """
        import bm25s

        retriever = bm25s.BM25()
        size = len(offsets) - 1
        if size > 0:
            vocab_dict = {t: i for i, t in enumerate(vocab)}
            retriever.scores = bm25_score_matrix(flat, offsets, len(vocab), retriever.k1, retriever.b)
            if "" not in vocab_dict:  # bm25s adds the empty token, after the scored ones
                vocab_dict[""] = len(vocab)
            retriever.vocab_dict = vocab_dict
            retriever.unique_token_ids_set = set(vocab_dict.values())
            retriever.nonoccurrence_array = None
        return cls(retriever, max(size, 0))

    @classmethod
    def build(cls, texts: list[str]) -> "BM25Index":
        import bm25s

        retriever = bm25s.BM25()
        if texts:
            tokenize = Tokenizer()
            retriever.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "size").write_text(str(self.size))
        if self.size:
            self._retriever.save(str(folder))

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        import bm25s

        size = int((folder / "size").read_text())
        # Memory-mapped: a query touches only the columns of its own terms.
        retriever = bm25s.BM25.load(str(folder), mmap=True) if size else bm25s.BM25()
        return cls(retriever, size)

    def doc_freq(self, term: str) -> int:
        """How many passages contain ``term`` (a stemmed token); 0 when unknown."""
        if not self.size:
            return 0
        tid = self._retriever.vocab_dict.get(term)
        if tid is None:
            return 0
        indptr = self._retriever.scores["indptr"]
        return int(indptr[tid + 1] - indptr[tid])

    def doc_freq_among(self, term: str, among: np.ndarray) -> int:
        """How many of the passages marked in ``among`` (a boolean mask over positions) contain ``term``."""
        if not self.size:
            return 0
        tid = self._retriever.vocab_dict.get(term)
        if tid is None:
            return 0
        indptr, holders = self._retriever.scores["indptr"], self._retriever.scores["indices"]
        return int(among[np.asarray(holders[indptr[tid] : indptr[tid + 1]])].sum())

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Top ``k`` (position, score) pairs with a positive score, best first."""
        if not self.size:
            return []
        vocab = self._retriever.vocab_dict
        terms = [t for t in self.tokens(query) if t in vocab]
        if not terms:
            return []
        scores = self._retriever.get_scores(terms)
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
