"""Issue 9, caps: a claim map is read only when it is a regular file under its own size
cap, and a claim map or rubric nested past tomllib's recursion is a clear error.

Before: a claim map was read whole whatever its size (``--map /dev/zero`` read without
end; the shared file reader since refuses devices and caps every document at 50 MB, and
the claim map now has a 10 MB cap of its own), and ``a = [[[...]]]`` 3,000 deep in a claim
map or a rubric raised RecursionError, an internal error with exit 3.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evgrade.cli import main
from evgrade.errors import ClaimMapError, RubricError
from evgrade.grade.rubric import load_rubric
from evgrade.link import claimmap
from evgrade.link.claimmap import load_claim_map


ROOT = Path(__file__).resolve().parents[2]
REAL_MAP = ROOT / "articles" / "claims.toml"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray config


def test_the_real_map_is_under_the_cap() -> None:
    assert REAL_MAP.stat().st_size < claimmap.MAX_MAP_BYTES
    assert load_claim_map(REAL_MAP).entries


def test_a_map_over_the_cap_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = REAL_MAP.read_text(encoding="utf-8")
    monkeypatch.setattr(claimmap, "MAX_MAP_BYTES", len(text.encode()) - 1)
    big = tmp_path / "claims.toml"
    big.write_text(text, encoding="utf-8")
    with pytest.raises(ClaimMapError) as info:
        load_claim_map(big)
    message = str(info.value)
    assert message.startswith(str(big)) and "larger than" in message and "\n" not in message


def test_a_map_at_the_cap_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = REAL_MAP.read_bytes()
    monkeypatch.setattr(claimmap, "MAX_MAP_BYTES", len(data))
    copy = tmp_path / "claims.toml"
    copy.write_bytes(data)
    assert load_claim_map(copy).entries == load_claim_map(REAL_MAP).entries


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_without_reading_it() -> None:
    with pytest.raises(ClaimMapError) as info:
        load_claim_map("/dev/zero")
    assert "a device, not a claim map" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "claims.toml"
    os.mkfifo(fifo)
    with pytest.raises(ClaimMapError) as info:
        load_claim_map(fifo)
    assert "FIFO" in str(info.value)


DEEP = "a = " + "[" * 3000 + "]" * 3000 + "\n"


def test_a_claim_map_nested_too_deeply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "claims.toml"
    path.write_text(DEEP, encoding="utf-8")
    with pytest.raises(ClaimMapError, match="nested too deeply"):
        load_claim_map(path)
    article = tmp_path / "a.txt"
    article.write_text("Coffee is popular.\n", encoding="utf-8")
    assert main(["score", str(article), "--map", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and str(path) in err


def test_a_rubric_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(DEEP, encoding="utf-8")
    with pytest.raises(RubricError, match="nested too deeply") as info:
        load_rubric(path)
    assert str(info.value).startswith("deep.toml: ")  # shown relative to the working folder
