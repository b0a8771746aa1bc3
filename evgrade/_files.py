"""Read a file a user handed evgrade: regular files only, a size cap, strict UTF-8.

Every stage that opens a user's file (documents, bibliographies, claim maps,
gold files) goes through here, so each refuses the same things in the same
words: a missing file, a directory, a device or FIFO (checked with ``os.stat``
before opening, so a FIFO never blocks the run), a file over the size cap,
bytes that are not UTF-8. Each refusal is one ``InputError`` (or the subclass
the caller names) carrying the path and, for a decode error, the line, column
and byte offset of the first bad byte.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from .errors import InputError

MB = 1_000_000
DOCUMENT_LIMIT = 50 * MB      # an article or draft; far above any real one
BIBLIOGRAPHY_LIMIT = 200 * MB  # a whole reference-manager library exported to one .bib
SETTINGS_LIMIT = 10 * MB      # a config or rubric file (TOML); real ones are a few KB

_BOM = b"\xef\xbb\xbf"


def read_bytes(path: str | os.PathLike[str], *, what: str = "file", limit: int = DOCUMENT_LIMIT,
               error: type[InputError] = InputError) -> bytes:
    """The bytes of the regular file ``path``; ``what`` names it in errors ("claim map")."""
    return read_bytes_and_stat(path, what=what, limit=limit, error=error)[0]


def stat_regular(path: str | os.PathLike[str], *, what: str = "file", limit: int = DOCUMENT_LIMIT,
                 error: type[InputError] = InputError) -> os.stat_result:
    """``os.stat`` of ``path``, refused in :func:`read_bytes`'s words unless it is a regular
    file within ``limit``."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise error(f"{what} not found", path=name) from None
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror or exc}", path=name) from None
    _check_regular(info, name, what, error)
    _check_size(info.st_size, name, what, limit, error)
    return info


def read_bytes_and_stat(path: str | os.PathLike[str], *, what: str = "file",
                        limit: int = DOCUMENT_LIMIT, error: type[InputError] = InputError
                        ) -> tuple[bytes, os.stat_result]:
    """:func:`read_bytes`, and the ``fstat`` of the open file taken before it was read (a
    write during the read changes the file's times, so the pair never outlives the bytes)."""
    name = os.fspath(path)
    stat_regular(name, what=what, limit=limit, error=error)
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the stat, opening it
        # still returns at once, and the fstat below refuses it
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror or exc}", path=name) from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        _check_regular(info, name, what, error)
        try:
            data = _read_up_to(fh, min(info.st_size, limit), limit)
        except OSError as exc:
            raise error(f"cannot read {what}: {exc.strerror or exc}", path=name) from None
    _check_size(len(data), name, what, limit, error)
    return data, info


def _read_up_to(fh: BinaryIO, expected: int, limit: int) -> bytes:
    """The file's bytes, at most ``limit + 1``. A read of ``n`` bytes first sets aside
    ``n``, so the file's own size (and one byte) is asked for, not the cap; a file that
    grew since its stat is read on, still no further than one byte past the cap."""
    data = fh.read(expected + 1)
    if len(data) > expected:
        data += fh.read(limit - expected)
    return data


def read_stream(stream: BinaryIO, name: str, *, what: str = "file", limit: int = DOCUMENT_LIMIT,
                error: type[InputError] = InputError) -> bytes:
    """At most ``limit`` bytes from an open binary stream (standard input): reading stops
    one byte past the cap, so an endless stream (``< /dev/zero``) ends in an error, not a hang."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= limit:   # in pieces: a read of the whole cap would set it aside at once
            chunk = stream.read(min(_PIECE, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror or exc}", path=name) from None
    _check_size(size, name, what, limit, error)
    return b"".join(chunks)


_PIECE = 1 << 20


def decode(data: bytes, path: str | os.PathLike[str], *, what: str = "file",
           hint: str = "re-save it as UTF-8", error: type[InputError] = InputError) -> str:
    """UTF-8 text of ``data`` (a leading BOM is dropped; nothing else is changed).

    Anything that is not UTF-8 is an error at the first bad byte: its line and
    column (in characters, as an editor counts them) and its offset in the file.
    """
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[skip:skip + exc.start].decode("utf-8")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        offset = skip + exc.start
        raise error(f"{what} is not UTF-8 (byte 0x{data[offset]:02X} at byte offset {offset}); {hint}",
                    path=os.fspath(path), line=line, col=col) from None


def read_text(path: str | os.PathLike[str], *, what: str = "file", limit: int = DOCUMENT_LIMIT,
              hint: str = "re-save it as UTF-8", error: type[InputError] = InputError) -> str:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(path, what=what, limit=limit, error=error), path,
                  what=what, hint=hint, error=error)


def _check_regular(info: os.stat_result, name: str, what: str, error: type[InputError]) -> None:
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return
    kind = ("a directory" if stat.S_ISDIR(mode) else
            "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise error(f"is {kind}, not a {what}", path=name)


def _check_size(size: int, name: str, what: str, limit: int, error: type[InputError]) -> None:
    if size > limit:
        raise error(f"{what} is larger than the {_limit(limit)} limit ({size:,} bytes)", path=name)


def _limit(limit: int) -> str:
    return f"{limit / MB:g} MB" if limit >= MB else f"{limit:,} bytes"


__all__ = ["BIBLIOGRAPHY_LIMIT", "DOCUMENT_LIMIT", "decode", "read_bytes", "read_bytes_and_stat",
           "read_stream", "read_text", "stat_regular"]
