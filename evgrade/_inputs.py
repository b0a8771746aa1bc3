"""The inputs of a run: files and folders named on the command line, and standard input."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, UsageError
from .models import Document
from .read import read_path, read_stream, suffix_list, suffixes

STDIN = "-"   # an input named "-" is standard input (a file named "-" is "./-")


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files given directly, plus readable files (by suffix) inside given folders; "-"
    (standard input) is kept as it is, once."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if str(raw) == STDIN:
            if p in out:
                raise UsageError("standard input ('-') can be read only once")
            out.append(p)
        elif p.is_dir():
            claimed = suffixes()   # once per folder, not once per file
            found = sorted(f for f in p.iterdir()
                           if f.suffix.lower() in claimed and f.is_file() and f.name.lower() != "readme.md")
            if not found:
                raise InputError(f"folder holds no readable article ({suffix_list()})", path=str(p))
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError("no such file or folder", path=str(p))
    return out


def read_documents(paths: Sequence[str | Path], *, stdin_format: str = "text",
                   stdin: BinaryIO | None = None) -> list[Document]:
    """Read every input; an article with no text at all is an input error, not an empty report.

    An input named "-" is read from ``stdin`` (default: the process's standard input)
    with the reader ``stdin_format``, under the same size cap as a file, as "<stdin>".
    """
    documents = []
    for p in expand_inputs(paths):
        if str(p) == STDIN:
            doc = read_stream(stdin if stdin is not None else sys.stdin.buffer, format=stdin_format)
        else:
            doc = read_path(p)
        if not doc.text.strip():
            raise InputError("empty file: there is no text to grade", path=doc.path)
        documents.append(doc)
    return documents
