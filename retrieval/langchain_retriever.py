"""A LangChain ``BaseRetriever`` over the citebot index (so LangChain tools and test suites can use it)."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class CitebotRetriever(BaseRetriever):
    """Hybrid retrieval from a citebot ``Engine``.

    Args:
        engine: an open ``retrieval.engine.Engine``.
        k: how many passages to return (also accepted per call: ``invoke(query, k=3)``).
        mode: ``hybrid``, ``dense`` or ``bm25``; default the engine's setting.

    Returns documents whose ``page_content`` is the passage text, with ``metadata`` holding
    ``passage_id``, ``doc_id``, ``start``, ``end``, ``score``, ``rank``, ``title``, ``source``, ``date``.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: Any
    k: int = 10
    mode: str | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[LCDocument]:
        hits = self.engine.search(query, k or self.k, self.mode)
        docs = []
        for hit in hits:
            p = hit.passage
            meta = self.engine.document(p.doc_id).meta
            docs.append(
                LCDocument(
                    page_content=p.text,
                    metadata={
                        "passage_id": p.passage_id, "doc_id": p.doc_id, "start": p.start, "end": p.end,
                        "score": hit.score, "rank": hit.rank, "title": meta.title,
                        "source": meta.source, "date": meta.date,
                    },
                )
            )
        return docs
