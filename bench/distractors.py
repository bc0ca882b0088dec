"""How answers hold up when the collection grows with documents that are off the topic.

    python -m bench.distractors [--docs 300] [--gold eval/gold.jsonl ...] [--work DIR]

The bundled corpus is indexed twice: alone, and with ``--docs`` generated documents beside it
(``bench.corpus``: real English prose from the machine's licence texts and standard-library
docstrings, none of it from the bundled corpus). Every gold set is evaluated over both indexes and
the figures are printed side by side, with how many answers changed from right to wrong and back.
The gold answers are unchanged by the extra documents: they say nothing about the Met.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from pathlib import Path

from bench.corpus import _document, _sentences_of, sentence_pool
from citebot.settings import BUNDLED_CORPUS, load_settings

ROOT = Path(__file__).resolve().parents[1]
FIGURES = (("accuracy", ("accuracy",)), ("answerable", ("answerable_accuracy",)),
           ("abst. P", ("abstention", "precision")), ("abst. R", ("abstention", "recall")),
           ("recall@5", ("retrieval", "recall@5")), ("MRR", ("retrieval", "mrr")))


def write_noisy_corpus(folder: Path, docs: int, seed: int = 3) -> int:
    """The bundled corpus and ``docs`` off-topic documents in ``folder``; returns how many distinct
    sentences the distractors were drawn from."""
    bundled = {s for p in BUNDLED_CORPUS.glob("*.txt") for s in _sentences_of(p.read_text(encoding="utf-8"))}
    pool, _counts = sentence_pool(limit=4000)
    pool = [s for s in pool if s not in bundled]
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(BUNDLED_CORPUS, folder)
    rng = random.Random(seed)
    for i in range(docs):
        (folder / f"zz_distractor_{i:05d}.txt").write_text(_document(rng, pool, i), encoding="utf-8")
    return len(pool)


def _figure(report: dict, path: tuple[str, ...]) -> float | None:
    value: object = report
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, (int, float)) else None


def _verdicts(out: Path) -> dict[str, bool]:
    with open(out / "answers.jsonl", encoding="utf-8") as f:
        return {row["id"]: bool(row["correct"]) for row in map(json.loads, f)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=300, help="off-topic documents to add (default 300)")
    parser.add_argument("--gold", type=Path, nargs="+", default=[ROOT / "eval" / "gold.jsonl"], help="gold sets")
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpora, indexes and reports")
    args = parser.parse_args(argv)
    from eval.runner import run_eval

    work = args.work or Path(tempfile.mkdtemp(prefix="citebot-distractors-"))
    work.mkdir(parents=True, exist_ok=True)
    noisy = work / "corpus"
    write_noisy_corpus(noisy, args.docs)
    results: dict = {"docs": args.docs, "sets": {}}
    for gold in args.gold:
        reports, verdicts = {}, {}
        for name, corpus in (("alone", BUNDLED_CORPUS), ("with distractors", noisy)):
            settings = load_settings(corpus=corpus, store=work / "stores" / name.replace(" ", "_"))
            out = work / "reports" / gold.stem / name.replace(" ", "_")
            reports[name] = run_eval(settings, gold, out, naive=False, progress=False)
            verdicts[name] = _verdicts(out)
        before, after = verdicts["alone"], verdicts["with distractors"]
        row = {name: {label: _figure(r, path) for label, path in FIGURES} for name, r in reports.items()}
        row["right_to_wrong"] = sorted(q for q in before if before[q] and not after.get(q))
        row["wrong_to_right"] = sorted(q for q in before if not before[q] and after.get(q))
        results["sets"][gold.stem] = row
        print(f"\n{gold.stem}: {len(before)} questions, {args.docs} off-topic documents added")
        print(f"  {'':18s}" + "".join(f"{label:>11s}" for label, _ in FIGURES))
        for name in ("alone", "with distractors"):
            cells = "".join(f"{v:11.3f}" if v is not None else f"{'-':>11s}" for v in row[name].values())
            print(f"  {name:18s}{cells}")
        print(f"  right -> wrong: {len(row['right_to_wrong'])}  {' '.join(row['right_to_wrong'])}")
        print(f"  wrong -> right: {len(row['wrong_to_right'])}  {' '.join(row['wrong_to_right'])}")
    (work / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nresults: {work / 'results.json'}")
    return results


if __name__ == "__main__":
    main()
