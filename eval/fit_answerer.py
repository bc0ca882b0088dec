"""Fit the extractive answerer's sentence scorer on a gold set (run by hand when features change).

    python -m eval.fit_answerer [--gold eval/gold.jsonl] [--store DIR]

For every answerable gold question, each candidate sentence is labelled by whether it contains
one of the gold answers; a logistic regression over ``retrieval.scorer.FEATURES`` is fitted and
its weights printed, to be pasted into ``SCORER_WEIGHTS``. Cross-validated accuracy of the
top-ranked sentence is printed too, so the fit's effect on held-out questions is visible.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from citebot.settings import load_settings
from retrieval.engine import Engine
from retrieval.scorer import ABSTAIN_FEATURES, FEATURES
from retrieval.textutil import normalise


def collect(engine: Engine, gold: list[dict]) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[tuple[np.ndarray, int]]]:
    """(features, labels) per answerable question, and (judgement features, answerable) per question."""
    out = []
    judged = []
    index = engine.loaded
    for g in gold:
        question, turns, query = engine.prepare(g["question"], engine._replay(g.get("history") or []))
        vector = engine.encoder.encode_one(query)
        hits = index.search(query, vector, max(engine.settings.top_k, engine.settings.answer_passages))
        avoid = {q for t in turns[-1:] for q in t.quotes} if query != question else None
        _kind, cands, judgement = engine.answerer.assess(question, query, index, hits, vector, avoid)
        if not cands:
            continue
        judged.append((judgement.features, int(g["answerable"])))
        if not g.get("answerable") or not g.get("answers"):
            continue
        alternatives = [normalise(a) for group in g["answers"] for a in group]
        labels = np.array([any(a in normalise(c.text) for a in alternatives) for c in cands], dtype=np.int32)
        out.append((np.stack([c.features for c in cands]), labels))
    return out, judged


def fit_listwise(rows: list[tuple[np.ndarray, np.ndarray]], start: np.ndarray, c: float) -> np.ndarray:
    """Weights maximising, per question, the softmax probability of the sentences holding the answer.

    The pointwise fit only says which sentences hold answers; this one asks for them to rank above
    the other candidates of the same question, which is what the answerer uses. The intercept
    (feature 0) cancels in a softmax, so it is kept from the pointwise fit for calibration.
    """
    from scipy.optimize import minimize

    usable = [(f, lab) for f, lab in rows if lab.any()]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for f, lab in usable:
            z = f @ w
            z -= z.max()
            p = np.exp(z) / np.exp(z).sum()
            gold = lab.astype(bool)
            pg = p[gold].sum()
            total -= np.log(pg + 1e-12)
            grad -= (p[gold] @ f[gold]) / (pg + 1e-12) - p @ f
        reg = 0.5 / c
        return total + reg * float(w[1:] @ w[1:]), grad + 2 * reg * np.r_[0.0, w[1:]]

    result = minimize(loss, start.astype(np.float64), jac=True, method="L-BFGS-B")
    w = result.x
    w[0] = start[0]
    return w


def main(argv: list[str] | None = None) -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"))
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--listwise", action="store_true",
                        help="refine the weights so each question's answer sentence ranks first (softmax over its candidates)")
    args = parser.parse_args(argv)
    gold = [json.loads(line) for line in args.gold.read_text().splitlines() if line.strip()]
    engine = Engine.open(load_settings(store=args.store))
    from retrieval import scorer as scorer_module

    # After a feature is added the pasted weights no longer fit: start from dense + coverage alone.
    if len(scorer_module.SCORER_WEIGHTS) != len(FEATURES):
        start = np.zeros(len(FEATURES), dtype=np.float32)
        start[[FEATURES.index("dense"), FEATURES.index("coverage")]] = 1.0
        scorer_module.SCORER_WEIGHTS = start
    if len(scorer_module.ABSTAIN_WEIGHTS) != len(ABSTAIN_FEATURES):
        scorer_module.ABSTAIN_WEIGHTS = np.zeros(len(ABSTAIN_FEATURES), dtype=np.float32)
    data, judged = collect(engine, gold)

    def fit(rows):
        x = np.concatenate([f for f, _ in rows])
        y = np.concatenate([lab for _, lab in rows])
        model = LogisticRegression(C=args.C, fit_intercept=False, class_weight="balanced", max_iter=2000)
        model.fit(x, y)
        if not args.listwise:
            return model.coef_[0]
        return fit_listwise(rows, model.coef_[0], args.C)

    folds = 5
    top_hits = []
    for k in range(folds):
        train = [d for i, d in enumerate(data) if i % folds != k]
        test = [d for i, d in enumerate(data) if i % folds == k]
        w = fit(train)
        top_hits += [bool(lab[int(np.argmax(f @ w))]) for f, lab in test]
    weights = fit(data)
    print(f"questions: {len(data)}; cross-validated top-sentence hit rate: {np.mean(top_hits):.3f}")
    print("SCORER_WEIGHTS = np.array([" + ", ".join(f"{w:.3f}" for w in weights) + "], dtype=np.float32)")
    for name, w in zip(FEATURES, weights):
        print(f"  {name:>14}: {w:+.3f}")

    # The abstention model, refitted on the new sentence scores.
    scorer_module.SCORER_WEIGHTS = weights.astype(np.float32)
    _data, judged = collect(engine, gold)
    x = np.stack([f for f, _ in judged])
    y = np.array([lab for _, lab in judged])
    model = LogisticRegression(C=args.C, fit_intercept=False, class_weight="balanced", max_iter=2000)
    predicted = np.zeros(len(y))
    for k in range(folds):
        train = np.arange(len(y)) % folds != k
        model.fit(x[train], y[train])
        predicted[~train] = model.predict_proba(x[~train])[:, 1]
    model.fit(x, y)
    print("ABSTAIN_WEIGHTS = np.array([" + ", ".join(f"{w:.3f}" for w in model.coef_[0]) + "], dtype=np.float32)")
    for name, w in zip(ABSTAIN_FEATURES, model.coef_[0]):
        print(f"  {name:>14}: {w:+.3f}")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        abstain = predicted < threshold
        unanswerable = y == 0
        precision = (abstain & unanswerable).sum() / max(1, abstain.sum())
        recall = (abstain & unanswerable).sum() / max(1, unanswerable.sum())
        wrongly = (abstain & ~unanswerable).sum()
        print(f"  cross-validated threshold {threshold}: abstention precision {precision:.2f} recall {recall:.2f}"
              f" (answerable questions refused: {wrongly})")


if __name__ == "__main__":
    main()
