"""The dense side of the index in Chroma: an embedded store per generation, or a shared server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import numpy as np

from citebot.settings import Settings

ADD_BATCH = 1000  # NOTE: well under Chroma's max batch size (5461 on its SQLite backend)


def collection_name(settings: Settings) -> str:
    """A Chroma collection name derived from the settings that shaped the vectors."""
    name = re.sub(r"[^a-zA-Z0-9._-]+", "-", f"citebot-{settings.index_signature()}")
    return name[:63].strip("-._") or "citebot-passages"


def _quiet_chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class VectorStore:
    """Passage vectors in a Chroma collection (ids are passage ids, vectors are ours)."""

    def __init__(self, client, collection, embedded: bool) -> None:
        self._client = client
        self.collection = collection
        self.embedded = embedded

    @classmethod
    def open(cls, settings: Settings, folder: Path | None, create: bool) -> "VectorStore":
        """The collection for ``settings``: embedded at ``folder``, or on the configured server."""
        import chromadb

        if settings.chroma_host:
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=_quiet_chroma_settings()
            )
            embedded = False
        else:
            assert folder is not None
            client = chromadb.PersistentClient(path=str(folder), settings=_quiet_chroma_settings())
            embedded = True
        name = collection_name(settings)
        if create:
            collection = client.get_or_create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        else:
            collection = client.get_collection(name, embedding_function=None)
        return cls(client, collection, embedded)

    def add(self, ids: Sequence[str], vectors: np.ndarray, doc_ids: Sequence[str], texts: Sequence[str]) -> None:
        for i in range(0, len(ids), ADD_BATCH):
            j = i + ADD_BATCH
            self.collection.upsert(
                ids=list(ids[i:j]),
                embeddings=np.asarray(vectors[i:j], dtype=np.float32),
                metadatas=[{"doc_id": d} for d in doc_ids[i:j]],
                documents=list(texts[i:j]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), ADD_BATCH):
            self.collection.delete(ids=list(ids[i : i + ADD_BATCH]))

    def all_ids(self) -> set[str]:
        """Every id in the collection (server-mode garbage collection)."""
        found: set[str] = set()
        offset = 0
        while True:
            page = self.collection.get(include=[], limit=5000, offset=offset)
            if not page["ids"]:
                return found
            found.update(page["ids"])
            offset += len(page["ids"])

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Top ``k`` (passage_id, cosine similarity), best first."""
        count = self.collection.count()
        if not count:
            return []
        result = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=min(k, count), include=["distances"]
        )
        return [(pid, 1.0 - float(d)) for pid, d in zip(result["ids"][0], result["distances"][0])]

    def close(self) -> None:
        close = getattr(self._client, "close", None)
        if callable(close):
            try:
                close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
