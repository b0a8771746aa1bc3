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

from ..models import ResolvedRecord, UpdateNotice
from ._http import FetchError, HttpClient

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


def fetch(client: HttpClient, pmids: Iterable[str]) -> dict[str, ResolvedRecord]:
    """PMID -> record (found, not-found or error), one request per BATCH ids."""
    ids = sorted(set(pmids), key=lambda p: (len(p), p))  # stable batches keep the cache useful
    opts = client.options
    out: dict[str, ResolvedRecord] = {}
    url = f"{opts.base_url('pubmed')}/efetch.fcgi"
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        params = {"db": "pubmed", "id": ",".join(chunk), "retmode": "xml", "tool": "evgrade"}
        if opts.mailto:
            params["email"] = opts.mailto
        if opts.ncbi_api_key:
            params["api_key"] = opts.ncbi_api_key
        try:
            if len(chunk) > GET_LIMIT:
                resp = client.request("pubmed", "POST", url, data=params)
            else:
                resp = client.request("pubmed", "GET", url, params=params)
            if resp.status_code != 200:
                raise FetchError(f"HTTP {resp.status_code}")
            found = parse_efetch(resp.content)
        except FetchError as exc:
            for p in chunk:
                out[p] = ResolvedRecord(source="pubmed", identifier=f"pmid:{p}",
                                        status="error", error=exc.reason, pmid=p)
            continue
        for p in chunk:
            out[p] = found.get(p) or ResolvedRecord(
                source="pubmed", identifier=f"pmid:{p}", status="not-found", pmid=p)
    return out
