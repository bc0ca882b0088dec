"""The on-disk index: immutable generations, switched atomically.

Layout of a store folder::

    CURRENT                 name of the generation readers use (replaced atomically)
    write.lock              held by the one process that writes
    generations/gen-000007/
        manifest.sqlite     documents (stamps, metadata: a compact table read by every re-index),
                            texts (each document's cleaned text) and passages (id, offsets, text)
        passages.npy        int32 (doc, start, end, first sentence row, end sentence row) per passage row
        sentences.npy       int32 (doc, start, end) per sentence row; doc = documents.idx
        sentvec.npy         sentence vectors (float16), row i = sentence row i
        attrrows.npy        sentence rows that have an attribution vector (sorted)
        attrvec.npy         vectors of the words outside those sentences' quotations (float16)
        passvec.npy         passage vectors (float16), row i = passage row i (copy-forward source)
        bm25/               the lexical index
        cases.json          lower-case word -> the capitals the documents give it ("rowley" -> "Rowley")
        chroma/             Chroma persistent store (embedded mode)

A writer builds a new generation beside the current one and flips CURRENT last; a crash at
any point leaves the previous generation answering, and readers never open a folder that is
being written, so two processes never share a Chroma folder while one writes.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from citebot.errors import StoreBusyError

GENERATIONS = "generations"
CURRENT = "CURRENT"
KEEP_OLD_GENERATIONS = 1  # NOTE: one older generation stays for readers still switching over

SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, idx INTEGER NOT NULL UNIQUE, content_hash TEXT NOT NULL, size INTEGER,
    mtime_ns INTEGER, given TEXT NOT NULL, meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS texts (idx INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passages (
    row INTEGER PRIMARY KEY, passage_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL
);
"""
# Indexes are made after the rows are in: one sort instead of a b-tree insert per row.
INDEXES = """
CREATE INDEX IF NOT EXISTS passages_by_doc ON passages (doc_id, row);
"""


@dataclass(frozen=True)
class Generation:
    """One complete, immutable index build."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def manifest(self) -> Path:
        return self.path / "manifest.sqlite"

    @property
    def chroma(self) -> Path:
        return self.path / "chroma"

    @property
    def bm25(self) -> Path:
        return self.path / "bm25"

    @property
    def passage_table(self) -> Path:
        return self.path / "passages.npy"

    @property
    def sentence_table(self) -> Path:
        return self.path / "sentences.npy"

    @property
    def attrrows(self) -> Path:
        return self.path / "attrrows.npy"

    @property
    def sentvec(self) -> Path:
        return self.path / "sentvec.npy"

    @property
    def attrvec(self) -> Path:
        return self.path / "attrvec.npy"

    @property
    def cases(self) -> Path:
        return self.path / "cases.json"

    @property
    def passvec(self) -> Path:
        return self.path / "passvec.npy"


def current_generation(store: Path) -> Generation | None:
    """The generation readers should use, or None when nothing was built yet."""
    try:
        name = (store / CURRENT).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = Generation(store / GENERATIONS / name)
    return gen if gen.manifest.exists() else None


def current_marker(store: Path) -> tuple[str, int] | None:
    """A cheap token that changes when CURRENT is flipped (readers poll it)."""
    try:
        st = (store / CURRENT).stat()
        return ((store / CURRENT).read_text().strip(), st.st_mtime_ns)
    except OSError:
        return None


def new_generation(store: Path) -> Generation:
    """A fresh, empty generation folder numbered after every existing one (call with the write lock).

    Folders newer than the current generation were never published (a writer died mid-build);
    they are removed first, so garbage collection never mistakes one for the previous generation.
    Numbers are not reused, so no process can confuse a new folder with a dead one's.
    """
    root = store / GENERATIONS
    root.mkdir(parents=True, exist_ok=True)
    current = current_generation(store)
    existing = [p for p in root.glob("gen-*") if p.is_dir()]
    numbers = [int(p.name.split("-")[1]) for p in existing if p.name.split("-")[1].isdigit()]
    path = root / f"gen-{max(numbers, default=0) + 1:06d}"
    for leftover in existing:
        if current is None or leftover.name > current.name:
            shutil.rmtree(leftover, ignore_errors=True)
    path.mkdir()
    return Generation(path)


def _fsync_tree(path: Path) -> None:
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def publish(store: Path, gen: Generation) -> None:
    """Make ``gen`` current atomically (after it is fully on disk), then drop old generations."""
    _fsync_tree(gen.path)
    tmp = store / f".{CURRENT}.tmp"
    tmp.write_text(gen.name + "\n")
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, store / CURRENT)
    dfd = os.open(store, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)
    collect_garbage(store)


def collect_garbage(store: Path) -> None:
    """Delete unfinished generations and all but the newest old ones."""
    current = current_generation(store)
    root = store / GENERATIONS
    if not root.exists():
        return
    gens = sorted(p for p in root.glob("gen-*") if p.is_dir())
    keep: set[Path] = set()
    if current is not None:
        # Only complete generations count as "previous": an unfinished folder left by a killed
        # writer must not displace the one readers may still have open.
        older = [p for p in gens if p.name < current.name and Generation(p).manifest.exists()]
        keep = {current.path, *older[-KEEP_OLD_GENERATIONS:]}
    for path in gens:
        if path not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def snapshot_tree(source: Path, target: Path) -> None:
    """Copy the folder ``source`` to ``target``, SQLite databases through SQLite's backup API.

    Readers write to a published generation's Chroma database (Chroma records a write on every
    open), so a plain file copy can catch a half-written page, or a journal that vanishes
    mid-copy; the backup API copies a consistent snapshot and waits out a reader's write.
    """
    databases: list[Path] = []

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            path = Path(folder) / name
            if name.endswith(("-journal", "-wal", "-shm")):
                skipped.add(name)
            elif path.is_file() and _is_sqlite(path):
                skipped.add(name)
                databases.append(path)
        return skipped

    shutil.copytree(source, target, ignore=ignore)
    for database in databases:
        src = sqlite3.connect(database, timeout=60)
        try:
            dst = sqlite3.connect(target / database.relative_to(source))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()


@contextmanager
def write_lock(store: Path, wait: bool = False) -> Iterator[None]:
    """Hold the store's single-writer lock; raises StoreBusyError when another writer has it."""
    store.mkdir(parents=True, exist_ok=True)
    path = store / "write.lock"
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            handle.seek(0)
            owner = handle.read().strip() or "another process"
            message = f"The index at {store} is being written by {owner}; try again when it finishes."
            raise StoreBusyError(message) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()


class NpyWriter:
    """Rows appended to a ``.npy`` file one block at a time (the row count is written at close).

    A build streams its vectors to disk instead of holding every row in memory; the header has a
    fixed size (128 bytes, the npy 1.0 format padded with spaces), rewritten with the final shape.
    """

    HEADER = 128

    def __init__(self, path: Path, width: int, dtype: str) -> None:
        import numpy as np

        self.path = path
        self.width = width
        self.dtype = np.dtype(dtype)
        self.rows = 0
        self._handle = path.open("wb")
        self._handle.write(b"\0" * self.HEADER)

    def write(self, block) -> None:
        import numpy as np

        block = np.ascontiguousarray(block, dtype=self.dtype).reshape(-1, self.width)
        self._handle.write(block.tobytes())
        self.rows += block.shape[0]

    def close(self) -> None:
        descr = self.dtype.str
        header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({self.rows}, {self.width}), }}"
        body = header.encode("latin1").ljust(self.HEADER - 10 - 1) + b"\n"
        assert len(body) == self.HEADER - 10, "npy header overflow"
        self._handle.seek(0)
        self._handle.write(b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body)
        self._handle.close()


def open_manifest(path: Path, readonly: bool = False, attach: Path | None = None) -> sqlite3.Connection:
    """A connection to a manifest database (created with its schema when writing).

    ``attach`` opens another manifest read-only as schema ``old`` (a writer copies kept rows
    from the previous generation with SQL, without bringing them into Python).
    """
    if readonly:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rwc", uri=True, check_same_thread=False)
        conn.executescript(SCHEMA)
    if attach is not None:
        conn.execute("ATTACH DATABASE ? AS old", (f"file:{quote(str(attach))}?mode=ro",))
    return conn


def read_info(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM info"))


def write_info(conn: sqlite3.Connection, **values: object) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO info (key, value) VALUES (?, ?)",
        [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in values.items()],
    )
