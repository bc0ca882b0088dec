"""LangChain ``Embeddings`` over citebot's encoder (for LangChain tools and the naive baseline).

Kept apart from ``retrieval.embed`` so that encoding does not import LangChain.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from retrieval.embed import Encoder


class MiniLMEmbeddings(Embeddings):
    """LangChain ``Embeddings`` over the same encoder (for LangChain tools and baselines)."""

    def __init__(self, encoder: Encoder | None = None) -> None:
        self.encoder = encoder or Encoder()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encoder.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encoder.encode_one(text).tolist()
