"""The read stage: turn a file into a :class:`~evgrade.models.Document`.

Readers are looked up by file suffix in :data:`READERS`; other packages can add
readers through the ``evgrade.readers`` entry-point group (name = suffix, value
= a callable ``(text, path) -> Document``). Files with an unknown suffix are
read as plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .._registry import Registry
from ..claims.sentences import segment
from ..errors import InputError, UsageError
from ..models import Document
from . import html, latex, markdown, text

Reader = Callable[[str, str], Document]

READERS: Registry[Reader] = Registry("reader", "evgrade.readers")

FORMATS: dict[str, Reader] = {
    "text": text.read,
    "markdown": markdown.read,
    "latex": latex.read,
    "html": html.read,
}

for _suffix in (".txt", ".text"):
    READERS.register(_suffix, text.read)
for _suffix in (".md", ".markdown", ".qmd", ".rmd"):
    READERS.register(_suffix, markdown.read)
for _suffix in (".tex", ".ltx"):
    READERS.register(_suffix, latex.read)
for _suffix in (".html", ".htm"):
    READERS.register(_suffix, html.read)

__all__ = ["FORMATS", "READERS", "Reader", "decode", "read_path", "read_text", "reader_for"]


def reader_for(path: str | Path, format: str | None = None) -> Reader:
    """The reader for an explicit format name (or suffix), else for the file's suffix."""
    if format:
        reader = FORMATS.get(format.lower()) or READERS.get(
            format if format.startswith(".") else "." + format)
        if reader is None:
            known = ", ".join(sorted(FORMATS))
            raise UsageError(f"unknown input format {format!r} (known: {known})")
        return reader
    return READERS.get(Path(path).suffix) or text.read


def decode(data: bytes, path: str) -> str:
    """UTF-8 (a leading BOM is dropped); anything else is an InputError at the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode("utf-8")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        raise InputError(f"file is not UTF-8 (byte 0x{data[exc.start]:02x} cannot be decoded); "
                         "re-save it as UTF-8", path=path, line=line, col=col) from None


def read_path(path: str | Path, *, format: str | None = None) -> Document:
    """Read, decode and parse one file, then split its prose into sentences."""
    name = str(path)
    p = Path(path)
    if p.is_dir():
        raise InputError("is a directory, not a document", path=name)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=name) from None
    reader = reader_for(p, format)
    return _finish(reader(decode(data, name), name))


def read_text(source: str, *, path: str = "<string>", format: str = "text") -> Document:
    """Parse text already in memory (a string, not bytes)."""
    return _finish(reader_for(path, format)(source, path))


def _finish(doc: Document) -> Document:
    return segment(doc)
