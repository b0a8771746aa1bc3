"""A case-insensitive pattern with a cheap pre-test: the strings one of which every match holds.

Shared by the stages that run many patterns over many texts: the claim rules
(``claims/_guard.py``, which works the strings out from each pattern) and the entry
facts and design cues (``link/facts.py``, ``grade/designs.py``, strings given by hand).

Most fields hold none of the words a pattern looks for, and ``str.__contains__`` on the
lower-cased text says so faster than the pattern can. Case-insensitive matching pairs
an ASCII letter of a pattern with its two cases and with four other characters only (the
dotted capital I, the dotless i, the long s and the Kelvin sign: ``tests/grade/
test_pretests.py`` checks every code point); a text holding one of those gets no pre-test.
"""

from __future__ import annotations

import re

from . import _patterns

_ODD_CASES = _patterns.compile("[\u0130\u0131\u017f\u212a]")


def folds_onto_ascii(text: str) -> bool:
    """True when ``text`` holds a non-ASCII character that case-insensitive matching pairs
    with an ASCII letter: no pre-test on lower-case strings is safe for it."""
    return not text.isascii() and _ODD_CASES.search(text) is not None


def folded(text: str) -> str | None:
    """``text`` lower-cased for :meth:`Gated.search`, or None when no pre-test is safe."""
    return None if folds_onto_ascii(text) else text.lower()


class Gated:
    """``pattern`` (case-insensitive) and ``needs``: lower-case strings, one of which is in
    every match, lower-cased."""

    __slots__ = ("needs", "pattern")

    def __init__(self, pattern: str, needs: str, flags: int = re.IGNORECASE) -> None:
        self.pattern = _patterns.compile(pattern, flags)
        self.needs = tuple(needs.split("|"))

    def may(self, low: str | None) -> bool:
        """False only when the text whose :func:`folded` form is ``low`` cannot match."""
        if low is None:
            return True
        for n in self.needs:
            if n in low:
                return True
        return False

    def search(self, text: str, low: str | None) -> re.Match[str] | None:
        """``pattern.search(text)``, skipped when :meth:`may` says it cannot match."""
        if low is None:
            return self.pattern.search(text)
        for n in self.needs:  # may(), inline: this runs for every field and pattern
            if n in low:
                return self.pattern.search(text)
        return None
