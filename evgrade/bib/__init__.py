"""Bibliographies: read ``.bib`` files into references, and edit them in place.

Loading cuts a file into top-level blocks (:mod:`.split`), parses each block on
its own with pybtex (:mod:`.parse`), turns LaTeX into Unicode (:mod:`.latex`)
and builds :class:`~evgrade.models.Reference` records (:mod:`.reference`, put
together by :mod:`.load`); a broken block becomes a finding, never a lost file.
:mod:`.identifiers` checks DOI, PMID and friends; :mod:`.cache` keeps parsed
files keyed by content. It never decides what an entry is worth, and it never
rewrites a byte of a user's file that it was not asked to change.
"""

from __future__ import annotations

from typing import Any

from .load import Bibliography, load_bibliography

__all__ = ["Bibliography", "load_bibliography", "set_fields", "set_fields_many", "write_fields"]

_WRITER = ("set_fields", "set_fields_many", "write_fields")


def __getattr__(name: str) -> Any:
    """The writer's functions, imported on first use: a run that only reads never loads it."""
    if name in _WRITER:
        from . import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
