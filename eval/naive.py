"""The naive LangChain baseline: the textbook pipeline citebot has to beat.

Raw corpus files -> ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`` ->
MiniLM embeddings -> an in-memory Chroma collection -> ``similarity_search`` top 10. The answer
is the top chunk's text, quoted whole as the one citation; it never abstains and ignores the
conversation history. It returns the answer object of CONTRACTS.md section 3 (as a dict), so the
same metrics apply.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

# NOTE: 1000/200 are the chunk size and overlap of LangChain's own RAG tutorial: the usual default.
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 10
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst"})


def read_corpus(corpus: Path) -> dict[str, str]:
    """Raw text of every plain-text file under ``corpus`` by doc_id (path relative to it)."""
    docs: dict[str, str] = {}
    for path in sorted(Path(corpus).rglob("*")):
        rel = path.relative_to(corpus)
        if not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        docs[rel.as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return docs


class NaivePipeline:
    """Chunk, embed, store and search with stock LangChain parts; answer with the top chunk."""

    name = "naive"

    def __init__(
        self,
        corpus: Path,
        *,
        embeddings: Embeddings | None = None,
        k: int = TOP_K,
        chunk_size: int = CHUNK_SIZE,
        chunk_overlap: int = CHUNK_OVERLAP,
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        if embeddings is None:
            from retrieval.embed import MiniLMEmbeddings

            embeddings = MiniLMEmbeddings()
        self.k = k
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True
        )
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        ids: list[str] = []
        for doc_id, text in read_corpus(Path(corpus)).items():
            for i, chunk in enumerate(splitter.create_documents([text], [{"doc_id": doc_id}])):
                start = int(chunk.metadata["start_index"])
                pid = f"naive:{doc_id}:{i}"
                texts.append(chunk.page_content)
                metadatas.append(
                    {"passage_id": pid, "doc_id": doc_id, "start": start, "end": start + len(chunk.page_content)}
                )
                ids.append(pid)
        self._passages = {m["passage_id"]: {**m, "text": t} for t, m in zip(texts, metadatas)}
        # An explicit in-memory client: nothing on disk, no telemetry, and the embedding comes only
        # from ``embeddings`` (Chroma's default embedding function would download a model).
        self._client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self._collection = f"naive-{uuid.uuid4().hex[:12]}"
        self._store = Chroma(
            collection_name=self._collection,
            embedding_function=embeddings,
            client=self._client,
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        if texts:
            self._store.add_texts(texts, metadatas=metadatas, ids=ids)

    @property
    def chunks(self) -> int:
        """Number of chunks in the collection."""
        return len(self._passages)

    def ask(self, question: str, history: Sequence[str] = ()) -> dict[str, Any]:
        """The answer object for ``question``; ``history`` is ignored (the baseline has no memory)."""
        started = time.perf_counter()
        k = min(self.k, self.chunks)
        found = self._store.similarity_search_with_score(question, k=k) if k else []
        retrieved = (time.perf_counter() - started) * 1000
        passages = []
        for rank, (doc, distance) in enumerate(found, start=1):
            meta = doc.metadata
            passages.append(
                {
                    "rank": rank,
                    "passage_id": meta["passage_id"],
                    "doc_id": meta["doc_id"],
                    "text": doc.page_content,
                    "score": round(1.0 - float(distance), 6),
                    "start": meta["start"],
                    "end": meta["end"],
                }
            )
        citations = []
        if passages:
            top = passages[0]
            citations.append(
                {
                    "n": 1,
                    "doc_id": top["doc_id"],
                    "title": Path(top["doc_id"]).stem,
                    "source": None,
                    "date": None,
                    "quote": top["text"],
                    "start": top["start"],
                    "end": top["end"],
                    "passage_id": top["passage_id"],
                }
            )
        answer = f"{passages[0]['text']} [1]" if passages else "No documents are indexed."
        total = (time.perf_counter() - started) * 1000
        return {
            "question": question,
            "answer": answer,
            "abstained": False,
            "citations": citations,
            "passages": passages,
            "timings_ms": {
                "retrieve": round(retrieved, 2),
                "answer": round(total - retrieved, 2),
                "total": round(total, 2),
            },
            "notes": ["naive baseline"],
        }

    def passage(self, passage_id: str) -> dict[str, Any] | None:
        """A stored chunk by id."""
        return self._passages.get(passage_id)

    def close(self) -> None:
        """Drop the in-memory collection."""
        try:
            self._client.delete_collection(self._collection)
        except Exception:  # noqa: BLE001 - already gone is fine
            pass
