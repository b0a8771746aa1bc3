"""The blocks of a .bib text, each made only when it is asked for.

A load of some keys without a cache (``evgrade check`` of a draft against a large
library) parses a few dozen entries but needs the kind and key of every block: for the
key index, the duplicates and the blocks whose key cannot be read. :class:`BlockIndex`
gets those from a few passes over the text that run at C speed, and makes a
:class:`~evgrade.bib.split.RawBlock` (offsets, line, the end of its braces) only for the
blocks read. Every block it makes is the one :func:`~evgrade.bib.split.split_blocks`
makes; :meth:`BlockIndex.every` is that list.

How: the lines that open a block (``_NEW_BLOCK``) cut the text into pieces no block
crosses (split.py). A piece whose only "@" is that of its line and whose head is
``@type{key`` holds exactly one block, whose kind and key the head gives (a regex over
all the heads at once). Every other piece (a second "@" in it, a ``@type(`` head, a head
the splitter does not read), and the text before the first such line, is split at once,
as split_blocks splits it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from operator import itemgetter

from .. import _patterns
from .split import (_AFTER_AT, _HEAD, _KINDS, _NEW_BLOCK, _NEW_BLOCK_AT, RawBlock, _pieces,
                    _split_from, split_blocks)

# at each line that opens a block: the type and the key, when the head is @type{ as _HEAD
# reads it (else both ""); the key as split._key reads it after a "{". A key that would
# start with "@" is not read: it would run into the next piece (its "\n" and blanks are
# white space), where split._key, bounded by the block, finds no key
_HEADS = _patterns.compile(_NEW_BLOCK.replace(r"@(?=", "(?=@", 1) + r"(?:(?=" +
                    _HEAD.pattern.replace("([{(])", r"\{") + r"(?:\s*([^\s,}=@][^\s,}=]*+)(?!\s*=))?))?")
# an "@" that does not follow a "\n", and one that follows it but opens no block (both
# begin with a literal, which the regex engine finds at C speed)
_AT_INSIDE = _patterns.compile(r"@(?<!\n@)")
_AT_ALONE = _patterns.compile(r"\n@(?!" + _AFTER_AT.pattern + ")")
_EVERY = 256   # pieces between two known line numbers
_TYPE = itemgetter(0)


class _Kinds(dict):  # type: ignore[type-arg]
    """A block's kind by its @type as written, each type's worked out once."""

    def __missing__(self, command: str) -> str:
        kind = self[command] = _KINDS.get(command.lower(), "entry")
        return kind


_KIND_OF = _Kinds()


class BlockIndex:
    """The blocks of ``text`` by index: ``kinds[i]`` and ``keys[i]`` (entries only) for
    every block, ``self[i]`` the block itself, made on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cut = [m.start() for m in _NEW_BLOCK_AT.finditer(text)]
        n = len(self._cut)
        self._cut.append(len(text))
        self._lines = self._line_marks()
        self._cursor = (0, self._lines[0] if self._lines else 1)   # (piece, line at its start)
        self.kinds: list[str] = []
        self.keys: list[str | None] = []
        self._piece: list[int] = []              # block index -> its piece (-1: made at once)
        self._made: dict[int, RawBlock] = {}
        made: list[RawBlock] = []
        _split_from(text, 0, self._cut[0], made)      # the text before the first piece
        self._add(made)
        heads = _HEADS.findall(text)
        types = list(map(_TYPE, heads))
        mixed = self._mixed(types) if len(heads) == n else list(range(n))
        start = 0
        for first, stop in _runs(mixed):
            self._lazy(heads, types, start, first)
            made = []   # these pieces as split_blocks splits them
            _pieces(text, self._cut[first:stop + 1], made, self._line_at(first), self._cut[first])
            self._add(made)
            start = stop
        self._lazy(heads, types, start, n)

    def __len__(self) -> int:
        return len(self.kinds)

    def __getitem__(self, i: int) -> RawBlock:
        block = self._made.get(i)
        if block is None:
            piece = self._piece[i]
            made: list[RawBlock] = []
            _split_from(self.text, self._cut[piece], self._cut[piece + 1], made, self._line_at(piece))
            block = self._made[i] = made[0]
        return block

    def __iter__(self) -> Iterator[RawBlock]:
        return iter(self.every())

    def every(self) -> list[RawBlock]:
        """Every block, in order: what ``split_blocks(text)`` gives."""
        if len(self._made) < len(self.kinds):
            self._made = dict(enumerate(split_blocks(self.text)))
        return [self._made[i] for i in range(len(self.kinds))]

    # ------------------------------------------------------------------ building

    def _mixed(self, types: list[str]) -> list[int]:
        """The pieces split at once, in order: a second "@" in them, or a head that is not
        a plain ``@type{``. (Once a piece is known to be one, the search goes on after it.)"""
        text, cut = self.text, self._cut
        mixed, indented = set(), 0
        m = _AT_INSIDE.search(text, cut[0])
        while m is not None:
            piece = bisect_right(cut, m.start()) - 1
            if text[cut[piece] + 1:m.start()].strip(" \t"):
                mixed.add(piece)
                m = _AT_INSIDE.search(text, cut[piece + 1])
            else:   # the piece's own "@", after blanks
                indented += 1
                m = _AT_INSIDE.search(text, m.end())
        if text.count("\n@", cut[0]) > len(types) - indented:   # some "\n@" opens no block
            m = _AT_ALONE.search(text, cut[0])
            while m is not None:
                piece = bisect_right(cut, m.start()) - 1
                mixed.add(piece)
                m = _AT_ALONE.search(text, cut[piece + 1])
        j = -1
        while True:   # the heads _HEAD does not read, found with list.index
            try:
                j = types.index("", j + 1)
            except ValueError:
                return sorted(mixed)
            mixed.add(j)

    def _lazy(self, heads: list[tuple[str, str]], types: list[str], start: int, stop: int) -> None:
        """Pieces ``start`` to ``stop``: one block each, known from its head (and its type)."""
        kinds = list(map(_KIND_OF.__getitem__, types[start:stop]))
        self.keys += [key if kind == "entry" and key else None
                      for kind, (_, key) in zip(kinds, heads[start:stop])]
        self.kinds += kinds
        self._piece += range(start, stop)

    def _add(self, made: list[RawBlock]) -> None:
        """Blocks made at once, in order."""
        for block in made:
            self._made[len(self.kinds)] = block
            self.kinds.append(block.kind)
            self.keys.append(block.key)
            self._piece.append(-1)

    def _line_marks(self) -> list[int]:
        """The line number at every _EVERY-th cut."""
        marks, line, counted = [], 1, 0
        for j in range(0, len(self._cut) - 1, _EVERY):
            line += self.text.count("\n", counted, self._cut[j])
            counted = self._cut[j]
            marks.append(line)
        return marks

    def _line_at(self, piece: int) -> int:
        """The line number at the start of ``piece`` (its "\\n"), counted from the nearest
        known one before it: the last asked for, or the mark."""
        mark = piece // _EVERY * _EVERY
        known, line = self._cursor
        if not mark <= known <= piece:
            known, line = mark, self._lines[mark // _EVERY]
        line += self.text.count("\n", self._cut[known], self._cut[piece])
        self._cursor = (piece, line)
        return line


def _runs(mixed: list[int]) -> list[tuple[int, int]]:
    """The runs of consecutive pieces in ``mixed`` (sorted): (first, one past the last)."""
    runs: list[tuple[int, int]] = []
    for j in mixed:
        if runs and runs[-1][1] == j:
            runs[-1] = (runs[-1][0], j + 1)
        else:
            runs.append((j, j + 1))
    return runs
