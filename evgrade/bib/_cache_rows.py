"""What the bibliography cache stores, as JSON and plain columns, and how it is checked on
the way back: every value must be of the type evgrade writes, or the row counts as damaged
(:mod:`.cache`). Nothing here runs or unpickles anything."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ._entry import ParsedEntry

MAX_ROW_CHARS = 32 << 20      # one entry's parse; a larger one is not kept (parsed each run)
MAX_INFO_CHARS = 256 << 20    # what one file defines (its @strings): far above any real file

Broken = tuple[str, int, str]  # (message, line, key) of a block that could not be parsed


@dataclass(slots=True)
class FileInfo:
    """What one file defines, and the problems of its @string blocks."""

    strings: list[tuple[int, str, str]] = field(default_factory=list)  # (block index, name, value)
    broken: list[Broken] = field(default_factory=list)      # @string blocks that do not parse
    oversized: list[Broken] = field(default_factory=list)   # @strings left out for their size
    chars: int = 0                                           # the file's length, in characters
    duplicates: list[str] = field(default_factory=list)      # keys (casefolded) it defines twice
    complete: bool = False                                   # every block's parse is stored


class StoredBlock(NamedTuple):
    """One entry block as a row: where it is and, when some run parsed it, the parse."""

    seq: int                 # index of the block among all blocks of the file
    folded: str              # its key, casefolded ("" when no key could be read)
    key: str | None          # its key as the splitter read it
    line: int
    start: int               # offsets in the file's text
    stop: int
    terminated: bool
    command: str
    names: str               # a keyless broken block: the names on its first line, casefolded
    result: ParsedEntry | Broken | None


def encode_result(result: ParsedEntry | Broken | None) -> str | None:
    if result is None:
        return None
    value = ["e", *result.to_json()] if isinstance(result, ParsedEntry) else ["b", *result]
    text = _dumps(value)
    return text if len(text) <= MAX_ROW_CHARS else None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _strs(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("not a list of strings")
    return value


def _entry(data: list[Any]) -> ParsedEntry:
    key, entry_type, line, fields, persons, undefined, oversized = data
    if not (isinstance(key, str) and isinstance(entry_type, str) and type(line) is int
            and isinstance(fields, dict) and isinstance(persons, dict)):
        raise TypeError("not an entry")
    if not all(isinstance(v, str) for v in fields.values()):
        raise TypeError("a field that is not text")
    return ParsedEntry(key, entry_type, line, fields, {str(k): _strs(v) for k, v in persons.items()},
                       [_pair(p) for p in undefined], [_pair(p) for p in oversized])


def _pair(value: Any) -> list[str]:
    pair = _strs(value)
    if len(pair) != 2:
        raise TypeError("not a pair")
    return pair


def _broken(value: Any) -> Broken:
    message, line, key = value
    if not (isinstance(message, str) and type(line) is int and isinstance(key, str)):
        raise TypeError("not a broken block")
    return message, line, key


def decode_result(text: Any) -> ParsedEntry | Broken | None:
    """The parse stored in a row; None when there is none. ValueError when the row is not
    one evgrade wrote."""
    if text is None:
        return None
    if not isinstance(text, str) or len(text) > MAX_ROW_CHARS:
        raise ValueError("not a stored parse")
    try:
        value = json.loads(text)
        if not isinstance(value, list) or not value:
            raise TypeError("not a list")
        return _entry(value[1:]) if value[0] == "e" else _broken(value[1:]) if value[0] == "b" \
            else _fail()
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ValueError(f"not a stored parse ({exc})") from None


def _fail() -> Any:
    raise TypeError("unknown kind")


def block(seq: Any, folded: Any, key: Any, line: Any, start: Any, stop: Any, terminated: Any,
           command: Any, names: Any, result: Any) -> StoredBlock:
    ints = (seq, line, start, stop, terminated)
    if not (all(type(v) is int for v in ints) and 0 <= start <= stop and isinstance(folded, str)
            and isinstance(command, str) and isinstance(key, (str, type(None)))
            and isinstance(names, (str, type(None)))):
        raise ValueError("a row of the wrong types")
    return StoredBlock(seq, folded, key, line, start, stop, bool(terminated), command, names or "",
                       decode_result(result))


def encode_info(info: FileInfo) -> str:
    return _dumps({"strings": [list(s) for s in info.strings],
                   "broken": [list(b) for b in info.broken],
                   "oversized": [list(o) for o in info.oversized], "chars": info.chars,
                   "duplicates": info.duplicates})


def decode_info(text: Any, complete: Any) -> FileInfo:
    if not isinstance(text, str) or len(text) > MAX_INFO_CHARS or type(complete) is not int:
        raise ValueError("not stored file information")
    try:
        data = json.loads(text)
        strings = []
        for seq, name, value in data["strings"]:
            if not (type(seq) is int and isinstance(name, str) and isinstance(value, str)):
                raise TypeError("not a @string")
            strings.append((seq, name, value))
        chars = data["chars"]
        if type(chars) is not int or chars < 0:
            raise TypeError("not a length")
        return FileInfo(strings, [_broken(b) for b in data["broken"]],
                        [_broken(o) for o in data["oversized"]], chars, _strs(data["duplicates"]),
                        bool(complete))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ValueError(f"not stored file information ({exc})") from None
