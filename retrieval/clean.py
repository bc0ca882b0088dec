"""Remove web-page boilerplate from extracted text, keeping the article verbatim.

General rules, not a list of lines: navigation menus, cookie banners, share/related blocks,
hashtags, photo credits and teaser headlines look alike across news sites. The kept
paragraphs are copied unchanged (hard-wrapped lines are joined with a space), so quotes
taken from the cleaned text are quotes from the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A paragraph that ends a sentence: terminal punctuation, optionally closed by quotes or brackets.
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
_BULLET = re.compile(r"^\s*[•·▪►▸‣◦*\-–]\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
_DATELINE = re.compile(
    r"^\W*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|"
    r"july|august|september|october|november|december)\s+(?:\d{1,2},?\s+)?(?:19|20)\d{2}\W*$|^\W*\d{1,2}/\d{1,2}/(?:19|20)\d{2}\b",
    re.IGNORECASE,
)

# Lines after which the rest of a page is page furniture (when they come late in the page).
_TAIL_MARKERS = re.compile(
    r"^(related (stories|articles|posts|content|news|topics)|you (may|might) also like|more (from|on) .{0,40}|"
    r"read (more|next)|recommended( for you| stories)?|source link|primary sidebar|footer|"
    r"share this( article| story| post)?|most (read|popular)|trending( now)?|latest (news|stories)|"
    r"comments?|leave a (comment|reply)|about the author|sign up .{0,40}newsletter.*|newsletter)\s*:?$",
    re.IGNORECASE,
)
# An organisation's address and registration in a page's footer: facts of their own, kept after the furniture
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")  # a UK postcode ("London N1 9JP")
CONTACT_LINE = re.compile(
    POSTCODE.pattern + r"|"
    r"\b(?i:registered charity|charity (?:no|number|reg)|company (?:registration|reg|no|number)|"
    r"registered (?:in|office)|(?:tel|telephone|phone)\s*:?\s*[+\d(])"
)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_COOKIE_CONTEXT = re.compile(
    r"consent|accept|preferences|browser|website|settings|gdpr|opt[- ]?out|third[- ]party|analytics",
    re.IGNORECASE,
)
_SKIP_LINK = re.compile(r"^skip to\b", re.IGNORECASE)
_CREDIT_NAMES = r"(?:getty images|reuters|afp|pa media|pa wire|shutterstock|alamy|ap photo|epa)"
_CREDIT = re.compile(
    rf"^(?:{_CREDIT_NAMES}|bloomberg)\b|{_CREDIT_NAMES}\s*$|"
    r"^(photo|image|picture|pictures|credit|photograph)s?\s*(:|by\b|credit\b)",
    re.IGNORECASE,
)
_READ_META = re.compile(
    r"^\d[\d,.]*\s+(views?|shares?|comments?)\b|\b\d+\s+min(ute)?s?\s+read\b", re.IGNORECASE
)
_BREADCRUMB = re.compile(r"^(home|start)\s*[/>»›|]", re.IGNORECASE)
_TAGS = re.compile(r"^(tags?|categories|category|filed under|topics)\s*:", re.IGNORECASE)
_UI_WORDS = frozenset(
    "share tweet print email e-mail advertisement advert sponsored menu search subscribe sign in log "
    "login register show hide close open toggle navigation go to mobile version back top next previous "
    "accept all reject settings manage consent cookie save & and more skip".split()
)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the source: ``text`` with hard-wrapped lines joined."""

    text: str


def split_paragraphs(raw: str) -> list[str]:
    """Paragraphs of ``raw``: blank-line blocks, each line its own paragraph unless hard-wrapped."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", raw.replace("\r\n", "\n").replace("\r", "\n")):
        current = ""
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            # A wrapped line continues a sentence: the previous line is unterminated and this one
            # starts in lower case (or the previous ended with a hyphenless mid-phrase comma).
            if current and not _TERMINAL.search(current) and (line[:1].islower() or current.endswith(",")):
                current = f"{current} {line}"
            else:
                if current:
                    paragraphs.append(current)
                current = line
        if current:
            paragraphs.append(current)
    return paragraphs


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_prose(text: str) -> bool:
    """A paragraph of running text rather than a label, heading or menu item."""
    n = len(_words(text))
    return n >= 12 or (n >= 5 and bool(_TERMINAL.search(text)))


def _is_ui(text: str) -> bool:
    words = [w.lower() for w in _words(text)]
    return 0 < len(words) <= 4 and all(w in _UI_WORDS for w in words)


def _is_hashtags(text: str) -> bool:
    tokens = text.split()
    tags = sum(1 for t in tokens if t.startswith("#") and len(t) > 1)
    return tags >= 2 and tags >= 0.6 * len(tokens)


_CREDIT_EDGES = re.compile(rf"^\s*{_CREDIT_NAMES}\s*|\s*{_CREDIT_NAMES}\s*$", re.IGNORECASE)


def _credit_line(text: str) -> bool:
    """A short paragraph holding a photo credit ("Getty Images", "Photo: ...")."""
    return bool(_CREDIT.search(text)) and len(text) < 300


def _caption(text: str) -> str | None:
    """A photo caption inside its credits ("Getty Images Protestors in Hackney holding a banner
    stating: ...Getty Images"): the caption alone, which can say what the article does not."""
    if not _credit_line(text):
        return None
    inner = _CREDIT_EDGES.sub("", text)
    return inner if inner != text and len(_words(inner)) >= 8 else None


def is_boilerplate(text: str) -> bool:
    """True for a paragraph that is page furniture wherever it stands."""
    if _BULLET.match(text) and len(_words(text)) <= 10 and not _TERMINAL.search(text) and not _DATELINE.search(text):
        return True  # a menu item; "• Thursday, January 16, 2025" is the page's dateline and stays
    if _SKIP_LINK.match(text) or _BREADCRUMB.match(text) or _TAGS.match(text):
        return True
    if _COOKIE.search(text) and _COOKIE_CONTEXT.search(text):
        return True
    if _is_hashtags(text) or _is_ui(text) or _READ_META.search(text):
        return True
    return _credit_line(text)


def clean_paragraphs(raw: str) -> list[str]:
    """The article paragraphs of ``raw``, boilerplate removed, in order, verbatim."""
    paragraphs = split_paragraphs(raw)
    total = len(paragraphs)
    kept: list[str] = []
    seen: set[str] = set()
    contact = None
    for i, text in enumerate(paragraphs):
        late = i >= max(3, int(total * 0.3))
        if late and (_TAIL_MARKERS.match(text) or (_COOKIE.search(text) and _COOKIE_CONTEXT.search(text))):
            contact = _contact_block(paragraphs[i + 1 :])
            break
        caption = _caption(text)
        if caption:
            text = caption
        elif is_boilerplate(text):
            continue
        key = " ".join(text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        kept.append(text)
    kept = _drop_trailing_teasers(_drop_branding(kept))
    return kept + [contact] if contact and " ".join(contact.lower().split()) not in seen else kept


def _contact_block(tail: list[str]) -> str | None:
    """The footer lines giving an address or a registration ("2nd Floor, 200a Pentonville Road, London
    N1 9JP", "Registered Charity No 1056043"), as one paragraph of lines; None when there are none."""
    lines = [p for p in tail if len(p) <= 120 and CONTACT_LINE.search(p) and not _COOKIE.search(p)]
    return "\n".join(lines[:4]) or None


def _drop_branding(paragraphs: list[str]) -> list[str]:
    """Short labels repeated before the article starts (site name as logo and heading)."""
    first_prose = next((i for i, p in enumerate(paragraphs) if is_prose(p)), len(paragraphs))
    head = paragraphs[:first_prose]
    if len(head) <= 2:
        return paragraphs
    # Keep the last two head paragraphs (title, byline); older ones before them are branding
    # only when they are short labels without sentence punctuation.
    keep_head = [p for p in head[:-2] if is_prose(p) or len(_words(p)) > 12] + head[-2:]
    return keep_head + paragraphs[first_prose:]


def _drop_trailing_teasers(paragraphs: list[str]) -> list[str]:
    """Headlines of other stories after the article's last sentence."""
    end = len(paragraphs)
    while end > 0:
        p = paragraphs[end - 1]
        n = len(_words(p))
        # A headline: 7-30 words, no closing punctuation, not a quotation.
        if _TERMINAL.search(p) or n < 7 or n > 30 or p[:1] in "‘“\"'«":
            break
        end -= 1
    # Only drop when what stays is an article with sentences of its own.
    if end < len(paragraphs) and any(_TERMINAL.search(p) for p in paragraphs[:end]):
        return paragraphs[:end]
    return paragraphs


def clean_text(raw: str) -> str:
    """Cleaned document text: article paragraphs separated by blank lines."""
    return "\n\n".join(clean_paragraphs(raw))
