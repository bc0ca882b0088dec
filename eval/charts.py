"""PNG charts of a report, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

TYPE_METRICS = (
    ("accuracy", "accuracy"),
    ("recall@5", "recall@5"),
    ("mrr", "MRR"),
    ("evidence_precision", "evidence precision"),
)
COMPARE_RATES = (("accuracy", "accuracy"), ("recall@5", "recall@5"), ("mrr", "MRR"), ("abstention_f1", "abstention F1"))
DPI = 120


def _figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas: renders without a display and leaves pyplot's backend alone."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _num(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _grouped_bars(ax: Any, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> None:
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series):
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
        ax.bar(xs, [0.0 if math.isnan(v) else v for v in values], width, label=name)
        for x, v in zip(xs, values):
            if math.isnan(v):  # tell "not measured" apart from a real zero
                ax.text(x, 0.01, "n/a", rotation=90, ha="center", va="bottom", fontsize=6, color="gray")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right")


def metrics_by_type(by_type: Mapping[str, Mapping[str, Any]], path: Path) -> Path:
    """Grouped bars of accuracy, recall@5, MRR and evidence precision for each question type."""
    labels = [f"{t} ({m.get('n', 0)})" for t, m in by_type.items()]
    fig = _figure(max(6.0, 1.1 * len(labels) + 2), 4.5)
    ax = fig.add_subplot()
    series = [(title, [_num(m.get(key)) for m in by_type.values()]) for key, title in TYPE_METRICS]
    _grouped_bars(ax, labels, series)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title("Metrics by question type (n in brackets)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def latency_histogram(latencies_ms: Sequence[float], path: Path, *, p50: float | None, p95: float | None) -> Path:
    """Histogram of per-question latency with the p50 and p95 marked."""
    fig = _figure(6.5, 4.0)
    ax = fig.add_subplot()
    values = [v for v in latencies_ms if v is not None]
    if values:
        ax.hist(values, bins=min(30, max(5, len(values) // 3)), color="tab:blue", alpha=0.8)
    for value, name, style in ((p50, "p50", "--"), (p95, "p95", ":")):
        if value is not None:
            ax.axvline(value, color="black", linestyle=style, label=f"{name} {value:.1f} ms")
    ax.set_xlabel("answer latency (ms, timings_ms.total)")
    ax.set_ylabel("questions")
    ax.set_title(f"Latency distribution ({len(values)} questions)")
    if p50 is not None or p95 is not None:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def compare_configs(configs: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """One figure: grouped bars of the rates per config, and median answer words per config."""
    names = [c["name"] for c in configs]
    fig = _figure(max(8.0, 1.6 * len(names) + 4), 4.5)
    rates, words = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 1]})
    series = [(title, [_num(c["metrics"].get(key)) for c in configs]) for key, title in COMPARE_RATES]
    _grouped_bars(rates, names, series)
    rates.set_ylim(0, 1.2)
    rates.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    rates.set_title("Accuracy, retrieval and abstention by configuration")
    rates.legend(fontsize="small", loc="upper center", ncol=len(COMPARE_RATES))
    medians = [_num(c["metrics"].get("answer_words_median")) for c in configs]
    words.bar(range(len(names)), [0.0 if math.isnan(v) else v for v in medians], color="tab:gray")
    words.set_xticks(range(len(names)))
    words.set_xticklabels(names, rotation=30, ha="right")
    words.set_title("Median answer words")
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path
