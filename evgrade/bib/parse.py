"""Parse one split block with pybtex's low-level parser.

pybtex's ``Parser`` reports problems through its global strict mode (raise or
print); the low-level parser used here raises instead, one block at a time, so
the loader can turn a failure into a finding and go on. The result is plain
data (strings, lists, dicts) so that it can be cached as JSON.

Expansion is capped (docs/bibliography.md): a value (a field, or an @string)
may hold at most :data:`MAX_VALUE_CHARS` characters after ``#`` and macro
expansion, and the macros used in one file may add at most
:class:`ExpansionBudget` characters in all. Both are checked on the lengths of
the parts before they are joined, so a doubling @string chain costs nothing
past the cap. An over-long value is left out (an @string is defined as empty)
and named in ``oversized``; the loader makes it a finding.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import LowLevelParser
from pybtex.exceptions import PybtexError
from pybtex.textutils import normalize_whitespace
from pybtex.utils import CaseInsensitiveDict

from .. import _patterns
from ._entry import (EXPANSION_FACTOR, MAX_VALUE_CHARS, BlockError, ExpansionBudget,  # noqa: F401
                     ParsedEntry, new_macros)
from ._fastread import read_entry
from .latex import NOT_PLAIN, field_to_text, latex_to_text
from .split import RawBlock

PERSON_FIELDS = ("author", "editor")

_NAME_CACHE_CHARS = 512      # longer names are split but not memoised
_UNFOLDED = _patterns.compile(r"\s\s|[^\S ]|^\s|\s$")  # white space normalize_whitespace would change


class _LeftOut(str):
    """The one part of a value left out for its size: joins as "", says why."""

    why: str

    def __new__(cls, why: str) -> "_LeftOut":
        obj = super().__new__(cls, "")
        obj.why = why
        return obj


def left_out(parts: list[str]) -> str:
    """Why a parsed value was left out ("cap" or "budget"), or "" when it was not."""
    return parts[0].why if len(parts) == 1 and isinstance(parts[0], _LeftOut) else ""


class _Parser(LowLevelParser):
    """Raises on every error; an undefined macro keeps its name as text instead of failing;
    a value over the cap or the file's budget becomes a single :class:`_LeftOut` part."""

    def __init__(self, text: str, macros: CaseInsensitiveDict, budget: ExpansionBudget) -> None:
        super().__init__(text, macros=macros)
        self.undefined: list[list[str]] = []
        self._budget = budget
        self._from_macros = 0

    def substitute_macro(self, name: str) -> str:
        try:
            value: str = self.macros[name]
        except KeyError:
            self.undefined.append([(self.current_field_name or "").lower(), name])
            return name
        self._from_macros += len(value)
        return value

    def parse_value(self) -> None:
        # pybtex collects the parts (literal text, macro values) in a list and joins
        # them later: measure the list, so nothing over the cap is ever built
        self._from_macros = 0
        super().parse_value()
        if sum(map(len, self.current_value)) > MAX_VALUE_CHARS:
            self.current_value = [_LeftOut("cap")]
        elif not self._budget.take(self._from_macros):
            self.current_value = [_LeftOut("budget")]


def _run(block: RawBlock, macros: CaseInsensitiveDict,
         budget: ExpansionBudget | None) -> tuple[list[list[str]], tuple[Any, ...]]:
    """(undefined macros, (command, body)) of the first command of ``block``: an entry block
    read by :mod:`._fastread` when it is plain, anything else by pybtex."""
    # alone (no budget given), a block gets the budget of a file of its size
    budget = budget or ExpansionBudget(len(block.text))
    fast = read_entry(block.text, macros) if block.kind == "entry" else None
    if fast is not None:
        command, key, fields, undefined, added = fast
        return undefined, (command, (key, _capped(fields, added, budget)))
    parser = _Parser(block.text, macros, budget)
    try:
        result = next(iter(parser), None)
    except PybtexError as exc:
        lineno = getattr(exc, "lineno", None) or 1
        reason = exc.args[0] if exc.args else type(exc).__name__
        kind = getattr(exc, "error_type", "error")
        raise BlockError(f"{kind}: {reason}", block.line + lineno - 1) from None
    except RecursionError:
        raise BlockError("braces nested too deeply", block.line) from None
    if result is None:
        raise BlockError("nothing could be read", block.line)
    return parser.undefined, result


def _capped(fields: list[tuple[str, list[str]]], added: list[int],
            budget: ExpansionBudget) -> list[tuple[str, list[str]]]:
    """The caps of :class:`_Parser`, value by value in order, on fields read by _fastread."""
    for i, ((name, parts), extra) in enumerate(zip(fields, added)):
        if sum(map(len, parts)) > MAX_VALUE_CHARS:
            fields[i] = (name, [_LeftOut("cap")])
        elif not budget.take(extra):
            fields[i] = (name, [_LeftOut("budget")])
    return fields


def parse_string_block(block: RawBlock, macros: CaseInsensitiveDict,
                       budget: ExpansionBudget | None = None) -> tuple[str, str, str]:
    """Define the @string of ``block`` in ``macros``; return (name, value, why), ``why``
    being "" or, for a value left out (defined as empty), "cap" or "budget"."""
    _, (_command, (name, parts)) = _run(block, macros, budget)
    return name, "".join(parts), left_out(parts)


def format_person(person: Person) -> str:
    family = latex_to_text(" ".join(person.prelast_names + person.last_names))
    given = latex_to_text(" ".join(person.first_names + person.middle_names))
    lineage = latex_to_text(" ".join(person.lineage_names))
    # BibTeX's own order, "von Last, Jr, First", so the string can be read back
    return ", ".join(p for p in (family, lineage, given) if p)


def _one_name(name: str) -> str:
    # libraries repeat the same authors; pybtex's name splitting is the costly part.
    # A long "name" (a hostile or broken field) is not kept in the memo.
    return _memo_name(name) if len(name) <= _NAME_CACHE_CHARS else _split_name(name)


def _split_name(name: str) -> str:
    plain = _plain_person(name)
    if plain is not None:
        return plain
    with pybtex.errors.capture():  # odd names: pybtex would raise or print; take its best guess
        try:
            return format_person(Person(name))
        except PybtexError:
            return latex_to_text(name)


_memo_name = lru_cache(maxsize=16384)(_split_name)
_AND = _patterns.compile(" [Aa][Nn][Dd] ")                 # pybtex's split_name_list separator
_BIBTEX_SPACE = _patterns.compile(r"(?:\\ |\s|(?<!\\)~)+")  # pybtex.bibtex.utils.BIBTEX_SPACE_RE


def _words(text: str) -> list[str]:
    return [w for w in (p.strip() for p in _BIBTEX_SPACE.split(text)) if w]


def _is_von(word: str) -> bool:
    """pybtex's test for a "von" word, for a word without braces or backslashes."""
    if word[0].isupper():
        return False
    if word[0].islower():
        return True
    return next((c.islower() for c in word if c.isalpha()), False)


def _plain_person(name: str) -> str | None:
    """``format_person(Person(name))`` for a name without braces or backslashes, taken apart
    as pybtex does it ("von Last, Jr, First", "von Last, First", "First von Last"); None
    for any other name (pybtex then splits it)."""
    if "{" in name or "}" in name or "\\" in name:
        return None
    name = name.strip()
    parts = [p.strip() for p in name.split(",")] if name else []
    lineage: list[str] = []
    if len(parts) > 3:
        return None
    if len(parts) == 3:
        family, lineage, given = _words(parts[0]), _words(parts[1]), _words(parts[2])
    elif len(parts) == 2:
        family, given = _words(parts[0]), _words(parts[1])
    else:
        words = _words(name)
        von = next((i for i, w in enumerate(words) if _is_von(w)), len(words))
        given, family = words[:von], words[von:]
        if not family and given:
            family = [given.pop()]
    return ", ".join(p for p in (latex_to_text(" ".join(family)), latex_to_text(" ".join(lineage)),
                                 latex_to_text(" ".join(given))) if p)


def split_names(raw: str) -> list[str]:
    """pybtex's ``split_name_list``: the names of an author or editor list."""
    if "{" in raw or "}" in raw:
        return split_name_list(raw)
    return [p.strip() for p in _AND.split(raw)] if raw else []


def parse_names(raw: str) -> list[str]:
    names: list[str] = []
    for name in split_names(raw):
        if name.strip().lower() == "others":  # BibTeX's "et al."
            continue
        text = _one_name(name)
        if text:
            names.append(text)
    return names


RawEntry = tuple[str, str, list[tuple[str, str]]]  # key, type (lower case), [(field, raw value)]


def read_entry_block(block: RawBlock, macros: CaseInsensitiveDict) -> RawEntry:
    """pybtex's own reading of an entry block: its key, its type and every field as written
    (lower-case name, the value's parts joined, before any LaTeX decoding), in order.
    Raises :class:`BlockError` as :func:`parse_entry_block` does."""
    _undefined, (command, (key, raw_fields)) = _run(block, macros, None)
    if not key:
        raise BlockError("entry has no key", block.line)
    return key, command.lower(), [(name.lower(), "".join(parts)) for name, parts in raw_fields]


def parse_entry_block(block: RawBlock, macros: CaseInsensitiveDict,
                      budget: ExpansionBudget | None = None) -> ParsedEntry:
    undefined, (command, (key, raw_fields)) = _run(block, macros, budget)
    if not key:
        raise BlockError("entry has no key", block.line)
    fields: dict[str, str] = {}
    persons: dict[str, list[str]] = {}
    oversized: dict[str, str] = {}  # field -> why it was left out
    for name, parts in raw_fields:
        name = name.lower()
        if name in fields or name in persons or name in oversized:
            continue  # BibTeX keeps the first of a repeated field, even one left out
        why = left_out(parts)
        if why:
            oversized[name] = why
            continue
        raw = "".join(parts)
        if _UNFOLDED.search(raw):
            raw = normalize_whitespace(raw)
        if name in PERSON_FIELDS:
            people = parse_names(raw)
            if people:
                persons[name] = people
        # folded text without markup reads as it stands (as field_to_text would give it)
        value = field_to_text(name, raw) if NOT_PLAIN.search(raw) else raw
        if value:
            fields[name] = value
    return ParsedEntry(key, command.lower(), block.line, fields, persons, undefined,
                       [[name, why] for name, why in oversized.items()])

