"""Read .txt, .md, .html and .pdf files into raw text plus metadata hints."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from citebot.errors import DocumentError

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


@dataclass
class RawDocument:
    """Extracted text before cleaning, and what the file format says about it."""

    text: str
    hints: dict[str, str] = field(default_factory=dict)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text (tab, newlines and form feed do).
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
BINARY_SHARE = 0.02  # NOTE: text has ~0 such characters; any binary format has far more than 2%


def decode_bytes(data: bytes) -> str:
    """Text from bytes: a Unicode BOM, else UTF-8, else the detected encoding, else cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:8192]:
        raise DocumentError("binary file (contains NUL bytes), not text")
    text = _decode_8bit(data)
    sample = text[:100_000]
    if len(_BINARY_CHARS.findall(sample)) > max(8, BINARY_SHARE * len(sample)):
        raise DocumentError("binary file or broken encoding (control characters), not text")
    return text


def _decode_8bit(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes: keep the valid characters rather than re-reading every one
    # of them as mojibake in a guessed single-byte encoding.
    lenient = data.decode("utf-8-sig", errors="replace")
    broken = lenient.count("\ufffd") - data.count("\ufffd".encode())
    valid_multibyte = len(lenient) - len(lenient.encode("ascii", "ignore")) - lenient.count("\ufffd")
    if valid_multibyte > broken:
        return lenient
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best)
    except ImportError:  # pragma: no cover - optional dependency
        pass
    return data.decode("cp1252", errors="replace")


def _read_text(data: bytes) -> RawDocument:
    return RawDocument(decode_bytes(data))


_MD_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S))|((?<=\S)[*_](?!\w))")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)


def _read_markdown(data: bytes) -> RawDocument:
    text = decode_bytes(data)
    hints: dict[str, str] = {}
    front = _MD_FRONT.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            if value.strip() and key.strip().lower() in {"title", "date", "author", "source", "kind", "url"}:
                hints[key.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end() :]
    heading = re.search(r"^\s{0,3}#\s+(.+)$", text, re.MULTILINE)
    if heading and "title" not in hints:
        hints["title"] = heading.group(1).strip()
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_EMPHASIS.sub("", text)
    return RawDocument(text, hints)


_BLOCK_TAGS = (
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol blockquote pre table tr td th dt dd "
    "figcaption figure address header footer nav aside hr title"
).split()
_DROP_TAGS = "script style noscript template svg iframe form nav header footer aside button select input".split()
_FURNITURE = re.compile(
    r"cookie|consent|gdpr|\bnav|menu|sidebar|footer|header|share|social|related|recommend|advert|\bads?\b|"
    r"promo|newsletter|subscribe|breadcrumb|comment|popup|modal|banner|skip",
    re.IGNORECASE,
)


def _read_html(data: bytes) -> RawDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_bytes(data), "lxml")
    hints: dict[str, str] = {}

    def meta(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            if tag and tag.get("content"):
                return str(tag["content"]).strip()
        return None

    title = meta("og:title", "twitter:title") or (soup.title.get_text(strip=True) if soup.title else None)
    if not title and soup.h1:
        title = soup.h1.get_text(" ", strip=True)
    found = {
        "title": title,
        "date": meta("article:published_time", "datePublished", "date", "dc.date", "pubdate"),
        "author": meta("author", "article:author", "dc.creator"),
        "source": meta("og:site_name", "publisher"),
        "url": meta("og:url"),
    }
    time_tag = soup.find("time", attrs={"datetime": True})
    if not found["date"] and time_tag:
        found["date"] = str(time_tag["datetime"])
    hints = {k: v for k, v in found.items() if v}

    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body", "main", "article"):
            continue
        attrs = " ".join([tag.get("id") or "", " ".join(tag.get("class") or []), tag.get("role") or ""])
        if attrs.strip() and _FURNITURE.search(attrs):
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = root.get_text("")
    # Inside a paragraph HTML whitespace is not significant: collapse it, keep paragraph breaks.
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return RawDocument("\n\n".join(p for p in paragraphs if p), hints)


def _read_pdf(data: bytes) -> RawDocument:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError("encrypted PDF (a password is needed)")
            except DocumentError:
                raise
            except Exception as exc:
                raise DocumentError(f"encrypted PDF that cannot be opened ({exc})") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError) as exc:
        raise DocumentError(f"unreadable or truncated PDF ({exc.__class__.__name__}: {exc})") from exc
    hints: dict[str, str] = {}
    if getattr(info, "title", None):
        hints["title"] = str(info.title)
    if getattr(info, "author", None):
        hints["author"] = str(info.author)
    created = getattr(info, "creation_date", None) if info else None
    if created is not None:
        hints["date"] = created.date().isoformat()
    # Join words hyphenated across line ends ("recom-\nmendation").
    text = "\n\n".join(re.sub(r"(\w)-\n(\w)", r"\1\2", page) for page in pages)
    return RawDocument(text, hints)


_READERS = {
    ".txt": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
}


def check_size(size: int, max_bytes: int) -> None:
    """Raise DocumentError when a file of ``size`` bytes is over the limit."""
    if size > max_bytes:
        raise DocumentError(f"file too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:g} MB limit)")


def read_document(path: Path, max_bytes: int) -> RawDocument:
    """Raw text of the file at ``path``; raises DocumentError with the reason when unreadable."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(f"unsupported file type {path.suffix or '(none)'}")
    try:
        check_size(path.stat().st_size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise DocumentError("empty file")
    raw = reader(data)
    if not raw.text.strip():
        raise DocumentError("no text could be extracted")
    return raw
