"""CI gate: fail when a headline metric of report.json falls below its floor.

Usage: ``python -m eval.gate REPORT.json [--floors eval/floors.json]``. Exit code 0 when every
metric meets its floor, 1 when one does not (each listed), 2 when a file cannot be read.
Floors are ``{"dotted.path": minimum}``; keys starting with ``_`` are comments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.metrics import lookup

DEFAULT_FLOORS = Path(__file__).with_name("floors.json")


def load_floors(path: Path | str = DEFAULT_FLOORS) -> dict[str, float]:
    """The floors of a floors file, comments left out."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: floors must be a JSON object of metric path -> minimum")
    return {k: float(v) for k, v in data.items() if not k.startswith("_")}


def check(report: Mapping[str, Any], floors: Mapping[str, float]) -> list[str]:
    """One message per metric below its floor, missing, or not measured (empty: all pass)."""
    problems = []
    for path, floor in floors.items():
        try:
            value = lookup(report, path)
        except KeyError:
            problems.append(f"{path}: missing from the report (floor {floor:.3f})")
            continue
        if value is None:
            problems.append(f"{path}: not measured (floor {floor:.3f})")
        elif float(value) < floor:
            short = floor - float(value)
            problems.append(f"{path}: {float(value):.3f} is below its floor {floor:.3f} (short by {short:.3f})")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Run the gate; the exit code is the result."""
    parser = argparse.ArgumentParser(prog="python -m eval.gate", description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="report.json written by `citebot eval`")
    parser.add_argument("--floors", type=Path, default=DEFAULT_FLOORS, help="floors file (default: eval/floors.json)")
    args = parser.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        floors = load_floors(args.floors)
    except (OSError, ValueError) as exc:
        print(f"eval gate: cannot read input: {exc}", file=sys.stderr)
        return 2
    problems = check(report, floors)
    if problems:
        head = f"eval gate FAILED: {len(problems)} of {len(floors)} metric(s) below their floors ({args.floors}):"
        print(head, file=sys.stderr)
        for line in problems:
            print(f"  - {line}", file=sys.stderr)
        return 1
    print(f"eval gate passed: {len(floors)} metric(s) at or above their floors ({args.floors}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
