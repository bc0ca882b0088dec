"""Shared fixtures: every test runs offline, off the user's real data."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


# The model's ONNX export (made once, on first use) is cached apart from the user's cache and kept
# between test runs: it depends only on the packaged weights.
MODEL_CACHE = Path(tempfile.gettempdir()) / f"citebot-test-model-cache-{os.getuid()}"
os.environ["CITEBOT_MODEL_CACHE"] = str(MODEL_CACHE)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Point CITEBOT_HOME at a temporary folder and drop any CITEBOT_* settings of the user."""
    for name in list(os.environ):
        if name.startswith("CITEBOT_") and name != "CITEBOT_MODEL_CACHE":
            monkeypatch.delenv(name)
    home = tmp_path / "citebot-home"
    monkeypatch.setenv("CITEBOT_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory) -> Path:
    """An index of the bundled corpus, built once per test session."""
    from citebot.settings import load_settings
    from retrieval.engine import Engine

    store = tmp_path_factory.mktemp("bundled") / "index"
    settings = load_settings(store=store, corpus=CORPUS, home=store.parent)
    Engine.open(settings).close()
    return store


@pytest.fixture(scope="session")
def engine(bundled_store):
    """An engine over the bundled corpus (the model loads once per session)."""
    from citebot.settings import load_settings
    from retrieval.engine import Engine

    settings = load_settings(store=bundled_store, corpus=CORPUS, home=bundled_store.parent)
    eng = Engine.open(settings, auto_index=False)
    yield eng
    eng.close()


def copy_bundled_corpus(folder: Path) -> Path:
    """A writable copy of the bundled corpus at ``folder`` (tests change and add files in it)."""
    shutil.copytree(CORPUS, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create a small corpus folder from ``{relative path: content}``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder
