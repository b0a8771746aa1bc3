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

import re
from dataclasses import dataclass

_SIMPLE_KEY = re.compile(r"\w(?:\w|[:/](?=/)|[:.#$%&\-+?<>~/](?=\w))*")
_MANUBOT = re.compile(r"^(?:doi|pmid|pmcid|pmc|arxiv|isbn|url|wikidata|raw):", re.IGNORECASE)


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


def key_at(scan: str, at: int) -> tuple[str, int] | None:
    """The key of a citation whose "@" is at ``at``, and the offset after it."""
    if not _may_cite(scan, at):
        return None
    i = at + 1
    if i < len(scan) and scan[i] == "{":
        return _braced_key(scan, i)
    m = _SIMPLE_KEY.match(scan, i)
    return (m.group(), m.end()) if m else None


def _may_cite(scan: str, at: int) -> bool:
    """An "@" right after a letter, digit or period (or "x_") is an e-mail address or the like."""
    if at == 0:
        return True
    prev = scan[at - 1]
    if prev.isalnum() or prev == ".":
        return False
    return not (prev == "_" and at > 1 and scan[at - 2].isalnum())


def _braced_key(scan: str, i: int) -> tuple[str, int] | None:
    """``@{...}``: anything without white space in balanced braces (``i`` is the "{")."""
    depth = 0
    for j in range(i, len(scan)):
        c = scan[j]
        if c.isspace():
            return None
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                key = scan[i + 1:j]
                return (key, j + 1) if key else None
    return None


def _syntax(key: str, default: str) -> str:
    return "manubot" if _MANUBOT.match(key) else default


def _matching_bracket(scan: str, open_: int, stop: int) -> int:
    depth = 0
    for j in range(open_, stop):
        c = scan[j]
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _split_items(scan: str, start: int, end: int) -> list[tuple[int, int]]:
    items, depth, s = [], 0, start
    for j in range(start, end):
        c = scan[j]
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == ";" and depth == 0:
            items.append((s, j))
            s = j + 1
    items.append((s, end))
    return items


def _bracket(scan: str, text: str, open_: int, close: int) -> list[CiteMatch] | None:
    """The citations of ``[...]`` when it is a pandoc citation list."""
    found: list[CiteMatch] = []
    for s, e in _split_items(scan, open_ + 1, close):
        at = scan.find("@", s, e)
        hit = None
        while at != -1:
            hit = key_at(scan, at)
            if hit:
                break
            at = scan.find("@", at + 1, e)
        if not hit or hit[1] > e:
            return None
        key, key_end = hit
        suppress = at > s and scan[at - 1] == "-" and (at - 1 == s or not scan[at - 2].isalnum())
        prefix_end = at - 1 if suppress else at
        prefix = " ".join(text[s:prefix_end].split())
        locator = " ".join(text[key_end:e].split()).lstrip(",").strip()
        found.append(CiteMatch(key, at, key_end, _syntax(key, "pandoc"), prefix, locator, suppress,
                               open_, close + 1))
    return found


def scan(scan: str, text: str, start: int, end: int) -> list[CiteMatch]:
    """Every citation in ``scan[start:end]`` (``text`` is the unmasked source, for prefixes)."""
    cites, taken = _bracketed(scan, text, start, end)
    used = {c.start for c in cites}
    at = scan.find("@", start, end)
    while at != -1:
        hit = None if at in used else _in_text(scan, text, at, end, taken)
        if hit is None:
            at = scan.find("@", at + 1, end)
            continue
        cites.append(hit)
        at = scan.find("@", hit.end, end)
    cites.sort(key=lambda c: c.start)
    return cites


def _bracketed(scan: str, text: str, start: int, end: int) -> tuple[list[CiteMatch], list[tuple[int, int]]]:
    """Bracketed citation lists, and the (start, end) of each bracket they take."""
    cites: list[CiteMatch] = []
    taken: list[tuple[int, int]] = []
    i = scan.find("[", start, end)
    while i != -1:
        close = _matching_bracket(scan, i, end)
        if close == -1:
            break
        group = _bracket(scan, text, i, close) if _may_be_citations(scan, i, close) else None
        if group:
            cites.extend(group)
            taken.append((i, close + 1))
            i = scan.find("[", close + 1, end)
        else:
            i = scan.find("[", i + 1, end)
    return cites, taken


def _may_be_citations(scan: str, open_: int, close: int) -> bool:
    """Not an image ``![...]``, a link ``[...](...)`` or a span ``[...]{...}``; holds an "@"."""
    return ((open_ == 0 or scan[open_ - 1] != "!") and scan[close + 1:close + 2] not in ("(", "{")
            and "@" in scan[open_:close])


def _in_text(scan: str, text: str, at: int, end: int, taken: list[tuple[int, int]]) -> CiteMatch | None:
    """``@key`` in running text, with its locator when a bracket follows: "@key [p. 33]"."""
    hit = key_at(scan, at)
    if not hit:
        return None
    key, key_end = hit
    blank_end, locator = key_end, ""
    j = key_end + 1 if scan[key_end:key_end + 1] == " " else key_end
    if scan[j:j + 1] == "[":
        close = _matching_bracket(scan, j, end)
        if close != -1 and scan[close + 1:close + 2] not in ("(", "{", "[") \
                and not any(s == j for s, _ in taken):
            locator = " ".join(text[j + 1:close].split())
            blank_end = close + 1
    return CiteMatch(key, at, key_end, _syntax(key, "pandoc-intext"), "", locator, False, at, blank_end)
