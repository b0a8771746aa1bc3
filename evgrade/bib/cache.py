"""On-disk cache of parsed .bib files.

One JSON file per parsed .bib, named by a hash of the file's bytes, the @string
macros in force when the file starts (earlier files of the same call define
them) and the evgrade version. JSON rather than pickle so a tampered cache can
at worst be ignored. Anything unreadable is treated as a miss.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .._atomic import write_atomic
from .parse import ParsedEntry

FORMAT = 2  # bump when what is stored, or how it is derived, changes
SUBDIR = "bib"


@dataclass(slots=True)
class FileParse:
    """Everything the loader keeps from one file, before crossref and duplicate handling."""

    entries: list[ParsedEntry] = field(default_factory=list)
    broken: list[tuple[str, int, str]] = field(default_factory=list)  # (message, line, key)
    macros: list[tuple[str, str]] = field(default_factory=list)       # @string definitions, in order
    oversized: list[tuple[str, int, str]] = field(default_factory=list)  # @strings left out: (message, line, "")


def cache_key(data: bytes, macros_in: Iterable[tuple[str, str]]) -> str:
    h = hashlib.sha256(f"evgrade {__version__} bibcache {FORMAT}\0".encode())
    h.update(data)
    for name, value in sorted((n.lower(), v) for n, v in macros_in):
        h.update(b"\0" + name.encode("utf-8", "surrogatepass") + b"\1"
                 + value.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / SUBDIR / f"{key}.json"


def read(cache_dir: Path, key: str) -> FileParse | None:
    try:
        with open(_path(cache_dir, key), encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("format") != FORMAT or data.get("key") != key:
            return None
        return FileParse(
            entries=[ParsedEntry.from_json(e) for e in data["entries"]],
            broken=[(str(m), int(line), str(k)) for m, line, k in data["broken"]],
            macros=[(str(n), str(v)) for n, v in data["macros"]],
            oversized=[(str(m), int(line), str(k)) for m, line, k in data["oversized"]],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(cache_dir: Path, key: str, parse: FileParse) -> bool:
    """Store ``parse`` atomically (:func:`~evgrade._atomic.write_atomic`); False when the cache
    cannot be written."""
    target = _path(cache_dir, key)
    payload = {
        "format": FORMAT,
        "key": key,
        "entries": [e.to_json() for e in parse.entries],
        "broken": [list(b) for b in parse.broken],
        "macros": [list(m) for m in parse.macros],
        "oversized": [list(o) for o in parse.oversized],
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomic(target, data)
        return True
    except (OSError, ValueError, TypeError):
        return False
