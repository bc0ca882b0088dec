"""End to end: the real Application (polling and webhook) with the real engine over the bundled corpus.

The bot talks HTTP to the fake Bot API server of ``telegram_server.py``; the engine is opened
once per session (indexing and model loading take a few seconds).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from bot import handlers
from bot.app import build_application
from bot.state import ChatStore
from citebot.settings import load_settings
from telegram_server import TOKEN, BotRunner, FakeTelegramServer

pytestmark = pytest.mark.server

CHAT = 1001
QUESTION = "Which group organised the campaigners' letter to the commissioner?"
FOLLOW_UP = "Who leads it?"


class RecordingEngine:
    """The real engine, recording what ``ask`` was given (to check the conversation history)."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.asked: list[tuple[str, list[str]]] = []

    def ask(self, question: str, history: Sequence[str] = ()) -> Any:
        self.asked.append((question, list(history)))
        return self._engine.ask(question, history)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from retrieval.engine import Engine

    home = tmp_path_factory.mktemp("bot-e2e")
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("CITEBOT_"):
                mp.delenv(key)
        mp.setenv("CITEBOT_HOME", str(home))
        engine = Engine.open(load_settings(home=home, store=home / "index"))
    yield engine
    engine.close()


@pytest.fixture
def engine(real_engine: Any) -> RecordingEngine:
    return RecordingEngine(real_engine)


@pytest.fixture
def server() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer() as fake:
        yield fake


@pytest.fixture
def bot(tmp_path: Path, server: FakeTelegramServer, engine: RecordingEngine) -> Iterator[Any]:
    """``bot(**settings)`` starts the bot (a new Application on the same store each time)."""
    runners: list[BotRunner] = []

    def start(**overrides: Any) -> BotRunner:
        settings = load_settings(home=tmp_path / "home", store=tmp_path / "store", telegram_token=TOKEN,
                                 telegram_base_url=server.base_url, **overrides)
        runner = BotRunner(build_application(settings, engine), settings).start()
        runners.append(runner)
        return runner

    yield start
    for runner in runners:
        runner.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_answer_follow_up_and_citations(bot: Any, server: FakeTelegramServer, engine: RecordingEngine,
                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bot()
    server.push_message(CHAT, QUESTION)
    [answer] = server.wait_for_messages(CHAT, 1, timeout=60)
    assert "Runnymede Trust" in answer and "[1]" in answer
    assert "<b>Sources</b>" in answer and "\n[1]" in answer

    # the answer's [1] button, then /cite 1
    first = server.calls_to("sendMessage", chat_id=CHAT)[0]
    button = first.params["reply_markup"]["inline_keyboard"][0][0]
    assert button["callback_data"].startswith("c:") and len(button["callback_data"].encode()) <= 64
    answer_message = next(m for m in server.messages.values() if m.get("text") == first.params["text"])
    server.push_callback(CHAT, button["callback_data"], answer_message["message_id"])
    passage = server.wait_for_messages(CHAT, 2)[1]
    assert "<u><b>" in passage and "<blockquote>" in passage and "<code>" in passage
    server.push_message(CHAT, "/cite 1")
    assert server.wait_for_messages(CHAT, 3)[2] == passage

    # the token is in every Bot API URL, yet never in a log line or a reply
    texts = [c.params.get("text", "") for c in server.calls]
    assert not any(TOKEN in t for t in texts)
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text
    assert all(TOKEN.split(":")[1] not in r.getMessage() for r in caplog.records)
    assert any("HTTP Request" in r.getMessage() and "[REDACTED]" in r.getMessage() for r in caplog.records)
    assert all(c.status == 200 for c in server.calls if c.method == "sendMessage")

    # a follow-up question is asked with the chat's conversation
    server.push_message(CHAT, FOLLOW_UP)
    server.wait_for_messages(CHAT, 4, timeout=60)
    assert engine.asked[1] == (FOLLOW_UP, [QUESTION])


def test_follow_up_is_answered_from_the_conversation(bot: Any, server: FakeTelegramServer) -> None:
    """The engine reads "it" as the Runnymede Trust from the history the bot passes."""
    bot()
    server.push_message(CHAT, QUESTION)
    server.wait_for_messages(CHAT, 1, timeout=60)
    server.push_message(CHAT, FOLLOW_UP)
    follow_up = server.wait_for_messages(CHAT, 2, timeout=60)[1]
    assert "Shabna Begum" in follow_up


def test_greetings_thanks_and_source_in_a_chat(bot: Any, server: FakeTelegramServer) -> None:
    """"hi" and "thanks" get replies of their own; "source?" after "thanks" names the answer's documents."""
    bot()
    server.push_message(CHAT, "hi")
    assert server.wait_for_messages(CHAT, 1, timeout=60)[0].startswith("Hello. Ask me a question about the 5 documents")
    server.push_message(CHAT, QUESTION)
    answer = server.wait_for_messages(CHAT, 2, timeout=60)[1]
    server.push_message(CHAT, "thanks!")
    assert server.wait_for_messages(CHAT, 3, timeout=60)[2] == "You're welcome."
    server.push_message(CHAT, "source?")
    source = server.wait_for_messages(CHAT, 4, timeout=60)[3]
    assert source.startswith("From “") and "<b>Sources</b>" in source
    title = re.search(r"\[1\] <i>([^<]+)</i>", answer).group(1)
    assert title in source


def test_chat_not_on_the_allow_list_is_refused_once(bot: Any, server: FakeTelegramServer,
                                                     engine: RecordingEngine) -> None:
    bot(allowed_chats=f"{CHAT}")
    stranger = 4004
    server.push_message(stranger, QUESTION)
    server.push_message(stranger, "/sources")
    server.push_message(stranger, FOLLOW_UP)
    server.push_message(CHAT, QUESTION)
    server.wait_for_messages(CHAT, 1, timeout=60)
    server.wait_for_messages(stranger, 1)
    server.push_message(stranger, "/cite 1")
    server.push_message(CHAT, "/help")
    server.wait_for_messages(CHAT, 2)
    [refusal] = server.texts(stranger)
    assert refusal == handlers.REFUSAL
    assert "Runnymede" not in refusal
    assert [q for q, _ in engine.asked] == [QUESTION]


def test_restart_keeps_the_conversation(bot: Any, server: FakeTelegramServer, engine: RecordingEngine,
                                        tmp_path: Path) -> None:
    first = bot()
    server.push_message(CHAT, QUESTION)
    server.wait_for_messages(CHAT, 1, timeout=60)
    first.stop()

    bot()  # a new Application over the same store
    server.push_message(CHAT, FOLLOW_UP)
    server.wait_for_messages(CHAT, 2, timeout=60)
    assert engine.asked[-1] == (FOLLOW_UP, [QUESTION])


def test_reset_forgets_the_conversation(bot: Any, server: FakeTelegramServer, engine: RecordingEngine,
                                        tmp_path: Path) -> None:
    bot()
    server.push_message(CHAT, QUESTION)
    server.wait_for_messages(CHAT, 1, timeout=60)
    server.push_message(CHAT, "/reset")
    assert "forgot" in server.wait_for_messages(CHAT, 2)[1]
    with ChatStore(tmp_path / "store") as store:
        assert store.history(CHAT) == []
    server.push_message(CHAT, FOLLOW_UP)
    server.wait_for_messages(CHAT, 3, timeout=60)
    assert engine.asked[-1] == (FOLLOW_UP, [])


def test_429_on_send_is_retried_and_the_reply_arrives_once(bot: Any, server: FakeTelegramServer) -> None:
    bot()
    server.fail_next("sendMessage", times=1, status=429, retry_after=1)
    server.push_message(CHAT, QUESTION)
    [reply] = server.wait_for_messages(CHAT, 1, timeout=60)
    assert "Runnymede Trust" in reply
    statuses = [c.status for c in server.calls_to("sendMessage", ok_only=False)]
    assert statuses == [429, 200]


def test_brief_sends_messages_and_an_html_document(bot: Any, server: FakeTelegramServer) -> None:
    bot()
    server.push_message(CHAT, "/brief the Runnymede Trust letter to the Met")
    server.wait_for(lambda: server.calls_to("sendDocument") or handlers.ERROR_REPLY in "".join(server.texts()),
                    timeout=60, what="the briefing document")
    assert handlers.ERROR_REPLY not in "".join(server.texts())
    document = server.calls_to("sendDocument")[0]
    name, content = document.files["document"]
    assert name.endswith(".html") and b"Runnymede" in content
    texts = server.texts(CHAT)
    assert texts and all(len(t) <= 4096 for t in texts)
    assert "Runnymede" in "".join(texts)
    assert all(c.status == 200 for c in server.calls if c.method == "sendMessage")


def test_webhook_mode_checks_the_secret_token(bot: Any, server: FakeTelegramServer,
                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    port = free_port()
    url = f"http://127.0.0.1:{port}/citebot-hook"
    secret = "s3cret-Token_for-tests"
    bot(webhook_url=url, webhook_listen="127.0.0.1", webhook_port=port, webhook_secret=secret)
    [set_webhook] = server.calls_to("setWebhook")
    assert set_webhook.params["url"] == url and set_webhook.params["secret_token"] == secret

    intruder = 6006
    wrong = server.next_update(message=server.make_message(intruder, QUESTION))
    assert server.post_webhook(url, wrong, "not-the-secret") == 403
    missing = server.next_update(message=server.make_message(intruder, QUESTION))
    assert server.post_webhook(url, missing, None) == 403

    good = server.next_update(message=server.make_message(CHAT, QUESTION))
    assert server.post_webhook(url, good, secret) == 200
    [reply] = server.wait_for_messages(CHAT, 1, timeout=60)
    assert "Runnymede Trust" in reply
    assert server.texts(intruder) == []
    assert not server.calls_to("getUpdates")
    assert "setWebhook" in caplog.text and secret not in caplog.text and TOKEN not in caplog.text


@pytest.mark.slow  # a new process loads the model: 20-50 s
def test_citebot_telegram_command_polls_answers_and_stops_on_ctrl_c(real_engine: Any, server: FakeTelegramServer,
                                                                     tmp_path: Path) -> None:
    """``citebot telegram`` through its real entry point, in its own process, stopped by SIGINT."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITEBOT_")}
    env.update(CITEBOT_HOME=str(tmp_path / "home"), CITEBOT_TELEGRAM_TOKEN=TOKEN,
               CITEBOT_TELEGRAM_BASE_URL=server.base_url, PYTHONUNBUFFERED="1")
    store = str(real_engine.settings.store_dir)
    with open(tmp_path / "bot.log", "w+") as log_file:
        proc = subprocess.Popen([sys.executable, "-m", "citebot.cli", "telegram", "--store", store],
                                env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            server.wait_for(lambda: server.calls_to("getUpdates"), timeout=120, what="polling to start")
            server.push_message(CHAT, QUESTION)
            [reply] = server.wait_for_messages(CHAT, 1, timeout=60)
            assert "Runnymede Trust" in reply
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        log_file.seek(0)
        output = log_file.read()
    assert "is ready" in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    with ChatStore(real_engine.settings.store_dir) as chat_store:
        assert chat_store.history(CHAT) == [QUESTION]
