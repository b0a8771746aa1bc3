"""OpenAlex: type, retraction flag and the PMID of DOIs, 50 DOIs per request.

The PMID OpenAlex reports is how DOI-only entries reach PubMed's publication
types without an extra esearch round trip per DOI (NCBI's idconv would only
cover articles deposited in PMC).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from .. import _patterns
from ..models import DesignCall, ResolvedRecord
from ._http import FetchError
from .designs import design_from_work_type
from .interface import Source, SourceClient

BATCH = 50  # OpenAlex's limit on OR-ed values in one filter
_PMID = _patterns.compile(r"(\d+)\s*$")


def _strip_doi(value: str) -> str:
    value = (value or "").strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def _first_author(work: dict[str, Any]) -> str:
    for authorship in work.get("authorships") or []:
        authorship = authorship or {}
        name = (authorship.get("author") or {}).get("display_name") \
            or authorship.get("raw_author_name") or ""
        if name:
            return name.split()[-1]  # display names are "Given Family"
    return ""


def _venue(work: dict[str, Any]) -> str:
    source = (work.get("primary_location") or {}).get("source") or {}
    return str(source.get("display_name") or "")


def record_from_work(work: dict[str, Any], doi: str) -> ResolvedRecord:
    pmid_match = _PMID.search(str((work.get("ids") or {}).get("pmid") or ""))
    year = work.get("publication_year")
    return ResolvedRecord(
        source="openalex", identifier=f"doi:{doi}", status="found",
        title=" ".join(str(work.get("title") or work.get("display_name") or "").split()),
        venue=_venue(work), year=str(year) if year else "", first_author=_first_author(work),
        doi=_strip_doi(str(work.get("doi") or "")),  # what the answer says, checked by the resolver
        pmid=pmid_match.group(1) if pmid_match else "",
        work_type=str(work.get("type") or ""),
        retracted=bool(work.get("is_retracted")),
    )


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested too deep to decode
        raise FetchError("malformed body") from None


def _error(doi: str, reason: str) -> ResolvedRecord:
    return ResolvedRecord(source="openalex", identifier=f"doi:{doi}", status="error",
                          error=reason, doi=doi)


def _missing(doi: str) -> ResolvedRecord:
    return ResolvedRecord(source="openalex", identifier=f"doi:{doi}", status="not-found", doi=doi)


def _results(client: SourceClient, dois: list[str]) -> list[Any]:
    params = {"filter": "doi:" + "|".join(dois), "per-page": str(BATCH)}
    if client.mailto:
        params["mailto"] = client.mailto
    resp = client.request("GET", f"{client.url}/works", params=params)
    if resp.status_code != 200:
        raise FetchError(f"HTTP {resp.status_code}")
    data = _json(resp.content)
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise FetchError("malformed body")
    return results


def fetch_batch(client: SourceClient, dois: list[str]) -> dict[str, ResolvedRecord]:
    try:
        results = _results(client, dois)
    except FetchError as exc:
        return {d: _error(d, exc.reason) for d in dois}
    found = {}
    for work in results:
        if isinstance(work, dict):
            doi = _strip_doi(str(work.get("doi") or ""))
            if doi:
                found[doi] = work
    return {d: record_from_work(found[d], d) if d in found else _missing(d) for d in dois}


def fetch_one(client: SourceClient, doi: str) -> ResolvedRecord:
    """Single lookup for DOIs a filter cannot carry (they contain ',' or '|')."""
    params = {"mailto": client.mailto} if client.mailto else None
    url = f"{client.url}/works/{quote('https://doi.org/' + doi, safe='/:')}"
    try:
        resp = client.request("GET", url, params=params)
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
    safe = [d for d in unique if _filter_safe(d)]
    single = [d for d in unique if d not in set(safe)]
    return [safe[i:i + BATCH] for i in range(0, len(safe), BATCH)], single


def _filter_safe(doi: str) -> bool:
    return "," not in doi and "|" not in doi


class OpenAlex(Source):
    """OpenAlex: type, retraction flag and the PMID of DOIs (so PubMed can be asked too)."""

    name = "openalex"
    label = "OpenAlex"
    kinds = frozenset({"doi"})
    url = "https://api.openalex.org"

    def default_rate(self, options: Any, api_key: str) -> float:
        return 10.0  # OpenAlex: 10/s (100k a day)

    def default_concurrency(self, options: Any, api_key: str) -> int:
        return 3

    def batches(self, kind: str, values: list[str]) -> list[list[str]]:
        groups, single = batches(values)
        return groups + [[d] for d in single]

    def lookup(self, client: SourceClient, kind: str, batch: list[str]) -> dict[str, ResolvedRecord]:
        if len(batch) == 1 and not _filter_safe(batch[0]):
            return {batch[0]: fetch_one(client, batch[0])}
        return fetch_batch(client, batch)

    def design(self, record: ResolvedRecord) -> DesignCall | None:
        return design_from_work_type(self.name, record.work_type)
