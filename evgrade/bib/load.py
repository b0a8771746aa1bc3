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

from pybtex.utils import CaseInsensitiveDict

from .. import _files
from .. import _findings as findings
from ..models import Finding, Reference
from . import cache as _bibcache
from . import csl as _csl
from .parse import (
    MAX_VALUE_CHARS,
    BlockError,
    ExpansionBudget,
    ParsedEntry,
    new_macros,
    parse_entry_block,
    parse_string_block,
)
from .reference import DESIGN_FIELDS, JUDGEMENT_FIELDS, to_reference
from .split import RawBlock, split_blocks

__all__ = ["Bibliography", "load_bibliography", "decode_bib_bytes"]

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


# ------------------------------------------------------------------ reading

def decode_bib_bytes(data: bytes, path: str) -> str:
    """UTF-8 text of a .bib file (a UTF-8 BOM is dropped, line ends become "\\n"); anything
    else is an InputError pointing at the first byte that is not UTF-8."""
    text = _files.decode(data, path, what="bibliography",
                         hint="re-export the bibliography as UTF-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _read(path: str | Path) -> tuple[str, bytes, str]:
    name = str(path)
    data = _files.read_bytes(name, what="bibliography", limit=_files.BIBLIOGRAPHY_LIMIT)
    return name, data, decode_bib_bytes(data, name)


# ------------------------------------------------------------------ parsing

@dataclass(slots=True)
class _Source:
    path: str
    text: str
    macros_in: list[tuple[str, str]]
    cache_key: str = ""
    parse: _bibcache.FileParse | None = None       # set on a cache hit, or once parsed
    blocks: list[RawBlock] = field(default_factory=list)
    strings: dict[int, tuple[str, str]] = field(default_factory=dict)  # block index -> (name, value)
    broken_strings: list[tuple[str, int, str]] = field(default_factory=list)
    oversized_strings: list[tuple[str, int, str]] = field(default_factory=list)
    budget: ExpansionBudget | None = None  # what macros may still add to this file's values


def _broken_message(what: str, reason: str, block: RawBlock) -> str:
    if not block.terminated:
        reason = "its braces never balance before the next @entry"
    return f"{what} cannot be parsed ({reason}); skipped"


def _scan_strings(src: _Source, macros: CaseInsensitiveDict) -> None:
    """Split ``src`` and run its @string blocks, updating ``macros``."""
    src.blocks = split_blocks(src.text)
    src.budget = ExpansionBudget(len(src.text))
    for i, block in enumerate(src.blocks):
        if block.kind != "string":
            continue
        try:
            name, value, why = parse_string_block(block, macros, src.budget)
        except BlockError as exc:
            src.broken_strings.append(
                (_broken_message(f"@{block.command} definition", exc.message, block), block.line, ""))
            continue
        src.strings[i] = (name, value)
        if why:
            src.oversized_strings.append(
                (f"@string '{name}' {_too_long(why, src.budget)}; it is defined as empty", block.line, ""))


def _too_long(why: str, budget: ExpansionBudget) -> str:
    if why == "cap":
        return f"expands to more than {MAX_VALUE_CHARS:,} characters"
    if why == "crossref":
        return (f"would take what crossref children inherit past {budget.total:,} characters "
                "(the budget for files of this size)")
    return (f"would take what the macros of this file produce past {budget.total:,} characters "
            "(the budget for a file of this size)")


def _parse_entries(src: _Source, wanted: set[str] | None) -> _bibcache.FileParse:
    macros = new_macros()
    macros.update(src.macros_in)
    result = _bibcache.FileParse(broken=list(src.broken_strings),
                                 oversized=list(src.oversized_strings))
    budget = src.budget or ExpansionBudget(len(src.text))
    for i, block in enumerate(src.blocks):
        if block.kind == "string":
            if i in src.strings:
                name, value = src.strings[i]
                macros[name] = value
                result.macros.append((name, value))
            continue
        if block.kind != "entry":
            continue
        # a key the splitter cannot see (a key such as "=") is parsed, then filtered by key
        if wanted is not None and block.key is not None and block.key.casefold() not in wanted:
            continue
        try:
            result.entries.append(parse_entry_block(block, macros, budget))
        except BlockError as exc:
            what = f"entry '{block.key}'" if block.key else f"@{block.command} entry"
            result.broken.append((_broken_message(what, exc.message, block), block.line,
                                  block.key or ""))
    result.broken.sort(key=lambda b: b[1])
    return result


def _crossref_closure(sources: list[_Source], wanted: set[str]) -> set[str]:
    """``wanted`` plus the crossref parents its entries need, transitively (casefolded keys)."""
    parents: dict[str, list[str]] = {}
    for src in sources:
        if src.parse is not None:
            for e in src.parse.entries:
                if "crossref" in e.fields:
                    parents.setdefault(e.key.casefold(), []).append(e.fields["crossref"].casefold())
        else:
            for b in src.blocks:
                target = b.crossref
                if b.key and target:
                    parents.setdefault(b.key.casefold(), []).append(target.casefold())
    closure = set(wanted)
    stack = list(wanted)
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in closure:
                closure.add(parent)
                stack.append(parent)
    return closure


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


def _reported_macros(entry: ParsedEntry) -> str:
    # a month written as an unknown abbreviation ("sept") reads fine as text
    names = dict.fromkeys(f"{m} ({f})" for f, m in entry.undefined_macros if f not in ("month", "day"))
    return ", ".join(names)


# ------------------------------------------------------------------ loading

def load_bibliography(paths: Sequence[str | Path] | str | Path, *,
                      keys: Collection[str] | None = None,
                      cache_dir: Path | None = None) -> Bibliography:
    """Read the .bib files in ``paths`` (in order: @string macros of earlier files apply to
    later ones) into a :class:`Bibliography`.

    ``keys``: parse only these entries (case-insensitively) and the crossref parents
    they need; the other entries are split off cheaply but never parsed or checked.
    ``cache_dir``: reuse parsed files from earlier runs (keyed by the file bytes, the
    macros in force and the evgrade version); a full parse writes the cache.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if isinstance(keys, str):
        keys = [keys]
    wanted = None if keys is None else {k.casefold() for k in keys}
    sources: list[_Source] = []
    macros = new_macros()
    for p in paths:
        name, data, text = _read(p)
        if _csl.is_csl(name):  # CSL-JSON / CSL-YAML: no macros, no cache (it parses fast)
            sources.append(_Source(name, text, [], parse=_csl.parse_csl(text, name)))
            continue
        src = _Source(name, text, list(macros.items()))
        if cache_dir is not None:
            src.cache_key = _bibcache.cache_key(data, src.macros_in)
            src.parse = _bibcache.read(cache_dir, src.cache_key)
        if src.parse is not None:
            for macro, value in src.parse.macros:
                macros[macro] = value
        else:
            _scan_strings(src, macros)
        sources.append(src)

    closure = None if wanted is None else _crossref_closure(sources, wanted)
    for src in sources:
        if src.parse is None:
            src.parse = _parse_entries(src, closure)
            if cache_dir is not None and closure is None:
                _bibcache.write(cache_dir, src.cache_key, src.parse)
        src.blocks = []  # the split text is no longer needed

    return _assemble(sources, closure)


def _assemble(sources: list[_Source], closure: set[str] | None) -> Bibliography:
    found: list[Finding] = []
    kept: dict[str, tuple[ParsedEntry, _Source]] = {}   # casefolded key -> first entry, its file
    for src in sources:
        assert src.parse is not None
        found.extend(_file_findings(src, closure))
        for entry in src.parse.entries:
            folded = entry.key.casefold()
            if closure is not None and folded not in closure:
                continue
            first = kept.get(folded)
            if first is not None:
                found.append(_duplicate_finding(entry, src.path, first[0], first[1].path))
                continue
            kept[folded] = (entry, src)
            found.extend(_undefined_macro_findings(entry, src.path))
    by_key = {k: e for k, (e, _) in kept.items()}
    # crossref may add to the children at most what macros may add to the files
    inherit = ExpansionBudget(sum(len(s.text) for s in sources))
    entries: dict[str, Reference] = {}
    for entry, src in kept.values():
        full = _inherit(entry, by_key, inherit)
        found.extend(_oversized_findings(full, src, inherit))
        entries[entry.key] = to_reference(full, src.path)
    paths = [s.path for s in sources]
    found.sort(key=lambda f: (paths.index(f.path), f.line or 0))
    return Bibliography(paths=tuple(paths), entries=entries, findings=tuple(found))


def _file_findings(src: _Source, closure: set[str] | None) -> Iterator[Finding]:
    """Broken blocks (only the wanted ones under ``keys=``) and over-long @strings (always:
    any wanted entry may use them)."""
    assert src.parse is not None
    for message, line, key in src.parse.broken:
        if closure is None or (key and key.casefold() in closure):
            yield findings.make("broken-entry", message, path=src.path, line=line, key=key)
    for message, line, key in src.parse.oversized:
        yield findings.make("oversized-value", message, path=src.path, line=line, key=key)


def _duplicate_finding(entry: ParsedEntry, path: str, prev: ParsedEntry, prev_path: str) -> Finding:
    same = "" if prev.key == entry.key else f" (as '{prev.key}'; BibTeX keys ignore case)"
    return findings.make(
        "duplicate-entry",
        f"key '{entry.key}' is defined again; the first definition at "
        f"{prev_path}:{prev.line}{same} is kept",
        path=path, line=entry.line, key=entry.key)


def _undefined_macro_findings(entry: ParsedEntry, path: str) -> list[Finding]:
    undefined = _reported_macros(entry)
    if not undefined:
        return []
    return [findings.make(
        "undefined-macro",
        f"entry '{entry.key}' uses undefined @string macro(s) {undefined}; kept with "
        "the macro names as text (load the .bib file that defines them first)",
        path=path, line=entry.line, key=entry.key)]


def _oversized_findings(entry: ParsedEntry, src: _Source, inherit: ExpansionBudget) -> Iterator[Finding]:
    """One finding per reason for the fields ``entry`` was loaded without."""
    by_why: dict[str, list[str]] = {}
    for name, why in entry.oversized:
        by_why.setdefault(why, []).append(name)
    for why, names in by_why.items():
        listed = ", ".join(f"'{n}'" for n in names)
        what = "field" if len(names) == 1 else "fields"
        via = ", inherited through crossref," if why == "crossref" else ""
        budget = inherit if why == "crossref" else ExpansionBudget(len(src.text))
        yield findings.make(
            "oversized-value",
            f"{what} {listed} of entry '{entry.key}'{via} {_too_long(why, budget)}; "
            f"the entry is kept without {'it' if len(names) == 1 else 'them'}",
            path=src.path, line=entry.line, key=entry.key)
