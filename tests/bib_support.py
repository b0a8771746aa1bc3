"""Shared by the splitter's tests: the text of every real .bib file in ../shared/fixtures."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"


def every_fixture_bib() -> list[str]:
    """Each fixture .bib file's text, in path order (bytes that are not UTF-8 kept as
    surrogates, as the splitter must cope with any text)."""
    return [p.read_text(encoding="utf-8", errors="surrogateescape") for p in sorted(FIXTURES.rglob("*.bib"))]
