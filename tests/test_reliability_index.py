"""Index reliability: crash safety, concurrent readers and writers, incremental correctness.

Real model, real Chroma, offline. Writers run in separate processes (the real CLI, or children
forked from a worker that has already imported the heavy libraries, so each kill costs seconds,
not a fresh interpreter) and are stopped with SIGKILL or SIGSTOP at chosen points of a build.
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from citebot.errors import CitebotError, StoreBusyError
from citebot.settings import Settings, load_settings
from retrieval.embed import Encoder
from retrieval.engine import Engine
from retrieval.indexer import IndexReport, build_index
from retrieval.store import CURRENT, GENERATIONS, current_generation, open_manifest, write_lock
from retrieval.vectors import VectorStore
from tests.conftest import ROOT, write_corpus

# ---------------------------------------------------------------------------------------------
# A small corpus with one unmistakable fact per document, and questions the answerer can answer.

BASE_DOCS = {
    "quellmoor.txt": (
        "Island keeper grows fruit\n\n"
        "The lighthouse keeper Bartholomew Fenwick grew purple pineapples on the island of Quellmoor. "
        "He sold the fruit at the harbour market in Port Ellis every Tuesday morning. "
        "Visitors travelled from the mainland to taste them, and the parish council named a lane after him."
    ),
    "library.txt": (
        "Library receives atlases\n\n"
        "The Harrowgate library received a donation of 3,200 atlases from the retired cartographer Ingrid Solberg. "
        "The collection includes sea charts from the eighteenth century and a hand-painted globe. "
        "Librarians expect the new map room to open to the public next spring."
    ),
    "bridge.txt": (
        "Footbridge reopens\n\n"
        "The Calder footbridge closed in 2019 after engineers found deep cracks in its iron supports. "
        "Repairs cost 2.4 million pounds and took three years to complete. "
        "Cyclists and walkers returned to the crossing when it reopened in June."
    ),
    "choir.txt": (
        "Choir wins contest\n\n"
        "The Merrowdown choir won the regional singing contest with a song about the old copper mines. "
        "Its conductor, Amadou Keita, had rehearsed the forty singers twice a week since January. "
        "The prize money will pay for new robes and a trip to the national final."
    ),
}
QUESTIONS = [
    ("What did Bartholomew Fenwick grow on the island of Quellmoor?", "purple pineapples", "quellmoor.txt"),
    ("Who donated the atlases to the Harrowgate library?", "Ingrid Solberg", "library.txt"),
    ("Why did the Calder footbridge close?", "cracks", "bridge.txt"),
]
NEW_DOC = (
    "zoo.txt",
    "Zoo names foal\n\n"
    "The Ashcombe zoo named its first zebra foal Clementine Moonbeam after a vote by local schoolchildren. "
    "Keepers said the foal was born during a thunderstorm in August and weighed thirty kilograms. "
    "The zebra enclosure will reopen to visitors once the foal is strong enough.",
)
NEW_QUESTION = ("What name did the Ashcombe zoo give its zebra foal?", "Clementine Moonbeam", "zoo.txt")

_PLACES = "Ardmore Belcastle Corran Dunholm Eskdale Fenwick Glenrock Hollin Inverdale Kestle".split()
_THINGS = "orchard ferry museum brewery quarry observatory market school harbour mill".split()
_PEOPLE = "Odile Brannock|Pavel Marek|Ruth Okonjo|Seamus Tully|Yara Haddad|Lotte Vinke|Ines Duarte".split("|")


def filler_docs(n: int, seed: int = 7) -> dict[str, str]:
    """``n`` plausible local-news documents (enough text to make a build take a few seconds)."""
    rng = random.Random(seed)
    docs = {}
    for i in range(n):
        place, thing, person = rng.choice(_PLACES), rng.choice(_THINGS), rng.choice(_PEOPLE)
        sentences = [
            f"The {place} {thing} reported {rng.randint(12, 900)} visitors during the week of the {i}th fair.",
            f"{person} told the council that the {thing} needed {rng.randint(2, 40)} new volunteers.",
            f"Funding of {rng.randint(1, 90)} thousand pounds was approved for repairs to the {thing} roof.",
            f"Residents of {place} asked for later opening hours and a bus stop beside the {thing}.",
            f"A report on the {thing} will be published in {rng.choice(['March', 'July', 'October'])}.",
        ]
        docs[f"filler/{i:03d}_{place.lower()}.txt"] = f"{place} {thing} update {i}\n\n" + " ".join(sentences)
    return docs


# ---------------------------------------------------------------------------------------------
# Helpers


def make_settings(store: Path, corpus: Path, **extra: object) -> Settings:
    return load_settings(store=store, corpus=corpus, home=store.parent, **extra)


def generation_names(store: Path) -> set[str]:
    root = store / GENERATIONS
    return {p.name for p in root.iterdir() if p.is_dir()} if root.exists() else set()


def current_name(store: Path) -> str | None:
    gen = current_generation(store)
    return gen.name if gen else None


def answer_key(engine: Engine, question: str) -> tuple:
    """What must not change when a crash leaves the previous generation answering."""
    answer = engine.ask(question)
    return answer.answer, tuple((c.doc_id, c.quote) for c in answer.citations)


def assert_consistent(store: Path, settings: Settings) -> None:
    """The current generation is whole: manifest, vectors, BM25 and Chroma agree on the passages."""
    gen = current_generation(store)
    assert gen is not None
    conn = open_manifest(gen.manifest, readonly=True)
    try:
        ids = [pid for (pid,) in conn.execute("SELECT passage_id FROM passages ORDER BY row")]
        n_docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    finally:
        conn.close()
    n_sent = np.load(gen.sentence_table).shape[0]
    assert n_sent > 0 and np.load(gen.sentence_table)[:, 0].max() == n_docs - 1
    assert np.load(gen.passage_table).shape[0] == len(ids)
    assert np.load(gen.passvec).shape[0] == len(ids)
    assert np.load(gen.sentvec).shape[0] == n_sent
    vectors = VectorStore.open(settings, gen.chroma, create=False)
    try:
        assert vectors.all_ids() == set(ids)
    finally:
        vectors.close()


def subprocess_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITEBOT_")}
    env.update(
        CITEBOT_HOME=str(home),
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        ANONYMIZED_TELEMETRY="False",
        PYTHONWARNINGS="ignore",
    )
    return env


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "citebot.cli", *args]


def wait_for(predicate, timeout: float, interval: float = 0.001) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    enc = Encoder()
    enc.encode(["warm up"])
    return enc


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, encoder):
    """A published index of BASE_DOCS, and the answers it gives (copied by each test that writes)."""
    root = tmp_path_factory.mktemp("baseline")
    corpus = write_corpus(root / "corpus", BASE_DOCS)
    store = root / "index"
    settings = make_settings(store, corpus)
    report = build_index(settings, encoder)
    engine = Engine(settings, encoder)
    answers = {q: answer_key(engine, q) for q, _, _ in QUESTIONS}
    engine.close()
    for q, fact, doc in QUESTIONS:
        assert fact in answers[q][0] and doc in {d for d, _ in answers[q][1]}, (q, answers[q])
    return {"root": root, "corpus": corpus, "store": store, "generation": report.generation, "answers": answers}


def copy_baseline(baseline: dict, dest: Path) -> tuple[Path, Path]:
    """A private copy of the baseline corpus and store (mtimes kept, so nothing looks changed)."""
    corpus, store = dest / "corpus", dest / "index"
    shutil.copytree(baseline["corpus"], corpus)
    shutil.copytree(baseline["store"], store)
    return corpus, store


# ---------------------------------------------------------------------------------------------
# 1a. SIGKILL mid-write: the previous generation keeps answering; the next run publishes.

WORKER = r"""
import json, os, sys
import torch, sentence_transformers  # the slow imports, once; no model runs in this parent
from citebot.settings import load_settings
from retrieval.embed import Encoder
from retrieval.indexer import build_index

print(json.dumps({"ready": os.getpid()}), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            settings = load_settings(store=job["store"], corpus=job["corpus"], home=job["home"])
            report = build_index(settings, Encoder(settings.model_path, settings.embed_batch_size))
            print(json.dumps({"report": report.to_dict()}), flush=True)
        except BaseException as exc:
            print(json.dumps({"error": repr(exc)}), flush=True)
            code = 1
        os._exit(code)
    print(json.dumps({"pid": pid}), flush=True)
    sys.stdin.readline()  # reap only when told: until then the pid cannot be reused by anyone else
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"killed_by": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                      "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None}), flush=True)
"""


class IndexWorker:
    """A process that forks one ``build_index`` child per job (the children are what we kill)."""

    def __init__(self, home: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER], cwd=ROOT, env=subprocess_env(home), text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        self.lines: queue.Queue[dict] = queue.Queue()
        self.pending: list[dict] = []  # messages read while waiting for another kind
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))

    def expect(self, key: str, timeout: float) -> dict:
        for i, message in enumerate(self.pending):
            if key in message:
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            message = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if key in message:
                return message
            self.pending.append(message)

    def start(self, store: Path, corpus: Path) -> int:
        job = {"store": str(store), "corpus": str(corpus), "home": str(store.parent)}
        self.pending.clear()
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        return self.expect("pid", 60)["pid"]

    def reap(self, timeout: float) -> dict:
        """Let the worker collect its child; how it ended: ``{"killed_by": signal, "code": exit code}``."""
        self.proc.stdin.write("reap\n")
        self.proc.stdin.flush()
        return self.expect("killed_by", timeout)

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.mark.slow
def test_sigkill_mid_write_keeps_previous_generation_and_next_run_publishes(baseline, encoder, tmp_path, request):
    worker = IndexWorker(tmp_path)  # imports while the copy is made
    request.addfinalizer(worker.close)
    corpus, store = copy_baseline(baseline, tmp_path)
    settings = make_settings(store, corpus)
    base_gen = baseline["generation"]
    write_corpus(corpus, {**filler_docs(6), NEW_DOC[0]: NEW_DOC[1]})
    bot = Engine(settings, encoder)  # a long-running reader, open through every crash
    assert bot.loaded.generation.name == base_gen
    worker.expect("ready", 180)

    def new_gen_dir(before: set[str]) -> Path | None:
        fresh = sorted(generation_names(store) - before)
        return store / GENERATIONS / fresh[-1] if fresh else None

    timeline: dict[str, float] = {}  # seconds from fork to each stage, seen from outside
    points = [
        ("generation folder created", lambda g: g is not None),
        ("dense store being copied/filled", lambda g: g is not None and (g / "chroma").exists()),
        ("manifest being written", lambda g: g is not None and (g / "manifest.sqlite").exists()),
    ]
    outcomes = []
    for label, ready in points + [("random delay", None), ("random delay", None)]:
        before = generation_names(store)
        pid = worker.start(store, corpus)
        started = time.monotonic()
        if ready is not None:
            assert wait_for(lambda: ready(new_gen_dir(before)), timeout=180), f"never reached: {label}"
            timeline[label] = time.monotonic() - started
        else:
            # Somewhere between the folder appearing and the manifest: mid-write by construction.
            lo = timeline["generation folder created"]
            hi = timeline["manifest being written"] + 0.05
            delay = random.uniform(lo, hi)
            label = f"random delay {delay:.2f} s"
            time.sleep(max(0.0, delay - (time.monotonic() - started)))
        os.kill(pid, signal.SIGKILL)  # our child, not yet reaped (a zombie if it already finished)
        status = worker.reap(60)
        flipped = current_name(store) != base_gen
        outcomes.append((label, status["killed_by"] == signal.SIGKILL, flipped))
        if not flipped:
            # A restarted reader and the long-running one both answer exactly as before.
            fresh_engine = Engine(settings, encoder)
            for q, _, _ in QUESTIONS:
                assert answer_key(fresh_engine, q) == baseline["answers"][q], (label, q)
            fresh_engine.close()
            assert answer_key(bot, QUESTIONS[0][0]) == baseline["answers"][QUESTIONS[0][0]]
            assert bot.loaded.generation.name == base_gen
            # Crashed runs never pile up: besides the current generation, one dead folder at most.
            assert len(generation_names(store) - {base_gen}) <= 1, generation_names(store)
        else:  # the kill came after the flip: then the new generation must be whole
            assert_consistent(store, settings)
            break
        # SIGKILL released the single-writer lock with the process.
        with write_lock(store):
            pass
    print("\nkill points (label, killed mid-run, CURRENT flipped):", outcomes)
    print("stage times from fork (s):", {k: round(v, 2) for k, v in timeline.items()})
    # The deterministic points all landed before the flip (they are reached before CURRENT moves).
    assert all(killed and not flipped for _, killed, flipped in outcomes[:2]), outcomes

    # The next run completes and publishes; unfinished folders are gone, the true previous kept.
    published_early = outcomes[-1][2]
    worker.start(store, corpus)
    assert worker.reap(300) == {"killed_by": None, "code": 0}
    report = worker.expect("report", 1)["report"]
    assert report["failed"] == []
    assert current_name(store) == report["generation"] != base_gen
    if not published_early:
        assert NEW_DOC[0] in report["added"]
        assert generation_names(store) == {report["generation"], base_gen}
    else:
        assert len(generation_names(store)) <= 2
    assert_consistent(store, settings)
    for engine in (bot, Engine(settings, encoder)):
        answer = engine.ask(NEW_QUESTION[0])
        assert NEW_QUESTION[1] in answer.answer
        assert NEW_QUESTION[2] in {c.doc_id for c in answer.citations}
        assert engine.loaded.generation.name == report["generation"]
        engine.close()


def test_crashed_build_folder_is_never_kept_as_the_previous_generation(tmp_path, encoder):
    """Regression: GC used to keep a dead writer's folder as 'previous' and delete the real one."""
    corpus = write_corpus(tmp_path / "corpus", dict(list(BASE_DOCS.items())[:2]))
    store = tmp_path / "index"
    settings = make_settings(store, corpus)
    first = build_index(settings, encoder).generation
    # What a writer killed mid-build leaves behind (with or without its manifest written yet).
    dead = store / GENERATIONS / "gen-000002"
    (dead / "chroma").mkdir(parents=True)
    (dead / "manifest.sqlite").write_bytes(b"")
    write_corpus(corpus, {NEW_DOC[0]: NEW_DOC[1]})
    second = build_index(settings, encoder).generation
    assert second not in (first, "gen-000002")  # numbers of dead folders are not reused
    assert generation_names(store) == {first, second}
    assert (store / CURRENT).read_text().strip() == second


# ---------------------------------------------------------------------------------------------
# 1b + 1c. A writer process mid-build (frozen with SIGSTOP), a second writer, two reader
# processes and an in-process engine (the bot), all on one store at once.


@pytest.fixture(scope="module")
def concurrent_run(baseline, encoder, tmp_path_factory):
    """Runs the scenario once; the tests below each check one part of what happened."""
    tmp = tmp_path_factory.mktemp("concurrent")
    corpus, store = copy_baseline(baseline, tmp)
    settings = make_settings(store, corpus)
    env = subprocess_env(tmp)
    base_gen = baseline["generation"]
    q0 = QUESTIONS[0][0]
    write_corpus(corpus, {**filler_docs(3, seed=3), NEW_DOC[0]: NEW_DOC[1]})
    bot = Engine(settings, encoder)
    assert bot.loaded.generation.name == base_gen
    result: dict = {"base_gen": base_gen, "bot_answers": [], "bot_errors": []}

    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                before = bot.loaded.generation.name
                key = answer_key(bot, q0)
                result["bot_answers"].append((before, key))
            except Exception as exc:  # noqa: BLE001 - recorded and asserted on
                result["bot_errors"].append(repr(exc))
            stop.wait(1.0)

    asker = threading.Thread(target=keep_asking, daemon=True)
    procs: list[subprocess.Popen] = []

    def spawn(name: str, *args: str) -> tuple[subprocess.Popen, Path, Path]:
        out, err = tmp / f"{name}.out", tmp / f"{name}.err"
        with out.open("w") as stdout, err.open("w") as stderr:
            proc = subprocess.Popen(cli(*args), cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
        procs.append(proc)
        return proc, out, err

    try:
        asker.start()
        before = generation_names(store)
        writer, writer_out, writer_err = spawn(
            "writer", "index", "--store", str(store), "--corpus", str(corpus), "--json"
        )
        assert wait_for(lambda: bool(generation_names(store) - before), timeout=180, interval=0.002)
        os.kill(writer.pid, signal.SIGSTOP)  # frozen mid-write, holding the lock
        result["writer_pid"] = writer.pid
        result["frozen_folder"] = sorted(generation_names(store) - before)
        assert writer.poll() is None

        started = time.monotonic()
        second, _, second_err = spawn("second", "index", "--store", str(store), "--corpus", str(corpus))
        readers = [
            spawn(f"reader{i}", "ask", q0, "--json", "--store", str(store), "--corpus", str(corpus))
            for i in (1, 2)
        ]
        result["second_rc"] = second.wait(timeout=120)
        result["second_seconds"] = time.monotonic() - started
        result["second_stderr"] = second_err.read_text()
        result["readers"] = []
        for proc, out, err in readers:
            try:
                rc = proc.wait(timeout=240)
            except subprocess.TimeoutExpired:
                rc = "hung"
            result["readers"].append((rc, time.monotonic() - started, out.read_text(), err.read_text()))
        result["current_while_frozen"] = current_name(store)

        os.kill(writer.pid, signal.SIGCONT)
        result["writer_rc"] = writer.wait(timeout=300)
        result["writer_report"] = json.loads(writer_out.read_text() or "null")
        result["writer_stderr"] = writer_err.read_text()
        # The bot must see the new generation on its next question, without a restart.
        result["bot_new"] = bot.ask(NEW_QUESTION[0])
        result["bot_generation_after"] = bot.loaded.generation.name
        result["current_after"] = current_name(store)
        result["generations_after"] = generation_names(store)
    finally:
        stop.set()
        asker.join(timeout=60)
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        bot.close()
    print(
        f"\nsecond writer failed after {result['second_seconds']:.1f} s; readers answered after "
        + ", ".join(f"{r[1]:.1f} s" for r in result["readers"])
        + f"; the bot answered {len(result['bot_answers'])} times meanwhile"
    )
    return result


@pytest.mark.slow
def test_second_writer_fails_fast_naming_the_first(concurrent_run):
    r = concurrent_run
    assert r["second_rc"] != 0
    assert f"being written by pid {r['writer_pid']}" in r["second_stderr"]
    # It gave up instead of waiting: the first writer was still frozen holding the lock.
    assert r["second_seconds"] < 60, r["second_seconds"]


@pytest.mark.slow
def test_two_reader_processes_answer_while_a_writer_is_mid_build(concurrent_run, baseline):
    r = concurrent_run
    expected_answer, expected_citations = baseline["answers"][QUESTIONS[0][0]]
    for rc, seconds, out, err in r["readers"]:
        assert rc == 0, (rc, err[-2000:])
        answer = json.loads(out)
        assert answer["answer"] == expected_answer  # from the previous, published generation
        assert [(c["doc_id"], c["quote"]) for c in answer["citations"]] == list(expected_citations)
    assert r["current_while_frozen"] == r["base_gen"]


@pytest.mark.slow
def test_running_engine_keeps_answering_and_switches_to_the_new_generation(concurrent_run, baseline):
    r = concurrent_run
    assert r["bot_errors"] == []
    expected = baseline["answers"][QUESTIONS[0][0]]
    old = [key for gen, key in r["bot_answers"] if gen == r["base_gen"]]
    assert len(old) >= 3 and all(key == expected for key in old)
    assert r["writer_rc"] == 0, r["writer_stderr"][-2000:]
    new_gen = r["writer_report"]["generation"]
    assert NEW_DOC[0] in r["writer_report"]["added"]
    assert r["current_after"] == new_gen == r["bot_generation_after"] != r["base_gen"]
    assert NEW_QUESTION[1] in r["bot_new"].answer
    assert NEW_QUESTION[2] in {c.doc_id for c in r["bot_new"].citations}
    assert r["generations_after"] == {r["base_gen"], new_gen}


def test_copy_forward_is_a_consistent_snapshot_while_readers_write(baseline, tmp_path):
    """Chroma writes to its SQLite file on every open (a row in ``acquire_write``), so readers of
    the current generation write to it while the next build copies it. A plain file copy then
    picked up torn pages and vanishing journals (in a trial: 19 of 200 copies raised, 62 failed
    the integrity check); the snapshot copy must give a whole database every time."""
    import sqlite3

    from retrieval.store import snapshot_tree

    source = tmp_path / "chroma"
    shutil.copytree(current_generation(baseline["store"]).chroma, source)
    stop = threading.Event()
    writes = []

    def reader_opens() -> None:
        conn = sqlite3.connect(source / "chroma.sqlite3", isolation_level=None, timeout=30)
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO acquire_write (lock_status) VALUES (1)")
            conn.execute("COMMIT")
            writes.append(1)
            time.sleep(0.002)
        conn.close()

    thread = threading.Thread(target=reader_opens)
    thread.start()
    try:
        for i in range(15):
            target = tmp_path / f"copy{i}"
            snapshot_tree(source, target)
            assert not list(target.glob("*-journal"))
            conn = sqlite3.connect(f"file:{target / 'chroma.sqlite3'}?mode=ro", uri=True)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            finally:
                conn.close()
    finally:
        stop.set()
        thread.join()
    assert len(writes) > 5  # the copies really did race with writes (fewer on a loaded machine)
    settings = make_settings(baseline["store"], baseline["corpus"])
    vectors = VectorStore.open(settings, tmp_path / "copy14", create=False)
    try:
        assert len(vectors.all_ids()) == vectors.collection.count() > 0
    finally:
        vectors.close()


def test_writer_lock_is_exclusive_and_names_the_holder(tmp_path):
    store = tmp_path / "index"
    with write_lock(store):
        with pytest.raises(StoreBusyError, match=f"being written by pid {os.getpid()}"):
            with write_lock(store):
                pass
    with write_lock(store):  # released on exit
        pass


# ---------------------------------------------------------------------------------------------
# 3. Incremental builds: counts, reuse, and nothing stale ever comes back.

INC_DOCS = {
    "a.txt": "Kayak club\n\nThe Wendle kayak club bought seventeen orange kayaks for its summer school. "
    "The club trains children on the river every Saturday morning. Its coach, Marta Lind, grew up beside the weir.",
    "b.txt": "Bakery prize\n\nThe Oxley bakery won a national prize for its rye sourdough loaf. "
    "The baker, Tomas Reyes, starts the dough at three in the morning. "
    "The judges praised the loaf's dark crust and its caraway seeds.",
    "c.txt": "Observatory telescope\n\nThe Brackenfell observatory installed a copper telescope donated by astronomer Henrike Vos. "
    "Volunteers will host stargazing evenings on clear Fridays. The dome was repainted in midnight blue.",
    "d.txt": "Orchard harvest\n\nThe Pellham orchard harvested eleven tonnes of quince this autumn. "
    "Pickers came from four neighbouring villages. The fruit will be sold as jam at the winter fair.",
}


def _all_hits(engine: Engine, query: str) -> list:
    return [h for mode in ("hybrid", "dense", "bm25") for h in engine.search(query, k=100, mode=mode)]


def test_incremental_add_change_delete(tmp_path, encoder):
    corpus = write_corpus(tmp_path / "corpus", INC_DOCS)
    store = tmp_path / "index"
    settings = make_settings(store, corpus)
    first = build_index(settings, encoder)
    assert sorted(first.added) == sorted(INC_DOCS) and first.embedded > 0
    engine = Engine(settings, encoder)
    assert any(h.passage.doc_id == "c.txt" for h in _all_hits(engine, "Henrike Vos copper telescope"))

    (corpus / "c.txt").unlink()
    (corpus / "b.txt").write_text(INC_DOCS["b.txt"].replace("rye sourdough loaf", "spelt and honey bun"))
    write_corpus(corpus, {"e.txt": NEW_DOC[1]})
    second = build_index(settings, encoder)
    assert (second.added, second.updated, second.removed) == (["e.txt"], ["b.txt"], ["c.txt"])
    assert second.unchanged == 2 and second.failed == []
    assert 0 < second.embedded < first.embedded  # a.txt, d.txt and b's unchanged text are reused
    assert second.generation != first.generation

    # The same engine moves to the new generation; deleted and replaced text never comes back.
    assert engine.loaded.generation.name == second.generation
    for query in ("Henrike Vos copper telescope", "Brackenfell observatory stargazing", "rye sourdough loaf"):
        hits = _all_hits(engine, query)
        assert hits and all(h.passage.doc_id != "c.txt" for h in hits)
        assert all("rye sourdough" not in h.passage.text for h in hits)
        assert all("Brackenfell" not in h.passage.text for h in hits)
    assert engine.document("c.txt") is None
    assert "rye sourdough" not in engine.document("b.txt").text
    answer = engine.ask("Who donated the copper telescope to the Brackenfell observatory?")
    assert "c.txt" not in {c.doc_id for c in answer.citations} | {h.passage.doc_id for h in answer.passages}
    answer = engine.ask("What did the Oxley bakery win a national prize for?")
    assert "spelt and honey bun" in answer.answer and "rye" not in answer.answer
    assert_consistent(store, settings)  # Chroma holds exactly the live passages: deletes applied

    # Nothing changed: nothing embedded, no new generation, and fast.
    started = time.perf_counter()
    third = build_index(settings, encoder)
    seconds = time.perf_counter() - started
    print(f"\nunchanged re-run: {seconds * 1000:.0f} ms, {third.embedded} texts embedded")
    assert third.embedded == 0 and not third.changed and third.unchanged == 4
    assert third.generation == second.generation == current_name(store)
    # Touched but not changed (new mtime, same bytes): still nothing to do.
    st = (corpus / "a.txt").stat()
    os.utime(corpus / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    fourth = build_index(settings, encoder)
    assert fourth.embedded == 0 and not fourth.changed and fourth.generation == second.generation
    engine.close()


def test_wrong_or_emptied_corpus_never_wipes_the_index(tmp_path, encoder):
    corpus = write_corpus(tmp_path / "corpus", dict(list(INC_DOCS.items())[:2]))
    store = tmp_path / "index"
    settings = make_settings(store, corpus)
    gen = build_index(settings, encoder).generation
    with pytest.raises(CitebotError, match="previous index is kept"):
        build_index(make_settings(store, tmp_path / "no-such-folder"), encoder)
    for path in corpus.glob("*.txt"):
        path.unlink()
    with pytest.raises(CitebotError, match="Nothing could be indexed"):
        build_index(settings, encoder)
    assert current_name(store) == gen
    assert len(Engine(settings, encoder).sources()) == 2


def test_report_to_dict_lists_failures():
    from retrieval.ingest import Failure

    report = IndexReport(failed=[Failure("x.pdf", "encrypted PDF (a password is needed)")])
    assert report.to_dict()["failed"] == [{"doc_id": "x.pdf", "reason": "encrypted PDF (a password is needed)"}]
