"""Title search for entries without identifier (Crossref ``query.bibliographic``).

The best candidate is only *suggested* (EV407) when it matches the entry by
the same rule used to verify identifiers; it is never written into the bib.
"""

from __future__ import annotations

import json
from typing import Any

from ..models import Reference, ResolvedRecord
from ._http import FetchError
from .crossref import record_from_item
from .interface import Source, SourceClient
from .verify import compare, family_name

ROWS = 3
FIELDS = "DOI,title,author,issued,published,type,container-title,updated-by"


def query_text(ref: Reference) -> str:
    parts = [ref.title]
    if ref.authors:
        parts.append(family_name(ref.authors[0]))
    if ref.year:
        parts.append(ref.year)
    return " ".join(p for p in parts if p)


def _candidates(client: SourceClient, ref: Reference) -> list[Any]:
    params = {"query.bibliographic": query_text(ref), "rows": str(ROWS), "select": FIELDS}
    if client.mailto:
        params["mailto"] = client.mailto
    resp = client.request("GET", f"{client.url}/works", params=params, listing=True)
    if resp.status_code != 200:
        raise FetchError(f"HTTP {resp.status_code}")
    try:
        items = json.loads(resp.content)["message"]["items"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise FetchError("malformed body") from None
    if not isinstance(items, list):
        raise FetchError("malformed body")
    return items


def search(client: SourceClient, ref: Reference) -> tuple[ResolvedRecord, float | None]:
    """(record, score): the best candidate, or a not-found/error record and None."""
    ident = f"title:{ref.title[:80]}"
    try:
        items = _candidates(client, ref)
    except FetchError as exc:
        return ResolvedRecord(source="search", identifier=ident, status="error",
                              error=exc.reason), None
    best: tuple[ResolvedRecord, float] | None = None
    for item in items:
        if not isinstance(item, dict) or not item.get("DOI"):
            continue
        rec = record_from_item(item, ident, source="search")
        match = compare(ref, rec)
        if match.matches and match.score is not None and (best is None or match.score > best[1]):
            best = (rec, match.score)
    if best is None:
        return ResolvedRecord(source="search", identifier=ident, status="not-found"), None
    return best


class TitleSearch(Source):
    """Crossref ``query.bibliographic`` for entries without identifier; on with ``search``."""

    name = "search"
    label = "title search"
    kinds = frozenset({"title"})
    host = "crossref"  # Crossref's API, URL and limits: on whenever Crossref is

    def search(self, client: SourceClient, ref: Reference) -> tuple[ResolvedRecord, float | None]:
        return search(client, ref)
