"""A case-insensitive pattern with a cheap pre-test: the strings one of which every match holds.

Most fields hold none of the words a pattern looks for, and ``str.__contains__`` on the
lower-cased text says so faster than the pattern can. The pre-test only runs on ASCII
text: there lower case is exact, while on other text Unicode case folding lets an ASCII
letter of a pattern match another character (the Kelvin sign, the long s, a dotless i).
"""

from __future__ import annotations

import re


def folded(text: str) -> str | None:
    """``text`` lower-cased for :meth:`Gated.search`, or None when no pre-test is safe."""
    return text.lower() if text.isascii() else None


class Gated:
    """``pattern`` (case-insensitive) and ``needs``: lower-case strings, one of which is in
    every match, lower-cased."""

    __slots__ = ("needs", "pattern")

    def __init__(self, pattern: str, needs: str, flags: int = re.IGNORECASE) -> None:
        self.pattern = re.compile(pattern, flags)
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
        return self.pattern.search(text) if self.may(low) else None
