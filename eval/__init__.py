"""Evaluation of citebot on a gold Q&A set: metrics, runner, report, charts, baseline, CI gate.

The CLI calls :func:`eval.runner.run_eval` and then :func:`eval.report.print_summary`.
"""

from typing import Any

__all__ = ["print_summary", "run_eval"]


def __getattr__(name: str) -> Any:
    """``run_eval`` and ``print_summary``, imported on first use (they pull in matplotlib)."""
    if name == "run_eval":
        from eval.runner import run_eval

        return run_eval
    if name == "print_summary":
        from eval.report import print_summary

        return print_summary
    raise AttributeError(f"module 'eval' has no attribute {name!r}")
