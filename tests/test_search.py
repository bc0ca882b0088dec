"""Hybrid ranking: dense and BM25 fused, each ranker useful on its own kind of query."""

from __future__ import annotations

import pytest

from citebot.settings import load_settings
from retrieval.engine import Engine
from retrieval.search import rrf_fuse
from tests.conftest import write_corpus


def test_rrf_fuse_hand_computed():
    # k=60: item 7 is 1st and 2nd -> 1/61 + 1/62; item 3 is 2nd in one list -> 1/62; item 9 1st once -> 1/61
    fused = dict(rrf_fuse([([7, 3], 1.0), ([9, 7], 1.0)], 60))
    assert fused[7] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[9] == pytest.approx(1 / 61)
    assert fused[3] == pytest.approx(1 / 62)
    assert [item for item, _ in rrf_fuse([([7, 3], 1.0), ([9, 7], 1.0)], 60)] == [7, 9, 3]


def test_rrf_weights_shift_the_order():
    order = [i for i, _ in rrf_fuse([([1], 1.0), ([2], 3.0)], 60)]
    assert order == [2, 1]


@pytest.fixture(scope="module")
def small_engine(tmp_path_factory, engine):
    corpus = write_corpus(tmp_path_factory.mktemp("corpus"), {
        "ferry.txt": "The island ferry timetable changes in May. Sailings leave the harbour at seven each morning. "
                     "Tickets cost four pounds for adults.",
        "bakery.txt": "A bakery on Mill Street won a national prize for its sourdough loaf. The baker, Ines Varga, "
                      "starts work at three in the morning.",
        "code.txt": "Error code XJ-4471 means the boiler pressure is too low. Top up the pressure to 1.5 bar "
                    "using the filling loop under the boiler.",
        "weather.txt": "Storms brought heavy rain to the valley. Farmers reported flooded fields and damaged fences "
                       "after the river burst its banks.",
    })
    settings = load_settings(corpus=corpus, store=corpus.parent / "index")
    eng = Engine(settings, encoder=engine.encoder)
    eng.index()
    yield eng
    eng.close()


def test_bm25_finds_a_rare_exact_token(small_engine):
    hits = small_engine.search("XJ-4471", k=2, mode="bm25")
    assert hits[0].passage.doc_id == "code.txt"


def test_dense_finds_a_paraphrase_with_no_shared_words(small_engine):
    hits = small_engine.search("Which farmland got waterlogged?", k=2, mode="dense")
    assert hits[0].passage.doc_id == "weather.txt"


def test_hybrid_gets_both_right(small_engine):
    assert small_engine.search("XJ-4471", k=1)[0].passage.doc_id == "code.txt"
    assert small_engine.search("Which farmland got waterlogged?", k=1)[0].passage.doc_id == "weather.txt"
    assert small_engine.search("award-winning bread", k=1)[0].passage.doc_id == "bakery.txt"


def test_search_returns_ranked_unique_passages(small_engine):
    hits = small_engine.search("morning", k=10)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert len({h.passage.passage_id for h in hits}) == len(hits)
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


def test_runnymede_question_top_passage(engine):
    hits = engine.search("Which group organised the campaigners' letter to the commissioner?", k=10)
    assert "Runnymede Trust" in hits[0].passage.text


def test_attribution_dot_products_are_zero_for_sentences_without_one():
    import numpy as np

    from retrieval.search import AttributionVectors

    vectors = np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float16)
    attributions = AttributionVectors(np.array([2, 5], dtype=np.int64), vectors)
    query = np.array([0.5, 2.0, 0.0], dtype=np.float32)
    got = attributions.dot([5, 0, 2, 7], query)
    assert got.tolist() == [2.0, 0.0, 0.5, 0.0]
    assert [float(attributions[r] @ query) for r in (5, 0, 2, 7)] == got.tolist()  # same as one at a time
    assert AttributionVectors(np.zeros(0, dtype=np.int64), np.zeros((0, 3), np.float16)).dot([1], query).tolist() == [0.0]
