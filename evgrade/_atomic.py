"""Write a file so that readers see either the old bytes or the new, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, os.replace.

    The temp file must live in the target's folder because os.replace is only
    atomic within one file system. An existing file's permission bits are kept.
    On any failure (a full disk, a folder that cannot be written) the temp file is
    removed, ``path`` keeps its old bytes, and the OSError raised names ``path``
    (not the temp file, and not nothing, as a bare ENOSPC from write() would).
    """
    write_atomic_parts(path, (data,))


def write_atomic_parts(path: str | os.PathLike[str], parts: Iterable[bytes]) -> None:
    """:func:`write_atomic` of the bytes of ``parts`` joined, written as they come (a
    report streamed article by article): the file appears, whole, after the last part;
    a device, FIFO or socket is written to as the parts come."""
    target = Path(path)
    try:
        if _is_special(target):
            _write_through(target, parts)
            return
        _replace(target, parts)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), os.fspath(target)) from exc
    # make the rename itself durable where the platform allows opening a folder
    with contextlib.suppress(OSError):
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _is_special(target: Path) -> bool:
    """True for an existing device, FIFO or socket (``-o /dev/null``, ``-o /dev/stdout``).

    Replacing one by renaming a temporary file over it would put a regular file where
    the device was (as root, /dev/null itself); such a target is written to instead.
    """
    try:
        mode = target.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _write_through(target: Path, parts: Iterable[bytes]) -> None:
    fd = os.open(target, os.O_WRONLY)
    try:
        for part in parts:
            _write_all(fd, part)
    finally:
        os.close(fd)


def _replace(target: Path, parts: Iterable[bytes]) -> None:
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        try:
            for part in parts:
                _write_all(fd, part)
            os.fsync(fd)
        finally:
            os.close(fd)
        if mode is None:
            # mkstemp creates 0600; a new file should get the usual umask-based mode
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written (it may write fewer than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # a regular file that takes nothing will never take the rest
            raise OSError(errno.EIO, "the file system accepted no bytes")
        view = view[written:]
