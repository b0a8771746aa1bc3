"""Crossref REST API: DOIs in batches of ``/works?filter=doi:a,doi:b``, update notices.

Batching is the form Crossref staff give for several DOIs at once
(``filter=doi:10.5555/12345678,doi:10.5555/777766665555``, with the warning
"you may hit some URL size limits": CrossRef/rest-api-doc#301). Their server
allows 4,096 bytes for the request line (rest-api-doc#251), and a filter is
answered 20 rows a page unless ``rows`` says otherwise (osf.io#9102 batched 20
DOIs for that reason). So a batch holds at most BATCH DOIs and at most
MAX_FILTER_CHARS of URL-encoded filter, ``rows`` equals the batch size, and
``select`` keeps the reference lists (often most of a record) out of the answer.

A DOI missing from a successful batch answer is *not* taken as not-found: a
filter can miss what ``/works/{doi}`` finds (an alias DOI, a value the filter
syntax mangles), so each one is confirmed with a single lookup and only that
lookup's 404 says "not found" - for exactly one DOI. A batch the server
refuses (400, 414...) is retried one DOI at a time; a batch that failed
(timeout, 5xx or 429 after retries, malformed body) leaves its DOIs "error",
so a service outage costs one failed request per batch, not one per DOI.

Each DOI's answer (its record, or the 404 of its single lookup) is also kept
on its own in the answer store, so a changed bibliography re-asks only the
DOIs it has not asked before, online or offline, whatever batches they fall in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import quote, urlencode

from ..models import DesignCall, ResolvedRecord, UpdateNotice
from ._http import FetchError
from .designs import design_from_work_type
from .interface import Source, SourceClient

NoticeKind = Literal["retraction", "correction", "expression-of-concern", "other"]

BATCH = 40                # DOIs per filter query
MAX_FILTER_CHARS = 2000   # URL-encoded filter value: half the 4,096-byte request line
# the fields record_from_item reads (updated-by holds the notices), the same
# whether an item comes from a list or from /works/{doi}
SELECT = ("DOI,title,container-title,author,issued,published,published-print,"
          "published-online,created,type,updated-by")
# the server refused the request itself, not the DOIs in it
REFUSED = frozenset({400, 413, 414, 431})

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
        source=source,  # "crossref" or "search"
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
    except (ValueError, RecursionError):  # RecursionError: nested too deep to decode
        raise FetchError("malformed body") from None
    if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
        raise FetchError("malformed body")
    return data["message"]


def _params(client: SourceClient, extra: dict[str, str] | None = None) -> dict[str, str] | None:
    params = dict(extra or {})
    if client.mailto:
        params["mailto"] = client.mailto
    return params or None


def _not_found(doi: str) -> ResolvedRecord:
    return ResolvedRecord(source="crossref", identifier=f"doi:{doi}", status="not-found", doi=doi)


def _error(doi: str, reason: str) -> ResolvedRecord:
    return ResolvedRecord(source="crossref", identifier=f"doi:{doi}", status="error",
                          error=reason, doi=doi)


def _slim(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in SELECT.split(",") if k in item}


def _space(client: SourceClient) -> str:
    """Where this Crossref's answers are stored: a mirror's never stand in for Crossref's."""
    return f"crossref {client.url}"


def _store(client: SourceClient, resp: Any, answers: dict[str, dict[str, Any] | None]) -> None:
    # an answer replayed from the HTTP cache is already stored: re-storing it
    # would restart its expiry. Kept only if the lookup's records are usable (HttpClient.holding).
    if not getattr(resp, "from_cache", False):
        client.http.remember(_space(client), answers)


def known(client: SourceClient, dois: Iterable[str]) -> dict[str, ResolvedRecord]:
    """Answers stored by earlier runs (ignored in refresh mode)."""
    unique = list(dict.fromkeys(dois))
    if client.options.mode == "refresh":
        return {}
    stored = client.http.answers.get(_space(client), unique)
    out = {d: record_from_item(item, f"doi:{d}") if item is not None else _not_found(d)
           for d, item in stored.items()}
    with client.http.stats.lock:
        client.http.stats.cached += len(out)
    return out


def fetch_one(client: SourceClient, doi: str) -> ResolvedRecord:
    """``/works/{doi}``: its 404 is the only "not-found" Crossref gives here."""
    try:
        resp = client.request("GET", f"{client.url}/works/{quote(doi, safe='/')}",
                              params=_params(client))
        if resp.status_code == 404:
            _store(client, resp, {doi: None})
            return _not_found(doi)
        item = parse_work(resp.content)
    except FetchError as exc:
        return _error(doi, exc.reason)
    _store(client, resp, {doi: _slim(item)})
    return record_from_item(item, f"doi:{doi}")


def _filter(dois: list[str]) -> str:
    return ",".join(f"doi:{d}" for d in dois)


def parse_items(body: bytes) -> list[dict[str, Any]]:
    message = parse_work(body)
    items = message.get("items")
    if not isinstance(items, list):
        raise FetchError("malformed body")
    return [item for item in items if isinstance(item, dict)]


def fetch_batch(client: SourceClient, dois: list[str]) -> dict[str, ResolvedRecord]:
    """One filter query for ``dois``; the DOIs it does not return are looked up one by one."""
    params = _params(client, {"filter": _filter(dois), "rows": str(len(dois)), "select": SELECT})
    try:
        resp = client.request("GET", f"{client.url}/works", params=params, listing=True)
        if resp.status_code != 200:  # a 404 for a list query says nothing about the DOIs
            raise FetchError(f"HTTP {resp.status_code}", resp.status_code)
        items = parse_items(resp.content)
    except FetchError as exc:
        if exc.status in REFUSED:
            return {d: fetch_one(client, d) for d in dois}
        return {d: _error(d, exc.reason) for d in dois}
    found: dict[str, dict[str, Any]] = {}
    asked = set(dois)
    for item in items:
        doi = str(item.get("DOI", "")).lower()
        if doi in asked:
            found.setdefault(doi, item)
    _store(client, resp, {d: _slim(item) for d, item in found.items()})
    return {d: record_from_item(found[d], f"doi:{d}") if d in found else fetch_one(client, d)
            for d in dois}


def _cost(doi: str) -> int:
    return len(urlencode({"": f"doi:{doi},"})) - 1  # encoded "doi:<doi>,"


def alone(doi: str) -> bool:
    """A DOI that cannot share a filter: it contains a comma (commas separate
    filters) or is too long to share a URL with anything."""
    return "," in doi or _cost(doi) > MAX_FILTER_CHARS


def batches(dois: Iterable[str]) -> tuple[list[list[str]], list[str]]:
    """Stable batches (sorted DOIs) within BATCH and MAX_FILTER_CHARS, and DOIs to look up alone."""
    unique = sorted(set(dois))
    out: list[list[str]] = []
    current: list[str] = []
    size = 0
    for doi in unique:
        if "," in doi:
            continue
        cost = _cost(doi)
        if current and (len(current) == BATCH or size + cost > MAX_FILTER_CHARS):
            out.append(current)
            current, size = [], 0
        if cost > MAX_FILTER_CHARS:
            continue  # too long to share a URL with anything: alone
        current.append(doi)
        size += cost
    if current:
        out.append(current)
    return out, [d for d in unique if alone(d)]


class Crossref(Source):
    """Crossref REST API: DOIs, and the notices (retraction, correction...) about them."""

    name = "crossref"
    label = "Crossref"
    kinds = frozenset({"doi"})
    url = "https://api.crossref.org"

    # Crossref (revised Dec 2025; each response states them in x-rate-limit-*
    # headers): public pool 5/s with 1 concurrent request, polite pool (mailto
    # given) 10/s with 3. "Lists of records (queries, filters)" are counted apart
    # from single-DOI lookups: 3/s polite, 1/s public.
    def default_rate(self, options: Any, api_key: str) -> float:
        return 10.0 if options.mailto else 5.0

    def default_list_rate(self, options: Any, api_key: str) -> float | None:
        return 3.0 if options.mailto else 1.0

    def default_concurrency(self, options: Any, api_key: str) -> int:
        return 3 if options.mailto else 1

    def batches(self, kind: str, values: list[str]) -> list[list[str]]:
        groups, single = batches(values)
        return groups + [[d] for d in single]

    def known(self, client: SourceClient, kind: str, values: list[str]) -> dict[str, ResolvedRecord]:
        return known(client, values)

    def lookup(self, client: SourceClient, kind: str, batch: list[str]) -> dict[str, ResolvedRecord]:
        if len(batch) == 1 and alone(batch[0]):
            return {batch[0]: fetch_one(client, batch[0])}
        return fetch_batch(client, batch)

    def design(self, record: ResolvedRecord) -> DesignCall | None:
        return design_from_work_type(self.name, record.work_type)
