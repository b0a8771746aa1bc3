"""HTML pages, with the standard library's html.parser.

Offsets stay those of the original HTML: ``prose`` is blank everywhere except
the text nodes of prose elements (entities are kept as written). Page
furniture elements (nav, header, footer, aside, form) become one chrome block
each; script, style and the like are skipped.
"""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

from .._text import LineIndex
from ..models import Block, BlockKind, Document, Suppression
from ._common import Mask, ignore_codes, suppression_for

_SKIP = frozenset("script style noscript template svg math head".split())
_CHROME = frozenset("nav header footer aside form menu dialog".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_PROSE = frozenset("p blockquote td th dd dt figcaption caption summary".split())
_LIST = frozenset(["li"])
_CODE = frozenset(["pre", "code"])
_BLOCKS = _HEADINGS | _PROSE | _LIST | frozenset(["pre"])
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _Parser(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.index = LineIndex(text)
        self.keep: list[tuple[int, int]] = []             # prose text ranges
        self.blocks: list[tuple[BlockKind, int, int, str]] = []
        self.comments: list[tuple[int, int, tuple[str, ...]]] = []
        self.stack: list[tuple[str, int, list[bool]]] = []  # tag, start, [has nested block]
        self.title_parts: list[str] = []
        self.h1 = ""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.index.offset(line, col + 1)

    def _inside(self, names: frozenset[str]) -> bool:
        return any(tag in names for tag, _, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        start = self._offset()
        if tag in _BLOCKS:
            for _, _, nested in self.stack:
                nested[0] = True
        self.stack.append((tag, start, [False]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        pos = self._offset()
        end = self.text.find(">", pos)
        end = len(self.text) if end == -1 else end + 1
        # close up to the matching open tag (HTML allows omitted end tags)
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                break
        else:
            return
        while len(self.stack) > k:
            name, start, nested = self.stack.pop()
            self._close(name, start, end if name == tag else pos, nested[0])

    def _close(self, tag: str, start: int, end: int, nested: bool) -> None:
        if self._inside(_CHROME | _SKIP):
            return
        if tag in _CHROME:
            self.blocks.append(("chrome", start, end, f"<{tag}> element"))
        elif tag == "pre":
            self.blocks.append(("code", start, end, ""))
        elif tag in _BLOCKS and not nested:
            kind: BlockKind = ("heading" if tag in _HEADINGS else
                               "list-item" if tag in _LIST else "prose")
            self.blocks.append((kind, start, end, f"<{tag}>" if kind == "heading" else ""))

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def _text(self, data: str) -> None:
        start = self._offset()
        tags = [t for t, _, _ in self.stack]
        if "title" in tags:
            self.title_parts.append(data)
            return
        if self._inside(_SKIP | _CHROME | _CODE):
            return
        if "h1" in tags and not self.h1:
            self.h1 = " ".join(data.split())
        self.keep.append((start, start + len(data)))

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """``<![`` that opens neither CDATA nor a conditional comment makes html.parser raise
        AssertionError; browsers read it as a bogus comment up to the next ">", and so do we."""
        where = self.getpos()
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.lineno, self.offset = where  # the failed scan may have moved the position
            close = self.rawdata.find(">", i + 3)
            return len(self.rawdata) if close == -1 else close + 1

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        end = self.text.find("-->", start)
        end = len(self.text) if end == -1 else end + 3
        codes = ignore_codes(data)
        if codes is not None:
            self.comments.append((start, end, codes))


def read(source: str, path: str) -> Document:
    parser = _Parser(source)
    parser.feed(source)
    parser.close()
    while parser.stack:  # elements left open at the end of the file
        name, start, nested = parser.stack.pop()
        parser._close(name, start, len(source), nested[0])
    blocks = sorted(parser.blocks, key=lambda b: b[1])
    prose_ranges = [(s, e) for k, s, e, _ in blocks if k in ("prose", "list-item", "heading")]
    mask = Mask(source)
    keep = sorted(r for r in parser.keep if any(s <= r[0] and r[1] <= e for s, e in prose_ranges))
    pos = 0
    for s, e in keep:
        mask.blank(pos, s)
        pos = max(pos, e)
    mask.blank(pos, len(source))
    index = parser.index
    suppressions: list[Suppression] = []
    for s, e, codes in parser.comments:
        sup = suppression_for(codes, s, e, prose_ranges, index)
        if sup is not None:
            suppressions.append(sup)
    title = " ".join(unescape("".join(parser.title_parts)).split()) or unescape(parser.h1)
    return Document(path=path, format="html", text=source, prose=str(mask), title=title,
                    blocks=tuple(Block(kind=k, span=index.span(s, e), reason=r) for k, s, e, r in blocks),
                    suppressions=tuple(suppressions))
