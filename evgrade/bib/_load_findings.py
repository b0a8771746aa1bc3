"""The findings a load of .bib files makes: broken blocks, duplicates, undefined macros,
values over the expansion budget (docs/findings.md, EV302-EV306)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import _findings as findings
from ..models import Finding
from ._sources import Broken, Source, too_long
from ._entry import ExpansionBudget, ParsedEntry


def chars(src: Source) -> int:
    """The characters of a file, on which its expansion budget is set."""
    return len(src.text) if src.csl is not None else src.info.chars


def _reported_macros(entry: ParsedEntry) -> str:
    # a month written as an unknown abbreviation ("sept") reads fine as text
    names = dict.fromkeys(f"{m} ({f})" for f, m in entry.undefined_macros if f not in ("month", "day"))
    return ", ".join(names)


def file_findings(src: Source, broken: list[Broken]) -> Iterator[Finding]:
    """Broken blocks, broken @strings and over-long @strings (the last two always: any
    wanted entry may use them)."""
    for message, line, key in sorted([*src.info.broken, *broken], key=lambda b: b[1]):
        yield findings.make("broken-entry", message, path=src.path, line=line, key=key)
    for message, line, key in src.info.oversized:
        yield findings.make("oversized-value", message, path=src.path, line=line, key=key)


def duplicate_finding(entry: ParsedEntry, path: str, prev: ParsedEntry, prev_path: str) -> Finding:
    same = "" if prev.key == entry.key else f" (as '{prev.key}'; BibTeX keys ignore case)"
    return findings.make(
        "duplicate-entry",
        f"key '{entry.key}' is defined again; the first definition at "
        f"{prev_path}:{prev.line}{same} is kept",
        path=path, line=entry.line, key=entry.key)


def undefined_macro_findings(entry: ParsedEntry, path: str) -> list[Finding]:
    undefined = _reported_macros(entry)
    if not undefined:
        return []
    return [findings.make(
        "undefined-macro",
        f"entry '{entry.key}' uses undefined @string macro(s) {undefined}; kept with "
        "the macro names as text (load the .bib file that defines them first)",
        path=path, line=entry.line, key=entry.key)]


def oversized_findings(entry: ParsedEntry, src: Source, inherit: ExpansionBudget) -> Iterator[Finding]:
    """One finding per reason for the fields ``entry`` was loaded without."""
    by_why: dict[str, list[str]] = {}
    for name, why in entry.oversized:
        by_why.setdefault(why, []).append(name)
    for why, names in by_why.items():
        listed = ", ".join(f"'{n}'" for n in names)
        what = "field" if len(names) == 1 else "fields"
        via = ", inherited through crossref," if why == "crossref" else ""
        budget = inherit if why == "crossref" else ExpansionBudget(chars(src))
        yield findings.make(
            "oversized-value",
            f"{what} {listed} of entry '{entry.key}'{via} {too_long(why, budget)}; "
            f"the entry is kept without {'it' if len(names) == 1 else 'them'}",
            path=src.path, line=entry.line, key=entry.key)
