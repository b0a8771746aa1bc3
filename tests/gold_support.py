"""Shared check for gold files: each unit sits where it says, and they cover the text."""

from __future__ import annotations

import re
from pathlib import Path

from evgrade.evaluate.claims import gold_offsets, load_gold


def assert_gold_covers_text(article: Path, gold: Path, *, skip: re.Pattern[str] | None = None) -> None:
    """Units match the text (gold_offsets raises otherwise), are in file order without
    overlap, hold no blank line, and cover every non-blank character not matched by ``skip``."""
    text = article.read_text(encoding="utf-8")
    units = load_gold(gold)
    covered = [False] * len(text)
    if skip is not None:
        for m in skip.finditer(text):
            covered[m.start():m.end()] = [True] * (m.end() - m.start())
    previous_end = 0
    for unit, (start, end) in zip(units, gold_offsets(text, units, path=str(gold))):
        assert unit.text == unit.text.strip() and "\n\n" not in unit.text
        assert start >= previous_end, "units are in file order and do not overlap"
        previous_end = end
        covered[start:end] = [True] * (end - start)
    stray = [(i, ch) for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert stray == []
