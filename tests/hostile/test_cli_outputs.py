"""Issue 9, item 8 (command-line part): where the output goes, and what a failed write says.

Before the fix ``-o ''`` wrote the report to standard output and exited 0, and a
full disk during ``evgrade map`` printed "evgrade: error: No space left on device"
without the name of the file it could not write. These tests failed then.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from evgrade import _atomic
from evgrade.cli import main

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = sorted((ROOT / "articles").glob("*.txt"))


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_DEBUG", raising=False)


def run(argv: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        code = main(argv)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def disk_full(monkeypatch: pytest.MonkeyPatch, call: str = "write") -> None:
    """Every write to a file (not to the terminal's fds 1 and 2) fails with ENOSPC."""
    real = getattr(os, call)

    def full(fd: int, *args: object) -> object:
        if fd in (1, 2):
            return real(fd, *args)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_atomic.os, call, full)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("command", [["score", str(ARTICLES[0])], ["check", str(ARTICLES[0])]])
@pytest.mark.parametrize("flag", ["-o", "--output"])
def test_an_empty_output_name_is_a_usage_error(tmp_path: Path, capsys, command, flag) -> None:
    code, out, err = run([*command, flag, ""], tmp_path, capsys)
    assert code == 2
    assert out == ""  # nothing went to standard output instead
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "--output" in lines[0], err


def test_an_empty_map_name_is_a_usage_error(tmp_path: Path, capsys) -> None:
    # before: '--map ""' fell back to claims.toml next to the article and wrote it
    shutil.copy(ARTICLES[0], tmp_path)
    code, out, err = run(["map", ARTICLES[0].name, "--map", ""], tmp_path, capsys)
    assert code == 2 and out == "" and "--map" in err
    assert not (tmp_path / "claims.toml").exists()


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_full_disk_during_map_names_the_file_and_keeps_it(tmp_path: Path, capsys,
                                                            monkeypatch, call: str) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLES[0], folder)
    assert run(["map", "articles"], tmp_path, capsys)[0] == 0
    target = folder / "claims.toml"
    before = target.read_bytes()
    shutil.copy(ARTICLES[1], folder)  # the next run has claims to append
    disk_full(monkeypatch, call)
    code, out, err = run(["map", "articles"], tmp_path, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(Path("articles") / "claims.toml") in lines[0]
    assert "No space left on device" in lines[0]
    assert target.read_bytes() == before
    assert leftovers(folder) == []


def test_a_full_disk_during_a_report_names_the_file(tmp_path: Path, capsys, monkeypatch) -> None:
    report = tmp_path / "report.txt"
    report.write_text("the old report\n", encoding="utf-8")
    disk_full(monkeypatch)
    code, out, err = run(["score", str(ARTICLES[0]), "-o", str(report)], tmp_path, capsys)
    assert code == 2 and out == ""
    assert str(report) in err and "No space left on device" in err
    assert report.read_text(encoding="utf-8") == "the old report\n"
    assert leftovers(tmp_path) == []


def test_write_atomic_keeps_the_original_and_names_it(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "data.bin"
    target.write_bytes(b"original")
    os.chmod(target, 0o640)
    disk_full(monkeypatch)
    with pytest.raises(OSError) as info:
        _atomic.write_atomic(target, b"new bytes" * 1000)
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == str(target)
    assert target.read_bytes() == b"original"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert leftovers(tmp_path) == []


def test_write_atomic_handles_short_writes(tmp_path: Path, monkeypatch) -> None:
    # os.write may write fewer bytes than asked (signals, pipes, some file systems)
    real = os.write
    monkeypatch.setattr(_atomic.os, "write", lambda fd, data: real(fd, bytes(data[:7])))
    target = tmp_path / "short.txt"
    payload = bytes(range(256)) * 40
    _atomic.write_atomic(target, payload)
    assert target.read_bytes() == payload


def test_output_to_a_fifo_writes_through_it_and_leaves_it_a_fifo(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``-o /dev/null`` once replaced /dev/null (as root) with a regular file: the atomic
    writer renamed its temporary file over the device. A device, FIFO or socket is now
    written to, never replaced; a FIFO stands in for the device here."""
    import stat
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(["score", str(ARTICLES[0]), "--format", "json", "-o", str(fifo)], tmp_path, capsys)
    reader.join(timeout=60)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(b"{") and b'"articles"' in received[0]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
