"""Sentences and passages always quote the document exactly (property-tested)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.chunk import chunk_text, passage_id
from retrieval.sentences import split_sentences

WORDS = st.sampled_from(
    ["the", "Met", "Dr.", "Sir", "letter", "26", "thirty", "£366m", "“quoted”", "U.K.", "e.g.", "report", "Ms.",
     "police", "J.", "said:", "2023.", "(IOPC)", "…", "‘words’", "Commissioner", "St.", "é", "—", "x"]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=25).map(lambda ws: " ".join(ws)) .flatmap(
    lambda s: st.sampled_from([".", "!", "?", "", ".”", "…"]).map(lambda end: s + end)
)
TEXT = st.lists(
    st.tuples(SENTENCE, st.sampled_from([" ", "  ", "\n", "\n\n", " \n "])), min_size=0, max_size=40
).map(lambda parts: "".join(s + sep for s, sep in parts))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=100, max_value=1500), st.integers(min_value=0, max_value=3))
def test_passages_quote_text_exactly(text, target, overlap):
    passages = chunk_text(text, "doc.txt", target, overlap)
    for p in passages:
        assert text[p.start : p.end] == p.text
        assert p.text == p.text.strip() and p.text
    sentences = split_sentences(text, "doc.txt")
    for s in sentences:
        assert text[s.start : s.end] == s.text
    # Every sentence lies whole inside some passage, and passages come in order.
    for s in sentences:
        assert any(p.start <= s.start and s.end <= p.end for p in passages)
    assert [p.start for p in passages] == sorted(p.start for p in passages)
    assert len({p.passage_id for p in passages}) == len(passages)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_passages_stay_within_target_unless_one_sentence_is_longer(text):
    for p in chunk_text(text, "d", 300, 1):
        if len(p.text) > 300:
            assert len(split_sentences(p.text)) == 1


def test_abbreviations_do_not_end_sentences():
    text = "Dr. Smith met Sir Mark at St. Paul's. Then J. Jones spoke, e.g. about budgets. It ended."
    assert [s.text for s in split_sentences(text)] == [
        "Dr. Smith met Sir Mark at St. Paul's.",
        "Then J. Jones spoke, e.g. about budgets.",
        "It ended.",
    ]


def test_passage_ids_are_stable_and_content_based():
    text = "One sentence here. Another sentence there. A third one follows."
    first = chunk_text(text, "a.txt", 40, 1)
    again = chunk_text(text, "a.txt", 40, 1)
    assert [p.passage_id for p in first] == [p.passage_id for p in again]
    assert passage_id("a.txt", "x") != passage_id("b.txt", "x")


def test_every_indexed_passage_quotes_its_document(engine):
    index = engine.loaded
    for p in index.passages:
        assert index.documents[p.doc_id].text[p.start : p.end] == p.text
