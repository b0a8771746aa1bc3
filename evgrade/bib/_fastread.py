"""Read a plain entry block the way pybtex's ``LowLevelParser`` does, several times faster.

pybtex's parser asks its scanner for one token at a time through several layers of
Python calls; for 100,000 entries that is most of the load. This reader follows the
same grammar with the same token patterns (pybtex's own ``NAME``, ``NUMBER`` and key
patterns, Python's ``\\s`` for white space, optional commas, ``#`` concatenation, braces
nesting inside braced and quoted values, a quote ending a quoted value only outside
braces) but finds value ends with ``str.find`` and reads whole fields per regex match.
It gives the same result pybtex gives (the command, the key, each field's name and
value parts, macros substituted, undefined macros kept by name) or None, whenever
anything is not plain: then pybtex reads the block, and reports the error if there is
one. It never reports an error itself. ``tests/bib/test_fastread.py`` compares the two on
every block of the real fixtures and on generated ones.
"""

from __future__ import annotations

import re
from string import digits
from typing import TYPE_CHECKING

from pybtex.database.input.bibtex import NAME_CHARS

from .. import _patterns

if TYPE_CHECKING:
    from pybtex.utils import CaseInsensitiveDict

Fields = list[tuple[str, list[str]]]
_NAME = rf"[{re.escape(NAME_CHARS)}][{re.escape(NAME_CHARS + digits)}]*"
_HEAD = _patterns.compile(rf"@\s*({_NAME})\s*([{{(])\s*")
_KEY = {"{": _patterns.compile(r"[^\s,}]+"), "(": _patterns.compile(r"[^\s,]+")}
_FIELD = _patterns.compile(rf"\s*({_NAME})\s*=\s*")
_WS = _patterns.compile(r"\s*")
_NUMBER_OR_NAME = _patterns.compile(rf"([0-9]+)|({_NAME})")
_BRACES = _patterns.compile(r"[{}]")
_IN_QUOTES = _patterns.compile(r'["{}]')
MAX_DEPTH = 50  # deeper nesting is left to pybtex (which stops at 100)


def _braced_end(text: str, start: int) -> int:
    """One past the "}" that closes the "{" at ``start``; -1 when it never closes (or nests
    deeper than MAX_DEPTH)."""
    close = text.find("}", start + 1)
    if close < 0:
        return -1
    if text.find("{", start + 1, close) < 0:
        return close + 1
    depth = 0
    for m in _BRACES.finditer(text, start + 1):
        if m.group() == "{":
            depth += 1
            if depth > MAX_DEPTH:
                return -1
        elif depth == 0:
            return m.end()
        else:
            depth -= 1
    return -1


def _quoted_end(text: str, start: int) -> int:
    """One past the '"' that closes the quoted value at ``start``: a quote inside braces does
    not close it, and a "}" without its "{" is an error (-1), as in pybtex."""
    close = text.find('"', start + 1)
    if close < 0:
        return -1
    if text.find("{", start + 1, close) < 0 and text.find("}", start + 1, close) < 0:
        return close + 1
    depth = 0
    for m in _IN_QUOTES.finditer(text, start + 1):
        c = m.group()
        if c == "{":
            depth += 1
            if depth > MAX_DEPTH:
                return -1
        elif c == "}":
            if depth == 0:
                return -1
            depth -= 1
        elif depth == 0:
            return m.end()
    return -1


class _Reader:
    __slots__ = ("text", "macros", "undefined", "from_macros")

    def __init__(self, text: str, macros: CaseInsensitiveDict) -> None:
        self.text = text
        self.macros = macros
        self.undefined: list[list[str]] = []
        self.from_macros: list[int] = []   # per field: characters its macros added

    def value(self, pos: int, field: str) -> tuple[list[str], int]:
        """The parts of the value at ``pos`` and where it ends; pos -1 when not plain."""
        text = self.text
        parts: list[str] = []
        added = 0
        while True:
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            c = text[pos:pos + 1]
            if c == "{" or c == '"':
                end = _braced_end(text, pos) if c == "{" else _quoted_end(text, pos)
                if end < 0:
                    return parts, -1
                parts.append(text[pos + 1:end - 1])
            else:
                m = _NUMBER_OR_NAME.match(text, pos)
                if m is None:
                    return parts, -1
                end = m.end()
                if m.group(1) is not None:
                    parts.append(m.group(1))
                else:
                    name = m.group(2)
                    try:
                        substituted = self.macros[name]
                    except KeyError:
                        self.undefined.append([field.lower(), name])
                        substituted = name
                    else:
                        added += len(substituted)
                    parts.append(substituted)
            pos = _WS.match(text, end).end()  # type: ignore[union-attr]
            if text[pos:pos + 1] != "#":
                self.from_macros.append(added)
                return parts, pos
            pos += 1

    def fields(self, pos: int) -> tuple[Fields, int]:
        """The fields from ``pos`` (just after the key) up to the closing delimiter."""
        text = self.text
        fields: Fields = []
        while True:
            m = _FIELD.match(text, pos)
            if m is not None:
                name = m.group(1)
                parts, pos = self.value(m.end(), name)
                if pos < 0:
                    return fields, -1
                fields.append((name, parts))
            else:
                pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos:pos + 1] != ",":
                return fields, pos
            pos += 1


def read_entry(text: str, macros: CaseInsensitiveDict
               ) -> tuple[str, str, Fields, list[list[str]], list[int]] | None:
    """(command, key, fields, undefined macros, characters each field's macros added) as
    pybtex's parser reads the entry block ``text``, before any cap is applied; None when
    pybtex must read the block."""
    head = _HEAD.match(text)
    if head is None or head.group(1).lower() in ("string", "preamble", "comment"):
        return None
    opener = head.group(2)
    key = _KEY[opener].match(text, head.end())
    if key is None:
        return None
    reader = _Reader(text, macros)
    fields, pos = reader.fields(key.end())
    if pos < 0 or pos >= len(text) or text[pos] != ("}" if opener == "{" else ")"):
        return None
    if text[pos + 1:].strip():
        return None  # something after the entry in its block: leave that to pybtex
    return head.group(1), key.group(), fields, reader.undefined, reader.from_macros
