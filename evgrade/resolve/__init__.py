"""Online resolution of identifiers against PubMed, Crossref and OpenAlex.

Offline, evgrade can only check that a DOI looks well-formed. Here each
entry's DOI/PMID is looked up, the record compared with the entry, and the
result is a :class:`~evgrade.models.Resolution` per key: verified, mismatch,
not-found, unverified (a lookup failed: nothing is known) or no-identifier.
See docs/resolution.md.
"""

from __future__ import annotations

from .designs import design_from_resolution
from .findings import resolution_findings
from .options import ResolveOptions, default_cache_dir
from .resolver import resolve_references

__all__ = [
    "ResolveOptions",
    "default_cache_dir",
    "design_from_resolution",
    "resolution_findings",
    "resolve_references",
]
