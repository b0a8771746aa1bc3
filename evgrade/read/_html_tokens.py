"""The tokens of an HTML page in one pass: tags, text, references and comments.

The standard library's html.parser reads every page, but it looks for the end
of each construct by searching to the end of the input, so a page with many
constructs that never close (``<a `` or ``<!--`` repeated, ``</`` without
``>``) takes time quadratic in its length: 20 s for 50 KB of ``<a ``. This
tokenizer applies the same rules as html.parser (Python 3.11 to 3.13.0) to
decide what a tag, comment or reference is and where it ends, including what
html.parser does with a construct that is not closed when the input ends
(the "<" and what follows up to the next ">" become text), but finds every
closer from an index built once, and remembers where the attribute list of
a start tag ends from each point it reached, so each character is looked at
a bounded number of times. ``tests/read/test_html_tokens.py`` checks that
the two agree on generated pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from .. import _patterns
from ._match import Occurrences

_INTERESTING = _patterns.compile(r"[&<]")
_INCOMPLETE = _patterns.compile(r"&[a-zA-Z#]")
_ENTITYREF = _patterns.compile(r"&([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]")
_CHARREF = _patterns.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]")
_TAG_OPEN = _patterns.compile(r"<[a-zA-Z]")
_TAG_NAME = _patterns.compile(r"[a-zA-Z][^\t\n\r\f />\x00]*")
_END_TAG = _patterns.compile(r"</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>")
_DECL_NAME = _patterns.compile(r"[a-zA-Z][-_.a-zA-Z0-9]*\s*")
_ATTR_NAME = _patterns.compile(r"[^\s/>][^\s/=>]*")
_BARE_VALUE = _patterns.compile(r"[^>\s]*")
_SPACE = _patterns.compile(r"\s*")
_EQUALS = _patterns.compile(r"=+")
_SPACE_OR_SLASH = _patterns.compile(r"[\s/]*")
_AFTER_ATTR = _patterns.compile(r"(?:\s|/(?!>))*")   # white space, or a / that does not close the tag
_CDATA_ELEMENTS = ("script", "style")
_MARKED = {"temp", "cdata", "ignore", "include", "rcdata"}
_MS_MARKED = {"if", "else", "endif"}
_ATTR_STOPS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ=/")


class Token(NamedTuple):
    kind: str    # "start", "startend" (<x/>), "end", "text", "comment"
    start: int   # offset of the construct in the page
    data: str    # tag name (lower case); the text; the comment's content


class _Incomplete(Exception):
    """A construct that is not closed before the end of the page."""


class Tokenizer:
    def __init__(self, text: str) -> None:
        self.text = text
        self._find: dict[str, Occurrences] = {}
        self._attrs_end: dict[int, int] = {}   # attribute-list position -> where the list ends
        self._last_semicolon = text.rfind(";")

    def _next(self, needle: str, pos: int) -> int:
        """``text.find(needle, pos)`` for a literal or, written ``re:...``, a pattern."""
        if needle not in self._find:
            pattern = needle[3:] if needle.startswith("re:") else re.escape(needle)
            self._find[needle] = Occurrences(self.text, pattern, regex=True)
        return self._find[needle].find(pos)

    # ------------------------------------------------------------ the loop
    def tokens(self) -> Iterator[Token]:
        """The page's tokens, in order. Like html.parser fed the whole page and then closed:
        up to the first construct it cannot finish it waits ("phase 0"); from there on
        ("phase 1") an unclosed construct becomes text, and a stray "&#" ends the parse."""
        text, n = self.text, len(self.text)
        pos, self.phase, self.cdata = 0, 0, ""
        while pos < n:
            if self.cdata:
                pos = yield from self._cdata(pos)
                continue
            m = _INTERESTING.search(text, pos)
            j = m.start() if m else n
            if j > pos:
                yield Token("text", pos, text[pos:j])
            pos = j
            if pos == n:
                break
            if text[pos] == "<":
                pos = yield from self._markup(pos)
            else:
                pos = yield from self._reference(pos)

    def _cdata(self, pos: int) -> Iterator[Token]:
        """Inside <script> or <style>: text up to the element's end tag (none: the rest is dropped)."""
        m = _patterns.compile(r"</\s*%s\s*>" % self.cdata, re.I).search(self.text, pos)
        if m is None:
            return len(self.text)
        if m.start() > pos:
            yield Token("text", pos, self.text[pos:m.start()])
        yield Token("end", m.start(), self.cdata)
        self.cdata = ""
        return self.text.find(">", m.start() + 1) + 1

    def _markup(self, pos: int) -> Iterator[Token]:
        text = self.text
        try:
            if _TAG_OPEN.match(text, pos):
                return (yield from self._start_tag(pos))
            if text.startswith("</", pos):
                return (yield from self._end_tag(pos))
            if text.startswith("<!--", pos):
                return (yield from self._comment(pos))
            if text.startswith("<?", pos):
                return self._closed_by(">", pos + 2) + 1
            if text.startswith("<!", pos):
                return (yield from self._declaration(pos))
        except _Incomplete:
            self.phase = 1
            k = self._next(">", pos + 1)
            if k == -1:
                k = text.find("<", pos + 1)
                k = pos + 1 if k == -1 else k
            else:
                k += 1
            yield Token("text", pos, text[pos:k])
            return k
        yield Token("text", pos, "<")
        return pos + 1

    def _closed_by(self, needle: str, pos: int) -> int:
        found = self._next(needle, pos)
        if found == -1:
            raise _Incomplete
        return found

    def _reference(self, pos: int) -> Iterator[Token]:
        """"&": a character or entity reference (kept as written, with its ";"), else text."""
        text, n = self.text, len(self.text)
        ref = _CHARREF.match(text, pos) if text.startswith("&#", pos) else _ENTITYREF.match(text, pos)
        if ref:
            name = ref.group()[2:-1] if text.startswith("&#", pos) else ref.group(1)
            yield Token("text", pos, ("&#" if text.startswith("&#", pos) else "&") + name + ";")
            return ref.end() if text[ref.end() - 1] == ";" else ref.end() - 1
        if text.startswith("&#", pos):
            if self._last_semicolon >= pos:   # "&#" then a ";" somewhere later: "&#" is text
                yield Token("text", pos, "&#")
                pos += 2
            return (yield from self._stop(pos))
        m = _INCOMPLETE.match(text, pos)
        if m:
            if self.phase == 1 and m.group() == text[pos:]:
                pos += 1
            return (yield from self._stop(pos))
        if pos + 1 < n:
            yield Token("text", pos, "&")
            return pos + 1
        return (yield from self._stop(pos))

    def _stop(self, pos: int) -> Iterator[Token]:
        """html.parser stops here: the first time it waits for more input (phase 1 begins at
        the same place); the second time, the rest of the page is one text."""
        if self.phase == 0:
            self.phase = 1
            return pos
        if pos < len(self.text):
            yield Token("text", pos, self.text[pos:])
        return len(self.text)

    # ------------------------------------------------------------ the constructs
    def _comment(self, pos: int) -> Iterator[Token]:
        close = self._closed_by(r"re:--\s*>", pos + 4)
        yield Token("comment", pos, self.text[pos + 4:close])
        return _patterns.compile(r"--\s*>").match(self.text, close).end()  # type: ignore[union-attr]

    def _declaration(self, pos: int) -> Iterator[Token]:
        text = self.text
        if text.startswith("<![", pos):
            return self._marked_section(pos)
        if text[pos:pos + 9].lower() == "<!doctype":
            return self._closed_by(">", pos + 9) + 1
        return (yield from self._bogus_comment(pos))

    def _bogus_comment(self, pos: int) -> Iterator[Token]:
        close = self._closed_by(">", pos + 2)
        yield Token("comment", pos, self.text[pos + 2:close])
        return close + 1

    def _marked_section(self, pos: int) -> int:
        """``<![CDATA[...]]>``, ``<![if ...]>``; anything else runs to the next ">" (or the end)."""
        text = self.text
        m = _DECL_NAME.match(text, pos + 3)
        if pos + 3 >= len(text) or (m and m.end() == len(text)):
            raise _Incomplete
        name = m.group().strip().lower() if m else ""
        closer = r"re:\]\s*\]\s*>" if name in _MARKED else r"re:\]\s*>" if name in _MS_MARKED else ""
        if not closer:
            close = text.find(">", pos + 3)
            return len(text) if close == -1 else close + 1
        close = self._closed_by(closer, pos + 3)
        return _patterns.compile(closer[3:]).match(text, close).end()  # type: ignore[union-attr]

    def _end_tag(self, pos: int) -> Iterator[Token]:
        text = self.text
        gt = self._closed_by(">", pos + 1)
        m = _END_TAG.match(text, pos)
        if m:
            yield Token("end", pos, m.group(1).lower())
            return gt + 1
        name = _TAG_NAME.match(text, pos + 2)
        if name is None:
            if text.startswith("</>", pos):
                return pos + 3
            return (yield from self._bogus_comment(pos))
        yield Token("end", pos, name.group().lower())
        return gt + 1

    # ------------------------------------------------------------ start tags
    def _start_tag(self, pos: int) -> Iterator[Token]:
        text = self.text
        end = self._start_tag_end(pos)
        name = _TAG_NAME.match(text, pos + 1)
        assert name is not None
        k = _AFTER_ATTR.match(text, name.end()).end()  # type: ignore[union-attr]
        while k < end:   # the attributes once more, from the name as html.parser reads them
            attr = self._attribute(k)
            if attr is None:
                break
            k = _AFTER_ATTR.match(text, attr).end()  # type: ignore[union-attr]
        rest = text[k:end].strip()
        tag = name.group().lower()
        if rest not in (">", "/>"):
            yield Token("text", pos, text[pos:end])
        elif rest.endswith("/>"):
            yield Token("startend", pos, tag)
        else:
            yield Token("start", pos, tag)
            if tag in _CDATA_ELEMENTS:
                self.cdata = tag
        return end

    def _start_tag_end(self, pos: int) -> int:
        """Where the start tag at ``pos`` ends (raises _Incomplete when the page ends first)."""
        text = self.text
        j = _SPACE_OR_SLASH.match(text, _TAG_NAME.match(text, pos + 1).end()).end()  # type: ignore[union-attr]
        attr = self._attribute(j, trailing_space=True)
        if attr is not None:
            j = self._attribute_list_end(attr)
        nxt = text[j:j + 1]
        if nxt == ">":
            return j + 1
        if nxt == "/":
            if text.startswith("/>", j):
                return j + 2
            raise _Incomplete
        if nxt == "" or nxt in _ATTR_STOPS:
            raise _Incomplete
        return j if j > pos else pos + 1

    def _attribute_list_end(self, q: int) -> int:
        """From the end of one attribute, where the attribute list ends (remembered for every
        position on the way, so a later tag inside this one is not read again)."""
        path = []
        memo = self._attrs_end
        while q not in memo:
            path.append(q)
            r = _AFTER_ATTR.match(self.text, q).end()  # type: ignore[union-attr]
            attr = self._attribute(r, trailing_space=True)
            if attr is None:
                memo[q] = r
                break
            q = attr
        end = memo[q]
        for p in path:
            memo[p] = end
        return end

    def _attribute(self, r: int, *, trailing_space: bool = False) -> int | None:
        """End of the attribute (name, then ``=value`` if one can be read) starting at ``r``."""
        text = self.text
        if r == 0 or r >= len(text) or not (text[r - 1] in "'\"/" or text[r - 1].isspace()):
            return None
        name = _ATTR_NAME.match(text, r)
        if name is None:
            return None
        value = self._value(name.end())
        if value is None:
            return name.end()
        return _SPACE.match(text, value).end() if trailing_space else value  # type: ignore[union-attr]

    def _value(self, p: int) -> int | None:
        """End of ``\\s*=+\\s*value`` after an attribute name, or None (the attribute has no value).

        A quoted value needs its closing quote; when it has none, a shorter reading is
        tried as the regular expression would: less white space after "=" (an empty bare
        value), or one "=" fewer (a bare value starting with "=")."""
        text = self.text
        eq = _SPACE.match(text, p).end()  # type: ignore[union-attr]
        if not text.startswith("=", eq):
            return None
        eq_end = _EQUALS.match(text, eq).end()  # type: ignore[union-attr]
        v = _SPACE.match(text, eq_end).end()  # type: ignore[union-attr]
        quote = text[v:v + 1]
        if quote not in ("'", '"'):
            return _BARE_VALUE.match(text, v).end()  # type: ignore[union-attr]
        close = self._next(quote, v + 1)
        if close != -1:
            return close + 1
        if v > eq_end:
            return v - 1   # an empty bare value before the last space
        if eq_end - eq >= 2:
            return _BARE_VALUE.match(text, eq_end - 1).end()  # type: ignore[union-attr]
        return None
