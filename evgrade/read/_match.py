"""Matching brackets, code-span closers and the next occurrence of a string, in one pass.

The readers ask the same questions many times over one text: where does the
bracket opened here close, where is the next "-->", where does this run of
backticks close. Answered by scanning forward from each question, an
unclosed "[" repeated 10,000 times costs 10,000 scans of the rest of the
text (quadratic: 55 s for 40 KB). Each class here answers every question of
one kind from one pass over the text, with a stack or a sorted list of
positions, and gives exactly the answer the forward scan gave.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from .. import _patterns

_BACKTICKS = _patterns.compile(r"`+")


def match_pairs(text: str, start: int, end: int, open_: str, close: str, *,
                counts: Callable[[int], bool] | None = None, blank_line_stops: bool = False) -> dict[int, int]:
    """Offset of each ``open_`` in ``text[start:end]`` -> offset of the ``close`` matching it.

    The answer for one opener is what a scan from it gives: a depth counter, +1
    at every ``open_``, -1 at every ``close``, the closer is where it returns to
    0. ``counts(i)`` says whether the character at ``i`` counts at all (an
    escaped brace does not); with ``blank_line_stops`` a blank line ("\\n\\n")
    ends every scan that reaches it. Unmatched openers are not in the result.
    """
    pattern = re.escape(open_) + "|" + re.escape(close) + ("|\n" if blank_line_stops else "")
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in _patterns.compile(pattern).finditer(text, start, end):
        i = m.start()
        c = m.group()
        if c == "\n":
            if text[i + 1:i + 2] == "\n":
                stack.clear()
        elif counts is not None and not counts(i):
            continue
        elif c == open_:
            stack.append(i)
        elif stack:
            pairs[stack.pop()] = i
    return pairs


class Occurrences:
    """Offsets where ``needle`` starts in ``text`` (overlapping ones too): ``find``
    answers ``text.find(needle, pos, end)`` by bisection. With ``regex`` the needle
    is a pattern, and ``find(pos)`` is where the first match at or after ``pos`` starts."""

    def __init__(self, text: str, needle: str, *, regex: bool = False) -> None:
        self._length = 0 if regex else len(needle)
        self._starts = [m.start() for m in re.finditer(f"(?={needle if regex else re.escape(needle)})", text)]

    def find(self, pos: int, end: int | None = None) -> int:
        k = bisect.bisect_left(self._starts, pos)
        if k == len(self._starts):
            return -1
        found = self._starts[k]
        return -1 if end is not None and found + self._length > end else found


class BacktickRuns:
    """The maximal runs of backticks in ``text[start:end]`` (a run is cut at ``end``)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        runs = [(m.start(), m.end() - m.start()) for m in _BACKTICKS.finditer(text, start, end)]
        self.starts = [s for s, _ in runs]
        self.lengths = [n for _, n in runs]
        self._by_length: dict[int, list[int]] = {}
        for s, n in runs:
            self._by_length.setdefault(n, []).append(s)
        # for "at least r backticks": the starts of the runs at least as long as each length
        self._sizes = sorted(self._by_length)
        self._at_least: list[list[int]] = [[] for _ in self._sizes]
        longer: list[int] = []
        for k in range(len(self._sizes) - 1, -1, -1):
            longer = sorted(longer + self._by_length[self._sizes[k]])
            self._at_least[k] = longer

    def run_end(self, pos: int) -> int:
        """End of the run holding the backtick at ``pos``."""
        k = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[k] + self.lengths[k]

    def exactly(self, length: int, pos: int) -> int:
        """Start of the first run of exactly ``length`` backticks starting at or after ``pos``, or -1."""
        starts = self._by_length.get(length, [])
        k = bisect.bisect_left(starts, pos)
        return starts[k] if k < len(starts) else -1

    def at_least(self, length: int, pos: int) -> int:
        """Start of the first run of ``length`` or more backticks starting at or after ``pos``, or -1."""
        k = bisect.bisect_left(self._sizes, length)
        if k == len(self._sizes):
            return -1
        starts = self._at_least[k]
        i = bisect.bisect_left(starts, pos)
        return starts[i] if i < len(starts) else -1


class BracketWalk:
    """The "]" closing a "[" in Markdown inline text, for every "[" of one block.

    The scan from a "[" counts brackets, skips the character after a
    backslash, jumps over a code span (a run of n backticks to the next n
    backticks, or just the run when none follows) and gives up at a blank
    line. Where it goes next from a position never depends on where it
    started, so the scans from all the brackets of a block are paths in one
    forest (each special character points to the next one a scan reaches);
    the closing bracket of a "[" is the first node of its path where the
    bracket count falls back, found for all nodes at once from the end.
    """

    _SPECIAL = _patterns.compile(r"[\[\]\\`\n]")

    def __init__(self, text: str, start: int, end: int, runs: BacktickRuns) -> None:
        nodes = [m.start() for m in self._SPECIAL.finditer(text, start, end)
                 if text[m.start()] != "\n" or text[m.start() + 1:m.start() + 2] == "\n"]
        after = [self._step(text, p, end, runs) for p in nodes]    # -1: the scan stops here
        # the next node of each node's path; len(nodes): the path ends (a blank line or the end)
        nxt = [bisect.bisect_left(nodes, a) if a != -1 else len(nodes) for a in after]
        weight = [1 if text[p] == "[" else -1 if text[p] == "]" else 0 for p in nodes]
        up = _first_rise(nxt, _count_after(nxt, weight))
        self._close = {nodes[k]: nodes[u] for k, u in enumerate(up) if weight[k] == 1 and u != -1}

    @staticmethod
    def _step(text: str, p: int, end: int, runs: BacktickRuns) -> int:
        """Where a scan at special character ``p`` goes on (-1: a blank line, it stops)."""
        c = text[p]
        if c == "\\":
            return p + 2
        if c == "`":
            run = runs.run_end(p) - p
            close = runs.at_least(run, p + run)
            return close + run if close != -1 else p + run
        if c == "\n":
            return -1
        return p + 1

    def close(self, open_: int) -> int:
        """Offset of the "]" closing the "[" at ``open_``, or -1."""
        return self._close.get(open_, -1)


def _count_after(nxt: list[int], weight: list[int]) -> list[int]:
    """For each node, the bracket count from the node after it to the end of its path."""
    count = len(nxt)
    total = [0] * (count + 1)   # from a node (itself included) to the end of its path
    for k in range(count - 1, -1, -1):
        total[k] = weight[k] + total[nxt[k]]
    return [total[nxt[k]] for k in range(count)]


def _first_rise(nxt: list[int], left: list[int]) -> list[int]:
    """For each node, the first later node of its path whose ``left`` exceeds its own (-1:
    none). ``left`` changes by at most 1 from a node to the next, so each answer follows
    from the answers for later nodes in constant time."""
    count = len(nxt)
    up = [-1] * count
    for k in range(count - 1, -1, -1):
        u = nxt[k]
        if u == count:
            continue
        if left[u] > left[k]:
            up[k] = u
        elif left[u] == left[k]:
            up[k] = up[u]
        elif up[u] != -1:
            up[k] = up[up[u]]
    return up
