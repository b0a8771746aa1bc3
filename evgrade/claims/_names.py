"""Capitalised names in one sentence, found without retrying.

A name is a chain of capitalised words, with lower-case connectors allowed
between two of them: "Johns Hopkins University", "Journal of the American
Medical Association", "Procter & Gamble". The attribution rules
(:mod:`.attribution`) find a phrase such as "published in" and ask where the
name after it ends.

Written as one regular expression (a capitalised word, then any number of
"spaces, connectors, capitalised word"), a name that must be followed by
something else ("<name> reports") makes the regex engine retry every shorter
name from every start, and an ambiguity in the word pattern made that
exponential: a 24-word headline in capitals took 38 s. Here each
capitalised word is linked to the next word of its chain (found once, when
first needed), and "the longest name that X follows" is answered for every
word of a chain from the chain's end, so the work is linear in the sentence
whatever it holds.

The answers are those the regular expression gave: a name ends inside or
after one of its capitalised words (never after a connector), and when
something must follow it, the longest such name wins.
"""

from __future__ import annotations

import re

from .. import _patterns

# A word of a name: a maximal run of letters, digits, ' & . and -. It is capitalised when it
# starts with A-Z (a name may end anywhere inside it), or is a "&" (only the "&" counts).
_WORD = _patterns.compile(r"[\w'&.-]+")
# From the end of a capitalised word to the next one of its chain: white space and connectors,
# each connector a whole word followed by white space.
_LINK = _patterns.compile(r"\s+(?:(?:of|the|and|for|in|on|de|der|du|la)\s+)*")


def _capitalised(c: str) -> bool:
    return "A" <= c <= "Z" or c == "&"


class Names:
    """The name chains of one text, worked out word by word as questions reach them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._links: dict[int, tuple[int, int]] = {}   # word start -> (last end inside it, next word or -1)
        self._last: dict[tuple[re.Pattern[str], re.Pattern[str] | None], dict[int, int | None]] = {}

    def _link(self, start: int) -> tuple[int, int]:
        """For the capitalised word at ``start``: where a name may end at the latest inside
        it, and where the next word of its chain starts (-1: the chain ends here)."""
        found = self._links.get(start)
        if found is not None:
            return found
        text = self.text
        run_end = _WORD.match(text, start).end()  # type: ignore[union-attr]
        end = start + 1 if text[start] == "&" else run_end
        nxt = -1
        if end == run_end and end < len(text) and text[end].isspace():
            after = _LINK.match(text, end).end()  # type: ignore[union-attr]
            if after < len(text) and _capitalised(text[after]):
                nxt = after
        self._links[start] = (end, nxt)
        return end, nxt

    def end(self, start: int) -> int | None:
        """End of the longest name starting at ``start``; None when no name starts there."""
        if start >= len(self.text) or not _capitalised(self.text[start]):
            return None
        end, nxt = self._link(start)
        while nxt != -1:
            end, nxt = self._link(nxt)
        return end

    def last_end(self, start: int, after: re.Pattern[str], inside: re.Pattern[str] | None = None) -> int | None:
        """End of the longest name starting at ``start`` that ``after`` matches right after.

        ``inside`` finds (with a lookahead) the places inside a word where
        ``after`` may match; without it only word ends are tried (``after`` then
        must not be able to start with a letter or digit).
        """
        if start >= len(self.text) or not _capitalised(self.text[start]):
            return None
        memo = self._last.setdefault((after, inside), {})
        path = []
        k = start
        while k not in memo:
            path.append(k)
            nxt = self._link(k)[1]
            if nxt == -1:
                break
            k = nxt
        best = memo.get(k)
        for word in reversed(path):
            if best is None:
                best = self._in_word(word, after, inside)
            memo[word] = best
        return best

    def _in_word(self, start: int, after: re.Pattern[str], inside: re.Pattern[str] | None) -> int | None:
        """The last place in the capitalised word at ``start`` where a name may end with
        ``after`` matching."""
        end = self._link(start)[0]
        if after.match(self.text, end):
            return end
        if inside is None or end - start < 2:
            return None
        last = None
        for m in inside.finditer(self.text, start + 1, end):
            last = m.start()
        return last
