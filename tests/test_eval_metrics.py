"""Metric functions of eval/metrics.py on small hand-computed cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eval import metrics as m
from eval.gate import check

# --- normalise -------------------------------------------------------------------------------


def test_normalise_quotes_dashes_spaces_case():
    assert m.normalise("\u201cA\u00a0 New\u2014Met\u2019s\u201d  \u2013 X") == "\"a new-met's\" - x"
    assert m.normalise("\u2018single\u2019 \u201alow\u201b \u201edouble\u201f") == "'single' 'low' \"double\""
    assert m.normalise("  Tabs\tand\nnewlines\r\n here ") == "tabs and newlines here"
    assert m.normalise("\ufb01ne \u2460") == "fine 1"  # NFKC: the fi ligature and a circled digit


@given(st.text())
def test_normalise_is_idempotent(text):
    once = m.normalise(text)
    assert m.normalise(once) == once


@given(st.text(alphabet=st.sampled_from("aB \t\n\u2019\u201c\u2014xY."), max_size=40))
def test_normalise_has_no_curly_quotes_dashes_or_double_spaces(text):
    out = m.normalise(text)
    assert not set(out) & set("\u2018\u2019\u201c\u201d\u2013\u2014\t\n")
    assert "  " not in out and out == out.strip() and out == out.lower()


# --- correctness -----------------------------------------------------------------------------

GOLD = {"answerable": True, "answers": [["sacked", "dismissed"], ["October 2023"]], "type": "followup"}
NONE = {"answerable": False, "answers": [], "type": "unanswerable"}


def test_correct_needs_every_group():
    assert m.is_correct("Two constables were Dismissed in October\u00a02023 [1].", False, GOLD)
    assert not m.is_correct("Two constables were dismissed [1].", False, GOLD)
    assert not m.is_correct("They were sacked in 2023.", False, GOLD)


def test_citation_markers_do_not_break_a_match():
    assert m.is_correct("sacked in October [1] 2023", False, GOLD)


def test_answerable_that_abstained_is_wrong_even_if_text_matches():
    assert not m.is_correct("The documents do not say; nearest: sacked October 2023", True, GOLD)


def test_unanswerable_is_correct_iff_abstained():
    assert m.is_correct("The documents do not answer this.", True, NONE)
    assert not m.is_correct("Anything at all", False, NONE)


# --- retrieval ---------------------------------------------------------------------------------


def test_first_hit_rank_uses_normalised_containment():
    texts = ["nothing here", "Also nothing", "He said \u201cTwo Met  constables were sacked\u201d today"]
    assert m.first_hit_rank(texts, ['two met constables were "sacked']) is None
    assert m.first_hit_rank(texts, ["Two Met constables were sacked"]) == 3
    assert m.first_hit_rank(texts, ["absent", "also NOTHING"]) == 2
    assert m.first_hit_rank([], ["x"]) is None


def test_recall_and_mrr_by_hand():
    ranks = [1, 3, None, 6]
    assert m.recall_at_k(ranks, 1) == pytest.approx(0.25)
    assert m.recall_at_k(ranks, 5) == pytest.approx(0.5)
    assert m.recall_at_k(ranks, 10) == pytest.approx(0.75)
    assert m.mrr(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 6) / 4)  # 0.375
    assert m.recall_at_k([], 5) is None and m.mrr([]) is None


# --- abstention --------------------------------------------------------------------------------


def test_abstention_scores_by_hand():
    abstained = [True, True, False, False, True]
    answerable = [False, True, False, True, False]
    # true positives: 0 and 4; predicted: 0, 1, 4; actual unanswerable: 0, 2, 4
    scores = m.abstention_scores(abstained, answerable)
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)


def test_abstention_zero_division_cases():
    # nothing abstained, nothing unanswerable: vacuously perfect
    assert m.abstention_scores([False, False], [True, True]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    # nothing abstained but one unanswerable: precision vacuous, recall 0, F1 0
    assert m.abstention_scores([False, False], [True, False]) == {"precision": 1.0, "recall": 0.0, "f1": 0.0}
    # abstained although everything was answerable: precision 0, recall vacuous, F1 0
    assert m.abstention_scores([True, False], [True, True]) == {"precision": 0.0, "recall": 1.0, "f1": 0.0}
    with pytest.raises(ValueError):
        m.abstention_scores([True], [])


# --- words and latency -------------------------------------------------------------------------


def test_words_median_and_percentiles():
    assert m.count_words("Mark Rowley [1] leads the Met's force [2, 3].") == 6
    assert m.count_words("") == 0
    assert m.median([3, 1, 2]) == 2 and m.median([1, 2, 3, 10]) == 2.5 and m.median([]) is None
    assert m.percentile([40, 10, 30, 20], 50) == pytest.approx(25.0)
    assert m.percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)  # 30 + 0.85 * 10
    assert m.percentile([7], 95) == 7 and m.percentile([], 50) is None


# --- one answer, then many ---------------------------------------------------------------------

DOCS = {"a.txt": "Intro. Two Met constables were sacked in October 2023. The end.", "b.txt": "Other things."}


def _answer(**extra):
    answer = {
        "question": "What happened to the officers?",
        "answer": "They were sacked in October 2023 [1].",
        "abstained": False,
        "citations": [
            {"n": 1, "doc_id": "a.txt", "quote": "Two Met constables were sacked", "passage_id": "a#1"},
            {"n": 2, "doc_id": "b.txt", "quote": "not in the file", "passage_id": "b#0"},
            {"n": 3, "doc_id": "a.txt", "quote": "Intro.", "passage_id": "a#0"},
        ],
        "passages": [
            {"rank": 2, "passage_id": "a#1", "doc_id": "a.txt", "text": "Two Met constables were sacked in October 2023."},
            {"rank": 1, "passage_id": "b#0", "doc_id": "b.txt", "text": "Other things."},
        ],
        "timings_ms": {"retrieve": 1.0, "total": 12.5},
    }
    answer.update(extra)
    return answer


def test_score_answer_by_hand():
    gold = {**GOLD, "evidence": [{"quote": "constables were sacked in October 2023"}]}
    extra = {"a#0": "Intro."}
    s = m.score_answer(_answer(), gold, doc_text=DOCS.get, passage_text=extra.get, latency_ms=99.0)
    assert s["correct"] and s["has_evidence"]
    assert s["evidence_rank"] == 2  # sorted by rank: b#0 first, a#1 second
    # three distinct cited passages; a#1 holds the quote; a#0 is looked up through passage_text
    assert (s["cited_passages"], s["cited_hits"]) == (3, 1)
    assert (s["citations"], s["verbatim"], s["unverified"]) == (3, 2, 0)
    assert s["words"] == 6 and s["latency_ms"] == 12.5


def test_score_answer_falls_back_to_passage_text_and_wall_time():
    answer = _answer(timings_ms={})
    s = m.score_answer(answer, NONE, latency_ms=42.0)  # no document texts known
    assert not s["correct"] and not s["has_evidence"] and s["evidence_rank"] is None
    assert s["cited_passages"] == 0  # evidence precision only counts answerable questions with evidence
    # citations 1 and 2 are checked against their passage; 3's passage is unknown
    assert (s["verbatim"], s["unverified"]) == (1, 3)
    assert s["latency_ms"] == 42.0


def _score(type_, answerable, abstained, correct, rank=None, cited=(0, 0), words=10, latency=10.0):
    return {
        "type": type_,
        "answerable": answerable,
        "abstained": abstained,
        "correct": correct,
        "has_evidence": answerable,
        "evidence_rank": rank,
        "cited_passages": cited[0],
        "cited_hits": cited[1],
        "citations": cited[0],
        "verbatim": cited[0],
        "unverified": 0,
        "words": words,
        "latency_ms": latency,
    }


def test_summarise_by_hand():
    scores = [
        _score("factoid", True, False, True, rank=1, cited=(2, 1), words=5, latency=10),
        _score("factoid", True, False, False, rank=7, cited=(1, 0), words=9, latency=20),
        _score("followup", True, True, False, rank=None, words=12, latency=30),
        _score("unanswerable", False, True, True, words=12, latency=40),
    ]
    r = m.summarise(scores)
    assert r["n"] == 4 and r["n_answerable"] == 3
    assert r["accuracy"] == 0.5 and r["answerable_accuracy"] == pytest.approx(0.3333, abs=1e-4)
    assert r["retrieval"]["recall@1"] == pytest.approx(0.3333, abs=1e-4)
    assert r["retrieval"]["recall@5"] == pytest.approx(0.3333, abs=1e-4)
    assert r["retrieval"]["recall@10"] == pytest.approx(0.6667, abs=1e-4)
    assert r["retrieval"]["mrr"] == pytest.approx((1 + 1 / 7) / 3, abs=1e-4)
    assert r["abstention"]["precision"] == 0.5 and r["abstention"]["recall"] == 1.0
    assert r["abstention"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert r["citations"]["evidence_precision"] == pytest.approx(0.3333, abs=1e-4)
    assert r["citations"]["verbatim_rate"] == 1.0
    assert r["answer_words"]["median"] == 10.5 and r["answer_words"]["median_answered"] == 7
    assert r["latency_ms"]["p50"] == 25.0 and r["latency_ms"]["p95"] == pytest.approx(38.5)
    factoid = r["by_type"]["factoid"]
    assert factoid["n"] == 2 and factoid["accuracy"] == 0.5 and factoid["recall@5"] == 0.5
    assert factoid["mrr"] == pytest.approx((1 + 1 / 7) / 2, abs=1e-4)
    assert factoid["answer_words_median"] == 7
    assert r["by_type"]["unanswerable"]["recall@5"] is None  # not measured, not zero


def test_summarise_empty_is_not_measured():
    r = m.summarise([])
    assert r["n"] == 0 and r["accuracy"] is None and r["retrieval"]["mrr"] is None and r["by_type"] == {}


# --- gate ---------------------------------------------------------------------------------------


def test_gate_check_lists_each_problem():
    report = {"accuracy": 0.8, "retrieval": {"recall@5": 0.4, "mrr": None}}
    floors = {"accuracy": 0.7, "retrieval.recall@5": 0.5, "retrieval.mrr": 0.1, "abstention.f1": 0.5}
    problems = check(report, floors)
    assert len(problems) == 3
    assert problems[0].startswith("retrieval.recall@5: 0.400 is below its floor 0.500")
    assert "not measured" in problems[1] and "missing" in problems[2]
    assert check(report, {"accuracy": 0.8}) == []
