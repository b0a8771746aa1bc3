"""Cross-check: the citation keys evgrade finds are the ones pandoc finds."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from evgrade.read import read_path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DRAFTS = Path(__file__).resolve().parents[1] / "data" / "drafts"
MARKDOWN = [SHARED / "fixtures" / "drafts" / "joss-timeseriesflattener" / "paper.md",
            DRAFTS / "citations.md"]

pytestmark = [pytest.mark.pandoc,
              pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")]


def pandoc_keys(path: Path) -> set[str]:
    out = subprocess.run(["pandoc", "-f", "markdown", "-t", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                keys.update(c["citationId"] for c in node["c"][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(out))
    return keys


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_same_keys_as_pandoc(path: Path) -> None:
    assert {c.key for c in read_path(path).citations} == pandoc_keys(path)


def test_known_divergence_bare_urls() -> None:
    """pandoc reads "@someone" inside a bare URL as a citation; evgrade does not, on purpose."""
    path = DRAFTS / "bare-url-handles.md"
    ours = {c.key for c in read_path(path).citations}
    assert pandoc_keys(path) - ours == {"someone", "writer/post"}
    assert ours == {"Zarate2006"}
