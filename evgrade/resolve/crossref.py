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

from ..models import ResolvedRecord, UpdateNotice
from ._http import FetchError, HttpClient

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


def _params(opts: Any, extra: dict[str, str] | None = None) -> dict[str, str] | None:
    params = dict(extra or {})
    if opts.mailto:
        params["mailto"] = opts.mailto
    return params or None


def _not_found(doi: str) -> ResolvedRecord:
    return ResolvedRecord(source="crossref", identifier=f"doi:{doi}", status="not-found", doi=doi)


def _error(doi: str, reason: str) -> ResolvedRecord:
    return ResolvedRecord(source="crossref", identifier=f"doi:{doi}", status="error",
                          error=reason, doi=doi)


def _slim(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in SELECT.split(",") if k in item}


def _store(client: HttpClient, resp: Any, answers: dict[str, dict[str, Any] | None]) -> None:
    # an answer replayed from the HTTP cache is already stored: re-storing it
    # would restart its expiry
    if not getattr(resp, "from_cache", False):
        client.answers.put("crossref", answers)


def known(client: HttpClient, dois: Iterable[str]) -> tuple[dict[str, ResolvedRecord], list[str]]:
    """Answers stored by earlier runs (ignored in refresh mode), and the DOIs still to ask."""
    unique = list(dict.fromkeys(dois))
    if client.options.mode == "refresh":
        return {}, unique
    stored = client.answers.get("crossref", unique)
    out = {d: record_from_item(item, f"doi:{d}") if item is not None else _not_found(d)
           for d, item in stored.items()}
    with client.stats.lock:
        client.stats.cached += len(out)
    return out, [d for d in unique if d not in stored]


def fetch_one(client: HttpClient, doi: str) -> ResolvedRecord:
    """``/works/{doi}``: its 404 is the only "not-found" Crossref gives here."""
    opts = client.options
    try:
        resp = client.request("crossref", "GET",
                              f"{opts.base_url('crossref')}/works/{quote(doi, safe='/')}",
                              params=_params(opts))
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


def fetch_batch(client: HttpClient, dois: list[str]) -> dict[str, ResolvedRecord]:
    """One filter query for ``dois``; the DOIs it does not return are looked up one by one."""
    opts = client.options
    params = _params(opts, {"filter": _filter(dois), "rows": str(len(dois)), "select": SELECT})
    try:
        resp = client.request("crossref", "GET", f"{opts.base_url('crossref')}/works",
                              params=params, listing=True)
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


def batches(dois: Iterable[str]) -> tuple[list[list[str]], list[str]]:
    """Stable batches (sorted DOIs) within BATCH and MAX_FILTER_CHARS, and DOIs to look up alone.

    A DOI containing a comma cannot be a filter value (commas separate filters).
    """
    unique = sorted(set(dois))
    single = [d for d in unique if "," in d]
    out: list[list[str]] = []
    current: list[str] = []
    size = 0
    for doi in unique:
        if "," in doi:
            continue
        cost = len(urlencode({"": f"doi:{doi},"})) - 1  # encoded "doi:<doi>,"
        if current and (len(current) == BATCH or size + cost > MAX_FILTER_CHARS):
            out.append(current)
            current, size = [], 0
        if cost > MAX_FILTER_CHARS:
            single.append(doi)  # too long to share a URL with anything
            continue
        current.append(doi)
        size += cost
    if current:
        out.append(current)
    return out, sorted(single)


def fetch(client: HttpClient, dois: Iterable[str]) -> dict[str, ResolvedRecord]:
    groups, single = batches(dois)
    out: dict[str, ResolvedRecord] = {}
    for group in groups:
        out.update(fetch_batch(client, group))
    out.update((d, fetch_one(client, d)) for d in single)
    return out
