"""A fake OpenAI-compatible chat completions server on 127.0.0.1 for offline tests.

``FakeOpenAIServer`` runs aiohttp in its own thread and answers ``POST /v1/chat/completions``
in the OpenAI response format from a queue of scripted replies. A reply is a string, or a
function of the request body returning one (so a test can cite whichever passage number the
prompt gave a text); it can also be delayed (to outlast the client's timeout) or be an HTTP
error. Every request is recorded with its headers and JSON body.

    with FakeOpenAIServer() as server:
        server.reply("The letter was signed by 26 groups [2].")
        server.reply("late", delay=5)
        server.fail(500)
        settings = settings.model_copy(update={"llm_base_url": server.base_url, "llm_model": "scripted"})
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.loopback import LoopbackServer

Reply = str | Callable[[dict[str, Any]], str]


@dataclass
class Received:
    """One request the client made."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    def message(self, role: str) -> str:
        """The text of the first message with ``role`` ("system", "user")."""
        for m in self.body.get("messages", []):
            if m.get("role") == role:
                content = m.get("content")
                if isinstance(content, list):
                    return "".join(part.get("text", "") for part in content if isinstance(part, dict))
                return str(content)
        raise KeyError(role)


@dataclass
class _Scripted:
    content: Reply | None
    delay: float = 0.0
    status: int = 200


class FakeOpenAIServer(LoopbackServer):
    """An OpenAI-compatible endpoint (``/v1/chat/completions``, ``/v1/models``) in a background thread."""

    label = "fake OpenAI server"
    runner_options = {"shutdown_timeout": 2.0}

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Received] = []
        self.errors: list[BaseException] = []  # exceptions raised by scripted reply functions
        self._script: deque[_Scripted] = deque()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closing: asyncio.Event | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # ------------------------------------------------------------------ script
    def reply(self, content: Reply, delay: float = 0.0) -> None:
        """Queue a completion whose message content is ``content`` (or ``content(request_body)``)."""
        with self._lock:
            self._script.append(_Scripted(content, delay))

    def fail(self, status: int = 500, delay: float = 0.0) -> None:
        """Queue an HTTP error response in OpenAI's error format."""
        with self._lock:
            self._script.append(_Scripted(None, delay, status))

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._script)

    # ------------------------------------------------------------------ lifecycle
    def build_app(self) -> web.Application:
        self._closing = asyncio.Event()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        return app

    def before_stop(self) -> None:
        if self._loop is not None and self._closing is not None:
            self._loop.call_soon_threadsafe(self._closing.set)  # wake delayed replies

    # ------------------------------------------------------------------ handlers
    async def _models(self, request: web.Request) -> web.Response:
        models = [{"id": "scripted", "object": "model", "owned_by": "tests"}]
        return web.json_response({"object": "list", "data": models})

    async def _chat(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return self._error(400, "request body is not JSON", "invalid_request_error")
        received = Received(request.path, dict(request.headers), body)
        with self._lock:
            self.requests.append(received)
            step = self._script.popleft() if self._script else None
        if step is None:
            return self._error(500, "no scripted reply left", "server_error")
        if step.delay and self._closing is not None:
            try:
                await asyncio.wait_for(self._closing.wait(), step.delay)
            except (asyncio.TimeoutError, TimeoutError):
                pass
        if step.status != 200:
            return self._error(step.status, "scripted failure", "server_error")
        try:
            content = step.content(body) if callable(step.content) else step.content
        except Exception as exc:  # a broken script is a test bug: keep it for the test to see
            self.errors.append(exc)
            return self._error(500, f"script failed: {exc!r}", "server_error")
        n = next(self._ids)
        prompt_words = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        completion_words = len(content.split())
        return web.json_response(
            {
                "id": f"chatcmpl-scripted-{n}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "scripted"),
                "system_fingerprint": "fp_scripted",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_words,
                    "completion_tokens": completion_words,
                    "total_tokens": prompt_words + completion_words,
                },
            }
        )

    @staticmethod
    def _error(status: int, message: str, kind: str) -> web.Response:
        return web.json_response({"error": {"message": message, "type": kind, "param": None, "code": None}},
                                 status=status)
