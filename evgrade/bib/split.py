"""Cut a .bib text into top-level blocks without parsing them.

BibTeX reads everything outside an ``@command{...}`` as a comment, so the
splitter only has to find where each block starts and where its delimiters
balance. This is cheap (regex scanning, no field parsing), which lets the
loader parse just the entries it needs and keeps one broken entry from taking
the rest of the file with it: when a block never closes, it ends before the
next line that starts a new ``@type{``.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from .. import _patterns

BlockKind = Literal["entry", "string", "preamble", "comment"]

# "@" type "{" or "(": pybtex's NAME characters, minus the ones that end a type
_HEAD = _patterns.compile(r"@[ \t]*([A-Za-z][A-Za-z0-9_\-:.+!$&*/<>?\[\]^`|~]*)\s*([{(])")
# what the top-level scan stops at: a %-comment line (skipped whole), a block's head
# (group 1 its type, group 2 its opener), or another "@"
_NEXT = _patterns.compile(r"^[ \t]*%[^\n]*|" + _HEAD.pattern + "|@", re.MULTILINE)
# a line that opens a new block; inside an unclosed block it means the block was cut short
_NEW_BLOCK = r"\n[ \t]*@(?=[A-Za-z][\w\-:.]*[ \t]*[{(])"
_NEW_BLOCK_AT = _patterns.compile(_NEW_BLOCK)
_AFTER_AT = _patterns.compile(_NEW_BLOCK[_NEW_BLOCK.index("(?=") + 3:-1])  # the type and its opener
_NOT_BRACES = bytes(b for b in range(256) if b not in b"{}")  # bytes.translate's delete set
_SCAN_BRACE = _patterns.compile(r"[{}]|" + _NEW_BLOCK)
_SCAN_PAREN = _patterns.compile(r'[{}")]|' + _NEW_BLOCK)
_KEY_BRACE = _patterns.compile(r"\s*([^\s,}=]++)(?!\s*=)")
_KEY_PAREN = _patterns.compile(r"\s*([^\s,=]++)(?!\s*=)")
# what _HEAD reads when the opener is "{" (group 1 the type), then the key as _key reads it
# (group 3; it cannot run past the "}" that ends its block)
_HEAD_KEY = _patterns.compile(_HEAD.pattern.replace("([{(])", "({)") + "(?:" + _KEY_BRACE.pattern + ")?")
_ROUNDS = 8   # nesting levels _quick_end removes before it leaves the block to the scan
_TRIES = 3    # windows (up to the next "@"s) _quick_end tries before it leaves it to the scan
_PAIRED = _patterns.compile(rb"(?:\{\})*+")     # braces that pair up, nested at most _ROUNDS deep
for _ in range(_ROUNDS - 1):
    _PAIRED = _patterns.compile(rb"(?:\{" + _PAIRED.pattern + rb"\})*+")
_PAIRED = _PAIRED.fullmatch  # type: ignore[assignment]
_CROSSREF = _patterns.compile(r"""(?i)(?<![\w-])crossref\s*=\s*[{"]\s*([^\s,"{}]+)\s*[}"]""")


class RawBlock(NamedTuple):
    """One top-level block (a tuple: a file has one per entry, and a frozen dataclass
    took three times as long to make)."""

    kind: BlockKind
    command: str            # the @type as written: "Article", "String"
    key: str | None         # entries only: the key as pybtex will read it, if it can be seen
    line: int               # 1-based line of the "@"
    start: int              # offset of the "@" in the file text
    end: int                # offset one past the closing delimiter (or where the block was cut)
    terminated: bool        # False when the closing delimiter never came
    text: str

    @property
    def crossref(self) -> str | None:
        """The crossref target, read with a regex (a macro as target is not seen)."""
        if self.kind != "entry" or "rossref" not in self.text:
            return None
        m = _CROSSREF.search(self.text)
        return m.group(1) if m else None


def _quick_end(text: str, pos: int, boundary: int | None = None) -> int:
    """Where a {...} block whose body starts at ``pos`` closes, found with string operations
    only, or -1 when that takes the brace-by-brace scan.

    A candidate is the last "}" before the next "@" (or before the next line that opens a
    block, ``boundary``, when no "@" comes first). It closes the block when the braces
    before it balance without ever closing more than they opened (deleting "{}" pairs
    until none is left leaves nothing): the scan, which stops at the first "}" its braces
    leave unmatched, would stop there too. An "@" inside a value can cut the first
    window short, so the windows up to the next _TRIES "@"s are tried; then the scan
    takes over, which keeps the work within a few times the block's length however many
    blocks share a line. Each round of deletion removes one level of nesting only, so
    after _ROUNDS levels the scan takes over too: braces nested thousands deep would make
    the rounds quadratic. ``boundary``: :func:`_new_block_at`, when the caller knows it."""
    if boundary is None:
        boundary = _new_block_at(text, pos)
    after = pos
    for _ in range(_TRIES):
        at = text.find("@", after, boundary)
        close = text.rfind("}", pos, boundary if at < 0 else at)
        if close >= 0 and _balanced(text, pos, close):
            return close + 1
        if at < 0:
            return -1
        after = at + 1
    return -1


def _balanced(text: str, start: int, stop: int) -> bool:
    """The braces of ``text[start:stop]`` pair up, nested at most _ROUNDS deep."""
    # the braces alone, as bytes (latin-1 with "?" for what it lacks: braces are ASCII),
    # as translate deletes bytes fastest
    braces = text[start:stop].encode("latin-1", "replace").translate(None, _NOT_BRACES)
    return _PAIRED(braces) is not None


def _new_block_at(text: str, pos: int) -> int:
    """Where ``_NEW_BLOCK_AT.search(text, pos)`` would match (the newline), else len(text):
    found from each "@" with str.find, which skips the text between at C speed."""
    at = text.find("@", pos)
    while at >= 0:
        line = at - 1
        while line >= pos and text[line] in " \t":
            line -= 1
        if line >= pos and text[line] == "\n" and _AFTER_AT.match(text, at + 1):
            return line
        at = text.find("@", at + 1)
    return len(text)


def _find_end(text: str, pos: int, opener: str, boundary: int | None = None) -> tuple[int, bool]:
    """Offset one past the delimiter that closes a block whose body starts at ``pos``
    (``boundary``: as for :func:`_quick_end`)."""
    depth = 0
    if opener == "{":
        end = _quick_end(text, pos, boundary)
        if end >= 0:
            return end, True
        for m in _SCAN_BRACE.finditer(text, pos):
            c = m.group()
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0:
                    return m.end(), True
                depth -= 1
            else:
                return m.start() + 1, False
        return len(text), False
    # "(" body: ")" closes only outside braces and outside a top-level "quoted" value
    in_quote = False
    for m in _SCAN_PAREN.finditer(text, pos):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif c == '"':
            if depth == 0:
                in_quote = not in_quote
        elif c == ")":
            if depth == 0 and not in_quote:
                return m.end(), True
        else:
            return m.start() + 1, False
    return len(text), False


def _next_head(text: str, pos: int, at: int) -> tuple[int, int, str | None, str | None] | None:
    """What ``_NEXT.search(text, pos)`` finds, as (start, end, type, opener), type and
    opener None for a %-comment line or an "@" that opens no block; None when nothing is
    left. ``at``: the first "@" at or after ``pos`` (len(text): none), which the caller
    keeps from one call to the next: looked for afresh after every comment line, a far
    "@" would make a file of comment lines quadratic. Found with str.find: the text
    between blocks is skipped at C speed."""
    limit = at
    percent = text.find("%", pos, limit)
    while percent >= 0:   # a "%" that starts its line (after blanks) comes before the "@"
        start = percent
        while start > pos and text[start - 1] in " \t":
            start -= 1
        if start == 0 or text[start - 1] == "\n":
            stop = text.find("\n", percent)
            return start, len(text) if stop < 0 else stop, None, None
        percent = text.find("%", percent + 1, limit)
    if at >= len(text):
        return None
    m = _HEAD.match(text, at)
    if m is None:
        return at, at + 1, None, None
    return at, m.end(), m.group(1), m.group(2)


_new_block = tuple.__new__   # RawBlock(...) without the keyword handling of a NamedTuple's __new__


_KINDS: dict[str, BlockKind] = {"string": "string", "preamble": "preamble", "comment": "comment"}


def _key(text: str, body: int, end: int, opener: str) -> str | None:
    """An entry's key as pybtex will read it, if it can be seen before the first field."""
    km = (_KEY_BRACE if opener == "{" else _KEY_PAREN).match(text, body, end)
    if not km:
        return None
    key = km.group(1).rstrip(")") if opener == "(" else km.group(1)
    return None if key.endswith("=") or not key else key


def split_blocks(text: str) -> list[RawBlock]:
    """Every @string, @preamble, @comment and entry block of ``text``, in order.

    A line that opens a block (``_NEW_BLOCK``) is where every block before it has ended, so
    the text between two such lines is a piece the blocks never cross. Most pieces hold one
    {...} block and blanks or %-comments: :func:`_pieces` takes those with a few string
    operations. Any other piece goes to the block-by-block loop, which gives the same blocks
    on every piece it is handed."""
    blocks: list[RawBlock] = []
    cut = [m.start() for m in _NEW_BLOCK_AT.finditer(text)]
    _split_from(text, 0, cut[0] if cut else len(text), blocks)
    cut.append(len(text))
    _pieces(text, cut, blocks)
    return blocks


def _pieces(text: str, cut: list[int], blocks: list[RawBlock], line: int = 1, counted: int = 0) -> None:
    """The blocks of each piece ``text[cut[i]:cut[i + 1]]`` (each ``cut[i]`` the "\\n" before
    an "@"). A piece that holds one terminated {...} block, nested at most _ROUNDS deep, and
    no other "@" ends at its last "}": as the braces before it pair up, that is the first "}"
    they leave unmatched, where the scan would stop. Other pieces go to :func:`_split_from`.
    ``line``: the line number at offset ``counted`` (at or before ``cut[0]``).
    (One loop with its names bound locally: it runs once per entry of a large file.)"""
    find, rfind, count, head = text.find, text.rfind, text.count, _HEAD_KEY.match
    paired, not_braces, kinds, append = _PAIRED, _NOT_BRACES, _KINDS, blocks.append
    for piece in range(len(cut) - 1):
        start, stop = cut[piece], cut[piece + 1]
        line += count("\n", counted, start)
        counted = start
        at = find("@", start)
        m = head(text, at)
        if m is not None:
            body = m.end(2)
            close = rfind("}", body, stop)
            # as _balanced, inlined: this loop runs once per entry of a large file
            if (close >= 0 and find("@", close, stop) < 0 and paired(
                    text[body:close].encode("latin-1", "replace").translate(None, not_braces)) is not None):
                command = m.group(1)
                kind = kinds.get(command.lower(), "entry")
                append(_new_block(RawBlock, (kind, command, m.group(3) if kind == "entry" else None,
                                             line + 1, at, close + 1, True, text[at:close + 1])))
                continue
        _split_from(text, start, stop, blocks, line)


def _split_from(text: str, pos: int, stop: int, blocks: list[RawBlock], line: int = 1) -> int:
    """Append the blocks whose "@" lies in ``text[pos:stop]`` (``line``: the line number at
    ``pos``), found one after the other; the offset where the last one ended."""
    counted = pos  # the line number at offset ``counted``
    n = len(text)
    at = -1        # the first "@" at or after pos (n: none)
    boundary = -1  # the first line that opens a block, at or after the body (n: none)
    while pos < stop:
        if at < pos:
            at = text.find("@", pos)
            at = n if at < 0 else at
        head = _next_head(text, pos, at)
        if head is None or head[0] >= stop:
            break
        start, body, command, opener = head
        if command is None:  # a %-comment line, or an "@" in junk text (an e-mail address)
            pos = body
            continue
        assert opener is not None
        if boundary < body:   # kept while it lies ahead: a line of many blocks is read once
            boundary = _new_block_at(text, body)
        end, terminated = _find_end(text, body, opener, boundary)
        kind = _KINDS.get(command.lower(), "entry")
        key = _key(text, body, end, opener) if kind == "entry" else None
        line += text.count("\n", counted, start)
        counted = start
        blocks.append(_new_block(RawBlock, (kind, command, key, line, start, end, terminated,
                                            text[start:end])))
        pos = end
    return pos
