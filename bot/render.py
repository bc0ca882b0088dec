"""Telegram HTML rendering and message splitting: pure functions, no I/O.

Every piece of document or user text goes through :func:`escape` before it is put into a
message; :func:`split_html` cuts a rendered message into pieces Telegram accepts.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from typing import Any

# NOTE: Telegram's sendMessage text limit (https://core.telegram.org/bots/api#sendmessage),
# counted here in UTF-16 code units on the raw HTML, which is never less than what Telegram counts.
MAX_MESSAGE = 4096
# NOTE: sendDocument caption limit from the same page.
MAX_CAPTION = 1024
# NOTE: the reliability issue asks to truncate questions to about 2,000 characters before asking.
MAX_QUESTION_CHARS = 2000
MAX_HREF_CHARS = 512

_TOKEN_RE = re.compile(r"<[^<>]*>|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{0,31});|[\s\S]")
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
_TERMINAL = frozenset(".!?…")
_TRANSPARENT = frozenset("\"'”’»)]")
_CONTROL_KEEP = frozenset("\n\t")


# --- text helpers ---------------------------------------------------------------------


def tg_len(text: str) -> int:
    """Length in UTF-16 code units, the way Telegram counts message length."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def escape(text: object) -> str:
    """Escape any text for Telegram HTML (``<``, ``>``, ``&``) after removing invalid characters."""
    return html.escape(clean_text(str(text)), quote=False)


def escape_attr(text: str) -> str:
    """Escape an attribute value (also ``"``)."""
    return html.escape(clean_text(text), quote=True)


def clean_text(text: str) -> str:
    """Drop control characters (except newline and tab) and lone surrogates Telegram would reject."""
    if text.isprintable():
        return text
    return "".join(
        ch
        for ch in text
        if ch in _CONTROL_KEEP or not (unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029")
    )


def strip_tags(fragment: str) -> str:
    """The visible text of a Telegram HTML fragment (tags removed, entities decoded)."""
    return "".join(_visible(tok) for tok in _TOKEN_RE.findall(fragment))


def _visible(token: str) -> str:
    if token.startswith("<") and len(token) > 1:
        return ""
    if token.startswith("&") and len(token) > 1:
        return html.unescape(token)
    return token


def clean_question(text: str | None, limit: int = MAX_QUESTION_CHARS) -> tuple[str, bool]:
    """Normalise a user's question: no control characters, single spaces, at most ``limit`` chars.

    Returns the cleaned question and whether it was shortened.
    """
    cleaned = " ".join(clean_text(text or "").replace("\t", " ").split())
    # invisible format characters (bidi overrides, zero-width spaces) go; joiners shape words and emoji
    cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch) != "Cf" or ch in "\u200c\u200d")
    if len(cleaned) <= limit:
        return cleaned, False
    cut = cleaned[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(), True


def has_words(text: str) -> bool:
    """True when the text has at least one letter or digit (not only emoji or punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


# --- answers, sources, passages ---------------------------------------------------------


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _meta_line(source: str | None, date: str | None, author: str | None = None) -> str:
    parts = [escape(p) for p in (source, author, date) if p]
    return " · ".join(parts)


def render_answer(answer: Any) -> str:
    """The reply to a question: the cited answer, optional notes, then a compact source list."""
    body = escape(_field(answer, "answer", "") or "").strip() or "I could not find an answer in the documents."
    parts = [body]
    notes = [str(n) for n in (_field(answer, "notes") or []) if n]
    read_as = [n.split(":", 1)[1].strip() for n in notes if n.startswith("resolved as:")]
    others = [n for n in notes if not n.startswith("resolved as:")]
    if read_as:  # the engine's reading of a follow-up question, e.g. "Who leads the Runnymede Trust?"
        parts.append("<i>" + escape(f"I read your question as: {read_as[-1]}") + "</i>")
    if others:
        parts.append("<i>" + escape("Note: " + "; ".join(others)) + "</i>")
    sources = render_source_list(_field(answer, "citations") or [])
    if sources:
        parts.append(sources)
    return "\n\n".join(parts)


def render_source_list(citations: Sequence[Any]) -> str:
    """One line per cited document: ``[1][3] Title · source · date``."""
    by_doc: dict[str, list[Any]] = {}
    for cit in citations:
        by_doc.setdefault(str(_field(cit, "doc_id", "")), []).append(cit)
    if not by_doc:
        return ""
    lines = ["<b>Sources</b>"]
    for cits in by_doc.values():
        first = cits[0]
        marks = "".join(f"[{int(_field(c, 'n', 0))}]" for c in cits)
        title = _field(first, "title") or _field(first, "doc_id") or "untitled"
        meta = _meta_line(_field(first, "source"), _field(first, "date"))
        line = f"{marks} <i>{escape(title)}</i>"
        if meta:
            line += f" · {meta}"
        lines.append(line)
    return "\n".join(lines)


def render_sources(docs: Iterable[Any]) -> str:
    """The /sources reply: every indexed document with its metadata."""
    docs = list(docs)
    if not docs:
        return "No documents are indexed yet."
    lines = [f"<b>{len(docs)} documents</b>"]
    for i, doc in enumerate(docs, 1):
        title = _field(doc, "title") or _field(doc, "doc_id") or "untitled"
        meta = _meta_line(_field(doc, "source"), _field(doc, "date"), _field(doc, "author"))
        line = f"{i}. <b>{escape(title)}</b>"
        if meta:
            line += f"\n   {meta}"
        line += f"\n   <code>{escape(_field(doc, 'doc_id', ''))}</code>"
        lines.append(line)
    return "\n".join(lines)


# NOTE: context shown around a quote when the passage is long; keeps /cite replies to one message.
PASSAGE_CONTEXT_CHARS = 1200


def render_passage(
    citation: Any,
    passage_text: str | None = None,
    passage_start: int | None = None,
    meta: Any = None,
) -> str:
    """A cited passage with the quote marked (bold and underlined) and the document's metadata."""
    n = _field(citation, "n", "?")
    title = _field(meta, "title") if meta is not None else None
    title = title or _field(citation, "title") or _field(citation, "doc_id") or "untitled"
    source = (_field(meta, "source") if meta is not None else None) or _field(citation, "source")
    date = (_field(meta, "date") if meta is not None else None) or _field(citation, "date")
    author = _field(meta, "author") if meta is not None else None
    url = _field(meta, "url") if meta is not None else None
    quote = str(_field(citation, "quote", "") or "")

    lines = [f"<b>[{escape(n)}] {escape(title)}</b>"]
    meta_line = _meta_line(source, date, author)
    if meta_line:
        lines.append(meta_line)
    lines.append(f"<code>{escape(_field(citation, 'doc_id', ''))}</code>")
    if url and re.match(r"https?://", str(url)):
        lines.append(f'<a href="{escape_attr(str(url)[:MAX_HREF_CHARS])}">{escape(str(url)[:80])}</a>')

    text = passage_text or ""
    before, marked, after = _locate_quote(text, quote, _field(citation, "start"), passage_start)
    if marked is None:
        body = f"<u><b>{escape(quote)}</b></u>" if quote else escape(text)
        if text and quote:
            body += "\n\n" + escape(_trim(text, PASSAGE_CONTEXT_CHARS))
    else:
        before = _trim(before, PASSAGE_CONTEXT_CHARS // 2, keep_end=True)
        after = _trim(after, PASSAGE_CONTEXT_CHARS // 2)
        body = f"{escape(before)}<u><b>{escape(marked)}</b></u>{escape(after)}"
    lines.append("")
    lines.append(f"<blockquote>{body}</blockquote>")
    return "\n".join(lines)


def _locate_quote(
    text: str, quote: str, cit_start: Any, passage_start: int | None
) -> tuple[str, str | None, str]:
    """Split a passage into (before, quote, after); quote is None when it is not found."""
    if not text or not quote:
        return text, None, ""
    if isinstance(cit_start, int) and isinstance(passage_start, int):
        off = cit_start - passage_start
        if 0 <= off and text[off : off + len(quote)] == quote:
            return text[:off], quote, text[off + len(quote) :]
    idx = text.find(quote)
    if idx < 0:
        idx = text.lower().find(quote.lower())
    if idx < 0:
        return text, None, ""
    return text[:idx], text[idx : idx + len(quote)], text[idx + len(quote) :]


def _trim(text: str, limit: int, keep_end: bool = False) -> str:
    if len(text) <= limit:
        return text
    return "…" + text[-limit:] if keep_end else text[:limit] + "…"


# --- HTML from the engine (briefings) to Telegram's subset -----------------------------

_INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u", "s": "s",
           "strike": "s", "del": "s", "code": "code", "pre": "pre", "blockquote": "blockquote", "a": "a"}
_BLOCK_BREAK = {"p": "\n\n", "div": "\n", "section": "\n\n", "article": "\n\n", "header": "\n",
                "footer": "\n", "ul": "\n", "ol": "\n", "table": "\n", "tr": "\n", "dl": "\n",
                "dt": "\n", "dd": "\n", "hr": "\n", "br": "\n", "figure": "\n", "nav": "\n", "main": "\n"}
_SKIP = {"script", "style", "head", "title", "template", "noscript"}
_SPACED = {"span", "time", "cite", "small", "abbr", "label", "data"}


class _TelegramHTML(HTMLParser):
    """Turns arbitrary HTML into Telegram's tag subset; everything else becomes escaped text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []  # Telegram tags currently open
        self.skip = 0
        self.lists: list[list[int]] = []  # per open list: [counter, ordered?]
        self.space = False  # a styled span just ended: separate it from the next text (CSS did)

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(t in ("code", "pre") for t in self.stack):
            return  # Telegram allows nothing inside code/pre
        if self.space and self.out and not self.out[-1].endswith((" ", "\n")):
            self.out.append(" ")
        self.space = False
        if tag == "blockquote" and "blockquote" in self.stack:
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if not re.match(r"(https?|tg|mailto):", href):
                return
            self.out.append(f'<a href="{escape_attr(href[:MAX_HREF_CHARS])}">')
        else:
            self.out.append(f"<{tag}>")
        self.stack.append(tag)

    def _close(self, tag: str) -> None:
        if tag not in self.stack:
            return
        reopen = []
        while self.stack:
            top = self.stack.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break
            reopen.append(top)
        for t in reversed(reopen):
            self.out.append(f"<{t}>")
            self.stack.append(t)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif self.skip:
            return
        elif tag in _SPACED:
            return
        elif tag in _INLINE:
            self._open(_INLINE[tag], attrs)
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n")
            self._open("b", [])
        elif tag == "li":
            if self.lists and self.lists[-1][1]:
                self.lists[-1][0] += 1
                self.out.append(f"\n{self.lists[-1][0]}. ")
            else:
                self.out.append("\n• ")
        elif tag in ("ul", "ol"):
            self.lists.append([0, tag == "ol"])
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag in _BLOCK_BREAK:
            self.out.append(_BLOCK_BREAK[tag])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self.skip:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag in _SPACED:
            self.space = True
        elif tag in _INLINE:
            self._close(_INLINE[tag])
        elif re.fullmatch(r"h[1-6]", tag):
            self._close("b")
            self.out.append("\n")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.out.append("\n")
        elif tag in _BLOCK_BREAK:
            self.out.append(_BLOCK_BREAK[tag])

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if "pre" not in self.stack:
            data = re.sub(r"\s+", " ", data)
        if self.space and data[:1] not in ("", " ", ",", ".", ";", ":", ")") and self.out and not self.out[-1].endswith(
            (" ", "\n")
        ):
            self.out.append(" ")
        self.space = False
        self.out.append(escape(data))

    def result(self) -> str:
        self.close()
        while self.stack:
            self.out.append(f"</{self.stack.pop()}>")
        text = "".join(self.out)
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip()


def html_to_telegram(document: str) -> str:
    """Convert any HTML (e.g. a briefing's ``to_html()``) to balanced Telegram HTML."""
    parser = _TelegramHTML()
    parser.feed(document)
    return parser.result()


def markdown_to_telegram(markdown: str) -> str:
    """A small Markdown to Telegram HTML conversion: headings, bold, italics, bullets, code."""
    out = []
    for line in markdown.splitlines():
        heading = re.match(r"\s{0,3}#{1,6}\s+(.*)", line)
        bullet = re.match(r"(\s*)[-*+]\s+(.*)", line)
        if heading:
            out.append(f"<b>{_inline_md(heading.group(1).strip().rstrip('#').strip())}</b>")
        elif bullet:
            out.append(f"{bullet.group(1)}• {_inline_md(bullet.group(2))}")
        else:
            out.append(_inline_md(line))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _inline_md(text: str) -> str:
    text = escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<i>\1</i>", text)
    return text


# --- splitting --------------------------------------------------------------------------


def _tag_info(token: str) -> tuple[str, str] | None:
    """('open'|'close', name) for a tag token, None for text and entities."""
    if len(token) < 3 or token[0] != "<":
        return None
    m = _TAG_NAME_RE.match(token)
    if not m:
        return None
    return ("close" if m.group(1) else "open", m.group(2).lower())


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split Telegram HTML into pieces of at most ``limit`` UTF-16 units.

    Pieces end at paragraph or sentence boundaries where possible, then at spaces, and never
    inside a tag or an entity. Tags open at a cut are closed at the end of the piece and
    reopened at the start of the next, so every piece is balanced on its own. The visible text
    of the pieces, concatenated, is the visible text of the input.
    """
    if tg_len(text) <= limit:
        return [text] if text else []
    tokens: list[str] = _TOKEN_RE.findall(text)
    n = len(tokens)
    cum = [0] * (n + 1)  # cum[k]: length of tokens[:k]
    stacks: list[tuple[str, ...]] = [()] * (n + 1)  # open tags (full opening token) after tokens[:k]
    names: list[tuple[str, ...]] = [()] * (n + 1)
    quality = [0] * (n + 1)  # cut before tokens[k]: 2 sentence/line end, 1 space, 0 safe, -1 avoid
    kinds: list[str | None] = [None] * n
    stack: list[str] = []
    stack_names: list[str] = []
    terminal = False
    for k, tok in enumerate(tokens):
        cum[k + 1] = cum[k] + tg_len(tok)
        info = _tag_info(tok)
        q = 0
        if info is not None:
            kind, name = info
            kinds[k] = kind
            if kind == "open":
                stack.append(tok)
                stack_names.append(name)
            elif name in stack_names:
                i = len(stack_names) - 1 - stack_names[::-1].index(name)
                del stack[i:], stack_names[i:]
        elif len(tok) == 1:
            ch = tok
            if ch == "\n":
                q = 2
            elif ch.isspace():
                q = 2 if terminal else 1
            if ch in _TERMINAL:
                terminal = True
            elif ch not in _TRANSPARENT and not ch.isspace():
                terminal = False
            if k + 1 < n and len(tokens[k + 1]) == 1 and _joins(tokens[k + 1]) or ch == "\u200d":
                q = -1
        else:  # entity
            terminal = terminal and tok == "&quot;"
        stacks[k + 1] = tuple(stack)
        names[k + 1] = tuple(stack_names)
        quality[k + 1] = q
    close_len = [sum(len(nm) + 3 for nm in nms) for nms in names]

    pieces: list[str] = []
    start = 0
    while start < n:
        prefix = "".join(stacks[start])
        budget = limit - tg_len(prefix)
        end = start
        best = {2: -1, 1: -1, 0: -1}  # latest cut of at least that quality
        while end < n and cum[end + 1] - cum[start] + close_len[end + 1] <= budget:
            end += 1
            q = quality[end]
            if q >= 0:
                for level in range(q + 1):
                    best[level] = end
        if end == n:
            cut = n
        elif end == start:
            rest = "".join(tokens[start:])
            if "<" in rest or prefix:
                # the open tags alone nearly fill a message: send the rest without formatting
                pieces.extend(split_html(html.escape(strip_tags(rest), quote=False), limit))
                return pieces
            cut = start + 1  # a single entity longer than the limit: never loop forever
        else:
            # the latest sentence or paragraph end, else the latest space, else any safe cut
            cut = next((best[q] for q in (2, 1, 0) if best[q] > start), end)
            # an opening tag right before the cut belongs to the next piece
            while cut - 1 > start and kinds[cut - 1] == "open":
                cut -= 1
        # closing tags right after the cut belong to this piece (they always fit)
        while cut < n and kinds[cut] == "close":
            cut += 1
        body = "".join(tokens[start:cut])
        closing = "".join(f"</{nm}>" for nm in reversed(names[cut]))
        pieces.append(prefix + body + closing)
        start = cut
    return pieces


def _joins(ch: str) -> bool:
    """True for characters that attach to the previous one (combining marks, ZWJ, selectors)."""
    return ch == "\u200d" or "\ufe00" <= ch <= "\ufe0f" or unicodedata.category(ch) in ("Mn", "Me", "Sk")


def message_pieces(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """:func:`split_html` without pieces that show nothing (Telegram rejects empty messages)."""
    return [p for p in split_html(text, limit) if strip_tags(p).strip()]
