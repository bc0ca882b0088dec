"""Staff briefings over the bundled corpus, with the real engine (no fakes)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from retrieval.brief import build_briefing
from retrieval.brief_render import NOT_COVERED
from retrieval.brief_timeline import find_date
from retrieval.briefing import Briefing

NEW_MET = "the criticism of the New Met for London plan"
VOID = {"meta", "br", "hr", "img", "link", "input", "wbr"}


@pytest.fixture(scope="module")
def new_met(engine) -> Briefing:
    return build_briefing(engine, NEW_MET)


@pytest.fixture(scope="module")
def letter(engine) -> Briefing:
    return build_briefing(engine, "the campaigners' letter")


def _section(markdown: str, title: str) -> str:
    """The body of one ``## title`` section of a Markdown briefing."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert m, f"no section {title!r}"
    return m.group(1)


def _check_citations(briefing: Briefing, engine) -> None:
    """Every quote is the document's text at its offsets, inside its passage, numbered 1..n."""
    assert [c.n for c in briefing.citations] == list(range(1, len(briefing.citations) + 1))
    for c in briefing.citations:
        doc = engine.document(c.doc_id)
        assert c.quote and doc.text[c.start : c.end] == c.quote
        assert (c.title, c.source, c.date) == (doc.meta.title, doc.meta.source, doc.meta.date)
        passage = engine.passage(c.passage_id)
        assert passage is not None and passage.doc_id == c.doc_id and passage.start <= c.start < passage.end


def test_key_points_are_cited_verbatim_sentences(new_met: Briefing, engine) -> None:
    assert new_met.covered and 3 <= len(new_met.points) <= 8
    _check_citations(new_met, engine)
    for point in new_met.points:
        assert point.cites and not point.text.endswith(":")
        first = new_met.citation(point.cites[0])
        assert point.text == " ".join(first.quote.split())  # the point is the quote itself
    texts = " ".join(p.text for p in new_met.points)
    assert "New Met for London" in texts


def test_markdown_markers_resolve_and_sections_read_in_order(new_met: Briefing) -> None:
    md = new_met.to_markdown()
    assert md.startswith(f"# Briefing: {NEW_MET}\n")
    order = [md.index(f"## {s}") for s in ("Summary", "Where sources differ", "Timeline",
                                           "People and organisations", "Sources", "Quotes")]
    assert order == sorted(order)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", md)}
    assert markers == set(range(1, len(new_met.citations) + 1))
    summary = [line for line in _section(md, "Summary").splitlines() if line.strip()]
    assert len(summary) == len(new_met.points)
    assert all(re.search(r"(\[\d+\])+$", line) for line in summary)
    quotes = _section(md, "Quotes")
    for c in new_met.citations:
        assert f"**[{c.n}]** “{' '.join(c.quote.split())}”" in quotes
    assert "Runnymede Trust" in md


def test_timeline_is_sorted_dated_and_cited(new_met: Briefing) -> None:
    keys = [e.key for e in new_met.timeline]
    assert keys and keys == sorted(keys)
    assert any(e.key[0] == 2023 for e in new_met.timeline)
    published = {e.iso for e in new_met.timeline if e.kind == "published"}
    assert "2023-07-30" in published
    march = next(e for e in new_met.timeline if e.when == "March 2023")
    assert march.iso == "2023-03" and "March 2023" in new_met.citation(march.cites[0]).quote
    assert all(e.cites for e in new_met.timeline)


def test_people_and_organisations_have_roles_from_the_text(new_met: Briefing) -> None:
    begum = next(e for e in new_met.people if "Shabna Begum" in e.name)
    assert begum.name == "Dr Shabna Begum" and "Runnymede Trust" in begum.role
    assert "Shabna Begum" in new_met.citation(begum.cites[0]).quote
    rowley = next(e for e in new_met.people if e.name == "Sir Mark Rowley")
    assert rowley.role and "ommissioner" in rowley.role
    mckay = next(e for e in new_met.people if e.name == "Lucy McKay")
    assert mckay.role == "Inquest spokeswoman"
    orgs = {e.name for e in new_met.organisations}
    assert {"Runnymede Trust", "Inquest"} <= orgs
    assert not {e.name for e in new_met.people} & orgs


def test_a_topic_naming_one_document_keeps_to_it(engine) -> None:
    briefing = build_briefing(engine, "Summarise the 2022 open letter to the Home Secretary about recruiting "
                                      "the new Met Commissioner.")
    assert [m.doc_id for m in briefing.sources] == ["004_eaf4358a3949aaa3.txt"]
    assert any("Priti Patel" in p.text for p in briefing.points)
    roles = {e.name: e.role for e in briefing.people}
    assert roles["Priti Patel"] == "Home Secretary"
    assert roles["Jeremy Crook OBE"] == "Vice Chair of EQUAL"
    orgs = {e.name for e in briefing.organisations}
    assert {"Action for Race Equality", "EQUAL", "Criminal Justice Alliance"} <= orgs
    assert [e.iso for e in briefing.timeline if e.kind == "published"] == ["2022-04-28"]


def test_sources_are_exactly_the_cited_documents(new_met: Briefing) -> None:
    cited = list(dict.fromkeys(c.doc_id for c in new_met.citations))
    assert [m.doc_id for m in new_met.sources] == cited
    md = _section(new_met.to_markdown(), "Sources")
    assert all(f"`{d}`" in md for d in cited)
    json.dumps(new_met.to_dict())  # plain data throughout


def test_sources_that_differ_on_a_figure_are_shown_side_by_side(letter: Briefing, engine) -> None:
    _check_citations(letter, engine)
    difference = next(d for d in letter.differences if {s.figure.lower() for s in d.sides} == {"26", "thirty"})
    docs = {letter.citation(s.cites[0]).doc_id for s in difference.sides}
    assert len(docs) == 2
    section = _section(letter.to_markdown(), "Where sources differ")
    assert "26" in section and "Thirty" in section


def test_html_is_a_standalone_page_with_everything_escaped(engine) -> None:
    topic = 'the Runnymede Trust letter <script>alert("x")</script> & co'
    briefing = build_briefing(engine, topic)
    page = briefing.to_html()
    assert page.startswith("<!doctype html>") and "<style>" in page
    assert "<script" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.ids: set[str] = set()
            self.hrefs: list[str] = []
            self.text: list[str] = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.add(attrs["id"])
            if tag == "a":
                self.hrefs.append(attrs.get("href", ""))
            if tag not in VOID:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
            self.stack.pop()

        def handle_data(self, data):
            self.text.append(data)

    checker = Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert {h[1:] for h in checker.hrefs} <= checker.ids  # every marker links to its quote
    text = "".join(checker.text)
    assert f"Briefing: {topic}" in text
    for c in briefing.citations:
        assert " ".join(c.quote.split()) in text


def test_a_topic_the_documents_do_not_cover_says_so(engine) -> None:
    briefing = build_briefing(engine, "recipes for sourdough bread")
    assert not briefing.covered
    assert briefing.points == [] and briefing.citations == [] and briefing.timeline == []
    md = briefing.to_markdown()
    assert NOT_COVERED in md and "## Summary" not in md
    assert "do not cover" in briefing.to_html()


def test_find_date_reads_dates_as_written() -> None:
    assert find_date("published in March 2023, which found") == ((2023, 3, 0), "March 2023")
    assert find_date("were sacked in October 2023 after") == ((2023, 10, 0), "October 2023")
    assert find_date("Thursday, January 16, 2025") == ((2025, 1, 16), "January 16, 2025")
    assert find_date("on 28 April 2022 they wrote") == ((2022, 4, 28), "28 April 2022")
    assert find_date("at her school in Hackney in 2020.") == ((2020, 0, 0), "2020")
    assert find_date("under the Terrorism Act 2000") is None
    assert find_date("raised from 68% to 75% and £2021") is None


def test_cli_writes_an_html_briefing(bundled_store, tmp_path) -> None:
    from typer.testing import CliRunner

    from citebot.cli import app

    out = tmp_path / "brief.html"
    result = CliRunner().invoke(app, ["brief", "deaths in police custody", "--format", "html",
                                      "--output", str(out), "--store", str(bundled_store)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<h1>Briefing: deaths in police custody</h1>" in page and "Lucy McKay" in page


def test_whos_who_and_timeline_in_a_conversation_are_the_briefing_on_its_topic(engine) -> None:
    from retrieval.brief_chat import asked_part, topic_of

    first = "brief me on the criticism of the New Met plan"
    briefing = engine.brief(topic_of(first))
    assert topic_of(first) == "the criticism of the New Met plan"
    people = engine.ask("who's who?", history=[first])
    assert not people.abstained and people.answer.startswith("- Sir Mark Rowley")
    for entity in briefing.people[:3]:
        assert entity.name in people.answer
    for c in people.citations:  # numbered afresh, each marker's quote verbatim in its document
        assert f"[{c.n}]" in people.answer and c.quote == engine.document(c.doc_id).text[c.start : c.end]
    # "timeline?" after "who's who?" is on the same topic: the dated entries, in order
    dates = engine.ask("timeline?", history=[first, "who's who?"])
    found = re.findall(r"^- (\d{4}(?:-\d\d)?(?:-\d\d)?):", dates.answer, re.M)
    assert found == sorted(found) and found == [e.iso for e in briefing.timeline][: len(found)] and found
    # a question about one event's date is no request for a timeline
    assert asked_part("when did that happen?") is None and asked_part("key dates?") == "timeline"
