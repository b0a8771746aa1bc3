"""Pandoc citation syntax, following pandoc's own grammar.

A key starts with a letter, digit or ``_`` and may contain internal
punctuation from ``:.#$%&-+?<>~/`` (a punctuation character must be followed
by a letter, digit or ``_``; ``:`` and ``/`` may also be followed by ``/``, so
URL-like keys work); ``@{...}`` takes any non-space characters in balanced
braces. An ``@`` directly after a letter, digit or period is not a citation
(e-mail addresses, "e.g.@x"). Bracketed citations are ``[prefix @key, locator;
...]``: every ``;``-separated item must hold a key, and a bracket followed by
``(`` or ``{`` is a link or span, not a citation.

The scanner works on a copy of the text in which code, math, comments, HTML
tags, URLs and escapes are already blanked, so an ``@`` there is never seen.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .. import _patterns
from ._match import match_pairs

_SIMPLE_KEY = _patterns.compile(r"\w(?:\w|[:/](?=/)|[:.#$%&\-+?<>~/](?=\w))*")
_MANUBOT = _patterns.compile(r"^(?:doi|pmid|pmcid|pmc|arxiv|isbn|url|wikidata|raw):", re.IGNORECASE)


@dataclass(frozen=True)
class CiteMatch:
    key: str
    start: int              # offset of "@" ("-" not included)
    end: int                # one past the key (closing brace included)
    syntax: str             # "pandoc", "pandoc-intext" or "manubot"
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False
    blank_start: int = 0    # the citation syntax to blank in prose
    blank_end: int = 0


class _Block:
    """The citation syntax of ``scan[start:end]``, indexed once.

    Brackets are matched with one stack (and each ";" is filed under the
    bracket that holds it), the keys of every "@" are read once, and the
    braces of ``@{...}`` keys are matched per run of non-space characters, so
    the scan stays linear however the brackets nest or fail to close.
    """

    def __init__(self, scan: str, text: str, start: int, end: int) -> None:
        self.scan, self.text, self.start, self.end = scan, text, start, end
        self.close: dict[int, int] = {}          # "[" -> its "]"
        self.items: dict[int, list[int]] = {}    # "[" -> the ";" directly inside it
        stack: list[int] = []
        for m in _BRACKET_SYNTAX.finditer(scan, start, end):
            c, i = m.group(), m.start()
            if c == "[":
                stack.append(i)
            elif c == "]":
                if stack:
                    self.close[stack.pop()] = i
            elif stack:
                self.items.setdefault(stack[-1], []).append(i)
        self.ats = [m.start() for m in _AT.finditer(scan, start, end)]
        self._keys: dict[int, tuple[str, int] | None] = {}
        self._next_key: list[int] | None = None
        self._chunk = (0, 0, {})   # the last run of non-space characters: start, end, its brace pairs

    # ------------------------------------------------------------------ keys
    def key_at(self, at: int) -> tuple[str, int] | None:
        """The key of a citation whose "@" is at ``at``, and the offset after it."""
        if at not in self._keys:
            self._keys[at] = self._read_key(at)
        return self._keys[at]

    def _read_key(self, at: int) -> tuple[str, int] | None:
        scan = self.scan
        if not _may_cite(scan, at):
            return None
        i = at + 1
        if i < len(scan) and scan[i] == "{":
            return self._braced_key(i)
        m = _SIMPLE_KEY.match(scan, i)
        return (m.group(), m.end()) if m else None

    def _braced_key(self, i: int) -> tuple[str, int] | None:
        """``@{...}``: anything without white space in balanced braces (``i`` is the "{")."""
        start, end, pairs = self._chunk
        if not start <= i < end:
            space = _SPACE.search(self.scan, i)
            start, end = i, space.start() if space else len(self.scan)
            pairs = match_pairs(self.scan, start, end, "{", "}")
            self._chunk = (start, end, pairs)
        close = pairs.get(i)
        if close is None or close == i + 1 or self.scan[i + 1] == "{":
            return None   # "@{{author.name}}" is a Jinja template expression, not a key
        return self.scan[i + 1:close], close + 1

    def first_key(self, s: int, e: int) -> tuple[int, tuple[str, int]] | None:
        """The first "@" in [s, e) that starts a key, with its key."""
        if self._next_key is None:   # for each "@", the first one from it on that has a key
            has_key = [self.key_at(at) is not None for at in self.ats]   # read left to right
            nxt = [len(self.ats)] * (len(self.ats) + 1)
            for k in range(len(self.ats) - 1, -1, -1):
                nxt[k] = k if has_key[k] else nxt[k + 1]
            self._next_key = nxt
        k = self._next_key[bisect.bisect_left(self.ats, s)]
        if k == len(self.ats) or self.ats[k] >= e:
            return None
        return self.ats[k], self.key_at(self.ats[k])  # type: ignore[return-value]

    def holds_at(self, s: int, e: int) -> bool:
        k = bisect.bisect_left(self.ats, s)
        return k < len(self.ats) and self.ats[k] < e

    # ----------------------------------------------------------- bracketed
    def bracket(self, open_: int, close: int) -> list[CiteMatch] | None:
        """The citations of ``[...]`` when it is a pandoc citation list: every item holds a key."""
        bounds = [open_] + self.items.get(open_, []) + [close]
        hits = []
        for s, e in zip(bounds, bounds[1:]):
            hit = self.first_key(s + 1, e)
            if not hit or hit[1][1] > e:
                return None
            hits.append((s + 1, e, hit))
        return [self._cite(s, e, at, key, key_end, open_, close) for s, e, (at, (key, key_end)) in hits]

    def _cite(self, s: int, e: int, at: int, key: str, key_end: int, open_: int, close: int) -> CiteMatch:
        scan, text = self.scan, self.text
        suppress = at > s and scan[at - 1] == "-" and (at - 1 == s or not scan[at - 2].isalnum())
        prefix_end = at - 1 if suppress else at
        prefix = " ".join(text[s:prefix_end].split())
        locator = " ".join(text[key_end:e].split()).lstrip(",").strip()
        return CiteMatch(key, at, key_end, _syntax(key, "pandoc"), prefix, locator, suppress, open_, close + 1)

    def bracketed(self) -> tuple[list[CiteMatch], set[int]]:
        """Bracketed citation lists, and the offset of each "[" they take."""
        scan = self.scan
        cites: list[CiteMatch] = []
        taken: set[int] = set()
        i = scan.find("[", self.start, self.end)
        while i != -1:
            close = self.close.get(i, -1)
            if close == -1:
                break
            group = self.bracket(i, close) if self._may_be_citations(i, close) else None
            if group:
                cites.extend(group)
                taken.add(i)
                i = scan.find("[", close + 1, self.end)
            else:
                i = scan.find("[", i + 1, self.end)
        return cites, taken

    def _may_be_citations(self, open_: int, close: int) -> bool:
        """Not an image ``![...]``, a link ``[...](...)`` or a span ``[...]{...}``; holds an "@"."""
        scan = self.scan
        return ((open_ == 0 or scan[open_ - 1] != "!") and scan[close + 1:close + 2] not in ("(", "{")
                and self.holds_at(open_, close))

    # ------------------------------------------------------------- in text
    def in_text(self, at: int, taken: set[int]) -> CiteMatch | None:
        """``@key`` in running text, with its locator when a bracket follows: "@key [p. 33]"."""
        scan = self.scan
        hit = self.key_at(at)
        if not hit:
            return None
        key, key_end = hit
        blank_end, locator = key_end, ""
        j = key_end + 1 if scan[key_end:key_end + 1] == " " else key_end
        if scan[j:j + 1] == "[":
            close = self.close.get(j, -1)
            if close != -1 and scan[close + 1:close + 2] not in ("(", "{", "[") and j not in taken:
                locator = " ".join(self.text[j + 1:close].split())
                blank_end = close + 1
        return CiteMatch(key, at, key_end, _syntax(key, "pandoc-intext"), "", locator, False, at, blank_end)


_BRACKET_SYNTAX = _patterns.compile(r"[\[\];]")
_AT = _patterns.compile("@")
_SPACE = _patterns.compile(r"\s")


def _may_cite(scan: str, at: int) -> bool:
    """An "@" right after a letter, digit or period (or "x_") is an e-mail address or the like."""
    if at == 0:
        return True
    prev = scan[at - 1]
    if prev.isalnum() or prev == ".":
        return False
    return not (prev == "_" and at > 1 and scan[at - 2].isalnum())


def _syntax(key: str, default: str) -> str:
    return "manubot" if _MANUBOT.match(key) else default


def scan(scan: str, text: str, start: int, end: int) -> list[CiteMatch]:
    """Every citation in ``scan[start:end]`` (``text`` is the unmasked source, for prefixes)."""
    block = _Block(scan, text, start, end)
    cites, taken = block.bracketed()
    used = {c.start for c in cites}
    at = scan.find("@", start, end)
    while at != -1:
        hit = None if at in used else block.in_text(at, taken)
        if hit is None:
            at = scan.find("@", at + 1, end)
            continue
        cites.append(hit)
        at = scan.find("@", hit.end, end)
    cites.sort(key=lambda c: c.start)
    return cites
