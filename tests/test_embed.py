"""The encoder: ONNX Runtime and torch give sentence-transformers' vectors; the export is cached;
failures fall back; a question is answered without importing torch."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.embed import Encoder, load_model, onnx_file, packaged_model_path
from retrieval.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def sample_texts() -> list[str]:
    """Passages, sentences and odd inputs from the bundled corpus (some longer than 256 tokens)."""
    texts: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts += [text[i : i + 1000] for i in range(0, len(text), 1400)]
        texts += [s.text for s in split_sentences(text)][:40]
    texts += ["", " ", "Who leads it?", "émoji 🎉 ünïcode — “quotes”", "word " * 400, "x", "Ω" * 300]
    return texts


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    texts = sample_texts()
    model = load_model()
    return texts, model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_vectors_match_sentence_transformers(backend, reference):
    texts, expected = reference
    encoder = Encoder(backend=backend, batch_size=16)
    got = encoder.encode(texts)
    assert encoder.runtime_name == backend
    assert got.shape == expected.shape and got.dtype == np.float32
    cosines = (got * expected).sum(axis=1)
    assert cosines.min() >= 0.9999, texts[int(cosines.argmin())][:80]
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    for i in (0, 5, len(texts) - 4):  # one question at a time, on the question runtime
        assert float(encoder.encode_one(texts[i]) @ expected[i]) >= 0.9999


def test_export_is_cached_and_keyed_by_the_weights(tmp_path):
    cache = tmp_path / "cache"
    first = Encoder(backend="onnx", cache_dir=cache)
    first.encode_one("warm")
    exported = onnx_file(packaged_model_path(), cache)
    assert exported.is_file() and exported.parent.parent == cache
    assert [p.name for p in exported.parent.iterdir()] == ["model.onnx"]  # no temporary file left
    stamp = exported.stat().st_mtime_ns
    second = Encoder(backend="onnx", cache_dir=cache)
    assert second.runtime_name == "onnx"
    assert exported.stat().st_mtime_ns == stamp  # reused, not exported again

    # Changed weights or configuration (another size or modification time) get their own export.
    copy = tmp_path / "model"
    copy.mkdir()
    for item in Path(packaged_model_path()).iterdir():
        (copy / item.name).symlink_to(item)
    before = onnx_file(str(copy), cache)
    assert onnx_file(str(copy), cache) == before
    (copy / "config.json").unlink()
    (copy / "config.json").write_text((Path(packaged_model_path()) / "config.json").read_text() + "\n")
    assert onnx_file(str(copy), cache) != before


def test_broken_export_falls_back_to_torch(tmp_path, caplog):
    cache = tmp_path / "cache"
    broken = onnx_file(packaged_model_path(), cache)
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not an onnx model")
    with caplog.at_level(logging.WARNING, logger="retrieval.embed"):
        encoder = Encoder(cache_dir=cache)
        vector = encoder.encode_one("Who signed the letter?")
    assert encoder.runtime_name == "torch"
    assert any("ONNX encoder unavailable" in r.message for r in caplog.records)
    expected = load_model().encode(["Who signed the letter?"], normalize_embeddings=True)[0]
    assert float(vector @ expected) >= 0.9999
    with pytest.raises(Exception):
        Encoder(backend="onnx", cache_dir=cache).encode_one("x")


def test_span_vectors_pool_the_tokens_of_each_span():
    encoder = Encoder(backend="onnx")
    text = "The Runnymede Trust coordinated the letter. It was signed by thirty groups."
    cut = text.index("It was")
    vectors, spans = encoder.encode_spans([text, "word " * 400], [[(0, cut), (cut, len(text))], [(0, 20), (1900, 2000)]])
    first, second = spans[0]
    assert first is not None and second is not None
    assert abs(float(np.linalg.norm(first)) - 1) < 1e-5
    # Pooled in context: each is close to (not equal to) its stand-alone vector, and nearer to it than the other.
    alone = encoder.encode([text[:cut], text[cut:]])
    assert float(first @ alone[0]) > float(first @ alone[1])
    assert float(second @ alone[1]) > float(second @ alone[0])
    assert float(vectors[0] @ encoder.encode([text])[0]) > 0.9999
    # The second text is cut at 256 tokens: a span past the cut has no vector, one inside has.
    assert spans[1][0] is not None and spans[1][1] is None


def test_a_question_is_answered_without_torch(bundled_store):
    """The serving path imports neither torch nor sentence-transformers (that is the cold start)."""
    script = (
        "import sys, json\n"
        "from citebot.settings import load_settings\n"
        "from retrieval.engine import Engine\n"
        f"engine = Engine.open(load_settings(store={str(bundled_store)!r}, home={str(bundled_store.parent)!r}),"
        " auto_index=False)\n"
        "answer = engine.ask('Which group organised the letter to the commissioner?')\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'langchain_core')"
        " if m in sys.modules)\n"
        "engine.encoder.encode(['a claim', 'another claim'])\n"
        "print(json.dumps({'heavy': heavy, 'runtime': engine.encoder.runtime_name, 'answer': answer.answer,"
        " 'runtimes': sorted(engine.encoder._runtimes)}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["runtime"] == "onnx"
    assert result["heavy"] == []
    assert result["runtimes"] == ["query"]  # a few texts do not open a second (batch) session
    assert "Runnymede" in result["answer"]
