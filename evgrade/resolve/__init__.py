"""Online resolution of identifiers against PubMed, Crossref, OpenAlex and plugin sources.

Offline, evgrade can only check that a DOI looks well-formed. Here each
entry's identifiers are looked up by every registered source that answers
their kind, the records compared with the entry, and the result is a
:class:`~evgrade.models.Resolution` per key: verified, mismatch, not-found,
unverified (a lookup failed: nothing is known) or no-identifier. A source is a
:class:`Source` (interface.py) in the registry (registry.py): the built-ins, and
plugins from the ``evgrade.resolvers`` entry points. See docs/resolution.md.
"""

from __future__ import annotations

from ._http import FetchError
from .findings import resolution_findings
from .interface import Settings, Source, SourceClient, SourceSettings
from .options import ResolveOptions, default_cache_dir
from .registry import design_from_resolution
from .resolver import resolve_references

__all__ = [
    "FetchError",
    "ResolveOptions",
    "Settings",
    "Source",
    "SourceClient",
    "SourceSettings",
    "default_cache_dir",
    "design_from_resolution",
    "resolution_findings",
    "resolve_references",
]
