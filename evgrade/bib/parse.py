"""Parse one split block with pybtex's low-level parser.

pybtex's ``Parser`` reports problems through its global strict mode (raise or
print); the low-level parser used here raises instead, one block at a time, so
the loader can turn a failure into a finding and go on. The result is plain
data (strings, lists, dicts) so that it can be cached as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.exceptions import PybtexError
from pybtex.textutils import normalize_whitespace
from pybtex.utils import CaseInsensitiveDict

from .latex import field_to_text, latex_to_text
from .split import RawBlock

PERSON_FIELDS = ("author", "editor")


class BlockError(Exception):
    """A block pybtex cannot read; ``line`` is 1-based within the file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(slots=True)
class ParsedEntry:
    key: str
    entry_type: str                  # lower case
    line: int
    fields: dict[str, str]           # lower-case names, Unicode values
    persons: dict[str, list[str]]    # "author"/"editor" -> ["Family, Given", ...]
    undefined_macros: list[list[str]] = field(default_factory=list)  # [field, macro] pairs

    def to_json(self) -> list[Any]:
        return [self.key, self.entry_type, self.line, self.fields, self.persons, self.undefined_macros]

    @classmethod
    def from_json(cls, data: list[Any]) -> "ParsedEntry":
        key, entry_type, line, fields, persons, undefined = data
        return cls(str(key), str(entry_type), int(line), dict(fields),
                   {str(k): [str(n) for n in v] for k, v in persons.items()},
                   [[str(f), str(m)] for f, m in undefined])


def new_macros() -> CaseInsensitiveDict:
    """The macros every BibTeX run starts with: the month abbreviations."""
    return CaseInsensitiveDict(month_names)


class _Parser(LowLevelParser):
    """Raises on every error; an undefined macro keeps its name as text instead of failing."""

    def __init__(self, text: str, macros: CaseInsensitiveDict) -> None:
        super().__init__(text, macros=macros)
        self.undefined: list[list[str]] = []

    def substitute_macro(self, name: str) -> str:
        try:
            return self.macros[name]
        except KeyError:
            self.undefined.append([(self.current_field_name or "").lower(), name])
            return name


def _run(block: RawBlock, macros: CaseInsensitiveDict) -> tuple[_Parser, tuple[Any, ...]]:
    parser = _Parser(block.text, macros)
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
    return parser, result


def parse_string_block(block: RawBlock, macros: CaseInsensitiveDict) -> tuple[str, str]:
    """Define the @string of ``block`` in ``macros``; return (name, value)."""
    _, (_command, (name, parts)) = _run(block, macros)
    return name, "".join(parts)


def format_person(person: Person) -> str:
    family = latex_to_text(" ".join(person.prelast_names + person.last_names))
    given = latex_to_text(" ".join(person.first_names + person.middle_names))
    lineage = latex_to_text(" ".join(person.lineage_names))
    # BibTeX's own order, "von Last, Jr, First", so the string can be read back
    return ", ".join(p for p in (family, lineage, given) if p)


@lru_cache(maxsize=16384)
def _one_name(name: str) -> str:
    # libraries repeat the same authors; pybtex's name splitting is the costly part
    with pybtex.errors.capture():  # odd names: pybtex would raise or print; take its best guess
        try:
            return format_person(Person(name))
        except PybtexError:
            return latex_to_text(name)


def parse_names(raw: str) -> list[str]:
    names: list[str] = []
    for name in split_name_list(raw):
        if name.strip().lower() == "others":  # BibTeX's "et al."
            continue
        text = _one_name(name)
        if text:
            names.append(text)
    return names


def parse_entry_block(block: RawBlock, macros: CaseInsensitiveDict) -> ParsedEntry:
    parser, (command, (key, raw_fields)) = _run(block, macros)
    if not key:
        raise BlockError("entry has no key", block.line)
    fields: dict[str, str] = {}
    persons: dict[str, list[str]] = {}
    for name, parts in raw_fields:
        name = name.lower()
        if name in fields or name in persons:  # BibTeX keeps the first of a repeated field
            continue
        raw = normalize_whitespace("".join(parts))
        if name in PERSON_FIELDS:
            people = parse_names(raw)
            if people:
                persons[name] = people
        value = field_to_text(name, raw)
        if value:
            fields[name] = value
    return ParsedEntry(key, command.lower(), block.line, fields, persons, parser.undefined)
