"""LaTeX drafts (.tex, .ltx).

The preamble (before ``\\begin{document}``) is not prose, but its
``\\title``, ``\\bibliography`` and ``\\addbibresource`` are read. In the body,
``%`` comments, math, verbatim-like environments and citation commands are
blanked; text-bearing commands (``\\emph{...}``, ``\\footnote{...}``) keep
their argument as prose and lose only their name and braces.
"""

from __future__ import annotations

import re

from .._text import LineIndex
from ..models import Block, BlockKind, Citation, Document, Suppression
from ._common import Mask, ignore_codes, split_lines, suppression_for

_CODE_ENVS = "verbatim|Verbatim|BVerbatim|lstlisting|minted|comment|alltt"
_MATH_ENVS = ("equation|align|gather|multline|eqnarray|displaymath|math|flalign|alignat|split|"
              "dmath|subequations")
_ENV = re.compile(rf"\\begin\{{(?P<name>(?:{_CODE_ENVS}|{_MATH_ENVS})\*?)\}}")
_CITE = re.compile(
    r"\\(?P<cmd>(?:[Cc]ite(?:p|t|alp|alt|author|year|yearpar|title|date|url)?"
    r"|[Pp]arencite|[Tt]extcite|[Aa]utocite|[Ff]ootcite|footcitetext|[Ss]martcite|[Ss]upercite"
    r"|[Ff]ullcite|nocite)(?P<multi>s?))(?![A-Za-z])(?P<star>\*?)")
_BIB = re.compile(r"\\(bibliography|addbibresource|addglobalbib|addsectionbib)(?![A-Za-z])")
_SECTION = re.compile(r"^\s*\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)"
                      r"(?![A-Za-z])\*?")
_TITLE = re.compile(r"\\title(?![A-Za-z])")
_BEGIN_DOC = re.compile(r"\\begin\{document\}")
_END_DOC = re.compile(r"\\end\{document\}")
_CMD = re.compile(r"\\([A-Za-z@]+)\*?|\\(.)", re.DOTALL)
# commands whose arguments are not prose (references, files, layout)
_DROP_ARGS = frozenset("""
label ref eqref cref Cref autoref pageref nameref url includegraphics input include bibliographystyle
bibliography addbibresource begin end vspace hspace newcommand renewcommand usepackage documentclass
setlength setcounter hypersetup graphicspath maketitle tableofcontents printbibliography
newpage clearpage pagebreak linebreak noindent centering small large Large footnotesize
hline cline toprule midrule bottomrule multicolumn doi orcid thanks
""".split())
_ONLY_COMMANDS = re.compile(r"^\s*(?:\\[A-Za-z@]+\*?(?:\[[^\]]*\]|\{[^{}]*\})*\s*)+$")
_ITEM = re.compile(r"^\s*\\item(?![A-Za-z])(?:\[[^\]]*\])?")

_PROSE_KINDS = ("prose", "list-item", "heading")


def read(source: str, path: str) -> Document:
    index = LineIndex(source)
    prose = Mask(source)
    blocks: list[tuple[BlockKind, int, int, str]] = []
    comments: list[tuple[int, int, tuple[str, ...]]] = []

    body_start, body_end = 0, len(source)
    begin = _BEGIN_DOC.search(source)
    if begin:
        body_start = begin.end()
        blocks.append(("front-matter", 0, begin.end(), "LaTeX preamble"))
        prose.blank(0, begin.end())
        end = _END_DOC.search(source, body_start)
        if end:
            body_end = end.start()
            prose.blank(end.start(), len(source))

    # environments whose content is code or math, and comments outside them
    envs: list[tuple[int, int, BlockKind]] = []
    pos = body_start
    while (m := _ENV.search(source, pos, body_end)) is not None:
        if _comment_start(source, m.start()) is not None:
            pos = m.end()
            continue
        close = source.find(f"\\end{{{m.group('name')}}}", m.end())
        stop = body_end if close == -1 else close + len(m.group("name")) + 6
        kind: BlockKind = "code" if re.match(_CODE_ENVS, m.group("name")) else "math"
        envs.append((m.start(), stop, kind))
        prose.blank(m.start(), stop)
        pos = stop
    comment_spans = _comments(source, envs)
    for s, e in comment_spans:
        prose.blank(s, e)
        codes = ignore_codes(source[s:e])
        if codes is not None:
            comments.append((s, e, codes))

    scan = _blank_copy(source, comment_spans, envs)
    bibliography = _bibliography(scan)
    title = ""
    t = _TITLE.search(scan, 0, body_start or len(scan))
    if t:
        arg = _group(scan, t.end(), "{", "}")
        if arg:
            title = _plain(source[arg[0] + 1:arg[1] - 1])

    # blocks of the body
    lines = split_lines(source)
    for s, e, kind in envs:
        blocks.append((kind, s, e, ""))
    in_env = [any(s <= line.start < e or s < line.end <= e for s, e, _ in envs) for line in lines]
    para: list[int] = []

    def flush() -> None:
        if not para:
            return
        first, last = lines[para[0]], lines[para[-1]]
        s = first.start + (len(first.text) - len(first.text.lstrip()))
        text = scan[s:last.end]
        if not text.strip():
            para.clear()
            return
        if _ITEM.match(scan[first.start:first.end]):
            kind: BlockKind = "list-item"
        else:
            kind = "prose"
        blocks.append((kind, s, last.end, ""))
        para.clear()

    for k, line in enumerate(lines):
        if line.start < body_start or line.start >= body_end or in_env[k]:
            flush()
            continue
        content = scan[line.start:line.end]
        if not content.strip():
            if source[line.start:line.end].strip():  # only a comment on this line
                flush()
                blocks.append(("comment", line.start + (len(line.text) - len(line.text.lstrip())),
                               line.end, ""))
                continue
            flush()
            continue
        if _SECTION.match(content):
            flush()
            s = line.start + (len(line.text) - len(line.text.lstrip()))
            blocks.append(("heading", s, line.end, f"\\{_SECTION.match(content).group(1)}"))
            continue
        if _ITEM.match(content):
            flush()
        elif _ONLY_COMMANDS.match(content) and not _CITE.search(content) and not _text_command(content):
            flush()  # \begin{itemize}, \maketitle, \label{...}: structure only
            prose.blank(line.start, line.end)
            continue
        para.append(k)
    flush()
    blocks = _merge_comment_blocks(sorted(blocks, key=lambda b: b[1]))

    citations: list[Citation] = []
    for kind, s, e, _ in blocks:
        if kind in _PROSE_KINDS:
            _inline(source, scan, s, e, prose, citations, index)
    for kind, s, e, _ in blocks:
        if kind not in _PROSE_KINDS:
            prose.blank(s, e)
    pos = body_start
    for kind, s, e, _ in blocks:
        if s >= pos:
            prose.blank(pos, s)
        pos = max(pos, e)
    prose.blank(pos, body_end)
    # \nocite in the preamble counts too
    for m in _CITE.finditer(scan, 0, body_start):
        _cite(source, scan, m, prose, citations, index)

    targets = [(s, e) for kind, s, e, _ in blocks if kind in _PROSE_KINDS]
    suppressions: list[Suppression] = []
    for s, e, codes in comments:
        sup = suppression_for(codes, s, e, targets, index)
        if sup is not None:
            suppressions.append(sup)
    if not title:
        title = next((_plain(source[s:e]) for kind, s, e, _ in blocks if kind == "heading"), "")
    return Document(path=path, format="latex", text=source, prose=str(prose), title=title,
                    blocks=tuple(Block(kind=k, span=index.span(s, e), reason=r) for k, s, e, r in blocks),
                    citations=tuple(sorted(citations, key=lambda c: c.span.start)),
                    suppressions=tuple(suppressions), bibliography=tuple(bibliography))


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


def _comment_start(text: str, at: int) -> int | None:
    """Offset of the % that comments out position ``at``, if any."""
    line_start = text.rfind("\n", 0, at) + 1
    for m in re.finditer(r"(?<!\\)(?:\\\\)*%", text[line_start:at]):
        return line_start + m.end() - 1
    return None


def _comments(text: str, envs: list[tuple[int, int, BlockKind]]) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"(?<!\\)(?:\\\\)*%", text):
        at = m.end() - 1
        if any(s <= at < e and kind == "code" for s, e, kind in envs):
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


def _group(scan: str, i: int, open_: str, close: str) -> tuple[int, int] | None:
    """(start, end) of a balanced group starting at i after optional white space."""
    j = i
    while j < len(scan) and scan[j] in " \t\r\n":
        j += 1
    if j >= len(scan) or scan[j] != open_:
        return None
    depth = 0
    for k in range(j, len(scan)):
        c = scan[k]
        if c == "\\":
            continue
        if c == open_ and (k == 0 or scan[k - 1] != "\\"):
            depth += 1
        elif c == close and scan[k - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j, k + 1
    return None


def _bibliography(scan: str) -> list[str]:
    paths: list[str] = []
    for m in _BIB.finditer(scan):
        pos = m.end()
        opt = _group(scan, pos, "[", "]")
        if opt:
            pos = opt[1]
        arg = _group(scan, pos, "{", "}")
        if not arg:
            continue
        names = [n.strip() for n in scan[arg[0] + 1:arg[1] - 1].split(",") if n.strip()]
        for name in names:
            if m.group(1) == "bibliography" and not name.lower().endswith(".bib"):
                name += ".bib"
            if name not in paths:
                paths.append(name)
    return paths


def _plain(tex: str) -> str:
    """Rough text of a TeX fragment, for titles."""
    tex = re.sub(r"\\(?:[A-Za-z]+\*?|.)", " ", tex)
    return " ".join(tex.replace("{", " ").replace("}", " ").replace("~", " ").split())


def _cite(source: str, scan: str, m: re.Match[str], prose: Mask, citations: list[Citation],
          index: LineIndex) -> int:
    """Record one citation command; returns the offset after it."""
    cmd = m.group("cmd") + m.group("star")
    multi = bool(m.group("multi")) and m.group("cmd").lower() not in ("cite",)
    nocite = m.group("cmd") == "nocite"
    pos = m.end()
    if multi:  # \cites(pre)(post)[pre][post]{a}[pre][post]{b}
        for _ in range(2):
            g = _group(scan, pos, "(", ")")
            if g:
                pos = g[1]
    while True:
        opts = []
        while len(opts) < 2:
            g = _group(scan, pos, "[", "]")
            if not g:
                break
            opts.append(source[g[0] + 1:g[1] - 1])
            pos = g[1]
        keys = _group(scan, pos, "{", "}")
        if not keys:
            break
        prefix, locator = ("", opts[0]) if len(opts) == 1 else (opts[0], opts[1]) if opts else ("", "")
        k_start = keys[0] + 1
        for part in re.finditer(r"[^,]+", scan[k_start:keys[1] - 1]):
            key = part.group().strip()
            if not key:
                continue
            s = k_start + part.start() + (len(part.group()) - len(part.group().lstrip()))
            citations.append(Citation(key=key, span=index.span(s, s + len(key)), syntax="latex",
                                      command=cmd, prefix=_plain(prefix), locator=_plain(locator),
                                      nocite=nocite))
        pos = keys[1]
        if not multi:
            break
    prose.blank(m.start(), pos)
    return pos


def _inline(source: str, scan: str, start: int, end: int, prose: Mask, citations: list[Citation],
            index: LineIndex) -> None:
    i = start
    while i < end:
        c = scan[i]
        if c == "\\":
            cm = _CITE.match(scan, i)
            if cm:
                i = _cite(source, scan, cm, prose, citations, index)
                continue
            if scan.startswith("\\(", i) or scan.startswith("\\[", i):
                close = scan.find("\\)" if scan[i + 1] == "(" else "\\]", i + 2)
                stop = end if close == -1 else close + 2
                prose.blank(i, stop)
                i = stop
                continue
            m = _CMD.match(scan, i)
            if m is None:
                i += 1
                continue
            name = m.group(1)
            if name is None:  # \% \& \_ \{ ...: keep the character, drop the backslash
                prose.blank(i, i + 1)
                if m.group(2) in "\\ \n,;!:>":
                    prose.blank(i, m.end())  # spacing commands and line breaks
                i = m.end()
                continue
            if name == "verb" and m.end() < end:
                delim = scan[m.end()]
                close = scan.find(delim, m.end() + 1)
                stop = end if close == -1 else close + 1
                prose.blank(i, stop)
                i = stop
                continue
            prose.blank(i, m.end())
            pos = m.end()
            if name in _DROP_ARGS:
                while True:
                    g = _group(scan, pos, "[", "]") or _group(scan, pos, "{", "}")
                    if not g:
                        break
                    prose.blank(pos, g[1])
                    pos = g[1]
                i = pos
                continue
            if name in ("href",):  # \href{url}{text}: the URL is not prose
                g = _group(scan, pos, "{", "}")
                if g:
                    prose.blank(pos, g[1])
                    pos = g[1]
            while (g := _group(scan, pos, "[", "]")) is not None:
                prose.blank(pos, g[1])  # optional arguments are settings
                pos = g[1]
            i = pos
            continue
        if c == "$":
            double = scan.startswith("$$", i)
            close = scan.find("$$" if double else "$", i + (2 if double else 1), end)
            stop = end if close == -1 else close + (2 if double else 1)
            prose.blank(i, stop)
            i = stop
            continue
        if c in "{}~":
            prose.blank(i, i + 1)
        i += 1
