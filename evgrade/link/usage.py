"""Where each bibliography key is used: the documents' citations and the claim map's links.

``evgrade refs`` shows it per entry. Every citation in a document counts, also one
in a sentence that is no claim (``[@key]`` in a heading's paragraph, ``\\nocite``);
a claim-map link counts at the line of the claim it matched. Without documents, a
claim map still tells where a key is used: at the line of its ``[[claims]]`` entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from ..models import Claim, Document, Link, Model, Reference
from .citations import _identifier_index, cited_in, resolve_key
from .claimmap import ClaimMap

__all__ = ["CitedAt", "cited_places"]


class CitedAt(Model):
    """One place that uses a key: a citation in a document, or a claim-map link."""

    path: str                   # the document, or the claim map when no document was read
    line: int | None = None
    via: Literal["citation", "map"]

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return where if self.via == "citation" else f"{where} (map)"


def cited_places(documents: Sequence[Document], bibliography: Mapping[str, Reference], *,
                 claims: Iterable[Claim] = (), links: Iterable[Link] = (),
                 claim_map: ClaimMap | None = None) -> dict[str, tuple[CitedAt, ...]]:
    """Places per bibliography key (cited keys that are not in the bibliography too), in
    document order; a manubot key (``doi:...``) counts for the entry carrying it."""
    index = _identifier_index(bibliography)
    found: dict[str, list[CitedAt]] = {}

    def add(key: str, place: CitedAt) -> None:
        places = found.setdefault(key, [])
        if place not in places:
            places.append(place)

    # pandoc's @* (cite everything) names nothing; pandoc-crossref's [@fig:x] is no citation
    for doc, cite, key in cited_in(documents):
        add(resolve_key(key, bibliography, index),
            CitedAt(path=doc.path, line=cite.span.line, via="citation"))
    where = {c.id: (c.article, c.span.line) for c in claims}
    for link in links:
        if link.via == "map" and link.claim_id in where:
            path, line = where[link.claim_id]
            add(link.key, CitedAt(path=path, line=line, via="map"))
    if claim_map is not None and not documents:
        for entry in claim_map.entries:
            for key in entry.all_keys:  # the whole claim's links and its parts'
                add(key, CitedAt(path=claim_map.path, line=entry.line, via="map"))
    return {key: tuple(places) for key, places in found.items()}
