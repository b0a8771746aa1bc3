"""Offsets to line/column, shared by every stage that reports a place."""

from __future__ import annotations

import bisect

from .models import Span


class LineIndex:
    """Maps 0-based character offsets of one text to 1-based (line, col)."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            self._starts.append(i + 1)
            i = find("\n", i + 1)
        self._len = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self._len))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, col: int) -> int:
        """Inverse of :meth:`position` (1-based line and col)."""
        return self._starts[line - 1] + col - 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        # the end position names the last character, as editors show a selection
        end_line, end_col = self.position(max(start, end - 1))
        return Span(start=start, end=end, line=line, col=col, end_line=end_line, end_col=end_col)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
