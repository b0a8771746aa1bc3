"""Open the files of a load: read and split each one, or take it from the cache.

A file the cache holds is known by the hash of its bytes. Finding that hash means
reading the whole file, which on a large library is most of what a warm load of a few
keys costs; so the cache also keeps, for each path it has read, the file's stat and
hash (``cache.stat_token``). A file whose stat is the same as then is taken from the
cache unread; its bytes are read only when a block of it has to be parsed, and they
must then hash as recorded (``FileChangedError`` otherwise: the file changed during the
run). docs/bibliography.md, "The cache", says when a file is remembered so.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from .. import _files
from ..errors import FileChangedError
from . import cache as _bibcache
from . import csl as _csl
from ._sources import Source
from ._entry import CaseInsensitiveDict, new_macros

__all__ = ["decode_bib_bytes", "open_sources", "seen_rows"]


def decode_bib_bytes(data: bytes, path: str) -> str:
    """UTF-8 text of a .bib file (a UTF-8 BOM is dropped, line ends become "\\n"); anything
    else is an InputError pointing at the first byte that is not UTF-8."""
    text = _files.decode(data, path, what="bibliography",
                         hint="re-export the bibliography as UTF-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def open_sources(paths: Iterable[str | Path], cache: _bibcache.BibCache | None,
                 some_keys: bool = False) -> list[Source]:
    """The files, split (``some_keys`` and no cache to fill: each block made when it is read)
    or known from the cache, their @strings run in order."""
    sources: list[Source] = []
    macros = new_macros()
    usable = cache if cache is not None and cache.usable else None
    for p in paths:
        name = str(p)
        if _csl.is_csl(name):  # CSL-JSON / CSL-YAML: no macros, no cache (it parses fast)
            text = decode_bib_bytes(_read(name)[0], name)
            sources.append(Source(name, b"", text, [], csl=_csl.parse_csl(text, name)))
            continue
        src = _unread(name, macros, usable) if usable is not None else None
        sources.append(src if src is not None else _opened(name, macros, usable, some_keys))
    return sources


def seen_rows(sources: Iterable[Source]) -> list[tuple[str, str, str]]:
    """(real path, stat token, digest) of the files this load read and hashed."""
    return [src.seen for src in sources if src.seen is not None]


def _read(name: str) -> tuple[bytes, os.stat_result]:
    return _files.read_bytes_and_stat(name, what="bibliography", limit=_files.BIBLIOGRAPHY_LIMIT)


def _opened(name: str, macros: CaseInsensitiveDict, cache: _bibcache.BibCache | None,
            some_keys: bool) -> Source:
    """A file read now: taken from the cache by its hash, or decoded and split."""
    now = time.time_ns()
    data, info_stat = _read(name)
    src = Source(name, data, "", list(macros.items()))
    info = None
    if cache is not None:
        hexed = _bibcache.digest(data)
        src.cache_key = _bibcache.cache_key(hexed, src.macros_in)
        if _bibcache.settled(info_stat, now):
            src.seen = (os.path.realpath(name), _bibcache.stat_token(info_stat), hexed)
        info = cache.file(src.cache_key)
    src.decode = lambda: decode_bib_bytes(data, name)
    if info is not None:
        src.use_stored(info, macros)
    else:
        src.text = decode_bib_bytes(data, name)
        src.info.chars = len(src.text)
        src.scan(macros, lazy=some_keys and not src.cache_key)
    return src


def _unread(name: str, macros: CaseInsensitiveDict, cache: _bibcache.BibCache) -> Source | None:
    """A file whose stat is what the cache recorded with its hash, taken from the cache
    without reading it; None when the cache does not know it so."""
    info_stat = _files.stat_regular(name, what="bibliography", limit=_files.BIBLIOGRAPHY_LIMIT)
    known = cache.seen(os.path.realpath(name))
    if known is None or known[0] != _bibcache.stat_token(info_stat):
        return None
    src = Source(name, b"", "", list(macros.items()))
    src.cache_key = _bibcache.cache_key(known[1], src.macros_in)
    info = cache.file(src.cache_key)
    if info is None:
        return None
    src.decode = lambda: _reread(name, known[1])
    src.use_stored(info, macros)
    return src


def _reread(name: str, hexed: str) -> str:
    data = _read(name)[0]
    if _bibcache.digest(data) != hexed:
        raise FileChangedError("bibliography changed while evgrade was reading it; run again",
                               path=name)
    return decode_bib_bytes(data, name)
