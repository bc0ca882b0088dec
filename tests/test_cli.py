"""The command line, through its real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from typer.testing import CliRunner

from citebot.cli import app
from tests.conftest import CORPUS, ROOT

runner = CliRunner()


def test_ask_json_through_the_console_script(bundled_store):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "citebot.cli", "ask", "--json", "--store", str(bundled_store),
         "Which group organised the campaigners' letter to the commissioner?"],
        capture_output=True, text=True, timeout=300, env=env, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert "Runnymede Trust" in answer["passages"][0]["text"]
    assert "Runnymede Trust" in answer["answer"]
    assert len(answer["passages"]) >= 10
    assert answer["citations"][0]["quote"] in (CORPUS / answer["citations"][0]["doc_id"]).read_text()


def test_index_twice_reports_unchanged(tmp_path, engine):
    store = tmp_path / "index"
    first = runner.invoke(app, ["index", "--store", str(store), "--corpus", str(CORPUS), "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert len(report["added"]) == 5 and report["failed"] == []
    again = runner.invoke(app, ["index", "--store", str(store), "--corpus", str(CORPUS)])
    assert again.exit_code == 0
    assert "0 added, 0 updated, 0 removed, 5 unchanged, 0 failed" in again.output


def test_sources_lists_documents_with_metadata(bundled_store):
    result = runner.invoke(app, ["sources", "--store", str(bundled_store), "--json"])
    assert result.exit_code == 0, result.output
    metas = json.loads(result.output)
    assert {m["doc_id"] for m in metas} == {p.name for p in CORPUS.glob("*.txt")}
    assert all(m["title"] for m in metas)


def test_ask_with_history_and_plain_output(bundled_store):
    result = runner.invoke(app, ["ask", "--store", str(bundled_store), "--history",
                                 "Which group organised the campaigners' letter to the commissioner?", "Who leads it?"])
    assert result.exit_code == 0, result.output
    assert "Shabna Begum" in result.output and "[1]" in result.output


def test_chat_reads_one_question_per_line(bundled_store):
    result = runner.invoke(app, ["chat", "--store", str(bundled_store)],
                           input="Which athletes were at the centre of the stop and search row?\nWho was her partner?\n")
    assert result.exit_code == 0, result.output
    assert "Bianca Williams" in result.output and "Ricardo Dos Santos" in result.output


def test_bad_format_is_a_clear_error(bundled_store):
    result = runner.invoke(app, ["brief", "topic", "--format", "pdf", "--store", str(bundled_store)])
    assert result.exit_code != 0


def test_terminal_answer_lists_each_source_with_its_quote_as_a_block() -> None:
    from citebot.cli import render_answer
    from retrieval.types import Answer, Citation

    quote = "“We are at an absolute crisis point,” Dr Shabna Begum said."
    cite = Citation(1, "000.txt", "Met Police faces criticism", None, "2025-01-16", quote, 10, 10 + len(quote), "p1")
    text = render_answer(Answer("Q?", f"{quote} [1]", False, [cite]))
    assert text.splitlines()[2] == "[1] Met Police faces criticism (2025-01-16) — 000.txt"
    assert text.splitlines()[3] == f"    > {quote}"  # no second pair of quotation marks around it
