"""Decoding and file handling of read_path: errors are InputErrors with a place."""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.claims import segment
from evgrade.errors import InputError
from evgrade.read import read_path, read_text, suffixes

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


def test_non_utf8_names_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("First line\nCaf\u00e9 au lait\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_path(p)
    err = info.value
    assert (err.path, err.line, err.col) == (str(p), 2, 4)
    assert "not UTF-8" in str(err) and str(err).startswith(f"{p}:2:4: ")


def test_bom_is_dropped(tmp_path: Path) -> None:
    p = tmp_path / "bom.md"
    p.write_bytes(b"\xef\xbb\xbf# Title\n\nText [@k].\n")
    doc = read_path(p)
    assert doc.text.startswith("# Title") and doc.title == "Title"
    assert doc.citations[0].span.line == 3


def test_empty_file(tmp_path: Path) -> None:
    for suffix in (".txt", ".md", ".tex", ".html"):
        p = tmp_path / f"empty{suffix}"
        p.write_bytes(b"")
        doc = read_path(p)
        assert doc.text == doc.prose == "" and doc.blocks == () and doc.sentences == ()


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_path(tmp_path)


def test_unknown_suffix_is_plain_text(tmp_path: Path) -> None:
    p = tmp_path / "article.weird"
    p.write_text("Heading Here\n\nA sentence of prose that is long enough to count.\n", encoding="utf-8")
    doc = read_path(p)
    assert doc.format == "text" and [b.kind for b in doc.blocks] == ["heading", "prose"]


def test_registry_suffixes() -> None:
    for suffix in (".txt", ".text", ".md", ".markdown", ".qmd", ".rmd", ".tex", ".ltx", ".html", ".htm"):
        assert suffix in suffixes()
    assert read_path(ARTICLES / "why-does-ketamine-therapy-work.txt").format == "text"


def test_crlf_keeps_offsets(tmp_path: Path) -> None:
    src = (ARTICLES / "the-science-behind-ketamine-infusion-therapy.txt").read_text(encoding="utf-8")
    p = tmp_path / "crlf.txt"
    p.write_bytes(src.replace("\n", "\r\n").encode("utf-8"))
    lf, crlf = read_path(ARTICLES / "the-science-behind-ketamine-infusion-therapy.txt"), read_path(p)
    assert crlf.text == src.replace("\n", "\r\n") and len(crlf.prose) == len(crlf.text)
    assert [(b.kind, b.span.line, b.span.col) for b in crlf.blocks] == \
           [(b.kind, b.span.line, b.span.col) for b in lf.blocks]
    for b in crlf.blocks:
        assert "\r" not in crlf.text[b.span.start:b.span.end]
    assert [s.text for s in segment(crlf).sentences] == [s.text for s in segment(lf).sentences]


def test_crlf_markdown_citations() -> None:
    doc = read_text("---\r\nbibliography: r.bib\r\n---\r\n\r\nText [@a; @b].\r\n", format="markdown")
    assert doc.bibliography == ("r.bib",)
    assert [(c.key, c.span.line, c.span.col) for c in doc.citations] == [("a", 5, 7), ("b", 5, 11)]


def test_sentences_are_split_by_the_claims_stage_not_by_the_reader() -> None:
    from evgrade.claims import extract_claims

    doc = read_path(ARTICLES / "why-does-ketamine-therapy-work.txt")
    assert doc.sentences == ()
    split = segment(doc)
    claims = extract_claims(doc)          # segments a reader's document itself
    assert claims == extract_claims(split) and len(claims) >= 15
    assert all(split.sentences[c.sentence].span == c.span for c in claims)


def test_the_read_stage_does_not_import_the_claims_stage() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys, evgrade.read; "
                          "print(sorted(m for m in sys.modules if m.startswith('evgrade.claims')))"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
