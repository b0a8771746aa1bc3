"""Inline syntax of pandoc Markdown, blanked in the two masks of one block.

``scan`` loses what can never hold a citation (code spans, math, comments,
HTML tags, autolinks, URLs, escapes, raw TeX, link destinations); ``prose``
loses that and the markup around link text (brackets, destinations,
attributes, emphasis markers). One pass over the block's characters: a
handler per opening character returns where to go on, or None when the
character opens nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import _patterns
from ._common import Mask, ignore_codes
from ._match import BacktickRuns, BracketWalk, match_pairs

ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!$@|~^:;\"'<=&%/,?")
URL = _patterns.compile(r"(?:https?|ftp)://[^\s<>\"'`\])]+|www\.[^\s<>\"'`\])]+", re.IGNORECASE)
AUTOLINK = _patterns.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
# raw HTML: only element names HTML knows, so "@k<y>" keeps its key as in pandoc
_HTML_NAMES = (
    "a|abbr|address|article|aside|audio|b|bdi|bdo|blockquote|body|br|button|canvas|caption|cite|code|"
    "col|colgroup|data|dd|del|details|dfn|dialog|div|dl|dt|em|embed|fieldset|figcaption|figure|footer|"
    "form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|mark|meta|"
    "meter|nav|noscript|object|ol|optgroup|option|output|p|param|picture|pre|progress|q|rp|rt|ruby|s|"
    "samp|script|section|select|small|source|span|strong|style|sub|summary|sup|table|tbody|td|template|"
    "textarea|tfoot|th|thead|time|title|tr|track|u|ul|var|video|wbr|center|font|big|tt")
TAG = _patterns.compile(rf"</?(?:{_HTML_NAMES})(?=[\s/>])(?:\s+[^<>]*?)?/?>", re.DOTALL | re.IGNORECASE)
TEX_CMD = _patterns.compile(r"\\[A-Za-z]+\*?")
EMPH = _patterns.compile(r"(?<![\w\\*_~])(?:\*{1,3}|_{1,3}|~~)(?=\S)|(?<=\S)(?:\*{1,3}|_{1,3}|~~)(?![\w*_~])")
ATTR = _patterns.compile(r"\{[#.][^{}\n]*\}|\{-\}")
SUPERSCRIPT = _patterns.compile(r"(?<![\\^])\^(?=[^\s^])[^\s^]{1,40}\^")   # pandoc's ^a^: the carets are markup

Comment = tuple[int, int, tuple[str, ...]]   # an "evgrade: ignore" comment: start, end, codes


def blank_inline(text: str, start: int, end: int, prose: Mask, scan: Mask,
                 comments: list[Comment]) -> None:
    """Blank the inline syntax of ``text[start:end]``; ignore comments go to ``comments``."""
    _Inline(text, start, end, prose, scan, comments).run()


class _Inline:
    def __init__(self, text: str, start: int, end: int, prose: Mask, scan: Mask,
                 comments: list[Comment]) -> None:
        self.text, self.start, self.end = text, start, end
        self.prose, self.scan = prose, scan
        self.comments = comments
        # link text is scanned like any text; at its closing bracket, jump over the destination
        self.jumps: dict[int, int] = {}
        self.match = _Matches(text, start, end)

    def run(self) -> None:
        text, end, jumps = self.text, self.end, self.jumps
        i = self.start
        while i < end:
            if i in jumps:
                i = jumps.pop(i)
                continue
            handler = _HANDLERS.get(text[i])
            nxt = handler(self, i) if handler is not None else None
            i = i + 1 if nxt is None else nxt
        self._markers()

    def _both(self, start: int, end: int) -> int:
        self.prose.blank(start, end)
        self.scan.blank(start, end)
        return end

    def _markers(self) -> None:
        """Emphasis markers and bracketed-span attributes left in the block's prose."""
        start = self.start
        segment = self.prose.text(start, self.end)
        for m in EMPH.finditer(segment):
            self.prose.blank(start + m.start(), start + m.end())
        for m in ATTR.finditer(segment):
            self.prose.blank(start + m.start(), start + m.end())
        for m in SUPERSCRIPT.finditer(segment):
            self.prose.blank(start + m.start(), start + m.start() + 1)
            self.prose.blank(start + m.end() - 1, start + m.end())

    # ---------------------------------------------------------- handlers
    def _backslash(self, i: int) -> int | None:
        text, end = self.text, self.end
        if i + 1 >= end:
            return None
        if text.startswith("@ref(", i + 1):   # bookdown's \@ref(fig:x): a cross-reference
            close = self.match.paren_end(i + 5)
            if close != -1:
                return self._both(i, close)
        if text[i + 1] in ESCAPABLE:
            self.prose.blank(i, i + 1)
            self.scan.blank(i, i + 2)
            return i + 2
        m = TEX_CMD.match(text, i)
        if m is None:
            return None
        return self._both(i, self.match.tex_args(m.end()))

    def _code(self, i: int) -> int:
        """A code span: the run of backticks at ``i`` up to the next run of the same length."""
        run = self.match.runs.run_end(i) - i
        close = self.match.runs.exactly(run, i + run)
        return self._both(i, close + run) if close != -1 else i + run

    def _angle(self, i: int) -> int | None:
        text, end = self.text, self.end
        if text.startswith("<!--", i):
            close = text.find("-->", i + 4, end)
            stop = end if close == -1 else close + 3
            self._both(i, stop)
            codes = ignore_codes(text[i:stop])
            if codes is not None:
                self.comments.append((i, stop, codes))
            return stop
        m = AUTOLINK.match(text, i, end) or TAG.match(text, i, end)
        return self._both(i, m.end()) if m else None

    def _dollar(self, i: int) -> int | None:
        stop = math_end(self.text, i, self.end)
        return self._both(i, stop) if stop else None

    def _url(self, i: int) -> int | None:
        text = self.text
        # not when the URL is part of a key: "@url:https://...", "@{https://...}"
        # ("www." after "/": inside a URL the "http" handler left to a key)
        if i != self.start and (text[i - 1].isalnum() or text[i - 1] in "{:/"):
            return None
        m = URL.match(text, i, self.end)
        if m is None:
            return None
        url_end = m.end()
        while url_end > i and text[url_end - 1] in ".,;:!?":
            url_end -= 1  # sentence punctuation after a URL
        return self._both(i, url_end)

    def _image(self, i: int) -> int | None:
        return self._bracket(i, i + 1) if self.text.startswith("[", i + 1) else None

    def _bracket(self, i: int, open_: int | None = None) -> int | None:
        """``[...]`` (or ``![...]`` when ``open_`` is past the "!"): footnote reference,
        link, bracketed span or reference link; anything else is left as text."""
        open_ = i if open_ is None else open_
        text = self.text
        close = self.match.bracket_end(open_)
        if close == -1:
            return None
        if open_ == i and text.startswith("[^", open_):  # footnote reference
            return self._both(i, close + 1)
        after = text[close + 1:close + 2]
        if after == "(":
            return self._link(i, open_, close)
        if after == "{":
            return self._span(i, open_, close)
        if after == "[" and "@" not in text[open_:close]:
            return self._reference_link(i, open_, close)
        return None

    def _keep_text(self, i: int, open_: int, close: int, dest_end: int) -> int:
        """Blank the opening bracket and ``close``..``dest_end``; scan the link text itself."""
        self.prose.blank(i, open_ + 1)
        self.prose.blank(close, dest_end)
        self.scan.blank(close + 1, dest_end)
        self.jumps[close] = dest_end
        return open_ + 1

    def _link(self, i: int, open_: int, close: int) -> int | None:
        dest_end = self.match.paren_end(close + 1)
        if dest_end == -1:
            return None
        attr = ATTR.match(self.text, dest_end)
        if attr:
            dest_end = self._both(attr.start(), attr.end())
        return self._keep_text(i, open_, close, dest_end)

    def _span(self, i: int, open_: int, close: int) -> int | None:
        attr = ATTR.match(self.text, close + 1)   # a bracketed span: [text]{.class}
        return self._keep_text(i, open_, close, attr.end()) if attr else None

    def _reference_link(self, i: int, open_: int, close: int) -> int | None:
        ref_end = self.match.bracket_end(close + 1)   # [text][ref]
        return self._keep_text(i, open_, close, ref_end + 1) if ref_end != -1 else None


_HANDLERS: dict[str, Callable[[_Inline, int], int | None]] = {
    "\\": _Inline._backslash, "`": _Inline._code, "<": _Inline._angle, "$": _Inline._dollar,
    "[": _Inline._bracket, "!": _Inline._image,
    **{c: _Inline._url for c in "hHwWfF"},
}


class _Matches:
    """Where the brackets, braces, parentheses and code spans of one block close.

    Each table is built on the first question, from one pass over the block
    (:mod:`._match`), and gives the answers a scan from the opening character
    would give: searching from every "[" of a block that has many would take
    time quadratic in its length.
    """

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self._tables: dict[str, dict[int, int]] = {}
        self._runs: BacktickRuns | None = None
        self._walk: BracketWalk | None = None

    @property
    def runs(self) -> BacktickRuns:
        if self._runs is None:
            self._runs = BacktickRuns(self.text, self.start, self.end)
        return self._runs

    def _table(self, open_: str, close: str, *, blank_line_stops: bool = False) -> dict[int, int]:
        table = self._tables.get(open_)
        if table is None:
            table = match_pairs(self.text, self.start, self.end, open_, close, blank_line_stops=blank_line_stops)
            self._tables[open_] = table
        return table

    def bracket_end(self, open_: int) -> int:
        """The "]" closing the "[" at ``open_`` (escapes and code spans skipped), or -1; a
        blank line ends the search."""
        if self._walk is None:
            self._walk = BracketWalk(self.text, self.start, self.end, self.runs)
        return self._walk.close(open_)

    def paren_end(self, open_: int) -> int:
        """One past the ")" closing the "(" at ``open_``, or -1; a blank line ends the search."""
        close = self._table("(", ")", blank_line_stops=True).get(open_, -1)
        return close + 1 if close != -1 else -1

    def tex_args(self, i: int) -> int:
        """End of the [optional] and {required} arguments following a TeX command at ``i``."""
        text, end = self.text, self.end
        while i < end and text[i] in "[{":
            table = self._table("[", "]") if text[i] == "[" else self._table("{", "}")
            j = table.get(i, end)   # an unclosed group runs to the end of the block
            if j >= end:
                return i
            i = j + 1
        return i


def math_end(text: str, i: int, end: int) -> int:
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
            return 0 if text[j - 1].isspace() or text[j + 1:j + 2].isdigit() else j + 1
        j += 1
    return 0
