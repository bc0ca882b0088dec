"""Bad documents never stop an index run: each is reported by name with its reason, the rest is
indexed, and a document that stops being readable keeps its previous version.

Also: the contract's text normalisation (property tests).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import pathlib
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings as hyp_settings, strategies as st
from typer.testing import CliRunner

from citebot.cli import app
from citebot.settings import load_settings
from retrieval import indexer
from retrieval.embed import Encoder
from retrieval.engine import Engine
from retrieval.indexer import build_index
from retrieval.textutil import normalise
from tests.conftest import ROOT, write_corpus

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# ---------------------------------------------------------------------------------------------
# Files


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF whose text layer holds ``lines`` (Helvetica, one line each)."""
    content = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def encrypted(pdf: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A real 2x2 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (2).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PDF_LINES = [
    "The harbour master Elowen Tregarthen counted 412 fishing boats in 2021.",
    "She reported the figure to the parish council in March.",
    "Most of the boats were crab potters from the northern quay.",
]
GOOD = {
    "good.txt": "Garden show\n\nThe Tamsworth garden show awarded its gold medal to a blue rose grown by Nadia Oyelaran. "
    "Judges said the rose had taken eleven years to breed. The show drew nine thousand visitors.",
    "sub/inner.txt": "Rowing regatta\n\nThe Lenham rowing regatta was won by a crew of retired postmen. "
    "They finished the course in six minutes and forty seconds. The crowd cheered from both banks.",
    "latin1.txt": "Le café du village servait une crème brûlée très appréciée. "
    "Les habitants déjeunaient à midi précis chaque jour, même en hiver.",
    "cp1252.txt": "The council’s “budget” rose by £3m – a record for the town. "
    "The mayor’s reply was brief, and the opposition called it “a blank cheque”.",
    "utf16.txt": "The Velmere ferry carried 8,100 passengers across the estuary in its first season. "
    "Its captain, Joan Achterberg, had sailed the route for thirty years.",
    "page.html": (
        "<html><head><title>Museum news</title><style>body{color:red} .zzqx{display:none}</style>"
        "<script>var tracker = 'zzqx-script'; function popup(){ alert('zzqx'); }</script>"
        "<script src='analytics.js'></script></head><body><nav>Home News Sport</nav>"
        "<script>document.write('zzqx inline')</script><article>"
        "<p>The Kelderby museum reopened its whale skeleton gallery after a two-year restoration "
        "costing forty thousand pounds.</p></article><noscript>zzqx enable JavaScript</noscript>"
        "<style>.footer{margin:0}</style></body></html>"
    ),
}
MIXED_OK = "The naïve café owner Zoë Brandt said “hello” to every customer in Grünwald."
MIXED_TAIL = "Über straße piñata résumé were the four words painted on the board by the door."


def build_files(folder: Path) -> dict[str, str]:
    """Write the good and bad files; returns {doc id of each bad file: expected reason fragment}."""
    files: dict[str, str | bytes] = {
        **{k: v for k, v in GOOD.items() if k not in ("latin1.txt", "cp1252.txt", "utf16.txt")},
        "latin1.txt": GOOD["latin1.txt"].encode("latin-1"),
        "cp1252.txt": GOOD["cp1252.txt"].encode("cp1252"),
        "utf16.txt": GOOD["utf16.txt"].encode("utf-16"),
        "mixed.txt": MIXED_OK.encode() + b" Broken \xff\xfe bytes sit here. " + MIXED_TAIL.encode(),
        "report.pdf": make_pdf(PDF_LINES),
        "open-encrypted.pdf": encrypted(make_pdf(["The Sandby choir sang for the lifeboat crew at Easter."]), ""),
        # Bad ones.
        "archive.txt": gzip.compress(b"some compressed text " * 200),
        "image.txt": png_bytes(),
        "controls.txt": bytes(range(1, 256)) * 40,
        "truncated.pdf": make_pdf(PDF_LINES)[:300],
        "locked.pdf": encrypted(make_pdf(PDF_LINES), "s3cret"),
        "empty.txt": b"",
        "blank.md": b"  \n\n\t  \r\n   \n",
        "huge.txt": ("A perfectly good sentence about the weather in the valley. " * 2000).encode(),
    }
    write_corpus(folder, files)
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)  # a loop: sub/up -> corpus
    (folder / "dangling.txt").symlink_to(folder / "deleted-long-ago.txt")
    return {
        "archive.txt": "binary",
        "image.txt": "binary",
        "controls.txt": "binary",
        "truncated.pdf": "truncated",
        "locked.pdf": "encrypted",
        "empty.txt": "empty",
        "blank.md": "empty",
        "huge.txt": "too large",
        "sub/up": "symlink loop",
        "dangling.txt": "broken symlink",
    }


MAX_FILE_MB = "0.05"  # huge.txt is 120 kB


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    """``citebot index --json`` over a corpus of good and bad files, then an engine over it."""
    root = tmp_path_factory.mktemp("bad")
    corpus = root / "corpus"
    expected = build_files(corpus)
    store = root / "index"
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CITEBOT_")}
    env.update(CITEBOT_HOME=str(root), CITEBOT_MAX_FILE_MB=MAX_FILE_MB)
    result = CliRunner(env=env).invoke(app, ["index", "--store", str(store), "--corpus", str(corpus), "--json"])
    settings = load_settings(store=store, corpus=corpus, home=root, max_file_mb=float(MAX_FILE_MB))
    engine = Engine(settings, Encoder())
    yield {"result": result, "expected": expected, "engine": engine, "corpus": corpus}
    engine.close()


def _report(bad_run) -> dict:
    result = bad_run["result"]
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def test_bad_files_do_not_stop_the_run(bad_run):
    report = _report(bad_run)
    good = {"good.txt", "sub/inner.txt", "latin1.txt", "cp1252.txt", "utf16.txt", "page.html",
            "mixed.txt", "report.pdf", "open-encrypted.pdf"}
    assert set(report["added"]) == good
    assert report["documents"] == len(good)
    # Each bad file reported exactly once, by name; nothing else failed.
    assert sorted(f["doc_id"] for f in report["failed"]) == sorted(bad_run["expected"])
    # The symlink loop was cut: no document was indexed twice under another path.
    assert not any("up/" in doc_id for doc_id in report["added"])


@pytest.mark.parametrize(
    "doc_id", ["archive.txt", "image.txt", "controls.txt", "truncated.pdf", "locked.pdf", "empty.txt",
               "blank.md", "huge.txt", "sub/up", "dangling.txt"],
)
def test_each_bad_file_is_reported_with_its_reason(bad_run, doc_id):
    reasons = {f["doc_id"]: f["reason"] for f in _report(bad_run)["failed"]}
    assert bad_run["expected"][doc_id] in reasons[doc_id].lower(), reasons[doc_id]


def test_text_encodings_are_decoded_not_garbled(bad_run):
    engine = bad_run["engine"]
    for doc_id in ("latin1.txt", "cp1252.txt", "utf16.txt"):
        assert engine.document(doc_id).text == GOOD[doc_id]
    mixed = engine.document("mixed.txt").text
    assert MIXED_OK in mixed and MIXED_TAIL in mixed  # valid UTF-8 kept, not re-read as mojibake
    assert "Ã" not in mixed


def test_html_scripts_and_styles_are_dropped(bad_run):
    text = bad_run["engine"].document("page.html").text
    assert "whale skeleton gallery" in text
    assert "zzqx" not in text and "color:red" not in text and "function" not in text


def test_valid_pdf_text_is_indexed_and_answerable(bad_run):
    engine = bad_run["engine"]
    assert PDF_LINES[0] in engine.document("report.pdf").text
    answer = engine.ask("How many fishing boats did Elowen Tregarthen count?")
    assert "412" in answer.answer and "report.pdf" in {c.doc_id for c in answer.citations}
    assert "Sandby choir" in engine.document("open-encrypted.pdf").text  # empty user password opens


@pytest.fixture(scope="module")
def only_bad_run(tmp_path_factory):
    """``citebot index`` (a real process) over a corpus where no file is usable."""
    root = tmp_path_factory.mktemp("only-bad")
    corpus = write_corpus(root / "corpus", {"archive.txt": gzip.compress(b"x" * 1000), "empty.txt": b"",
                                            "locked.pdf": encrypted(make_pdf(PDF_LINES), "pw")})
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITEBOT_")}
    env.update(CITEBOT_HOME=str(root), PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "citebot.cli", "index", "--store", str(root / "index"), "--corpus", str(corpus)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    return proc, corpus, root / "index"


def test_only_bad_files_exit_nonzero_with_a_clear_message(only_bad_run):
    proc, corpus, store = only_bad_run
    assert proc.returncode != 0
    assert f"Nothing could be indexed from {corpus}" in proc.stderr
    for line in ("archive.txt: binary", "empty.txt: empty file", "locked.pdf: encrypted PDF"):
        assert line in proc.stderr, proc.stderr
    assert not (store / "CURRENT").exists()


def test_cli_errors_print_no_traceback(only_bad_run):
    """The CLI promises user-facing errors without tracebacks (citebot/cli.py ``main``)."""
    proc, _, _ = only_bad_run
    assert "Traceback" not in proc.stderr, proc.stderr


# ---------------------------------------------------------------------------------------------
# Files that go wrong during a run, or after they were indexed.

DOC_A = GOOD["good.txt"]
DOC_B = ("Bell tower\n\nThe Orrin bell tower was restored by a team of seven stonemasons from Caldby. "
         "Its largest bell, called Old Maud, weighs two tonnes. The bells will ring again at midsummer.")
QUESTION_B = "How much does the bell called Old Maud weigh?"


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def _settings(tmp_path: Path, corpus: Path):
    return load_settings(store=tmp_path / "index", corpus=corpus, home=tmp_path)


def _deny(monkeypatch, target: Path) -> None:
    """Reading ``target`` fails with EACCES (what chmod 000 does for anyone but root)."""
    real_open = pathlib.Path.open

    def guarded(self, *args, **kwargs):
        if os.path.abspath(self) == os.path.abspath(target):
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", guarded)


def test_file_deleted_between_scan_and_read_is_reported(tmp_path, encoder, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": DOC_A, "b.txt": DOC_B, "c.txt": DOC_B.replace("Orrin", "Ebbe")})
    real_scan, real_hash = indexer.scan_corpus, indexer.file_hash

    def scan_then_delete(folder):
        found = real_scan(folder)
        (corpus / "b.txt").unlink()  # gone before it is even stat-ed
        return found

    def hash_then_delete(path):
        digest = real_hash(path)
        if path.name == "c.txt":
            path.unlink()  # gone after hashing, before reading
        return digest

    monkeypatch.setattr(indexer, "scan_corpus", scan_then_delete)
    monkeypatch.setattr(indexer, "file_hash", hash_then_delete)
    report = build_index(_settings(tmp_path, corpus), encoder)
    reasons = {f.doc_id: f.reason for f in report.failed}
    assert report.added == ["a.txt"]
    assert "No such file" in reasons["b.txt"] and "No such file" in reasons["c.txt"], reasons


@pytest.mark.skipif(IS_ROOT, reason="root can read files without read permission")
def test_file_without_read_permission_is_reported(tmp_path, encoder):
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": DOC_A, "secret.txt": DOC_B})
    (corpus / "secret.txt").chmod(0)
    try:
        report = build_index(_settings(tmp_path, corpus), encoder)
    finally:
        (corpus / "secret.txt").chmod(0o644)
    assert report.added == ["a.txt"]
    assert [(f.doc_id, "Permission denied" in f.reason) for f in report.failed] == [("secret.txt", True)]


def test_permission_denied_is_reported_even_as_root(tmp_path, encoder, monkeypatch):
    """The same failure, simulated at the file-open call, so it is checked when tests run as root."""
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": DOC_A, "secret.txt": DOC_B})
    _deny(monkeypatch, corpus / "secret.txt")
    report = build_index(_settings(tmp_path, corpus), encoder)
    assert report.added == ["a.txt"]
    assert [(f.doc_id, "Permission denied" in f.reason) for f in report.failed] == [("secret.txt", True)]


def test_oversized_file_is_rejected_before_it_is_read(tmp_path, encoder, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": DOC_A, "big.txt": DOC_B * 400})
    hashed: list[str] = []
    real_hash = indexer.file_hash
    monkeypatch.setattr(indexer, "file_hash", lambda path: hashed.append(path.name) or real_hash(path))
    settings = load_settings(store=tmp_path / "index", corpus=corpus, home=tmp_path, max_file_mb=0.05)
    report = build_index(settings, encoder)
    assert [(f.doc_id, "too large" in f.reason) for f in report.failed] == [("big.txt", True)]
    assert "big.txt" not in hashed


def _break_by_garbage(corpus: Path, monkeypatch) -> None:
    (corpus / "keep" / "b.txt").write_bytes(gzip.compress(DOC_B.encode()))


def _break_by_permission(corpus: Path, monkeypatch) -> None:
    path = corpus / "keep" / "b.txt"
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 10**9))  # looks changed: must be re-read
    _deny(monkeypatch, path)


def _break_folder(corpus: Path, monkeypatch) -> None:
    target = os.path.abspath(corpus / "keep")
    real_scandir = os.scandir

    def guarded(path="."):
        if not isinstance(path, int) and os.path.abspath(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)


@pytest.mark.parametrize(
    "breakage", [_break_by_garbage, _break_by_permission, _break_folder], ids=["garbage", "permission", "folder"]
)
def test_document_that_becomes_unreadable_keeps_its_previous_version(tmp_path, encoder, monkeypatch, breakage):
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": DOC_A, "keep/b.txt": DOC_B})
    settings = _settings(tmp_path, corpus)
    first = build_index(settings, encoder)
    engine = Engine(settings, encoder)
    before = engine.ask(QUESTION_B)
    text_before = engine.document("keep/b.txt").text
    assert "two tonnes" in before.answer

    breakage(corpus, monkeypatch)
    write_corpus(corpus, {"a.txt": DOC_A.replace("eleven years", "twelve years")})  # forces a new generation
    second = build_index(settings, encoder)
    assert second.generation != first.generation and second.updated == ["a.txt"]
    assert second.removed == [] and second.failed, second.to_dict()
    assert second.documents == 2
    assert engine.loaded.generation.name == second.generation
    assert engine.document("keep/b.txt").text == text_before
    after = engine.ask(QUESTION_B)
    assert "two tonnes" in after.answer
    quotes_b = [[c.quote for c in answer.citations if c.doc_id == "keep/b.txt"] for answer in (before, after)]
    assert quotes_b[0] and quotes_b[0] == quotes_b[1]
    engine.close()


# ---------------------------------------------------------------------------------------------
# 4. Normalisation (CONTRACTS.md section 2): NFKC; curly quotes straight; en and em dashes to
# '-'; runs of whitespace to one space; lower case.

_SPECIAL = "‘’“”–—  \u00a0\u2009\u3000\t\n\r\x0b\x0cﬁﬂ①ＡＢｃ½ÅåΩΩİßẞ\u0301e\u0065\u0301"
text_strategy = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list(_SPECIAL))), max_size=60)


@hyp_settings(max_examples=400, deadline=None)
@given(text_strategy)
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@hyp_settings(max_examples=400, deadline=None)
@given(text_strategy)
def test_normalise_output_follows_the_rules(text):
    out = normalise(text)
    assert not set(out) & set("‘’“”–—")
    assert out == out.strip() and "  " not in out
    assert all(not ch.isspace() or ch == " " for ch in out)
    assert out == out.lower()
    assert unicodedata.is_normalized("NFKC", out)


def _reference(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(curly, straight)
    return " ".join(text.split()).lower()


@hyp_settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcXYZ 019.,'\"-") + list(_SPECIAL)), max_size=60))
def test_normalise_matches_the_contract_rules(text):
    assert normalise(text) == _reference(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("“Hello”  —  it’s  ME", '"hello" - it\'s me'),
        ("ﬁve\u00a0\u00a0Ｆｉｎｅ\tdays", "five fine days"),
        ("10–12 May", "10-12 may"),
        ("e\u0301", "é"),
    ],
)
def test_normalise_examples(raw, expected):
    assert normalise(raw) == expected
