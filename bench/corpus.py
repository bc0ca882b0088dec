"""Generated corpora of any size made from real English sentences found on this machine.

Sources, in order: the bundled ``corpus/*.txt``, the license texts of the Python installation
and of the system (``LICENSE.txt``, ``/usr/share/common-licenses``), and the docstrings of the
standard library. Only prose sentences are kept (40-300 characters, a capital first, a full stop
last, mostly letters). Documents are a title line and paragraphs of 3-6 sentences drawn with a
seeded random generator, so the same arguments give the same corpus.
"""

from __future__ import annotations

import ast
import random
import re
import sys
from pathlib import Path

from citebot.settings import BUNDLED_CORPUS
from retrieval.sentences import split_sentences

_CODE_HINTS = re.compile(r">>>|::|\{|\}|\bdef\b|\breturn\b|__\w+__|\w+\(\)|\w+\.\w+\(|=|\\|`|http|www\.|@|#|\|")
_COOKIE = re.compile(r"cookie", re.I)
DOC_PARAGRAPHS = (4, 9)  # NOTE: about 2,000-5,000 characters a document, like the bundled news articles
PARAGRAPH_SENTENCES = (3, 6)


def _prose(sentence: str) -> bool:
    s = " ".join(sentence.split())
    if not 40 <= len(s) <= 300 or not s[0].isupper() or not s.endswith("."):
        return False
    if _CODE_HINTS.search(s) or _COOKIE.search(s):
        return False
    letters = sum(c.isalpha() or c == " " for c in s)
    return letters >= 0.9 * len(s)


def _sentences_of(text: str) -> list[str]:
    text = re.sub(r"(?<!\n)[ \t]*\n[ \t]*(?!\s)", " ", text)  # join hard-wrapped lines, keep paragraphs
    return [" ".join(s.text.split()) for s in split_sentences(text)]


def _license_texts() -> list[Path]:
    found = [Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "LICENSE.txt"]
    common = Path("/usr/share/common-licenses")
    if common.is_dir():
        found += sorted(p for p in common.iterdir() if p.is_file())
    return [p for p in found if p.is_file()]


def _stdlib_docstrings(limit_files: int = 400) -> list[str]:
    root = Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    out: list[str] = []
    for path in sorted(root.glob("*.py"))[:limit_files] + sorted(root.glob("*/__init__.py"))[:limit_files]:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except (SyntaxError, ValueError, OSError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc:
                    out.append(doc)
    return out


def sentence_pool(limit: int = 3000, seed: int = 7) -> tuple[list[str], dict[str, int]]:
    """Up to ``limit`` distinct prose sentences (the bundled corpus first), and how many came from where."""
    sources: dict[str, list[str]] = {"bundled corpus": [], "license texts": [], "stdlib docstrings": []}
    for path in sorted(BUNDLED_CORPUS.glob("*.txt")):
        sources["bundled corpus"] += _sentences_of(path.read_text(encoding="utf-8", errors="replace"))
    for path in _license_texts():
        sources["license texts"] += _sentences_of(path.read_text(encoding="utf-8", errors="replace"))
    for doc in _stdlib_docstrings():
        sources["stdlib docstrings"] += _sentences_of(doc)
    pool: list[str] = []
    seen: set[str] = set()
    counts: dict[str, int] = {}
    rng = random.Random(seed)
    for name, found in sources.items():
        kept = [s for s in dict.fromkeys(found) if _prose(s) and s not in seen]
        if name != "bundled corpus":
            rng.shuffle(kept)
        kept = kept[: max(0, limit - len(pool))]
        seen.update(kept)
        pool += kept
        counts[name] = len(kept)
    return pool, counts


def _document(rng: random.Random, pool: list[str], number: int) -> str:
    title = " ".join(rng.choice(pool).split()[:8]).rstrip(".,;:")
    paragraphs = []
    for _ in range(rng.randint(*DOC_PARAGRAPHS)):
        paragraphs.append(" ".join(rng.sample(pool, rng.randint(*PARAGRAPH_SENTENCES))))
    return f"{title} (document {number})\n\n" + "\n\n".join(paragraphs) + "\n"


def chunks_per_document(pool: list[str], chunk_chars: int, overlap: int, seed: int = 11, sample: int = 40) -> float:
    """Average passages per generated document, measured by chunking a sample like the indexer does."""
    from retrieval.chunk import chunk_sentences

    rng = random.Random(seed)
    total = 0
    for i in range(sample):
        text = _document(rng, pool, i)
        body = text.split("\n\n", 1)[1]
        total += len(chunk_sentences(body, split_sentences(body), "x", chunk_chars, overlap))
    return total / sample


def write_corpus(folder: Path, pool: list[str], target_chunks: int, chunk_chars: int = 600, overlap: int = 1,
                 seed: int = 1, per_folder: int = 1000) -> dict:
    """Write about ``target_chunks`` passages' worth of documents into ``folder`` (reused when complete)."""
    per_doc = chunks_per_document(pool, chunk_chars, overlap)
    n_docs = max(1, round(target_chunks / per_doc))
    done = folder / ".complete"
    if done.exists() and done.read_text().strip() == f"{n_docs} {seed}":
        return {"documents": n_docs, "chunks_per_document": round(per_doc, 2)}
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_docs):
        sub = folder / f"part{i // per_folder:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"doc{i:06d}.txt").write_text(_document(rng, pool, i), encoding="utf-8")
    done.write_text(f"{n_docs} {seed}")
    return {"documents": n_docs, "chunks_per_document": round(per_doc, 2)}
