"""Helpers shared by the readers: the prose mask, line records, suppressions."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .. import _patterns
from .. import _findings as findings
from .._text import LineIndex
from ..models import Suppression


class Mask:
    """The text with non-prose characters blanked: each is a space in the result.

    Newlines (and the carriage returns of CRLF files) survive blanking so the
    prose keeps the line structure and every offset of the source. What is blanked
    is one byte per character (a list of the characters would cost 8 bytes each, and
    an object for each one outside Latin-1); blanking a range is one slice assignment.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._blanked = bytearray(len(text))

    def blank(self, start: int, end: int) -> None:
        start, end = max(start, 0), min(end, len(self._text))
        if start < end:
            self._blanked[start:end] = _BLANKED * (end - start)

    def text(self, start: int, end: int) -> str:
        """The masked text of ``[start, end)``: ``str(mask)[start:end]`` without building it all."""
        start, end, _ = slice(start, end).indices(len(self._text))   # as str slicing reads them
        if start >= end:
            return ""
        out, pos = [], start
        for run in _RUNS.finditer(self._blanked, start, end):
            a, b = run.span()
            out += (self._text[pos:a], _NOT_LINE_END.sub(" ", self._text[a:b]))
            pos = b
        out.append(self._text[pos:end])
        return "".join(out)

    def __str__(self) -> str:
        return self.text(0, len(self._text))


_BLANKED = b"\x01"
_RUNS = _patterns.compile(rb"\x01+")
_NOT_LINE_END = _patterns.compile(r"[^\r\n]")


@dataclass(frozen=True)
class Line:
    start: int        # offset of the first character
    end: int          # offset of the line end, before "\r\n" or "\n"
    text: str         # the line without its line end

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text.expandtabs(4)) - len(self.text.expandtabs(4).lstrip(" "))


def split_lines(text: str) -> list[Line]:
    """Lines split on "\\n" only (str.splitlines also splits on form feeds and U+2028)."""
    lines: list[Line] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        stop = n if nl == -1 else nl
        end = stop - 1 if stop > pos and text[stop - 1] == "\r" else stop
        lines.append(Line(pos, end, text[pos:end]))
        if nl == -1:
            break
        pos = nl + 1
    if lines and lines[-1].start == n and n > 0:
        lines.pop()  # the empty remainder after a final newline is not a line
    return lines


# "evgrade: ignore" optionally followed by codes or names, e.g. "EV201 EV203" or
# "claim-without-citation"; nothing after "ignore" means every code.
IGNORE_RE = _patterns.compile(r"evgrade\s*:\s*ignore\b([^\n]*)", re.IGNORECASE)
_TOKEN = _patterns.compile(r"[A-Za-z][\w-]*")


def ignore_codes(comment: str) -> tuple[str, ...] | None:
    """Codes named by an ``evgrade: ignore`` comment; None when it is not one."""
    m = IGNORE_RE.search(comment)
    if not m:
        return None
    codes: list[str] = []
    for token in _TOKEN.findall(m.group(1)):
        try:
            code = findings.spec(token.upper() if token[:2].upper() == "EV" else token.lower()).code
        except KeyError:
            code = token.upper()  # unknown codes are kept so a typo stays visible
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def suppression_for(codes: tuple[str, ...], comment_start: int, comment_end: int,
                    blocks: list[tuple[int, int]], index: LineIndex) -> Suppression | None:
    """Attach an ignore comment to the paragraph containing it, else to the next one.

    ``blocks`` are (start, end) offsets of the candidate paragraphs in order.
    """
    return SuppressionTargets(blocks, index).for_comment(codes, comment_start, comment_end)


class SuppressionTargets:
    """The paragraphs ignore comments attach to, searched by bisection.

    Looking through every paragraph for every comment is quadratic in a file
    with many of both; paragraphs in order and not overlapping (what the
    readers give) are bisected, anything else is searched in order as before.
    """

    def __init__(self, blocks: list[tuple[int, int]], index: LineIndex) -> None:
        self.blocks, self.index = blocks, index
        self.starts = [s for s, _ in blocks]
        self.in_order = all(a[1] <= b[0] for a, b in zip(blocks, blocks[1:])) and \
            all(s <= e for s, e in blocks)

    def for_comment(self, codes: tuple[str, ...], comment_start: int, comment_end: int) -> Suppression | None:
        """The paragraph containing the comment, else the first one after it, else None."""
        found = self._find(comment_start, comment_end)
        return Suppression(codes=codes, span=self.index.span(*found)) if found else None

    def _find(self, comment_start: int, comment_end: int) -> tuple[int, int] | None:
        blocks = self.blocks
        if not self.in_order:
            return next((b for b in blocks if b[0] <= comment_start and comment_end <= b[1]), None) or \
                next((b for b in blocks if b[0] >= comment_end), None)
        k = bisect.bisect_right(self.starts, comment_start) - 1
        if k >= 0 and comment_end <= blocks[k][1]:
            return blocks[k]
        k = bisect.bisect_left(self.starts, comment_end)
        return blocks[k] if k < len(blocks) else None
