"""Crossref REST API: /works/{doi} for each DOI, and update notices from it.

One request per DOI rather than ``/works?filter=doi:a,doi:b``: single-record
lookups get the more generous rate limit (list queries are limited more
tightly), each answer is cached under its own DOI (a batch URL misses the
cache as soon as one DOI in it changes), and a 404 names exactly one DOI.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import quote

from ..models import ResolvedRecord, UpdateNotice
from ._http import FetchError, HttpClient

NoticeKind = Literal["retraction", "correction", "expression-of-concern", "other"]

# Crossref update types (https://www.crossref.org/documentation/crossmark/)
UPDATE_KINDS: dict[str, NoticeKind] = {
    "retraction": "retraction",
    "withdrawal": "retraction",
    "removal": "retraction",
    "correction": "correction",
    "corrigendum": "correction",
    "erratum": "correction",
    "addendum": "correction",
    "clarification": "correction",
    "expression_of_concern": "expression-of-concern",
    "expression-of-concern": "expression-of-concern",
}


def _first(values: Any) -> str:
    if isinstance(values, list) and values:
        return " ".join(str(values[0]).split())
    if isinstance(values, str):
        return " ".join(values.split())
    return ""


def _year(item: dict[str, Any]) -> str:
    for key in ("issued", "published", "published-print", "published-online", "created"):
        try:
            year = item[key]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if year:
            return str(year)
    return ""


def _first_author(item: dict[str, Any]) -> str:
    authors = [a for a in item.get("author") or [] if isinstance(a, dict)]
    first = next((a for a in authors if a.get("sequence") == "first"), authors[0] if authors else None)
    if not first:
        return ""
    return str(first.get("family") or first.get("name") or "")


def notices(item: dict[str, Any]) -> tuple[UpdateNotice, ...]:
    """``updated-by`` entries: notices published about this work."""
    out = []
    for upd in item.get("updated-by") or []:
        if not isinstance(upd, dict):
            continue
        kind = UPDATE_KINDS.get(str(upd.get("type", "")).lower(), "other")
        date = str((upd.get("updated") or {}).get("date-time", ""))[:10]
        out.append(UpdateNotice(kind=kind, doi=str(upd.get("DOI", "")).lower(), date=date,
                                source="crossref"))
    return tuple(out)


def record_from_item(item: dict[str, Any], identifier: str, source: str = "crossref") -> ResolvedRecord:
    updates = notices(item)
    return ResolvedRecord(
        source=source,  # type: ignore[arg-type]  # "crossref" or "search"
        identifier=identifier, status="found",
        title=_first(item.get("title")),
        venue=_first(item.get("container-title")),
        year=_year(item),
        first_author=_first_author(item),
        doi=str(item.get("DOI", "")).lower(),
        work_type=str(item.get("type", "")),
        retracted=any(u.kind == "retraction" for u in updates),
        updates=updates,
    )


def parse_work(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        raise FetchError("malformed body") from None
    if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
        raise FetchError("malformed body")
    return data["message"]


def fetch_one(client: HttpClient, doi: str) -> ResolvedRecord:
    opts = client.options
    ident = f"doi:{doi}"
    params = {"mailto": opts.mailto} if opts.mailto else None
    try:
        resp = client.request("crossref", "GET",
                              f"{opts.base_url('crossref')}/works/{quote(doi, safe='/')}",
                              params=params)
        if resp.status_code == 404:
            return ResolvedRecord(source="crossref", identifier=ident, status="not-found", doi=doi)
        return record_from_item(parse_work(resp.content), ident)
    except FetchError as exc:
        return ResolvedRecord(source="crossref", identifier=ident, status="error",
                              error=exc.reason, doi=doi)


def fetch(client: HttpClient, dois: Iterable[str]) -> dict[str, ResolvedRecord]:
    return {d: fetch_one(client, d) for d in dict.fromkeys(dois)}
