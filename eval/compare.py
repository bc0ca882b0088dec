"""Side-by-side configurations (``citebot eval --compare``): rankers, answerer options, naive.

Each engine configuration gets its own store folder (``out_dir/stores/NAME``), so a ranker that
keeps its own index data never finds another configuration's index; its answers and metrics go to
``out_dir/configs/NAME``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.report import COMPARE_COLUMNS, deltas, headline
from eval.runner import evaluate, write_json, write_jsonl

NAIVE_DESCRIPTION = "LangChain: 1000/200-char chunks, MiniLM, Chroma top 10, top chunk as answer"
SEARCH_MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class Config:
    """One configuration to compare: a name and the settings it changes."""

    name: str
    description: str
    overrides: dict[str, Any] = field(default_factory=dict)


def default_name(settings: Any) -> str:
    """The comparison name of the configuration the settings describe."""
    return f"{settings.search_mode} (default)"


def configs_for(settings: Any) -> list[Config]:
    """The configurations compared with the default: the other search modes and answerer options."""
    configs = [
        Config(mode, f"search_mode={mode}", {"search_mode": mode})
        for mode in SEARCH_MODES
        if mode != settings.search_mode
    ]
    # The answerer's options: without the best-sentence ranker in fusion, and never abstaining
    # (what calibrated abstention buys on unanswerable questions).
    configs.append(Config("no sentence ranker", "sentence_weight=0", {"sentence_weight": 0.0}))
    configs.append(Config("never abstain", "abstain_threshold=0", {"abstain_threshold": 0.0}))
    return configs


def slug(name: str) -> str:
    """A folder name for a configuration name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "config"


def entry(name: str, description: str, report: Mapping[str, Any] | None, error: str | None = None) -> dict[str, Any]:
    """One row of the comparison table."""
    row: dict[str, Any] = {"name": name, "description": description, "metrics": headline(report) if report else {}}
    if report is not None:
        row["n"] = report.get("n")
        row["questions_s"] = report.get("questions_s")
    if error:
        row["error"] = error
    return row


def table(entries: Sequence[Mapping[str, Any]], *, default: str) -> dict[str, Any]:
    """compare.json: the rows, the column order, and each row's difference from the default."""
    base = next((e["metrics"] for e in entries if e["name"] == default), {})
    return {
        "default": default,
        "columns": list(COMPARE_COLUMNS),
        "configs": [dict(e) for e in entries],
        "vs_default": {e["name"]: deltas(e["metrics"], base) for e in entries if e["name"] != default and e["metrics"]},
    }


def save_config(folder: Path, records: Sequence[Mapping[str, Any]], report: Mapping[str, Any]) -> None:
    """A configuration's report.json and answers.jsonl."""
    write_json(folder / "report.json", report)
    write_jsonl(folder / "answers.jsonl", records)


def run_configs(
    settings: Any,
    gold: Sequence[Mapping[str, Any]],
    out_dir: Path,
    *,
    open_engine: Callable[..., Any],
    progress: bool = False,
) -> list[dict[str, Any]]:
    """Evaluate every configuration of :func:`configs_for`, each over its own store.

    A configuration that fails to open or run is kept in the table with its ``error``.
    """
    rows = []
    for config in configs_for(settings):
        update = {**config.overrides, "store": Path(out_dir) / "stores" / slug(config.name)}
        config_settings = settings.model_copy(update=update)
        try:
            engine = open_engine(config_settings, progress=progress)
        except Exception as exc:  # noqa: BLE001 - one broken configuration must not sink the comparison
            rows.append(entry(config.name, config.description, None, f"{type(exc).__name__}: {exc}"))
            continue
        try:
            records, report = evaluate(engine, gold, corpus=Path(settings.corpus), progress=progress, label=config.name)
        except Exception as exc:  # noqa: BLE001
            rows.append(entry(config.name, config.description, None, f"{type(exc).__name__}: {exc}"))
            continue
        finally:
            if hasattr(engine, "close"):
                engine.close()
        report["settings_changed"] = config.overrides
        save_config(Path(out_dir) / "configs" / slug(config.name), records, report)
        rows.append(entry(config.name, config.description, report))
    return rows
