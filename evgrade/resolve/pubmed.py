"""PubMed via NCBI E-utilities: efetch (XML) in batches of up to 200 PMIDs.

efetch rather than esummary because only the full record carries
CommentsCorrections (RetractionIn, ErratumIn, ExpressionOfConcernIn). A PMID
absent from a well-formed answer is "not-found"; a failed or unparsable
answer leaves every PMID of that batch "error".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Literal

from pydantic import ValidationError

from ..models import DesignCall, ResolvedRecord, UpdateNotice
from ._http import FetchError
from .designs import design_from_pubmed
from .interface import INDEXED, Source, SourceClient

NoticeKind = Literal["retraction", "correction", "expression-of-concern", "other"]

BATCH = 200
GET_LIMIT = 20  # longer id lists go in a POST body, as NCBI asks for big requests

_NOTICES: dict[str, NoticeKind] = {
    "RetractionIn": "retraction",
    "ErratumIn": "correction",
    "ExpressionOfConcernIn": "expression-of-concern",
}


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _year(article: ET.Element) -> str:
    pub = article.find("Journal/JournalIssue/PubDate")
    if pub is not None:
        year = _text(pub.find("Year")) or _text(pub.find("MedlineDate"))[:4]
        if year:
            return year
    return _text(article.find("ArticleDate/Year"))


def _first_author(authors: ET.Element | None) -> str:
    if authors is None:
        return ""
    first = authors.find("Author")
    if first is None:
        return ""
    return _text(first.find("LastName")) or _text(first.find("CollectiveName"))


def _doi(node: ET.Element, article: ET.Element | None) -> str:
    for aid in node.findall("PubmedData/ArticleIdList/ArticleId"):
        if aid.get("IdType") == "doi":
            return _text(aid).lower()
    if article is not None:
        for loc in article.findall("ELocationID"):
            if loc.get("EIdType") == "doi":
                return _text(loc).lower()
    return ""


def parse_article(node: ET.Element) -> ResolvedRecord | None:
    """One <PubmedArticle> (or <PubmedBookArticle>) -> a found record."""
    if node.tag == "PubmedBookArticle":
        doc = node.find("BookDocument")
        if doc is None:
            return None
        pmid = _text(doc.find("PMID"))
        return ResolvedRecord(
            source="pubmed", identifier=f"pmid:{pmid}", status="found", pmid=pmid,
            title=_text(doc.find("ArticleTitle")) or _text(doc.find("Book/BookTitle")),
            venue=_text(doc.find("Book/Publisher/PublisherName")),
            year=_text(doc.find("Book/PubDate/Year")),
            first_author=_first_author(doc.find("AuthorList")),
            doi=_doi(node, None),
            publication_types=tuple(_text(p) for p in doc.findall(
                "PublicationType")) or ("Book",),
        )
    cit = node.find("MedlineCitation")
    if cit is None:
        return None
    pmid = _text(cit.find("PMID"))
    article = cit.find("Article")
    if not pmid or article is None:
        return None
    types = tuple(_text(p) for p in article.findall("PublicationTypeList/PublicationType"))
    updates = []
    for cc in cit.findall("CommentsCorrectionsList/CommentsCorrections"):
        kind = _NOTICES.get(cc.get("RefType", ""))
        if kind:
            updates.append(UpdateNotice(kind=kind, source="pubmed"))
    retracted = "Retracted Publication" in types or any(u.kind == "retraction" for u in updates)
    return ResolvedRecord(
        source="pubmed", identifier=f"pmid:{pmid}", status="found", pmid=pmid,
        title=_text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle")),
        venue=_text(article.find("Journal/Title")),
        year=_year(article),
        first_author=_first_author(article.find("AuthorList")),
        doi=_doi(node, article),
        publication_types=types,
        retracted=retracted,
        updates=tuple(updates),
    )


def parse_efetch(body: bytes) -> dict[str, ResolvedRecord]:
    """Raise FetchError on anything but a PubmedArticleSet."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise FetchError("malformed body") from None
    if root.tag != "PubmedArticleSet":
        raise FetchError("malformed body")
    found: dict[str, ResolvedRecord] = {}
    for node in root:
        rec = parse_article(node)
        if rec is not None:
            found[rec.pmid] = rec
    return found


def _params(client: SourceClient, chunk: list[str]) -> dict[str, str]:
    params = {"db": "pubmed", "id": ",".join(chunk), "retmode": "xml", "tool": "evgrade"}
    if client.mailto:
        params["email"] = client.mailto
    if client.settings.api_key:
        params["api_key"] = client.settings.api_key
    return params


def fetch(client: SourceClient, pmids: Iterable[str]) -> dict[str, ResolvedRecord]:
    """PMID -> record (found, not-found or error) for one batch of at most BATCH ids."""
    chunk = sorted(set(pmids), key=lambda p: (len(p), p))  # stable batches keep the cache useful
    params = _params(client, chunk)
    url = f"{client.url}/efetch.fcgi"
    try:
        if len(chunk) > GET_LIMIT:
            resp = client.request("POST", url, data=params)
        else:
            resp = client.request("GET", url, params=params)
        if resp.status_code != 200:
            raise FetchError(f"HTTP {resp.status_code}")
        found = parse_efetch(resp.content)
    except FetchError as exc:
        return {p: client.failed("pmid", p, exc.reason) for p in chunk}
    if not getattr(resp, "from_cache", False):  # a replayed answer is stored already
        client.http.remember(_space(client), {p: found[p].model_dump(mode="json") if p in found else None
                                              for p in chunk})
    return {p: found.get(p) or client.not_found("pmid", p) for p in chunk}


def _space(client: SourceClient) -> str:
    """Where this PubMed's answers are stored: a mirror's never stand in for NCBI's."""
    return f"pubmed {client.url}"


def known(client: SourceClient, pmids: Iterable[str]) -> dict[str, ResolvedRecord]:
    """Records stored by earlier runs, one per PMID (None: not in PubMed), so that a run on
    the cache does not parse the batches' XML again (long records with reference lists
    make megabytes of it). A stored record that does not validate is asked again."""
    if client.options.mode == "refresh":
        return {}
    out: dict[str, ResolvedRecord] = {}
    for pmid, item in client.http.answers.get(_space(client), list(dict.fromkeys(pmids))).items():
        if item is None:
            out[pmid] = client.not_found("pmid", pmid)
            continue
        try:
            out[pmid] = ResolvedRecord.model_validate(item)
        except ValidationError:
            continue
    with client.http.stats.lock:
        client.http.stats.cached += len(out)
    return out


class PubMed(Source):
    """NCBI E-utilities; also asked for the PMIDs other sources report for DOIs."""

    name = "pubmed"
    label = "PubMed"
    kinds = frozenset({"pmid"})
    url = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    follow_up = frozenset({"pmid"})
    design_authority = INDEXED  # NLM indexers assign publication types from the full text
    batch_size = BATCH

    def default_rate(self, options: object, api_key: str) -> float:
        # NCBI: 3 requests/s per IP without an API key, 10/s with one
        return 10.0 if api_key else 3.0

    def default_concurrency(self, options: object, api_key: str) -> int:
        return 3

    def known(self, client: SourceClient, kind: str, values: list[str]) -> dict[str, ResolvedRecord]:
        return known(client, values)

    def lookup(self, client: SourceClient, kind: str, batch: list[str]) -> dict[str, ResolvedRecord]:
        return fetch(client, batch)

    def design(self, record: ResolvedRecord) -> DesignCall | None:
        return design_from_pubmed(record.publication_types)
