"""What a parse of a .bib block gives, and the limits it runs under: plain data, no pybtex
parser. The loader, the cache and the CSL reader use these types; a warm load that takes
every entry from the cache imports nothing else of the parse (``parse.py`` runs pybtex).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pybtex.utils import CaseInsensitiveDict

# the macros BibTeX defines before any file: the month abbreviations (as pybtex's parser
# has them: tests/bib/test_bibliography.py compares the two)
MONTHS = {"jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
          "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
          "nov": "November", "dec": "December"}

MAX_VALUE_CHARS = 1_000_000  # one field or @string value, after # and macro expansion
EXPANSION_FACTOR = 16        # macros may add this many characters per character of a file ...
# ... plus MAX_VALUE_CHARS: see ExpansionBudget


class ExpansionBudget:
    """How many characters macros (or crossref parents) may still add to the values of
    one file: ``MAX_VALUE_CHARS + EXPANSION_FACTOR * size``. Real files use a small
    fraction of it; a file that multiplies its macros runs out in linear work."""

    __slots__ = ("total", "left")

    def __init__(self, size: int) -> None:
        self.total = self.left = MAX_VALUE_CHARS + EXPANSION_FACTOR * size

    def take(self, n: int) -> bool:
        """Spend ``n`` characters; False (and nothing spent) when that would overdraw."""
        if n > self.left:
            return False
        self.left -= n
        return True


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
    oversized: list[list[str]] = field(default_factory=list)  # [field, "cap"|"budget"|"crossref"]

    def to_json(self) -> list[Any]:
        return [self.key, self.entry_type, self.line, self.fields, self.persons,
                self.undefined_macros, self.oversized]

    @classmethod
    def from_json(cls, data: list[Any]) -> "ParsedEntry":
        key, entry_type, line, fields, persons, undefined, oversized = data
        return cls(str(key), str(entry_type), int(line), dict(fields),
                   {str(k): [str(n) for n in v] for k, v in persons.items()},
                   [[str(f), str(m)] for f, m in undefined],
                   [[str(f), str(why)] for f, why in oversized])


def new_macros() -> CaseInsensitiveDict:
    """The macros every BibTeX run starts with: the month abbreviations."""
    return CaseInsensitiveDict(MONTHS)
