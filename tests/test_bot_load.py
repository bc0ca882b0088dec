"""Load: 50 chats asking 20 questions each of the real bot in webhook mode, with the real engine.

The bot (a real python-telegram-bot ``Application`` run by ``bot.app.serve``) listens for webhook
updates on a free loopback port and talks to the fake Bot API server of ``telegram_server.py``.
Each chat sends its questions one after the other (the next once the reply to the previous one
has arrived), 50 chats at once. Every question must get exactly one reply, in its own chat, of at
most 4,096 characters; the latency from the webhook POST to the reply's arrival at the fake
server is printed ("bot load: ...") and written to ``bot_load.json`` in the test's tmp folder.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot import handlers
from bot.app import build_application
from citebot.settings import load_settings
from telegram_server import TOKEN, BotRunner, Call, FakeTelegramServer

pytestmark = [pytest.mark.slow, pytest.mark.server]

CHATS = 50
QUESTIONS_PER_CHAT = 20
FIRST_CHAT_ID = 710_000
OVERALL_TIMEOUT = 600.0  # the whole run, start-up to shut-down, never takes longer than this
SECRET = "load-test_Secret-token"

QUESTIONS = [
    "Which group organised the campaigners' letter to the commissioner?",
    "Who leads it?",
    "How much is the A New Met for London scheme worth?",
    "Who is the Vice Chair of EQUAL?",
    "When were the two Met constables sacked?",
    "Why were they sacked?",
    "How many racial justice organisations criticised the Met police?",
    "What did the Casey review find?",
    "Who is the Metropolitan Police Commissioner?",
    "What does Action for Race Equality do?",
]

# Replies that mean the bot failed or throttled instead of answering.
FAILURE_TEXTS = (
    handlers.ERROR_REPLY,
    "You're asking faster than I can keep up with",
    "Sorry, that took too long to answer",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Question:
    chat_id: int
    text: str
    update: dict[str, Any]
    posted_at: float | None = None
    status: int | None = None
    replied: threading.Event = field(default_factory=threading.Event)

    @property
    def message_id(self) -> int:
        return self.update["message"]["message_id"]


class ReplyCollector:
    """Indexes the bot's sendMessage calls by the message they reply to, as they arrive."""

    def __init__(self, server: FakeTelegramServer, questions: dict[int, Question]) -> None:
        self.server = server
        self.questions = questions
        self.replies: dict[int, list[Call]] = defaultdict(list)
        self.unreferenced: list[Call] = []
        self._seen = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="load-reply-collector", daemon=True)

    def start(self) -> ReplyCollector:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.scan()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.scan()
            time.sleep(0.005)

    def scan(self) -> None:
        calls = self.server.calls[self._seen:]  # calls only grows; the list copy is atomic
        self._seen += len(calls)
        for call in calls:
            if call.method != "sendMessage" or call.status != 200:
                continue
            reply = call.params.get("reply_parameters")
            message_id = reply.get("message_id") if isinstance(reply, dict) else None
            if message_id is None:
                self.unreferenced.append(call)
                continue
            self.replies[int(message_id)].append(call)
            question = self.questions.get(int(message_id))
            if question is not None:
                question.replied.set()


@pytest.fixture
def server() -> Any:
    with FakeTelegramServer() as fake:
        yield fake


def test_fifty_chats_in_parallel_each_get_one_reply_per_question(
    engine: Any, server: FakeTelegramServer, tmp_path: Path, record_property: Any
) -> None:
    started = time.monotonic()
    deadline = started + OVERALL_TIMEOUT - 60  # leave a minute to shut down and report

    port = free_port()
    url = f"http://127.0.0.1:{port}/citebot-load-hook"
    settings = load_settings(home=tmp_path / "home", store=tmp_path / "store", telegram_token=TOKEN,
                             telegram_base_url=server.base_url, webhook_url=url, webhook_listen="127.0.0.1",
                             webhook_port=port, webhook_secret=SECRET, allowed_chats="",
                             rate_limit_per_minute=1_000_000)
    assert not settings.allowed_chat_ids

    # Every update is built up front, so the fake server's id counters are only used by one thread.
    chats: dict[int, list[Question]] = {}
    for i in range(CHATS):
        chat_id = FIRST_CHAT_ID + i
        chats[chat_id] = []
        for j in range(QUESTIONS_PER_CHAT):
            text = QUESTIONS[(i + j) % len(QUESTIONS)]
            update = server.next_update(message=server.make_message(chat_id, text))
            chats[chat_id].append(Question(chat_id, text, update))
    questions = {q.message_id: q for qs in chats.values() for q in qs}
    assert len(questions) == CHATS * QUESTIONS_PER_CHAT

    runner = BotRunner(build_application(settings, engine), settings).start(timeout=60)
    collector = ReplyCollector(server, questions).start()
    try:
        assert server.calls_to("setWebhook")[0].params["secret_token"] == SECRET

        def run_chat(chat_questions: list[Question]) -> None:
            for question in chat_questions:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"out of time before asking in chat {question.chat_id}")
                question.posted_at = time.monotonic()
                question.status = server.post_webhook(url, question.update, SECRET)
                if question.status != 200:
                    raise AssertionError(f"webhook POST answered {question.status} in chat {question.chat_id}")
                if not question.replied.wait(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError(f"no reply in chat {question.chat_id} to {question.text!r}")

        load_started = time.monotonic()
        with ThreadPoolExecutor(max_workers=CHATS, thread_name_prefix="load-chat") as pool:
            futures = [pool.submit(run_chat, qs) for qs in chats.values()]
            done, not_done = wait(futures, timeout=max(0.0, deadline - time.monotonic()) + 15)
        load_seconds = time.monotonic() - load_started
        assert not not_done, f"{len(not_done)} chats did not finish in time"
        errors = [f.exception() for f in done if f.exception() is not None]
        assert not errors, f"{len(errors)} chats failed, e.g. {errors[0]!r}"

        time.sleep(2.0)  # let any late duplicate arrive before counting
    finally:
        collector.stop()
        runner.stop(timeout=60)
    total_seconds = time.monotonic() - started

    # Every question got exactly one reply, in its own chat.
    missing = [q for q in questions.values() if not collector.replies.get(q.message_id)]
    duplicated = {q.message_id: len(collector.replies[q.message_id]) for q in questions.values()
                  if len(collector.replies.get(q.message_id, [])) > 1}
    assert not missing, f"{len(missing)} questions got no reply, e.g. {missing[0].text!r} in chat {missing[0].chat_id}"
    assert not duplicated, f"{len(duplicated)} questions got several replies: {dict(list(duplicated.items())[:5])}"
    stray = set(collector.replies) - set(questions)
    assert not stray, f"replies to messages nobody sent: {sorted(stray)[:5]}"
    wrong_chat = [(q.chat_id, int(collector.replies[q.message_id][0].params["chat_id"])) for q in questions.values()
                  if int(collector.replies[q.message_id][0].params["chat_id"]) != q.chat_id]
    assert not wrong_chat, f"replies sent to the wrong chat (asked in, sent to): {wrong_chat[:5]}"

    # Per chat: one reply per question, and nothing but those replies (and their continuations).
    sent = server.calls_to("sendMessage")
    per_chat: dict[int, int] = defaultdict(int)
    for call in sent:
        per_chat[int(call.params["chat_id"])] += 1
    assert set(per_chat) == set(chats), f"messages to unexpected chats: {sorted(set(per_chat) - set(chats))}"
    continuations: dict[int, int] = defaultdict(int)
    for call in collector.unreferenced:
        continuations[int(call.params["chat_id"])] += 1
    uneven = {c: per_chat[c] for c in chats if per_chat[c] != QUESTIONS_PER_CHAT + continuations[c]}
    assert not uneven, f"chats with more or fewer messages than questions (chat: messages): {uneven}"

    # Every message fits Telegram's limit, was accepted, and is a real answer.
    texts = [c.params["text"] for c in sent]
    too_long = [len(t) for t in texts if len(t) > 4096 or len(t.encode("utf-16-le")) // 2 > 4096]
    assert not too_long, f"{len(too_long)} messages longer than 4,096 characters: {too_long[:5]}"
    rejected = [c for c in server.calls_to("sendMessage", ok_only=False) if c.status != 200]
    assert not rejected, f"{len(rejected)} sendMessage calls failed, e.g. {rejected[0].status}"
    failures = [t for t in texts if any(f in t for f in FAILURE_TEXTS)]
    assert not failures, f"{len(failures)} replies were errors or refusals, e.g. {failures[0][:200]!r}"
    letter = [collector.replies[q.message_id][0].params["text"] for q in questions.values() if q.text == QUESTIONS[0]]
    assert letter and all("Runnymede" in t for t in letter), "an answer about the letter lost its source"

    # Latency: webhook POST to the reply's arrival at the (fake) Bot API.
    latencies = [collector.replies[q.message_id][0].at - q.posted_at for q in questions.values()]
    assert all(lat >= 0 for lat in latencies)
    report = {
        "chats": CHATS,
        "questions_per_chat": QUESTIONS_PER_CHAT,
        "questions": len(latencies),
        "p50_seconds": round(percentile(latencies, 50), 4),
        "p95_seconds": round(percentile(latencies, 95), 4),
        "max_seconds": round(max(latencies), 4),
        "mean_seconds": round(sum(latencies) / len(latencies), 4),
        "load_seconds": round(load_seconds, 2),
        "total_seconds": round(total_seconds, 2),
        "questions_per_second": round(len(latencies) / load_seconds, 2),
        "continuation_messages": len(collector.unreferenced),
    }
    out = tmp_path / "bot_load.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    for key in ("p50_seconds", "p95_seconds", "load_seconds", "total_seconds"):
        record_property(f"bot_load_{key}", report[key])
    print(f"\nbot load: {report['questions']} questions from {CHATS} chats in {load_seconds:.1f} s "
          f"({report['questions_per_second']}/s); latency p50 {report['p50_seconds'] * 1000:.0f} ms, "
          f"p95 {report['p95_seconds'] * 1000:.0f} ms, max {report['max_seconds'] * 1000:.0f} ms; "
          f"total {total_seconds:.1f} s")
    print(f"bot load: report written to {out}")
