"""The streamed, incremental index build (format 3) and the compact serving index."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from citebot.settings import load_settings
from retrieval.embed import Encoder
from retrieval.store import NpyWriter, current_generation
from tests.conftest import CORPUS, ROOT, copy_bundled_corpus


class HashEncoder(Encoder):
    """Deterministic unit vectors from a text's hash: no model, same text -> same vector."""

    calls = 0

    def encode(self, texts, show_progress: bool = False) -> np.ndarray:
        HashEncoder.calls += len(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(384)
            out[i] = v / np.linalg.norm(v)
        return out


def _extra(n: int) -> str:
    return (f"Harbour Notice {n}\n\nThe harbour committee met on {n} March 2024 to discuss the lighthouse. "
            f"“We will repair the lamp before winter,” said Ada Quill, the treasurer of committee {n}. "
            f"Repairs to pier {n} will cost {n * 1000} pounds. The library opens on Tuesdays.\n")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = copy_bundled_corpus(tmp_path / "corpus")
    for n in range(1, 9):
        (folder / f"extra_{n:02d}.txt").write_text(_extra(n), encoding="utf-8")
    return folder


def _settings(corpus: Path, store: Path):
    return load_settings(store=store, corpus=corpus, home=store.parent)


def _snapshot(store: Path) -> dict:
    """Everything a generation holds, except build times and the store's random id."""
    from retrieval.lexical import BM25Index
    from retrieval.vectors import VectorStore

    gen = current_generation(store)
    assert gen is not None
    conn = sqlite3.connect(f"file:{gen.manifest}?mode=ro", uri=True)
    try:
        documents = conn.execute("SELECT * FROM documents JOIN texts USING (idx) ORDER BY idx").fetchall()
        passages = conn.execute("SELECT * FROM passages ORDER BY row").fetchall()
        info = dict(conn.execute("SELECT key, value FROM info"))
    finally:
        conn.close()
    bm25 = BM25Index.load(gen.bm25)
    scores = {q: bm25.search(q, 20) for q in ("harbour lighthouse repair", "Runnymede Trust", "commissioner letter")}
    vectors = VectorStore.open(load_settings(store=store, corpus=CORPUS), gen.chroma, create=False)
    try:
        got = vectors.collection.get(ids=[p[1] for p in passages], include=["embeddings"])
        chroma = dict(zip(got["ids"], np.asarray(got["embeddings"]).round(3).tolist()))
    finally:
        vectors.close()
    arrays = {name: np.load(gen.path / f"{name}.npy").tolist()
              for name in ("passages", "sentences", "passvec", "sentvec", "attrrows", "attrvec")}
    return {"documents": documents, "passages": passages, "arrays": arrays, "bm25": scores, "chroma": chroma,
            "fingerprint": info["fingerprint"], "count": info["passages"]}


def test_incremental_build_equals_a_fresh_build(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """Kept documents copied as blocks, changed ones re-read: the result is the from-scratch index."""
    import retrieval.indexer as ix
    from retrieval.indexer import build_index

    monkeypatch.setattr(ix, "BATCH_DOCUMENTS", 3)  # several batches, runs broken by changes
    encoder = HashEncoder()
    store = tmp_path / "incremental"
    first = build_index(_settings(corpus, store), encoder)
    assert first.documents == 13 and first.embedded > 0

    (corpus / "extra_03.txt").write_text(_extra(3) + "The committee also bought a new boat.\n", encoding="utf-8")
    (corpus / "extra_06.txt").unlink()
    (corpus / "000_new.txt").write_text(_extra(42), encoding="utf-8")
    HashEncoder.calls = 0
    second = build_index(_settings(corpus, store), encoder)
    assert second.updated == ["extra_03.txt"] and second.removed == ["extra_06.txt"]
    assert second.added == ["000_new.txt"] and second.unchanged == 11
    # Only what is new is embedded: the changed document's unchanged sentences keep their vectors.
    assert 0 < HashEncoder.calls < 20

    fresh = tmp_path / "fresh"
    build_index(_settings(corpus, fresh), encoder)
    a, b = _snapshot(store), _snapshot(fresh)
    for key in a:
        assert a[key] == b[key], key
    assert len(a["chroma"]) == len(a["passages"]), "stale passages left Chroma, new ones are in it"


def test_unchanged_reindex_loads_neither_the_model_nor_chroma(corpus: Path, tmp_path: Path) -> None:
    from retrieval.indexer import build_index

    store = tmp_path / "index"
    build_index(_settings(corpus, store), HashEncoder())
    code = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from citebot.settings import load_settings\n"
        "from retrieval.indexer import build_index\n"
        f"s = load_settings(store=Path({str(store)!r}), corpus=Path({str(corpus)!r}))\n"
        "r = build_index(s)\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'chromadb', 'langchain_core') if m in sys.modules]\n"
        "print(json.dumps({'changed': r.changed, 'unchanged': r.unchanged, 'heavy': heavy}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), timeout=300,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"changed": False, "unchanged": 13, "heavy": []}


def test_loaded_index_reads_texts_from_the_manifest(corpus: Path, tmp_path: Path) -> None:
    from retrieval.indexer import build_index
    from retrieval.search import LoadedIndex

    store = tmp_path / "index"
    settings = _settings(corpus, store)
    build_index(settings, HashEncoder())
    index = LoadedIndex(settings, current_generation(store))
    try:
        assert len(index.documents) == 13 and "extra_01.txt" in index.documents
        passages = list(index.passages)
        assert len(passages) == len(index.passages) > 13
        for row, p in enumerate(passages):
            assert index.passages[row] == p
            assert index.row_of[p.passage_id] == row
            assert index.documents[p.doc_id].text[p.start : p.end] == p.text
            inside = index.sentences.in_span(p.doc_id, p.start, p.end)
            a, b = index.sentence_span[row]
            assert [r for r, _s, _e in inside] == list(range(a, b))
        assert index.passages.many([3, 0, 3]) == [passages[3], passages[0], passages[3]]
        assert index.row_of.get("no such passage") is None
        text = index.documents["extra_02.txt"].text
        rows = index.sentences.rows["extra_02.txt"]
        starts, ends = index.sentences.starts["extra_02.txt"], index.sentences.ends["extra_02.txt"]
        assert len(rows) == len(starts) == len(ends) >= 4
        assert type(starts[1]) is int and type(ends[-1]) is int  # offsets reach JSON answers
        said = [i for i in range(len(rows)) if text[starts[i] : ends[i]].startswith("“We will repair")]
        assert len(said) == 1
        # Attribution vectors exist only for the sentences with a long quotation.
        quoted = rows[said[0]]
        assert np.any(np.asarray(index.sentences.attributions[quoted]))
        assert not np.any(np.asarray(index.sentences.attributions[rows[0]]))
        assert len(index.sentences.attributions) < len(index.sentences.vectors)
    finally:
        index.close()


def test_bm25_from_token_ids_scores_like_bm25_from_texts(engine) -> None:
    from retrieval.lexical import BM25Index, TokenIds

    texts = [p.text for p in engine.loaded.passages] + [""]
    tokens = TokenIds(["unused", "words"])
    tokens.add_texts(texts)
    from_ids = BM25Index.build_from_ids(*tokens.arrays())
    from_texts = BM25Index.build(texts)
    for query in ("Runnymede Trust chief executive", "stop and search figures", "letter commissioner"):
        got, want = from_ids.search(query, 30), from_texts.search(query, 30)
        assert got and [r for r, _ in got] == [r for r, _ in want]
        assert [x for _, x in got] == pytest.approx([x for _, x in want], rel=1e-6)
    assert from_ids.doc_freq("runnymed") == from_texts.doc_freq("runnymed") > 0


def test_npy_writer_streams_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.npy"
    writer = NpyWriter(path, 3, "<f2")
    writer.write(np.ones((2, 3)))
    writer.write(np.zeros((0, 3)))
    writer.write(np.arange(3))
    writer.close()
    got = np.load(path)
    assert got.dtype == np.float16 and got.tolist() == [[1, 1, 1], [1, 1, 1], [0, 1, 2]]
    empty = NpyWriter(tmp_path / "empty.npy", 384, "<i4")
    empty.close()
    assert np.load(tmp_path / "empty.npy").shape == (0, 384)
