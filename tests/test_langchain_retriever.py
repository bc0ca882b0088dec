"""LangChain's standard retriever suite, run against our retriever."""

from __future__ import annotations

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

from retrieval.langchain_retriever import CitebotRetriever


class TestCitebotRetriever(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _engine(self, engine):
        type(self)._shared_engine = engine

    @property
    def retriever_constructor(self) -> type[CitebotRetriever]:
        return CitebotRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"engine": type(self)._shared_engine}

    @property
    def retriever_query_example(self) -> str:
        return "Who coordinated the open letter to the commissioner?"


def test_documents_carry_citation_metadata(engine):
    docs = CitebotRetriever(engine=engine, k=3).invoke("Runnymede Trust")
    assert len(docs) == 3
    meta = docs[0].metadata
    assert {"passage_id", "doc_id", "start", "end", "title", "rank"} <= set(meta)
    assert engine.document(meta["doc_id"]).text[meta["start"] : meta["end"]] == docs[0].page_content
