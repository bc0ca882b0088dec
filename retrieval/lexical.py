"""BM25 over passage texts (bm25s, English stemming and stop words)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

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


class BM25Index:
    """A BM25 ranker over a fixed list of passages, addressed by position."""

    def __init__(self, retriever, size: int) -> None:
        self._retriever = retriever
        self.size = size
        self.tokens = Tokenizer()

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
        retriever = bm25s.BM25.load(str(folder), mmap=False) if size else bm25s.BM25()
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
