"""Telegram update handlers: questions, citations, commands, feedback, access and errors."""

from __future__ import annotations

import asyncio
import logging
import re
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from typing import Any, TypeVar

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import render
from bot.access import AllowList, RateLimiter
from bot.state import ChatStore
from citebot.errors import CitebotError

log = logging.getLogger(__name__)
T = TypeVar("T")

# NOTE: a typing indicator lasts 5 s (Bot API sendChatAction docs); renew it a little sooner.
TYPING_EVERY = 4.0
# NOTE: generous bound for one engine call (retrieval is ~0.1 s, an optional LLM up to llm_timeout).
ENGINE_TIMEOUT = 120.0
SEND_ATTEMPTS = 5
# NOTE: never wait longer than this for a 429's retry_after; Telegram's usual values are seconds.
MAX_RETRY_AFTER = 120.0
CITATION_BUTTONS = 10
BUTTONS_PER_ROW = 5

COMMANDS = [
    ("ask", "Ask a question about the documents"),
    ("cite", "Show cited passage N of the last answer"),
    ("sources", "List the documents I answer from"),
    ("brief", "A briefing on a topic: /brief TOPIC"),
    ("reset", "Forget this chat's earlier questions"),
    ("feedback", "Tell us how the last answer was"),
    ("help", "How to use this bot"),
]

HELP = (
    "I answer questions from a fixed collection of documents and quote the passages I used.\n\n"
    "Just send a question. Follow-up questions use this chat's earlier questions; /reset forgets them. "
    "Ask \"source?\" for where an answer is from, \"more?\" for more, \"who's who?\" or \"timeline?\" "
    "on a topic.\n"
    "In groups, mention me, reply to me, or use /ask QUESTION.\n\n"
    "/cite N shows the passage behind citation [N] of my last answer (or tap its button).\n"
    "/sources lists the documents. /brief TOPIC writes a briefing with citations.\n"
    "/feedback TEXT, or the 👍 / 👎 buttons, tell the maintainers how an answer was."
)
REFUSAL = (
    "Sorry, this bot is private and is not available in this chat. "
    "If you think you should have access, please ask the person who runs it."
)
ERROR_REPLY = "Sorry, something went wrong on my side while handling that. Please try again in a moment."


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds (PTB 22 gives int or timedelta depending on PTB_TIMEDELTA)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def call_with_retry(make_call: Callable[[], Awaitable[T]], what: str, attempts: int = SEND_ATTEMPTS) -> T:
    """Run a Bot API call, retrying on 429 (waiting retry_after) and network errors (backoff).

    A bad request is not retried. The last error is logged and raised, never silently lost.
    """
    backoff = 0.5
    for attempt in range(1, attempts + 1):
        try:
            return await make_call()
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            if attempt == attempts or wait > MAX_RETRY_AFTER:
                log.error("Giving up on %s after %d attempts: flood control (%s)", what, attempt, exc)
                raise
            log.warning("Telegram asked to wait %.1f s before %s (attempt %d of %d)", wait, what, attempt, attempts)
            await asyncio.sleep(wait)
        except BadRequest:
            raise
        except NetworkError as exc:  # TimedOut and 5xx answers; a timed-out send may rarely arrive twice
            if attempt == attempts:
                log.error("Giving up on %s after %d attempts: %s", what, attempt, exc)
                raise
            log.warning("Network error on %s (attempt %d of %d): %s; retrying in %.1f s",
                        what, attempt, attempts, exc, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 8.0)
    raise AssertionError("unreachable")


async def send_html(
    bot: Any,
    chat_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
    thread_id: int | None = None,
) -> list[Message]:
    """Send Telegram HTML, split into messages of at most 4,096 characters.

    The buttons go on the last message, the reply reference on the first. If Telegram rejects
    the HTML of a piece, that piece is sent again as plain text.
    """
    pieces = render.message_pieces(text) or ["…"]
    sent: list[Message] = []
    for i, piece in enumerate(pieces):
        markup = reply_markup if i == len(pieces) - 1 else None
        reply = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True) if reply_to and i == 0 else None
        common = {"chat_id": chat_id, "reply_markup": markup, "reply_parameters": reply, "message_thread_id": thread_id}
        try:
            message = await call_with_retry(
                lambda: bot.send_message(text=piece, parse_mode=ParseMode.HTML, **common),
                f"sendMessage to chat {chat_id}",
            )
        except BadRequest as exc:
            log.warning("Telegram rejected a message to chat %s (%s); sending it as plain text", chat_id, exc)
            plain = render.strip_tags(piece)[: render.MAX_MESSAGE]
            message = await call_with_retry(
                lambda: bot.send_message(text=plain, **common), f"plain sendMessage to chat {chat_id}"
            )
        sent.append(message)
    return sent


@asynccontextmanager
async def typing(bot: Any, chat_id: int, thread_id: int | None = None) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the block ends."""

    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING, message_thread_id=thread_id)
            except TelegramError as exc:  # cosmetic: never let it disturb the answer
                log.debug("typing indicator failed in chat %s: %s", chat_id, exc)
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def _citation_dict(citation: Any) -> dict[str, Any]:
    if isinstance(citation, dict):
        return dict(citation)
    if hasattr(citation, "to_dict"):
        return citation.to_dict()
    return dict(vars(citation))


def answer_keyboard(answer_id: int, citations: Sequence[dict[str, Any]], feedback: bool = True) -> InlineKeyboardMarkup:
    """Buttons under an answer: one per citation, then 👍 / 👎.

    Callback data is ``c:<answer id>:<n>`` or ``f:<answer id>:up|down``: far below Telegram's
    64-byte limit whatever the citations hold (they stay in the chat store).
    """
    numbers = sorted({int(c["n"]) for c in citations})[:CITATION_BUTTONS]
    buttons = [InlineKeyboardButton(f"📄 [{n}]", callback_data=f"c:{answer_id}:{n}") for n in numbers]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    if feedback:
        rows.append(
            [
                InlineKeyboardButton("👍", callback_data=f"f:{answer_id}:up"),
                InlineKeyboardButton("👎", callback_data=f"f:{answer_id}:down"),
            ]
        )
    else:
        rows.append([InlineKeyboardButton("✓ Thanks for the feedback", callback_data="noop")])
    return InlineKeyboardMarkup(rows)


_FEEDBACK_WORDS = {
    "up": ("👍", "+", "good", "great", "correct", "right", "yes", "helpful", "thanks"),
    "down": ("👎", "-", "bad", "wrong", "incorrect", "no", "useless", "unhelpful"),
}


def feedback_verdict(text: str) -> str:
    """``up``, ``down`` or ``comment`` from a /feedback text."""
    first = text.strip().split(maxsplit=1)[0].lower().strip(".,!:") if text.strip() else ""
    for verdict, words in _FEEDBACK_WORDS.items():
        if first in words or any(text.strip().startswith(w) for w in words if not w.isalpha()):
            return verdict
    return "comment"


class Handlers:
    """All of the bot's handlers, sharing the engine, the chat store and the access rules."""

    def __init__(self, settings: Any, engine: Any, store: ChatStore) -> None:
        self.settings = settings
        self.engine = engine
        self.store = store
        self.allow = AllowList(settings.allowed_chat_ids)
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        self._chat_locks: dict[int, asyncio.Lock] = {}

    def register(self, app: Application) -> None:
        """Add every handler to the application."""
        app.add_handler(TypeHandler(Update, self.gate), group=-1)
        private = filters.ChatType.PRIVATE
        new_message = filters.UpdateType.MESSAGE
        app.add_handler(CommandHandler(["start", "help"], self.help, filters=new_message))
        app.add_handler(CommandHandler("ask", self.ask_command, filters=new_message))
        app.add_handler(CommandHandler("cite", self.cite_command, filters=new_message))
        app.add_handler(CommandHandler("sources", self.sources, filters=new_message))
        app.add_handler(CommandHandler("brief", self.brief, filters=new_message))
        app.add_handler(CommandHandler("reset", self.reset, filters=new_message))
        app.add_handler(CommandHandler("feedback", self.feedback_command, filters=new_message))
        app.add_handler(CallbackQueryHandler(self.cite_button, pattern=r"^c:\d+:\d+$"))
        app.add_handler(CallbackQueryHandler(self.feedback_button, pattern=r"^f:\d+:(up|down)$"))
        app.add_handler(CallbackQueryHandler(self.other_button))
        app.add_handler(MessageHandler(new_message & filters.TEXT & ~filters.COMMAND, self.on_text))
        app.add_handler(MessageHandler(new_message & private & filters.COMMAND, self.unknown_command))
        app.add_handler(
            MessageHandler(new_message & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.not_text)
        )
        app.add_error_handler(self.on_error)

    # --- plumbing ---------------------------------------------------------------------------

    async def reply(self, update: Update, text: str, **kwargs: Any) -> list[Message]:
        """Send HTML to the update's chat (as a reply to its message when there is one)."""
        chat = update.effective_chat
        assert chat is not None
        message = update.effective_message
        return await send_html(
            update.get_bot(),
            chat.id,
            text,
            reply_to=kwargs.pop("reply_to", message.message_id if message else None),
            thread_id=message.message_thread_id if message and message.is_topic_message else None,
            **kwargs,
        )

    def _lock(self, chat_id: int) -> asyncio.Lock:
        return self._chat_locks.setdefault(chat_id, asyncio.Lock())

    async def _engine(self, func: Callable[..., T], *args: Any) -> T:
        """Run an engine call in a worker thread so the bot stays responsive."""
        return await asyncio.wait_for(asyncio.to_thread(func, *args), timeout=ENGINE_TIMEOUT)

    def _rate_limited(self, update: Update) -> float:
        user = update.effective_user
        chat = update.effective_chat
        key = user.id if user else (chat.id if chat else 0)
        return self.limiter.hit(key)

    # --- access -----------------------------------------------------------------------------

    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stop updates from chats outside the allow list; refuse each such chat once, politely."""
        chat = update.effective_chat
        if chat is not None and self.allow.allows(chat.id):
            return
        if update.callback_query is not None:
            with suppress(TelegramError):
                await update.callback_query.answer("Sorry, this bot is private.")
        elif chat is not None and update.message is not None and self.store.mark_refused(chat.id):
            log.info("Refused chat %s (not on the allow list)", chat.id)
            with suppress(TelegramError):
                await self.reply(update, render.escape(REFUSAL))
        raise ApplicationHandlerStop

    # --- questions --------------------------------------------------------------------------

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A plain message: a question in private chats; in groups only when addressed."""
        message = update.message
        chat = update.effective_chat
        if message is None or chat is None:
            return
        text = message.text or ""
        if chat.type != ChatType.PRIVATE:
            addressed, text = self._addressed(message, context.bot)
            if not addressed:
                return
        await self.answer_question(update, text)

    @staticmethod
    def _addressed(message: Message, bot: Any) -> tuple[bool, str]:
        """Whether a group message is meant for the bot, and its text without the mention."""
        text = message.text or ""
        addressed = False
        username = (bot.username or "").lower()
        entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
        for entity, value in entities.items():
            if (entity.type == MessageEntity.MENTION and value.lower() == f"@{username}") or (
                entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id
            ):
                addressed = True
                text = text.replace(value, " ")
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            addressed = True
        return addressed, text

    async def ask_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/ask QUESTION (or /ask in reply to a message: asks that message's text)."""
        message = update.message
        if message is None:
            return
        parts = (message.text or "").split(maxsplit=1)
        text = parts[1] if len(parts) > 1 else ""
        if not text.strip() and message.reply_to_message is not None:
            text = message.reply_to_message.text or message.reply_to_message.caption or ""
        if not text.strip():
            await self.reply(update, "Usage: <code>/ask QUESTION</code>, e.g. <code>/ask Who wrote the letter?</code>")
            return
        await self.answer_question(update, text)

    async def answer_question(self, update: Update, raw: str) -> None:
        """Clean the question, ask the engine with the chat's history, reply with citations."""
        chat = update.effective_chat
        assert chat is not None
        question, shortened = render.clean_question(raw)
        if not question:
            await self.reply(update, "Please send your question as text, for example: <i>Who coordinated the open letter?</i>")
            return
        if not render.has_words(question):
            await self.reply(update, "I search the documents for words, so please ask your question in words.")
            return
        wait = self._rate_limited(update)
        if wait:
            await self.reply(
                update,
                "You're asking faster than I can keep up with. "
                f"Please try again in {RateLimiter.describe(wait)}.",
            )
            return
        log.info("Question in chat %s (%d characters)", chat.id, len(question))
        async with self._lock(chat.id):
            history = self.store.history(chat.id)
            try:
                async with typing(update.get_bot(), chat.id):
                    answer = await self._engine(self.engine.ask, question, history)
            except asyncio.TimeoutError:
                log.error("engine.ask timed out after %.0f s in chat %s", ENGINE_TIMEOUT, chat.id)
                await self.reply(update, "Sorry, that took too long to answer. Please try again, perhaps more briefly.")
                return
            except CitebotError as exc:
                await self.reply(update, render.escape(str(exc)))
                return
            self.store.add_question(chat.id, question)
            citations = [_citation_dict(c) for c in answer.citations]
            answer_id = self.store.save_answer(chat.id, question, history, answer.answer, answer.abstained, citations)
        text = render.render_answer(answer)
        if shortened:
            text = (
                f"<i>Your message was long, so I used its first {render.MAX_QUESTION_CHARS:,} characters.</i>\n\n"
                + text
            )
        sent = await self.reply(update, text, reply_markup=answer_keyboard(answer_id, citations))
        if sent:
            self.store.set_answer_message(answer_id, sent[-1].message_id)

    # --- citations --------------------------------------------------------------------------

    async def cite_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/cite N: the passage behind citation [N] of this chat's last answer."""
        chat = update.effective_chat
        assert chat is not None
        args = context.args or []
        number = args[0].strip("[]") if args else ""
        if not number.isdigit():
            await self.reply(update, "Usage: <code>/cite N</code>, where N is a citation number like the 1 in [1].")
            return
        last = self.store.last_answer(chat.id)
        if last is None:
            await self.reply(update, "There is no answer to cite yet: ask a question first.")
            return
        citation = last.citation(int(number))
        if citation is None:
            numbers = ", ".join(str(c["n"]) for c in last.citations)
            msg = f"My last answer has citations {numbers}." if numbers else "My last answer has no citations."
            await self.reply(update, render.escape(msg))
            return
        await self.show_passage(update, citation)

    async def cite_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A citation button under an answer."""
        query = update.callback_query
        chat = update.effective_chat
        assert query is not None and chat is not None
        _, answer_id, n = (query.data or "").split(":")
        stored = self.store.answer(int(answer_id), chat_id=chat.id)
        citation = stored.citation(int(n)) if stored else None
        await call_with_retry(lambda: query.answer(None if citation else "That answer is no longer available."),
                              "answerCallbackQuery")
        if citation is not None:
            await self.show_passage(update, citation)

    async def show_passage(self, update: Update, citation: dict[str, Any]) -> None:
        """Send the cited passage with the quote marked and the document's metadata."""
        passage = None
        if citation.get("passage_id"):
            try:
                passage = await self._engine(self.engine.passage, citation["passage_id"])
            except Exception as exc:  # a missing passage still leaves the quote to show
                log.warning("engine.passage(%r) failed: %s", citation["passage_id"], exc)
        meta, text, start = None, None, None
        try:
            document = await self._engine(self.engine.document, citation["doc_id"])
            meta = getattr(document, "meta", None)
        except Exception as exc:
            document = None
            log.warning("engine.document(%r) failed: %s", citation.get("doc_id"), exc)
        if passage is not None:
            text, start = passage.text, passage.start
        elif document is not None and isinstance(citation.get("start"), int):
            start = max(0, citation["start"] - 300)
            text = document.text[start : citation.get("end", citation["start"]) + 300]
        await self.reply(update, render.render_passage(citation, text, start, meta))

    # --- feedback ---------------------------------------------------------------------------

    async def feedback_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """👍 / 👎 under an answer: store the verdict with the question and the answer."""
        query = update.callback_query
        chat = update.effective_chat
        assert query is not None and chat is not None
        _, answer_id, verdict = (query.data or "").split(":")
        stored = self.store.answer(int(answer_id), chat_id=chat.id)
        if stored is None:
            await call_with_retry(lambda: query.answer("That answer is no longer available."), "answerCallbackQuery")
            return
        user = update.effective_user
        self.store.add_feedback(chat.id, verdict, stored, user_id=user.id if user else None)
        await call_with_retry(lambda: query.answer("Thanks for the feedback!"), "answerCallbackQuery")
        try:
            await call_with_retry(
                lambda: query.edit_message_reply_markup(answer_keyboard(stored.id, stored.citations, feedback=False)),
                "editMessageReplyMarkup",
            )
        except BadRequest as exc:  # e.g. "message is not modified": the feedback is stored anyway
            log.debug("could not update buttons: %s", exc)

    async def other_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other button (e.g. the "thanks" one): just acknowledge it."""
        query = update.callback_query
        if query is not None:
            with suppress(TelegramError):
                await query.answer()

    async def feedback_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/feedback TEXT about the chat's last answer (👍/good or 👎/bad count as verdicts)."""
        chat = update.effective_chat
        message = update.message
        assert chat is not None and message is not None
        parts = (message.text or "").split(maxsplit=1)
        text = render.clean_question(parts[1] if len(parts) > 1 else "")[0]
        if not text:
            await self.reply(update, "Usage: <code>/feedback TEXT</code>, e.g. <code>/feedback wrong date</code>, "
                                     "or use the 👍 / 👎 buttons under an answer.")
            return
        last = self.store.last_answer(chat.id)
        user = update.effective_user
        self.store.add_feedback(chat.id, feedback_verdict(text), last, user_id=user.id if user else None, comment=text)
        await self.reply(update, "Thanks, your feedback is saved" + (" with my last answer." if last else "."))

    # --- other commands ---------------------------------------------------------------------

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start and /help (with the chat's id, for CITEBOT_ALLOWED_CHATS)."""
        chat = update.effective_chat
        chat_id = f"\n\nThis chat's id is <code>{chat.id}</code>." if chat else ""
        await self.reply(update, render.escape(HELP) + chat_id)

    async def reset(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/reset: forget this chat's conversation."""
        chat = update.effective_chat
        assert chat is not None
        async with self._lock(chat.id):
            count = self.store.reset(chat.id)
        await self.reply(update, f"Done: I forgot this chat's earlier questions ({count}). The next question starts afresh.")

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sources: the indexed documents."""
        docs = await self._engine(self.engine.sources)
        await self.reply(update, render.render_sources(docs))

    async def brief(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/brief TOPIC: the briefing as messages, and as an HTML document."""
        chat = update.effective_chat
        message = update.message
        assert chat is not None and message is not None
        parts = (message.text or "").split(maxsplit=1)
        topic, _ = render.clean_question(parts[1] if len(parts) > 1 else "", limit=200)
        if not topic or not render.has_words(topic):
            await self.reply(update, "Usage: <code>/brief TOPIC</code>, e.g. <code>/brief the Casey review</code>")
            return
        wait = self._rate_limited(update)
        if wait:
            await self.reply(update, f"Please wait {RateLimiter.describe(wait)} before asking for another briefing.")
            return
        try:
            async with typing(update.get_bot(), chat.id):
                briefing = await self._engine(self.engine.brief, topic)
                html_doc = await asyncio.to_thread(briefing.to_html)
        except asyncio.TimeoutError:
            await self.reply(update, "Sorry, the briefing took too long. Please try a narrower topic.")
            return
        except CitebotError as exc:
            await self.reply(update, render.escape(str(exc)))
            return
        text = render.html_to_telegram(html_doc)
        if not render.strip_tags(text).strip():
            text = render.markdown_to_telegram(briefing.to_markdown())
        await self.reply(update, text)
        slug = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")[:40] or "briefing"
        data = html_doc.encode("utf-8")
        caption = f"Briefing: {render.escape(topic)}"[: render.MAX_CAPTION]
        await call_with_retry(
            lambda: update.get_bot().send_document(
                chat_id=chat.id,
                document=data,
                filename=f"briefing-{slug}.html",
                caption=caption,
                parse_mode=ParseMode.HTML,
            ),
            f"sendDocument to chat {chat.id}",
        )

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command this bot does not have (private chats)."""
        await self.reply(update, "I don't know that command. /help lists what I can do.")

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A sticker, photo, voice note… in a private chat."""
        await self.reply(update, "I can only answer questions sent as text. Please type your question.")

    # --- errors -----------------------------------------------------------------------------

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log any error (the token is redacted by the logging filter) and tell the user plainly."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Error while handling update %s: %s", update_id, error, exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        if update.callback_query is not None:
            with suppress(TelegramError):
                await update.callback_query.answer("Sorry, something went wrong.")
        try:
            await send_html(update.get_bot(), update.effective_chat.id, render.escape(ERROR_REPLY))
        except Exception as exc:
            log.error("Could not tell chat %s about the error: %s", update.effective_chat.id, exc)


def bot_commands() -> list[BotCommand]:
    """The command menu shown by Telegram clients."""
    return [BotCommand(name, description) for name, description in COMMANDS]
