"""Errors that carry a message meant for the user."""


class CitebotError(Exception):
    """An error whose message is shown to the user as it is (no traceback)."""


class StoreBusyError(CitebotError):
    """Another process holds the store's write lock."""


class DocumentError(CitebotError):
    """A document could not be read; the message says why."""
