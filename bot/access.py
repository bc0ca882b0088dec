"""Who may use the bot (the allow list) and how often (a per-user rate limit)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable


class AllowList:
    """Chat ids allowed to use the bot; an empty list allows everyone."""

    def __init__(self, chat_ids: Iterable[int] = ()) -> None:
        self.chat_ids = frozenset(chat_ids)

    def allows(self, chat_id: int | None) -> bool:
        if chat_id is None:
            return False
        return not self.chat_ids or chat_id in self.chat_ids


class RateLimiter:
    """At most ``per_minute`` events per key in any sliding 60-second window."""

    WINDOW = 60.0

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self._clock = clock
        self._events: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: int) -> float:
        """Count an event for ``key``; returns 0 when allowed, else seconds until the next one is."""
        now = self._clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and now - events[0] >= self.WINDOW:
                events.popleft()
            if len(events) >= self.per_minute:
                return max(0.0, self.WINDOW - (now - events[0]))
            events.append(now)
            if len(self._events) > 10_000:  # forget idle users so memory stays bounded
                for k in [k for k, v in self._events.items() if not v or now - v[-1] >= self.WINDOW]:
                    del self._events[k]
            return 0.0

    @staticmethod
    def describe(wait: float) -> str:
        """A friendly wait time: "a few seconds", "12 seconds", "1 minute"."""
        secs = math.ceil(wait)
        if secs <= 3:
            return "a few seconds"
        if secs >= 60:
            return "a minute"
        return f"{secs} seconds"
