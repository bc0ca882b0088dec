"""A briefing written out: Markdown for a briefing note, or a standalone HTML page."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from retrieval.brief_points import clean
from retrieval.types import Citation, DocMeta

if TYPE_CHECKING:
    from retrieval.briefing import Briefing

NOT_COVERED = "The documents do not cover this topic."


# --------------------------------------------------------------------------- Markdown
_MD_SPECIAL = re.compile(r"([\\`*_<])")
_WEB = re.compile(r"https?://[^\s<>\"']+$")


def _md(text: str) -> str:
    """Text safe inside Markdown: emphasis, code and HTML characters escaped (brackets kept, they read as text)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_marks(cites: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in cites)


def _meta_bits(meta: DocMeta | Citation) -> list[str]:
    bits = [meta.source] if meta.source else []
    if isinstance(meta, DocMeta) and meta.author and meta.author != meta.source:
        bits.append(f"by {meta.author}")
    bits.append(meta.date or "undated")
    if isinstance(meta, DocMeta) and meta.kind:
        bits.append(meta.kind)
    return bits


def render_markdown(b: Briefing) -> str:
    out = [f"# Briefing: {_md(b.topic)}", ""]
    if not b.covered:
        out += [f"*Generated {b.generated} by citebot.*", "", _md(b.message or NOT_COVERED), ""]
        return "\n".join(out)
    out += [
        f"*Generated {b.generated} by citebot from {len(b.sources)} of {b.documents_searched} documents. "
        "Every point is quoted verbatim from the documents; the numbers in brackets refer to the quotes at the end.*",
        "",
        "## Summary",
        "",
    ]
    out += [f"- {_md(p.text)} {_md_marks(p.cites)}" for p in b.points]
    if b.differences:
        out += ["", "## Where sources differ", ""]
        for d in b.differences:
            out.append(f"**{_md(d.summary)}**")
            out.append("")
            out += [f"- **{_md(s.figure)}**: {_md(s.text)} {_md_marks(s.cites)}" for s in d.sides]
            out.append("")
        out.pop()
    if b.timeline:
        out += ["", "## Timeline", ""]
        for e in b.timeline:
            if e.kind == "published":
                out.append(f"- **{e.iso}**: *{_md(e.text)}* published {_md_marks(e.cites)}")
            else:
                written = f" ({_md(e.when)})" if e.when != e.iso else ""
                out.append(f"- **{e.iso}**{written}: {_md(e.text)} {_md_marks(e.cites)}")
    if b.entities:
        out += ["", "## People and organisations", ""]
        for label, group in (("People", b.people), ("Organisations", b.organisations)):
            if not group:
                continue
            out += [f"**{label}**", ""]
            for e in group:
                role = f": {_md(e.role)}" if e.role else ""
                out.append(f"- **{_md(e.name)}**{role} {_md_marks(e.cites)}")
            out.append("")
        out.pop()
    out += ["", "## Sources", ""]
    for i, meta in enumerate(b.sources, start=1):
        link = f" <{meta.url}>" if meta.url and _WEB.match(meta.url) else ""
        out.append(f"{i}. *{_md(meta.title)}*: {_md(', '.join(_meta_bits(meta)))}. `{meta.doc_id}`{link}")
    out += ["", "## Quotes", ""]
    source_no = {m.doc_id: i for i, m in enumerate(b.sources, start=1)}
    for c in b.citations:
        where = ", ".join([f"*{_md(c.title)}*"] + [_md(x) for x in _meta_bits(c)])
        out.append(f"- **[{c.n}]** “{_md(clean(c.quote))}” ({where}; source {source_no[c.doc_id]}, "
                   f"characters {c.start}-{c.end})")
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML
_CSS = """
:root { --ink: #1d2330; --muted: #5b6474; --rule: #dde1e8; --accent: #1f4e8c; --accent-soft: #eef3fa;
        --warn: #9a5500; --warn-soft: #fdf5e8;
        --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif;
        --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
html { background: #f4f5f7; }
body { margin: 0; padding: 2.5rem 1rem 4rem; color: var(--ink); font: 17px/1.6 var(--serif); }
main { max-width: 46rem; margin: 0 auto; background: #fff; padding: 2.75rem 3rem 3rem;
       border: 1px solid var(--rule); border-radius: 6px; box-shadow: 0 1px 3px rgba(20, 30, 50, .06); }
header { border-bottom: 3px solid var(--accent); padding-bottom: 1.1rem; margin-bottom: 1.75rem; }
.kicker { font: 600 .75rem/1.2 var(--sans); letter-spacing: .12em; text-transform: uppercase;
          color: var(--accent); margin: 0 0 .5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .6rem; letter-spacing: -.01em; }
.meta { color: var(--muted); font: .85rem/1.5 var(--sans); margin: 0; }
h2 { font: 700 1.05rem/1.3 var(--sans); text-transform: uppercase; letter-spacing: .06em; color: var(--accent);
     margin: 2.25rem 0 .9rem; padding-bottom: .35rem; border-bottom: 1px solid var(--rule); }
h3 { font: 600 .95rem/1.3 var(--sans); margin: 1.2rem 0 .5rem; color: var(--muted); }
ul, ol { padding-left: 1.25rem; margin: 0; }
li { margin: 0 0 .6rem; }
.points li::marker { color: var(--accent); }
sup.cite { font: 600 .68rem/0 var(--sans); margin-left: .12rem; }
sup.cite a { color: var(--accent); text-decoration: none; padding: 0 .05rem; }
sup.cite a:hover { text-decoration: underline; }
.notice { background: var(--accent-soft); border-left: 4px solid var(--accent); padding: 1rem 1.25rem;
          border-radius: 4px; }
.differ { background: var(--warn-soft); border-left: 4px solid var(--warn); padding: .9rem 1.2rem;
          border-radius: 4px; margin-bottom: 1rem; }
.differ h3 { color: var(--warn); margin-top: 0; }
.differ ul { list-style: none; padding: 0; }
.differ li { display: grid; grid-template-columns: 5rem 1fr; gap: .75rem; margin-bottom: .6rem; }
.figure { font: 700 .95rem/1.65 var(--sans); color: var(--warn); text-align: right; }
.timeline { list-style: none; padding: 0; border-left: 2px solid var(--rule); margin-left: .4rem; }
.timeline li { position: relative; padding-left: 1.4rem; margin-bottom: .9rem; }
.timeline li::before { content: ""; position: absolute; left: -.42rem; top: .3rem; width: .7rem; height: .7rem;
                       border-radius: 50%; background: #fff; border: 2px solid var(--accent); }
.timeline li.published::before { background: var(--accent); }
.when { display: block; font: 600 .8rem/1.4 var(--sans); color: var(--accent); }
.when .written { font-weight: 400; color: var(--muted); }
.who { list-style: none; padding: 0; }
.who li { padding: .45rem 0; border-bottom: 1px solid #eef0f3; margin: 0; }
.who li:last-child { border-bottom: 0; }
.name { font-weight: 700; }
.role { color: var(--muted); }
.sources li { margin-bottom: .7rem; }
.sources .title { font-style: italic; }
.sources .title a { color: inherit; text-decoration-color: var(--rule); }
.facts { display: block; color: var(--muted); font: .8rem/1.5 var(--sans); }
code { font: .78rem/1.4 var(--mono); background: #f1f3f6; padding: .05rem .3rem; border-radius: 3px; color: #3a4252; }
.quotes { font-size: .92rem; padding-left: 2.4rem; }
.quotes li { margin-bottom: .9rem; scroll-margin-top: 1rem; }
.quotes li::marker { content: "[" counter(list-item) "]  "; color: var(--accent); font: 600 .8rem var(--sans); }
.quotes li:target blockquote { background: #fff8d6; }
.quotes blockquote { margin: 0 0 .2rem; padding: .15rem .8rem; border-left: 3px solid var(--rule); }
footer { margin-top: 2.5rem; color: var(--muted); font: .78rem/1.5 var(--sans); }
@media (max-width: 40rem) { main { padding: 1.5rem 1.25rem; } body { padding: 0; } h1 { font-size: 1.6rem; } }
@media print {
  html, body { background: #fff; padding: 0; }
  main { border: 0; box-shadow: none; padding: 0; max-width: none; }
  sup.cite a { color: var(--ink); }
  h2 { break-after: avoid; }
  li { break-inside: avoid; }
}
"""


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _marks(cites: tuple[int, ...]) -> str:
    return "".join(f'<sup class="cite"><a href="#q{n}" title="Quote {n}">[{n}]</a></sup>' for n in cites)


def render_html(b: Briefing) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Briefing: {_e(b.topic)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        '<p class="kicker">Staff briefing</p>',
        f"<h1>Briefing: {_e(b.topic)}</h1>",
    ]
    if not b.covered:
        parts += [
            f'<p class="meta">Generated {_e(b.generated)} by citebot</p>',
            "</header>",
            f'<p class="notice">{_e(b.message or NOT_COVERED)}</p>',
            "</main>",
            "</body>",
            "</html>",
        ]
        return "\n".join(parts) + "\n"
    parts += [
        f'<p class="meta">Generated {_e(b.generated)} by citebot · {len(b.sources)} of {b.documents_searched} '
        f"documents cited · {len(b.citations)} quotes. Every point is quoted verbatim; "
        "bracketed numbers link to the quotes.</p>",
        "</header>",
        '<section id="summary">',
        "<h2>Summary</h2>",
        '<ul class="points">',
    ]
    parts += [f"<li>{_e(p.text)}{_marks(p.cites)}</li>" for p in b.points]
    parts += ["</ul>", "</section>"]
    if b.differences:
        parts += ['<section id="differences">', "<h2>Where sources differ</h2>"]
        for d in b.differences:
            parts += ['<div class="differ">', f"<h3>{_e(d.summary)}</h3>", "<ul>"]
            parts += [
                f'<li><strong class="figure">{_e(s.figure)}</strong> <span>{_e(s.text)}{_marks(s.cites)}</span></li>'
                for s in d.sides
            ]
            parts += ["</ul>", "</div>"]
        parts.append("</section>")
    if b.timeline:
        parts += ['<section id="timeline">', "<h2>Timeline</h2>", '<ol class="timeline">']
        for e in b.timeline:
            written = f' <span class="written">({_e(e.when)})</span>' if e.when != e.iso else ""
            if e.kind == "published":
                body = f"<em>{_e(e.text)}</em> published"
            else:
                body = _e(e.text)
            parts.append(
                f'<li class="{e.kind}"><strong class="when">{_e(e.iso)}{written}</strong> {body}{_marks(e.cites)}</li>'
            )
        parts += ["</ol>", "</section>"]
    if b.entities:
        parts += ['<section id="people">', "<h2>People and organisations</h2>"]
        for label, group in (("People", b.people), ("Organisations", b.organisations)):
            if not group:
                continue
            parts += [f"<h3>{label}</h3>", '<ul class="who">']
            for ent in group:
                role = f' <span class="role">— {_e(ent.role)}</span>' if ent.role else ""
                parts.append(f'<li><span class="name">{_e(ent.name)}</span>{role}{_marks(ent.cites)}</li>')
            parts.append("</ul>")
        parts.append("</section>")
    parts += ['<section id="sources">', "<h2>Sources</h2>", '<ol class="sources">']
    for meta in b.sources:
        title = _e(meta.title)
        if meta.url and _WEB.match(meta.url):
            title = f'<a href="{_e(meta.url)}">{title}</a>'
        parts.append(
            f'<li><span class="title">{title}</span>'
            f'<span class="facts">{_e(" · ".join(_meta_bits(meta)))} · <code>{_e(meta.doc_id)}</code></span></li>'
        )
    parts += ["</ol>", "</section>", '<section id="quotes">', "<h2>Quotes</h2>", '<ol class="quotes">']
    source_no = {m.doc_id: i for i, m in enumerate(b.sources, start=1)}
    for c in b.citations:
        facts = " · ".join([f"Source {source_no[c.doc_id]}", c.title, *_meta_bits(c),
                            f"characters {c.start}–{c.end}"])
        parts.append(
            f'<li id="q{c.n}" value="{c.n}"><blockquote>{_e(clean(c.quote))}</blockquote>'
            f'<span class="facts">{_e(facts)}</span></li>'
        )
    parts += [
        "</ol>",
        "</section>",
        "<footer>Compiled by citebot from the indexed documents only. Quotes are verbatim; "
        "check the sources before relying on them.</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
