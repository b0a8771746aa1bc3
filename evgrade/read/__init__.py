"""The read stage: turn a file into a :class:`~evgrade.models.Document`.

Readers are looked up by file suffix in :data:`READERS`; other packages can add
readers through the ``evgrade.readers`` entry-point group (name = suffix, value
= a callable ``(text, path) -> Document``). Files with an unknown suffix are
read as plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .. import _files
from .._registry import Registry
from ..claims.sentences import segment
from ..errors import UsageError
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
    return _files.decode(data, path, what="document")


def read_path(path: str | Path, *, format: str | None = None) -> Document:
    """Read, decode and parse one file, then split its prose into sentences."""
    name = str(path)
    data = _files.read_bytes(name, what="document")
    reader = reader_for(path, format)
    return _finish(reader(decode(data, name), name))


def read_text(source: str, *, path: str = "<string>", format: str = "text") -> Document:
    """Parse text already in memory (a string, not bytes)."""
    return _finish(reader_for(path, format)(source, path))


def _finish(doc: Document) -> Document:
    return segment(doc)
