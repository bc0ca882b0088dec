"""run_eval end to end over a tiny corpus: a fake engine, the naive baseline, the real engine, the gate."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from citebot.errors import CitebotError
from citebot.settings import load_settings
from eval import gate
from eval.report import print_summary
from eval.runner import load_gold, run_eval
from retrieval.types import Answer, Citation, DocMeta, Document, Hit, Passage

ROOT = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DOCS = {
    "alpha.txt": "The Zephyr Bridge opened in March 1998. It was designed by engineer Clara Voss. "
    "The bridge spans the Orrin River.\n",
    "beta.txt": "Clara Voss later founded the Voss Institute in Lisbon. The institute trains young engineers. "
    "Its first director was Tomas Reyes.\n",
    "gamma.txt": "The Orrin River floods every spring. Farmers along the river grow barley and rye.\n",
}
GOLD = [
    {"id": "q001", "question": "When did the Zephyr Bridge open?", "history": [], "answerable": True,
     "answers": [["March 1998"]], "evidence": [{"quote": "The Zephyr Bridge opened in March 1998", "doc": "alpha.txt"}],
     "type": "factoid"},
    {"id": "q002", "question": "Which engineer designed the bridge?", "answerable": True,
     "answers": [["Clara Voss"]], "evidence": [{"quote": "It was designed by engineer Clara Voss"}], "type": "factoid"},
    {"id": "q003", "question": "Which institute did she found later?", "history": ["Who designed the Zephyr Bridge?"],
     "answerable": True, "answers": [["Voss Institute"], ["Lisbon"]],
     "evidence": [{"quote": "Clara Voss later founded the Voss Institute in Lisbon", "doc": "beta.txt"}], "type": "followup"},
    {"id": "q004", "question": "What is the population of Mars colony Alpha?", "history": [], "answerable": False,
     "answers": [], "evidence": [], "type": "unanswerable"},
]
REPORT_KEYS = {
    "n": None,
    "accuracy": None,
    "answerable_accuracy": None,
    "abstention": ("precision", "recall", "f1"),
    "retrieval": ("recall@1", "recall@5", "recall@10", "mrr"),
    "citations": ("verbatim_rate", "evidence_precision"),
    "answer_words": ("median",),
    "latency_ms": ("p50", "p95"),
    "by_type": None,
}
STOP = {"the", "a", "an", "of", "in", "is", "was", "what", "who", "when", "did", "which", "she", "it", "by", "its"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower())) - STOP


class FakeEngine:
    """Word-overlap retrieval over one passage per sentence; answers with the best passages."""

    def __init__(self, corpus: Path, search_mode: str = "hybrid", answer_max_sentences: int = 3, fail_on: str = "") -> None:
        self.search_mode = search_mode
        self.answer_max_sentences = answer_max_sentences
        self.fail_on = fail_on
        self.docs = {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(corpus).glob("*.txt"))}
        self.passages: dict[str, Passage] = {}
        for doc_id, text in self.docs.items():
            for i, found in enumerate(re.finditer(r"[^.\s][^.]*\.", text)):
                pid = f"{doc_id}#{i}"
                self.passages[pid] = Passage(pid, doc_id, found.start(), found.end(), found.group())
        self.asked: list[tuple[str, tuple[str, ...]]] = []
        self.closed = False

    def ask(self, question, history=()):
        self.asked.append((question, tuple(history)))
        if self.fail_on and self.fail_on in question:
            raise RuntimeError("engine broke")
        q, h = _words(question), _words(" ".join(history))
        scored = sorted(
            self.passages.values(), key=lambda p: (-(2 * len(q & _words(p.text)) + len(h & _words(p.text))), p.passage_id)
        )
        hits = [Hit(p, float(2 * len(q & _words(p.text)) + len(h & _words(p.text))), r) for r, p in enumerate(scored[:10], 1)]
        if self.search_mode == "bm25":  # a worse ranker: the best passage drops to second place
            hits[0], hits[1] = Hit(hits[1].passage, hits[1].score, 1), Hit(hits[0].passage, hits[0].score, 2)
        if hits[0].score < 2:
            return Answer(question, "The documents do not answer this question.", True, [], hits, {"total": 3.0})
        used = hits[: self.answer_max_sentences if hits[1].score >= 2 else 1]
        citations = [
            Citation(n, h.passage.doc_id, h.passage.doc_id, None, None, h.passage.text, h.passage.start, h.passage.end, h.passage.passage_id)
            for n, h in enumerate(used, 1)
        ]
        text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        return Answer(question, text, False, citations, hits, {"retrieve": 1.0, "total": 5.0 + len(self.asked)})

    def document(self, doc_id):
        return Document(DocMeta(doc_id, doc_id), self.docs[doc_id], "hash")

    def passage(self, passage_id):
        return self.passages.get(passage_id)

    def close(self):
        self.closed = True


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never touch the user's data or settings file."""
    for name in [n for n in __import__("os").environ if n.startswith("CITEBOT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CITEBOT_HOME", str(tmp_path / "home"))


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def gold_file(tmp_path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in GOLD) + "\n\n", encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path, corpus):
    return load_settings(corpus=corpus, store=tmp_path / "store")


def _check_report_keys(report):
    for key, subkeys in REPORT_KEYS.items():
        assert key in report, key
        for sub in subkeys or ():
            assert sub in report[key], f"{key}.{sub}"
    for label, metrics in report["by_type"].items():
        assert {"n", "accuracy", "recall@5", "mrr"} <= set(metrics), label


def _is_png(path: Path) -> bool:
    return path.is_file() and path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 1000


def test_run_eval_writes_every_output(tmp_path, settings, gold_file):
    engine = FakeEngine(settings.corpus)
    out = tmp_path / "out"
    ragas = tmp_path / "ragas" / "rows.jsonl"
    report = run_eval(settings, gold_file, out, engine=engine, naive=False, export_ragas=ragas)

    on_disk = json.loads((out / "report.json").read_text(encoding="utf-8"))
    _check_report_keys(on_disk)
    assert on_disk["n"] == 4 and on_disk["accuracy"] == 1.0 and on_disk["answerable_accuracy"] == 1.0
    assert on_disk["retrieval"]["recall@1"] == 1.0 and on_disk["retrieval"]["mrr"] == 1.0
    assert on_disk["abstention"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "rate": 0.25}
    assert on_disk["citations"]["verbatim_rate"] == 1.0
    assert set(on_disk["by_type"]) == {"factoid", "followup", "unanswerable"}
    assert on_disk["by_type"]["factoid"]["n"] == 2
    assert on_disk["settings"]["search_mode"] == "hybrid" and on_disk["settings"]["store"] == str(tmp_path / "store")
    assert report["accuracy"] == on_disk["accuracy"] and Path(report["paths"]["report.md"]).is_file()

    # the conversation API: history goes with the question; the caller's engine stays open
    assert engine.asked[2] == ("Which institute did she found later?", ("Who designed the Zephyr Bridge?",))
    assert not engine.closed

    rows = [json.loads(line) for line in (out / "answers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["q001", "q002", "q003", "q004"]
    for row in rows:
        assert {"question", "answer", "abstained", "citations", "passages", "timings_ms", "correct", "type"} <= set(row)
        assert row["correct"] is True and "evidence_rank" in row["eval"]
    assert rows[3]["abstained"] is True

    md = (out / "report.md").read_text(encoding="utf-8")
    for heading in ("# citebot evaluation", "## Headline", "## By question type", "## Failures (0 of 4)", "vs naive: not run"):
        assert heading in md
    assert _is_png(out / "by_type.png") and _is_png(out / "latency.png")
    assert set(on_disk["charts"]) == {"by_type.png", "latency.png"}

    ragas_rows = [json.loads(line) for line in ragas.read_text(encoding="utf-8").splitlines()]
    assert len(ragas_rows) == 4
    for row in ragas_rows:
        assert set(row) == {"user_input", "retrieved_contexts", "response", "reference"}
        assert isinstance(row["retrieved_contexts"], list) and all(isinstance(t, str) for t in row["retrieved_contexts"])
    assert ragas_rows[0]["reference"] == "The Zephyr Bridge opened in March 1998"
    assert ragas_rows[3]["reference"] == "The documents do not answer this question."
    assert ragas_rows[3]["response"] == "The documents do not answer this question."


def test_failures_are_listed_and_errors_recorded(tmp_path, settings, gold_file):
    engine = FakeEngine(settings.corpus, search_mode="bm25", fail_on="Mars")
    out = tmp_path / "out"
    report = run_eval(settings, gold_file, out, engine=engine, naive=False)
    assert report["errors"] == 1
    rows = [json.loads(line) for line in (out / "answers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[3]["error"] == "RuntimeError: engine broke" and rows[3]["correct"] is False
    assert report["retrieval"]["recall@1"] == 0.0 and report["retrieval"]["mrr"] == 0.5
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "### q004 (unanswerable)" in md and "- expected: abstain" in md and "- error: RuntimeError" in md
    assert "- question: What is the population of Mars colony Alpha?" in md and "## Failures (1 of 4)" in md


def test_every_question_failing_is_an_error(tmp_path, settings, gold_file):
    engine = FakeEngine(settings.corpus, fail_on=" ")
    with pytest.raises(CitebotError, match="Every question failed"):
        run_eval(settings, gold_file, tmp_path / "out", engine=engine, naive=False)


def test_compare_runs_each_config_in_its_own_store(tmp_path, settings, gold_file):
    opened = []

    def factory(config_settings, progress=False):
        key = (config_settings.search_mode, config_settings.sentence_weight, config_settings.abstain_threshold)
        opened.append((key, config_settings.store_dir))
        engine = FakeEngine(config_settings.corpus, config_settings.search_mode)
        opened.append(engine)
        return engine

    out = tmp_path / "out"
    report = run_eval(settings, gold_file, out, compare=True, engine_factory=factory, naive=False)
    configs = {key: store for key, store in (o for o in opened if isinstance(o, tuple))}
    default = ("hybrid", settings.sentence_weight, settings.abstain_threshold)
    assert set(configs) == {
        default,
        ("dense", default[1], default[2]),
        ("bm25", default[1], default[2]),
        ("hybrid", 0.0, default[2]),
        ("hybrid", default[1], 0.0),
    }
    assert configs[default] == tmp_path / "store"
    assert len(set(configs.values())) == 5 and all(s.parent == out / "stores" for k, s in configs.items() if k != default)
    assert all(e.closed for e in opened if isinstance(e, FakeEngine))

    compare = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    names = [c["name"] for c in compare["configs"]]
    assert names == ["hybrid (default)", "dense", "bm25", "no sentence ranker", "never abstain"]
    bm25 = compare["configs"][2]["metrics"]
    assert bm25["recall@1"] == 0.0 and compare["vs_default"]["bm25"]["mrr"] == -0.5
    assert (out / "configs" / "bm25" / "answers.jsonl").is_file()
    assert _is_png(out / "compare.png") and "compare.png" in report["charts"]
    assert "## Configurations compared" in (out / "report.md").read_text(encoding="utf-8")


def test_naive_baseline_is_always_compared(tmp_path, settings, gold_file):
    """Loads the packaged MiniLM model (a few seconds)."""
    out = tmp_path / "out"
    report = run_eval(settings, gold_file, out, engine=FakeEngine(settings.corpus))
    naive = report["naive"]
    assert naive["abstention_recall"] == 0.0  # the baseline never abstains
    assert naive["verbatim_rate"] == 1.0  # its quote is a raw chunk of the file
    assert naive["recall@10"] == 1.0  # three tiny files: every chunk comes back
    assert report["vs_naive"]["accuracy"] == pytest.approx(report["accuracy"] - naive["accuracy"], abs=1e-3)
    assert [c["name"] for c in report["compare"]["configs"]] == ["hybrid (default)", "naive"]
    rows = [json.loads(line) for line in (out / "configs" / "naive" / "answers.jsonl").read_text().splitlines()]
    assert len(rows) == 4 and not any(r["abstained"] for r in rows)
    assert all(r["passages"] and r["citations"][0]["quote"] == r["passages"][0]["text"] for r in rows)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "**vs naive: accuracy 1.000 vs" in md and _is_png(out / "compare.png")

    console = Console(record=True, width=160)
    print_summary(report, console=console)
    text = console.export_text()
    assert "answerable_accuracy" in text and "vs naive: accuracy" in text and "factoid" in text


def test_load_gold_reports_bad_lines(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "q1", "question": "ok?"}\n{not json\n', encoding="utf-8")
    with pytest.raises(CitebotError, match=r"bad.jsonl:2: not valid JSON"):
        load_gold(bad)
    bad.write_text('{"id": "q1", "question": "a?"}\n{"id": "q1", "question": "b?"}\n', encoding="utf-8")
    with pytest.raises(CitebotError, match="duplicate id"):
        load_gold(bad)
    with pytest.raises(CitebotError, match="Gold file not found"):
        load_gold(tmp_path / "missing.jsonl")
    bad.write_text('{"id": "q1", "question": "a?"}\n', encoding="utf-8")
    assert load_gold(bad)[0] == {"id": "q1", "question": "a?", "history": [], "answerable": False,
                                 "answers": [], "evidence": [], "type": "untyped"}


def test_project_gold_file_loads():
    rows = load_gold(ROOT / "eval" / "gold.jsonl")
    assert rows and all(r["question"] for r in rows)


def test_gate_passes_and_fails(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"accuracy": 0.9, "retrieval": {"recall@5": 0.3}}), encoding="utf-8")
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"_comment": "x", "accuracy": 0.8}), encoding="utf-8")
    assert gate.main([str(report), "--floors", str(floors)]) == 0
    assert "passed" in capsys.readouterr().out

    floors.write_text(json.dumps({"accuracy": 0.95, "retrieval.recall@5": 0.5}), encoding="utf-8")
    assert gate.main([str(report), "--floors", str(floors)]) == 1
    err = capsys.readouterr().err
    assert "2 of 2 metric(s) below" in err and "accuracy: 0.900 is below its floor 0.950" in err
    assert "retrieval.recall@5: 0.300 is below its floor 0.500" in err

    assert gate.main([str(tmp_path / "missing.json")]) == 2


def test_gate_module_entry_point_and_default_floors(tmp_path):
    floors = gate.load_floors()
    assert set(floors) == {"accuracy", "answerable_accuracy", "retrieval.recall@5", "retrieval.mrr", "abstention.f1",
                           "citations.verbatim_rate"}
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"accuracy": 0.1}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "eval.gate", str(report)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "accuracy: 0.100 is below its floor" in done.stderr and "missing from the report" in done.stderr


def _real_engine_available() -> bool:
    try:
        from retrieval.engine import Engine  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _real_engine_available(), reason="retrieval.engine.Engine is not implemented yet")
def test_real_engine_on_a_tiny_corpus(tmp_path, settings, gold_file):
    """The real engine indexes a corpus it has never seen into a fresh store and is evaluated."""
    out = tmp_path / "out"
    report = run_eval(settings, gold_file, out, export_ragas=tmp_path / "ragas.jsonl")
    assert (tmp_path / "store").is_dir()
    _check_report_keys(report)
    assert report["n"] == 4 and report["errors"] == 0
    assert report["retrieval"]["recall@10"] == 1.0
    assert report["citations"]["verbatim_rate"] == 1.0
    rows = {json.loads(line)["id"]: json.loads(line) for line in (out / "answers.jsonl").read_text().splitlines()}
    assert rows["q001"]["correct"] and "March 1998" in rows["q001"]["answer"]  # the plainest factoid
    assert all(c["doc_id"] in DOCS for r in rows.values() for c in r["citations"])
    assert report["naive"] and "vs naive" in (out / "report.md").read_text(encoding="utf-8")
    for name in ("report.json", "answers.jsonl", "report.md", "compare.json"):
        assert (out / name).is_file(), name
    assert _is_png(out / "by_type.png") and _is_png(out / "latency.png")
