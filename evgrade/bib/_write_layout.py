"""Where each field of one entry block sits, read with pybtex's own grammar and tokens.

pybtex's parser gives names and values but no offsets; the writer needs offsets to
change one field and leave every other character alone. :func:`scan_entry` walks
an entry block the way ``pybtex.database.input.bibtex.LowLevelParser`` does (the
same token patterns, the same whitespace rule, the same optional commas) and
records where things are. It accepts nothing pybtex would reject and must end
exactly at the block's closing delimiter; anything else is a :class:`LayoutError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pybtex.database.input.bibtex import LowLevelParser
from pybtex.scanner import Scanner

from .. import _patterns

PartKind = Literal["brace", "quote", "number", "macro"]

_WS = Scanner.WHITESPACE.match
_NAME = LowLevelParser.NAME.match
_NUMBER = LowLevelParser.NUMBER.match
_KEY = {"{": LowLevelParser.KEY_BRACE.match, "(": LowLevelParser.KEY_PAREN.match}
_CLOSE = {"{": "}", "(": ")"}
_IN_BRACES = _patterns.compile(r"[{}]")
_IN_QUOTES = _patterns.compile(r'[{}"]')
_MAX_DEPTH = 100  # pybtex's own limit


class LayoutError(Exception):
    """The block does not follow the grammar; ``offset`` is where reading stopped."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Part:
    kind: PartKind
    start: int          # offset of the opening delimiter (or of the token)
    end: int            # one past the closing delimiter (or the token)

    def inner(self, text: str) -> str:
        """The characters between the delimiters, or the token itself."""
        if self.kind in ("brace", "quote"):
            return text[self.start + 1:self.end - 1]
        return text[self.start:self.end]


@dataclass(frozen=True, slots=True)
class FieldSpan:
    name: str
    lead: int           # start of the whitespace before the name (just after "," or the key)
    name_start: int
    name_end: int
    eq: int             # offset of "="
    parts: tuple[Part, ...]
    comma: int | None   # offset of the "," that ends this field, if one does

    @property
    def value_start(self) -> int:
        return self.parts[0].start

    @property
    def value_end(self) -> int:
        return self.parts[-1].end


@dataclass(frozen=True, slots=True)
class EntryLayout:
    key: str
    key_end: int
    opener: str                     # "{" or "("
    fields: tuple[FieldSpan, ...]
    commas: tuple[int, ...]         # every top-level "," after the key, in order
    close: int                      # offset of the closing delimiter

    def named(self, name: str) -> list[FieldSpan]:
        folded = name.lower()
        return [f for f in self.fields if f.name.lower() == folded]


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_ws(self) -> int:
        m = _WS(self.text, self.pos)
        if m:
            self.pos = m.end()
        return self.pos

    def token(self, match: Callable[[str, int], re.Match[str] | None]) -> re.Match[str] | None:
        self.skip_ws()
        m = match(self.text, self.pos)
        if m:
            self.pos = m.end()
        return m

    def literal(self, chars: str) -> str | None:
        self.skip_ws()
        if self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1
            return self.text[self.pos - 1]
        return None

    def need(self, chars: str, what: str) -> str:
        got = self.literal(chars)
        if got is None:
            raise LayoutError(f"{what} expected", self.pos)
        return got

    def delimited(self, kind: PartKind) -> Part:
        """A {...} or "..." value part whose opening delimiter is at ``pos``.

        As in pybtex: braces nest; a quote ends a quoted part only outside braces;
        a "}" with no "{" before it inside a quoted part is an error."""
        text, start = self.text, self.pos
        depth, i = 0, start + 1
        while True:
            scan = _IN_QUOTES if kind == "quote" and depth == 0 else _IN_BRACES
            m = scan.search(text, i)
            if m is None:
                raise LayoutError("value never closes", start)
            c, i = m.group(), m.end()
            if c == "{":
                depth += 1
                if depth > _MAX_DEPTH:
                    raise LayoutError("braces nested too deeply", m.start())
            elif c == "}" and depth > 0:
                depth -= 1
            elif c == "}" and kind == "quote":
                raise LayoutError("unbalanced braces", m.start())
            else:  # the closing "}" of a braced part, or the closing quote
                self.pos = i
                return Part(kind, start, i)

    def part(self) -> Part:
        self.skip_ws()
        c = self.text[self.pos:self.pos + 1]
        if c in ('"', "{"):
            return self.delimited("quote" if c == '"' else "brace")
        for match, kind in ((_NUMBER, "number"), (_NAME, "macro")):
            m = match(self.text, self.pos)
            if m:
                self.pos = m.end()
                return Part(kind, m.start(), m.end())  # type: ignore[arg-type]
        raise LayoutError("field value expected", self.pos)

    def value(self) -> tuple[Part, ...]:
        parts = [self.part()]
        while self.literal("#"):
            parts.append(self.part())
        return tuple(parts)


def _fields(r: _Reader) -> tuple[list[FieldSpan], list[int]]:
    fields: list[FieldSpan] = []
    commas: list[int] = []
    while True:
        lead = r.pos
        name = r.token(_NAME)
        field: tuple[str, int, int, int, tuple[Part, ...]] | None = None
        if name:
            r.need("=", "'='")
            eq = r.pos - 1
            field = (name.group(), name.start(), name.end(), eq, r.value())
        at = r.skip_ws()
        comma = at if r.literal(",") else None
        if field:
            fields.append(FieldSpan(field[0], lead, field[1], field[2], field[3], field[4], comma))
        if comma is None:
            return fields, commas
        commas.append(comma)


def scan_entry(text: str) -> EntryLayout:
    """The layout of one entry block (``text`` starts at its "@" and ends at its close)."""
    r = _Reader(text)
    r.need("@", "'@'")
    if not r.token(_NAME):
        raise LayoutError("entry type expected", r.pos)
    opener = r.need("{(", "'{' or '('")
    key = r.token(_KEY[opener])
    if not key:
        raise LayoutError("entry key expected", r.pos)
    fields, commas = _fields(r)
    r.need(_CLOSE[opener], f"{_CLOSE[opener]!r}")
    if r.pos != len(text):
        raise LayoutError("text after the closing delimiter", r.pos)
    return EntryLayout(key.group(), key.end(), opener, tuple(fields), tuple(commas), r.pos - 1)
