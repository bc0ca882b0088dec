"""The answerer over a collection that also holds documents on other matters (``bench.distractors``)."""

from __future__ import annotations

import pytest

from bench.distractors import write_noisy_corpus
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def noisy_engine(tmp_path_factory):
    from citebot.settings import load_settings
    from retrieval.engine import Engine

    folder = tmp_path_factory.mktemp("noisy")
    write_noisy_corpus(folder / "corpus", 40)
    settings = load_settings(store=folder / "index", corpus=folder / "corpus", home=folder)
    eng = Engine.open(settings)
    yield eng
    eng.close()


def test_the_distractors_hold_no_sentence_of_the_bundled_corpus(tmp_path):
    from bench.corpus import _sentences_of

    write_noisy_corpus(tmp_path / "c", 5)
    extra = sorted((tmp_path / "c").glob("zz_distractor_*.txt"))
    assert len(extra) == 5 and len(list((tmp_path / "c").glob("*.txt"))) == 5 + len(list(CORPUS.glob("*.txt")))
    bundled = [s for p in CORPUS.glob("*.txt") for s in _sentences_of(p.read_text(encoding="utf-8")) if len(s) > 40]
    text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in extra)
    assert bundled and not any(s in text for s in bundled)


def test_word_frequencies_are_counted_near_the_question(noisy_engine, engine):
    index = noisy_engine.loaded
    query = "What did the letter to Sir Mark Rowley say about London's black communities?"
    vector = noisy_engine.encoder.encode_one(query)
    near = index.neighbourhood(query, vector)
    assert near is not None and 0 < near.sum() < len(index.passages)
    # the passages the search returns are among those weighed
    hits = index.search(query, vector, 10)
    assert all(near[index.row_of[h.passage.passage_id]] for h in hits)
    # "London" is rare in the whole collection (the distractors never say it) but common near the question
    answerer = noisy_engine.answerer
    assert answerer._idf(index, ["london"], near)["london"] < 0.75 * answerer._idf(index, ["london"])["london"]
    # a collection no bigger than the search's candidate lists is all neighbourhood
    small = engine.loaded
    vector = engine.encoder.encode_one(query)
    assert small.neighbourhood(query, vector) is not None  # the bundled corpus has more passages than 25
    small.settings = small.settings.model_copy(update={"answer_neighbourhood": len(small.passages)})
    try:
        assert small.neighbourhood(query, vector) is None
    finally:
        small.settings = engine.settings


def test_distractors_do_not_make_an_unanswerable_question_answerable(noisy_engine):
    assert noisy_engine.ask("What will the weather be like in London tomorrow?").abstained
    a = noisy_engine.ask("how many groups signed the open letter to Rowley?")
    assert "26" in a.answer and "Thirty" in a.answer
    assert all(not c.doc_id.startswith("zz_distractor") for c in a.citations)
