"""Fixtures shared by the resolver tests: a fake clock, the recorded APIs on a local server,
and a test-only plugin source installed from outside the package."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

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
    install_plugin,
    read_json,
    s2_batch_handler,
    s2_papers,
    serve_crossref,
)

from evgrade.resolve import _http, registry


_SESSION_CACHE: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Every cache a test does not place itself goes to a folder of this session, never to
    the user's cache folder (the bibliography cache, the kept patterns of cli.main)."""
    global _SESSION_CACHE
    if "EVGRADE_CACHE_DIR" not in os.environ:
        _SESSION_CACHE = os.environ["EVGRADE_CACHE_DIR"] = tempfile.mkdtemp(prefix="evgrade-tests-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION_CACHE is not None:
        os.environ.pop("EVGRADE_CACHE_DIR", None)
        shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


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


@pytest.fixture
def s2_plugin(tmp_path, monkeypatch):
    """The Semantic Scholar test source, installed as a distribution on a temporary
    sys.path entry and found through its ``evgrade.resolvers`` entry point by a
    fresh registry (the built-ins plus whatever is installed)."""
    install_plugin(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(registry, "REGISTRY", registry.new_registry())
    yield registry.REGISTRY
    sys.modules.pop("evgrade_s2_source", None)


@pytest.fixture
def s2_api(resolve_api):
    """The recorded APIs plus Semantic Scholar's recorded batch answer at /s2."""
    resolve_api.expect_request("/s2/paper/batch", method="POST").respond_with_handler(
        s2_batch_handler(s2_papers()))
    return resolve_api
