"""The extractive answerer: verbatim citations, corroboration, disagreement, abstention, follow-ups."""

from __future__ import annotations

import pytest

from retrieval.conversation import Turn, resolve
from retrieval.textutil import normalise


def _verbatim(engine, answer):
    for c in answer.citations:
        doc = engine.document(c.doc_id)
        assert doc.text[c.start : c.end] == c.quote
        assert f"[{c.n}]" in answer.answer


def test_factoid_answer_is_short_cited_and_verbatim(engine):
    a = engine.ask("Which group organised the campaigners' letter to the commissioner?")
    assert not a.abstained
    assert "Runnymede Trust" in a.answer
    assert a.citations and len(a.answer.split()) <= 60
    _verbatim(engine, a)
    assert len(a.passages) >= 10
    assert set(a.timings_ms) >= {"retrieve", "answer", "total"}


def test_answer_object_matches_the_contract(engine):
    d = engine.ask("How much is the A New Met for London scheme worth?").to_dict()
    assert {"question", "answer", "abstained", "citations", "passages", "timings_ms"} <= set(d)
    c = d["citations"][0]
    assert {"n", "doc_id", "title", "source", "date", "quote", "start", "end", "passage_id"} <= set(c)
    assert {"rank", "passage_id", "doc_id", "text", "score"} <= set(d["passages"][0])
    assert "366" in d["answer"]


def test_quotes_are_verbatim_in_the_raw_files(engine):
    from tests.conftest import CORPUS

    for q in ["Who is the Vice Chair of EQUAL?", "When were the two Met constables sacked?"]:
        a = engine.ask(q)
        for c in a.citations:
            assert normalise(c.quote) in normalise((CORPUS / c.doc_id).read_text(encoding="utf-8"))


def test_sources_that_disagree_are_shown_side_by_side(engine):
    a = engine.ask("How many organisations signed the open letter to Sir Mark Rowley criticising the New Met for London plan?")
    assert "disagree" in a.answer
    assert "26" in a.answer and "Thirty" in a.answer
    assert len({c.doc_id for c in a.citations}) >= 2
    _verbatim(engine, a)


@pytest.mark.parametrize(
    "question",
    ["What will the weather be like in London tomorrow?",
     "Is the United States planning to join Israel in attacking Iran?"],
)
def test_questions_the_documents_do_not_answer_are_refused(engine, question):
    a = engine.ask(question)
    assert a.abstained
    assert a.answer.startswith("The documents do not answer this question.")
    assert a.citations == []
    assert a.passages  # the nearest passages are still listed


def test_follow_up_resolves_against_the_conversation(engine):
    first = "Which group organised the campaigners' letter to the commissioner?"
    a = engine.ask("Who leads it?", history=[first])
    assert "Shabna Begum" in a.answer
    a = engine.ask("What happened to the officers who stopped them?",
                   history=["Which athletes were at the centre of the stop and search row?"])
    assert "sacked" in a.answer and "October 2023" in a.answer


def test_resolve_picks_the_agent_of_the_last_answer():
    turn = Turn("Which group organised the letter?",
                "Groups such as Inquest and StopWatch signed the letter which was coordinated by the Runnymede Trust. [1]")
    assert resolve("Who leads it?", [turn]) == "Who leads the Runnymede Trust?"
    assert resolve("Who signed the letter to the commissioner?", [turn]) == "Who signed the letter to the commissioner?"


def test_empty_and_oversized_questions_get_a_plain_reply(engine):
    assert engine.ask("   ").abstained
    a = engine.ask("stop and search " * 20000)
    assert isinstance(a.answer, str) and a.answer
