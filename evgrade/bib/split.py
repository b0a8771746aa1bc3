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

BlockKind = Literal["entry", "string", "preamble", "comment"]

# "@" type "{" or "(": pybtex's NAME characters, minus the ones that end a type
_HEAD = re.compile(r"@[ \t]*([A-Za-z][A-Za-z0-9_\-:.+!$&*/<>?\[\]^`|~]*)\s*([{(])")
# what the top-level scan stops at: a %-comment line (skipped whole), a block's head
# (group 1 its type, group 2 its opener), or another "@"
_NEXT = re.compile(r"^[ \t]*%[^\n]*|" + _HEAD.pattern + "|@", re.MULTILINE)
# a line that opens a new block; inside an unclosed block it means the block was cut short
_NEW_BLOCK = r"\n[ \t]*@(?=[A-Za-z][\w\-:.]*[ \t]*[{(])"
_NEW_BLOCK_AT = re.compile(_NEW_BLOCK)
_AFTER_AT = re.compile(_NEW_BLOCK[_NEW_BLOCK.index("(?=") + 3:-1])  # the type and its opener
_NOT_BRACES = bytes(b for b in range(256) if b not in b"{}")  # bytes.translate's delete set
_SCAN_BRACE = re.compile(r"[{}]|" + _NEW_BLOCK)
_SCAN_PAREN = re.compile(r'[{}")]|' + _NEW_BLOCK)
_KEY_BRACE = re.compile(r"\s*([^\s,}=]++)(?!\s*=)")
_KEY_PAREN = re.compile(r"\s*([^\s,=]++)(?!\s*=)")
_ROUNDS = 8   # nesting levels _quick_end removes before it leaves the block to the scan
_CROSSREF = re.compile(r"""(?i)(?<![\w-])crossref\s*=\s*[{"]\s*([^\s,"{}]+)\s*[}"]""")


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


def _quick_end(text: str, pos: int) -> int:
    """Where a {...} block whose body starts at ``pos`` closes, found with string operations
    only, or -1 when that takes the brace-by-brace scan.

    The candidate is the last "}" before the next line that opens a block; it closes the
    block when the braces before it balance without ever closing more than they opened
    (deleting "{}" pairs until none is left leaves nothing). That is what the scan would
    find, at C speed: real files end nearly every entry this way. Each round of deletion
    removes one level of nesting only, so after _ROUNDS levels the scan takes over: braces
    nested thousands deep would make the rounds quadratic."""
    close = text.rfind("}", pos, _new_block_at(text, pos))
    if close < 0:
        return -1
    # the braces alone: through bytes, as translate deletes bytes fastest
    braces = text[pos:close].encode("utf-8", "surrogatepass").translate(None, _NOT_BRACES)
    for _ in range(_ROUNDS):
        if b"{}" not in braces:
            break
        braces = braces.replace(b"{}", b"")
    return -1 if braces else close + 1


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


def _find_end(text: str, pos: int, opener: str) -> tuple[int, bool]:
    """Offset one past the delimiter that closes a block whose body starts at ``pos``."""
    depth = 0
    if opener == "{":
        end = _quick_end(text, pos)
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


def _next_head(text: str, pos: int) -> tuple[int, int, str | None, str | None] | None:
    """What ``_NEXT.search(text, pos)`` finds, as (start, end, type, opener), type and
    opener None for a %-comment line or an "@" that opens no block; None when nothing is
    left. Found with str.find: the text between blocks is skipped at C speed."""
    at = text.find("@", pos)
    limit = len(text) if at < 0 else at
    percent = text.find("%", pos, limit)
    while percent >= 0:   # a "%" that starts its line (after blanks) comes before the "@"
        start = percent
        while start > pos and text[start - 1] in " \t":
            start -= 1
        if start == 0 or text[start - 1] == "\n":
            stop = text.find("\n", percent)
            return start, len(text) if stop < 0 else stop, None, None
        percent = text.find("%", percent + 1, limit)
    if at < 0:
        return None
    m = _HEAD.match(text, at)
    if m is None:
        return at, at + 1, None, None
    return at, m.end(), m.group(1), m.group(2)


_new_block = tuple.__new__   # RawBlock(...) without the keyword handling of a NamedTuple's __new__


def split_blocks(text: str) -> list[RawBlock]:
    """Every @string, @preamble, @comment and entry block of ``text``, in order."""
    blocks: list[RawBlock] = []
    pos = 0
    line, counted = 1, 0  # the line number at offset ``counted``
    n = len(text)
    while pos < n:
        head = _next_head(text, pos)
        if head is None:
            break
        start, body, command, opener = head
        if command is None:  # a %-comment line, or an "@" in junk text (an e-mail address)
            pos = body
            continue
        assert opener is not None
        end, terminated = _find_end(text, body, opener)
        lower = command.lower()
        kind: BlockKind = ("string" if lower == "string" else
                           "preamble" if lower == "preamble" else
                           "comment" if lower == "comment" else "entry")
        key = None
        if kind == "entry":
            km = (_KEY_BRACE if opener == "{" else _KEY_PAREN).match(text, body, end)
            if km:
                key = km.group(1).rstrip(")") if opener == "(" else km.group(1)
                if key.endswith("=") or not key:
                    key = None
        line += text.count("\n", counted, start)
        counted = start
        blocks.append(_new_block(RawBlock, (kind, command, key, line, start, end, terminated,
                                            text[start:end])))
        pos = end
    return blocks
