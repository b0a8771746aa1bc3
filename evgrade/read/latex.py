"""LaTeX drafts (.tex, .ltx).

The preamble (before ``\\begin{document}``) is not prose, but its
``\\title``, ``\\bibliography`` and ``\\addbibresource`` are read. In the body,
``%`` comments, math, verbatim-like environments and citation commands are
blanked; text-bearing commands (``\\emph{...}``, ``\\footnote{...}``) keep
their argument as prose and lose only their name and braces. This module
finds the preamble, environments, comments and blocks; :mod:`._latex_inline`
handles the commands inside paragraphs and the citations.
"""

from __future__ import annotations

import bisect
import re

from .. import _patterns
from .._text import LineIndex
from ..models import Block, BlockKind, Document, Suppression
from ._common import Line, Mask, SuppressionTargets, ignore_codes, split_lines
from . import sections
from ._latex_inline import CITE, Groups, Inline, plain

_CODE_ENVS = "verbatim|Verbatim|BVerbatim|lstlisting|minted|comment|alltt"
_MATH_ENVS = ("equation|align|gather|multline|eqnarray|displaymath|math|flalign|alignat|split|"
              "dmath|subequations")
_ENV = _patterns.compile(rf"\\begin\{{(?P<name>(?:{_CODE_ENVS}|{_MATH_ENVS})\*?)\}}")
_BIB = _patterns.compile(r"\\(bibliography|addbibresource|addglobalbib|addsectionbib)(?![A-Za-z])")
_SECTION = _patterns.compile(r"^\s*\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)"
                      r"(?![A-Za-z])\*?")
_TITLE = _patterns.compile(r"\\title(?![A-Za-z])")
_BEGIN_DOC = _patterns.compile(r"\\begin\{document\}")
_END_DOC = _patterns.compile(r"\\end\{document\}")
_ONLY_COMMANDS = _patterns.compile(r"^\s*(?:\\[A-Za-z@]+\*?(?:\[[^\]]*\]|\{[^{}]*\})*\s*)+$")
_LEVELS = {"part": 0, "chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4,
           "paragraph": 5, "subparagraph": 6}
# environments that give their blocks a part of the manuscript
_PART_ENV = _patterns.compile(r"\\begin\{(?P<name>abstract|figure|table|longtable|sidewaystable|sidewaysfigure"
                       r"|wrapfigure|wraptable)\*?\}")
_PART_END = _patterns.compile(_PART_ENV.pattern.replace("begin", "end", 1))
_TITLE_COMMANDS = _patterns.compile(r"\\(?:author|affil|affiliation|address|email|institute|institution"
                             r"|thanks|orcid|correspondingauthor|corresp)(?![A-Za-z])")
_NON_SPACE = _patterns.compile(r"\S")


def _starts_with_title_command(scan: str, start: int, end: int) -> bool:
    """The block's first non-space text is ``\\author``, ``\\thanks``...: looked for inside
    the block only (a leading ``\\s*`` in the pattern ran to the end of a blanked line from
    every block on it, quadratic on a line of many environments)."""
    m = _NON_SPACE.search(scan, start, end)
    return m is not None and _TITLE_COMMANDS.match(scan, m.start()) is not None


_ITEM = _patterns.compile(r"^\s*\\item(?![A-Za-z])(?:\[[^\]]*\])?")

_PROSE_KINDS = ("prose", "list-item", "heading")
_Block = tuple[BlockKind, int, int, str]   # kind, start, end, reason


def read(source: str, path: str) -> Document:
    return _Reader(source, path).document()


class _Reader:
    def __init__(self, source: str, path: str) -> None:
        self.source, self.path = source, path
        self.index = LineIndex(source)
        self.prose = Mask(source)
        self.blocks: list[_Block] = []
        self.comments: list[tuple[int, int, tuple[str, ...]]] = []
        self.body_start, self.body_end = 0, len(source)
        self.scan = source   # set by document(): comments and code/math environments blanked
        self.groups = Groups(source)
        self._line_comment: dict[int, int] = {}   # line start -> its first unescaped "%" (-1: none)

    def document(self) -> Document:
        source = self.source
        self._preamble()
        envs = self._environments()
        comment_spans = self._comments(envs)
        self.scan = _blank_copy(source, comment_spans, envs)
        self.groups = Groups(self.scan)
        bibliography = _bibliography(self.groups)
        title = self._title()
        self.blocks.extend((kind, s, e, "") for s, e, kind in envs)
        self._body_blocks(envs)
        self.blocks = _merge_comment_blocks(sorted(self.blocks, key=lambda b: b[1]))
        inline = Inline(source, self.scan, self.prose, self.index, self.groups)
        for kind, s, e, _ in self.blocks:
            if kind in _PROSE_KINDS:
                inline.paragraph(s, e)
        self._blank_outside_prose()
        for m in CITE.finditer(self.scan, 0, self.body_start):  # \nocite in the preamble counts too
            inline.cite(m)
        if not title:
            title = next((plain(source[s:e]) for kind, s, e, _ in self.blocks if kind == "heading"), "")
        index = self.index
        parts = self._sections()
        return Document(path=self.path, format="latex", text=source, prose=str(self.prose), title=title,
                        blocks=tuple(Block(kind=k, span=index.span(s, e), reason=r, section=part)
                                     for (k, s, e, r), part in zip(self.blocks, parts)),
                        citations=tuple(sorted(inline.citations, key=lambda c: c.span.start)),
                        suppressions=self._suppressions(), bibliography=tuple(bibliography))

    def _preamble(self) -> None:
        """Everything before \\begin{document} (and after \\end{document}) is not prose."""
        begin = _BEGIN_DOC.search(self.source)
        if not begin:
            return
        self.body_start = begin.end()
        self.blocks.append(("front-matter", 0, begin.end(), "LaTeX preamble"))
        self.prose.blank(0, begin.end())
        end = _END_DOC.search(self.source, self.body_start)
        if end:
            self.body_end = end.start()
            self.prose.blank(end.start(), len(self.source))

    def _environments(self) -> list[tuple[int, int, BlockKind]]:
        """Environments whose content is code or math (none that a comment hides)."""
        source, body_end = self.source, self.body_end
        envs: list[tuple[int, int, BlockKind]] = []
        pos = self.body_start
        while (m := _ENV.search(source, pos, body_end)) is not None:
            if self._commented(m.start()):
                pos = m.end()
                continue
            close = source.find(f"\\end{{{m.group('name')}}}", m.end())
            stop = body_end if close == -1 else close + len(m.group("name")) + 6
            kind: BlockKind = "code" if re.match(_CODE_ENVS, m.group("name")) else "math"
            envs.append((m.start(), stop, kind))
            self.prose.blank(m.start(), stop)
            pos = stop
        return envs

    def _comments(self, envs: list[tuple[int, int, BlockKind]]) -> list[tuple[int, int]]:
        """Comments outside code environments; ``evgrade: ignore`` ones are kept."""
        spans = _comments(self.source, _Spans(envs))
        for s, e in spans:
            self.prose.blank(s, e)
            codes = ignore_codes(self.source[s:e])
            if codes is not None:
                self.comments.append((s, e, codes))
        return spans

    def _title(self) -> str:
        t = _TITLE.search(self.scan, 0, self.body_start or len(self.scan))
        arg = self.groups.group(t.end(), "{", "}") if t else None
        return plain(self.source[arg[0] + 1:arg[1] - 1]) if arg else ""

    # --------------------------------------------------------------- blocks
    def _body_blocks(self, envs: list[tuple[int, int, BlockKind]]) -> None:
        """Paragraphs, list items, headings and comment lines of the body."""
        lines = split_lines(self.source)
        para: list[Line] = []
        spans = _Spans(envs)
        for line in lines:
            inside_env = spans.holds(line.start) or spans.ends_in(line.end)
            kind = "outside" if inside_env or not self.body_start <= line.start < self.body_end \
                else self._line_kind(line)
            if kind == "text":
                para.append(line)
                continue
            self._flush(para)
            if kind == "item":
                para.append(line)
            elif kind == "comment":
                self.blocks.append(("comment", _text_start(line), line.end, ""))
            elif kind == "heading":
                self._heading(line, para)
            elif kind == "commands":
                self.prose.blank(line.start, line.end)
        self._flush(para)

    def _heading(self, line: Line, para: list[Line]) -> None:
        """A sectioning line. Text after the title on the same line (a run-in heading:
        ``\\paragraph{Evidence.} A trial found...``) starts a paragraph of its own."""
        m = _SECTION.match(self.scan[line.start:line.end])
        assert m is not None
        title_end = self._title_end(line.start + m.end())
        end = line.end
        if title_end is not None and title_end < line.end and self.scan[title_end:line.end].strip() \
                and self._line_kind(Line(title_end, line.end, self.source[title_end:line.end])) == "text":
            end = title_end
            para.append(Line(title_end, line.end, self.source[title_end:line.end]))
        self.blocks.append(("heading", _text_start(line), end, f"\\{m.group(1)}"))

    def _title_end(self, pos: int) -> int | None:
        """The end of a sectioning command's ``[short]{title}`` arguments from ``pos``."""
        pos += self.scan.startswith("*", pos)
        short = self.groups.group(pos, "[", "]")
        title = self.groups.group(short[1] if short else pos, "{", "}")
        return title[1] if title else None

    def _sections(self) -> list[str]:
        """The part of the manuscript of each block (sections.py): from the headings, the
        abstract environment, figure and table environments (captions) and title commands."""
        scan = self.scan
        envs = self._part_environments()
        starts = [a for a, _, _ in envs]
        labels = sections.label(self._section_row(kind, s, e, reason) for kind, s, e, reason in self.blocks)
        for k, (kind, s, e, _) in enumerate(self.blocks):
            env = envs[i] if (i := bisect.bisect_right(starts, s) - 1) >= 0 else None
            if kind == "front-matter":
                labels[k] = ""
            elif _starts_with_title_command(scan, s, e):
                labels[k] = "title-block"
            elif kind != "heading" and env is not None and s < env[1]:
                labels[k] = env[2]
            elif scan.startswith("\\caption", s):
                labels[k] = "caption"
        return labels

    def _part_environments(self) -> list[tuple[int, int, str]]:
        """(start, end, part) of the abstract, figure and table environments, in order; each
        ends at the first ``\\end`` of its name after it (every ``\\end`` found in one pass)."""
        scan = self.scan
        ends: dict[str, list[int]] = {}
        for m in _PART_END.finditer(scan, self.body_start, self.body_end):
            ends.setdefault(m.group("name"), []).append(m.start())
        envs: list[tuple[int, int, str]] = []
        for m in _PART_ENV.finditer(scan, self.body_start, self.body_end):
            if envs and m.start() < envs[-1][1]:
                continue   # nested in the previous one (a figure inside a table): one part
            closes = ends.get(m.group("name"), [])
            i = bisect.bisect_left(closes, m.end())
            part = "abstract" if m.group("name") == "abstract" else "caption"
            envs.append((m.start(), closes[i] if i < len(closes) else self.body_end, part))
        return envs

    def _section_row(self, kind: str, s: int, e: int, reason: str) -> tuple[str, int, str, str]:
        """(kind, level, title, text) of a block, as sections.label reads it."""
        level, title = 0, ""
        if kind == "heading":
            level = _LEVELS.get(reason.lstrip("\\"), 2)
            m = _SECTION.match(self.scan[s:e])
            end = self._title_end(s + m.end()) if m else None
            title = plain(self.source[s + m.end():end]) if m and end else plain(self.source[s:e])
        return kind, level, title, self.source[s:e]

    def _line_kind(self, line: Line) -> str:
        """What one body line is: text, item, heading, commands (structure only: \\begin{itemize},
        \\maketitle, \\label{...}), comment (only a comment) or blank."""
        content = self.scan[line.start:line.end]
        if not content.strip():
            return "comment" if self.source[line.start:line.end].strip() else "blank"
        if _SECTION.match(content):
            return "heading"
        if _ITEM.match(content):
            return "item"
        if _ONLY_COMMANDS.match(content) and not CITE.search(content) and not _text_command(content):
            return "commands"
        return "text"

    def _flush(self, para: list[Line]) -> None:
        """The lines gathered so far become one prose or list-item block (unless blank)."""
        if not para:
            return
        first, last = para[0], para[-1]
        s = _text_start(first)
        if self.scan[s:last.end].strip():
            kind: BlockKind = "list-item" if _ITEM.match(self.scan[first.start:first.end]) else "prose"
            self.blocks.append((kind, s, last.end, ""))
        para.clear()

    def _blank_outside_prose(self) -> None:
        """Blocks that are not prose, and the space between blocks, are not prose either."""
        for kind, s, e, _ in self.blocks:
            if kind not in _PROSE_KINDS:
                self.prose.blank(s, e)
        pos = self.body_start
        for _, s, e, _ in self.blocks:
            if s >= pos:
                self.prose.blank(pos, s)
            pos = max(pos, e)
        self.prose.blank(pos, self.body_end)

    def _suppressions(self) -> tuple[Suppression, ...]:
        targets = SuppressionTargets([(s, e) for kind, s, e, _ in self.blocks if kind in _PROSE_KINDS], self.index)
        found = (targets.for_comment(codes, s, e) for s, e, codes in self.comments)
        return tuple(sup for sup in found if sup is not None)

    def _commented(self, at: int) -> bool:
        """Is position ``at`` inside a % comment (a % before it on its line, not escaped)?"""
        line, _ = self.index.position(at)
        line_start = self.index.offset(line, 1)
        first = self._line_comment.get(line_start)
        if first is None:
            line_end = self.source.find("\n", line_start)
            m = _PERCENT.search(self.source, line_start, len(self.source) if line_end == -1 else line_end)
            first = self._line_comment[line_start] = m.end() - 1 if m else -1
        return first != -1 and first < at


def _text_start(line: Line) -> int:
    return line.start + (len(line.text) - len(line.text.lstrip()))


def _merge_comment_blocks(blocks: list[tuple[BlockKind, int, int, str]]) -> list[tuple[BlockKind, int, int, str]]:
    out: list[tuple[BlockKind, int, int, str]] = []
    for b in blocks:
        if out and b[0] == "comment" and out[-1][0] == "comment":
            out[-1] = ("comment", out[-1][1], b[2], "")
        else:
            out.append(b)
    return out


def _text_command(content: str) -> bool:
    return bool(re.search(r"\\(?:emph|textbf|textit|footnote|enquote|caption)\{", content))


_PERCENT = _patterns.compile(r"(?<!\\)(?:\\\\)*%")   # a % that is not escaped


class _Spans:
    """The code and math environments, in order and not overlapping, searched by bisection."""

    def __init__(self, envs: list[tuple[int, int, BlockKind]]) -> None:
        self.envs = envs
        self.starts = [s for s, _, _ in envs]

    def _last_from(self, k: int) -> tuple[int, int, BlockKind] | None:
        return self.envs[k] if k >= 0 else None

    def holds(self, at: int) -> bool:
        env = self._last_from(bisect.bisect_right(self.starts, at) - 1)
        return env is not None and at < env[1]

    def ends_in(self, at: int) -> bool:
        """Some environment has s < at <= e."""
        env = self._last_from(bisect.bisect_left(self.starts, at) - 1)
        return env is not None and at <= env[1]

    def code_holds(self, at: int) -> bool:
        env = self._last_from(bisect.bisect_right(self.starts, at) - 1)
        return env is not None and at < env[1] and env[2] == "code"


def _comments(text: str, envs: _Spans) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _PERCENT.finditer(text):
        at = m.end() - 1
        if envs.code_holds(at):
            continue
        if spans and spans[-1][0] <= at < spans[-1][1]:
            continue
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        if end > at and text[end - 1] == "\r":
            end -= 1
        spans.append((at, end))
    return spans


def _blank_copy(text: str, comments: list[tuple[int, int]], envs: list[tuple[int, int, BlockKind]]) -> str:
    mask = Mask(text)
    for s, e in comments:
        mask.blank(s, e)
    for s, e, _ in envs:
        mask.blank(s, e)
    return str(mask)


def _bibliography(groups: Groups) -> list[str]:
    scan = groups.scan
    paths: list[str] = []
    for m in _BIB.finditer(scan):
        pos = m.end()
        opt = groups.group(pos, "[", "]")
        if opt:
            pos = opt[1]
        arg = groups.group(pos, "{", "}")
        if not arg:
            continue
        names = [n.strip() for n in scan[arg[0] + 1:arg[1] - 1].split(",") if n.strip()]
        for name in names:
            if m.group(1) == "bibliography" and not name.lower().endswith(".bib"):
                name += ".bib"
            if name not in paths:
                paths.append(name)
    return paths


