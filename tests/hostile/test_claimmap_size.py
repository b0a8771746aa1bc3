"""Issue 9, caps: a claim map is read only when it is a regular file under a size cap.

Before the cap a claim map was read whole whatever its size, and ``--map /dev/zero``
read without end. These tests failed then (or, for the device, would have hung).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evgrade.errors import ClaimMapError
from evgrade.link import claimmap
from evgrade.link.claimmap import load_claim_map

# reproduces the problem; the marker goes with the fix (next commits)
pytestmark = pytest.mark.xfail(reason="issue 9: not fixed yet", strict=False)

ROOT = Path(__file__).resolve().parents[2]
REAL_MAP = ROOT / "articles" / "claims.toml"


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
