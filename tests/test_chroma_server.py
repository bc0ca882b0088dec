"""citebot against a real Chroma server (``chroma run`` on loopback) instead of the embedded store.

Each test starts its own server on a free port in a temporary folder (killed at teardown),
indexes a copy of the bundled corpus through it with the real Engine and build_index, and
looks at the server's collection with a plain ``chromadb.HttpClient``.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.chroma_server import ChromaServer  # noqa: E402
from tests.conftest import CORPUS, copy_bundled_corpus  # noqa: E402

pytestmark = pytest.mark.server

QUESTION = "Who is the interim co-chief executive of the Runnymede Trust?"
ANSWER = "Shabna Begum"


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    with ChromaServer(tmp_path / "chroma-server") as srv:
        yield srv
    assert srv.process is None


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = copy_bundled_corpus(tmp_path / "corpus")
    return folder


def _settings(server: ChromaServer, corpus: Path, store: Path):
    from citebot.settings import load_settings

    return load_settings(store=store, corpus=corpus, chroma_host=server.host, chroma_port=server.port)


def _server_ids(server: ChromaServer, settings) -> set[str]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(host=server.host, port=server.port,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_collection(_collection(settings))
    return set(collection.get(include=[])["ids"])


def _collection(settings) -> str:
    """The server collection of the store: named after the settings and the store's own id."""
    from retrieval.store import current_generation, open_manifest, read_info
    from retrieval.vectors import collection_name

    gen = current_generation(settings.store_dir)
    assert gen is not None
    conn = open_manifest(gen.manifest, readonly=True)
    try:
        store_id = read_info(conn)["store_id"]
    finally:
        conn.close()
    return collection_name(settings, store_id)


def _manifest_ids(settings) -> set[str]:
    from retrieval.store import current_generation

    gen = current_generation(settings.store_dir)
    assert gen is not None
    conn = sqlite3.connect(f"file:{gen.manifest}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT passage_id FROM passages")}
    finally:
        conn.close()


def _check_answer(answer, engine) -> None:
    assert not answer.abstained
    assert ANSWER in answer.answer
    assert answer.citations and answer.passages
    for citation in answer.citations:
        assert engine.document(citation.doc_id).text[citation.start : citation.end] == citation.quote


def test_index_and_ask_through_the_server(server: ChromaServer, corpus: Path, tmp_path: Path) -> None:
    from retrieval.engine import Engine
    from retrieval.store import current_generation

    settings = _settings(server, corpus, tmp_path / "store")
    engine = Engine.open(settings)
    try:
        gen = current_generation(settings.store_dir)
        assert gen is not None and not gen.chroma.exists(), "server mode must not write an embedded store"
        assert engine.loaded.vectors.embedded is False
        assert _server_ids(server, settings) == _manifest_ids(settings)
        _check_answer(engine.ask(QUESTION), engine)
        dense = engine.search(QUESTION, k=5, mode="dense")
        assert dense and ANSWER in " ".join(h.passage.text for h in dense)
    finally:
        engine.close()


def test_incremental_reindex_drops_removed_passages_from_the_server(
    server: ChromaServer, corpus: Path, tmp_path: Path
) -> None:
    from retrieval.engine import Engine

    settings = _settings(server, corpus, tmp_path / "store")
    engine = Engine.open(settings)
    try:
        before = _server_ids(server, settings)
        changed = corpus / "000_46eaabc1cb36d0ed.txt"
        text = changed.read_text(encoding="utf-8")
        assert ANSWER in text
        changed.write_text(
            text.replace(
                "Dr Shabna Begum, the interim co-chief executive of the Runnymede Trust, was quoted as saying by the newspaper.",
                "A spokesperson for the trust declined to add anything further when asked by the newspaper.",
            ),
            encoding="utf-8",
        )
        removed = corpus / "003_1063f8860b1f6693.txt"
        removed.unlink()

        report = engine.index()
        assert report.updated == ["000_46eaabc1cb36d0ed.txt"]
        assert report.removed == ["003_1063f8860b1f6693.txt"]
        assert 0 < report.embedded < 40, "only the changed document is embedded again"

        after = _server_ids(server, settings)
        assert after == _manifest_ids(settings), "the server holds exactly the passages of the new generation"
        gone = before - after
        assert gone, "passages of the changed and removed documents left the server"
        assert after - before, "the changed document's new passages are on the server"
        assert all(h.passage.doc_id != removed.name for h in engine.search("Runnymede", k=50))
        assert engine.ask(QUESTION).citations == [] or ANSWER not in engine.ask(QUESTION).answer

        again = engine.index()
        assert not again.changed and again.embedded == 0
        assert _server_ids(server, settings) == after
    finally:
        engine.close()


def test_two_engines_answer_from_one_server(server: ChromaServer, corpus: Path, tmp_path: Path) -> None:
    """Two bot workers: separate Engine instances over one store folder and one Chroma server."""
    from retrieval.engine import Engine

    settings = _settings(server, corpus, tmp_path / "store")
    writer = Engine.open(settings)
    reader = Engine.open(settings, auto_index=False)
    try:
        assert reader is not writer and reader.loaded is not writer.loaded
        answers: dict[str, object] = {}
        errors: list[BaseException] = []

        def ask(name: str, engine: Engine) -> None:
            try:
                answers[name] = engine.ask(QUESTION)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=ask, args=(n, e)) for n, e in (("a", writer), ("b", reader))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors
        _check_answer(answers["a"], writer)
        _check_answer(answers["b"], reader)
        assert answers["a"].answer == answers["b"].answer

        # One worker re-indexes; the other switches to the new generation between questions.
        (corpus / "005_added.txt").write_text(
            "Bench Added Notice\n\nThe Zanzibar Lighthouse Committee appointed Ada Quillfeather as its honorary "
            "treasurer in March 2024. The committee meets every second Tuesday in the harbour library.\n",
            encoding="utf-8",
        )
        writer.index()
        answer = reader.ask("Who did the Zanzibar Lighthouse Committee appoint as honorary treasurer?")
        assert "Ada Quillfeather" in answer.answer
        assert reader.loaded.generation.name == writer.loaded.generation.name
    finally:
        reader.close()
        writer.close()


def test_two_stores_on_one_server_do_not_interfere(server: ChromaServer, corpus: Path, tmp_path: Path) -> None:
    from retrieval.engine import Engine

    first = Engine.open(_settings(server, corpus, tmp_path / "store-a"))
    other_corpus = tmp_path / "other-corpus"
    other_corpus.mkdir()
    shutil.copy(corpus / "004_eaf4358a3949aaa3.txt", other_corpus)
    second_settings = _settings(server, other_corpus, tmp_path / "store-b")
    second = Engine.open(second_settings)
    try:
        (other_corpus / "004_eaf4358a3949aaa3.txt").write_text("Replaced text of the only document here, "
                                                               "long enough to be indexed again.\n")
        second.index()
        dense = first.search(QUESTION, k=5, mode="dense")
        assert dense, "the first store's dense search still finds its passages"
        assert _collection(first.settings) != _collection(second_settings)
        assert _server_ids(server, first.settings) == _manifest_ids(first.settings)
        assert _server_ids(server, second_settings) == _manifest_ids(second_settings)
    finally:
        second.close()
        first.close()


def test_reindex_against_a_fresh_server_uploads_every_passage(corpus: Path, tmp_path: Path) -> None:
    from retrieval.embed import Encoder
    from retrieval.indexer import build_index

    store = tmp_path / "store"
    encoder = Encoder()
    with ChromaServer(tmp_path / "server-1") as first:
        build_index(_settings(first, corpus, store), encoder)
    with ChromaServer(tmp_path / "server-2") as second:
        settings = _settings(second, corpus, store)
        (corpus / "005_added.txt").write_text("A new short document about the harbour library and its "
                                              "opening hours on Tuesdays.\n", encoding="utf-8")
        build_index(settings, encoder)
        assert _server_ids(second, settings) == _manifest_ids(settings)


def test_unchanged_reindex_against_an_emptied_server_uploads_every_passage(
    server: ChromaServer, corpus: Path, tmp_path: Path
) -> None:
    """Nothing changed in the corpus, but the server lost the collection: the unchanged run repairs it."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from retrieval.embed import Encoder
    from retrieval.indexer import build_index

    settings = _settings(server, corpus, tmp_path / "store")
    encoder = Encoder()
    build_index(settings, encoder)
    name = _collection(settings)
    client = chromadb.HttpClient(host=server.host, port=server.port,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    client.delete_collection(name)
    report = build_index(settings, encoder)
    assert not report.changed and report.embedded == 0
    assert _server_ids(server, settings) == _manifest_ids(settings)


def test_missing_server_collection_is_a_clear_error(server: ChromaServer, corpus: Path, tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from citebot.errors import CitebotError
    from retrieval.engine import Engine

    settings = _settings(server, corpus, tmp_path / "store")
    Engine.open(settings).close()
    client = chromadb.HttpClient(host=server.host, port=server.port,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    client.delete_collection(_collection(settings))
    with pytest.raises(CitebotError, match="citebot index"):
        Engine.open(settings, auto_index=False)
