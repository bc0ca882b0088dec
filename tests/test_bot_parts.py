"""The bot's parts on their own: chat store, feedback export, access, log redaction, retries."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot import handlers, logging_filter
from bot.access import AllowList, RateLimiter
from bot.app import build_application
from bot.state import HISTORY_TURNS, ChatStore, export_feedback
from citebot.errors import CitebotError
from citebot.settings import load_settings
from telegram_server import ScriptedEngine


def test_store_keeps_last_turns_survives_reopen_and_is_thread_safe(tmp_path: Path) -> None:
    store = ChatStore(tmp_path)
    for i in range(10):
        store.add_question(1, f"q{i}")
    store.add_question(2, "other chat")
    assert store.history(1) == [f"q{i}" for i in range(10 - HISTORY_TURNS, 10)]
    store.close()
    with ChatStore(tmp_path / "chat.sqlite") as again:
        assert again.history(2) == ["other chat"]
        assert again.reset(1) == HISTORY_TURNS and again.history(1) == []
        assert again.mark_refused(9) and not again.mark_refused(9)

        def worker(n: int) -> None:
            for j in range(20):
                again.add_question(100 + n, f"{n}-{j}")
                answer_id = again.save_answer(100 + n, "q", [], "a", False, [{"n": 1}])
                assert again.answer(answer_id, chat_id=100 + n) is not None
                assert again.answer(answer_id, chat_id=1) is None

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert all(len(again.history(100 + n)) == HISTORY_TURNS for n in range(8))
    mode = sqlite3.connect(tmp_path / "chat.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_export_feedback_to_a_path_skips_feedback_without_question(tmp_path: Path) -> None:
    with ChatStore(tmp_path) as store:
        answer_id = store.save_answer(1, "Who?", ["Before?"], "Someone [1].", False, [{"n": 1}])
        store.add_feedback(1, "up", store.answer(answer_id), user_id=5)
        store.add_feedback(2, "comment", None, comment="general remark")
    out = tmp_path / "out" / "candidates.jsonl"
    assert export_feedback(tmp_path / "chat.sqlite", out) == 1
    row = json.loads(out.read_text())
    assert row["id"] == "fb00001" and row["history"] == ["Before?"] and row["answerable"] is True
    from eval.runner import load_gold  # the candidates load as gold rows

    assert [r["question"] for r in load_gold(out)] == ["Who?"]


def test_rate_limiter_and_allow_list() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.hit(1) == 0 and limiter.hit(1) == 0
    assert limiter.hit(1) == pytest.approx(60.0)
    assert limiter.hit(2) == 0
    now[0] = 30.0
    assert limiter.hit(1) == pytest.approx(30.0)
    now[0] = 60.0
    assert limiter.hit(1) == 0
    assert RateLimiter.describe(2) == "a few seconds" and RateLimiter.describe(12.2) == "13 seconds"
    assert AllowList().allows(5) and not AllowList().allows(None)
    assert AllowList([1, 2]).allows(2) and not AllowList([1, 2]).allows(3)


def test_log_redaction_covers_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    secret = "987654:SECRETsecretSECRETsecret"
    logging_filter.install([secret])
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("httpx")
    log.info('HTTP Request: %s %s "%s"', "POST", f"http://x/bot{secret}/getMe", "200 OK")
    try:
        raise ValueError(f"bad url http://x/bot{secret}/sendMessage")
    except ValueError:
        logging.getLogger("some.other").exception("failed")
    logging.getLogger("x").warning("only the secret part: %s", secret.split(":")[1])
    assert secret.split(":")[1] not in caplog.text
    assert caplog.text.count(logging_filter.REDACTED) >= 3
    handler_record = logging.LogRecord("n", logging.INFO, "f", 1, "tok %s", (secret,), None)
    assert logging_filter.RedactingFilter().filter(handler_record)
    assert handler_record.getMessage() == f"tok {logging_filter.REDACTED}"


def test_call_with_retry_respects_retry_after_and_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(handlers.asyncio, "sleep", fake_sleep)
    outcomes: list[Exception | str] = [RetryAfter(3), NetworkError("down"), "ok"]

    async def call() -> str:
        item = outcomes.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    assert asyncio.run(handlers.call_with_retry(call, "test")) == "ok"
    assert slept == [3.0, 0.5]

    async def bad() -> None:
        raise BadRequest("can't parse entities")

    with pytest.raises(BadRequest):
        asyncio.run(handlers.call_with_retry(bad, "test"))

    async def always_down() -> None:
        raise NetworkError("down")

    with pytest.raises(NetworkError):
        asyncio.run(handlers.call_with_retry(always_down, "test", attempts=3))


def test_feedback_verdict_words() -> None:
    assert handlers.feedback_verdict("👍 great") == "up"
    assert handlers.feedback_verdict("Wrong, the date is 2024") == "down"
    assert handlers.feedback_verdict("the second source is better") == "comment"


def test_missing_token_says_what_to_do(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "home", store=tmp_path / "store")
    with pytest.raises(CitebotError, match="CITEBOT_TELEGRAM_TOKEN"):
        build_application(settings, ScriptedEngine())
