"""Claims by grade per article, as bars: the numbers both charts (TikZ and SVG) draw."""

from __future__ import annotations

from dataclasses import dataclass

from ._view import ReportView

# best level first; a rubric with more levels reuses the middle colours
_PALETTE = ("1B5E20", "558B2F", "B26A00", "D84315", "B71C1C")
OTHER = "9E9E9E"


def level_colours(levels: tuple[str, ...], rubric_levels: int) -> dict[str, str]:
    """Hex colour per grade: the rubric's levels from green (best) to red (lowest)."""
    out: dict[str, str] = {}
    n = rubric_levels
    for i, level in enumerate(levels):
        if i >= n:
            out[level] = OTHER
        elif n == 1:
            out[level] = _PALETTE[0]
        else:
            out[level] = _PALETTE[round(i * (len(_PALETTE) - 1) / (n - 1))]
    return out


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    segments: tuple[tuple[str, int, int], ...]  # (grade, count, claims before it)


def bars(view: ReportView) -> list[Bar]:
    out = []
    for a in view.articles:
        segs, start = [], 0
        for grade, n in a.counts.by_grade:
            if n:
                segs.append((grade, n, start))
                start += n
        out.append(Bar(label=a.title or a.name, total=a.counts.claims, segments=tuple(segs)))
    return out


__all__ = ["Bar", "OTHER", "bars", "level_colours"]
