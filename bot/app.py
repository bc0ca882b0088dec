"""Build and run the Telegram bot: ``build_application(settings, engine)`` and ``run(settings)``."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from telegram.ext import Application, ApplicationBuilder

from bot import logging_filter
from bot.handlers import Handlers, bot_commands
from bot.state import ChatStore
from citebot.errors import CitebotError

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_DEFAULT_SIGNALS: Any = object()  # PTB's own default: SIGINT, SIGTERM, SIGABRT


def _token(settings: Any) -> str:
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    if not token.strip():
        raise CitebotError(
            "No Telegram bot token: create a bot with @BotFather in Telegram, then set "
            "CITEBOT_TELEGRAM_TOKEN to the token it gives you (or put it in the settings file)."
        )
    return token.strip()


def webhook_secret(settings: Any) -> str:
    """The secret Telegram must send with every webhook request (a random one when unset)."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        return secrets.token_urlsafe(32)
    if not _SECRET_TOKEN_RE.fullmatch(secret):
        raise CitebotError(
            "CITEBOT_WEBHOOK_SECRET may only use letters, digits, _ and - (1 to 256 characters), "
            "as Telegram requires."
        )
    return secret


def build_application(settings: Any, engine: Any, store: ChatStore | None = None) -> Application:
    """A python-telegram-bot ``Application`` answering from ``engine``.

    Args:
        settings: the citebot :class:`~citebot.settings.Settings` (token, base URL, allow list,
            rate limit, store folder).
        engine: an opened :class:`retrieval.engine.Engine` (or an object with the same methods).
        store: the chat state; by default ``settings.store_dir / "chat.sqlite"``, closed when
            the application shuts down.

    Returns:
        The application, ready for :func:`serve` (or ``run_polling``/``run_webhook``).
    """
    token = _token(settings)
    logging_filter.install(
        [token, settings.webhook_secret.get_secret_value() if settings.webhook_secret else None]
    )
    owns_store = store is None
    store = store or ChatStore.for_settings(settings)

    async def post_init(app: Application) -> None:
        app.bot_data["loop"] = asyncio.get_running_loop()
        try:
            await app.bot.set_my_commands(bot_commands())
        except Exception as exc:  # the menu is a convenience: never block start-up on it
            log.warning("Could not set the command menu: %s", exc)
        log.info("Telegram bot @%s is ready", app.bot.username)

    async def post_shutdown(app: Application) -> None:
        if owns_store:
            store.close()

    builder = (
        ApplicationBuilder()
        .token(token)
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    base_url = (settings.telegram_base_url or "").strip()
    if base_url:
        builder = builder.base_url(base_url)
        if base_url.rstrip("/").endswith("/bot"):
            builder = builder.base_file_url(base_url.rstrip("/")[: -len("bot")] + "file/bot")
    app = builder.build()
    handlers = Handlers(settings, engine, store)
    handlers.register(app)
    app.bot_data["citebot"] = handlers
    return app


def serve(
    app: Application,
    settings: Any,
    *,
    stop_signals: Sequence[int] | None = _DEFAULT_SIGNALS,
    close_loop: bool = True,
    poll_timeout: float = 10.0,
) -> None:
    """Run the application until stopped: webhook mode when ``settings.webhook_url`` is set, else polling.

    ``stop_signals=None`` runs without signal handlers (e.g. in a thread); stop it then with
    ``app.bot_data["loop"].call_soon_threadsafe(app.stop_running)``.
    """
    kwargs: dict[str, Any] = {"close_loop": close_loop}
    if stop_signals is not _DEFAULT_SIGNALS:
        kwargs["stop_signals"] = stop_signals
    if settings.webhook_url:
        url = settings.webhook_url
        secret = webhook_secret(settings)
        logging_filter.install([secret])
        log.info("Listening for webhook updates on %s:%s (%s)", settings.webhook_listen, settings.webhook_port, url)
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(url).path.lstrip("/"),
            webhook_url=url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            **kwargs,
        )
    else:
        log.info("Polling Telegram for updates")
        app.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=int(poll_timeout), **kwargs)


def run(settings: Any) -> None:
    """``citebot telegram``: open the engine, then serve the bot until interrupted."""
    _token(settings)  # fail fast, before the slow engine start
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)
    from retrieval.engine import Engine

    engine = Engine.open(settings)
    try:
        app = build_application(settings, engine)
        serve(app, settings)
    finally:
        close = getattr(engine, "close", None)
        if close is not None:
            close()
