"""The citebot benchmark: one run measures everything and writes a table, JSON and a chart.

    python -m bench.run [--out bench/out] [--sizes 1000,10000,100000] [--quick] [--no-server]
    citebot bench       (same options)

Every measurement runs in a fresh child process (``bench.child``) so its peak memory and its
start-up are its own. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.child import RESULT

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold.jsonl"

# Targets from the performance issue (2-core CPU).
TARGETS = {
    "ask_p50_vs_naive": 1.5,
    "ask_p50_ms": 25.0,
    "index_vs_raw_encoder": 0.8,
    "reindex_unchanged_s": 1.0,
    "cold_start_s": 6.0,
    "p95_at_100k_ms": 100.0,
    "rss_at_100k_mb": 1536.0,
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


class Runner:
    """Spawns children with a controlled environment and collects their results."""

    def __init__(self, work: Path, extra_env: dict[str, str] | None = None) -> None:
        self.work = work
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CITEBOT_")}
        self.env.update(
            HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
            ANONYMIZED_TELEMETRY="False", HF_HUB_DISABLE_PROGRESS_BARS="1", TRANSFORMERS_VERBOSITY="error",
            CITEBOT_HOME=str(work / "home"), PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        )
        self.env.update(extra_env or {})
        self._n = 0

    def child(self, command: str, args: dict[str, Any], env: dict[str, str] | None = None,
              module: str = "bench.child", timeout: float = 6 * 3600) -> dict[str, Any]:
        self._n += 1
        arg_file = self.work / f"args-{self._n:03d}-{command}.json"
        arg_file.write_text(json.dumps(args))
        cmd = [sys.executable, "-m", module] + ([command] if module == "bench.child" else []) + ["@" + str(arg_file)]
        before = loadavg()
        started = time.perf_counter()
        proc = subprocess.run(cmd, env={**self.env, **(env or {})}, capture_output=True, text=True,
                              timeout=timeout, cwd=str(ROOT))
        wall = time.perf_counter() - started
        line = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith(RESULT)), None)
        if proc.returncode != 0 or line is None:
            tail = (proc.stderr or "")[-3000:]
            raise RuntimeError(f"bench child {command} failed (exit {proc.returncode}):\n{tail}")
        result = json.loads(line[len(RESULT):])
        result["child_wall_s"] = round(wall, 2)
        result["loadavg"] = {"before": before, "after": loadavg()}
        return result

    def citebot(self, *argv: str, env: dict[str, str] | None = None) -> dict[str, Any]:
        """Run the real ``citebot`` entry point; time to its first output byte and to its exit."""
        exe = Path(sys.executable).with_name("citebot")
        cmd = [str(exe), *argv] if exe.exists() else [sys.executable, "-m", "citebot.cli", *argv]
        with tempfile.TemporaryFile() as err:
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, env={**self.env, **(env or {})}, stdout=subprocess.PIPE, stderr=err,
                                    cwd=str(self.work))
            assert proc.stdout is not None
            first = proc.stdout.read(1)
            first_byte = time.perf_counter() - started
            rest = proc.stdout.read()
            proc.wait(timeout=600)
            done = time.perf_counter() - started
            if proc.returncode != 0:
                err.seek(0)
                raise RuntimeError(f"citebot {' '.join(argv)} failed: {err.read().decode(errors='replace')[-2000:]}")
        return {"first_output_s": round(first_byte, 3), "exit_s": round(done, 3),
                "stdout": (first + rest).decode(errors="replace")}


def questions(limit: int | None = None) -> list[str]:
    """The gold questions that stand alone (no conversation history)."""
    out = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            if not item.get("history"):
                out.append(item["question"])
    return out[:limit] if limit else out


def environment() -> dict[str, Any]:
    from retrieval.embed import packaged_model_path

    model = Path(packaged_model_path())
    onnx_files = sorted(str(p.relative_to(model)) for p in model.rglob("*.onnx"))

    def has(module: str) -> bool:
        import importlib.util

        return importlib.util.find_spec(module) is not None

    versions = {}
    for name in ("torch", "sentence_transformers", "chromadb", "langchain_chroma", "bm25s", "numpy"):
        try:
            versions[name] = __import__(name).__version__
        except Exception:  # noqa: BLE001
            versions[name] = None
    return {
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "loadavg_at_start": loadavg(),
        "versions": versions,
        "model_folder": str(model),
        "model_onnx_files": onnx_files,
        "onnx_backend_possible": bool(onnx_files) and has("optimum") and has("onnxruntime"),
        "onnxruntime_installed": has("onnxruntime"),
        "optimum_installed": has("optimum"),
        "onnx_installed": has("onnx"),
    }


# ----------------------------------------------------------------------------- sections
def bundled_section(r: Runner, qs: list[str], args: argparse.Namespace) -> dict[str, Any]:
    corpus = r.work / "bundled-corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for p in corpus.iterdir():
        p.chmod(0o644)
    store = r.work / "bundled-store"
    out: dict[str, Any] = {"corpus": "bundled corpus/ (copied)"}
    log("bundled corpus: full build (real encoder) + raw encoder rate")
    out["build"] = r.child("build", {"store": str(store), "corpus": str(corpus), "raw_sample": 100000, "change_one": True})
    log("bundled corpus: warm ask latency")
    out["asks"] = r.child("asks", {"store": str(store), "corpus": str(corpus), "questions": qs,
                                   "warmup": 5, "rounds": args.rounds})
    log("bundled corpus: warm ask latency with torch on one thread (OMP_NUM_THREADS=1)")
    out["asks_1thread"] = r.child("asks", {"store": str(store), "corpus": str(corpus), "questions": qs,
                                           "warmup": 5, "rounds": args.rounds}, env={"OMP_NUM_THREADS": "1"})
    log("bundled corpus: naive LangChain baseline")
    out["naive"] = r.child("naive", {"corpus": str(corpus), "questions": qs, "warmup": 5, "rounds": args.rounds})
    out["naive_1thread"] = r.child("naive", {"corpus": str(corpus), "questions": qs, "warmup": 5,
                                             "rounds": args.rounds}, env={"OMP_NUM_THREADS": "1"})

    out.update(paired_section(r, qs, store, corpus, args.rounds))

    log("cold start: `citebot ask` subprocesses, the bot's engine path, `citebot index` re-runs")
    cli_ask = [r.citebot("ask", qs[0], "--json", "--store", str(store), "--corpus", str(corpus))
               for _ in range(args.repeats)]
    for run in cli_ask:
        run["answer"] = json.loads(run.pop("stdout"))["answer"][:120]
    out["cold_cli_ask"] = cli_ask
    out["cold_engine"] = [
        r.child("cold", {"store": str(store), "corpus": str(corpus), "question": qs[0], "spawned_at": time.time()})
        for _ in range(args.repeats)
    ]
    cli_index = [r.citebot("index", "--json", "--store", str(store), "--corpus", str(corpus))
                 for _ in range(args.repeats)]
    for run in cli_index:
        run["report_seconds"] = json.loads(run.pop("stdout"))["seconds"]
    out["cli_index_unchanged"] = cli_index
    out["cli_help"] = [r.citebot("--help") for _ in range(args.repeats)]
    for run in out["cli_help"]:
        run.pop("stdout")
    if not args.no_telegram:
        log("cold start: `citebot telegram` against the fake Bot API")
        try:
            out["cold_telegram"] = telegram_cold_start(r, store, corpus, qs[0])
        except Exception as exc:  # noqa: BLE001 - optional measurement
            out["cold_telegram"] = {"error": f"{exc.__class__.__name__}: {exc}"[:500]}
    out["import_profile"] = import_profile(r)
    return out


def paired_section(r: Runner, qs: list[str], store: Path, corpus: Path, rounds: int) -> dict[str, Any]:
    """citebot and the naive pipeline alternating in one process, default threads and one thread."""
    log("bundled corpus: citebot vs naive, paired in one process")
    args = {"store": str(store), "corpus": str(corpus), "questions": qs, "warmup": 5, "rounds": rounds}
    return {"paired": r.child("paired", args), "paired_1thread": r.child("paired", args, env={"OMP_NUM_THREADS": "1"})}


def add_sections(args: argparse.Namespace) -> None:
    """Run only the named sections (paired, encoder) and add them to an existing results.json, re-rendered."""
    from bench.report import main as render

    results_file = args.out / "results.json"
    results = json.loads(results_file.read_text())
    own_work = args.work is None
    work = Path(tempfile.mkdtemp(prefix="citebot-bench-")) if own_work else args.work
    work.mkdir(parents=True, exist_ok=True)
    try:
        r = Runner(work)
        corpus = work / "bundled-corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        for p in corpus.iterdir():
            p.chmod(0o644)
        store = work / "bundled-store"
        if {"paired", "encoder"} & set(args.add):
            r.child("build", {"store": str(store), "corpus": str(corpus)})
        qs = questions(results["questions"] if results["questions"] < len(questions()) else None)
        added = {"at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "loadavg": loadavg(), "sections": args.add}
        if "paired" in args.add:
            results["bundled"].update(paired_section(r, qs, store, corpus, args.rounds))
        if "encoder" in args.add:
            results["encoder_options"] = encoder_section(r, qs, store)
        save = lambda: results_file.write_text(json.dumps(results, indent=2, ensure_ascii=False))  # noqa: E731
        if "growth" in args.add:
            args.corpus_cache = args.corpus_cache or work
            results["options"].update({k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()})
            results["growth"] = growth_section(r, qs, args, on_row=lambda rows: (results.update(growth=rows), save()))
        if "server" in args.add:
            args.corpus_cache = args.corpus_cache or work
            results["server"] = server_section(r, qs, args)
        results.setdefault("added_later", []).append(added)
        results_file.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    finally:
        if own_work and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    render([str(results_file)])


def telegram_cold_start(r: Runner, store: Path, corpus: Path, question: str) -> dict[str, Any]:
    """Spawn ``citebot telegram`` against tests/telegram_server.py's fake Bot API; time to the answer."""
    sys.path.insert(0, str(ROOT))  # the fake server is a test helper: tests.telegram_server, tests.loopback
    try:
        from tests.telegram_server import TOKEN, FakeTelegramServer  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT))
    chat = 4242
    with FakeTelegramServer() as fake:
        fake.push_message(chat, question)
        env = {"CITEBOT_TELEGRAM_TOKEN": TOKEN, "CITEBOT_TELEGRAM_BASE_URL": fake.base_url,
               "CITEBOT_STORE": str(store), "CITEBOT_CORPUS": str(corpus)}
        exe = Path(sys.executable).with_name("citebot")
        started = time.perf_counter()
        proc = subprocess.Popen([str(exe), "telegram"], env={**r.env, **env}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, cwd=str(r.work))
        try:
            texts = fake.wait_for_messages(chat, 1, timeout=300)
            seconds = time.perf_counter() - started
        finally:
            proc.terminate()
            try:
                _, err = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
    return {"to_first_answer_s": round(seconds, 3), "answer": texts[0][:160]}


def import_profile(r: Runner) -> list[dict[str, Any]]:
    """Top-level imports of the ask path by cumulative time (``python -X importtime``)."""
    code = ("import citebot.cli, retrieval.engine, retrieval.search, bm25s, chromadb; "
            "import sentence_transformers")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=r.env, capture_output=True,
                          text=True, cwd=str(ROOT), timeout=600)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:"):].split("|")
        try:
            cumulative = int(parts[1].strip())
        except ValueError:
            continue
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 1:
            rows.append({"module": name.strip(), "cumulative_s": round(cumulative / 1e6, 3)})
    rows.sort(key=lambda x: -x["cumulative_s"])
    return rows[:12]


def encoder_section(r: Runner, qs: list[str], store: Path) -> dict[str, Any]:
    """Thread settings and int8 quantisation of the encoder (each in a fresh process)."""
    import sqlite3

    from retrieval.store import current_generation

    gen = current_generation(store)
    assert gen is not None
    conn = sqlite3.connect(gen.manifest)
    passages = [row[0] for row in conn.execute("SELECT text FROM passages ORDER BY row")]
    conn.close()
    args = {"queries": qs[:20], "passages": passages, "int8": False}
    out = {}
    for label, env in (
        ("default (2 threads)", {}),
        ("OMP_NUM_THREADS=1", {"OMP_NUM_THREADS": "1"}),
        ("OMP_WAIT_POLICY=PASSIVE", {"OMP_WAIT_POLICY": "PASSIVE"}),
    ):
        log(f"encoder options: {label}")
        out[label] = r.child("encopts", {**args, "int8": "PASSIVE" not in label}, env=env,
                             module="bench.encoder_options")
    return out


def _default_chunk_chars() -> int:
    from citebot.settings import Settings

    return int(Settings.model_fields["chunk_chars"].default)


def growth_section(r: Runner, qs: list[str], args: argparse.Namespace, on_row: Any = None) -> list[dict[str, Any]]:
    from bench.corpus import sentence_pool, write_corpus

    pool, sources = sentence_pool(args.pool_sentences)
    chunk_chars = _default_chunk_chars()
    rows = []
    pool_info: dict[str, Any] | None = None
    pool_file = r.work / "pool.npz"
    for size in args.sizes:
        corpus = args.corpus_cache / f"generated-{size}"
        log(f"growth {size}: generating corpus in {corpus}")
        gen_info = write_corpus(corpus, pool, size, chunk_chars=chunk_chars)
        store = r.work / f"store-{size}"
        row: dict[str, Any] = {"target_chunks": size, "corpus": gen_info, "pool_sources": sources}
        real = size <= args.real_max
        small = size <= args.one_file_max
        build_args: dict[str, Any] = {"store": str(store), "corpus": str(corpus), "change_one": small,
                                      "project_one_file": not small, "raw_sample": args.raw_sample if real else 0}
        if not real:
            if pool_info is None:
                log(f"growth: encoding the {len(pool)}-sentence pool for reused-vector builds")
                pool_info = r.child("pool", {"sentences": pool, "pool_file": str(pool_file), "sample_passages": 128})
            build_args["pool"] = str(pool_file)
            row["pool"] = pool_info
        log(f"growth {size}: build ({'real encoder' if real else 'reused vectors'})")
        row["build"] = r.child("build", build_args)
        b = row["build"]
        if not real and pool_info:
            rate_p = pool_info["passages_per_s"]
            rate_s = pool_info["sentences_per_s"]
            n_sent = b["report"]["embedded"] - b["passages"]
            encode = b["passages"] / rate_p + n_sent / rate_s
            rest = b["build_s"] - b["stages_s"]["encode passages"] - b["stages_s"]["encode sentences"]
            row["projected_real_build_s"] = round(rest + encode, 1)
            row["projected_real_chunks_per_s"] = round(b["passages"] / (rest + encode), 2)
        log(f"growth {size}: ask latency")
        row["asks"] = r.child("asks", {"store": str(store), "corpus": str(corpus), "questions": qs,
                                       "warmup": 5, "rounds": 1})
        row["asks_1thread"] = r.child("asks", {"store": str(store), "corpus": str(corpus), "questions": qs,
                                               "warmup": 5, "rounds": 1}, env={"OMP_NUM_THREADS": "1"})
        cli = r.citebot("index", "--json", "--store", str(store), "--corpus", str(corpus))
        cli.pop("stdout")
        row["cli_index_unchanged"] = cli
        rows.append(row)
        if on_row is not None:
            on_row(rows)
        if not args.keep:
            shutil.rmtree(store, ignore_errors=True)
    return rows


def server_section(r: Runner, qs: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """The same commands against a ``chroma run`` server on loopback."""
    from bench.chroma_server import ChromaServer
    from bench.corpus import sentence_pool, write_corpus

    out: dict[str, Any] = {}
    with ChromaServer(r.work / "chroma-server") as server:
        out["server_start_s"] = round(server.start_seconds, 3)
        env = {"CITEBOT_CHROMA_HOST": server.host, "CITEBOT_CHROMA_PORT": str(server.port)}
        sr = Runner(r.work, env)
        sr._n = 500
        corpora = [("bundled", r.work / "bundled-corpus")]
        if args.server_size:
            pool, _ = sentence_pool(args.pool_sentences)
            corpus = args.corpus_cache / f"generated-{args.server_size}"
            write_corpus(corpus, pool, args.server_size, chunk_chars=_default_chunk_chars())
            corpora.append((f"generated-{args.server_size}", corpus))
        for label, corpus in corpora:
            store = r.work / f"server-store-{label}"
            log(f"chroma server: {label}: build, asks, cold CLI ask, CLI re-index")
            entry: dict[str, Any] = {}
            build_args: dict[str, Any] = {"store": str(store), "corpus": str(corpus), "change_one": True}
            if label != "bundled" and (r.work / "pool.npz").exists():
                build_args["pool"] = str(r.work / "pool.npz")  # encoding is not what the server changes
            entry["build"] = sr.child("build", build_args)
            entry["asks"] = sr.child("asks", {"store": str(store), "corpus": str(corpus), "questions": qs,
                                              "warmup": 5, "rounds": 1})
            entry["asks_1thread"] = sr.child("asks", {"store": str(store), "corpus": str(corpus), "questions": qs,
                                                      "warmup": 5, "rounds": 1}, env={"OMP_NUM_THREADS": "1"})
            ask = sr.citebot("ask", qs[0], "--json", "--store", str(store), "--corpus", str(corpus))
            ask.pop("stdout")
            entry["cold_cli_ask"] = ask
            index = sr.citebot("index", "--json", "--store", str(store), "--corpus", str(corpus))
            index.pop("stdout")
            entry["cli_index_unchanged"] = index
            out[label] = entry
        out["server_peak_rss_mb"] = server.rss_mb()
        out["server_disk_bytes"] = sum(p.stat().st_size for p in server.path.rglob("*") if p.is_file())
    return out


# ----------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="citebot bench", description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="Folder for results.json, results.md, chart.png.")
    p.add_argument("--sizes", default="1000,10000,100000", help="Growth sizes in chunks, comma separated.")
    p.add_argument("--real-max", type=int, default=1000,
                   help="Largest size built with the real encoder; larger sizes reuse pool vectors (labelled).")
    p.add_argument("--pool-sentences", type=int, default=3000, help="Distinct real sentences the generated corpora use.")
    p.add_argument("--raw-sample", type=int, default=500, help="Passages raw-encoded for the encoder's own rate.")
    p.add_argument("--rounds", type=int, default=2, help="Passes over the questions for warm latency (bundled corpus).")
    p.add_argument("--repeats", type=int, default=3, help="Runs of each cold-start measurement.")
    p.add_argument("--questions", type=int, default=0, help="Use only the first N gold questions (0: all).")
    p.add_argument("--one-file-max", type=int, default=1_000_000,
                   help="Largest size whose one-file re-index is run; above it the manifest reads are projected.")
    p.add_argument("--server-size", type=int, default=1000, help="Generated corpus also run against the server (0: none).")
    p.add_argument("--no-server", action="store_true", help="Skip the Chroma server section.")
    p.add_argument("--no-telegram", action="store_true", help="Skip `citebot telegram` against the fake Bot API.")
    p.add_argument("--no-encoder-options", action="store_true", help="Skip the encoder thread/int8 experiments.")
    p.add_argument("--work", type=Path, default=None, help="Scratch folder (default: a temporary one, removed).")
    p.add_argument("--corpus-cache", type=Path, default=None,
                   help="Where generated corpora are kept between runs [default: WORK].")
    p.add_argument("--keep", action="store_true", help="Keep the scratch folder and indexes.")
    p.add_argument("--add", default="", help="Only run these sections (comma separated: paired, encoder) and "
                   "add them to OUT/results.json.")
    p.add_argument("--quick", action="store_true", help="CI smoke run: sizes 200,1000, 20 questions, one repeat.")
    args = p.parse_args(argv)
    if args.quick:
        if args.sizes == p.get_default("sizes"):
            args.sizes = "200,1000"
        args.questions = args.questions or 20
        args.repeats = 1
        args.rounds = 1
        args.raw_sample = min(args.raw_sample, 300)
        args.server_size = 0
        args.no_encoder_options = True
        args.real_max = min(args.real_max, 200)
        args.pool_sentences = min(args.pool_sentences, 600)
    args.sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    args.add = [a.strip() for a in args.add.split(",") if a.strip()]
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from bench.report import evaluate_targets, render_markdown, write_chart

    args = parse_args(argv)
    if args.add:
        add_sections(args)
        return json.loads((args.out / "results.json").read_text())
    own_work = args.work is None
    work = Path(tempfile.mkdtemp(prefix="citebot-bench-")) if own_work else args.work
    work.mkdir(parents=True, exist_ok=True)
    args.corpus_cache = args.corpus_cache or work
    args.out.mkdir(parents=True, exist_ok=True)
    r = Runner(work)
    qs = questions(args.questions or None)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "environment": environment(),
        "questions": len(qs),
        "targets": TARGETS,
    }
    out_json = args.out / "results.json"

    def save() -> None:
        out_json.write_text(json.dumps(results, indent=2, ensure_ascii=False))

    try:
        results["bundled"] = bundled_section(r, qs, args)
        save()
        if not args.no_encoder_options:
            results["encoder_options"] = encoder_section(r, qs, work / "bundled-store")
            save()
        results["growth"] = growth_section(r, qs, args, on_row=lambda rows: (results.update(growth=rows), save()))
        save()
        if not args.no_server:
            results["server"] = server_section(r, qs, args)
    finally:
        results["seconds"] = round(time.perf_counter() - started, 1)
        results["environment"]["loadavg_at_end"] = loadavg()
        save()
        if own_work and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["verdicts"] = evaluate_targets(results)
    save()
    table = render_markdown(results)
    (args.out / "results.md").write_text(table, encoding="utf-8")
    write_chart(results, args.out / "chart.png")
    print(table)
    log(f"wrote {out_json}, {args.out / 'results.md'}, {args.out / 'chart.png'} in {results['seconds']:.0f} s")
    return results


if __name__ == "__main__":
    main()
