"""Capitalised names in one sentence, found in one pass.

A name is a chain of capitalised words, with lower-case connectors allowed
between two of them: "Johns Hopkins University", "Journal of the American
Medical Association", "Procter & Gamble". The attribution rules
(:mod:`.attribution`) find a phrase such as "published in" and ask where the
name after it ends.

Written as one regular expression (a capitalised word, then any number of
"spaces, connectors, capitalised word"), a name that must be followed by
something else ("<name> reports") makes the regex engine retry every shorter
name from every start, and an ambiguity in the word pattern made that
exponential: a 24-word headline in capitals took 38 s. Here the words of the
sentence are listed once, each capitalised word is linked to the next one
of its chain, and every question is answered from those links, so the work
is linear in the sentence whatever it holds.

The answers are those the regular expression gave: a name ends inside or
after one of its capitalised words (never after a connector), and when
something must follow it, the longest such name wins.
"""

from __future__ import annotations

import re

# A word of a name: a maximal run of letters, digits, ' & . and -.
_WORD = re.compile(r"[\w'&.-]+")
_SPACE = re.compile(r"\s+")
# Lower-case words that may stand between two capitalised words of one name.
CONNECTORS = frozenset("of the and for in on de der du la".split())


class Names:
    """The name chains of one text.

    A capitalised word is a word that starts with A-Z (it may end anywhere
    inside the word) or a lone "&" (of which only the "&" counts). It continues
    a chain when white space follows it and, after any number of connectors
    each followed by white space, another capitalised word starts.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._built = False
        self._chain_end: dict[int, int] = {}
        self._last: dict[tuple[re.Pattern[str], re.Pattern[str] | None], dict[int, int | None]] = {}

    def _build(self) -> None:
        """List the words once, on the first question (most sentences never ask)."""
        self._built = True
        text = self.text
        self._index: dict[int, int] = {}      # word start -> word number
        self._starts: list[int] = []
        self._word_ends: list[int] = []
        self._ends: list[int] = []            # where a name may end at the latest in this word; -1: not capitalised
        self._joins: list[bool] = []          # white space right after the capitalised word
        for k, m in enumerate(_WORD.finditer(text)):
            start, end = m.span()
            self._index[start] = k
            self._starts.append(start)
            self._word_ends.append(end)
            cap_end, joins = self._capitalised(start, end)
            self._ends.append(cap_end)
            self._joins.append(joins)
        self._next = self._link()

    def _capitalised(self, start: int, end: int) -> tuple[int, bool]:
        text = self.text
        first = text[start]
        if "A" <= first <= "Z":
            return end, end < len(text) and text[end].isspace()
        if first == "&":
            return start + 1, end == start + 1 and end < len(text) and text[end].isspace()
        return -1, False

    def _link(self) -> list[int]:
        """For each capitalised word that continues a chain, the number of the next one (else -1)."""
        text, starts, ends = self.text, self._starts, self._ends
        count = len(starts)
        nxt = [-1] * count
        for k in range(count):
            if ends[k] == -1 or not self._joins[k]:
                continue
            j, pos = k + 1, _SPACE.match(text, ends[k]).end()  # type: ignore[union-attr]
            while j < count and starts[j] == pos and ends[j] == -1 and self._connector(j):
                pos = _SPACE.match(text, self._word_ends[j]).end()  # type: ignore[union-attr]
                j += 1
            if j < count and starts[j] == pos and ends[j] != -1:
                nxt[k] = j
        return nxt

    def _connector(self, k: int) -> bool:
        end = self._word_ends[k]
        return self.text[self._starts[k]:end] in CONNECTORS and end < len(self.text) and self.text[end].isspace()

    def _word_at(self, start: int) -> int:
        """The number of the capitalised word starting at ``start``, else -1."""
        first = self.text[start:start + 1]
        if not ("A" <= first <= "Z" or first == "&"):
            return -1
        if not self._built:
            self._build()
        k = self._index.get(start, -1)
        return k if k != -1 and self._ends[k] != -1 else -1

    def end(self, start: int) -> int | None:
        """End of the longest name starting at ``start``; None when no name starts there."""
        k = self._word_at(start)
        if k == -1:
            return None
        path = []
        while k not in self._chain_end and self._next[k] != -1:
            path.append(k)
            k = self._next[k]
        end = self._chain_end.get(k, self._ends[k])
        for j in path + [k]:
            self._chain_end[j] = end
        return end

    def last_end(self, start: int, after: re.Pattern[str], inside: re.Pattern[str] | None = None) -> int | None:
        """End of the longest name starting at ``start`` that ``after`` matches right after.

        ``inside`` finds (with a lookahead) the places inside a word where
        ``after`` may match; without it only word ends are tried (``after`` then
        must not be able to start with a letter or digit).
        """
        k = self._word_at(start)
        if k == -1:
            return None
        memo = self._last.setdefault((after, inside), {})
        path = []
        while k not in memo and self._next[k] != -1:
            path.append(k)
            k = self._next[k]
        best = memo[k] if k in memo else self._in_word(k, after, inside)
        memo[k] = best
        for j in reversed(path):
            if best is None:
                best = self._in_word(j, after, inside)
            memo[j] = best
        return best

    def _in_word(self, k: int, after: re.Pattern[str], inside: re.Pattern[str] | None) -> int | None:
        """The last place in capitalised word ``k`` where a name may end with ``after`` matching."""
        start, end = self._starts[k], self._ends[k]
        if after.match(self.text, end):
            return end
        if inside is None or end - start < 2:
            return None
        last = None
        for m in inside.finditer(self.text, start + 1, end):
            last = m.start()
        return last
