"""Load .bib files into :class:`~evgrade.models.Reference` records.

Each file is first cut into top-level blocks (:mod:`evgrade._bibsplit`); only
then does pybtex parse the blocks one at a time, so a broken entry becomes a
``broken-entry`` finding instead of stopping the file. @string macros carry
over from one file to the next within one call (the IRIDIA library keeps them
in abbrev.bib / journals.bib / authors.bib), and ``crossref`` children inherit
from parents in any of the files. See docs/bibliography.md.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Finding, Reference
from . import cache as _bibcache
from ._load_findings import (chars, duplicate_finding, file_findings, oversized_findings,
                             undefined_macro_findings)
from ._open import decode_bib_bytes, open_sources, seen_rows
from ._sources import Broken, Damaged, Source
from ._entry import ExpansionBudget, ParsedEntry, new_macros
from .reference import DESIGN_FIELDS, JUDGEMENT_FIELDS, to_reference

__all__ = ["Bibliography", "load_bibliography", "decode_bib_bytes", "Opened", "open_bibliography"]

# a crossref child does not take these from its parent: they name or describe the
# parent work itself (its DOI is the book's, not the chapter's)
NOT_INHERITED = frozenset({
    "crossref", "key", "xref", "xdata", "ids", "entryset", "label", "shorthand", "sortkey", "options",
    "doi", "pmid", "pmcid", "eprint", "eprinttype", "archiveprefix", "arxiv", "arxivid", "url",
    "extra", "abstract", "annote", "annotation", "file", "shorttitle", "keywords",
    *DESIGN_FIELDS, *JUDGEMENT_FIELDS,
})


@dataclass(frozen=True)
class Bibliography:
    """The entries of one or more .bib files, with the problems found in them."""

    paths: tuple[str, ...] = ()
    entries: dict[str, Reference] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def get(self, key: str) -> Reference | None:
        """The entry with exactly this key (keys are case-sensitive as written)."""
        return self.entries.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)


# ------------------------------------------------------------------ mapping

def _inherit(entry: ParsedEntry, by_key: dict[str, ParsedEntry],
             budget: ExpansionBudget | None, depth: int = 0) -> ParsedEntry:
    """BibTeX crossref: the child gets the parent's fields it lacks; without a booktitle
    in either, the parent's title becomes the child's booktitle as in biblatex. What the
    child takes is charged to ``budget`` (None: the parents up the chain are not charged)."""
    target = entry.fields.get("crossref")
    parent = by_key.get(target.casefold()) if target else None
    if parent is None or parent is entry or depth > 8:
        return entry
    return _merge(entry, _inherit(parent, by_key, None, depth + 1), budget)


def _merge(entry: ParsedEntry, parent: ParsedEntry, budget: ExpansionBudget | None) -> ParsedEntry:
    def take(value: str) -> bool:
        return budget is None or budget.take(len(value))

    skip = NOT_INHERITED | {name for name, _ in entry.oversized}  # a field left out stays out
    fields = dict(entry.fields)
    dropped: list[str] = []
    inherited = dict(parent.fields)
    title = parent.fields.get("title")
    if title and "booktitle" not in fields and "booktitle" not in inherited:
        inherited["booktitle"] = title
    for name, value in inherited.items():
        if name not in fields and name not in skip:
            if take(value):
                fields[name] = value
            else:
                dropped.append(name)
    persons = dict(entry.persons)
    for role, names in parent.persons.items():
        if role not in persons and role not in skip:
            if take("".join(names)):
                persons[role] = names
            else:
                dropped.append(role)
    return ParsedEntry(entry.key, entry.entry_type, entry.line, fields, persons,
                       entry.undefined_macros, entry.oversized + [[n, "crossref"] for n in dropped])


# ------------------------------------------------------------------ loading

def load_bibliography(paths: Sequence[str | Path] | str | Path, *,
                      keys: Collection[str] | None = None,
                      cache_dir: Path | None = None) -> Bibliography:
    """Read the .bib files in ``paths`` (in order: @string macros of earlier files apply to
    later ones) into a :class:`Bibliography`.

    ``keys``: parse only these entries (case-insensitively) and the crossref parents
    they need; the other entries are split off cheaply but never parsed or checked, and
    only their problems are reported (docs/bibliography.md, "Speed").
    ``cache_dir``: reuse what earlier runs parsed (keyed by the file bytes, the macros in
    force and the evgrade version, one row per entry) and keep what this one parses.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if isinstance(keys, str):
        keys = [keys]
    wanted = None if keys is None else {k.casefold() for k in keys}
    cache = _bibcache.BibCache(cache_dir) if cache_dir is not None else None
    try:
        sources = open_sources(paths, cache, some_keys=wanted is not None)
        closure = None if wanted is None else _select(sources, wanted, cache)
        if wanted is None:
            for src in sources:
                if src.csl is None and not src.load_all(cache):
                    _parse_whole(src)
        if cache is not None:
            _store(sources, cache, complete=wanted is None)
    finally:
        if cache is not None:
            cache.close()
    return _assemble(sources, closure)


@dataclass
class Opened:
    """Files split and their @strings run once, then loaded for one set of keys after
    another (``score --unused`` over slices of the keys: evgrade/_entry_pool.py). No cache."""

    sources: list[Source]

    def keys(self) -> set[str]:
        """Every casefolded key the files' entry blocks (and CSL items) give."""
        return set().union(*(src.keys(None) for src in self.sources))

    def load(self, keys: Collection[str], *, every_broken: bool = False,
             keep: bool = True) -> tuple[Bibliography, int, int]:
        """:func:`load_bibliography` of ``keys``; the characters macros have added to the
        values of these files so far, and those crossref added in this load (what the
        expansion budgets were charged). ``every_broken``: report each block whose key
        cannot be read, as a load of every key does. ``keep=False``: forget what this
        load parsed, and what it charged, once it is done."""
        before = [(set(s.rows), s.budget.left if s.budget else 0) for s in self.sources]
        closure = _select(self.sources, {k.casefold() for k in keys}, None)
        inherit = _crossref_budget(self.sources)
        loaded = _assemble(self.sources, closure, inherit=inherit, every_broken=every_broken)
        parsed = sum(s.budget.total - s.budget.left for s in self.sources if s.budget is not None)
        for src, (rows, left) in zip(self.sources, before) if not keep else ():
            src.forget_rows(rows, left)
        return loaded, parsed, inherit.total - inherit.left

    def allowance(self) -> int:
        """The smallest of the expansion budgets (each file's, and crossref's)."""
        totals = [s.budget.total for s in self.sources if s.budget is not None]
        return min([*totals, _crossref_budget(self.sources).total])


def open_bibliography(paths: Sequence[str | Path]) -> Opened:
    """The .bib and CSL files of ``paths``, split, for :meth:`Opened.load`."""
    sources = open_sources(paths, None)
    for src in sources:
        src.slim()
    return Opened(sources)


def _parse_whole(src: Source) -> None:
    """Parse every entry block (a file the cache holds only in part is read afresh)."""
    if src.stored:
        _forget(src)
    src.parse(src.entry_indexes())


def _select(sources: list[Source], wanted: set[str],
            cache: _bibcache.BibCache | None) -> set[str]:
    """Parse the blocks of the ``wanted`` keys, and those of the crossref parents their
    entries name (read from the parsed field, in any file, followed up the chain), and
    the blocks whose key cannot be read. Returns every key that was asked for or needed."""
    closure = wanted | _duplicated(sources, cache)
    pending = closure | {""}
    while pending:
        found: list[ParsedEntry] = []
        for src in sources:
            if src.csl is not None:
                found += [e for e in src.csl.entries if e.key.casefold() in pending]
                continue
            entries, keyless = _parse_keys(src, pending, cache)
            found += entries
            closure |= keyless  # a key read only by pybtex: its other blocks, for duplicates
        pending = set()
        for entry in found:
            target = entry.fields.get("crossref", "").casefold()
            if target and entry.key.casefold() in closure and target not in closure:
                pending.add(target)
        closure |= pending
    return closure


def _duplicated(sources: list[Source], cache: _bibcache.BibCache | None) -> set[str]:
    """The casefolded keys defined more than once, in one file or across them: all their
    blocks are parsed, so that every duplicate-entry finding of a full load is made."""
    try:
        found = set().union(*(src.duplicated() for src in sources))
        seen: set[str] = set()
        for src in sources if len(sources) > 1 else ():
            keys = src.keys(cache)
            found |= keys & seen
            seen |= keys
    except Damaged:  # rows of a cached file: read it afresh, then count again
        for src in sources:
            if src.stored:
                _forget(src)
        return _duplicated(sources, cache)
    return found


def _parse_keys(src: Source, keys: set[str],
                cache: _bibcache.BibCache | None) -> tuple[list[ParsedEntry], set[str]]:
    """The entries of ``keys`` in ``src`` (parsed now or before), and the keys of entries
    whose key only pybtex could read."""
    try:
        indexes = src.known(keys, cache)
    except Damaged:  # the cached rows cannot be used: the file is read as if never cached
        _forget(src)
        indexes = src.known(keys, cache)
    src.parse(indexes)
    out, keyless = [], set()
    for i in indexes:
        row = src.rows[i]
        if isinstance(row.result, ParsedEntry):
            out.append(row.result)
            if row.key is None:
                keyless.add(row.result.key.casefold())
    return out, keyless


def _forget(src: Source) -> None:
    src.stored, src.rows, src.by_key, src.fresh, src.done = False, {}, {}, set(), set()
    chars = src.info.chars
    src.info = _bibcache.FileInfo()
    src.text_now()
    src.info.chars = chars or len(src.text)
    macros = new_macros()
    macros.update(src.macros_in)
    src.scan(macros)


def _store(sources: list[Source], cache: _bibcache.BibCache, complete: bool) -> None:
    cache.put_seen(seen_rows(sources))
    for src in sources:
        if src.csl is not None or not src.cache_key:
            continue
        if not src.stored:
            src.info.complete = complete
            cache.put_file(src.cache_key, src.path, src.info, src.all_rows())
        elif src.fresh:
            cache.put_results(src.cache_key, [src.rows[i] for i in sorted(src.fresh)
                                              if src.rows[i].key is not None])


def _assemble(sources: list[Source], closure: set[str] | None, *,
              inherit: ExpansionBudget | None = None, every_broken: bool = False) -> Bibliography:
    found: list[Finding] = []
    kept: dict[str, tuple[ParsedEntry, Source]] = {}   # casefolded key -> first entry, its file
    for src in sources:
        entries, broken = _file_results(src, closure, every_broken)
        found.extend(file_findings(src, broken))
        for entry in entries:
            folded = entry.key.casefold()
            first = kept.get(folded)
            if first is not None:
                found.append(duplicate_finding(entry, src.path, first[0], first[1].path))
                continue
            kept[folded] = (entry, src)
            found.extend(undefined_macro_findings(entry, src.path))
    by_key = {k: e for k, (e, _) in kept.items()}
    if inherit is None:
        inherit = _crossref_budget(sources)
    entries: dict[str, Reference] = {}
    for entry, src in kept.values():
        full = _inherit(entry, by_key, inherit)
        found.extend(oversized_findings(full, src, inherit))
        entries[entry.key] = to_reference(full, src.path)
    paths = [s.path for s in sources]
    found.sort(key=lambda f: (paths.index(f.path), f.line or 0))
    return Bibliography(paths=tuple(paths), entries=entries, findings=tuple(found))


def _crossref_budget(sources: list[Source]) -> ExpansionBudget:
    """Crossref may add to the children at most what macros may add to the files."""
    return ExpansionBudget(sum(chars(s) for s in sources))


def _file_results(src: Source, closure: set[str] | None,
                  every_broken: bool = False) -> tuple[list[ParsedEntry], list[Broken]]:
    """The entries of ``src`` that were asked for, in file order, and the broken blocks to
    report: all of them, or under ``keys=`` those whose key was asked for, and those whose
    key cannot be read when their first line names a key that was asked for (or, with
    ``every_broken``, all those whose key cannot be read)."""
    if src.csl is not None:
        pairs = [(e, "") for e in src.csl.entries] + [(b, "") for b in src.csl.broken]
    else:
        pairs = [(result, row.names) for row, result in src.results()]
    entries: list[ParsedEntry] = []
    broken: list[Broken] = []
    for result, names in pairs:
        if isinstance(result, ParsedEntry):
            if closure is None or result.key.casefold() in closure:
                entries.append(result)
        elif closure is None or (result[2].casefold() in closure if result[2] else every_broken
                                 or any(n in closure for n in names.split("\n") if n)):
            broken.append(result)
    return entries, broken
