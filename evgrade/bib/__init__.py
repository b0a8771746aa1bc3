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

from .._registry import lazy_names
from .load import Bibliography, load_bibliography

__all__ = ["Bibliography", "load_bibliography", "set_fields", "set_fields_many", "write_fields"]

# the writer's functions, imported on first use: a run that only reads never loads it
__getattr__ = lazy_names(__name__, dict.fromkeys(["set_fields", "set_fields_many", "write_fields"],
                                                 "writer"))
