"""Behaviour snapshots: whole-command output that a refactor must not change.

The files in tests/snapshots/ were written by running evgrade itself. A change
that alters output on purpose regenerates them (``EVGRADE_UPDATE_SNAPSHOTS=1``)
in its own commit and says why; any other difference is a regression.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from evgrade.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNAPSHOTS = ROOT / "tests" / "snapshots"
JOSS = SHARED / "fixtures" / "drafts" / "joss-timeseriesflattener"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_DEBUG", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)


def _run(argv: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        code = main(argv)
    finally:
        os.chdir(old)
    out, _ = capsys.readouterr()
    return code, out


def _compare(name: str, code: int, out: str) -> None:
    path = SNAPSHOTS / name
    actual = f"exit {code}\n{out}"
    if os.environ.get("EVGRADE_UPDATE_SNAPSHOTS"):
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} changed; if on purpose, regenerate it in its own commit"


def test_score_json_of_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["score", "--format", "json"], ROOT, capsys)
    _compare("score.json.txt", code, out)


def test_score_text_of_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["score"], ROOT, capsys)
    _compare("score.txt", code, out)


@pytest.mark.parametrize("fmt", ["lint", "json"])
def test_check_of_the_real_joss_draft(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "draft"
    shutil.copytree(JOSS, work)
    code, out = _run(["check", "paper.md", "--format", fmt], work, capsys)
    _compare(f"check-joss.{fmt}.txt", code, out)
