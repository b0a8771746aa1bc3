"""evgrade._files: the one way a user's file is opened (documents, .bib, claim maps, gold)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evgrade import _files
from evgrade.bib.load import load_bibliography
from evgrade.errors import ClaimMapError, InputError
from evgrade.evaluate.claims import load_gold
from evgrade.link.claimmap import load_claim_map
from evgrade.read import read_path

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "articles" / "why-does-ketamine-therapy-work.txt"
FIXTURE_BIB = ROOT.parent / "shared" / "fixtures" / "bibtex" / "iridia" / "abbrevshort.bib"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def test_a_real_file_is_read_whole() -> None:
    assert _files.read_bytes(ARTICLE) == ARTICLE.read_bytes()
    assert _files.read_text(ARTICLE) == ARTICLE.read_text(encoding="utf-8")


@needs_fifo
def test_a_fifo_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    # nothing ever writes to this pipe: opening it for a blocking read would hang the run
    fifo = tmp_path / "draft.md"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"is a FIFO \(named pipe\), not a document") as info:
        read_path(fifo)
    assert info.value.path == str(fifo)
    with pytest.raises(InputError, match="FIFO"):
        load_bibliography([fifo])


@needs_fifo
def test_a_fifo_swapped_in_after_the_stat_is_still_refused(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "refs.bib"
    os.mkfifo(fifo)
    regular = os.stat(ARTICLE)
    real_stat = os.stat
    monkeypatch.setattr(_files.os, "stat", lambda p, *a, **k: regular if p == str(fifo) else real_stat(p, *a, **k))
    with pytest.raises(InputError, match="FIFO"):
        _files.read_bytes(fifo, what="bibliography")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_refused() -> None:
    with pytest.raises(InputError, match="is a device, not a document"):
        read_path("/dev/null")


def test_directories_and_missing_files_name_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory, not a bibliography"):
        load_bibliography([tmp_path])
    with pytest.raises(ClaimMapError, match="is a directory, not a claim map"):
        load_claim_map(tmp_path)
    with pytest.raises(InputError, match="gold file not found") as info:
        load_gold(tmp_path / "absent.jsonl")
    assert info.value.path == str(tmp_path / "absent.jsonl")


def test_the_size_cap_names_the_file_and_the_limit(tmp_path: Path) -> None:
    data = ARTICLE.read_bytes()
    p = tmp_path / "big.txt"
    p.write_bytes(data)
    assert _files.read_bytes(p, limit=len(data)) == data
    with pytest.raises(InputError) as info:
        _files.read_bytes(p, what="document", limit=len(data) - 1)
    assert info.value.path == str(p)
    assert info.value.message == (f"document is larger than the {len(data) - 1:,} bytes limit "
                                  f"({len(data):,} bytes)")
    sparse = tmp_path / "sparse.md"
    with open(sparse, "wb") as fh:
        fh.truncate(2 * _files.MB)  # refused on its size alone: never read
    with pytest.raises(InputError) as info:
        _files.read_bytes(sparse, what="document", limit=_files.MB)
    assert str(info.value) == f"{sparse}: document is larger than the 1 MB limit (2,000,000 bytes)"


def test_reading_sets_aside_the_file_not_the_cap() -> None:
    # a read of n bytes first allocates n: asking for the 200 MB cap to read a 23 KB
    # article would set aside 200 MB for every file read
    import tracemalloc

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        data = _files.read_bytes(ARTICLE, limit=_files.BIBLIOGRAPHY_LIMIT)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert data == ARTICLE.read_bytes()
    assert peak < 4 * len(data) + 1_000_000


def test_a_file_that_grew_after_its_stat_is_read_on_to_one_byte_past_the_cap() -> None:
    import io

    body = ARTICLE.read_bytes()
    assert _files._read_up_to(io.BytesIO(body), 100, len(body)) == body            # grew: read on
    assert _files._read_up_to(io.BytesIO(body), 100, 500) == body[:501]            # capped + 1
    assert _files._read_up_to(io.BytesIO(body[:50]), 100, 500) == body[:50]        # shrank
    assert _files._read_up_to(io.BytesIO(b"not empty"), 0, 500) == b"not empty"    # /proc: size 0


def test_a_stream_is_read_in_pieces_to_one_byte_past_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    body = ARTICLE.read_bytes()
    monkeypatch.setattr(_files, "_PIECE", 1000)
    asked: list[int] = []

    class Stream(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            asked.append(n if n is not None else -1)
            return super().read(n)

    assert _files.read_stream(Stream(body), "<stdin>", limit=len(body)) == body
    assert max(asked) == 1000 and asked[-1] > 0   # pieces, and a last read that found the end
    with pytest.raises(InputError) as info:
        _files.read_stream(Stream(body), "<stdin>", what="document", limit=len(body) - 1)
    assert info.value.path == "<stdin>" and "larger than" in info.value.message
    assert _files.read_stream(io.BytesIO(b""), "<stdin>") == b""


def test_the_default_caps() -> None:
    assert _files.DOCUMENT_LIMIT == 50 * _files.MB
    assert _files.BIBLIOGRAPHY_LIMIT > _files.DOCUMENT_LIMIT  # a whole library in one file


def test_decode_error_gives_line_column_and_byte_offset_after_a_bom() -> None:
    data = b"\xef\xbb\xbfCaf\xc3\xa9\nna\xefve\n"
    with pytest.raises(InputError) as info:
        _files.decode(data, "notes.md", what="document")
    err = info.value
    # line 2, third character; the offset counts the BOM and the two bytes of the e-acute
    assert (err.path, err.line, err.col) == ("notes.md", 2, 3)
    assert err.message == ("document is not UTF-8 (byte 0xEF at byte offset 11); "
                           "re-save it as UTF-8")
    assert data[11] == 0xEF


def test_decode_drops_only_a_leading_bom() -> None:
    assert _files.decode(b"\xef\xbb\xbfa\xef\xbb\xbfb", "x") == "a\ufeffb"
    assert _files.decode(b"", "x") == ""


def test_a_real_latin1_line_in_a_gold_file_is_placed(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes('{"text": "ok"}\n{"text": "caf\u00e9"}\n'.encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_gold(gold)
    assert (info.value.line, info.value.col) == (2, 14)
    assert "gold file is not UTF-8" in info.value.message


def test_a_real_bib_fixture_reads_the_same_through_the_helper() -> None:
    if not FIXTURE_BIB.exists():
        pytest.skip("shared fixtures not present")
    assert _files.read_bytes(FIXTURE_BIB, limit=_files.BIBLIOGRAPHY_LIMIT) == FIXTURE_BIB.read_bytes()
    assert len(load_bibliography([FIXTURE_BIB]).paths) == 1
