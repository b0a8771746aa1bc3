"""Pandoc Markdown drafts (.md, .markdown, .qmd, .rmd).

Two masks are built over the source: ``scan`` blanks what can never hold a
citation (code, math, comments, HTML tags, URLs, escapes, raw TeX) and is what
the citation scanner reads; ``prose`` additionally blanks markup (heading and
list markers, link syntax, emphasis, table pipes) and the citations. This
module finds the blocks; :mod:`._md_inline` blanks the syntax inside them and
:mod:`._pandoc_cites` finds the citations.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .. import _patterns
from .._text import LineIndex
from ..models import Block, BlockKind, Citation, Document, Suppression
from .._citekeys import is_crossref_label, shows_key
from . import _frontmatter, _pandoc_cites, sections
from ._md_inline import ATTR, blank_inline
from ._chrome import REFERENCES
from ._common import Line, Mask, SuppressionTargets, ignore_codes, split_lines
from ._match import Occurrences

_FENCE = _patterns.compile(r"^ {0,3}(`{3,}|~{3,})([^`]*)$")
_ATX = _patterns.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
# The closing sequence of an ATX heading, "(?:[ \t]+#+)?[ \t]*(?:\{[^}]*\})?[ \t]*$", matched
# backwards from the line end: searched forwards it retries from every position of the line.
_ATX_CLOSE_REVERSED = _patterns.compile(r"[ \t]*(?:\}[^}]*\{)?[ \t]*(?:#+[ \t]+)?")
_SETEXT = _patterns.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HRULE = _patterns.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST = _patterns.compile(r"^( {0,3})(?:[-*+]|\d{1,9}[.)]|#[.)]|[a-zA-Z][.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$)")
_QUOTE = _patterns.compile(r"^ {0,3}>[ \t]?")
_DIV = _patterns.compile(r"^ {0,3}:{3,}")
_REFDEF = _patterns.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S")
_FOOTDEF = _patterns.compile(r"^ {0,3}\[\^[^\]]+\]:[ \t]?")
# "|---|:---:|": no two runs of spaces meet (that made a long line of spaces quadratic)
_TABLE_SEP = _patterns.compile(r"^[ \t]*(?:\|[ \t]*)?:?-{2,}:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?$")
_TABLE_ROW = _patterns.compile(r"^[ \t]*\|")
# an image paragraph "![caption](x.png)", a table caption "Table: ...", a table
# footnote "^a^ Source: ...", a paragraph that opens with "Figure 2." / "Fig. 2:" / "Table 1 -"
_CAPTION = _patterns.compile(r"!\[|Table:[ \t]|\^[a-z*\u2020\u2021]\^[ \t]|\**(?:Figure|Fig\.|Table|Supplementary (?:Figure|Table))"
                      r"[ \t]+S?\d+[A-Za-z]?\**[.:|\u2013\u2014-]")
_PROSE_KINDS = ("prose", "list-item", "heading")
_TEXT_KINDS = _PROSE_KINDS + ("bibliography",)   # blocks whose inline syntax and citations count


@dataclass
class _Block:
    kind: BlockKind
    start: int
    end: int
    reason: str = ""
    level: int = 0          # heading level
    title: str = ""
    section: str = ""       # the part of the manuscript (sections.py)


def read(source: str, path: str) -> Document:
    return _Reader(source, path).document()


class _Reader:
    def __init__(self, source: str, path: str) -> None:
        self.text = source
        self.path = path
        self.lines = split_lines(source)
        self.index = LineIndex(source)
        self.prose = Mask(source)
        self.scan = Mask(source)
        self.blocks: list[_Block] = []
        self.comments: list[tuple[int, int, tuple[str, ...]]] = []
        self.title = ""
        self.bibliography: list[str] = []
        self._line_ends = [line.end for line in self.lines]
        self._closers: dict[str, Occurrences] = {}

    # ------------------------------------------------------------ top level
    def document(self) -> Document:
        self._blocks(self._front_matter())
        self._references_section()
        for b in self.blocks:
            if b.kind in _TEXT_KINDS:
                blank_inline(self.text, b.start, b.end, self.prose, self.scan, self.comments)
        citations = self._citations()
        self._blank_outside_prose()
        if not self.title:
            self.title = self._first_heading()
        blocks = sorted(self.blocks, key=lambda b: b.start)
        self._sections(blocks)
        return Document(
            path=self.path, format="markdown", text=self.text, prose=str(self.prose),
            title=self.title,
            blocks=tuple(Block(kind=b.kind, span=self.index.span(b.start, b.end), reason=b.reason,
                               section=b.section) for b in blocks),
            citations=tuple(sorted(citations, key=lambda c: c.span.start)),
            suppressions=self._suppressions(blocks),
            bibliography=tuple(self.bibliography))

    def _front_matter(self) -> int:
        """Record YAML front matter; returns the index of the first line after it."""
        fm = _frontmatter.find(self.lines)
        if fm is None:
            return 0
        self._add("front-matter", 0, self.lines[fm.end_line].end, both=True)
        self.title, self.bibliography = fm.title, fm.bibliography
        return fm.end_line + 1

    def _citations(self) -> list[Citation]:
        scan = str(self.scan)
        citations: list[Citation] = []
        for b in self.blocks:
            if b.kind not in _TEXT_KINDS:
                continue
            for c in _pandoc_cites.scan(scan, self.text, b.start, b.end):
                # "@Smith2020 argues": the key of a narrative citation stays in the prose
                if shows_key(c.syntax, "", c.key, braced=self.text[c.start + 1:c.start + 2] == "{"):
                    self.prose.blank(c.blank_start, c.start + 1)
                    self.prose.blank(c.end, c.blank_end)
                else:
                    self.prose.blank(c.blank_start, c.blank_end)
                if is_crossref_label(c.key):   # [@fig:x]: a figure, never a citation
                    continue
                citations.append(Citation(
                    key=c.key, span=self.index.span(c.start, c.end), syntax=c.syntax,  # type: ignore[arg-type]
                    prefix=c.prefix, locator=c.locator, suppress_author=c.suppress_author))
        return citations

    def _sections(self, blocks: list[_Block]) -> None:
        """Label each block with its part of the manuscript (sections.py); image
        paragraphs, table captions and table footnotes are captions."""
        labels = sections.label((b.kind, b.level, b.title, self.text[b.start:b.end]) for b in blocks)
        for k, (b, label) in enumerate(zip(blocks, labels)):
            if b.kind == "bibliography":
                label = ""
            elif b.kind in _PROSE_KINDS and self._is_caption(blocks, k):
                label = "caption"
            b.section = label

    def _is_caption(self, blocks: list[_Block], k: int) -> bool:
        start = blocks[k].start
        if _CAPTION.match(self.text, start):
            return True
        # pandoc's other table caption, ": Caption", just before or after its table
        return self.text.startswith(": ", start) and any(
            0 <= j < len(blocks) and blocks[j].reason == "table" for j in (k - 1, k + 1))

    def _blank_outside_prose(self) -> None:
        """White space between blocks, and blocks that are not prose, are not prose either."""
        pos = 0
        for b in sorted(self.blocks, key=lambda b: b.start):
            self.prose.blank(pos, b.start)
            pos = max(pos, b.end)
        self.prose.blank(pos, len(self.text))
        for b in self.blocks:
            if b.kind not in _PROSE_KINDS:
                self.prose.blank(b.start, b.end)

    def _first_heading(self) -> str:
        """The first level-1 heading, else the first heading."""
        headings = [b for b in self.blocks if b.kind == "heading"]
        top = [b for b in headings if b.level == 1] or headings
        return top[0].title if top else ""

    def _add(self, kind: BlockKind, start: int, end: int, *, both: bool = False,
             reason: str = "", level: int = 0, title: str = "") -> _Block:
        block = _Block(kind, start, end, reason, level, title)
        self.blocks.append(block)
        if both:
            self.scan.blank(start, end)
            self.prose.blank(start, end)
        return block

    def _suppressions(self, blocks: list[_Block]) -> tuple[Suppression, ...]:
        targets = SuppressionTargets([(b.start, b.end) for b in blocks if b.kind in _PROSE_KINDS], self.index)
        found = (targets.for_comment(codes, start, end) for start, end, codes in self.comments)
        return tuple(s for s in found if s is not None)

    def _find(self, needle: str, pos: int) -> int:
        """``self.text.find(needle, pos)``, from an index built once per needle."""
        if needle not in self._closers:
            self._closers[needle] = Occurrences(self.text, needle)
        return self._closers[needle].find(pos)

    def _last_line(self, i: int, end: int) -> int:
        """The first line from ``i`` on that reaches ``end`` (else the last line)."""
        return min(bisect.bisect_left(self._line_ends, end, lo=i), len(self.lines) - 1)

    # --------------------------------------------------------------- blocks
    def _blocks(self, i: int) -> None:
        while i < len(self.lines):
            i = self._block(i)

    def _block(self, i: int) -> int:
        """Read the block that starts on line ``i``; returns the index of the line after it."""
        line = self.lines[i]
        if line.blank:
            return i + 1
        prev_kind = self.blocks[-1].kind if self.blocks else ""
        for step in _BLOCK_STEPS:
            nxt = step(self, i, line, prev_kind)
            if nxt is not None:
                return nxt
        return self._paragraph(i)

    # each step: the index after the block when line i opens its kind of block, else None
    def _try_fence(self, i: int, line: Line, prev_kind: str) -> int | None:
        m = _FENCE.match(line.text)
        return self._fence(i, m.group(1)) if m else None

    def _try_comment(self, i: int, line: Line, prev_kind: str) -> int | None:
        return self._comment_block(i) if line.text.lstrip().startswith("<!--") else None

    def _try_math(self, i: int, line: Line, prev_kind: str) -> int | None:
        return self._math_block(i) if line.text.lstrip().startswith("$$") else None

    def _try_indented_code(self, i: int, line: Line, prev_kind: str) -> int | None:
        return self._indented_code(i) if line.indent >= 4 and prev_kind != "list-item" else None

    def _try_atx(self, i: int, line: Line, prev_kind: str) -> int | None:
        m = _ATX.match(line.text)
        if m is None:
            return None
        self._heading(line, len(m.group(1)), line.start + m.end())
        return i + 1

    def _try_rule(self, i: int, line: Line, prev_kind: str) -> int | None:
        """Horizontal rules, fenced-div markers and link reference definitions."""
        s = line.text
        if not (_HRULE.match(s) or _DIV.match(s) or _REFDEF.match(s)):
            return None
        self.prose.blank(line.start, line.end)
        self.scan.blank(line.start, line.end)
        return i + 1

    def _try_table(self, i: int, line: Line, prev_kind: str) -> int | None:
        s, lines = line.text, self.lines
        if _TABLE_ROW.match(s) or (i + 1 < len(lines) and "|" in s and _TABLE_SEP.match(lines[i + 1].text)):
            return self._table(i)
        return None

    def _try_list(self, i: int, line: Line, prev_kind: str) -> int | None:
        return self._list_item(i) if _LIST.match(line.text) else None

    def _try_item_paragraph(self, i: int, line: Line, prev_kind: str) -> int | None:
        if line.indent >= 2 and prev_kind == "list-item":
            return self._paragraph(i, kind="list-item")  # a later paragraph of the same item
        return None

    def _try_quote(self, i: int, line: Line, prev_kind: str) -> int | None:
        return self._quote(i) if _QUOTE.match(line.text) else None

    def _fence(self, i: int, fence: str) -> int:
        lines = self.lines
        close = _patterns.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j].text):
            j += 1
        last = min(j, len(lines) - 1)
        self._add("code", lines[i].start, lines[last].end, both=True)
        return j + 1

    def _comment_block(self, i: int) -> int:
        start = self.lines[i].start + self.lines[i].text.index("<!--")
        close = self._find("-->", start + 4)
        end = len(self.text) if close == -1 else close + 3
        j = self._last_line(i, end)
        rest = self.text[end:self.lines[j].end]
        if rest.strip():  # text after the comment on its last line: a paragraph with a comment
            return self._paragraph(i)
        self._add("comment", start, end, both=True)
        codes = ignore_codes(self.text[start:end])
        if codes is not None:
            self.comments.append((start, end, codes))
        return j + 1

    def _math_block(self, i: int) -> int:
        start = self.lines[i].start + self.lines[i].text.index("$$")
        close = self._find("$$", start + 2)
        end = len(self.text) if close == -1 else close + 2
        j = self._last_line(i, end)
        if self.text[end:self.lines[j].end].strip():
            return self._paragraph(i)
        self._add("math", start, end, both=True)
        return j + 1

    def _indented_code(self, i: int) -> int:
        lines = self.lines
        j = i
        last = i
        while j < len(lines) and (lines[j].blank or lines[j].indent >= 4):
            if not lines[j].blank:
                last = j
            j += 1
        self._add("code", lines[i].start, lines[last].end, both=True)
        return last + 1

    def _heading(self, line: Line, level: int, text_start: int, *, underline: Line | None = None) -> None:
        closing = len(line.text) - _ATX_CLOSE_REVERSED.match(line.text[::-1]).end()  # type: ignore[union-attr]
        text_end = line.start + (closing if underline is None else len(line.text.rstrip()))
        if underline is None:
            self.prose.blank(line.start, text_start)
            self.prose.blank(text_end, line.end)
            end = line.end
        else:
            self.prose.blank(underline.start, underline.end)
            self.scan.blank(underline.start, underline.end)
            end = underline.end
        attr = ATTR.search(self.text, text_start, text_end)
        if attr:
            self.prose.blank(attr.start(), attr.end())
            text_end = attr.start() if attr.end() >= text_end - 1 else text_end
        title = " ".join(self.text[text_start:text_end].split())
        start = line.start + (len(line.text) - len(line.text.lstrip()))
        self._add("heading", start, end, reason=f"level-{level} heading", level=level, title=title)

    def _table(self, i: int) -> int:
        lines = self.lines
        j = i
        while j < len(lines) and not lines[j].blank:
            line = lines[j]
            if _TABLE_SEP.match(line.text):
                self.prose.blank(line.start, line.end)
            else:
                for k, c in enumerate(line.text):
                    if c == "|" and (k == 0 or line.text[k - 1] != "\\"):
                        self.prose.blank(line.start + k, line.start + k + 1)
            j += 1
        self._add("prose", lines[i].start, lines[j - 1].end, reason="table")
        return j

    def _list_item(self, i: int) -> int:
        lines = self.lines
        m = _LIST.match(lines[i].text)
        assert m is not None
        self.prose.blank(lines[i].start, lines[i].start + m.end())
        j = i + 1
        while j < len(lines) and not lines[j].blank and not _LIST.match(lines[j].text) \
                and not _FENCE.match(lines[j].text):
            j += 1
        start = lines[i].start + len(m.group(1))
        self._add("list-item", start, lines[j - 1].end)
        return j

    def _quote(self, i: int) -> int:
        lines = self.lines
        j = i
        while j < len(lines) and not lines[j].blank:
            m = _QUOTE.match(lines[j].text)
            if m:
                self.prose.blank(lines[j].start, lines[j].start + m.end())
            j += 1
        self._add("prose", lines[i].start + lines[i].text.index(">"), lines[j - 1].end,
                  reason="block quote")
        return j

    def _paragraph(self, i: int, kind: BlockKind = "prose") -> int:
        lines = self.lines
        j = i + 1
        if j < len(lines) and _SETEXT.match(lines[j].text) and kind == "prose" \
                and not _LIST.match(lines[i].text):
            level = 1 if lines[j].text.strip()[0] == "=" else 2
            first = lines[i]
            self._heading(first, level, first.start + first.indent, underline=lines[j])
            return j + 1
        while j < len(lines) and not lines[j].blank and not _FENCE.match(lines[j].text) \
                and not _ATX.match(lines[j].text):
            j += 1
        start = lines[i].start + (len(lines[i].text) - len(lines[i].text.lstrip()))
        fd = _FOOTDEF.match(lines[i].text)
        if fd:
            self.prose.blank(lines[i].start, lines[i].start + fd.end())
            self.scan.blank(lines[i].start, lines[i].start + fd.end())
        self._add(kind, start, lines[j - 1].end, reason="footnote" if fd else "")
        return j

    def _references_section(self) -> None:
        """A last "# References" section (or "::: {#refs}") holds the bibliography."""
        heads = [b for b in self.blocks if b.kind == "heading" and REFERENCES.match(b.title)]
        if not heads:
            return
        head = heads[-1]
        for b in self.blocks:
            if b.start < head.start:
                continue
            if b is not head and b.kind == "heading" and b.level <= head.level:
                break
            if b.kind in _PROSE_KINDS:
                b.kind, b.reason = "bibliography", "references section"


_BLOCK_STEPS = (_Reader._try_fence, _Reader._try_comment, _Reader._try_math,
                _Reader._try_indented_code, _Reader._try_atx, _Reader._try_rule,
                _Reader._try_table, _Reader._try_list, _Reader._try_item_paragraph,
                _Reader._try_quote)
