"""A cheap pre-test before a costly pattern: the words every match of it must hold.

Most sentences hold none of the words a rule needs ("studies", "research", ...), yet a
regular expression that starts with ``\\b`` and an alternation is tried at every
position of every sentence. :func:`guarded` reads a compiled pattern's parse tree and
works out a set of literal strings such that every match contains at least one of
them (a phrase's literal words, the union over the branches of an alternation); a
text that holds none of them, case aside, is not searched at all. The answers are
those of the pattern itself: the pre-test only ever skips texts the pattern cannot
match (tests/claims/test_guard.py checks it on every gold and held-out sentence).

Working the needles out takes a parse of each pattern at start-up, so they are kept in
:mod:`._needles`, keyed by a digest of the pattern (tests/claims/test_guard.py checks the
table against the parse; a pattern missing from it is parsed when first imported).

Case aside means in lower case: an ASCII literal matches, case-insensitively, only
ASCII letters of either case and the four other characters Unicode folds onto them
(``İ ı ſ K``); a text holding one of those is always searched.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

from .._pretest import folds_onto_ascii

try:   # Python 3.11+
    from re import _constants as _c, _parser as _p   # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c   # type: ignore[no-redef]
    import sre_parse as _p   # type: ignore[no-redef]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)

# the last text asked about and its lower case, or None when no pre-test is safe for it:
# the rules ask about one sentence in turn, some thirty times each. One tuple, replaced
# whole, so that a thread never reads one text's lower case for another's.
_last: tuple[str, str | None] = ("", "")


def lower(text: str) -> str | None:
    """``text.lower()``, or None when ``text`` holds a character that folds onto an ASCII
    letter (no pre-test on lower-case strings is safe then); kept for the last text asked."""
    global _last
    last = _last
    if text is not last[0]:
        _last = last = (text, None if folds_onto_ascii(text) else text.lower())
    return last[1]


def _better(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Of two sets of needles, the one that rules out more: longer shortest needle, then fewer."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _needs(items: Any) -> tuple[str, ...] | None:
    """Needles for a sequence of parsed items: the best of its literal runs (each with the
    ways the sequence may go on right after it) and of its parts."""
    items = list(items)
    best: tuple[str, ...] | None = None
    for i, (op, arg) in enumerate(items):
        if op is _c.LITERAL and arg < 128 and (i == 0 or not _ascii_literal(items[i - 1])):
            best = _better(best, _prefixes(items[i:]))
        elif op is not _c.LITERAL:
            best = _better(best, _item_needs(op, arg))
    return best


def _ascii_literal(item: Any) -> bool:
    return item[0] is _c.LITERAL and item[1] < 128


def _prefixes(items: list[Any], limit: int = 400) -> tuple[str, ...] | None:
    """Lower-case strings one of which every match of the sequence starts with; None: no such set."""
    run = ""
    i = 0
    while i < len(items) and _ascii_literal(items[i]):
        run += chr(items[i][1]).lower()
        i += 1
    if i == len(items):
        return (run,)
    op, arg = items[i]
    rest = items[i + 1:]
    if op is _c.BRANCH:
        alternatives = [list(a) + rest for a in arg[1]]
    elif op is _c.SUBPATTERN:
        alternatives = [list(arg[-1]) + rest]
    else:
        return (run,) if run else None
    tails: list[str] = []
    for alternative in alternatives:
        more = _prefixes(alternative, limit)
        if more is None or len(tails) + len(more) > limit:
            return (run,) if run else None
        tails.extend(more)
    return tuple(dict.fromkeys(run + t for t in tails))


def _item_needs(op: Any, arg: Any) -> tuple[str, ...] | None:
    if op is _c.BRANCH:
        out: list[str] = []
        for alternative in arg[1]:
            needs = _needs(alternative)
            if needs is None:
                return None   # a branch without a literal: anything may match
            out.extend(needs)
        return tuple(dict.fromkeys(out))
    if op is _c.SUBPATTERN:
        return _needs(arg[-1])
    if op is _ATOMIC and _ATOMIC is not None:
        return _needs(arg)
    if op in _REPEATS and arg[0] >= 1:
        return _needs(arg[2])
    return None   # a class, a lookaround, an anchor, an optional part: no literal required


def needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings one of which every match of ``pattern`` contains; None when there is none."""
    needs = _needs(_p.parse(pattern.pattern, pattern.flags))
    if needs is None or not all(needs):
        return None
    # a needle that holds another one is implied by it
    return tuple(n for n in needs if not any(m != n and m in n for m in needs))


class Guarded:
    """A compiled pattern behind its pre-test; the methods the claim rules use."""

    __slots__ = ("pattern", "needs", "flags")

    def __init__(self, pattern: re.Pattern[str], needs: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.needs = needs
        self.flags = pattern.flags

    def may_match(self, text: str) -> bool:
        last = _last
        low = last[1] if text is last[0] else lower(text)
        if low is None:
            return True
        for n in self.needs:
            if n in low:
                return True
        return False

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.pattern.search(text, *args) if self.may_match(text) else None

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self.pattern.match(text, *args) if self.may_match(text) else None

    def finditer(self, text: str, *args: int) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text, *args) if self.may_match(text) else iter(())

    def findall(self, text: str, *args: int) -> list[Any]:
        return self.pattern.findall(text, *args) if self.may_match(text) else []

    def sub(self, repl: Any, text: str, count: int = 0) -> str:
        return self.pattern.sub(repl, text, count) if self.may_match(text) else text

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return self.pattern.split(text, maxsplit) if self.may_match(text) else [text]


def key(pattern: re.Pattern[str]) -> str:
    """The pattern's entry in :data:`._needles.NEEDLES`."""
    return hashlib.sha1(f"{pattern.flags}:{pattern.pattern}".encode()).hexdigest()[:20]


def guarded(pattern: re.Pattern[str]) -> Any:
    """``pattern`` behind a pre-test of the words it needs, or itself when it needs none."""
    from ._needles import NEEDLES

    needs = NEEDLES.get(key(pattern)) or needles(pattern)
    return pattern if needs is None else Guarded(pattern, needs)
