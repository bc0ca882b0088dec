"""Stand-in encoder for large benchmark indexes: real vectors of the sentence pool, reused.

Every sentence of a generated corpus is a sentence of the pool, whose vectors were computed
once with the real model. ``ReusedVectorEncoder.encode`` returns the pool vector of a sentence
(exact), and for a longer text (a passage) the normalised mean of the vectors of its sentences
(an approximation whose cosine to the real passage vector the benchmark measures and reports).
Texts it cannot decompose get a pool vector chosen by hash. Encoding then costs microseconds, so
a 100k-passage index can be built in minutes; the encoder time of a real build is projected from
the measured rate instead.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Sequence

import numpy as np

from retrieval.embed import Encoder
from retrieval.sentences import split_sentences


def _key(text: str) -> str:
    return " ".join(text.split())


def save_pool(path: Path, texts: list[str], vectors: np.ndarray) -> None:
    np.savez(path, texts=np.array(texts, dtype=object), vectors=vectors.astype(np.float32))


class ReusedVectorEncoder(Encoder):
    """An ``Encoder`` whose vectors come from a pre-encoded sentence pool (see module doc)."""

    def __init__(self, pool_file: Path, model_path: str | None = None, batch_size: int = 64) -> None:
        super().__init__(model_path, batch_size)
        data = np.load(pool_file, allow_pickle=True)
        self.pool_vectors = np.asarray(data["vectors"], dtype=np.float32)
        self.row = {_key(t): i for i, t in enumerate(data["texts"].tolist())}
        self.exact = 0
        self.composed = 0
        self.hashed = 0

    def _vector(self, text: str) -> np.ndarray:
        row = self.row.get(_key(text))
        if row is not None:
            self.exact += 1
            return self.pool_vectors[row]
        rows = [self.row[k] for k in (_key(s.text) for s in split_sentences(text)) if k in self.row]
        if rows:
            self.composed += 1
            vec = self.pool_vectors[rows].mean(axis=0)
            return vec / (np.linalg.norm(vec) or 1.0)
        self.hashed += 1
        h = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        return self.pool_vectors[h % len(self.pool_vectors)]

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.pool_vectors.shape[1]), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)

    def encode_one(self, text: str) -> np.ndarray:
        """Queries are always encoded by the real model."""
        return super().encode([text])[0]
