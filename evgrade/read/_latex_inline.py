"""Inside a LaTeX paragraph: citation commands, inline math, and the other commands.

Works on ``scan``, a copy of the source with comments and code/math
environments blanked, and blanks the prose mask: a citation command entirely
(its keys become :class:`~evgrade.models.Citation` records), inline math
entirely, a command's name and braces while a text command's argument stays
prose, and the arguments of reference, file and layout commands.
"""

from __future__ import annotations

import re

from .. import _patterns
from .._text import LineIndex
from .._citekeys import shows_key
from ..models import Citation
from ._common import Mask
from ._match import match_pairs

# Every command whose name holds "cite" (natbib, biblatex, apacite, jurabib... and the
# user's own \mycite), except those that define or style citations or take free text.
CITE = _patterns.compile(r"\\(?P<cmd>(?!(?:def|new|renew|provide|set|Declare|DeclareCite)[A-Za-z]*[Cc]ite)"
                  r"[A-Za-z]*[Cc]ite[A-Za-z]*)(?![A-Za-z])(?P<star>\*?)")
_NOT_CITATIONS = frozenset("""
citetext citestyle citeindextrue citeindexfalse citeindextype citereset citesetup citenumfont
citeform citepunct citeleft citeright citemid citeafterpunct
""".split())
# biblatex multicite commands: (pre)(post) then [pre][post]{key} repeated
_MULTI = frozenset("cites Cites parencites Parencites footcites footcitetexts smartcites Smartcites "
                   "textcites Textcites supercites autocites Autocites".split())
_CMD = _patterns.compile(r"\\([A-Za-z@]+)\*?|\\(.)", re.DOTALL)
# commands whose arguments are not prose (references, files, layout)
_DROP_ARGS = frozenset("""
label ref eqref cref Cref autoref pageref nameref url includegraphics input include bibliographystyle
bibliography addbibresource begin end vspace hspace newcommand renewcommand usepackage documentclass
setlength setcounter hypersetup graphicspath maketitle tableofcontents printbibliography
newpage clearpage pagebreak linebreak noindent centering small large Large footnotesize
hline cline toprule midrule bottomrule multicolumn doi orcid thanks
""".split())
_SPACING = "\\ \n,;!:>"   # \\, "\ ", \, \; ... : spacing commands and line breaks


class Groups:
    """Balanced ``{...}``, ``[...]`` and ``(...)`` groups of one text.

    A brace preceded by a backslash does not count. Each kind of group is
    matched for the whole text with one stack on its first use: scanning to
    the closing brace from every command would make unclosed groups (one
    ``\\cite{`` after another) quadratic.
    """

    def __init__(self, scan: str) -> None:
        self.scan = scan
        self._pairs: dict[str, dict[int, int]] = {}

    def _counts(self, i: int) -> bool:
        return i == 0 or self.scan[i - 1] != "\\"

    def group(self, i: int, open_: str, close: str) -> tuple[int, int] | None:
        """(start, end) of a balanced group starting at i after optional white space."""
        scan = self.scan
        j = _BLANK.match(scan, i).end()  # type: ignore[union-attr]
        if j >= len(scan) or scan[j] != open_:
            return None
        if not self._counts(j):
            return _scan_group(scan, j, open_, close)
        pairs = self._pairs.get(open_)
        if pairs is None:
            pairs = self._pairs[open_] = match_pairs(scan, 0, len(scan), open_, close, counts=self._counts)
        k = pairs.get(j)
        return (j, k + 1) if k is not None else None


_BLANK = _patterns.compile(r"[ \t\r\n]*")


def _scan_group(scan: str, j: int, open_: str, close: str) -> tuple[int, int] | None:
    """The group from ``j`` found by scanning, for an opening character that does not count
    itself (after a backslash): the depth only returns to 0 after a later opener."""
    depth = 0
    for k in range(j, len(scan)):
        c = scan[k]
        if c == open_ and scan[k - 1] != "\\":
            depth += 1
        elif c == close and scan[k - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j, k + 1
    return None


def group(scan: str, i: int, open_: str, close: str) -> tuple[int, int] | None:
    """(start, end) of a balanced group starting at i after optional white space (one question;
    use :class:`Groups` for many on the same text)."""
    return Groups(scan).group(i, open_, close)


def plain(tex: str) -> str:
    """Rough text of a TeX fragment, for titles."""
    tex = re.sub(r"\\(?:[A-Za-z]+\*?|.)", " ", tex)
    return " ".join(tex.replace("{", " ").replace("}", " ").replace("~", " ").split())


class Inline:
    """Blanks the commands of the paragraphs of one document and collects its citations."""

    def __init__(self, source: str, scan: str, prose: Mask, index: LineIndex, groups: Groups | None = None) -> None:
        self.source, self.scan, self.prose, self.index = source, scan, prose, index
        self.citations: list[Citation] = []
        self.groups = groups or Groups(scan)

    def paragraph(self, start: int, end: int) -> None:
        scan, prose = self.scan, self.prose
        i = start
        while i < end:
            c = scan[i]
            if c == "\\":
                i = self._command(i, end)
            elif c == "$":
                i = self._math(i, end)
            else:
                if c in "{}~&":   # "&" (not "\\&") aligns table columns
                    prose.blank(i, i + 1)
                i += 1

    def cite(self, m: re.Match[str]) -> int:
        """Record one citation command; returns the offset after it (for a command that
        only looks like one, such as ``\\citestyle``, the offset after its name)."""
        name = m.group("cmd")
        if name in _NOT_CITATIONS:
            self.prose.blank(m.start(), m.end())
            return m.end()
        cmd = name + m.group("star")
        multi = name in _MULTI
        pos = m.end()
        if multi:  # \cites(pre)(post)[pre][post]{a}[pre][post]{b}
            for _ in range(2):
                g = self.groups.group(pos, "(", ")")
                if g:
                    pos = g[1]
        first_keys = None
        while True:
            pos, keys = self._cite_group(pos, cmd, nocite=name == "nocite")
            first_keys = first_keys or keys
            if not keys or not multi:
                break
        # a narrative citation keeps its keys in the prose: "\\citet{Smith2020} argues"
        if first_keys and not multi and shows_key("latex", name, ""):
            self.prose.blank(m.start(), first_keys[0] + 1)
            self.prose.blank(first_keys[1] - 1, pos)
        else:
            self.prose.blank(m.start(), pos)
        return pos

    # ------------------------------------------------------------ citations
    def _cite_group(self, pos: int, cmd: str, *, nocite: bool) -> tuple[int, tuple[int, int] | None]:
        """``[prefix][locator]{keys}`` at ``pos``: record its keys. Returns the offset after
        what was read (optional arguments included) and the key group's span, if any."""
        opts = []
        while len(opts) < 2:
            g = self.groups.group(pos, "[", "]")
            if not g:
                break
            opts.append(self.source[g[0] + 1:g[1] - 1])
            pos = g[1]
        keys = self.groups.group(pos, "{", "}")
        if not keys:
            return pos, None
        prefix, locator = ("", opts[0]) if len(opts) == 1 else (opts[0], opts[1]) if opts else ("", "")
        k_start = keys[0] + 1
        for part in re.finditer(r"[^,]+", self.scan[k_start:keys[1] - 1]):
            key = part.group().strip()
            if not key:
                continue
            s = k_start + part.start() + (len(part.group()) - len(part.group().lstrip()))
            self.citations.append(Citation(
                key=key, span=self.index.span(s, s + len(key)), syntax="latex", command=cmd,
                prefix=plain(prefix), locator=plain(locator), nocite=nocite))
        return keys[1], keys

    # ------------------------------------------------------------- commands
    def _command(self, i: int, end: int) -> int:
        scan = self.scan
        cm = CITE.match(scan, i)
        if cm:
            return self.cite(cm)
        if scan.startswith("\\(", i) or scan.startswith("\\[", i):
            close = scan.find("\\)" if scan[i + 1] == "(" else "\\]", i + 2)
            return self._blank_to(i, end if close == -1 else close + 2)
        m = _CMD.match(scan, i)
        if m is None:
            return i + 1
        name = m.group(1)
        if name is None:  # \% \& \_ \{ ...: keep the character, drop the backslash
            self.prose.blank(i, i + 1)
            if m.group(2) in _SPACING:
                self.prose.blank(i, m.end())
            return m.end()
        if name == "verb" and m.end() < end:
            close = scan.find(scan[m.end()], m.end() + 1)
            return self._blank_to(i, end if close == -1 else close + 1)
        self.prose.blank(i, m.end())
        if name in _DROP_ARGS:
            return self._drop_arguments(m.end())
        return self._settings(name, m.end())

    def _drop_arguments(self, pos: int) -> int:
        while g := self.groups.group(pos, "[", "]") or self.groups.group(pos, "{", "}"):
            pos = self._blank_to(pos, g[1])
        return pos

    def _settings(self, name: str, pos: int) -> int:
        """A text command keeps its argument; its optional arguments are settings, and the
        URL of ``\\href{url}{text}`` is not prose."""
        if name == "href":
            g = self.groups.group(pos, "{", "}")
            if g:
                pos = self._blank_to(pos, g[1])
        while (g := self.groups.group(pos, "[", "]")) is not None:
            pos = self._blank_to(pos, g[1])
        return pos

    def _math(self, i: int, end: int) -> int:
        double = self.scan.startswith("$$", i)
        close = self.scan.find("$$" if double else "$", i + (2 if double else 1), end)
        return self._blank_to(i, end if close == -1 else close + (2 if double else 1))

    def _blank_to(self, start: int, stop: int) -> int:
        self.prose.blank(start, stop)
        return stop
