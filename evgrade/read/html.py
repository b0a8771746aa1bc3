"""HTML pages, read with :mod:`._html_tokens` (html.parser's rules, in linear time).

Offsets stay those of the original HTML: ``prose`` is blank everywhere except
the text nodes of prose elements (entities are kept as written). Page
furniture elements (nav, header, footer, aside, form) become one chrome block
each; script, style and the like are skipped.
"""

from __future__ import annotations

import bisect
from collections import Counter
from html import unescape
from typing import NamedTuple

from .._text import LineIndex
from ..models import Block, BlockKind, Document
from ._common import Mask, SuppressionTargets, ignore_codes
from ._html_tokens import Tokenizer
from ._match import Occurrences

_SKIP = frozenset("script style noscript template svg math head".split())
_CHROME = frozenset("nav header footer aside form menu dialog".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_PROSE = frozenset("p blockquote td th dd dt figcaption caption summary".split())
_LIST = frozenset(["li"])
_CODE = frozenset(["pre", "code"])
_BLOCKS = _HEADINGS | _PROSE | _LIST | frozenset(["pre"])
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _Open(NamedTuple):
    tag: str
    start: int
    blocks_before: int   # block elements started before this one


class _Reader:
    """Builds the blocks and prose ranges from the tokens (:mod:`._html_tokens`).

    The open elements are a stack; how many of each tag are open, and where the
    topmost of each tag is, are kept alongside, so no token looks through the
    whole stack (a page of 30,000 unclosed ``<b>`` made that quadratic).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.keep: list[tuple[int, int]] = []             # prose text ranges
        self.blocks: list[tuple[BlockKind, int, int, str]] = []
        self.comments: list[tuple[int, int, tuple[str, ...]]] = []
        self.stack: list[_Open] = []
        self.open: Counter[str] = Counter()             # open elements by tag
        self.where: dict[str, list[int]] = {}           # tag -> its places in the stack
        self.block_starts = 0
        self.title_parts: list[str] = []
        self.h1 = ""
        self._comment_ends = Occurrences(text, "-->")

    def _inside(self, names: frozenset[str]) -> bool:
        return any(self.open[tag] for tag in names)

    def feed(self) -> None:
        handlers = {"start": self._start, "end": self._end, "text": self._text, "comment": self._comment}
        for token in Tokenizer(self.text).tokens():
            handler = handlers.get(token.kind)   # "<x/>" is skipped, as it always was
            if handler is not None:
                handler(token.start, token.data)
        while self.stack:  # elements left open at the end of the file
            self._close(self._pop(), len(self.text))

    def _start(self, start: int, tag: str) -> None:
        if tag in _VOID:
            return
        if tag in _BLOCKS:
            self.block_starts += 1   # every element open now holds a nested block
        self.where.setdefault(tag, []).append(len(self.stack))
        self.open[tag] += 1
        self.stack.append(_Open(tag, start, self.block_starts))

    def _pop(self) -> _Open:
        element = self.stack.pop()
        self.where[element.tag].pop()
        self.open[element.tag] -= 1
        return element

    def _end(self, pos: int, tag: str) -> None:
        end = self.text.find(">", pos)
        end = len(self.text) if end == -1 else end + 1
        # close up to the matching open tag (HTML allows omitted end tags)
        places = self.where.get(tag)
        if not places:
            return
        k = places[-1]
        while len(self.stack) > k:
            element = self._pop()
            self._close(element, end if element.tag == tag else pos)

    def _close(self, element: _Open, end: int) -> None:
        if self._inside(_CHROME_OR_SKIP):
            return
        tag, start = element.tag, element.start
        nested = self.block_starts > element.blocks_before
        if tag in _CHROME:
            self.blocks.append(("chrome", start, end, f"<{tag}> element"))
        elif tag == "pre":
            self.blocks.append(("code", start, end, ""))
        elif tag in _BLOCKS and not nested:
            kind: BlockKind = ("heading" if tag in _HEADINGS else
                               "list-item" if tag in _LIST else "prose")
            self.blocks.append((kind, start, end, f"<{tag}>" if kind == "heading" else ""))

    def _text(self, start: int, data: str) -> None:
        if self.open["title"]:
            self.title_parts.append(data)
            return
        if self._inside(_NOT_PROSE):
            return
        if self.open["h1"] and not self.h1:
            self.h1 = " ".join(data.split())
        self.keep.append((start, start + len(data)))

    def _comment(self, start: int, data: str) -> None:
        end = self._comment_ends.find(start)
        end = len(self.text) if end == -1 else end + 3
        codes = ignore_codes(data)
        if codes is not None:
            self.comments.append((start, end, codes))


_CHROME_OR_SKIP = _CHROME | _SKIP
_NOT_PROSE = _SKIP | _CHROME | _CODE


def read(source: str, path: str) -> Document:
    reader = _Reader(source)
    reader.feed()
    blocks = sorted(reader.blocks, key=lambda b: b[1])
    prose_ranges = [(s, e) for k, s, e, _ in blocks if k in ("prose", "list-item", "heading")]
    mask = Mask(source)
    pos = 0
    for s, e in _inside_ranges(reader.keep, prose_ranges):
        mask.blank(pos, s)
        pos = max(pos, e)
    mask.blank(pos, len(source))
    index = LineIndex(source)
    targets = SuppressionTargets(prose_ranges, index)
    found = (targets.for_comment(codes, s, e) for s, e, codes in reader.comments)
    suppressions = tuple(sup for sup in found if sup is not None)
    title = " ".join(unescape("".join(reader.title_parts)).split()) or unescape(reader.h1)
    return Document(path=path, format="html", text=source, prose=str(mask), title=title,
                    blocks=tuple(Block(kind=k, span=index.span(s, e), reason=r) for k, s, e, r in blocks),
                    suppressions=suppressions)


def _inside_ranges(keep: list[tuple[int, int]], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The text ranges that lie inside one of ``ranges`` (sorted), found by bisection when the
    ranges are in order and apart (as the reader makes them), else by looking through them."""
    starts = [s for s, _ in ranges]
    apart = all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:]))

    def inside(r: tuple[int, int]) -> bool:
        if not apart:
            return any(s <= r[0] and r[1] <= e for s, e in ranges)
        k = bisect.bisect_right(starts, r[0]) - 1
        return k >= 0 and r[1] <= ranges[k][1]

    return sorted(r for r in keep if inside(r))
