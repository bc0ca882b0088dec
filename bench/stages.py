"""Where the time goes: wrap the indexer's and the engine's steps with timers, without changing them.

``IndexStages`` patches the names ``retrieval.indexer`` calls (ingest, encode, Chroma, BM25,
numpy and SQLite writes, publish) for the duration of a ``with`` block; ``AskStages`` does the
same for one question (query encoding, dense, BM25, best-sentence ranking, answer composition).
The patches only time; arguments and results pass through unchanged.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from typing import Any, Callable, Iterator


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self._depth = 0

    def wrap(self, stage: str | Callable[..., str], fn: Callable) -> Callable:
        clock = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            name = stage(*args, **kwargs) if callable(stage) else stage
            if clock._depth:  # an outer timed call already counts this time
                return fn(*args, **kwargs)
            clock._depth += 1
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                clock.seconds[name] += time.perf_counter() - started
                clock.counts[name] += 1
                clock._depth -= 1

        return timed


@contextmanager
def _patched(targets: list[tuple[Any, str, str | Callable[..., str]]], clock: _Clock) -> Iterator[None]:
    with ExitStack() as stack:
        for owner, attr, stage in targets:
            if not hasattr(owner, attr):
                continue  # a step this version of the indexer does not have
            raw = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
            wrapped = clock.wrap(stage, getattr(owner, attr))
            if isinstance(raw, (staticmethod, classmethod)):
                wrapped = staticmethod(wrapped)  # the wrapped callable is already bound to the class
            setattr(owner, attr, wrapped)
            stack.callback(setattr, owner, attr, raw)
        yield


# Stage names of an index build, in pipeline order.
INDEX_STAGES = (
    "scan + diff",
    "read/clean/chunk",
    "encode passages",
    "encode sentences",
    "chroma add",
    "bm25",
    "write (npy, sqlite, fsync, publish)",
)


class IndexStages:
    """Times the stages of ``build_index`` while active; ``seconds`` maps stage -> seconds."""

    def __init__(self) -> None:
        self.clock = _Clock()

    def __enter__(self) -> "IndexStages":
        import numpy as np

        import retrieval.indexer as ix
        from retrieval.lexical import BM25Index
        from retrieval.vectors import VectorStore

        def encode_stage(encoder: Any, texts: Any, progress: Any, label: str) -> str:
            return f"encode {label}"

        targets: list[tuple[Any, str, Any]] = [
            (ix, "scan_corpus", "scan + diff"),
            (ix, "file_hash", "scan + diff"),
            (ix, "_load_old", "scan + diff"),
            (ix, "ingest_file", "read/clean/chunk"),
            (ix, "_encode", encode_stage),
            (VectorStore, "open", "chroma add"),
            (ix, "snapshot_tree", "chroma add"),  # the previous generation's Chroma folder, copied forward
            (VectorStore, "add", "chroma add"),
            (VectorStore, "delete", "chroma add"),
            (VectorStore, "close", "chroma add"),
            (ix, "_drop_stale_server_vectors", "chroma add"),
            (BM25Index, "build", "bm25"),
            (BM25Index, "build_from_ids", "bm25"),
            (ix, "save_tokens", "bm25"),
            (ix.NpyWriter, "write", "write (npy, sqlite, fsync, publish)"),
            (ix.NpyWriter, "close", "write (npy, sqlite, fsync, publish)"),
            (BM25Index, "save", "bm25"),
            (np, "save", "write (npy, sqlite, fsync, publish)"),
            (ix, "open_manifest", "write (npy, sqlite, fsync, publish)"),
            (ix, "publish", "write (npy, sqlite, fsync, publish)"),
        ]
        self._cm = _patched(targets, self.clock)
        self._cm.__enter__()
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.total = time.perf_counter() - self._started
        self._cm.__exit__(*exc)

    @property
    def seconds(self) -> dict[str, float]:
        out = {name: round(self.clock.seconds.get(name, 0.0), 4) for name in INDEX_STAGES}
        out["other (python glue)"] = round(max(0.0, self.total - sum(self.clock.seconds.values())), 4)
        return out


ASK_STAGES = ("encode query", "dense (chroma)", "bm25", "best-sentence rank", "compose answer")


class AskStages:
    """Times the steps of ``Engine.ask`` while active; ``per_call()`` gives the last call's split."""

    def __init__(self) -> None:
        self.clock = _Clock()

    def __enter__(self) -> "AskStages":
        from retrieval.answer import ExtractiveAnswerer
        from retrieval.embed import Encoder
        from retrieval.lexical import BM25Index
        from retrieval.search import LoadedIndex

        targets: list[tuple[Any, str, Any]] = [
            (Encoder, "encode_one", "encode query"),
            (LoadedIndex, "dense", "dense (chroma)"),
            (BM25Index, "search", "bm25"),
            (LoadedIndex, "rank_by_best_sentence", "best-sentence rank"),
            (ExtractiveAnswerer, "answer", "compose answer"),
        ]
        self._cm = _patched(targets, self.clock)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(*exc)

    def snapshot(self) -> dict[str, float]:
        return {name: self.clock.seconds.get(name, 0.0) for name in ASK_STAGES}
