"""Validation of the gold Q&A evaluation set eval/gold.jsonl.

Plain python + json + unicodedata; no project imports.
"""

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
GOLD = ROOT / "eval" / "gold.jsonl"
CORPUS = ROOT / "corpus"

TYPES = {
    "factoid",
    "number",
    "date",
    "list",
    "paraphrase",
    "multidoc",
    "conflict",
    "followup",
    "briefing",
    "unanswerable",
}

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)


def normalise(text: str) -> str:
    """NFKC, curly quotes -> straight, en/em dash -> '-', collapse whitespace, lower."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTES)
    text = re.sub(r"\s+", " ", text)
    return text.strip().lower()


def _load_gold():
    rows = []
    with GOLD.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append((lineno, json.loads(line)))
            except json.JSONDecodeError as exc:  # pragma: no cover - reported by test
                rows.append((lineno, exc))
    return rows


def _load_corpus():
    return {
        p.name: normalise(p.read_text(encoding="utf-8"))
        for p in sorted(CORPUS.glob("*.txt"))
    }


ROWS = _load_gold()
DOCS = _load_corpus()
ITEMS = [obj for _, obj in ROWS if isinstance(obj, dict)]


def _ids(items):
    return [str(o.get("id")) for o in items]


def test_normalise_function():
    assert normalise("\u201cA\u00a0 New\u2014Met\u2019s\u201d  \u2013 X") == "\"a new-met's\" - x"


def test_corpus_present():
    assert len(DOCS) == 5, sorted(DOCS)


def test_every_line_parses():
    bad = [(n, str(o)) for n, o in ROWS if not isinstance(o, dict)]
    assert not bad, bad
    assert ROWS, "gold file is empty"


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_schema(item):
    for key in ("id", "question", "answerable", "answers", "evidence", "type"):
        assert key in item, f"missing key {key}"
    assert isinstance(item["id"], str) and re.fullmatch(r"q\d{3}", item["id"])
    assert isinstance(item["question"], str) and item["question"].strip()
    assert isinstance(item["answerable"], bool)
    assert item["type"] in TYPES, item["type"]
    history = item.get("history", [])
    assert isinstance(history, list)
    assert all(isinstance(h, str) and h.strip() for h in history)
    assert isinstance(item["answers"], list)
    for group in item["answers"]:
        assert isinstance(group, list) and group, "answer groups must be non-empty lists"
        assert all(isinstance(a, str) and a.strip() for a in group)
    assert isinstance(item["evidence"], list)
    assert len(item["evidence"]) <= 2
    for ev in item["evidence"]:
        assert isinstance(ev, dict)
        assert isinstance(ev.get("quote"), str) and ev["quote"].strip()
        if "doc" in ev:
            assert isinstance(ev["doc"], str)
    if item["type"] == "followup":
        assert 1 <= len(history) <= 2, "followups need 1-2 history turns"


def test_ids_unique():
    counts = Counter(_ids(ITEMS))
    dupes = [i for i, c in counts.items() if c > 1]
    assert not dupes, dupes


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_evidence_quotes_in_docs(item):
    for ev in item["evidence"]:
        quote = normalise(ev["quote"])
        n_words = len(quote.split())
        assert 5 <= n_words <= 20, f"quote has {n_words} words: {ev['quote']!r}"
        doc = ev.get("doc")
        if doc:
            assert doc in DOCS, f"unknown doc {doc}"
            assert quote in DOCS[doc], f"quote not in {doc}: {ev['quote']!r}"
        else:
            assert any(quote in text for text in DOCS.values()), ev["quote"]


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_answers_consistent(item):
    if item["answerable"]:
        assert item["type"] != "unanswerable"
        assert item["answers"], "answerable question without answers"
        assert item["evidence"], "answerable question without evidence"
        for group in item["answers"]:
            for alt in group:
                norm = normalise(alt)
                assert any(norm in text for text in DOCS.values()), (
                    f"answer {alt!r} not found in any corpus document"
                )
    else:
        assert item["type"] == "unanswerable"
        assert item["answers"] == []
        assert item["evidence"] == []


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_evidence_supports_some_answer(item):
    """Each answer group should be stated in the docs cited as evidence."""
    if not item["answerable"]:
        return
    cited = [DOCS[ev["doc"]] for ev in item["evidence"] if ev.get("doc") in DOCS]
    if not cited:
        return
    for group in item["answers"]:
        assert any(
            normalise(alt) in text for alt in group for text in cited
        ), f"answer group {group} not found in cited docs"


def test_multidoc_and_conflict_cite_two_docs():
    for item in ITEMS:
        if item["type"] in ("multidoc", "conflict"):
            docs = {ev.get("doc") for ev in item["evidence"]}
            assert len(docs) >= 2, item["id"]


def test_type_counts():
    counts = Counter(o["type"] for o in ITEMS)
    for t in TYPES:
        assert counts[t] >= 4, f"type {t} has only {counts[t]} questions"


def test_unanswerable_share_and_total():
    total = len(ITEMS)
    assert total >= 80, total
    share = sum(1 for o in ITEMS if not o["answerable"]) / total
    assert 0.15 <= share <= 0.30, share


@pytest.mark.parametrize("name", ["holdout.jsonl", "fresh.jsonl", "dev.jsonl", "blind.jsonl", "dev_chat.jsonl", "blind2.jsonl", "blind3.jsonl", "dev3.jsonl", "blind4.jsonl", "dev4.jsonl", "dev5.jsonl", "dev6.jsonl", "blind5.jsonl", "dev7.jsonl", "dev8.jsonl", "blind6.jsonl", "blind7.jsonl", "dev9.jsonl", "blind8.jsonl", "dev10.jsonl", "dev11.jsonl", "blind9.jsonl", "dev12.jsonl", "blind10.jsonl", "dev13.jsonl", "blind11.jsonl", "blind12.jsonl", "blind13.jsonl", "blind14.jsonl", "blind15.jsonl", "blind16.jsonl", "blind17.jsonl", "blind18.jsonl", "dev14.jsonl", "dev15.jsonl", "blind19.jsonl", "dev16.jsonl", "dev17.jsonl", "blind20.jsonl", "dev18.jsonl", "dev19.jsonl", "dev20.jsonl", "dev21.jsonl", "blind21.jsonl", "dev22.jsonl", "dev23.jsonl", "dev24.jsonl", "blind22.jsonl", "dev25.jsonl", "dev26.jsonl", "blind23.jsonl", "dev27.jsonl", "dev28.jsonl", "blind24.jsonl", "dev29.jsonl", "dev30.jsonl", "dev31.jsonl", "dev32.jsonl", "blind25.jsonl", "dev33.jsonl", "dev34.jsonl", "blind26.jsonl", "dev35.jsonl", "dev36.jsonl", "dev37.jsonl", "dev38.jsonl", "blind27.jsonl", "blind28.jsonl", "dev39.jsonl", "dev40.jsonl", "dev41.jsonl", "dev42.jsonl", "blind29.jsonl", "blind30.jsonl", "dev43.jsonl", "dev44.jsonl", "dev45.jsonl", "dev46.jsonl", "blind31.jsonl", "blind32.jsonl", "blind33.jsonl", "blind34.jsonl"])
def test_reported_sets_are_valid(name):
    """The held-out, fresh, dev and blind sets follow the same format: history as earlier questions, evidence
    quotes verbatim, every answer group met by the corpus, unanswerable ones with no answers."""
    items = [json.loads(line) for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({o["id"] for o in items}) == len(items) >= 30
    for item in items:
        assert all(isinstance(h, str) and h.strip() for h in item.get("history", [])), item["id"]
        for ev in item["evidence"]:
            assert normalise(ev["quote"]) in DOCS[ev["doc"]], (item["id"], ev["quote"])
        if item["answerable"]:
            # every group can be met from the corpus (an alternative may be a spelling it does not use)
            assert item["answers"] and all(
                any(normalise(alt) in text for alt in group for text in DOCS.values()) for group in item["answers"]
            ), item["id"]
        else:
            assert item["answers"] == [] and item["type"] == "unanswerable", item["id"]
