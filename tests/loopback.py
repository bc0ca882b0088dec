"""An aiohttp application served on 127.0.0.1 from a background thread: the base of the fake peers."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from aiohttp import web


class LoopbackServer:
    """Serve ``build_app()`` on a free loopback port until ``stop()``; usable as a context manager."""

    label = "fake server"
    runner_options: dict[str, Any] = {}

    def __init__(self) -> None:
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    def build_app(self) -> web.Application:
        """The routes to serve (called on the server's event loop)."""
        raise NotImplementedError

    def before_stop(self) -> None:
        """Called from the stopping thread while the loop still runs (wake delayed handlers)."""

    def start(self):
        ready = threading.Event()
        errors: list[BaseException] = []

        def main() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            try:
                loop.run_until_complete(self._serve())
            except BaseException as exc:  # reported to the starting thread
                errors.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup() if self._runner else asyncio.sleep(0))
            loop.close()

        self._thread = threading.Thread(target=main, name=self.label.replace(" ", "-"), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"the {self.label} did not start within 10 s")
        if errors:
            raise RuntimeError(f"the {self.label} failed to start: {errors[0]!r}") from errors[0]
        return self

    async def _serve(self) -> None:
        self._runner = web.AppRunner(self.build_app(), **self.runner_options)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self.before_stop()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
