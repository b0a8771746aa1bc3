"""Fixtures shared by the resolver tests: a fake clock and the recorded APIs on a local server."""

from __future__ import annotations

import pytest
from resolve_support import (
    CHAPTER_DOI,
    COMMONMETA,
    ELIFE_DOI,
    HABANERO,
    PLOS_CORRECTED_DOI,
    FakeClock,
    crossref_work,
    efetch_handler,
    openalex_handler,
    pubmed_articles,
    read_json,
    serve_crossref,
)

from evgrade.resolve import _http


@pytest.fixture
def resolve_clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(_http, "CLOCK", _http.Clock(now=clock.now, sleep=clock.sleep))
    return clock


@pytest.fixture
def resolve_api(httpserver):
    """The three APIs answering from recorded bodies."""
    elife_cr = crossref_work(COMMONMETA / "test-crossref_reader__test_doi_with_data_citation_1.json")
    plos_cr = crossref_work(HABANERO / "test_works_with_one_id_0.json")
    works = {
        ELIFE_DOI: read_json(COMMONMETA / "test-openalex_reader__test_doi_with_data_citation_0.json"),
        CHAPTER_DOI: read_json(COMMONMETA / "test-openalex_reader__test_book_chapter_0.json"),
    }
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        efetch_handler(pubmed_articles()))
    httpserver.expect_request("/openalex/works").respond_with_handler(openalex_handler(works))
    # BAD_DOI and the chapter (not in our Crossref recordings) get the recorded 404
    serve_crossref(httpserver, {ELIFE_DOI: elife_cr, PLOS_CORRECTED_DOI: plos_cr})
    return httpserver
