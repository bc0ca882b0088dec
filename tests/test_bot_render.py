"""Rendering and splitting of Telegram HTML (bot/render.py): pure functions, no network."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import render
from retrieval.types import Answer, Citation, DocMeta
from telegram_server import telegram_html_error

TAGS = ["b", "i", "u", "s", "code", "blockquote", 'a href="https://example.org/?a=1&amp;b=&quot;2&quot;"']


def balanced(fragment: str) -> bool:
    """Every tag closed in order, nothing closed that was not open."""
    stack: list[str] = []
    for m in re.finditer(r"<(/?)([a-z-]+)[^>]*>", fragment):
        if m.group(1):
            if not stack or stack.pop() != m.group(2):
                return False
        else:
            stack.append(m.group(2))
    return not stack


def no_broken_entities(fragment: str) -> bool:
    """Every & starts a whole entity and every < starts a whole tag."""
    without_tags = re.sub(r"<[^<>]*>", "", fragment)
    return "<" not in without_tags and ">" not in without_tags and all(
        re.match(r"&(lt|gt|amp|quot|#\d+|#x[0-9A-F]+);", without_tags[m.start():]) for m in re.finditer("&", without_tags)
    )


text_st = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("<>&\"'. \n!?😀")),
    max_size=60,
)


@st.composite
def html_fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            name = tag.split()[0]
            parts.append(f"<{tag}>{draw(html_fragments(depth + 1))}</{name}>")
        elif draw(st.integers(0, 4)) == 0:
            parts.append(draw(st.sampled_from(["&quot;", "&#39;", "&#x1F600;", "&amp;amp;"])))
        else:
            parts.append(html.escape(draw(text_st), quote=False))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(fragment=html_fragments(), limit=st.integers(min_value=120, max_value=600))
def test_split_pieces_fit_balanced_and_keep_the_text(fragment: str, limit: int) -> None:
    pieces = render.split_html(fragment, limit)
    for piece in pieces:
        assert render.tg_len(piece) <= limit
        assert len(piece) <= limit
        assert balanced(piece), piece
        assert no_broken_entities(piece), piece
    assert "".join(render.strip_tags(p) for p in pieces) == render.strip_tags(fragment)
    assert all(telegram_html_error(p) is None for p in render.message_pieces(fragment, limit))


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefghij <>&", min_size=1, max_size=12), min_size=1, max_size=2500))
def test_long_plain_text_splits_under_telegram_limit(words: list[str]) -> None:
    fragment = render.escape(". ".join(words))
    pieces = render.message_pieces(fragment)
    assert all(len(p) <= render.MAX_MESSAGE for p in pieces)
    assert all(telegram_html_error(p) is None for p in pieces)


def test_splits_only_at_sentence_ends_when_it_can() -> None:
    sentences = [f"Sentence number {i} says something about <the> letter & the Trust." for i in range(400)]
    fragment = "<b>Answer</b>\n" + render.escape(" ".join(sentences))
    pieces = render.split_html(fragment)
    assert len(pieces) > 1
    for piece in pieces[:-1]:
        assert render.strip_tags(piece).rstrip().endswith("Trust."), piece[-80:]
    assert "".join(render.strip_tags(p) for p in pieces) == render.strip_tags(fragment)


def test_tags_are_closed_and_reopened_across_pieces() -> None:
    fragment = "<b><i>" + " ".join(["Word and more words."] * 50) + "</i></b>"
    pieces = render.split_html(fragment, limit=200)
    assert len(pieces) > 3
    for piece in pieces:
        assert piece.startswith("<b><i>") and piece.endswith("</i></b>")
        assert telegram_html_error(piece) is None


def test_a_sentence_longer_than_a_message_is_cut_at_spaces_then_anywhere() -> None:
    fragment = "x" * 30 + " " + "y" * 500
    pieces = render.split_html(fragment, limit=100)
    assert pieces[0] == "x" * 30 + " "
    assert all(len(p) <= 100 for p in pieces)
    assert "".join(pieces) == fragment


def test_entities_and_emoji_are_never_cut() -> None:
    fragment = "&amp;" * 100 + "😀" * 100
    pieces = render.split_html(fragment, limit=64)
    assert all(render.tg_len(p) <= 64 for p in pieces)
    assert all(no_broken_entities(p) for p in pieces)
    assert "".join(pieces) == fragment


def test_short_text_is_one_piece_and_blank_pieces_are_dropped() -> None:
    assert render.split_html("hello") == ["hello"]
    assert render.split_html("") == []
    assert render.message_pieces("<b> </b>") == []


def test_escape_user_and_document_text() -> None:
    assert render.escape("<b>x</b> & y > z") == "&lt;b&gt;x&lt;/b&gt; &amp; y &gt; z"
    assert render.escape("a\x00b\x07c\nd\ud800") == "abc\nd"
    assert render.escape_attr('say "hi"') == "say &quot;hi&quot;"


def _answer() -> Answer:
    cit = Citation(1, "a/b.txt", "Title <with> & tags", "The <Guardian>", "2025-01-16",
                   "quote & <stuff>", 10, 26, "p1")
    cit2 = Citation(2, "a/b.txt", "Title <with> & tags", "The <Guardian>", "2025-01-16", "other", 40, 45, "p2")
    cit3 = Citation(3, "c.txt", "Second", None, None, "third", 0, 5, "p3")
    return Answer("q?", "The Trust <script>alert(1)</script> & co [1][2]. More [3].", False, [cit, cit2, cit3],
                  notes=["sources disagree <on> dates", "resolved as: who leads the <Trust>?"])


def test_render_answer_escapes_everything_and_lists_sources() -> None:
    text = render.render_answer(_answer())
    assert telegram_html_error(text) is None
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert "[1][2] <i>Title &lt;with&gt; &amp; tags</i> · The &lt;Guardian&gt; · 2025-01-16" in text
    assert "[3] <i>Second</i>" in text
    assert "<i>Note: sources disagree &lt;on&gt; dates</i>" in text
    assert "<i>I read your question as: who leads the &lt;Trust&gt;?</i>" in text
    assert text.index("[1][2]. More [3].") < text.index("<b>Sources</b>")


def test_render_abstained_answer_has_no_source_list() -> None:
    text = render.render_answer(Answer("q", "The documents do not answer this question.", True, []))
    assert text == "The documents do not answer this question."


def test_render_passage_marks_the_quote_and_shows_metadata() -> None:
    passage = "Before the quote. Groups <and> people signed the letter & more. After it."
    quote = "signed the letter & more"
    start = 100 + passage.index(quote)
    cit = Citation(2, "news/x.txt", "T", "S", "2024-01-01", quote, start, start + len(quote), "p")
    meta = DocMeta("news/x.txt", "Real <title>", "Eastern Eye", "A. Writer", "2025-01-16", "news",
                   'https://example.org/"x"')
    text = render.render_passage(cit, passage, 100, meta)
    assert telegram_html_error(text) is None
    assert "<u><b>signed the letter &amp; more</b></u>" in text
    assert "Groups &lt;and&gt; people " in text
    assert "<b>[2] Real &lt;title&gt;</b>" in text
    assert "Eastern Eye · A. Writer · 2025-01-16" in text
    assert 'href="https://example.org/&quot;x&quot;"' in text


def test_render_passage_without_passage_shows_the_quote() -> None:
    cit = {"n": 1, "doc_id": "d.txt", "title": "T", "source": None, "date": None, "quote": "q <x>",
           "start": 0, "end": 5, "passage_id": "p"}
    text = render.render_passage(cit, None, None, None)
    assert "<u><b>q &lt;x&gt;</b></u>" in text
    assert telegram_html_error(text) is None


def test_render_sources() -> None:
    text = render.render_sources([DocMeta("a.txt", "A & B", "Src", None, "2024-02-02")])
    assert "1. <b>A &amp; B</b>" in text and "Src · 2024-02-02" in text and "<code>a.txt</code>" in text
    assert render.render_sources([]) == "No documents are indexed yet."


def test_html_to_telegram_keeps_only_telegram_tags() -> None:
    doc = ("<!doctype html><html><head><title>T</title><style>b{color:red}</style><script>x<y</script></head>"
           "<body><h1>Brief &amp; <em>title</em></h1><p>Para with <span class='x'>span</span> "
           "<a href='https://e.org/?a=1&b=2'>link</a> <a href='javascript:alert(1)'>bad</a> 1 &lt; 2</p>"
           "<ol><li>one</li><li>two <b>bold <i>both</b> still</i></li></ol><table><tr><td>c1</td><td>c2</td></tr>"
           "</table><pre><b>code</b> &amp; x</pre><ul><li><span class='when'>2025-01-16</span><i>Title</i></li>"
           "<li><span>Name</span><span>role</span>, more</li></ul></body></html>")
    out = render.html_to_telegram(doc)
    assert telegram_html_error(out) is None, out
    assert out.startswith("<b>Brief &amp; <i>title</i></b>")
    assert "color" not in out and "x&lt;y" not in out
    assert '<a href="https://e.org/?a=1&amp;b=2">link</a>' in out
    assert "javascript" not in out and "bad" in out
    assert "1 &lt; 2" in out
    assert "1. one" in out and "2. two" in out
    assert "<pre>code &amp; x</pre>" in out
    assert "• 2025-01-16 <i>Title</i>" in out and "• Name role, more" in out


def test_markdown_to_telegram() -> None:
    out = render.markdown_to_telegram("# Title <x>\n\n- **bold** and *it* & `code`\n")
    assert out == "<b>Title &lt;x&gt;</b>\n\n• <b>bold</b> and <i>it</i> &amp; <code>code</code>"
    assert telegram_html_error(out) is None


def test_clean_question() -> None:
    assert render.clean_question("  what\x00 is\t\n this?  ") == ("what is this?", False)
    long_q, shortened = render.clean_question("word " * 1000)
    assert shortened and len(long_q) <= render.MAX_QUESTION_CHARS and not long_q.endswith(" ")
    assert render.clean_question(None) == ("", False)
    assert render.clean_question("a\u200bb\u202ec") == ("abc", False)
    assert render.has_words("Wer leitet den Trust?")
    assert render.has_words("Кто?") and not render.has_words("😀🙏 ?!")
