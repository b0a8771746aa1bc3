"""Pandoc Markdown drafts (.md, .markdown, .qmd, .rmd).

Two masks are built over the source: ``scan`` blanks what can never hold a
citation (code, math, comments, HTML tags, URLs, escapes, raw TeX) and is what
the citation scanner reads; ``prose`` additionally blanks markup (heading and
list markers, link syntax, emphasis, table pipes) and the citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._text import LineIndex
from ..models import Block, BlockKind, Citation, Document, Suppression
from . import _frontmatter, _pandoc_cites
from ._chrome import REFERENCES
from ._common import Line, Mask, ignore_codes, split_lines, suppression_for

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})([^`]*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"(?:[ \t]+#+)?[ \t]*(?:\{[^}]*\})?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HRULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST = re.compile(r"^( {0,3})(?:[-*+]|\d{1,9}[.)]|#[.)]|[a-zA-Z][.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$)")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_DIV = re.compile(r"^ {0,3}:{3,}")
_REFDEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S")
_FOOTDEF = re.compile(r"^ {0,3}\[\^[^\]]+\]:[ \t]?")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_TABLE_ROW = re.compile(r"^[ \t]*\|")
_ESCAPABLE = set("\\`*_{}[]()>#+-.!$@|~^:;\"'<=&%/,?")
_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"'`\])]+|www\.[^\s<>\"'`\])]+", re.IGNORECASE)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
# raw HTML: only element names HTML knows, so "@k<y>" keeps its key as in pandoc
_HTML_NAMES = (
    "a|abbr|address|article|aside|audio|b|bdi|bdo|blockquote|body|br|button|canvas|caption|cite|code|"
    "col|colgroup|data|dd|del|details|dfn|dialog|div|dl|dt|em|embed|fieldset|figcaption|figure|footer|"
    "form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|mark|meta|"
    "meter|nav|noscript|object|ol|optgroup|option|output|p|param|picture|pre|progress|q|rp|rt|ruby|s|"
    "samp|script|section|select|small|source|span|strong|style|sub|summary|sup|table|tbody|td|template|"
    "textarea|tfoot|th|thead|time|title|tr|track|u|ul|var|video|wbr|center|font|big|tt")
_TAG = re.compile(rf"</?(?:{_HTML_NAMES})(?=[\s/>])(?:\s+[^<>]*?)?/?>", re.DOTALL | re.IGNORECASE)
_TEX_CMD = re.compile(r"\\[A-Za-z]+\*?")
_EMPH = re.compile(r"(?<![\w\\*_~])(?:\*{1,3}|_{1,3}|~~)(?=\S)|(?<=\S)(?:\*{1,3}|_{1,3}|~~)(?![\w*_~])")
_ATTR = re.compile(r"\{[#.][^{}\n]*\}|\{-\}")

_PROSE_KINDS = ("prose", "list-item", "heading")


@dataclass
class _Block:
    kind: BlockKind
    start: int
    end: int
    reason: str = ""
    level: int = 0          # heading level
    title: str = ""


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

    # ------------------------------------------------------------ top level
    def document(self) -> Document:
        first = 0
        fm = _frontmatter.find(self.lines)
        if fm is not None:
            end = self.lines[fm.end_line].end
            self._add("front-matter", 0, end, both=True)
            self.title, self.bibliography = fm.title, fm.bibliography
            first = fm.end_line + 1
        self._blocks(first)
        self._references_section()
        citations: list[Citation] = []
        for b in self.blocks:
            if b.kind in _PROSE_KINDS or b.kind == "bibliography":
                self._inline(b)
        scan = str(self.scan)
        for b in self.blocks:
            if b.kind in _PROSE_KINDS or b.kind == "bibliography":
                for c in _pandoc_cites.scan(scan, self.text, b.start, b.end):
                    self.prose.blank(c.blank_start, c.blank_end)
                    citations.append(Citation(
                        key=c.key, span=self.index.span(c.start, c.end), syntax=c.syntax,  # type: ignore[arg-type]
                        prefix=c.prefix, locator=c.locator, suppress_author=c.suppress_author))
        # white space between blocks is not prose either
        pos = 0
        for b in sorted(self.blocks, key=lambda b: b.start):
            self.prose.blank(pos, b.start)
            pos = max(pos, b.end)
        self.prose.blank(pos, len(self.text))
        for b in self.blocks:
            if b.kind not in _PROSE_KINDS:
                self.prose.blank(b.start, b.end)
        if not self.title:
            headings = [b for b in self.blocks if b.kind == "heading"]
            top = [b for b in headings if b.level == 1] or headings
            if top:
                self.title = top[0].title
        blocks = sorted(self.blocks, key=lambda b: b.start)
        return Document(
            path=self.path, format="markdown", text=self.text, prose=str(self.prose),
            title=self.title,
            blocks=tuple(Block(kind=b.kind, span=self.index.span(b.start, b.end), reason=b.reason)
                         for b in blocks),
            citations=tuple(sorted(citations, key=lambda c: c.span.start)),
            suppressions=self._suppressions(blocks),
            bibliography=tuple(self.bibliography))

    def _add(self, kind: BlockKind, start: int, end: int, *, both: bool = False,
             reason: str = "", level: int = 0, title: str = "") -> _Block:
        block = _Block(kind, start, end, reason, level, title)
        self.blocks.append(block)
        if both:
            self.scan.blank(start, end)
            self.prose.blank(start, end)
        return block

    def _suppressions(self, blocks: list[_Block]) -> tuple[Suppression, ...]:
        targets = [(b.start, b.end) for b in blocks if b.kind in _PROSE_KINDS]
        out = []
        for start, end, codes in self.comments:
            s = suppression_for(codes, start, end, targets, self.index)
            if s is not None:
                out.append(s)
        return tuple(out)

    # --------------------------------------------------------------- blocks
    def _blocks(self, i: int) -> None:
        lines, n = self.lines, len(self.lines)
        while i < n:
            line = lines[i]
            s = line.text
            if line.blank:
                i += 1
                continue
            prev_kind = self.blocks[-1].kind if self.blocks else ""
            m = _FENCE.match(s)
            if m:
                i = self._fence(i, m.group(1))
                continue
            if s.lstrip().startswith("<!--"):
                i = self._comment_block(i)
                continue
            if s.lstrip().startswith("$$"):
                i = self._math_block(i)
                continue
            if line.indent >= 4 and prev_kind != "list-item":
                i = self._indented_code(i)
                continue
            m = _ATX.match(s)
            if m:
                self._heading(line, len(m.group(1)), line.start + m.end())
                i += 1
                continue
            if _HRULE.match(s) or _DIV.match(s):
                self.prose.blank(line.start, line.end)
                self.scan.blank(line.start, line.end)
                i += 1
                continue
            if _REFDEF.match(s):
                self.prose.blank(line.start, line.end)
                self.scan.blank(line.start, line.end)
                i += 1
                continue
            if _TABLE_ROW.match(s) or (i + 1 < n and "|" in s and _TABLE_SEP.match(lines[i + 1].text)):
                i = self._table(i)
                continue
            if _LIST.match(s) and not _HRULE.match(s):
                i = self._list_item(i)
                continue
            if line.indent >= 2 and prev_kind == "list-item":
                i = self._paragraph(i, kind="list-item")  # a later paragraph of the same item
                continue
            if _QUOTE.match(s):
                i = self._quote(i)
                continue
            i = self._paragraph(i)

    def _fence(self, i: int, fence: str) -> int:
        lines = self.lines
        close = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j].text):
            j += 1
        last = min(j, len(lines) - 1)
        self._add("code", lines[i].start, lines[last].end, both=True)
        return j + 1

    def _comment_block(self, i: int) -> int:
        start = self.lines[i].start + self.lines[i].text.index("<!--")
        close = self.text.find("-->", start + 4)
        end = len(self.text) if close == -1 else close + 3
        j = i
        while j + 1 < len(self.lines) and self.lines[j].end < end:
            j += 1
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
        close = self.text.find("$$", start + 2)
        end = len(self.text) if close == -1 else close + 2
        j = i
        while j + 1 < len(self.lines) and self.lines[j].end < end:
            j += 1
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
        m = _ATX_CLOSE.search(line.text)
        text_end = line.start + (m.start() if m and underline is None else len(line.text.rstrip()))
        if underline is None:
            self.prose.blank(line.start, text_start)
            self.prose.blank(text_end, line.end)
            end = line.end
        else:
            self.prose.blank(underline.start, underline.end)
            self.scan.blank(underline.start, underline.end)
            end = underline.end
        attr = _ATTR.search(self.text, text_start, text_end)
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

    # --------------------------------------------------------------- inline
    def _inline(self, b: _Block) -> None:
        text, start, end = self.text, b.start, b.end
        prose, scan = self.prose, self.scan
        jumps: dict[int, int] = {}
        i = start
        while i < end:
            if i in jumps:
                i = jumps.pop(i)
                continue
            c = text[i]
            if c == "\\" and i + 1 < end:
                nxt = text[i + 1]
                if nxt in _ESCAPABLE:
                    prose.blank(i, i + 1)
                    scan.blank(i, i + 2)
                    i += 2
                    continue
                m = _TEX_CMD.match(text, i)
                if m:
                    j = _tex_args(text, m.end(), end)
                    prose.blank(i, j)
                    scan.blank(i, j)
                    i = j
                    continue
            elif c == "`":
                run = len(re.match(r"`+", text[i:end]).group())
                close = re.compile(r"(?<!`)" + "`" * run + r"(?!`)").search(text, i + run, end)
                if close:
                    prose.blank(i, close.end())
                    scan.blank(i, close.end())
                    i = close.end()
                else:
                    i += run
                continue
            elif c == "<":
                if text.startswith("<!--", i):
                    close = text.find("-->", i + 4, end)
                    stop = end if close == -1 else close + 3
                    prose.blank(i, stop)
                    scan.blank(i, stop)
                    codes = ignore_codes(text[i:stop])
                    if codes is not None:
                        self.comments.append((i, stop, codes))
                    i = stop
                    continue
                m = _AUTOLINK.match(text, i, end) or _TAG.match(text, i, end)
                if m:
                    prose.blank(i, m.end())
                    scan.blank(i, m.end())
                    i = m.end()
                    continue
            elif c == "$":
                stop = _math_end(text, i, end)
                if stop:
                    prose.blank(i, stop)
                    scan.blank(i, stop)
                    i = stop
                    continue
            elif c == "[" or (c == "!" and text.startswith("[", i + 1)):
                open_ = i + 1 if c == "!" else i
                close = _bracket_end(text, open_, end)
                if close != -1:
                    after = text[close + 1:close + 2]
                    if text.startswith("[^", open_) and c == "[":  # footnote reference
                        prose.blank(i, close + 1)
                        scan.blank(i, close + 1)
                        i = close + 1
                        continue
                    if after == "(":
                        dest_end = _paren_end(text, close + 1, end)
                        if dest_end != -1:
                            prose.blank(i, open_ + 1)
                            prose.blank(close, dest_end)
                            scan.blank(close + 1, dest_end)
                            attr = _ATTR.match(text, dest_end)
                            if attr:
                                prose.blank(attr.start(), attr.end())
                                scan.blank(attr.start(), attr.end())
                                dest_end = attr.end()
                            jumps[close] = dest_end
                            i = open_ + 1
                            continue
                    if after == "{":
                        attr = _ATTR.match(text, close + 1)
                        if attr:  # a bracketed span: [text]{.class}
                            prose.blank(i, open_ + 1)
                            prose.blank(close, attr.end())
                            scan.blank(close + 1, attr.end())
                            jumps[close] = attr.end()
                            i = open_ + 1
                            continue
                    if after == "[" and "@" not in text[open_:close]:
                        ref_end = _bracket_end(text, close + 1, end)
                        if ref_end != -1:  # reference link [text][ref]
                            prose.blank(i, open_ + 1)
                            prose.blank(close, ref_end + 1)
                            scan.blank(close + 1, ref_end + 1)
                            jumps[close] = ref_end + 1
                            i = open_ + 1
                            continue
            elif c in "hHwWfF":
                m = _URL.match(text, i, end)
                # not when the URL is part of a key: "@url:https://...", "@{https://...}"
                if m and (i == start or not (text[i - 1].isalnum() or text[i - 1] in "{:")):
                    url_end = m.end()
                    while url_end > i and text[url_end - 1] in ".,;:!?":
                        url_end -= 1  # sentence punctuation after a URL
                    prose.blank(i, url_end)
                    scan.blank(i, url_end)
                    i = url_end
                    continue
            i += 1
        segment = str(prose)[start:end]  # emphasis markers, bracketed-span attributes
        for m in _EMPH.finditer(segment):
            prose.blank(start + m.start(), start + m.end())
        for m in _ATTR.finditer(segment):
            prose.blank(start + m.start(), start + m.end())


def _tex_args(text: str, i: int, end: int) -> int:
    """End of the [optional] and {required} arguments following a TeX command."""
    while i < end and text[i] in "[{":
        close = {"[": "]", "{": "}"}[text[i]]
        depth, j = 0, i
        while j < end:
            if text[j] == text[i]:
                depth += 1
            elif text[j] == close:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= end:
            return i
        i = j + 1
    return i


def _math_end(text: str, i: int, end: int) -> int:
    """End of pandoc $...$ or $$...$$ math starting at i, or 0 when it is not math."""
    if text.startswith("$$", i):
        close = text.find("$$", i + 2, end)
        return close + 2 if close != -1 else 0
    # as pandoc: the opening $ has a non-space on its right; the first later $
    # closes, and only when it has a non-space on its left and no digit on its
    # right ("$5 and $10" is not math)
    if i + 1 >= end or text[i + 1].isspace():
        return 0
    j = i + 1
    while j < end:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "\n" and text[j + 1:j + 2] in ("\n", "\r"):
            return 0
        if c == "$":
            if text[j - 1].isspace() or text[j + 1:j + 2].isdigit():
                return 0
            return j + 1
        j += 1
    return 0


def _bracket_end(text: str, open_: int, end: int) -> int:
    depth = 0
    j = open_
    while j < end:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "`":  # brackets inside code do not count
            run = len(re.match(r"`+", text[j:end]).group())
            close = text.find("`" * run, j + run, end)
            j = close + run if close != -1 else j + run
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
        elif c == "\n" and text[j + 1:j + 2] == "\n":
            return -1
        j += 1
    return -1


def _paren_end(text: str, open_: int, end: int) -> int:
    depth = 0
    for j in range(open_, end):
        c = text[j]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        elif c == "\n" and text[j + 1:j + 2] == "\n":
            return -1
    return -1
