"""Keep secrets (the bot token, the webhook secret) out of every log line.

The token is part of every Bot API URL, and httpx logs request URLs at INFO level, so the
redaction has to apply to records from any logger. :func:`install` wraps the log record factory
(every record, whichever logger or handler, is redacted when it is created) and also adds a
:class:`RedactingFilter` to the root logger's handlers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

REDACTED = "[REDACTED]"
# NOTE: shorter strings are too likely to occur by chance to be worth replacing.
_MIN_SECRET = 6

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def secret_variants(token: str) -> set[str]:
    """The token and its secret part after ``:`` (BotFather tokens are ``<bot id>:<secret>``)."""
    variants = {token}
    if ":" in token:
        variants.add(token.split(":", 1)[1])
    return {v for v in variants if len(v) >= _MIN_SECRET}


def redact(text: str) -> str:
    """Replace every known secret in ``text``."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact a record in place: its message (with arguments merged), exception and stack text."""
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: let the handler report it as usual
        message = None
    if message is not None:
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
    if record.exc_info and not record.exc_text:
        text = logging.Formatter().formatException(record.exc_info)
        if redact(text) != text:
            record.exc_text = redact(text)
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class RedactingFilter(logging.Filter):
    """A logging filter that redacts secrets; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install(secrets: Iterable[str | None]) -> None:
    """Redact these secrets from every log record from now on (idempotent, adds to earlier ones)."""
    global _installed
    with _lock:
        for secret in secrets:
            if secret:
                _secrets.update(secret_variants(secret))
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            return redact_record(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        root = logging.getLogger()
        for handler in root.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
        _installed = True
