"""Claim maps: TOML files that link claims of uncited articles to bibliography keys.

A map entry names a claim by QUOTING it, not by id or offset, so the map
survives small edits of the article. The format, the matching rules and the
thresholds are documented in docs/claim-map.md; keep the two in step. This
module loads and validates a map; :mod:`.mapmatch` matches its quotes to
claims and :mod:`.skeleton` writes new entries.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .. import _patterns
from .. import _files
from ..errors import ClaimMapError
from ..models import Support
from ._mapsupport import MapLink, MapPart, keys_field, links_field, parts_field, string_field
from ._mapsupport import support_field, toml_type

FORMAT_VERSION = 1
# a claim map is hand-written quotes (the bundled one is 14 KB); tomllib holds a whole
# file and its tables in memory, and matching costs entries x claims
MAX_MAP_BYTES = 10 * _files.MB
_KNOWN_FIELDS = frozenset({"article", "quote", "keys", "note", "support", "links", "parts"})


class MapEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    quote: str
    article: str = ""          # "" = any article given to map_links
    keys: tuple[str, ...] = ()
    note: str = ""
    support: Support = "full"  # how far the entries in ``keys`` support the claim
    links: tuple[MapLink, ...] = ()  # the whole claim's links: ``keys``, then ``links`` tables
    parts: tuple[MapPart, ...] = ()  # parts of a compound claim, each with its own links
    line: int | None = None    # line of the entry's [[claims]] header in the map file
    extra: dict[str, Any] = Field(default_factory=dict)  # fields evgrade does not know, kept

    @property
    def all_keys(self) -> tuple[str, ...]:
        """Every key the entry names, for the claim as a whole or for one of its parts."""
        keys = [l.key for l in self.links] + [l.key for p in self.parts for l in p.links]
        return tuple(dict.fromkeys(keys))


class ClaimMap(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = ""
    version: int = FORMAT_VERSION
    entries: tuple[MapEntry, ...] = ()

    @property
    def folder(self) -> Path:
        return Path(self.path).parent if self.path else Path(".")


# ----------------------------------------------------------------- normalise

# Apostrophes are deleted, not spaced ("brain's" = "brains"); other quotes
# and punctuation become spaces.
_FOLD = str.maketrans({
    "'": None, "\u2018": None, "\u2019": None, "\u201a": None, "\u201b": None, "\u2032": None,
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00ad": None,  # soft hyphen: invisible, drop it
})
_NOT_WORD = _patterns.compile(r"[\W_]+")


def normalize_quote(text: str) -> str:
    """The form quotes and claims are compared in: words only, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _NOT_WORD.sub(" ", text).strip()


# -------------------------------------------------------------------- load

_HEADER = _patterns.compile(r"[ \t]*\[\[[ \t]*(?:claims|\"claims\"|'claims')[ \t]*\]\]")
_TOML_POS = _patterns.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = _patterns.compile(r"\s*\(at end of document\)$")


def header_lines(text: str) -> list[int]:
    """1-based lines of the ``[[claims]]`` headers, skipping multi-line strings.

    tomllib keeps no positions, so the map's text is scanned: a line that
    opens with ``[[claims]]`` outside a string is a header.
    """
    lines: list[int] = []
    in_ml: str | None = None          # '"""' or "'''" while inside a multi-line string
    for number, line in enumerate(text.splitlines(), start=1):
        if in_ml is None and _HEADER.match(line):
            lines.append(number)
        in_ml = _open_string_after(line, in_ml)
    return lines


def _open_string_after(line: str, in_ml: str | None) -> str | None:
    """The multi-line string delimiter still open at the end of ``line``, or None."""
    i = 0
    while i < len(line):
        if in_ml is not None:
            end = _closing(line, i, in_ml)
            if end < 0:
                break
            i = end + 3
            in_ml = None
            continue
        ch = line[i]
        if ch == "#":
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            in_ml = line[i:i + 3]
            i += 3
        elif ch in "\"'":
            i = _string_end(line, i) + 1
        else:
            i += 1
    return in_ml


def _closing(line: str, i: int, delimiter: str) -> int:
    """Where ``delimiter`` closes a multi-line string at or after i (-1: not on this line)."""
    end = line.find(delimiter, i)
    while delimiter == '"""' and end > 0 and _escaped(line, end):
        end = line.find(delimiter, end + 1)
    return end


def _string_end(line: str, i: int) -> int:
    """Position of the quote closing the one-line string opened at i (or the line's end)."""
    ch = line[i]
    j = i + 1
    while j < len(line) and not (line[j] == ch and (ch == "'" or not _escaped(line, j))):
        j += 1
    return j


def _escaped(line: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and line[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _decode_error(exc: tomllib.TOMLDecodeError, text: str, path: str) -> ClaimMapError:
    msg = str(exc)
    m = _TOML_POS.search(msg)
    if m:
        return ClaimMapError(f"invalid TOML: {msg[:m.start()]}", path=path,
                             line=int(m.group(1)), col=int(m.group(2)))
    m = _TOML_END.search(msg)
    if m:
        lines = text.splitlines() or [""]
        return ClaimMapError(f"invalid TOML: {msg[:m.start()]} at end of file", path=path,
                             line=len(lines), col=len(lines[-1]) + 1)
    return ClaimMapError(f"invalid TOML: {msg}", path=path)


def parse_claim_map(text: str, *, path: str = "") -> ClaimMap:
    """Validate the text of a claim map; errors are ClaimMapError with a line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _decode_error(exc, text, path) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ClaimMapError("invalid TOML: arrays or tables nested too deeply", path=path) from None

    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ClaimMapError("'version' must be an integer", path=path)
    if version != FORMAT_VERSION:
        raise ClaimMapError(f"unsupported claim-map version {version} "
                            f"(this evgrade reads version {FORMAT_VERSION})", path=path)
    raw = data.get("claims", [])
    if isinstance(raw, dict):
        raise ClaimMapError("'claims' must be an array of tables: write [[claims]], not [claims]",
                            path=path)
    if not isinstance(raw, list):
        raise ClaimMapError("'claims' must be an array of tables ([[claims]])", path=path)
    headers = header_lines(text)
    if len(headers) != len(raw):
        # inline `claims = [...]`: all entries share the line of the key
        m = re.search(r"(?m)^[ \t]*claims[ \t]*=", text)
        at = text.count("\n", 0, m.start()) + 1 if m else None
        headers = [at] * len(raw)  # type: ignore[list-item]

    entries = [_entry(item, line, path) for item, line in zip(raw, headers)]
    return ClaimMap(path=path, version=version, entries=tuple(entries))


def _entry(item: object, line: int | None, path: str) -> MapEntry:
    def fail(message: str) -> ClaimMapError:
        return ClaimMapError(message, path=path, line=line)

    if not isinstance(item, dict):
        raise fail("each [[claims]] entry must be a table")
    quote = _quote(item, fail)
    article = string_field(item, "article", fail)
    keys = keys_field(item, fail)
    note = string_field(item, "note", fail)
    extra = {k: v for k, v in item.items() if k not in _KNOWN_FIELDS}
    return MapEntry(quote=quote, article=article, keys=tuple(keys), note=note,
                    support=support_field(item, fail), links=tuple(links_field(item, fail)),
                    parts=tuple(parts_field(item, fail)), line=line, extra=extra)


_Fail = Callable[[str], ClaimMapError]


def _quote(item: dict[str, Any], fail: _Fail) -> str:
    quote = item.get("quote")
    if quote is None:
        raise fail("claim-map entry has no 'quote'")
    if not isinstance(quote, str):
        raise fail(f"'quote' must be a string, not {toml_type(quote)}")
    if not normalize_quote(quote):
        raise fail("'quote' is empty (it must contain words of the claim)")
    return quote


def _read_text(path: Path) -> str:
    return _files.read_text(path, what="claim map", hint="re-save the claim map as UTF-8",
                            limit=MAX_MAP_BYTES, error=ClaimMapError)


def load_claim_map(path: str | os.PathLike[str]) -> ClaimMap:
    p = Path(path)
    return parse_claim_map(_read_text(p), path=str(path))
