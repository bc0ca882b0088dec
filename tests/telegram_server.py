"""A fake Telegram Bot API server on 127.0.0.1 for offline tests, plus helpers to drive the bot.

``FakeTelegramServer`` runs aiohttp in its own thread. A real python-telegram-bot ``Application``
talks to it through ``base_url=server.base_url`` (PTB calls ``{base_url}{token}/{method}``).
It records every call, serves queued updates to long-polling ``getUpdates``, can fail the next
calls of a method (429 with ``retry_after``, 500), and checks message HTML the way Telegram
does (tags, entities, balance, 4,096-character limit), answering 400 like Telegram when not.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.loopback import LoopbackServer

TOKEN = "123456789:AAHfakeTokenForTests_abcdefghijklmnopq"
BOT_ID = 123456789
BOT_USERNAME = "citebot_test_bot"

# Parameters PTB sends JSON-encoded (everything that is not a plain string).
_JSON_PARAMS = {"reply_markup", "reply_parameters", "link_preview_options", "allowed_updates", "commands",
                "entities", "caption_entities", "scope", "offset", "limit", "timeout", "chat_id",
                "message_id", "show_alert", "max_connections", "drop_pending_updates", "message_thread_id",
                "disable_notification", "protect_content", "cache_time"}


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    status: int = 200
    at: float = field(default_factory=time.monotonic)


# --- Telegram's HTML check (https://core.telegram.org/bots/api#html-style) ------------------

_ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
                 "code", "pre", "blockquote", "tg-emoji"}
_HTML_TOKEN = re.compile(r"<[^<>]*>|&[^;\s<>&]*;|[<>&]|[^<>&]+")


def telegram_html_error(text: str) -> str | None:
    """Why Telegram would reject this HTML message text, or None when it would accept it."""
    stack: list[str] = []
    visible = []
    for tok in _HTML_TOKEN.findall(text):
        if tok.startswith("<") and len(tok) > 1:
            m = re.fullmatch(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>", tok)
            if not m:
                return f"can't parse entities: bad tag {tok!r}"
            closing, name = m.group(1), m.group(2).lower()
            if name not in _ALLOWED_TAGS:
                return f"can't parse entities: Unsupported start tag \"{name}\""
            if closing:
                if not stack or stack[-1] != name:
                    return f"can't parse entities: Unmatched end tag \"{name}\""
                stack.pop()
            else:
                stack.append(name)
        elif tok.startswith("&") and len(tok) > 1:
            if not re.fullmatch(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);", tok):
                return f"can't parse entities: Unsupported HTML entity {tok!r}"
            visible.append(html.unescape(tok))
        elif tok in ("<", ">", "&"):
            return f"can't parse entities: unescaped {tok!r}"
        else:
            visible.append(tok)
    if stack:
        return f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
    shown = "".join(visible).strip()
    if not shown:
        return "message text is empty"
    if len(shown.encode("utf-16-le")) // 2 > 4096:
        return "message is too long"
    return None


class FakeTelegramServer(LoopbackServer):
    """A Bot API server for one bot token, in a background thread."""

    label = "fake Telegram server"

    def __init__(self, token: str = TOKEN, bot_id: int = BOT_ID, username: str = BOT_USERNAME) -> None:
        super().__init__()
        self.token = token
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": "Citebot", "username": username,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False}
        self.calls: list[Call] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, int]]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._cond = threading.Condition()
        self.webhook: dict[str, Any] = {}

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        return app

    # --- what the tests do ----------------------------------------------------------------

    def fail_next(self, method: str, times: int = 1, status: int = 429, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (429 or e.g. 500)."""
        with self._cond:
            self._failures.setdefault(method, []).extend([(status, retry_after)] * times)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (an ``update_id`` is added) for getUpdates."""
        with self._cond:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def make_message(self, chat_id: int, text: str, user_id: int | None = None, chat_type: str = "private",
                     reply_to: dict[str, Any] | None = None, entities: list[dict[str, Any]] | None = None,
                     **extra: Any) -> dict[str, Any]:
        """A user's message as Telegram would send it."""
        user_id = user_id if user_id is not None else abs(chat_id)
        chat = self._chat(chat_id, chat_type)
        msg: dict[str, Any] = {"message_id": next(self._ids), "date": int(time.time()), "chat": chat,
                               "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}}
        if text is not None:
            msg["text"] = text
        if text and text.startswith("/") and entities is None:
            command = text.split()[0]
            entities = [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]
        if entities:
            msg["entities"] = entities
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        msg.update(extra)
        return msg

    def push_message(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a user's text message; returns the message."""
        message = self.make_message(chat_id, text, **kwargs)
        self.push_update({"message": message})
        return message

    def push_callback(self, chat_id: int, data: str, message_id: int, user_id: int | None = None) -> dict[str, Any]:
        """Queue a press on an inline button of the bot's message ``message_id``."""
        message = self.messages.get(message_id) or {
            "message_id": message_id, "date": int(time.time()), "chat": self._chat(chat_id, "private"),
            "from": self.bot_user, "text": "…"}
        user_id = user_id if user_id is not None else abs(chat_id)
        query = {"id": str(next(self._ids)), "from": {"id": user_id, "is_bot": False, "first_name": "U"},
                 "message": message, "chat_instance": f"ci{chat_id}", "data": data}
        self.push_update({"callback_query": query})
        return query

    def calls_to(self, method: str, ok_only: bool = True, **match: Any) -> list[Call]:
        """Recorded calls of a method (successful ones by default) whose params match."""
        with self._cond:
            calls = list(self.calls)
        return [c for c in calls if c.method == method and (c.status == 200 or not ok_only)
                and all(c.params.get(k) == v for k, v in match.items())]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of the messages the bot sent (successfully), in order."""
        calls = self.calls_to("sendMessage") if chat_id is None else self.calls_to("sendMessage", chat_id=chat_id)
        return [c.params["text"] for c in calls]

    def wait_for(self, condition: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
        """Wait until ``condition()`` is truthy (re-checked on every call); returns its value."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = condition()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    methods = [(c.method, c.status) for c in self.calls][-15:]
                    raise AssertionError(f"timed out waiting for {what}; last calls: {methods}")
                self._cond.wait(min(left, 0.1))

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 20.0) -> list[str]:
        """Wait until the bot sent at least ``count`` messages to the chat; returns their texts."""
        return self.wait_for(lambda: len(self.texts(chat_id)) >= count and self.texts(chat_id),
                             timeout, f"{count} messages to chat {chat_id}")

    def post_webhook(self, url: str, update: dict[str, Any], secret: str | None) -> int:
        """POST an update to the bot's webhook as Telegram would; returns the HTTP status."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def next_update(self, **fields: Any) -> dict[str, Any]:
        """An update with a fresh ``update_id`` (not queued: for webhook tests)."""
        return {"update_id": next(self._update_ids), **fields}

    # --- the server side ------------------------------------------------------------------

    def _chat(self, chat_id: int, chat_type: str = "private") -> dict[str, Any]:
        if chat_id not in self._chats:
            chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
            if chat_type == "private":
                chat["first_name"] = f"User{chat_id}"
            else:
                chat["title"] = f"Group {chat_id}"
            self._chats[chat_id] = chat
        return self._chats[chat_id]

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                elif key in _JSON_PARAMS:
                    try:
                        params[key] = json.loads(value)
                    except (TypeError, ValueError):
                        params[key] = value
                else:
                    params[key] = value
        with self._cond:
            pending = self._failures.get(method)
            failure = pending.pop(0) if pending else None
        if failure is not None:
            status, retry_after = failure
            self._record(Call(method, params, files, status))
            body: dict[str, Any] = {"ok": False, "error_code": status}
            if status == 429:
                body["description"] = f"Too Many Requests: retry after {retry_after}"
                body["parameters"] = {"retry_after": retry_after}
            else:
                body["description"] = "Internal Server Error"
            return web.json_response(body, status=status)
        if method == "getUpdates":
            result = await self._get_updates(params)
            self._record(Call(method, params, files))
            return web.json_response({"ok": True, "result": result})
        try:
            result = self._result(method, params, files)
        except _BadRequest as exc:
            self._record(Call(method, params, files, 400))
            return web.json_response({"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"},
                                     status=400)
        self._record(Call(method, params, files))
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                if offset:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates[: int(params.get("limit") or 100)])
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        msg = {"message_id": next(self._ids), "date": int(time.time()), "chat": self._chat(chat_id),
               "from": self.bot_user, **content}
        if isinstance(params.get("reply_markup"), dict):
            msg["reply_markup"] = params["reply_markup"]
        self.messages[msg["message_id"]] = msg
        return msg

    def _result(self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        if method == "getMe":
            return self.bot_user
        if method == "sendMessage":
            text = params.get("text", "")
            if params.get("parse_mode") == "HTML":
                error = telegram_html_error(text)
            else:
                error = "message text is empty" if not text.strip() else (
                    "message is too long" if len(text.encode("utf-16-le")) // 2 > 4096 else None)
            if error:
                raise _BadRequest(error)
            return self._message(params, text=text)
        if method == "sendDocument":
            name, _ = files.get("document", ("document", b""))
            return self._message(params, document={"file_id": f"f{len(self.calls)}", "file_unique_id": "u",
                                                   "file_name": name}, caption=params.get("caption"))
        if method in ("editMessageReplyMarkup", "editMessageText"):
            msg = self.messages.get(int(params.get("message_id", 0)))
            if msg is None:
                raise _BadRequest("message to edit not found")
            if "reply_markup" in params:
                msg["reply_markup"] = params["reply_markup"]
            if "text" in params:
                msg["text"] = params["text"]
            return msg
        if method == "setWebhook":
            self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
            return True
        if method == "deleteWebhook":
            self.webhook = {}
            return True
        if method == "getWebhookInfo":
            return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}
        if method in ("sendChatAction", "answerCallbackQuery", "setMyCommands", "deleteMyCommands", "close",
                      "logOut"):
            return True
        raise _BadRequest(f"method {method} is not implemented by the fake server")


class _BadRequest(Exception):
    pass


class BotRunner:
    """Runs ``bot.app.serve`` (polling or webhook, as in production) in a thread, and stops it."""

    def __init__(self, app: Any, settings: Any) -> None:
        self.app = app
        self.settings = settings
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self, timeout: float = 20.0) -> BotRunner:
        from bot.app import serve

        def main() -> None:
            try:
                serve(self.app, self.settings, stop_signals=None, poll_timeout=1)
            except BaseException as exc:
                self.error = exc

        self.thread = threading.Thread(target=main, name="citebot-telegram", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.app.running:
            if self.error is not None or not self.thread.is_alive():
                raise RuntimeError(f"the bot did not start: {self.error!r}")
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not start in time")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 20.0) -> None:
        if self.thread is None:
            return
        loop = self.app.bot_data.get("loop")
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.app.stop_running)
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise TimeoutError("the bot did not stop in time")
        self.thread = None
        if self.error is not None:
            raise self.error

    def __enter__(self) -> BotRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- a scripted engine with the Engine interface, for tests that need control over answers ------


class ScriptedEngine:
    """Same methods as ``retrieval.engine.Engine`` over two tiny documents, with scripted answers.

    ``ask`` records ``(question, history)`` in ``asked``. Questions mentioning "letter" cite the
    Runnymede Trust; "who leads it" after such a question cites Shabna Begum; "boom" raises;
    "long answer" returns a reply of many sentences; anything else abstains.
    """

    LETTER = ("A group of 26 racial justice organisations wrote to the commissioner. Groups such as Inquest and "
              "StopWatch have signed the letter which was coordinated by the Runnymede Trust. Dr Shabna Begum, "
              "the interim co-chief executive of the Runnymede Trust, was quoted as saying by the newspaper. "
              "Tags like <b> & entities like &amp; must be shown as text.")

    def __init__(self) -> None:
        from retrieval.types import DocMeta, Document, Passage

        self.asked: list[tuple[str, list[str]]] = []
        self.meta = {
            "letter.txt": DocMeta("letter.txt", "Met <Police> & the letter", "Eastern Eye", "Pramod Thomas",
                                  "2025-01-16", "news", "https://example.org/letter"),
        }
        self.docs = {"letter.txt": Document(self.meta["letter.txt"], self.LETTER, "hash")}
        self.passages = {"p1": Passage("p1", "letter.txt", 0, len(self.LETTER), self.LETTER)}
        self._lock = threading.Lock()

    def _cite(self, n: int, quote: str) -> Any:
        from retrieval.types import Citation

        start = self.LETTER.index(quote)
        meta = self.meta["letter.txt"]
        return Citation(n, "letter.txt", meta.title, meta.source, meta.date, quote, start, start + len(quote), "p1")

    def ask(self, question: str, history: Any = ()) -> Any:
        from retrieval.types import Answer

        history = list(history)
        with self._lock:
            self.asked.append((question, history))
        q = question.lower()
        if "boom" in q:
            raise RuntimeError("engine exploded")
        if "long answer" in q:
            sentence = "The letter was coordinated by the Runnymede Trust <and> others & more [1]. "
            return Answer(question, sentence * 150, False,
                          [self._cite(1, "have signed the letter which was coordinated by the Runnymede Trust")])
        if "letter" in q or "organised" in q:
            quote = "have signed the letter which was coordinated by the Runnymede Trust"
            return Answer(question, "The letter was coordinated by the Runnymede Trust [1].", False,
                          [self._cite(1, quote)])
        if "who leads it" in q and any("letter" in h.lower() for h in history):
            quote = "Dr Shabna Begum, the interim co-chief executive of the Runnymede Trust"
            return Answer(question, "Dr Shabna Begum is the interim co-chief executive [1].", False,
                          [self._cite(1, quote)])
        if "slow" in q:
            time.sleep(2.0)
        return Answer(question, f"The documents do not answer this question: {question}", True, [])

    def brief(self, topic: str) -> Any:
        engine = self

        class Briefing:
            def to_markdown(self) -> str:
                return f"# Briefing: {topic}\n\n- The letter was coordinated by the Runnymede Trust [1]."

            def to_html(self) -> str:
                return (f"<!doctype html><html><head><title>x</title><style>p{{}}</style></head><body>"
                        f"<h1>Briefing: {html.escape(topic)}</h1><h2>Key points</h2><ul>"
                        f"<li>The letter was coordinated by the <strong>Runnymede Trust</strong> [1].</li></ul>"
                        f"<p>Source: {html.escape(engine.meta['letter.txt'].title)}</p></body></html>")

        return Briefing()

    def sources(self) -> list[Any]:
        return list(self.meta.values())

    def passage(self, passage_id: str) -> Any:
        return self.passages.get(passage_id)

    def document(self, doc_id: str) -> Any:
        return self.docs[doc_id]

    def close(self) -> None:
        pass
