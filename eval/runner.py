"""``citebot eval``: run the gold set through the engine and write the report.

Data flow: gold rows -> ``engine.ask(question, history)`` (the conversation API the bot uses) ->
answer objects -> per-question scores (``eval.metrics.score_answer``) -> report.json,
answers.jsonl, report.md and charts. The naive LangChain baseline always runs beside the engine,
so every report says how far ahead of it citebot is; ``compare=True`` adds other configurations.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from citebot.errors import CitebotError
from eval import charts
from eval.metrics import score_answer, summarise
from eval.report import deltas, headline, print_summary, to_markdown

REPORT_FILES = ("report.json", "answers.jsonl", "report.md")
UNANSWERABLE_REFERENCE = "The documents do not answer this question."
# Settings left out of a report: secrets and the front ends' own options.
SETTINGS_HIDDEN = ("token", "secret", "api_key", "telegram", "webhook", "allowed_chats", "rate_limit", "chroma_")


class Asker(Protocol):
    """What the evaluation needs from an engine: the conversation API."""

    def ask(self, question: str, history: Sequence[str] = ()) -> Any: ...


# --- gold -----------------------------------------------------------------------------------


def load_gold(path: Path | str) -> list[dict[str, Any]]:
    """The gold rows of a JSON Lines file (CONTRACTS.md section 2), blank lines skipped.

    Raises:
        CitebotError: the file is missing, a line is not a JSON object, or a row has no
            ``id``/``question`` or a duplicate ``id``.
    """
    path = Path(path)
    if not path.is_file():
        raise CitebotError(f"Gold file not found: {path}. Pass --gold FILE (JSON Lines, one question a line).")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CitebotError(f"{path}:{lineno}: not valid JSON ({exc.msg}).") from exc
        if not isinstance(row, dict) or not row.get("question") or not row.get("id"):
            raise CitebotError(f"{path}:{lineno}: a gold row needs at least \"id\" and \"question\".")
        if row["id"] in seen:
            raise CitebotError(f"{path}:{lineno}: duplicate id {row['id']!r}.")
        seen.add(row["id"])
        row.setdefault("history", [])
        row.setdefault("answerable", bool(row.get("answers")))
        row.setdefault("answers", [])
        row.setdefault("evidence", [])
        row.setdefault("type", "untyped")
        rows.append(row)
    if not rows:
        raise CitebotError(f"Gold file {path} has no questions.")
    return rows


# --- texts for the checks ---------------------------------------------------------------------


class TextSources:
    """Document and passage texts for the verbatim and evidence checks, cached.

    A ``.txt`` document is read from the corpus folder (the contract's verbatim rule is about the
    file text); any other document comes from ``engine.document(doc_id).text``. Passages come from
    ``engine.passage(passage_id)``.
    """

    def __init__(self, corpus: Path, engine: Any = None) -> None:
        self.corpus = Path(corpus).resolve()
        self.engine = engine
        self._docs: dict[str, str | None] = {}

    def doc_text(self, doc_id: str) -> str | None:
        """The text a citation's quote must be in, ``None`` when it cannot be had."""
        if doc_id not in self._docs:
            self._docs[doc_id] = self._load_doc(doc_id)
        return self._docs[doc_id]

    def _load_doc(self, doc_id: str) -> str | None:
        if not doc_id:
            return None
        path = (self.corpus / doc_id).resolve()
        if path.suffix.lower() == ".txt" and path.is_relative_to(self.corpus) and path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
        getter = getattr(self.engine, "document", None)
        if getter is None:
            return None
        try:
            doc = getter(doc_id)
        except Exception:  # noqa: BLE001 - an unknown document is a failed check, not a crash
            return None
        return _text_of(doc)

    def passage_text(self, passage_id: str) -> str | None:
        """A passage's text from the engine, ``None`` when unknown."""
        getter = getattr(self.engine, "passage", None)
        if getter is None or not passage_id:
            return None
        try:
            return _text_of(getter(passage_id))
        except Exception:  # noqa: BLE001
            return None


def _text_of(obj: Any) -> str | None:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get("text")
    return getattr(obj, "text", None)


def answer_dict(answer: Any) -> dict[str, Any]:
    """An answer as the dict of CONTRACTS.md section 3 (``Answer.to_dict()`` or a dict already)."""
    if hasattr(answer, "to_dict"):
        return answer.to_dict()
    if isinstance(answer, Mapping):
        return dict(answer)
    raise TypeError(f"engine.ask returned {type(answer).__name__}, not an answer object")


# --- running ----------------------------------------------------------------------------------


def _progress(enabled: bool, label: str, total: int) -> Any:
    if not enabled:
        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
    )
    progress.add_task(label, total=total)
    return progress


def ask_all(
    engine: Asker,
    gold: Sequence[Mapping[str, Any]],
    *,
    sources: TextSources,
    progress: bool = False,
    label: str = "eval",
) -> list[dict[str, Any]]:
    """Ask every gold question (with its history) and score the answers, one record per question.

    A question whose ``ask`` raises is recorded with an ``error`` and counts as wrong.
    """
    records: list[dict[str, Any]] = []
    with _progress(progress, label, len(gold)) as bar:
        for item in gold:
            started = time.perf_counter()
            error = None
            try:
                answer = answer_dict(engine.ask(item["question"], list(item.get("history") or [])))
            except Exception as exc:  # noqa: BLE001 - one bad question must not sink the run
                error = f"{type(exc).__name__}: {exc}"
                answer = {
                    "question": item["question"],
                    "answer": "",
                    "abstained": False,
                    "citations": [],
                    "passages": [],
                    "timings_ms": {},
                }
            wall_ms = (time.perf_counter() - started) * 1000
            scores = score_answer(
                answer, item, doc_text=sources.doc_text, passage_text=sources.passage_text, latency_ms=wall_ms
            )
            record = {
                "id": item["id"],
                **answer,
                "type": scores["type"],
                "answerable": scores["answerable"],
                "correct": scores["correct"],
                "eval": scores,
            }
            if error:
                record["error"] = error
            records.append(record)
            if bar is not None:
                bar.advance(bar.task_ids[0])
    if records and all("error" in r for r in records):
        raise CitebotError(f"Every question failed; the first error was {records[0]['error']}")
    return records


def evaluate(
    engine: Asker,
    gold: Sequence[Mapping[str, Any]],
    *,
    corpus: Path,
    progress: bool = False,
    label: str = "eval",
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Records and metrics (report.json's metric keys) of one engine over the gold rows."""
    started = time.perf_counter()
    records = ask_all(engine, gold, sources=TextSources(corpus, engine), progress=progress, label=label)
    report = summarise([r["eval"] for r in records])
    report["errors"] = sum(1 for r in records if "error" in r)
    report["questions_s"] = round(time.perf_counter() - started, 2)
    return records, report


def open_engine(settings: Any, *, progress: bool = False) -> Any:
    """The real engine over ``settings``, its index brought up to date with the corpus."""
    from retrieval.engine import Engine

    engine = Engine.open(settings, auto_index=True, progress=progress)
    # NOTE: open() builds a missing index; index() is incremental, so it only re-embeds stale files.
    engine.index(progress=progress, wait=True)
    return engine


def settings_summary(settings: Any) -> dict[str, Any]:
    """The settings that shaped a run, JSON-ready, without secrets or front-end options."""
    if not hasattr(settings, "model_dump"):
        return {}
    dumped = settings.model_dump(mode="json")
    shown = {k: v for k, v in dumped.items() if not any(h in k for h in SETTINGS_HIDDEN)}
    if hasattr(settings, "store_dir"):
        shown["store"] = str(settings.store_dir)
    if hasattr(settings, "index_signature"):
        shown["index_signature"] = settings.index_signature()
    return shown


def run_naive(
    settings: Any, gold: Sequence[Mapping[str, Any]], *, progress: bool = False
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Records and metrics of the naive LangChain baseline over ``settings.corpus``."""
    from eval.naive import NaivePipeline

    pipeline = NaivePipeline(Path(settings.corpus))
    try:
        return evaluate(pipeline, gold, corpus=Path(settings.corpus), progress=progress, label="naive")
    finally:
        pipeline.close()


# --- writing ----------------------------------------------------------------------------------


def write_json(path: Path, data: Any) -> Path:
    """``data`` as indented UTF-8 JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    """``rows`` as JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def ragas_rows(records: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with RAGAS column names, one per gold question, in gold order.

    ``reference`` is the gold evidence quotes joined; without evidence, the first alternative of
    each answer group; for an unanswerable question, a plain statement that the documents do not
    answer it.
    """
    rows = []
    for rec, item in zip(records, gold):
        quotes = [ev["quote"] for ev in item.get("evidence") or [] if ev.get("quote")]
        if not item.get("answerable", True):
            reference = UNANSWERABLE_REFERENCE
        elif quotes:
            reference = " ".join(quotes)
        else:
            reference = "; ".join(group[0] for group in item.get("answers") or [] if group)
        rows.append(
            {
                "user_input": item["question"],
                "retrieved_contexts": [p.get("text", "") for p in rec.get("passages") or []],
                "response": rec.get("answer") or "",
                "reference": reference,
            }
        )
    return rows


def run_eval(
    settings: Any,
    gold_path: Path | str,
    out_dir: Path | str,
    *,
    compare: bool = False,
    export_ragas: Path | str | None = None,
    engine: Asker | None = None,
    engine_factory: Callable[..., Any] | None = None,
    naive: bool = True,
    progress: bool | None = None,
) -> dict[str, Any]:
    """Evaluate citebot on a gold set and write the report files.

    Args:
        settings: a ``citebot.settings.Settings``; ``corpus`` and ``store`` say what to index where.
        gold_path: the gold JSON Lines file (CONTRACTS.md section 2).
        out_dir: where report.json, answers.jsonl, report.md, compare.json and the PNG charts go
            (created if needed); with ``compare``, each configuration's answers go to
            ``out_dir/configs/NAME/`` and its index to ``out_dir/stores/NAME/``.
        compare: also evaluate dense only, BM25 only, hybrid and a one-sentence answerer.
        export_ragas: write RAGAS rows (user_input, retrieved_contexts, response, reference) here.
        engine: an engine to use instead of opening one over ``settings`` (tests); it is not closed.
        engine_factory: ``factory(settings, progress=...)`` opening an engine, for the default run
            (when ``engine`` is not given) and the compared configurations; default
            :func:`open_engine`, the real engine with its index brought up to date.
        naive: also run the naive LangChain baseline (the "vs naive" line); on by default.
        progress: show progress bars; default when standard error is a terminal.

    Returns:
        The report (report.json's content) with ``out_dir`` and ``paths`` of the files written.
    """
    from eval import compare as comparison

    started = time.perf_counter()
    if progress is None:
        progress = sys.stderr.isatty()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gold = load_gold(gold_path)
    corpus = Path(settings.corpus)
    default_name = comparison.default_name(settings)
    factory = engine_factory or open_engine

    own = engine is None
    if own:
        engine = factory(settings, progress=progress)
    try:
        records, report = evaluate(engine, gold, corpus=corpus, progress=progress, label=default_name)
    finally:
        if own and hasattr(engine, "close"):
            engine.close()

    report.update(
        config=default_name,
        gold=str(gold_path),
        corpus=str(corpus),
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        settings=settings_summary(settings),
    )
    entries = [comparison.entry(default_name, "settings as given", report)]
    if naive:
        naive_records, naive_report = run_naive(settings, gold, progress=progress)
        comparison.save_config(out / "configs" / "naive", naive_records, naive_report)
        report["naive"] = headline(naive_report)
        report["vs_naive"] = deltas(headline(report), report["naive"])
        entries.append(comparison.entry("naive", comparison.NAIVE_DESCRIPTION, naive_report))
    if compare:
        entries[1:1] = comparison.run_configs(settings, gold, out, progress=progress, open_engine=factory)
    report["compare"] = comparison.table(entries, default=default_name)

    chart_paths = [
        charts.metrics_by_type(report["by_type"], out / "by_type.png"),
        charts.latency_histogram(
            [r["eval"]["latency_ms"] for r in records],
            out / "latency.png",
            p50=report["latency_ms"]["p50"],
            p95=report["latency_ms"]["p95"],
        ),
    ]
    if len(entries) > 1:
        chart_paths.append(charts.compare_configs(report["compare"]["configs"], out / "compare.png"))
    report["charts"] = [p.name for p in chart_paths]
    report["elapsed_s"] = round(time.perf_counter() - started, 2)

    paths = {
        "report.json": out / "report.json",
        "answers.jsonl": out / "answers.jsonl",
        "report.md": out / "report.md",
        "compare.json": out / "compare.json",
    }
    write_json(paths["report.json"], report)
    write_jsonl(paths["answers.jsonl"], records)
    paths["report.md"].write_text(to_markdown(report, records, gold), encoding="utf-8")
    write_json(paths["compare.json"], report["compare"])
    if export_ragas:
        paths["ragas"] = write_jsonl(Path(export_ragas), ragas_rows(records, gold))
    for p in chart_paths:
        paths[p.name] = p
    return {**report, "out_dir": str(out), "paths": {k: str(v) for k, v in paths.items()}}


__all__ = ["evaluate", "load_gold", "open_engine", "print_summary", "ragas_rows", "run_eval"]
