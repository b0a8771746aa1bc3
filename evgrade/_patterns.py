"""Regular expressions compiled once per machine, not once per run.

A warm ``evgrade check`` spent 0.08 s of its 0.5 s compiling the rules' 400-odd
patterns. Python's :mod:`re` turns each pattern into a program of integers for its
matching engine, ``_sre``, in pure Python, anew in every process. :func:`compile` keeps
those programs in one JSON file per Python build (``patterns-<tag>.json`` in the cache
folder) and hands them straight to the engine on later runs.

It is off until the command line calls :func:`use` (the library alone compiles as
:func:`re.compile` does), and off under ``EVGRADE_NO_CACHE``. A program is stored only
after a pattern built from it compared equal to ``re.compile``'s own (same flags, code,
groups and group names); a stored one is checked again by the engine's own validator,
which rejects malformed code, and anything it rejects is compiled afresh. The file holds
integers and strings, never code: a damaged file costs time, and an edited one cannot run
anything, though a valid program put in by hand would change what its pattern matches.
Relies on CPython's ``re._parser``, ``re._compiler`` and ``_sre.compile``; where they are
not as expected, every pattern is compiled by :func:`re.compile`.
"""

from __future__ import annotations

import json
import re
import sys
from array import array
from collections.abc import Callable
from pathlib import Path

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # not CPython: nothing to keep
    _sre = None  # type: ignore[assignment]

FORMAT = 2
KEEP = 4000                    # programs kept; the ones the last run used go first
BUDGET = 2_000_000             # characters of pattern and code kept in all (evgrade's: ~150,000)
MAX_BYTES = 32 * 1024 * 1024   # a larger file is not read
MEMO = 4096                    # patterns a process keeps compiled, as re's own cache does

# a kept program as the file has it: [final flags, code words as hex, groups, group index,
# index group]; a row of the file is [pattern, flags, *program]
Program = list


def _code_type() -> str | None:
    """The array type code of the engine's code words (4 bytes on CPython); None where the
    engine is not CPython's, and nothing is kept."""
    needed = ("compile", "CODESIZE", "MAGIC", "MAXREPEAT", "MAXGROUPS")
    if _sre is None or not all(hasattr(_sre, name) for name in needed):
        return None
    return next((t for t in "ILQ" if array(t).itemsize == _sre.CODESIZE), None)


# a program's code is kept as the hex of its words, which decodes ten times faster than
# a JSON list of numbers (13 ms for evgrade's 400 patterns)
_CODE = _code_type()


def _header() -> dict[str, object]:
    return {"format": FORMAT, "python": sys.version, "byteorder": sys.byteorder,
            "sre": [_sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS]}


class _Store:
    def __init__(self) -> None:
        self.path: Path | None = None
        self.saved: dict[tuple[str, int], Program] = {}
        self.used: dict[tuple[str, int], Program] = {}     # what this run compiled, in order
        self.compiled: dict[tuple[str, int], re.Pattern[str]] = {}
        self.missed = False
        self.find: Callable[[], Path | None] | None = None  # where the folder is, asked at the first compile
        self.loaded = False   # the file too is read then: `evgrade codes` compiles nothing


_STORE = _Store()


def file_for(folder: Path) -> Path:
    return folder / f"patterns-{sys.implementation.cache_tag}.json"


def use(folder: Path | Callable[[], Path | None] | None) -> None:
    """Compile through the programs kept in ``folder`` (None: compile afresh, keep nothing).
    A callable giving the folder is called at the first compile, and the file read then."""
    global _STORE
    _STORE = _Store()
    if _CODE is None or folder is None:
        return
    if callable(folder):
        _STORE.find = folder
    else:
        _STORE.path = file_for(folder)


def _open(store: _Store) -> None:
    """At the first compile: the file's place, then its programs."""
    if store.find is not None:
        folder, store.find = store.find(), None
        store.path = None if folder is None else file_for(folder)
    store.loaded = True
    if store.path is not None:
        store.saved = _read(store.path)


def _read(path: Path) -> dict[tuple[str, int], Program]:
    from ._files import read_bytes  # regular files only, opened without blocking, size capped
    from .errors import InputError

    try:
        data = json.loads(read_bytes(path, what="pattern cache", limit=MAX_BYTES))
    except (OSError, InputError, ValueError, RecursionError):
        return {}  # none yet, or not one this module wrote: this run writes a fresh one
    if not isinstance(data, dict) or data.get("header") != _header():
        return {}  # another Python's programs, or another layout
    saved: dict[tuple[str, int], Program] = {}
    for row in data.get("patterns") or ():
        if (isinstance(row, list) and len(row) == 7 and isinstance(row[0], str) and type(row[1]) is int
                and isinstance(row[3], str)):
            saved[(row[0], row[1])] = row[2:]
    return saved


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:  # noqa: A001
    """:func:`re.compile`, from a kept program when there is one."""
    flags = int(flags)
    store = _STORE
    if not store.loaded and (store.path or store.find):
        _open(store)
    if store.path is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    compiled = store.compiled.get(key)
    if compiled is None:
        compiled = _from_saved(store, key) or _afresh(store, key)
        if len(store.compiled) < MEMO:
            store.compiled[key] = compiled
    return compiled


def _from_saved(store: _Store, key: tuple[str, int]) -> re.Pattern[str] | None:
    row = store.saved.get(key)
    if row is None:
        return None
    try:
        final, words, groups, groupindex, indexgroup = row
        code = array(_CODE, bytes.fromhex(words)).tolist()
        compiled = _sre.compile(key[0], final, code, groups, groupindex, tuple(indexgroup))
    except Exception:  # noqa: BLE001 - a program the engine rejects, in any way: compile afresh
        del store.saved[key]
        return None
    store.used[key] = row
    return compiled


def _afresh(store: _Store, key: tuple[str, int]) -> re.Pattern[str]:
    compiled = re.compile(*key)
    program = _program(*key, compiled)
    if program is not None:
        store.used[key] = program
        store.missed = True
    return compiled


def _program(pattern: str, flags: int, compiled: re.Pattern[str]) -> Program | None:
    """What ``re`` hands the engine for ``pattern``, if it rebuilds ``compiled`` exactly."""
    try:
        tree = _parser.parse(pattern, flags)
        code = _compiler._code(tree, flags)
        groupindex = dict(tree.state.groupdict)
        indexgroup: list[str | None] = [None] * tree.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final, groups = flags | tree.state.flags, tree.state.groups - 1
        rebuilt = _sre.compile(pattern, final, code, groups, groupindex, tuple(indexgroup))
    except Exception:  # re's internals are not what this module expects
        return None
    same = (rebuilt == compiled and rebuilt.groups == compiled.groups
            and rebuilt.groupindex == compiled.groupindex)
    return [final, array(_CODE, code).tobytes().hex(), groups, groupindex, indexgroup] if same else None


def save() -> None:
    """Write the kept programs if this run compiled any pattern afresh; best effort."""
    store = _STORE
    if store.path is None or not store.missed:
        return
    rows = [[*key, *program] for key, program in store.used.items()]
    rows += [[*key, *program] for key, program in store.saved.items() if key not in store.used]
    size = 0
    for n, row in enumerate(rows):   # the ones this run used first, then the older ones
        size += len(row[0]) + len(row[3]) // (2 * _sre.CODESIZE)
        if n == KEEP or size > BUDGET:
            del rows[n:]
            break
    data = json.dumps({"header": _header(), "patterns": rows}, separators=(",", ":"))
    from ._atomic import write_atomic

    try:
        store.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(store.path, data.encode())
    except OSError:
        return  # a read-only cache folder: the next run compiles afresh, as this one did
    store.missed = False
