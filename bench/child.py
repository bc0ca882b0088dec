"""One measurement in a fresh process, so memory and start-up costs are its own.

    python -m bench.child COMMAND '<json arguments>'

prints ``BENCH_RESULT {json}`` as its last line. Commands: ``build``, ``pool``, ``asks``,
``naive``, ``cold``. The store, corpus and Chroma server come from the arguments and the
``CITEBOT_*`` environment the parent sets.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

RESULT = "BENCH_RESULT "


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by linear interpolation, like numpy's default."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency_summary(ms: list[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 0.5), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
    }


def dir_bytes(path: Path) -> int:
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def _settings(args: dict[str, Any]):
    from citebot.settings import load_settings

    return load_settings(store=Path(args["store"]), corpus=Path(args["corpus"]))


def _index_sizes(store: Path) -> dict[str, int]:
    from retrieval.store import current_generation

    gen = current_generation(store)
    out = {"store_total": dir_bytes(store)}
    if gen is not None:
        out.update(
            generation=dir_bytes(gen.path), chroma=dir_bytes(gen.chroma), manifest=gen.manifest.stat().st_size,
            bm25=dir_bytes(gen.bm25), passvec=gen.passvec.stat().st_size, sentvec=gen.sentvec.stat().st_size,
            attrvec=gen.attrvec.stat().st_size,
        )
    return out


def _np_rows(path: Path) -> int:
    import numpy as np

    return np.load(path, mmap_mode="r").shape[0]


def _counts(store: Path) -> dict[str, int]:
    from retrieval.store import current_generation

    gen = current_generation(store)
    assert gen is not None
    conn = sqlite3.connect(f"file:{gen.manifest}?mode=ro", uri=True)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "passages": one("SELECT COUNT(*) FROM passages"),
            "sentences": int(_np_rows(gen.sentence_table)),
            "passage_chars": one("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM passages"),
        }
    finally:
        conn.close()


def _passage_texts(store: Path, limit: int) -> list[str]:
    from retrieval.store import current_generation

    gen = current_generation(store)
    assert gen is not None
    conn = sqlite3.connect(f"file:{gen.manifest}?mode=ro", uri=True)
    try:
        n = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        step = max(1, n // max(1, limit))
        rows = conn.execute("SELECT text FROM passages WHERE row % ? = 0 ORDER BY row LIMIT ?", (step, limit))
        return [r[0] for r in rows]
    finally:
        conn.close()


def _sentence_texts(store: Path, limit: int) -> list[str]:
    from retrieval.store import current_generation

    gen = current_generation(store)
    assert gen is not None
    import numpy as np

    table = np.load(gen.sentence_table, mmap_mode="r")[:limit]
    conn = sqlite3.connect(f"file:{gen.manifest}?mode=ro", uri=True)
    try:
        texts = dict(conn.execute("SELECT idx, text FROM texts WHERE idx <= ?", (int(table[-1, 0]) if len(table) else -1,)))
    finally:
        conn.close()
    return [texts[int(d)][int(a):int(b)] for d, a, b in table]


def _project_one_file(store: Path, sample: int = 20) -> dict[str, Any]:
    """Time the per-document manifest reads an incremental re-index makes for every kept document.

    retrieval/indexer.py (_write_generation) runs these two queries once per unchanged document;
    the passages and sentences tables have no index on doc_id, so each is a full table scan.
    """
    from retrieval.store import current_generation

    gen = current_generation(store)
    assert gen is not None
    conn = sqlite3.connect(f"file:{gen.manifest}?mode=ro", uri=True)
    try:
        docs = [r[0] for r in conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
        picked = docs[:: max(1, len(docs) // sample)][:sample]
        started = time.perf_counter()
        for doc_id in picked:
            list(conn.execute('SELECT passage_id, doc_id, start, "end", text FROM passages WHERE doc_id = ? '
                              "ORDER BY row", (doc_id,)))

        per_doc = (time.perf_counter() - started) / max(1, len(picked))
        plan = conn.execute('EXPLAIN QUERY PLAN SELECT doc_id FROM passages WHERE doc_id = ?', ("x",)).fetchall()
    finally:
        conn.close()
    return {"documents": len(docs), "per_document_s": round(per_doc, 4),
            "projected_manifest_reads_s": round(per_doc * len(docs), 1), "query_plan": str(plan)}


def _brief(report: dict[str, Any]) -> dict[str, Any]:
    """An index report with document lists cut to counts (100k-chunk corpora have 27k documents)."""
    return {k: (len(v) if isinstance(v, list) and len(v) > 20 else v) for k, v in report.items()}


def raw_encode_rate(model: Any, texts: list[str], batch_size: int) -> dict[str, float]:
    """Texts per second of ``SentenceTransformer.encode`` itself (the physical limit)."""
    if not texts:
        return {"texts": 0, "seconds": 0.0, "per_second": float("nan")}
    started = time.perf_counter()
    model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
    seconds = time.perf_counter() - started
    return {"texts": len(texts), "seconds": round(seconds, 3), "per_second": round(len(texts) / seconds, 2)}


# ----------------------------------------------------------------------------- commands
def cmd_build(args: dict[str, Any]) -> dict[str, Any]:
    """Full build from scratch, stage timings, raw encoder rate, unchanged and one-file re-index."""
    from bench.stages import IndexStages
    from retrieval.embed import Encoder
    from retrieval.indexer import build_index

    settings = _settings(args)
    started = time.perf_counter()
    if args.get("pool"):
        from bench.reuse import ReusedVectorEncoder

        encoder: Encoder = ReusedVectorEncoder(Path(args["pool"]), settings.model_path, settings.embed_batch_size)
    else:
        encoder = Encoder.from_settings(settings)
    encoder.encode_one("warm up the model")  # model load is start-up cost, not index throughput
    encoder.encode(["warm up the batch runtime"])
    model_load = time.perf_counter() - started

    with IndexStages() as stages:
        report = build_index(settings, encoder)
    out: dict[str, Any] = {
        "mode": "reused vectors" if args.get("pool") else "real encoder",
        "model_load_s": round(model_load, 3),
        "build_s": round(report.seconds, 3),
        "stages_s": stages.seconds,
        "report": _brief(report.to_dict()),
        **_counts(settings.store_dir),
    }
    out["chunks_per_s"] = round(out["passages"] / report.seconds, 2)
    out["rss_after_build_mb"] = peak_rss_mb()
    if args.get("pool"):
        out["reuse"] = {"exact": encoder.exact, "composed": encoder.composed, "hashed": encoder.hashed}

    if args.get("raw_sample", 0) and not args.get("pool"):
        texts = _passage_texts(settings.store_dir, int(args["raw_sample"]))
        out["raw_encode"] = raw_encode_rate(encoder.model, texts, settings.embed_batch_size)
        out["raw_encode_sentences"] = raw_encode_rate(
            encoder.model, _sentence_texts(settings.store_dir, int(args["raw_sample"])), settings.embed_batch_size
        )

    with IndexStages() as stages:
        again = build_index(settings, encoder)
    out["reindex_unchanged_s"] = round(again.seconds, 4)
    out["reindex_unchanged_stages_s"] = stages.seconds
    if args.get("change_one"):
        files = sorted(p for p in Path(settings.corpus).rglob("*.txt") if not p.name.startswith("."))
        target = files[len(files) // 2]
        original = target.read_bytes()
        try:
            target.write_text(
                original.decode("utf-8") + "\nThe benchmark added this paragraph to change one document of the corpus.\n",
                encoding="utf-8",
            )
            with IndexStages() as stages:
                changed = build_index(settings, encoder)
        finally:
            target.write_bytes(original)
        build_index(settings, encoder)  # back in step with the restored file: later runs are unchanged
        out["reindex_one_file_s"] = round(changed.seconds, 3)
        out["reindex_one_file_stages_s"] = stages.seconds
        out["reindex_one_file_embedded"] = changed.embedded
    if args.get("project_one_file"):
        out["one_file_projection"] = _project_one_file(settings.store_dir)
    out["disk_bytes"] = _index_sizes(settings.store_dir)
    out["rss_peak_mb"] = peak_rss_mb()
    return out


def cmd_pool(args: dict[str, Any]) -> dict[str, Any]:
    """Encode the sentence pool for the reused-vector builds; measure encoder rates and fidelity."""
    import numpy as np

    from bench.corpus import _document
    from bench.reuse import ReusedVectorEncoder, save_pool
    from retrieval.embed import Encoder
    from retrieval.sentences import split_sentences
    from citebot.settings import load_settings

    settings = load_settings()
    encoder = Encoder(settings.model_path, settings.embed_batch_size)
    encoder.encode_one("warm up the model")
    pool: list[str] = args["sentences"]
    started = time.perf_counter()
    vectors = encoder.encode(pool)
    sentence_seconds = time.perf_counter() - started
    save_pool(Path(args["pool_file"]), pool, vectors)

    # Passages of generated documents, encoded for real, against their reused-vector stand-ins.
    import random

    from retrieval.chunk import chunk_sentences

    rng = random.Random(99)
    passages: list[str] = []
    while len(passages) < int(args.get("sample_passages", 128)):
        body = _document(rng, pool, len(passages)).split("\n\n", 1)[1]
        passages += [p.text for p in chunk_sentences(body, split_sentences(body), "x", settings.chunk_chars, 1)]
    passages = passages[: int(args.get("sample_passages", 128))]
    started = time.perf_counter()
    real = encoder.encode(passages)
    passage_seconds = time.perf_counter() - started
    stand_in = ReusedVectorEncoder(Path(args["pool_file"])).encode(passages)
    cosine = np.sum(real * stand_in, axis=1)
    return {
        "pool_sentences": len(pool),
        "sentences_per_s": round(len(pool) / sentence_seconds, 2),
        "sentence_encode_s": round(sentence_seconds, 2),
        "passages_per_s": round(len(passages) / passage_seconds, 2),
        "passage_sample": len(passages),
        "stand_in_cosine_mean": round(float(cosine.mean()), 4),
        "stand_in_cosine_min": round(float(cosine.min()), 4),
        "rss_peak_mb": peak_rss_mb(),
    }


def cmd_asks(args: dict[str, Any]) -> dict[str, Any]:
    """Warm ask latency over the questions, split by step, after opening the engine once."""
    from bench.stages import ASK_STAGES, AskStages
    from retrieval.engine import Engine

    settings = _settings(args)
    questions: list[str] = args["questions"]
    started = time.perf_counter()
    engine = Engine.open(settings, auto_index=False)
    open_s = time.perf_counter() - started
    rss_open = peak_rss_mb()
    started = time.perf_counter()
    first = engine.ask(questions[0])
    first_s = time.perf_counter() - started
    for q in questions[: int(args.get("warmup", 5))]:
        engine.ask(q)
    total: list[float] = []
    cpu: list[float] = []  # CPU time of the process: what the wall time would be on an idle core (1 thread)
    split: dict[str, list[float]] = {name: [] for name in ASK_STAGES}
    abstained = 0
    with AskStages() as stages:
        for _ in range(int(args.get("rounds", 1))):
            for q in questions:
                before = stages.snapshot()
                t, c = time.perf_counter(), time.process_time()
                answer = engine.ask(q)
                total.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                after = stages.snapshot()
                for name in ASK_STAGES:
                    split[name].append((after[name] - before[name]) * 1000)
                abstained += answer.abstained
    engine.close()
    return {
        "open_s": round(open_s, 3),
        "rss_after_open_mb": rss_open,
        "first_ask_s": round(first_s, 3),
        "first_answer": first.answer[:200],
        "latency": latency_summary(total),
        "cpu": latency_summary(cpu),
        "stage_p50_ms": {name: round(percentile(v, 0.5), 3) for name, v in split.items()},
        "abstained_share": round(abstained / max(1, len(total)), 3),
        "rss_peak_mb": peak_rss_mb(),
    }


def cmd_naive(args: dict[str, Any]) -> dict[str, Any]:
    """The eval's naive LangChain pipeline (Chroma.similarity_search, 1000/200 chunks) on the same corpus."""
    from eval.naive import NaivePipeline
    from retrieval.embed import Encoder, MiniLMEmbeddings

    encoder = Encoder()
    encoder.encode_one("warm up the model")
    started = time.perf_counter()
    pipeline = NaivePipeline(Path(args["corpus"]), embeddings=MiniLMEmbeddings(encoder))
    build_s = time.perf_counter() - started
    questions: list[str] = args["questions"]
    for q in questions[: int(args.get("warmup", 5))]:
        pipeline.ask(q)
    total: list[float] = []
    cpu: list[float] = []
    for _ in range(int(args.get("rounds", 1))):
        for q in questions:
            t, c = time.perf_counter(), time.process_time()
            pipeline.ask(q)
            total.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    chunks = pipeline.chunks
    pipeline.close()
    return {
        "build_s": round(build_s, 3),
        "chunks": chunks,
        "chunks_per_s": round(chunks / build_s, 2) if build_s else None,
        "latency": latency_summary(total),
        "cpu": latency_summary(cpu),
        "rss_peak_mb": peak_rss_mb(),
    }


def cmd_cold(args: dict[str, Any]) -> dict[str, Any]:
    """The bot's start path: imports, ``Engine.open``, first ``ask`` (times from process spawn)."""
    spawned = float(args["spawned_at"])
    t_main = time.time()
    from bench.stages import AskStages
    from citebot.settings import load_settings
    from retrieval.engine import Engine

    t_imported = time.time()
    settings = load_settings(store=Path(args["store"]), corpus=Path(args["corpus"]))
    engine = Engine.open(settings, auto_index=False)
    t_opened = time.time()
    with AskStages() as stages:
        answer = engine.ask(args["question"])
    t_answered = time.time()
    engine.close()
    return {
        "interpreter_s": round(t_main - spawned, 3),
        "imports_s": round(t_imported - t_main, 3),
        "engine_open_s": round(t_opened - t_imported, 3),
        "first_ask_s": round(t_answered - t_opened, 3),
        "first_ask_split_s": {k: round(v, 3) for k, v in stages.snapshot().items()},
        "to_first_answer_s": round(t_answered - spawned, 3),
        "answer": answer.answer[:200],
        "rss_peak_mb": peak_rss_mb(),
    }


def cmd_paired(args: dict[str, Any]) -> dict[str, Any]:
    """citebot's ask and the naive similarity_search in one process, alternating per question.

    Both share the encoder and face the same moment-to-moment CPU contention, so their ratio
    is steadier than that of two separate runs on a shared machine.
    """
    from eval.naive import NaivePipeline
    from retrieval.embed import MiniLMEmbeddings
    from retrieval.engine import Engine

    settings = _settings(args)
    engine = Engine.open(settings, auto_index=False)
    naive = NaivePipeline(Path(args["corpus"]), embeddings=MiniLMEmbeddings(engine.encoder))
    questions: list[str] = args["questions"]
    for q in questions[: int(args.get("warmup", 5))]:
        engine.ask(q)
        naive.ask(q)
    runs: dict[str, dict[str, list[float]]] = {n: {"wall": [], "cpu": []} for n in ("citebot", "naive")}
    for round_no in range(int(args.get("rounds", 1))):
        for i, q in enumerate(questions):
            order = [("citebot", engine.ask), ("naive", naive.ask)]
            if (i + round_no) % 2:
                order.reverse()
            for name, ask in order:
                t, c = time.perf_counter(), time.process_time()
                ask(q)
                runs[name]["wall"].append((time.perf_counter() - t) * 1000)
                runs[name]["cpu"].append((time.process_time() - c) * 1000)
    naive.close()
    engine.close()
    out: dict[str, Any] = {name: {"latency": latency_summary(r["wall"]), "cpu": latency_summary(r["cpu"])}
                           for name, r in runs.items()}
    out["ratio_p50_wall"] = round(out["citebot"]["latency"]["p50_ms"] / out["naive"]["latency"]["p50_ms"], 3)
    out["ratio_p50_cpu"] = round(out["citebot"]["cpu"]["p50_ms"] / out["naive"]["cpu"]["p50_ms"], 3)
    out["naive_chunks"] = naive.chunks
    out["rss_peak_mb"] = peak_rss_mb()
    return out


COMMANDS = {"build": cmd_build, "pool": cmd_pool, "asks": cmd_asks, "naive": cmd_naive, "cold": cmd_cold,
            "paired": cmd_paired}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    command, raw = argv[0], argv[1] if len(argv) > 1 else "{}"
    args = json.loads(Path(raw[1:]).read_text() if raw.startswith("@") else raw)
    import logging

    logging.getLogger("chromadb").setLevel(logging.ERROR)
    result = COMMANDS[command](args)
    sys.stdout.flush()
    print(RESULT + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
