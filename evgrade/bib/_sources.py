"""One .bib file as the loader works through it.

A file is split into blocks (for a load of some keys with no cache to fill, indexed by
kind and key, each block made when it is read: _block_index.py; on a cache hit, known
from its cached rows), its @string blocks are run in order, and its entry blocks are
parsed when asked for: all of them, or those of some keys. Blocks are always parsed in
file order, each with the macros defined above it (and by the files before), so parsing
some gives each the same result as parsing all. What was parsed is kept per block
index, for the loader and for the cache.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING

from pybtex.utils import CaseInsensitiveDict

from .. import _patterns
from . import cache as _cache
from .cache import Broken, StoredBlock
from ._entry import MAX_VALUE_CHARS, BlockError, ExpansionBudget, ParsedEntry, new_macros

if TYPE_CHECKING:
    from .split import RawBlock

Result = ParsedEntry | Broken


@dataclass(slots=True)
class FileParse:
    """What a reader of another format (CSL) gives the loader: entries and broken items."""

    entries: list[ParsedEntry] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)  # (message, line, key)


_KEY_OF = itemgetter(2)   # RawBlock.key


_NAMES = _patterns.compile(r"[^\s,{}()=\"#%']+")


def broken_message(what: str, reason: str, terminated: bool) -> str:
    if not terminated:
        reason = "its braces never balance before the next @entry"
    return f"{what} cannot be parsed ({reason}); skipped"


def too_long(why: str, budget: ExpansionBudget) -> str:
    if why == "cap":
        return f"expands to more than {MAX_VALUE_CHARS:,} characters"
    if why == "crossref":
        return (f"would take what crossref children inherit past {budget.total:,} characters "
                "(the budget for files of this size)")
    return (f"would take what the macros of this file produce past {budget.total:,} characters "
            "(the budget for a file of this size)")


def first_line_names(text: str) -> str:
    """The names on a block's first line, casefolded, one per line: what a block whose key
    cannot be read may have meant as its key."""
    return "\n".join(dict.fromkeys(n.casefold() for n in _NAMES.findall(text.split("\n", 1)[0][1:])))


@dataclass(slots=True)
class Source:
    """One .bib file of a load. ``text`` may be "" for a file found in the cache until a
    block of it has to be parsed (``decode`` gives it)."""

    path: str
    data: bytes
    text: str
    macros_in: list[tuple[str, str]]
    cache_key: str = ""
    info: _cache.FileInfo = field(default_factory=_cache.FileInfo)
    stored: bool = False                    # info and rows come from the cache
    blocks: Sequence[RawBlock] = field(default_factory=list)  # split (files not from the cache)
    rows: dict[int, StoredBlock] = field(default_factory=dict)  # block index -> what is known
    by_key: dict[str, Sequence[int]] = field(default_factory=dict)  # casefolded key -> block indexes
    fresh: set[int] = field(default_factory=set)  # block indexes parsed by this load
    done: set[int] = field(default_factory=set)   # block indexes with a result
    budget: ExpansionBudget | None = None
    decode: object = None                   # callable giving the text, for cached files
    csl: FileParse | None = None            # a CSL-JSON / CSL-YAML file, read whole
    seen: tuple[str, str, str] | None = None  # real path, stat token, digest: for the cache

    # -------------------------------------------------------------- @strings

    def scan(self, macros: CaseInsensitiveDict, lazy: bool = False) -> None:
        """Split the text and run its @string blocks, updating ``macros``; index the entries.
        ``lazy``: make each block only when it is read (a load of some keys, no cache)."""
        if lazy:
            from ._block_index import BlockIndex   # its patterns are compiled only for such a load

            self.blocks = index = BlockIndex(self.text)
            kinds, keys = index.kinds, index.keys
        else:
            from .split import split_blocks   # here: a load from the cache splits nothing

            self.blocks = blocks = split_blocks(self.text)
            kinds, keys = [b[0] for b in blocks], list(map(_KEY_OF, blocks))
        self.budget = ExpansionBudget(len(self.text))
        for i in [i for i, kind in enumerate(kinds) if kind == "string"]:   # in file order
            self._run_string(i, self.blocks[i], macros)
        self._index(kinds, keys)

    def _index(self, kinds: list[str], keys: list[str | None]) -> None:
        """``by_key`` and the duplicates, from each block's kind and key."""
        # the index in passes that run at C speed where they can: a large file has one block
        # per entry, and a loop of dict lookups cost a sixth of the split
        entries = [i for i, kind in enumerate(kinds) if kind == "entry"]
        folded = [k.casefold() if k else "" for k in map(keys.__getitem__, entries)]
        by_key = self.by_key   # empty: a source is scanned once
        by_key.update(zip(folded, zip(entries)))   # (index,): a tuple of one, made in C
        twice: set[str] = set()
        if len(by_key) < len(entries):   # some key is there twice: its list holds every index
            twice = {k for k, n in Counter(folded).items() if n > 1}
            for k in twice:
                by_key[k] = []
            for k, i in zip(folded, entries):
                if k in twice:
                    by_key[k].append(i)  # type: ignore[attr-defined]
        self.info.duplicates = sorted(twice - {""})

    def row(self, i: int) -> StoredBlock:
        """What is known of the entry block at index ``i``."""
        row = self.rows.get(i)
        if row is None:
            b = self.blocks[i]
            folded = "" if b.key is None else b.key.casefold()
            row = self.rows[i] = StoredBlock(i, folded, b.key, b.line, b.start, b.end,
                                             b.terminated, b.command, "", None)
        return row

    def all_rows(self) -> list[StoredBlock]:
        """Every entry block of a split file, in file order (for the cache)."""
        return [self.row(i) for i, b in enumerate(self.blocks) if b.kind == "entry"]

    def entry_indexes(self) -> list[int]:
        return [i for i, b in enumerate(self.blocks) if b.kind == "entry"]

    def _run_string(self, i: int, block: RawBlock, macros: CaseInsensitiveDict) -> None:
        assert self.budget is not None
        from .parse import parse_string_block

        try:
            name, value, why = parse_string_block(block, macros, self.budget)
        except BlockError as exc:
            message = broken_message(f"@{block.command} definition", exc.message, block.terminated)
            self.info.broken.append((message, block.line, ""))
            return
        self.info.strings.append((i, name, value))
        if why:
            self.info.oversized.append(
                (f"@string '{name}' {too_long(why, self.budget)}; it is defined as empty",
                 block.line, ""))

    def keys(self, cache: _cache.BibCache | None) -> set[str]:
        """Every casefolded key of the file's entries (from the split, the rows, or CSL)."""
        if self.csl is not None:
            return {e.key.casefold() for e in self.csl.entries}
        if self.stored and cache is not None:
            found = cache.keys(self.cache_key)
            if found is None:
                raise _Damaged
            return found
        return set(self.by_key) - {""}

    def duplicated(self) -> set[str]:
        """The casefolded keys the file defines more than once."""
        if self.csl is not None:
            seen: set[str] = set()
            return {k for k in (e.key.casefold() for e in self.csl.entries) if k in seen or seen.add(k)}
        return set(self.info.duplicates)

    def use_stored(self, info: _cache.FileInfo, macros: CaseInsensitiveDict) -> None:
        self.info, self.stored = info, True
        for _seq, name, value in info.strings:
            macros[name] = value

    # -------------------------------------------------------------- entries

    def known(self, keys: Collection[str], cache: _cache.BibCache | None) -> list[int]:
        """Block indexes of the entries with these casefolded keys (and, for ``""``, the
        blocks whose key cannot be read); False-y when the cache's rows are damaged."""
        if self.stored:
            assert cache is not None
            rows = cache.blocks(self.cache_key, [k for k in keys if k not in self.by_key])
            if rows is None:
                raise _Damaged
            for row in rows:
                self.rows[row.seq] = row
                self.by_key[row.folded] = [*self.by_key.get(row.folded, ()), row.seq]
                if row.result is not None:
                    self.done.add(row.seq)
            for k in keys:
                self.by_key.setdefault(k, [])
        return sorted({i for k in keys for i in self.by_key.get(k, ())})

    def load_all(self, cache: _cache.BibCache | None) -> bool:
        """Every row of a cached file that some run parsed completely; False when that is not
        what the cache holds."""
        if not (self.stored and self.info.complete and cache is not None):
            return False
        rows = cache.all_blocks(self.cache_key)
        if rows is None or any(r.result is None for r in rows):
            return False
        self.rows = {r.seq: r for r in rows}
        self.done = set(self.rows)
        return True

    def parse(self, indexes: Iterable[int]) -> None:
        """Parse the blocks at ``indexes`` that have no result yet, in file order."""
        todo = sorted(i for i in set(indexes) if self.row(i).result is None)
        if not todo:
            return
        from .parse import parse_entry_block   # pybtex: only for a load that parses
        from .split import RawBlock

        text = self.text_now()
        if self.budget is None:
            self.budget = ExpansionBudget(len(text))
        macros = new_macros()
        macros.update(self.macros_in)
        strings = self.info.strings
        j = 0
        for i in todo:
            while j < len(strings) and strings[j][0] < i:
                macros[strings[j][1]] = strings[j][2]
                j += 1
            row = self.rows[i]
            block = RawBlock("entry", row.command, row.key, row.line, row.start, row.stop,
                             row.terminated, text[row.start:row.stop])
            try:
                result: Result = parse_entry_block(block, macros, self.budget)
            except BlockError as exc:
                what = f"entry '{block.key}'" if block.key else f"@{block.command} entry"
                result = broken_message(what, exc.message, block.terminated), block.line, block.key or ""
            self._keep(row, result)

    def _keep(self, row: StoredBlock, result: Result) -> None:
        names = ""
        folded = row.folded
        if row.key is None:  # found under the key pybtex read, or as a keyless broken block
            if isinstance(result, ParsedEntry):
                folded = result.key.casefold()
                self.by_key[folded] = [*self.by_key.get(folded, ()), row.seq]
            else:
                names = first_line_names(self.text_now()[row.start:row.stop])
        self.rows[row.seq] = row._replace(folded=folded, names=names, result=result)
        self.fresh.add(row.seq)
        self.done.add(row.seq)

    def slim(self) -> None:
        """Drop what no later parse reads: the file's bytes and the entry blocks' own texts
        (a block is parsed from ``text``, between its bounds)."""
        self.data = b""
        self.blocks = [b._replace(text="") if b.kind == "entry" else b for b in self.blocks]

    def forget_rows(self, rows: set[int], left: int) -> None:
        """Forget every row but ``rows``, and set the budget back to ``left`` characters."""
        for i in set(self.rows) - rows:
            del self.rows[i]
        self.fresh &= rows
        self.done &= rows
        if self.budget is not None:
            self.budget.left = left

    def text_now(self) -> str:
        if not self.text and callable(self.decode):
            self.text = self.decode()
        return self.text

    def results(self) -> list[tuple[StoredBlock, Result]]:
        """Every block parsed (now or by an earlier run), in file order."""
        return [(self.rows[i], self.rows[i].result) for i in sorted(self.done)]  # type: ignore[misc]


class _Damaged(Exception):
    """The cache's rows for a file are not what evgrade writes: parse the file again."""


Damaged = _Damaged
