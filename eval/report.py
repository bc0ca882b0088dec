"""Presenting a report: the headline metrics, report.md for people and a rich summary table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eval.metrics import lookup

# (short name, dotted path in report.json, higher is better). The order is the display order.
HEADLINE: tuple[tuple[str, str, bool], ...] = (
    ("accuracy", "accuracy", True),
    ("answerable_accuracy", "answerable_accuracy", True),
    ("recall@1", "retrieval.recall@1", True),
    ("recall@5", "retrieval.recall@5", True),
    ("recall@10", "retrieval.recall@10", True),
    ("mrr", "retrieval.mrr", True),
    ("abstention_precision", "abstention.precision", True),
    ("abstention_recall", "abstention.recall", True),
    ("abstention_f1", "abstention.f1", True),
    ("verbatim_rate", "citations.verbatim_rate", True),
    ("evidence_precision", "citations.evidence_precision", True),
    ("answer_words_median", "answer_words.median", False),
    ("latency_p50_ms", "latency_ms.p50", False),
    ("latency_p95_ms", "latency_ms.p95", False),
)
# The per-type columns of the tables.
TYPE_COLUMNS = (
    "n",
    "accuracy",
    "recall@1",
    "recall@5",
    "mrr",
    "abstention_rate",
    "evidence_precision",
    "answer_words_median",
)
# The columns of the comparison table and the "vs naive" line.
COMPARE_COLUMNS = (
    "accuracy",
    "answerable_accuracy",
    "recall@5",
    "mrr",
    "abstention_f1",
    "verbatim_rate",
    "answer_words_median",
    "latency_p50_ms",
)
VS_NAIVE = ("accuracy", "recall@5", "mrr", "abstention_f1", "answer_words_median")
# Short column titles for the terminal tables.
LABELS = {
    "accuracy": "acc",
    "answerable_accuracy": "ans. acc",
    "recall@1": "R@1",
    "recall@5": "R@5",
    "recall@10": "R@10",
    "mrr": "MRR",
    "abstention_rate": "abstained",
    "abstention_f1": "abst. F1",
    "evidence_precision": "ev. prec",
    "verbatim_rate": "verbatim",
    "answer_words_median": "words",
    "latency_p50_ms": "p50 ms",
}
NOTES = (
    "Abstention precision is 1.0 when nothing abstained, and abstention recall is 1.0 when no "
    "question is unanswerable (see eval/metrics.py); `-` means not measured (no question to measure it on).",
    "Retrieval and evidence precision count answerable questions with evidence quotes only; answer "
    "words leave citation markers out; latency is `timings_ms.total`.",
)


def headline(report: Mapping[str, Any]) -> dict[str, Any]:
    """The headline metrics of a report as a flat ``{short name: value}``."""
    values = {}
    for name, path, _ in HEADLINE:
        try:
            values[name] = lookup(report, path)
        except KeyError:
            values[name] = None
    return values


def fmt(value: Any, name: str = "") -> str:
    """A metric value for display: rates with 3 decimals, words and milliseconds shorter."""
    if value is None:
        return "-"
    if isinstance(value, bool) or isinstance(value, int) and not name.startswith("latency"):
        return str(value)
    if name.startswith("answer_words"):
        return f"{value:g}"
    if name.startswith("latency"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def fmt_delta(value: float | None, name: str) -> str:
    """A signed difference for display."""
    if value is None:
        return "-"
    if name.startswith(("answer_words", "latency")):
        return f"{value:+.1f}"
    return f"{value:+.3f}"


def deltas(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> dict[str, float | None]:
    """``ours - theirs`` for every headline metric both sides have."""
    out: dict[str, float | None] = {}
    for name, _, _ in HEADLINE:
        a, b = ours.get(name), theirs.get(name)
        out[name] = None if a is None or b is None else round(a - b, 4)
    return out


def vs_naive_line(report: Mapping[str, Any]) -> str:
    """One line telling how far the evaluated config is ahead of the naive pipeline."""
    naive = report.get("naive")
    if not naive:
        return "vs naive: not run"
    ours = headline(report)
    parts = []
    for name in VS_NAIVE:
        a, b = ours.get(name), naive.get(name)
        delta = None if a is None or b is None else a - b
        parts.append(f"{name} {fmt(a, name)} vs {fmt(b, name)} ({fmt_delta(delta, name)})")
    return "vs naive: " + "; ".join(parts)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _expected(gold: Mapping[str, Any]) -> str:
    if not gold.get("answerable", True):
        return "abstain (the documents do not answer)"
    groups = gold.get("answers") or []
    return "; ".join(" or ".join(f'"{alt}"' for alt in group) for group in groups) or "(any answer)"


def _shorten(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def to_markdown(
    report: Mapping[str, Any],
    records: Sequence[Mapping[str, Any]],
    gold: Sequence[Mapping[str, Any]],
    *,
    max_failures: int = 200,
) -> str:
    """report.md: headline table, vs-naive line, per-type table, comparison, charts, failures."""
    naive = report.get("naive") or {}
    ours = headline(report)
    lines = [
        "# citebot evaluation",
        "",
        f"Gold set `{report.get('gold')}` over corpus `{report.get('corpus')}`: {report.get('n')} questions "
        f"({report.get('n_answerable')} answerable, {report.get('n_unanswerable')} unanswerable), "
        f"config `{report.get('config')}`, {report.get('generated_at')}.",
        "",
        f"**{vs_naive_line(report)}**",
        "",
        "## Headline",
        "",
    ]
    rows = []
    for name, _, higher in HEADLINE:
        theirs = naive.get(name)
        delta = None if ours[name] is None or theirs is None else ours[name] - theirs
        better = "higher" if higher else "lower"
        rows.append((name, fmt(ours[name], name), fmt(theirs, name), fmt_delta(delta, name), better))
    lines += _table(("metric", "citebot", "naive", "difference", "better"), rows)
    lines += [""] + [f"_{note}_" for note in NOTES]
    if report.get("errors"):
        lines += ["", f"{report['errors']} question(s) raised an error; they count as wrong (see failures)."]

    lines += ["", "## By question type", ""]
    by_type = report.get("by_type") or {}
    type_rows = [(t, *(fmt(m.get(c), c) for c in TYPE_COLUMNS)) for t, m in by_type.items()]
    lines += _table(("type", *TYPE_COLUMNS), type_rows)

    compare = report.get("compare") or {}
    if compare.get("configs"):
        lines += ["", "## Configurations compared", ""]
        lines += _table(
            ("config", "settings", *COMPARE_COLUMNS),
            [
                (c["name"], c.get("description", ""), *(fmt(c["metrics"].get(m), m) for m in COMPARE_COLUMNS))
                for c in compare["configs"]
            ],
        )

    charts = report.get("charts") or []
    if charts:
        lines += ["", "## Charts", ""]
        lines += [f"![{name}]({name})" for name in charts]

    failures = [(r, g) for r, g in zip(records, gold) if not r.get("correct")]
    lines += ["", f"## Failures ({len(failures)} of {len(records)})", ""]
    for rec, item in failures[:max_failures]:
        ev = rec.get("eval") or {}
        got = "(abstained) " if rec.get("abstained") else ""
        got += _shorten(rec.get("answer") or "")
        lines.append(f"### {rec.get('id')} ({item.get('type')})")
        lines.append("")
        for turn in item.get("history") or []:
            lines.append(f"- earlier: {turn}")
        lines.append(f"- question: {item.get('question')}")
        lines.append(f"- expected: {_expected(item)}")
        lines.append(f"- got: {got}")
        if rec.get("error"):
            lines.append(f"- error: {rec['error']}")
        if ev.get("has_evidence"):
            rank = ev.get("evidence_rank")
            lines.append(f"- evidence rank: {rank if rank else 'not retrieved'}")
        lines.append("")
    if len(failures) > max_failures:
        lines.append(f"... and {len(failures) - max_failures} more (see answers.jsonl).")
    return "\n".join(lines).rstrip() + "\n"


def print_summary(report: Mapping[str, Any], console: Any = None) -> None:
    """Print the headline, per-type and comparison tables and the vs-naive line with rich.

    Args:
        report: the dict ``run_eval`` returns (or report.json loaded).
        console: a ``rich.console.Console``; default a new one on standard output.
    """
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    naive = report.get("naive") or {}
    ours = headline(report)
    table = Table(title=f"citebot eval: {report.get('n')} questions ({report.get('config')})")
    table.add_column("metric")
    table.add_column("citebot", justify="right")
    table.add_column("naive", justify="right")
    table.add_column("difference", justify="right")
    for name, _, _ in HEADLINE:
        theirs = naive.get(name)
        delta = None if ours[name] is None or theirs is None else ours[name] - theirs
        table.add_row(name, fmt(ours[name], name), fmt(theirs, name), fmt_delta(delta, name))
    console.print(table)

    by_type = Table(title="by question type")
    by_type.add_column("type")
    for col in TYPE_COLUMNS:
        by_type.add_column(LABELS.get(col, col), justify="right")
    for label, metrics in (report.get("by_type") or {}).items():
        by_type.add_row(label, *(fmt(metrics.get(c), c) for c in TYPE_COLUMNS))
    console.print(by_type)

    configs = (report.get("compare") or {}).get("configs") or []
    if len(configs) > 2:
        comp = Table(title="configurations")
        comp.add_column("config")
        for col in COMPARE_COLUMNS:
            comp.add_column(LABELS.get(col, col), justify="right")
        for c in configs:
            comp.add_row(c["name"], *(fmt(c["metrics"].get(m), m) for m in COMPARE_COLUMNS))
        console.print(comp)
    console.print(vs_naive_line(report))
    if report.get("out_dir"):
        console.print(f"report: {report['out_dir']}/report.md")
