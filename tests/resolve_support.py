"""Helpers for the resolver tests: recorded API bodies, a fake clock, local fakes of the APIs,
and a test-only plugin source (Semantic Scholar) installed as a real distribution.

Bodies come from tests/data/api/ (real recorded responses, see each SOURCE.txt).
Where an API answers a *list* (OpenAlex filter, Crossref filter and title
search) the recorded single-work bodies are wrapped in the list envelope here;
the works inside are the recorded ones (cut to the ``select``ed fields, as
Crossref does), only the envelope is ours.
"""

from __future__ import annotations

import json
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from werkzeug import Request, Response

from evgrade.models import Location, Reference
from evgrade.resolve import ResolveOptions

DATA = Path(__file__).resolve().parent / "data" / "api"
ENTREZ = DATA / "biopython_entrez"
HABANERO = DATA / "habanero"
COMMONMETA = DATA / "commonmeta_openalex_crossref"
SEMANTICSCHOLAR = DATA / "semanticscholar"
PLUGIN = Path(__file__).resolve().parent / "resolve" / "plugin" / "evgrade_s2_source.py"

# DOIs and PMIDs of the recorded works
ELIFE_DOI = "10.7554/elife.01567"            # Crossref + OpenAlex recordings
PLOS_CORRECTED_DOI = "10.1371/journal.pone.0033693"  # Crossref: updated-by correction
CHAPTER_DOI = "10.1007/978-3-662-46370-3_13"  # OpenAlex book-chapter
BAD_DOI = "10.1371/notarealdoi"               # Crossref answered 404 "Resource not found."
REVIEW_PMID = "12091962"                      # pubmed1.xml: Journal Article + Review
OBSERVATIONAL_PMID = "27797938"               # pubmed4.xml: Observational Study
# Semantic Scholar's recorded batch answer (tests/data/api/semanticscholar)
MICROFINANCE_DOI = "10.2139/ssrn.2250500"     # publicationTypes null
DID_DOI = "10.2139/ssrn.288970"               # publicationTypes ["Review"]


class FakeClock:
    """Virtual time: sleep() advances it instantly and records the wait."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def now(self) -> float:
        with self.lock:
            return self.t

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.t += seconds


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def crossref_work(path: Path) -> dict[str, Any]:
    return read_json(path)["message"]


def crossref_body(item: dict[str, Any]) -> dict[str, Any]:
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": item}


def crossref_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"items": items, "total-results": len(items), "items-per-page": len(items)}}


def openalex_list(works: list[dict[str, Any]]) -> dict[str, Any]:
    return {"meta": {"count": len(works), "page": 1, "per_page": 50}, "results": works}


def pubmed_articles() -> dict[str, str]:
    """PMID -> the <PubmedArticle> element text from the recorded efetch bodies."""
    out = {}
    for name in ("pubmed1.xml", "pubmed4.xml", "pubmed7.xml"):
        root = ET.fromstring((ENTREZ / name).read_bytes())
        for node in root:
            pmid = node.findtext("MedlineCitation/PMID")
            out[pmid] = ET.tostring(node, encoding="unicode")
    return out


def efetch_ids(request: Request) -> list[str]:
    ids = request.args.get("id") or request.form.get("id", "")
    return [i for i in ids.split(",") if i]


def efetch_handler(articles: dict[str, str]):
    """An efetch that answers from recorded articles; unknown PMIDs are simply absent."""
    def handle(request: Request) -> Response:
        body = "".join(articles[i] for i in efetch_ids(request) if i in articles)
        xml = f'<?xml version="1.0" ?>\n<PubmedArticleSet>{body}</PubmedArticleSet>'
        return Response(xml, content_type="text/xml")
    return handle


def openalex_handler(works: dict[str, dict[str, Any]]):
    """OpenAlex /works?filter=doi:a|b answering from recorded works keyed by DOI."""
    def handle(request: Request) -> Response:
        flt = request.args.get("filter", "")
        dois = flt.removeprefix("doi:").split("|") if flt else []
        hits = [works[d] for d in dois if d in works]
        return Response(json.dumps(openalex_list(hits)), content_type="application/json")
    return handle


def crossref_filter_dois(request: Request) -> list[str]:
    """The DOIs of a Crossref ``filter=doi:a,doi:b`` query, in order."""
    flt = request.args.get("filter", "")
    return [v.removeprefix("doi:") for v in flt.split(",") if v]


def crossref_list_handler(items: dict[str, dict[str, Any]]):
    """Crossref /works?filter=doi:a,doi:b answering from recorded items keyed by DOI.

    DOIs it does not know are simply absent from the list, as Crossref does.
    ``select`` is applied, so a field the client forgets to select is missing.
    """
    def handle(request: Request) -> Response:
        hits = [items[d] for d in crossref_filter_dois(request) if d in items]
        rows = int(request.args.get("rows", "20"))
        fields = [f for f in request.args.get("select", "").split(",") if f]
        if fields:
            hits = [{k: v for k, v in item.items() if k in fields} for item in hits]
        return Response(json.dumps(crossref_list(hits[:rows])), content_type="application/json")
    return handle


CROSSREF_SINGLE = re.compile(r"^/crossref/works/.+")


def crossref_single_handler(items: dict[str, dict[str, Any]]):
    """Crossref /works/{doi}: the recorded item, or the recorded 404 body."""
    not_found = (HABANERO / "test_works_bad_id_warn_0.txt").read_text(encoding="utf-8")

    def handle(request: Request) -> Response:
        doi = request.path.removeprefix("/crossref/works/")
        if doi in items:
            return Response(json.dumps(crossref_body(items[doi])), content_type="application/json")
        return Response(not_found, status=404, content_type="text/plain")
    return handle


def serve_crossref(server, items: dict[str, dict[str, Any]]) -> None:
    """Both Crossref endpoints, answering from the same recorded items."""
    server.expect_request("/crossref/works").respond_with_handler(crossref_list_handler(items))
    server.expect_request(CROSSREF_SINGLE).respond_with_handler(crossref_single_handler(items))


def options(server, tmp_path: Path, **kw: Any) -> ResolveOptions:
    base = dict(
        mode="online", cache_dir=tmp_path / "cache", mailto="tests@example.org",
        ncbi_api_key="", pubmed_url=server.url_for("/eutils"),
        crossref_url=server.url_for("/crossref"), openalex_url=server.url_for("/openalex"),
        timeout=(2.0, 5.0), max_retries=2, backoff=1.0, workers=2,
    )
    base.update(kw)
    return ResolveOptions(**base)


def ref(key: str, **fields: Any) -> Reference:
    fields.setdefault("entry_type", "article")
    return Reference(key=key, location=Location(path="refs.bib", line=3), **fields)


def requests_to(server, prefix: str) -> list[Request]:
    return [req for req, _ in server.log if req.path.startswith(prefix)]


# ------------------------------------------------ a plugin source from outside

def s2_papers() -> dict[str, dict[str, Any]]:
    """Lower-case DOI -> paper, from the recorded Semantic Scholar batch answer."""
    papers = read_json(SEMANTICSCHOLAR / "paper_batch_return_not_found.json")
    return {p["externalIds"]["DOI"].lower(): p for p in papers if p}


def s2_batch_handler(papers: dict[str, dict[str, Any]]):
    """POST /paper/batch {"ids": ["DOI:..."]}: the recorded papers, null for the others, as S2 does."""
    def handle(request: Request) -> Response:
        ids = json.loads(request.get_data(as_text=True))["ids"]
        found = [papers.get(i.removeprefix("DOI:").lower()) for i in ids]
        return Response(json.dumps(found), content_type="application/json")
    return handle


def install_plugin(site: Path) -> None:
    """Install the test-only Semantic Scholar source into ``site`` as a distribution:
    its module and a dist-info folder whose entry_points.txt names it."""
    site.mkdir(parents=True, exist_ok=True)
    (site / PLUGIN.name).write_text(PLUGIN.read_text(encoding="utf-8"), encoding="utf-8")
    info = site / "evgrade_s2_source-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evgrade-s2-source\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[evgrade.resolvers]\nsemanticscholar = evgrade_s2_source:SemanticScholar\n", encoding="utf-8")


# where each source's fake lives on the local server
SERVED_AT = {"pubmed": "/eutils", "crossref": "/crossref", "openalex": "/openalex",
             "semanticscholar": "/s2"}


def point_sources_at(server, monkeypatch) -> None:
    """Move every registered source's default URL to the local server (for runs through
    the CLI, which has no URL options): nothing may reach the network."""
    from evgrade.resolve import registry

    for source in registry.ordered():
        if not source.host:
            monkeypatch.setattr(source, "url", server.url_for(SERVED_AT[source.name]))
