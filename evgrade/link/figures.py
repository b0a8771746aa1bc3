"""Figures in a claim, checked against the results entries record (docs/claim-map.md, "Figures").

A claim's figures are its percentages ("70%", "70.8 percent") and its counts of
"N of M" ("7 of 10 patients", read as a percentage). A figure matches a recorded
result when the two differ by at most :data:`TOLERANCE` percentage points, the
rounding a writer does when "70.8%" becomes "70%"; a figure the claim itself gives
as approximate ("about 70%", "nearly", "roughly", "~") gets :data:`APPROXIMATE`.
"More than 70%" is met by any result at or above 70% less the tolerance; "up to
70%" by any at or below 70% plus it. The check compares numbers, not what they
measure: a match names the recorded measure so that a reader can judge it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .. import _patterns
from ..models import RecordedResult

TOLERANCE = 1.0      # percentage points: "70%" for 70.8% or 71%, not for 68.0%
APPROXIMATE = 2.5    # for "about 70%", "nearly 70%", "~70%"

_PERCENT = _patterns.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_OF = _patterns.compile(r"\b(\d{1,4}) (?:out )?of (?:the )?(\d{1,4})\b(?! ?%)", re.IGNORECASE)
_APPROX = _patterns.compile(r"(?:\babout|\baround|\bapproximately|\bnearly|\balmost|\broughly|\bsome|"
                     r"\bclose to|\bestimated|~|≈)\s*$", re.IGNORECASE)
_ABOVE = _patterns.compile(r"(?:\bmore than|\bover|\babove|\bat least|\bexceeding|\bgreater than|>|≥)\s*$",
                    re.IGNORECASE)
_BELOW = _patterns.compile(r"(?:\bless than|\bunder|\bbelow|\bup to|\bat most|\bfewer than|<|≤)\s*$",
                    re.IGNORECASE)

Bound = Literal["exact", "approximate", "above", "below"]


@dataclass(frozen=True)
class Figure:
    """One figure of a claim: its text, its value in percent and how it is bounded."""

    text: str
    value: float
    bound: Bound = "exact"


def _bound(before: str) -> Bound:
    if _APPROX.search(before):
        return "approximate"
    if _ABOVE.search(before):
        return "above"
    return "below" if _BELOW.search(before) else "exact"


def claim_figures(text: str) -> list[Figure]:
    """The percentages of a claim, and its "N of M" counts as percentages."""
    out: list[Figure] = []
    for m in _PERCENT.finditer(text):
        out.append(Figure(m.group(0), float(m.group(1)), _bound(text[max(0, m.start() - 20):m.start()])))
    for m in _OF.finditer(text):
        part, whole = int(m.group(1)), int(m.group(2))
        if 0 < whole and part <= whole:
            out.append(Figure(m.group(0), round(100 * part / whole, 1),
                              _bound(text[max(0, m.start() - 20):m.start()])))
    return out


def matches(figure: Figure, result: RecordedResult) -> bool:
    """Does a recorded result bear the claim's figure out (see the module doc)?"""
    if figure.bound == "above":
        return result.value >= figure.value - TOLERANCE
    if figure.bound == "below":
        return result.value <= figure.value + TOLERANCE
    tolerance = APPROXIMATE if figure.bound == "approximate" else TOLERANCE
    return abs(result.value - figure.value) <= tolerance + 1e-9


def nearest(figure: Figure, results: tuple[RecordedResult, ...] | list[RecordedResult]
            ) -> RecordedResult | None:
    """The recorded result closest to the figure (matching ones first)."""
    if not results:
        return None
    return min(results, key=lambda r: (not matches(figure, r), abs(r.value - figure.value)))


__all__ = ["APPROXIMATE", "TOLERANCE", "Figure", "claim_figures", "matches", "nearest"]
