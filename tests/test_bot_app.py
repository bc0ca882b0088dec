"""The bot's behaviour through the whole HTTP path, with a scripted engine.

A real python-telegram-bot Application runs ``bot.app.serve`` (polling) in a thread against the
fake Bot API server of ``telegram_server.py``. The scripted engine gives exact control over
answers (long ones, failures, slow ones); ``test_bot_e2e.py`` does the same with the real engine.
"""

from __future__ import annotations

import io
import json
import logging
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from bot import handlers, render
from bot.app import build_application
from bot.state import export_feedback
from citebot.settings import load_settings
from telegram_server import BOT_USERNAME, TOKEN, BotRunner, FakeTelegramServer, ScriptedEngine

CHAT = 1001
pytestmark = pytest.mark.server


@pytest.fixture
def server() -> Any:
    with FakeTelegramServer() as fake:
        yield fake


@pytest.fixture
def scripted() -> ScriptedEngine:
    return ScriptedEngine()


@pytest.fixture
def start_bot(tmp_path: Path, server: FakeTelegramServer, scripted: ScriptedEngine) -> Any:
    runners: list[BotRunner] = []

    def start(**overrides: Any) -> BotRunner:
        settings = load_settings(home=tmp_path / "home", store=tmp_path / "store", telegram_token=TOKEN,
                                 telegram_base_url=server.base_url, **overrides)
        runner = BotRunner(build_application(settings, scripted), settings).start()
        runners.append(runner)
        return runner

    yield start
    for runner in runners:
        runner.stop()


def no_rejected_sends(server: FakeTelegramServer) -> bool:
    return all(c.status == 200 for c in server.calls if c.method == "sendMessage")


# --- questions and answers ------------------------------------------------------------------


def test_question_gets_cited_answer_with_buttons_and_typing(start_bot: Any, server: FakeTelegramServer,
                                                             scripted: ScriptedEngine) -> None:
    start_bot()
    asked = server.push_message(CHAT, "Who organised the letter?")
    [reply] = server.wait_for_messages(CHAT, 1)
    assert "Runnymede Trust [1]" in reply
    assert "<b>Sources</b>" in reply and "[1] <i>Met &lt;Police&gt; &amp; the letter</i> · Eastern Eye · 2025-01-16" in reply
    call = server.calls_to("sendMessage", chat_id=CHAT)[0]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_parameters"]["message_id"] == asked["message_id"]
    buttons = [b for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == ["📄 [1]", "👍", "👎"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    typing = server.calls_to("sendChatAction", chat_id=CHAT)
    assert typing and typing[0].params["action"] == "typing" and typing[0].at <= call.at
    assert server.calls_to("setMyCommands")

    server.push_message(CHAT, "Who leads it?")
    replies = server.wait_for_messages(CHAT, 2)
    assert "Shabna Begum" in replies[1]
    assert scripted.asked == [("Who organised the letter?", []), ("Who leads it?", ["Who organised the letter?"])]


def test_long_answer_is_split_and_every_piece_is_valid(start_bot: Any, server: FakeTelegramServer) -> None:
    start_bot()
    server.push_message(CHAT, "give me the long answer please")
    server.wait_for(lambda: any("reply_markup" in c.params for c in server.calls_to("sendMessage")), what="last piece")
    calls = server.calls_to("sendMessage", chat_id=CHAT)
    assert len(calls) >= 3
    assert all(len(c.params["text"]) <= 4096 for c in calls)
    assert no_rejected_sends(server)
    assert "reply_markup" in calls[-1].params and all("reply_markup" not in c.params for c in calls[:-1])
    assert "reply_parameters" in calls[0].params and "reply_parameters" not in calls[1].params
    for c in calls[:-1]:
        assert render.strip_tags(c.params["text"]).rstrip().endswith("[1].")
    assert "&lt;and&gt; others &amp; more" in calls[0].params["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   \u200b  ", "Please send your question as text"),
        ("😀🙏 ?!", "ask your question in words"),
        ("<b>bold</b> & <script>x</script> *md* [link](http://x) \x07", "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;"),
        ("Wer leitet die Organisation? 谁领导它？", "Wer leitet die Organisation? 谁领导它？"),
    ],
)
def test_bad_questions_get_a_clear_reply(start_bot: Any, server: FakeTelegramServer, text: str,
                                         expected: str) -> None:
    start_bot()
    server.push_message(CHAT, text)
    [reply] = server.wait_for_messages(CHAT, 1)
    assert expected in reply
    assert no_rejected_sends(server)


def test_huge_question_is_truncated_before_asking(start_bot: Any, server: FakeTelegramServer,
                                                  scripted: ScriptedEngine) -> None:
    start_bot()
    server.push_message(CHAT, "why " * 25_000)
    [reply] = server.wait_for_messages(CHAT, 1)
    assert "first 2,000 characters" in reply
    assert len(scripted.asked[0][0]) <= render.MAX_QUESTION_CHARS
    assert all(len(c.params["text"]) <= 4096 for c in server.calls_to("sendMessage"))


def test_non_text_message_and_unknown_command(start_bot: Any, server: FakeTelegramServer) -> None:
    start_bot()
    server.push_update({"message": {**server.make_message(CHAT, None), "sticker": {
        "file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
        "is_animated": False, "is_video": False}}})
    server.push_message(CHAT, "/nosuchcommand")
    replies = server.wait_for_messages(CHAT, 2)
    assert any("sent as text" in r for r in replies) and any("/help" in r for r in replies)


def test_engine_error_is_logged_answered_plainly_and_the_bot_goes_on(
    start_bot: Any, server: FakeTelegramServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    start_bot()
    server.push_message(CHAT, "boom")
    [reply] = server.wait_for_messages(CHAT, 1)
    assert reply == render.escape(handlers.ERROR_REPLY)
    assert "engine exploded" in caplog.text
    server.push_message(CHAT, "Who organised the letter?")
    assert "Runnymede" in server.wait_for_messages(CHAT, 2)[1]


def test_429_and_500_on_send_are_retried_and_the_reply_arrives_once(
    start_bot: Any, server: FakeTelegramServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    start_bot()
    server.fail_next("sendMessage", times=1, status=429, retry_after=1)
    server.fail_next("sendMessage", times=1, status=500)
    server.push_message(CHAT, "Who organised the letter?")
    server.wait_for_messages(CHAT, 1)
    time.sleep(0.5)
    attempts = server.calls_to("sendMessage", ok_only=False)
    assert [c.status for c in attempts] == [429, 500, 200]
    assert attempts[1].at - attempts[0].at >= 0.9  # waited retry_after
    assert len(server.texts(CHAT)) == 1
    assert "asked to wait 1.0 s" in caplog.text and "Network error on sendMessage" in caplog.text


def test_engine_runs_in_a_thread_so_other_chats_are_served_meanwhile(start_bot: Any,
                                                                     server: FakeTelegramServer) -> None:
    start_bot()
    server.push_message(CHAT, "a slow question")
    time.sleep(0.3)
    server.push_message(2002, "/help")
    server.wait_for_messages(2002, 1, timeout=10)
    assert not server.texts(CHAT), "help should arrive while the slow answer is still being worked on"
    server.wait_for_messages(CHAT, 1, timeout=10)


def test_rate_limit_gives_a_friendly_reply(start_bot: Any, server: FakeTelegramServer,
                                           scripted: ScriptedEngine) -> None:
    start_bot(rate_limit_per_minute=2)
    for i in range(3):
        server.push_message(CHAT, f"question number {i}")
        server.wait_for_messages(CHAT, i + 1)
    assert len(scripted.asked) == 2
    assert sum("faster than I can keep up" in t for t in server.texts(CHAT)) == 1


# --- groups ---------------------------------------------------------------------------------


def test_groups_answer_only_when_addressed(start_bot: Any, server: FakeTelegramServer,
                                           scripted: ScriptedEngine) -> None:
    start_bot()
    group = -5001
    server.push_message(group, "chatting about the letter", chat_type="group", user_id=7)
    mention = f"@{BOT_USERNAME}"
    server.push_message(group, f"{mention} who organised the letter?", chat_type="group", user_id=7,
                        entities=[{"type": "mention", "offset": 0, "length": len(mention)}])
    [first] = server.wait_for_messages(group, 1)
    assert "Runnymede" in first
    bot_message = server.calls_to("sendMessage", chat_id=group)[0]
    replied = server.messages[max(server.messages)]
    assert replied["chat"]["id"] == group and bot_message.params["text"] == replied["text"]
    server.push_message(group, "and who leads it?", chat_type="group", user_id=7, reply_to=replied)
    server.wait_for_messages(group, 2)
    server.push_message(group, f"/ask@{BOT_USERNAME} the letter again", chat_type="group", user_id=8)
    server.wait_for_messages(group, 3)
    assert [q for q, _ in scripted.asked] == ["who organised the letter?", "and who leads it?", "the letter again"]


# --- citations, feedback, commands -------------------------------------------------------------


def test_cite_button_and_command_show_the_marked_passage(start_bot: Any, server: FakeTelegramServer) -> None:
    start_bot()
    server.push_message(CHAT, "Who organised the letter?")
    server.wait_for_messages(CHAT, 1)
    answer_call = server.calls_to("sendMessage", chat_id=CHAT)[0]
    answer_msg = max(server.messages)
    data = answer_call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    server.push_callback(CHAT, data, answer_msg)
    passage = server.wait_for_messages(CHAT, 2)[1]
    assert "<u><b>have signed the letter which was coordinated by the Runnymede Trust</b></u>" in passage
    assert "Eastern Eye · Pramod Thomas · 2025-01-16" in passage
    assert "Tags like &lt;b&gt; &amp; entities like &amp;amp;" in passage
    assert server.calls_to("answerCallbackQuery")
    server.push_message(CHAT, "/cite 1")
    assert server.wait_for_messages(CHAT, 3)[2] == passage
    server.push_message(CHAT, "/cite 7")
    assert "citations 1" in server.wait_for_messages(CHAT, 4)[3]
    server.push_message(CHAT, "/cite")
    assert "Usage" in server.wait_for_messages(CHAT, 5)[4]
    # a button from another chat's answer reveals nothing
    server.push_callback(3003, data, answer_msg)
    server.wait_for(lambda: len(server.calls_to("answerCallbackQuery")) >= 2)
    assert not server.texts(3003)


def test_feedback_buttons_and_command_are_stored_and_exported(start_bot: Any, server: FakeTelegramServer,
                                                              tmp_path: Path) -> None:
    start_bot()
    server.push_message(CHAT, "Who organised the letter?")
    server.wait_for_messages(CHAT, 1)
    markup = server.calls_to("sendMessage", chat_id=CHAT)[0].params["reply_markup"]
    thumbs_down = markup["inline_keyboard"][-1][1]["callback_data"]
    server.push_callback(CHAT, thumbs_down, max(server.messages))
    edit = server.wait_for(lambda: server.calls_to("editMessageReplyMarkup"))[0]
    assert "Thanks" in json.dumps(edit.params["reply_markup"], ensure_ascii=False)
    server.push_message(CHAT, "/feedback the date in the answer looks off")
    server.wait_for_messages(CHAT, 2)
    server.push_message(CHAT, "Is there anything about the weather?")
    server.wait_for_messages(CHAT, 3)
    server.push_message(CHAT, "/feedback 👍 right to say so")
    assert "saved" in server.wait_for_messages(CHAT, 4)[3]

    out = io.StringIO()
    assert export_feedback(tmp_path / "store", out) == 3
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    for row in rows:
        assert {"id", "question", "history", "answerable", "answers", "evidence", "type"} <= row.keys()
        assert row["type"] == "feedback" and row["answers"] == [] and row["evidence"] == []
    assert [r["feedback"]["verdict"] for r in rows] == ["down", "comment", "up"]
    assert rows[0]["question"] == "Who organised the letter?" and "Runnymede" in rows[0]["feedback"]["bot_answer"]
    assert rows[1]["feedback"]["comment"] == "the date in the answer looks off"
    assert rows[2]["history"] == ["Who organised the letter?"] and rows[2]["answerable"] is False


def test_commands_help_sources_reset_brief(start_bot: Any, server: FakeTelegramServer,
                                           scripted: ScriptedEngine) -> None:
    start_bot()
    server.push_message(CHAT, "/start")
    assert "/cite N" in server.wait_for_messages(CHAT, 1)[0]
    server.push_message(CHAT, "/sources")
    assert "<b>Met &lt;Police&gt; &amp; the letter</b>" in server.wait_for_messages(CHAT, 2)[1]
    server.push_message(CHAT, "the letter?")
    server.wait_for_messages(CHAT, 3)
    server.push_message(CHAT, "/reset")
    assert "forgot" in server.wait_for_messages(CHAT, 4)[3]
    server.push_message(CHAT, "Who leads it?")
    server.wait_for_messages(CHAT, 5)
    assert scripted.asked[-1] == ("Who leads it?", [])
    server.push_message(CHAT, "/brief the <letter>")
    doc = server.wait_for(lambda: server.calls_to("sendDocument"))[0]
    name, content = doc.files["document"]
    assert name == "briefing-the-letter.html" and b"<h1>Briefing: the &lt;letter&gt;</h1>" in content
    brief_text = server.texts(CHAT)[5]
    assert brief_text.startswith("<b>Briefing: the &lt;letter&gt;</b>") and "• The letter" in brief_text
    assert doc.params["caption"] == "Briefing: the &lt;letter&gt;"
    server.push_message(CHAT, "/brief")
    assert "Usage" in server.wait_for_messages(CHAT, 7)[6]
    assert no_rejected_sends(server)


def test_webhook_without_configured_secret_uses_a_random_one(start_bot: Any, server: FakeTelegramServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    start_bot(webhook_url=url, webhook_port=port)
    secret = server.calls_to("setWebhook")[0].params["secret_token"]
    assert len(secret) >= 32
    update = server.next_update(message=server.make_message(CHAT, "Who organised the letter?"))
    assert server.post_webhook(url, update, None) == 403
    assert server.post_webhook(url, update, secret) == 200
    assert "Runnymede" in server.wait_for_messages(CHAT, 1)[0]
