"""A test-only resolver plugin: Semantic Scholar's Graph API, registered through an entry point.

It lives outside the evgrade package on purpose. The tests install it as a tiny
distribution (a dist-info folder declaring an ``evgrade.resolvers`` entry point,
next to this module) on a temporary ``sys.path`` entry, so it reaches evgrade
the way a third-party plugin does. Only the public interface is used.

One request per batch: ``POST /paper/batch`` with ``{"ids": ["DOI:...", ...]}``
answers a list aligned with the ids, ``null`` where Semantic Scholar knows no
such paper (tests/data/api/semanticscholar holds a recorded answer).
"""

from __future__ import annotations

from typing import Any

from evgrade.models import DesignCall, ResolvedRecord
from evgrade.resolve import FetchError, Source, SourceClient

FIELDS = "title,venue,year,authors,externalIds,publicationTypes,journal"
# its publication types that state a design (the others, JournalArticle, Conference..., do not)
DESIGNS = {"MetaAnalysis": "meta-analysis", "Review": "narrative-review",
           "CaseReport": "case-report", "Editorial": "expert-opinion"}


def _first_author(paper: dict[str, Any]) -> str:
    names = [a.get("name") or "" for a in paper.get("authors") or [] if isinstance(a, dict)]
    return names[0].split()[-1] if names and names[0].strip() else ""  # "Given Family"


def _record(client: SourceClient, doi: str, paper: dict[str, Any]) -> ResolvedRecord:
    ids = paper.get("externalIds") or {}
    return client.record(
        "doi", doi,
        title=str(paper.get("title") or ""),
        venue=str((paper.get("journal") or {}).get("name") or paper.get("venue") or ""),
        year=str(paper.get("year") or ""),
        first_author=_first_author(paper),
        doi=str(ids.get("DOI") or doi).lower(),
        pmid=str(ids.get("PubMed") or ""),
        publication_types=tuple(paper.get("publicationTypes") or ()),
    )


def _papers(client: SourceClient, batch: list[str]) -> list[Any]:
    key = client.settings.api_key
    resp = client.request("POST", f"{client.url}/paper/batch", params={"fields": FIELDS},
                          json={"ids": [f"DOI:{d}" for d in batch]},
                          headers={"x-api-key": key} if key else None)
    if resp.status_code != 200:
        raise FetchError(f"HTTP {resp.status_code}")
    try:
        papers = resp.json()
    except ValueError:
        raise FetchError("malformed body") from None
    if not isinstance(papers, list) or len(papers) != len(batch):
        raise FetchError("malformed body")
    return papers


class SemanticScholar(Source):
    name = "semanticscholar"
    label = "Semantic Scholar"
    kinds = frozenset({"doi"})
    url = "https://api.semanticscholar.org/graph/v1"
    private = ("x-api-key",)
    batch_size = 500          # the batch endpoint's limit
    api_key_env = "S2_API_KEY"

    def default_rate(self, options: Any, api_key: str) -> float:
        return 1.0

    def lookup(self, client: SourceClient, kind: str, batch: list[str]) -> dict[str, ResolvedRecord]:
        try:
            papers = _papers(client, batch)
        except FetchError as exc:
            return {d: client.failed(kind, d, exc.reason) for d in batch}
        return {d: _record(client, d, p) if isinstance(p, dict) else client.not_found(kind, d)
                for d, p in zip(batch, papers)}

    def design(self, record: ResolvedRecord) -> DesignCall | None:
        for kind in record.publication_types:
            if kind in DESIGNS:
                return DesignCall(design=DESIGNS[kind], source=self.name, evidence=kind)
        return None
