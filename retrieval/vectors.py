"""The dense side of the index in Chroma: an embedded store per generation, or a shared server."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Sequence

import numpy as np

from citebot.errors import CitebotError
from citebot.settings import Settings

ADD_BATCH = 1000  # NOTE: well under Chroma's max batch size (5461 on its SQLite backend)


def collection_name(settings: Settings, store_id: str = "") -> str:
    """A Chroma collection name derived from the settings that shaped the vectors.

    On a server, ``store_id`` (a random id kept in every generation's manifest) is part of the
    name, so two stores with the same settings never share, and never clean up, one collection.
    """
    base = f"citebot-{settings.index_signature()}"
    if store_id:
        digest = hashlib.sha1(store_id.encode()).hexdigest()[:12]
        base = f"{base[:63 - 13]}-{digest}"
    name = re.sub(r"[^a-zA-Z0-9._-]+", "-", base)
    return name[:63].strip("-._") or "citebot-passages"


def _quiet_chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class VectorStore:
    """Passage vectors in a Chroma collection (ids are passage ids, vectors are ours).

    Only ids and vectors are stored: passage texts live in the manifest, so Chroma neither keeps
    a second copy nor builds a full-text index of them.
    """

    def __init__(self, client, collection, embedded: bool) -> None:
        self._client = client
        self.collection = collection
        self.embedded = embedded

    @classmethod
    def open(cls, settings: Settings, folder: Path | None, create: bool, store_id: str = "") -> "VectorStore":
        """The collection for ``settings``: embedded at ``folder``, or on the configured server.

        ``store_id`` names the store's own collection on a server (ignored when embedded: each
        generation has its own folder there).
        """
        import chromadb
        from chromadb.errors import NotFoundError

        if settings.chroma_host:
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=_quiet_chroma_settings()
            )
            embedded = False
        else:
            assert folder is not None
            client = chromadb.PersistentClient(path=str(folder), settings=_quiet_chroma_settings())
            embedded = True
        name = collection_name(settings, "" if embedded else store_id)
        if create:
            collection = client.get_or_create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        else:
            try:
                collection = client.get_collection(name, embedding_function=None)
            except NotFoundError as exc:
                where = (f"on the Chroma server {settings.chroma_host}:{settings.chroma_port}" if not embedded
                         else f"in {folder}")
                raise CitebotError(
                    f"The index's vectors (Chroma collection {name}) are missing {where}; "
                    "run `citebot index` to upload them."
                ) from exc
        return cls(client, collection, embedded)

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        for i in range(0, len(ids), ADD_BATCH):
            j = i + ADD_BATCH
            self.collection.upsert(ids=list(ids[i:j]), embeddings=np.asarray(vectors[i:j], dtype=np.float32))

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), ADD_BATCH):
            self.collection.delete(ids=list(ids[i : i + ADD_BATCH]))

    def all_ids(self) -> set[str]:
        """Every id in the collection (server-mode garbage collection and repair)."""
        found: set[str] = set()
        offset = 0
        while True:
            page = self.collection.get(include=[], limit=5000, offset=offset)
            if not page["ids"]:
                return found
            found.update(page["ids"])
            offset += len(page["ids"])

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Top ``k`` (passage_id, cosine similarity), best first.

        No ``count()`` first: Chroma returns fewer than ``k`` results (or none) from a small
        collection by itself, and on a server each count would be one more round trip.
        """
        result = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=k, include=["distances"]
        )
        return [(pid, 1.0 - float(d)) for pid, d in zip(result["ids"][0], result["distances"][0])]

    def close(self) -> None:
        close = getattr(self._client, "close", None)
        if callable(close):
            try:
                close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
