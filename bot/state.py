"""Chat state that survives a restart: conversations, answers' citations, feedback, refusals.

One small SQLite file (``settings.store_dir / "chat.sqlite"``) in WAL mode. One connection is
shared behind a lock, so the store is safe to use from several threads; other processes can
read it at the same time (WAL) and writers wait for each other (busy timeout).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

FILENAME = "chat.sqlite"
# NOTE: the issue asks to keep the last ~6 questions of a chat as follow-up context.
HISTORY_TURNS = 6

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,
    question TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_chat ON turns (chat_id, id);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,
    message_id INTEGER,
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    citations TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_chat ON answers (chat_id, id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id INTEGER,
    chat_id INTEGER NOT NULL,
    user_id INTEGER,
    question TEXT,
    history TEXT NOT NULL,
    answer TEXT,
    abstained INTEGER,
    verdict TEXT NOT NULL,
    comment TEXT,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS refused (
    chat_id INTEGER PRIMARY KEY,
    created REAL NOT NULL
);
"""


@dataclass(frozen=True)
class StoredAnswer:
    """An answer the bot sent, with its citations (plain dicts), found again by its short id."""

    id: int
    chat_id: int
    message_id: int | None
    question: str
    history: list[str]
    answer: str
    abstained: bool
    citations: list[dict[str, Any]]

    def citation(self, n: int) -> dict[str, Any] | None:
        """The citation numbered ``n`` in the answer text, if any."""
        return next((c for c in self.citations if int(c.get("n", -1)) == n), None)


class ChatStore(AbstractContextManager["ChatStore"]):
    """The bot's SQLite state. Safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        if path.is_dir() or path.suffix == "":
            path = path / FILENAME
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA busy_timeout=30000")
            self._conn.executescript(_SCHEMA)

    @classmethod
    def for_settings(cls, settings: Any) -> ChatStore:
        """The store under ``settings.store_dir``."""
        return cls(Path(settings.store_dir) / FILENAME)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _write(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> int | None:
        """Run statements in one transaction; returns the last row id."""
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    cur.execute(sql, params)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            return cur.lastrowid

    # --- conversation ---------------------------------------------------------------------

    def history(self, chat_id: int, limit: int = HISTORY_TURNS) -> list[str]:
        """The chat's earlier questions, oldest first (at most ``limit``)."""
        rows = self._run(
            "SELECT question FROM turns WHERE chat_id = ? ORDER BY id DESC LIMIT ?", (chat_id, limit)
        )
        return [r["question"] for r in reversed(rows)]

    def add_question(self, chat_id: int, question: str, keep: int = HISTORY_TURNS) -> None:
        """Append a question to the chat's conversation, keeping the last ``keep``."""
        self._write(
            [
                ("INSERT INTO turns (chat_id, question, created) VALUES (?, ?, ?)", (chat_id, question, time.time())),
                (
                    "DELETE FROM turns WHERE chat_id = ? AND id NOT IN "
                    "(SELECT id FROM turns WHERE chat_id = ? ORDER BY id DESC LIMIT ?)",
                    (chat_id, chat_id, keep),
                ),
            ]
        )

    def reset(self, chat_id: int) -> int:
        """Forget the chat's conversation; returns how many questions were forgotten."""
        count = self._run("SELECT COUNT(*) AS c FROM turns WHERE chat_id = ?", (chat_id,))[0]["c"]
        self._write([("DELETE FROM turns WHERE chat_id = ?", (chat_id,))])
        return int(count)

    # --- answers and their citations ------------------------------------------------------

    def save_answer(
        self,
        chat_id: int,
        question: str,
        history: Sequence[str],
        answer: str,
        abstained: bool,
        citations: Sequence[dict[str, Any]],
    ) -> int:
        """Store an answer and its citations; returns the short id used in buttons."""
        row_id = self._write(
            [
                (
                    "INSERT INTO answers (chat_id, question, history, answer, abstained, citations, created) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        chat_id,
                        question,
                        json.dumps(list(history), ensure_ascii=False),
                        answer,
                        int(abstained),
                        json.dumps(list(citations), ensure_ascii=False),
                        time.time(),
                    ),
                )
            ]
        )
        assert row_id is not None
        return int(row_id)

    def set_answer_message(self, answer_id: int, message_id: int) -> None:
        """Remember which message carries the answer's buttons."""
        self._write([("UPDATE answers SET message_id = ? WHERE id = ?", (message_id, answer_id))])

    def answer(self, answer_id: int, chat_id: int | None = None) -> StoredAnswer | None:
        """An answer by id (only within ``chat_id`` when given)."""
        rows = self._run("SELECT * FROM answers WHERE id = ?", (answer_id,))
        if not rows or (chat_id is not None and rows[0]["chat_id"] != chat_id):
            return None
        return _stored(rows[0])

    def last_answer(self, chat_id: int) -> StoredAnswer | None:
        """The chat's most recent answer."""
        rows = self._run("SELECT * FROM answers WHERE chat_id = ? ORDER BY id DESC LIMIT 1", (chat_id,))
        return _stored(rows[0]) if rows else None

    # --- feedback -------------------------------------------------------------------------

    def add_feedback(
        self,
        chat_id: int,
        verdict: str,
        answer: StoredAnswer | None = None,
        user_id: int | None = None,
        comment: str | None = None,
    ) -> int:
        """Store a verdict (``up``, ``down`` or ``comment``) on an answer; returns the feedback id."""
        row_id = self._write(
            [
                (
                    "INSERT INTO feedback (answer_id, chat_id, user_id, question, history, answer, abstained,"
                    " verdict, comment, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        answer.id if answer else None,
                        chat_id,
                        user_id,
                        answer.question if answer else None,
                        json.dumps(answer.history if answer else [], ensure_ascii=False),
                        answer.answer if answer else None,
                        int(answer.abstained) if answer else None,
                        verdict,
                        comment,
                        time.time(),
                    ),
                )
            ]
        )
        assert row_id is not None
        return int(row_id)

    def feedback(self) -> list[dict[str, Any]]:
        """Every stored feedback row, oldest first."""
        rows = self._run("SELECT * FROM feedback ORDER BY id")
        return [{**dict(r), "history": json.loads(r["history"] or "[]")} for r in rows]

    # --- access ---------------------------------------------------------------------------

    def mark_refused(self, chat_id: int) -> bool:
        """Record that a chat was refused; True only the first time."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO refused (chat_id, created) VALUES (?, ?)", (chat_id, time.time())
            )
            return cur.rowcount == 1


def _stored(row: sqlite3.Row) -> StoredAnswer:
    return StoredAnswer(
        id=row["id"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        question=row["question"],
        history=json.loads(row["history"]),
        answer=row["answer"],
        abstained=bool(row["abstained"]),
        citations=json.loads(row["citations"]),
    )


def feedback_to_gold(row: dict[str, Any]) -> dict[str, Any]:
    """A feedback row as a candidate gold line (CONTRACTS.md section 2) for a human to complete."""
    verdict = row["verdict"]
    # A thumbs-up on an abstention suggests the documents really do not answer the question.
    answerable = not (row.get("abstained") and verdict == "up")
    return {
        "id": f"fb{row['id']:05d}",
        "question": row["question"],
        "history": list(row.get("history") or []),
        "answerable": answerable,
        "answers": [],
        "evidence": [],
        "type": "feedback",
        "feedback": {
            "verdict": verdict,
            "bot_answer": row.get("answer"),
            "abstained": bool(row.get("abstained")),
            "comment": row.get("comment"),
        },
    }


def export_feedback(path_or_store: str | Path | ChatStore, out_file: str | Path | IO[str]) -> int:
    """Write stored feedback as candidate gold lines (JSON Lines); returns how many were written.

    Args:
        path_or_store: a :class:`ChatStore`, its SQLite file, or the store folder holding it.
        out_file: a path or an open text file. ``answers`` and ``evidence`` are left empty for a
            human to fill; ``type`` is ``"feedback"``; the verdict and the bot's answer are kept
            under ``"feedback"``.

    Returns:
        The number of lines written (feedback not tied to a question is skipped).
    """
    store = path_or_store if isinstance(path_or_store, ChatStore) else ChatStore(path_or_store)
    try:
        lines = [
            json.dumps(feedback_to_gold(row), ensure_ascii=False) for row in store.feedback() if row["question"]
        ]
    finally:
        if store is not path_or_store:
            store.close()
    text = "".join(line + "\n" for line in lines)
    if isinstance(out_file, (str, Path)):
        Path(out_file).parent.mkdir(parents=True, exist_ok=True)
        Path(out_file).write_text(text, encoding="utf-8")
    else:
        out_file.write(text)
    return len(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bot.state STORE OUT.jsonl``: export feedback as candidate gold lines."""
    parser = argparse.ArgumentParser(prog="python -m bot.state", description=main.__doc__)
    parser.add_argument("store", help="store folder or chat.sqlite file")
    parser.add_argument("out", help="JSON Lines file to write")
    args = parser.parse_args(argv)
    count = export_feedback(args.store, args.out)
    print(f"wrote {count} candidate gold lines to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
