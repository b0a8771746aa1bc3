"""Plain-text grids that fit a width: cells wrap at spaces (or after a hyphen or slash),
and a word is never cut in the middle. A word longer than its whole column is left out
at the word boundary and an ellipsis shows where ("…").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import _patterns

Paint = Callable[[int, int, str], str]  # (row, column, padded text) -> text with colour codes

ELLIPSIS = "…"
GAP = "  "
_BREAK_AFTER = _patterns.compile(r"(?<=[-/])(?=[^-/\s])")  # a line may end after a hyphen or slash


@dataclass(frozen=True)
class Column:
    header: str
    weight: float = 1.0        # shrinks last when large: the claim column keeps its room
    limit: int | None = None   # never wider than this


def _pieces(word: str, width: int) -> list[str]:
    """``word`` split after hyphens/slashes into pieces that fit; ``[…]`` if one cannot."""
    if len(word) <= width:
        return [word]
    out: list[str] = []
    for part in _BREAK_AFTER.split(word):
        if len(part) > width:
            out.append(ELLIPSIS)
            break
        if out and len(out[-1]) + len(part) <= width and out[-1] != ELLIPSIS:
            out[-1] += part
        else:
            out.append(part)
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters; newlines in it start a line."""
    width = max(width, 1)
    lines: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for word in para.split():
            for k, piece in enumerate(_pieces(word, width)):
                glue = "" if not cur or k else " "  # pieces of one word join without a space
                if cur and len(cur) + len(glue) + len(piece) <= width:
                    cur += glue + piece
                else:
                    if cur:
                        lines.append(cur)
                    cur = piece
        lines.append(cur)
    return lines


def _longest_word(cells: Sequence[str]) -> int:
    words = [w for c in cells for w in c.split()]
    return max((max(len(p) for p in _BREAK_AFTER.split(w)) for w in words), default=1)


def _natural(col: Column, cells: Sequence[str]) -> int:
    longest = max([len(col.header)] + [len(line) for c in cells for line in c.split("\n")])
    return min(longest, col.limit) if col.limit else longest


def fit_widths(columns: Sequence[Column], cells: Sequence[Sequence[str]], width: int) -> list[int]:
    """Column widths that add up (with the gaps) to at most ``width``."""
    room = width - len(GAP) * (len(columns) - 1)
    widths = [_natural(c, [r[i] for r in cells]) for i, c in enumerate(columns)]
    floors = [min(w, max(len(c.header.split()[0]) if c.header else 1,
                         _longest_word([r[i] for r in cells]), 3))
              for i, (c, w) in enumerate(zip(columns, widths))]
    for floor_of in (floors, [min(3, w) for w in widths]):
        while sum(widths) > room:
            cand = [i for i, w in enumerate(widths) if w > floor_of[i]]
            if not cand:
                break
            i = max(cand, key=lambda j: widths[j] / columns[j].weight)
            widths[i] -= 1
    return widths


def render_grid(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, *,
                spaced: bool = True, paint: Paint | None = None) -> list[str]:
    """The header, a rule, then each row's wrapped lines (a blank line between rows).

    ``paint`` may colour a cell's text after it is padded, so colour codes never
    count towards a width."""
    widths = fit_widths(columns, rows, width)
    out = _lines([c.header for c in columns], widths)
    out.append(GAP.join("-" * w for w in widths))
    for n, row in enumerate(rows):
        if spaced and n:
            out.append("")
        out.extend(_lines(row, widths, n, paint))
    return out


def _lines(cells: Sequence[str], widths: Sequence[int], row: int = -1,
           paint: Paint | None = None) -> list[str]:
    wrapped = [wrap(c, w) for c, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    out = []
    for k in range(height):
        parts = []
        for i, w in enumerate(wrapped):
            text = (w[k] if k < len(w) else "").ljust(widths[i])
            parts.append(paint(row, i, text) if paint and text.strip() else text)
        out.append(GAP.join(parts).rstrip())
    return out


__all__ = ["Column", "ELLIPSIS", "GAP", "fit_widths", "render_grid", "wrap"]
