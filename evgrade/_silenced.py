"""Which findings the user silenced: ``--ignore`` codes and inline ``evgrade: ignore`` comments."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from . import _findings as catalogue
from .models import Document, Finding


def filter_findings(found: list[Finding], documents: Sequence[Document], ignore: frozenset[str]) -> list[Finding]:
    """Drop ignored codes and findings silenced by an inline ``evgrade: ignore`` comment."""
    ignored = {catalogue.spec(c).code for c in ignore}
    silenced = {doc.path: _Silenced(doc.suppressions) for doc in documents}
    kept = []
    for f in found:
        if f.code in ignored:
            continue
        if f.line is not None and f.path in silenced and silenced[f.path].covers(f.line, f.code):
            continue
        kept.append(f)
    kept.sort(key=catalogue.finding_order)
    return kept


class _Silenced:
    """The lines an ``evgrade: ignore`` comment silences in one document, and for which codes.

    Looking through every suppression for every finding is quadratic in a draft with
    many of both; suppressed paragraphs do not share lines (as the readers make them),
    so the one that may hold a line is found by bisection (else all are looked through).
    """

    def __init__(self, suppressions: Sequence[Any]) -> None:
        self.suppressions = suppressions
        spans: dict[tuple[int, int], frozenset[str] | None] = {}   # None: every code
        for s in suppressions:
            key = (s.span.line, s.span.end_line)
            codes = spans.get(key, frozenset())
            spans[key] = None if codes is None or not s.codes else codes | frozenset(s.codes)
        self.spans = sorted(spans.items())
        self.starts = [line for (line, _), _ in self.spans]
        self.apart = all(a[0][1] < b[0][0] for a, b in zip(self.spans, self.spans[1:]))

    def covers(self, line: int, code: str) -> bool:
        if not self.apart:
            return any(s.span.line <= line <= s.span.end_line and (not s.codes or code in s.codes)
                       for s in self.suppressions)
        k = bisect.bisect_right(self.starts, line) - 1
        if k < 0:
            return False
        (_, end_line), codes = self.spans[k]
        return line <= end_line and (codes is None or code in codes)
