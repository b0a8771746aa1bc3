"""Issue 9, item 8 (input kinds): what `evgrade score` and `check` do with paths that are
not regular files, and with `-` (standard input).

Before `evgrade/_files.py` refused non-regular files, a FIFO named as an article
blocked the run for ever and `/dev/zero` was read without end. Each kind below must
end in one line on stderr and exit 2. `-` reads standard input under the same
size cap as a file, as the document `<stdin>`, with the reader `--stdin-format`
names (plain text by default).
"""

from __future__ import annotations

import io
import os
import socket
import sys
from pathlib import Path

import pytest

from evgrade import pipeline
from evgrade.cli import main

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "articles" / "why-does-ketamine-therapy-work.txt"
DRAFT = ROOT / "tests" / "data" / "drafts" / "citations.md"

COMMANDS = ("score", "check")


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("evgrade: error: ")
    return lines[0]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder: no project config, bibliography or claim map."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes | io.RawIOBase) -> None:
    """Standard input holding ``data`` (bytes, or a raw stream)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else io.BufferedReader(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))


# ------------------------------------------------------------------ not regular files

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("command", COMMANDS)
def test_dev_zero_is_refused(command: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "/dev/zero"]) == 2
    assert one_error_line(capsys) == "evgrade: error: /dev/zero: is a device, not a document"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_is_refused_without_blocking(command: str, in_tmp: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo("draft.md")   # nothing ever writes to it: opening it to read would block
    assert main([command, "draft.md"]) == 2
    assert one_error_line(capsys) == "evgrade: error: draft.md: is a FIFO (named pipe), not a document"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_without_articles_is_refused(command: str, in_tmp: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "drafts.md").mkdir()   # a folder, even with a reader's suffix
    assert main([command, "drafts.md"]) == 2
    assert "drafts.md: folder holds no readable article (.txt" in one_error_line(capsys)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets on this platform")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_socket_is_refused(command: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("draft.md")
        assert main([command, "draft.md"]) == 2
    assert one_error_line(capsys) == "evgrade: error: draft.md: is a socket, not a document"


# ------------------------------------------------------------------ standard input

def test_score_reads_standard_input_as_text(in_tmp: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "article.txt").write_bytes(ARTICLE.read_bytes())
    feed_stdin(monkeypatch, ARTICLE.read_bytes())
    assert main(["score", "-", "--format", "json"]) == 0
    from_stdin = capsys.readouterr().out
    assert main(["score", "article.txt", "--format", "json"]) == 0
    from_file = capsys.readouterr().out
    assert '"path": "<stdin>"' in from_stdin
    # the same claims, found by the same (text) reader; only the name and the ids' stem differ
    assert from_stdin.count('"kind":') == from_file.count('"kind":') > 10
    assert from_stdin.replace("<stdin>", "article.txt").replace('"stdin:', '"article:') == from_file


def test_check_reads_standard_input_with_the_format_given(in_tmp: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "draft.md").write_bytes(DRAFT.read_bytes())
    for bib in ("refs.bib", "more refs.bib"):   # the draft names them; they are looked up in the
        (in_tmp / bib).write_text("")           # draft's folder, and for <stdin> in the current one
    feed_stdin(monkeypatch, DRAFT.read_bytes())
    main(["check", "-", "--stdin-format", "markdown"])
    from_stdin = capsys.readouterr().out
    main(["check", "draft.md"])
    from_file = capsys.readouterr().out
    assert from_stdin.startswith("<stdin>:") and "EV101" in from_stdin
    # pandoc citations were read (markdown, not text): the same problems at the same places
    assert from_stdin.replace("<stdin>", "draft.md") == from_file


def test_a_suffix_names_the_stdin_format_too(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = pipeline.read_documents(["-"], stdin_format="markdown", stdin=io.BytesIO(DRAFT.read_bytes()))
    assert [(d.path, d.format) for d in docs] == [("<stdin>", "markdown")]
    assert docs[0].citations


def test_standard_input_has_the_size_cap_of_a_file(in_tmp: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    class Endless(io.RawIOBase):   # what `evgrade score - < /dev/zero` reads
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    feed_stdin(monkeypatch, Endless())
    assert main(["score", "-"]) == 2
    assert one_error_line(capsys) == ("evgrade: error: <stdin>: document is larger than the 50 MB limit "
                                      "(50,000,001 bytes)")


@pytest.mark.parametrize(("args", "data", "message"), [
    (["score", "-", "-"], b"text", "standard input ('-') can be read only once"),
    (["score", "-", "--stdin-format", "docx"], b"text", "unknown input format 'docx'"),
    (["score", str(ARTICLE), "--stdin-format", "md"], b"", "--stdin-format goes with '-'"),
    (["score", "-"], b"\xff\xfe", "<stdin>:1:1: document is not UTF-8 (byte 0xFF at byte offset 0)"),
    (["score", "-"], b"  \n", "<stdin>: empty file: there is no text to grade"),
    (["map", "-"], b"text", "map writes a claim map next to the articles"),
])
def test_standard_input_problems_are_one_line(args: list[str], data: bytes, message: str, in_tmp: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    feed_stdin(monkeypatch, data)
    assert main(args) == 2
    assert message in one_error_line(capsys)
