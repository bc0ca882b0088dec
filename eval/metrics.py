"""Pure metric functions over gold rows and answer objects (CONTRACTS.md sections 2, 3 and 5).

Nothing here reads files or talks to the engine: document and passage texts come in through
the ``doc_text`` and ``passage_text`` callables of :func:`score_answer`, so every function can
be checked on small hand-computed cases.

Zero-division conventions (a metric over an empty set):

* averages (accuracy, recall@k, MRR, verbatim rate, evidence precision, medians, percentiles)
  are ``None``: "not measured", shown as ``-`` and reported by the CI gate;
* abstention precision is 1.0 when nothing abstained (no false abstention was made) and
  abstention recall is 1.0 when there is no unanswerable question (nothing to catch); F1 is
  0.0 when precision + recall is 0. So "no unanswerable question and no abstention" scores a
  perfect 1.0, and abstaining with no unanswerable question scores F1 = 0.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

_PUNCT = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime (keeps us in step with tests/test_gold.py)
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',  # double prime
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
    }
)
_SPACE = re.compile(r"\s+")
_MARKER = re.compile(r"\s*\[\d+(?:\s*[,;\u2013-]\s*\d+)*\]")
_WORD = re.compile(r"\w+(?:['\u2019.\-]\w+)*")

RECALL_KS = (1, 5, 10)


# --- text matching ---------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Matching form of ``text``: NFKC, straight quotes, '-' for dashes, single spaces, lower case.

    Idempotent: ``normalise(normalise(t)) == normalise(t)``. NFKC runs again after lower-casing,
    because lower-casing can produce sequences NFKC would still change.
    """
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT).lower()
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    return _SPACE.sub(" ", text).strip()


def strip_markers(text: str) -> str:
    """``text`` without citation markers such as ``[1]`` or ``[2, 3]``."""
    return _MARKER.sub("", text)


def count_words(text: str) -> int:
    """Words in an answer, citation markers left out."""
    return len(_WORD.findall(strip_markers(text)))


def contains_any(text: str, quotes: Iterable[str]) -> bool:
    """Whether the normalised ``text`` contains one of the (non-empty) normalised ``quotes``."""
    norm = normalise(text)
    return any(q and q in norm for q in (normalise(q) for q in quotes))


def gold_quotes(gold: Mapping[str, Any]) -> list[str]:
    """The evidence quotes of a gold row."""
    return [ev["quote"] for ev in gold.get("evidence") or [] if ev.get("quote")]


def is_correct(answer_text: str, abstained: bool, gold: Mapping[str, Any]) -> bool:
    """CONTRACTS.md section 2 correctness.

    An unanswerable question is answered correctly iff the reply abstained. An answerable one
    is correct iff it did not abstain and every answer group has an alternative contained in the
    normalised answer text (citation markers removed).
    """
    if not gold.get("answerable", True):
        return bool(abstained)
    if abstained:
        return False
    text = normalise(strip_markers(answer_text))
    return all(any(normalise(alt) in text for alt in group) for group in gold.get("answers") or [])


def first_hit_rank(passage_texts: Sequence[str], quotes: Iterable[str]) -> int | None:
    """1-based rank of the first passage containing a gold quote, ``None`` if none does."""
    norm_quotes = [q for q in (normalise(q) for q in quotes) if q]
    for rank, text in enumerate(passage_texts, start=1):
        norm = normalise(text)
        if any(q in norm for q in norm_quotes):
            return rank
    return None


# --- aggregates ----------------------------------------------------------------------------


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, ``None`` for no values."""
    values = list(values)
    return sum(values) / len(values) if values else None


def share(count: int, total: int) -> float | None:
    """``count / total``, ``None`` when ``total`` is 0."""
    return count / total if total else None


def recall_at_k(first_ranks: Sequence[int | None], k: int) -> float | None:
    """Share of questions whose first evidence hit is within the top ``k``."""
    return share(sum(1 for r in first_ranks if r is not None and r <= k), len(first_ranks))


def mrr(first_ranks: Sequence[int | None]) -> float | None:
    """Mean reciprocal rank of the first hit (0 for a question without a hit)."""
    return mean(1.0 / r if r else 0.0 for r in first_ranks)


def abstention_scores(abstained: Sequence[bool], answerable: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of abstaining, the positive class (see module docstring for 0/0)."""
    if len(abstained) != len(answerable):
        raise ValueError("abstained and answerable must have the same length")
    true_pos = sum(1 for a, ok in zip(abstained, answerable) if a and not ok)
    predicted = sum(1 for a in abstained if a)
    actual = sum(1 for ok in answerable if not ok)
    precision = true_pos / predicted if predicted else 1.0
    recall = true_pos / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def median(values: Iterable[float]) -> float | None:
    """Median, ``None`` for no values."""
    values = list(values)
    return float(statistics.median(values)) if values else None


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation between order statistics."""
    ordered = sorted(values)
    if not ordered:
        return None
    pos = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


# --- one answer ------------------------------------------------------------------------------

DocText = Callable[[str], "str | None"]
PassageText = Callable[[str], "str | None"]


def _no_text(_: str) -> None:
    return None


def answer_latency(answer: Mapping[str, Any], fallback_ms: float | None = None) -> float | None:
    """``timings_ms.total`` of an answer, else ``fallback_ms`` (the measured wall time)."""
    total = (answer.get("timings_ms") or {}).get("total")
    return float(total) if total is not None else fallback_ms


def score_answer(
    answer: Mapping[str, Any],
    gold: Mapping[str, Any],
    *,
    doc_text: DocText = _no_text,
    passage_text: PassageText = _no_text,
    latency_ms: float | None = None,
) -> dict[str, Any]:
    """Per-question scores of one answer object against its gold row.

    Args:
        answer: the answer object (CONTRACTS.md section 3) as a dict.
        gold: the gold row (section 2).
        doc_text: document text by ``doc_id`` for the verbatim check (``None``: unknown).
        passage_text: passage text by ``passage_id`` for cited passages that are not in the
            answer's own ``passages`` list (``None``: unknown, counts as no hit).
        latency_ms: wall-clock time, used when the answer has no ``timings_ms.total``.

    Returns:
        ``correct``, ``abstained``, ``answerable``, ``type``, ``evidence_rank`` (first hit rank or
        ``None``), ``has_evidence``, ``cited_passages`` / ``cited_hits`` (evidence precision
        counts), ``citations`` / ``verbatim`` (verbatim counts), ``unverified`` (citations whose
        document text was unknown), ``words`` and ``latency_ms``.
    """
    quotes = gold_quotes(gold)
    answerable = bool(gold.get("answerable", True))
    abstained = bool(answer.get("abstained"))
    passages = sorted(answer.get("passages") or [], key=lambda p: p.get("rank", 0))
    own_text = {p.get("passage_id"): p.get("text", "") for p in passages}
    has_evidence = answerable and bool(quotes)

    rank = None
    if has_evidence:
        # NOTE: rank is the list position after sorting by "rank": engines number from 1.
        rank = first_hit_rank([p.get("text", "") for p in passages], quotes)

    cited_ids: list[str] = []
    for cit in answer.get("citations") or []:
        pid = cit.get("passage_id")
        if pid and pid not in cited_ids:
            cited_ids.append(pid)
    cited_hits = 0
    if has_evidence:
        for pid in cited_ids:
            text = own_text.get(pid)
            if text is None:
                text = passage_text(pid)
            if text is not None and contains_any(text, quotes):
                cited_hits += 1

    verbatim = unverified = 0
    citations = answer.get("citations") or []
    for cit in citations:
        quote = normalise(cit.get("quote") or "")
        source = doc_text(cit.get("doc_id") or "")
        if source is None:
            source = own_text.get(cit.get("passage_id")) or passage_text(cit.get("passage_id") or "")
            unverified += 1
        if quote and source is not None and quote in normalise(source):
            verbatim += 1

    return {
        "type": gold.get("type") or "untyped",
        "answerable": answerable,
        "abstained": abstained,
        "correct": is_correct(answer.get("answer") or "", abstained, gold),
        "has_evidence": has_evidence,
        "evidence_rank": rank,
        "cited_passages": len(cited_ids) if has_evidence else 0,
        "cited_hits": cited_hits,
        "citations": len(citations),
        "verbatim": verbatim,
        "unverified": unverified,
        "words": count_words(answer.get("answer") or ""),
        "latency_ms": answer_latency(answer, latency_ms),
    }


# --- many answers ----------------------------------------------------------------------------


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def aggregate(scores: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Report metrics (CONTRACTS.md section 5, without ``by_type``) over per-question scores."""
    answerable = [s for s in scores if s["answerable"]]
    ranks = [s["evidence_rank"] for s in scores if s["has_evidence"]]
    cited = sum(s["cited_passages"] for s in scores)
    n_citations = sum(s["citations"] for s in scores)
    words_all = [s["words"] for s in scores]
    words_answered = [s["words"] for s in scores if not s["abstained"]]
    latencies = [s["latency_ms"] for s in scores if s["latency_ms"] is not None]
    abstention = abstention_scores([s["abstained"] for s in scores], [s["answerable"] for s in scores])
    return {
        "n": len(scores),
        "n_answerable": len(answerable),
        "n_unanswerable": len(scores) - len(answerable),
        "accuracy": _round(share(sum(s["correct"] for s in scores), len(scores))),
        "answerable_accuracy": _round(share(sum(s["correct"] for s in answerable), len(answerable))),
        "abstention": {
            **{k: _round(v) for k, v in abstention.items()},
            "rate": _round(share(sum(s["abstained"] for s in scores), len(scores))),
        },
        "retrieval": {
            **{f"recall@{k}": _round(recall_at_k(ranks, k)) for k in RECALL_KS},
            "mrr": _round(mrr(ranks)),
            "n": len(ranks),
        },
        "citations": {
            "verbatim_rate": _round(share(sum(s["verbatim"] for s in scores), n_citations)),
            "evidence_precision": _round(share(sum(s["cited_hits"] for s in scores), cited)),
            "per_answer": _round(mean(s["citations"] for s in scores)),
            "n": n_citations,
            "unverified": sum(s["unverified"] for s in scores),
        },
        "answer_words": {
            "median": median(words_all),
            "median_answered": median(words_answered),
            "mean": _round(mean(words_all), 1),
            "p90": _round(percentile(words_all, 90), 1),
        },
        "latency_ms": {
            "p50": _round(percentile(latencies, 50), 2),
            "p95": _round(percentile(latencies, 95), 2),
            "max": _round(max(latencies) if latencies else None, 2),
        },
    }


def summarise(scores: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """:func:`aggregate` over all scores plus ``by_type``: the same metrics, flattened, per type."""
    report = aggregate(scores)
    by_type: dict[str, dict[str, Any]] = {}
    for label in sorted({s["type"] for s in scores}):
        by_type[label] = flatten(aggregate([s for s in scores if s["type"] == label]))
    report["by_type"] = by_type
    return report


_PLAIN_NAMES = frozenset({f"recall@{k}" for k in RECALL_KS} | {"mrr", "verbatim_rate", "evidence_precision"})


def flatten(report: Mapping[str, Any]) -> dict[str, Any]:
    """One level of keys: ``{"retrieval": {"mrr": x}}`` becomes ``{"mrr": x}``.

    Retrieval and citation headline names stay as they are (``recall@5``, ``mrr``,
    ``verbatim_rate``, ``evidence_precision``); every other nested name gets its parent as
    prefix (``abstention_f1``, ``answer_words_median``, ``latency_ms_p50``).
    """
    flat: dict[str, Any] = {}
    for key, value in report.items():
        if key == "by_type":
            continue
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                flat[sub if sub in _PLAIN_NAMES else f"{key}_{sub}"] = inner
        else:
            flat[key] = value
    return flat


def lookup(report: Mapping[str, Any], path: str) -> Any:
    """Value at a dotted ``path`` such as ``"retrieval.recall@5"`` (``KeyError`` when absent)."""
    node: Any = report
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node
