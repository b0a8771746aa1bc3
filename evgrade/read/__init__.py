"""The read stage: turn a file's bytes into a :class:`~evgrade.models.Document`.

Takes the bytes of one file and its path; gives a Document: the decoded text,
the prose mask, blocks, citations, suppressions and the bibliography the file
names, every offset that of the file as it is on disk. It never splits
sentences (the claims stage does), never looks at a bibliography's contents
and never judges a claim.

Each reader is one :class:`ReaderSpec` (format name, suffixes, ``read(data,
path)``) in the :data:`READERS` registry; other packages add readers through
the ``evgrade.readers`` entry-point group (name = the format name, value = a
``ReaderSpec``). Everything else (which reader a suffix gets, which files in a
folder are articles, the list shown in ``--help``) is derived from the
registry. A file whose suffix no reader claims is read as plain text.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

from .. import _files
from .._registry import Registry
from ..errors import UsageError
from ..models import Document

Reader = Callable[[bytes, str], Document]   # (the file's bytes, its path) -> Document
Parser = Callable[[str, str], Document]     # (decoded text, path) -> Document


def decode(data: bytes, path: str) -> str:
    """The one decode every text reader uses: UTF-8, a leading BOM dropped; anything else
    is an InputError naming the line, column and byte offset of the first bad byte."""
    return _files.decode(data, path, what="document")


def _decode_then(parse: Parser, data: bytes, path: str) -> Document:
    return parse(decode(data, path), path)


@dataclass(frozen=True)
class ReaderSpec:
    """One reader: its format name, the file suffixes it claims, and ``read(data, path)``.

    ``suffixes`` are matched case-insensitively and written with their dot
    (".md"); the first is the one shown in short lists. ``parse`` is set for text
    formats (:meth:`for_text`), so :func:`read_text` can hand them a string that is
    already decoded; a reader of a binary format leaves it None.
    """

    name: str
    suffixes: tuple[str, ...]
    read: Reader = field(repr=False)
    parse: Parser | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.name.lower())
        object.__setattr__(self, "suffixes", tuple(
            s.lower() if s.startswith(".") else "." + s.lower() for s in self.suffixes))

    @classmethod
    def for_text(cls, name: str, suffixes: tuple[str, ...], parse: Parser) -> ReaderSpec:
        """A reader for a UTF-8 text format: the shared :func:`decode`, then ``parse``."""
        return cls(name, suffixes, read=partial(_decode_then, parse), parse=parse)


READERS: Registry[ReaderSpec] = Registry("reader", "evgrade.readers")


@dataclass(frozen=True)
class _Builtin:
    """A built-in reader's ``read(text, path)``, its module imported on the first call: reading
    a text file does not pay for the Markdown, LaTeX and HTML readers."""

    module: str

    def __call__(self, source: str, path: str) -> Document:
        parse: Parser = importlib.import_module(f"{__name__}.{self.module}").read
        return parse(source, path)


# built-in readers, in the order short lists show them; they win any suffix a plugin also claims
_BUILTIN = (
    ReaderSpec.for_text("text", (".txt", ".text"), _Builtin("text")),
    ReaderSpec.for_text("markdown", (".md", ".markdown", ".qmd", ".rmd"), _Builtin("markdown")),
    ReaderSpec.for_text("latex", (".tex", ".ltx"), _Builtin("latex")),
    ReaderSpec.for_text("html", (".html", ".htm"), _Builtin("html")),
)
for _spec in _BUILTIN:
    READERS.register(_spec.name, _spec)

_FALLBACK = "text"  # the reader of a file whose suffix no reader claims


def readers() -> list[ReaderSpec]:
    """Every registered reader: the built-ins first, then added ones by name."""
    builtin = [s.name for s in _BUILTIN]
    names = builtin + [n for n in READERS.names() if n not in builtin]
    return [_spec_named(n) for n in names]


def _spec_named(name: str) -> ReaderSpec:
    spec = READERS.get(name)
    if not isinstance(spec, ReaderSpec) or spec.name != name.lower():
        raise UsageError(f"the reader registered as {name!r} (entry point group 'evgrade.readers') "
                         f"is not a ReaderSpec named {name!r}: {spec!r}")
    return spec


def suffixes() -> dict[str, ReaderSpec]:
    """Suffix -> reader, for every suffix some reader claims (the first reader wins)."""
    out: dict[str, ReaderSpec] = {}
    for spec in readers():
        for suffix in spec.suffixes:
            out.setdefault(suffix, spec)
    return out


def readable(path: str | Path) -> bool:
    """True when some reader claims this file's suffix (a folder's articles are those whose
    suffix is in :func:`suffixes`, worked out once per folder: ``_inputs.expand_inputs``)."""
    return Path(path).suffix.lower() in suffixes()


def suffix_list() -> str:
    """The claimed suffixes as shown to a user: ".txt, .text, .md, ..."."""
    return ", ".join(suffixes())


def reader_for(path: str | Path, format: str | None = None) -> ReaderSpec:
    """The reader for an explicit format name (or suffix), else for the file's suffix."""
    if format:
        key = format.lower()
        spec = READERS.get(key) or suffixes().get(key if key.startswith(".") else "." + key)
        if spec is None:
            known = ", ".join(s.name for s in readers())
            raise UsageError(f"unknown input format {format!r} (known: {known})")
        return _spec_named(spec.name)
    suffix = Path(path).suffix.lower()
    builtin = next((spec for spec in _BUILTIN if suffix in spec.suffixes), None)  # no plugin beats it
    return builtin or suffixes().get(suffix) or _spec_named(_FALLBACK)


def read_path(path: str | Path, *, format: str | None = None) -> Document:
    """Read one file (:mod:`evgrade._files`: regular files only, size cap) and parse it."""
    name = str(path)
    spec = reader_for(path, format)
    return _named(spec.read(_files.read_bytes(name, what="document"), name), spec)


STDIN_NAME = "<stdin>"   # the path of a document read from standard input


def read_stream(stream: BinaryIO, *, path: str = STDIN_NAME, format: str | None = "text") -> Document:
    """Read one document from an open binary stream (standard input), under the same size
    cap as a file; its reader is ``format`` (a reader name or suffix), plain text by default."""
    spec = reader_for(path, format or "text")
    return _named(spec.read(_files.read_stream(stream, path, what="document"), path), spec)


def read_bytes(data: bytes, *, path: str = "<bytes>", format: str | None = None) -> Document:
    """Parse a file's bytes already in memory; the reader is chosen as by :func:`read_path`."""
    spec = reader_for(path, format)
    return _named(spec.read(data, path), spec)


def _named(doc: Document, spec: ReaderSpec) -> Document:
    """The document says which reader made it (a plugin may build on a built-in's parser)."""
    return doc if doc.format == spec.name else doc.model_copy(update={"format": spec.name})


def read_text(source: str, *, path: str = "<string>", format: str = "text") -> Document:
    """Parse text already in memory (a string, not bytes) with a text format's reader."""
    spec = reader_for(path, format)
    if spec.parse is None:
        raise UsageError(f"the {spec.name} reader reads bytes, not text: use read_path or read_bytes")
    return spec.parse(source, path)


__all__ = ["READERS", "Reader", "ReaderSpec", "STDIN_NAME", "decode", "read_bytes", "read_path", "read_stream",
           "read_text", "readable", "reader_for", "readers", "suffix_list", "suffixes"]
