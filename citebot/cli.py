"""The ``citebot`` command line."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from citebot.errors import CitebotError

if TYPE_CHECKING:
    from citebot.settings import Settings
    from retrieval.engine import Engine
    from retrieval.types import Answer

app = typer.Typer(
    help="Answers questions from a document collection with cited, verbatim passages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOpt = typer.Option(None, "--store", help="Index and chat-state folder [default: $CITEBOT_HOME/index].")
CorpusOpt = typer.Option(None, "--corpus", help="Folder of documents [default: the bundled corpus/].")


def _quiet() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    logging.getLogger("chromadb").setLevel(logging.ERROR)


def _settings(store: Optional[Path], corpus: Optional[Path], **extra: object) -> "Settings":
    from pydantic import ValidationError

    from citebot.settings import load_settings

    try:
        return load_settings(store=store, corpus=corpus, **extra)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CitebotError(f"Invalid settings: {problems}") from exc


def _fail(message: str, code: int = 1) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _engine(settings: "Settings", auto_index: bool = True) -> "Engine":
    from retrieval.engine import Engine

    return Engine.open(settings, auto_index=auto_index, progress=sys.stderr.isatty())


def render_answer(answer: "Answer") -> str:
    """The answer with its numbered sources, for a terminal."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            where = ", ".join(x for x in (c.source, c.date) if x)
            lines.append(f"[{c.n}] {c.title}" + (f" ({where})" if where else "") + f" — {c.doc_id}")
            lines.append(f"    > {c.quote}")  # quoted as a block: the quote may carry its own quotation marks
    return "\n".join(lines)


@app.command()
def index(store: Optional[Path] = StoreOpt, corpus: Optional[Path] = CorpusOpt,
          json_out: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Build or update the index from the corpus (only new or changed files are embedded)."""
    from retrieval.indexer import build_index

    settings = _settings(store, corpus)
    # No encoder given: the model (and torch) load only when a text must be embedded.
    report = build_index(settings, progress=sys.stderr.isatty())
    if json_out:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        typer.echo(report.summary())
        for failure in report.failed:
            typer.secho(f"  failed: {failure.doc_id}: {failure.reason}", fg=typer.colors.YELLOW, err=True)


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question."),
    history: list[str] = typer.Option([], "--history", help="An earlier question of the conversation (repeatable, oldest first)."),
    json_out: bool = typer.Option(False, "--json", help="Print the answer object as JSON."),
    store: Optional[Path] = StoreOpt,
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """Answer one question with cited passages."""
    engine = _engine(_settings(store, corpus))
    answer = engine.ask(question, history)
    if json_out:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_answer(answer))


@app.command()
def chat(store: Optional[Path] = StoreOpt, corpus: Optional[Path] = CorpusOpt) -> None:
    """A conversation on the terminal, with follow-up questions (one question per line from a pipe)."""
    from retrieval.conversation import Turn

    engine = _engine(_settings(store, corpus))
    interactive = sys.stdin.isatty()
    turns: list[Turn] = []
    if interactive:
        typer.echo("Ask about the documents. Empty line or Ctrl-D to quit; /reset starts over.")
    while True:
        try:
            line = input("> " if interactive else "")
        except EOFError:
            break
        question = line.strip()
        if not question:
            if interactive:
                break
            continue
        if question == "/reset":
            turns = []
            typer.echo("(conversation forgotten)")
            continue
        answer = engine.ask(question, turns)
        turns.append(Turn(question, answer.answer, [(c.doc_id, c.start) for c in answer.citations]))
        typer.echo(render_answer(answer))
        typer.echo("")


@app.command()
def brief(
    topic: str = typer.Argument(..., help="What the briefing is about."),
    fmt: str = typer.Option("markdown", "--format", help="markdown or html."),
    output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    store: Optional[Path] = StoreOpt,
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """A staff briefing: key points with citations, a dated timeline, who is who, sources."""
    if fmt not in ("markdown", "html"):
        _fail("--format must be markdown or html")
    engine = _engine(_settings(store, corpus))
    briefing = engine.brief(topic)
    text = briefing.to_html() if fmt == "html" else briefing.to_markdown()
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {output}")
    else:
        typer.echo(text)


@app.command()
def sources(store: Optional[Path] = StoreOpt, corpus: Optional[Path] = CorpusOpt,
            json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the indexed documents with their metadata."""
    engine = _engine(_settings(store, corpus))
    metas = engine.sources()
    if json_out:
        typer.echo(json.dumps([m.to_dict() for m in metas], ensure_ascii=False, indent=2))
        return
    for m in metas:
        facts = " · ".join(x for x in (m.kind, m.source, m.author, m.date) if x)
        typer.echo(f"{m.doc_id}\n    {m.title}" + (f"\n    {facts}" if facts else ""))


@app.command("eval")
def eval_command(
    gold: Path = typer.Option(Path("eval/gold.jsonl"), "--gold", help="Gold questions (JSON Lines)."),
    out: Path = typer.Option(Path("eval/out"), "--out", help="Folder for report.json, answers.jsonl, report.md, charts."),
    compare: bool = typer.Option(False, "--compare", help="Also evaluate other configurations side by side."),
    export_ragas: Optional[Path] = typer.Option(None, "--export-ragas", help="Write RAGAS-style rows to this file."),
    store: Optional[Path] = StoreOpt,
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """Run the gold question set and write a report."""
    from eval.runner import print_summary, run_eval

    settings = _settings(store, corpus)
    if not gold.exists():
        _fail(f"No gold file at {gold}")
    report = run_eval(settings, gold, out, compare=compare, export_ragas=export_ragas)
    print_summary(report)


@app.command()
def telegram(store: Optional[Path] = StoreOpt, corpus: Optional[Path] = CorpusOpt) -> None:
    """Run the Telegram bot (token in CITEBOT_TELEGRAM_TOKEN)."""
    from bot.app import run

    settings = _settings(store, corpus)
    if settings.telegram_token is None:
        _fail("Set CITEBOT_TELEGRAM_TOKEN to the token BotFather gave you (see README, Telegram).")
    run(settings)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def bench(ctx: typer.Context) -> None:
    """Benchmark indexing, ask latency, cold start, re-index, memory and growth (options: citebot bench --help-bench)."""
    if "--help-bench" in ctx.args:
        ctx.args[ctx.args.index("--help-bench")] = "--help"
    try:
        from bench.run import main as run_bench
    except ImportError:  # the bench package sits beside citebot/ in a source checkout
        from citebot.settings import PROJECT_ROOT

        sys.path.insert(0, str(PROJECT_ROOT))
        from bench.run import main as run_bench
    run_bench(list(ctx.args))


def main() -> None:
    """Console-script entry point: user-facing errors without tracebacks."""
    _quiet()
    try:
        app()
    except CitebotError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.secho("Interrupted.", fg=typer.colors.RED, err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
