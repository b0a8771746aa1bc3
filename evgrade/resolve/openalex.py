"""OpenAlex: type, retraction flag and the PMID of DOIs, 50 DOIs per request.

The PMID OpenAlex reports is how DOI-only entries reach PubMed's publication
types without an extra esearch round trip per DOI (NCBI's idconv would only
cover articles deposited in PMC).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from ..models import ResolvedRecord
from ._http import FetchError, HttpClient

BATCH = 50  # OpenAlex's limit on OR-ed values in one filter
_PMID = re.compile(r"(\d+)\s*$")


def _strip_doi(value: str) -> str:
    value = (value or "").strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def record_from_work(work: dict[str, Any], doi: str) -> ResolvedRecord:
    ids = work.get("ids") or {}
    pmid_match = _PMID.search(str(ids.get("pmid") or ""))
    first_author = ""
    for authorship in work.get("authorships") or []:
        name = ((authorship or {}).get("author") or {}).get("display_name") \
            or (authorship or {}).get("raw_author_name") or ""
        if name:
            first_author = name.split()[-1]  # display names are "Given Family"
            break
    venue = (((work.get("primary_location") or {}).get("source")) or {}).get("display_name") or ""
    year = work.get("publication_year")
    return ResolvedRecord(
        source="openalex", identifier=f"doi:{doi}", status="found",
        title=" ".join(str(work.get("title") or work.get("display_name") or "").split()),
        venue=str(venue), year=str(year) if year else "", first_author=first_author,
        doi=_strip_doi(str(work.get("doi") or "")) or doi,
        pmid=pmid_match.group(1) if pmid_match else "",
        work_type=str(work.get("type") or ""),
        retracted=bool(work.get("is_retracted")),
    )


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise FetchError("malformed body") from None


def _error(doi: str, reason: str) -> ResolvedRecord:
    return ResolvedRecord(source="openalex", identifier=f"doi:{doi}", status="error",
                          error=reason, doi=doi)


def _missing(doi: str) -> ResolvedRecord:
    return ResolvedRecord(source="openalex", identifier=f"doi:{doi}", status="not-found", doi=doi)


def fetch_batch(client: HttpClient, dois: list[str]) -> dict[str, ResolvedRecord]:
    opts = client.options
    params = {"filter": "doi:" + "|".join(dois), "per-page": str(BATCH)}
    if opts.mailto:
        params["mailto"] = opts.mailto
    try:
        resp = client.request("openalex", "GET", f"{opts.base_url('openalex')}/works", params=params)
        if resp.status_code != 200:
            raise FetchError(f"HTTP {resp.status_code}")
        data = _json(resp.content)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise FetchError("malformed body")
    except FetchError as exc:
        return {d: _error(d, exc.reason) for d in dois}
    found = {}
    for work in results:
        if isinstance(work, dict):
            doi = _strip_doi(str(work.get("doi") or ""))
            if doi:
                found[doi] = work
    return {d: record_from_work(found[d], d) if d in found else _missing(d) for d in dois}


def fetch_one(client: HttpClient, doi: str) -> ResolvedRecord:
    """Single lookup for DOIs a filter cannot carry (they contain ',' or '|')."""
    opts = client.options
    params = {"mailto": opts.mailto} if opts.mailto else None
    url = f"{opts.base_url('openalex')}/works/{quote('https://doi.org/' + doi, safe='/:')}"
    try:
        resp = client.request("openalex", "GET", url, params=params)
        if resp.status_code == 404:
            return _missing(doi)
        work = _json(resp.content)
        if not isinstance(work, dict) or "id" not in work:
            raise FetchError("malformed body")
    except FetchError as exc:
        return _error(doi, exc.reason)
    return record_from_work(work, doi)


def batches(dois: Iterable[str]) -> tuple[list[list[str]], list[str]]:
    """Stable batches of filter-safe DOIs, and the DOIs that need a single lookup."""
    unique = sorted(set(dois))
    safe = [d for d in unique if "," not in d and "|" not in d]
    single = [d for d in unique if d not in set(safe)]
    return [safe[i:i + BATCH] for i in range(0, len(safe), BATCH)], single
