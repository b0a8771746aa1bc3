"""Politeness and failure handling: retries, Retry-After, timeouts, cache, offline, batching, rate."""

from __future__ import annotations

import json
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from resolve_support import (
    COMMONMETA,
    CROSSREF_SINGLE,
    ELIFE_DOI,
    HABANERO,
    PLOS_CORRECTED_DOI,
    FakeClock,
    crossref_body,
    crossref_filter_dois,
    crossref_list,
    crossref_work,
    efetch_handler,
    efetch_ids,
    openalex_handler,
    options,
    pubmed_articles,
    read_json,
    ref,
    requests_to,
    serve_crossref,
)
from werkzeug import Response

from evgrade.resolve import _http, resolution_findings, resolve_references
from evgrade.resolve._http import Clock, RateLimiter

PLOS_TITLE = ("Methylphenidate exposure induces dopamine neuron loss and activation of "
              "microglia in the basal ganglia of mice")


@pytest.fixture
def resolve_clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(_http, "CLOCK", Clock(now=clock.now, sleep=clock.sleep))
    return clock


def plos_entry(key: str = "plos"):
    return ref(key, doi=PLOS_CORRECTED_DOI, title=PLOS_TITLE, year="2012",
               authors=("Sadasivan, Shankar",))


def plos_item() -> dict:
    return crossref_work(HABANERO / "test_works_with_one_id_0.json")


def plos_body() -> dict:
    return crossref_body(plos_item())


def sequence(*responses):
    """A handler that plays the given responses in order, then repeats the last."""
    lock, served = threading.Lock(), []

    def handle(request):
        with lock:
            i = min(len(served), len(responses) - 1)
            served.append(i)
        return responses[i]()
    return handle


def ok():
    """A Crossref batch answer holding the recorded PLOS ONE work."""
    return Response(json.dumps(crossref_list([plos_item()])), content_type="application/json")


def ok_single():
    return Response(json.dumps(plos_body()), content_type="application/json")


def empty_list():
    return Response(json.dumps(crossref_list([])), content_type="application/json")


BATCH_URL = "/crossref/works"  # /works?filter=doi:a,doi:b


def crossref_only(server, tmp_path, **kw):
    return options(server, tmp_path, sources=("crossref",), **kw)


def test_429_retry_after_is_honoured(httpserver, resolve_clock, tmp_path):
    httpserver.expect_request(BATCH_URL).respond_with_handler(
        sequence(lambda: Response("slow down", status=429, headers={"Retry-After": "7"}), ok))
    r = resolve_references([plos_entry()], crossref_only(httpserver, tmp_path))
    assert r["plos"].status == "verified"
    assert len(httpserver.log) == 2
    assert 7.0 in resolve_clock.sleeps          # waited what the server asked, not the backoff
    assert sum(resolve_clock.sleeps) == pytest.approx(7.0)


def test_retry_after_beyond_max_wait_gives_up_as_unverified(httpserver, resolve_clock, tmp_path):
    httpserver.expect_request(BATCH_URL).respond_with_data(
        "quota", status=429, headers={"Retry-After": "3600"})
    r = resolve_references([plos_entry()], crossref_only(httpserver, tmp_path, max_wait=60))
    assert r["plos"].status == "unverified"
    assert r["plos"].records[0].error == "HTTP 429 (Retry-After 3600s)"
    assert len(httpserver.log) == 1 and resolve_clock.sleeps == []


def test_500_then_success_with_exponential_backoff(httpserver, resolve_clock, tmp_path):
    httpserver.expect_request(BATCH_URL).respond_with_handler(
        sequence(lambda: Response("oops", status=500), lambda: Response("oops", status=503), ok))
    r = resolve_references([plos_entry()], crossref_only(httpserver, tmp_path, backoff=0.5))
    assert r["plos"].status == "verified"
    assert len(httpserver.log) == 3
    assert resolve_clock.sleeps[:2] == [0.5, 1.0]


def test_persistent_5xx_is_unverified_never_not_found(httpserver, resolve_clock, tmp_path):
    httpserver.expect_request(BATCH_URL).respond_with_data("down", status=503)
    httpserver.expect_request("/openalex/works").respond_with_data("down", status=502)
    entry = plos_entry()
    opts = options(httpserver, tmp_path, max_retries=2)
    r = resolve_references([entry], opts)["plos"]
    assert r.status == "unverified"
    assert {(rec.source, rec.error) for rec in r.records} == {
        ("crossref", "HTTP 503 after 3 attempts"), ("openalex", "HTTP 502 after 3 attempts")}
    [finding] = resolution_findings(entry, r)
    assert finding.code == "EV406"
    assert "Crossref: HTTP 503 after 3 attempts" in finding.message
    # a failed batch is not retried DOI by DOI: an outage costs one request per batch
    assert requests_to(httpserver, "/crossref/works/") == []
    # failures are not cached: the next run asks again
    before = len(httpserver.log)
    resolve_references([entry], opts)
    assert len(httpserver.log) > before


def test_one_source_says_no_while_the_other_fails_is_unverified(httpserver, resolve_clock, tmp_path):
    serve_crossref(httpserver, {})  # absent from the batch, then a recorded 404
    httpserver.expect_request("/openalex/works").respond_with_data("down", status=500)
    r = resolve_references([plos_entry()], options(httpserver, tmp_path, max_retries=0))
    assert r["plos"].status == "unverified"


def test_timeout_is_unverified_never_not_found(resolve_clock, tmp_path):
    # a dedicated server: its handler outlives the client's timeout, and stopping
    # the server waits for it instead of leaking it into the next test's log
    server = HTTPServer()
    server.start()
    try:
        def slow(request):
            time.sleep(0.6)
            return ok()
        server.expect_request(BATCH_URL).respond_with_handler(slow)
        opts = crossref_only(server, tmp_path, timeout=(0.5, 0.15), max_retries=1)
        entry = plos_entry()
        r = resolve_references([entry], opts)["plos"]
        assert r.status == "unverified"
        assert r.records[0].status == "error" and r.records[0].error == "timeout after 2 attempts"
        assert [f.code for f in resolution_findings(entry, r)] == ["EV406"]
    finally:
        server.clear()
        server.stop()


@pytest.mark.parametrize("body", ["<html><body>Service maintenance</body></html>", '{"status": "ok"',
                                  '{"status": "ok", "message": {"total-results": 1}}'])
def test_malformed_body_is_unverified(httpserver, resolve_clock, tmp_path, body):
    httpserver.expect_request(BATCH_URL).respond_with_data(
        body, content_type="application/json")
    r = resolve_references([plos_entry()], crossref_only(httpserver, tmp_path))["plos"]
    assert r.status == "unverified" and r.records[0].error == "malformed body"
    assert len(httpserver.log) == 1  # a bad body is not retried


def _full_api(server):
    elife = read_json(COMMONMETA / "test-openalex_reader__test_doi_with_data_citation_0.json")
    server.expect_request("/eutils/efetch.fcgi").respond_with_handler(efetch_handler(pubmed_articles()))
    server.expect_request("/openalex/works").respond_with_handler(openalex_handler({ELIFE_DOI: elife}))
    serve_crossref(server, {PLOS_CORRECTED_DOI: plos_item(), ELIFE_DOI: crossref_work(
        COMMONMETA / "test-crossref_reader__test_doi_with_data_citation_1.json")})


def _mixed_entries():
    return [plos_entry(), ref("elife", doi=ELIFE_DOI, year="2014",
                              title="Automated quantitative histology reveals vascular "
                                    "morphodynamics during Arabidopsis hypocotyl secondary growth"),
            ref("review", pmid="12091962", year="1990",
                title="The treatment of AIDS behind the walls of correctional facilities")]


def test_second_run_is_served_from_cache(httpserver, resolve_clock, tmp_path):
    _full_api(httpserver)
    opts = options(httpserver, tmp_path)
    first = resolve_references(_mixed_entries(), opts)
    sent = len(httpserver.log)
    assert sent >= 4
    resolve_clock.sleeps.clear()
    second = resolve_references(_mixed_entries(), opts)
    assert len(httpserver.log) == sent          # zero requests
    assert resolve_clock.sleeps == []           # and cache hits never wait for the rate limiter
    assert second == first


def test_offline_uses_only_the_cache(httpserver, resolve_clock, tmp_path):
    _full_api(httpserver)
    online = options(httpserver, tmp_path)
    resolve_references(_mixed_entries()[:1], online)  # caches the PLOS DOI only
    sent = len(httpserver.log)
    offline = online.model_copy(update={"mode": "offline"})
    res = resolve_references(_mixed_entries(), offline)
    assert len(httpserver.log) == sent           # offline made zero requests
    assert res["plos"].status == "verified"      # from the cache
    assert res["elife"].status == "unverified" and res["review"].status == "unverified"
    assert {r.error for r in res["review"].records} == {"not in cache (offline)"}


def test_offline_with_empty_cache_makes_no_request(httpserver, resolve_clock, tmp_path):
    res = resolve_references(_mixed_entries(), options(httpserver, tmp_path, mode="offline"))
    assert len(httpserver.log) == 0
    assert {r.status for r in res.values()} == {"unverified"}


def test_refresh_ignores_the_cache_but_stores(httpserver, resolve_clock, tmp_path):
    _full_api(httpserver)
    opts = options(httpserver, tmp_path)
    resolve_references(_mixed_entries(), opts)
    sent = len(httpserver.log)
    resolve_references(_mixed_entries(), opts.model_copy(update={"mode": "refresh"}))
    assert len(httpserver.log) == 2 * sent
    resolve_references(_mixed_entries(), opts)
    assert len(httpserver.log) == 2 * sent


def test_contact_details_are_sent_but_not_stored(httpserver, resolve_clock, tmp_path):
    _full_api(httpserver)
    opts = options(httpserver, tmp_path, ncbi_api_key="SECRET-KEY-123")
    resolve_references(_mixed_entries(), opts)
    req = requests_to(httpserver, BATCH_URL)[0]
    assert req.headers["User-Agent"].endswith("(mailto:tests@example.org)")
    assert req.args["mailto"] == "tests@example.org"
    efetch = requests_to(httpserver, "/eutils/efetch.fcgi")[0]
    assert efetch.args["api_key"] == "SECRET-KEY-123"
    raw = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert b"SECRET-KEY-123" not in raw and b"tests@example.org" not in raw


def test_1000_pmids_take_at_most_5_requests(httpserver, resolve_clock, tmp_path):
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        efetch_handler(pubmed_articles()))
    pmids = [str(30000000 + i) for i in range(999)] + ["12091962"]
    refs = [ref(f"k{i}", pmid=p) for i, p in enumerate(pmids)]
    seen = []
    res = resolve_references(refs, options(httpserver, tmp_path), progress=lambda d, t: seen.append((d, t)))
    calls = requests_to(httpserver, "/eutils/efetch.fcgi")
    assert len(calls) == 5
    assert {c.method for c in calls} == {"POST"}
    assert sum(len(c.form["id"].split(",")) for c in calls) == 1000
    assert res["k999"].status == "verified"
    assert sum(r.status == "not-found" for r in res.values()) == 999
    assert seen[-1] == (1000, 1000)
    # the POST batches are cached too
    resolve_references(refs, options(httpserver, tmp_path))
    assert len(requests_to(httpserver, "/eutils/efetch.fcgi")) == 5


def test_openalex_batches_50_dois(httpserver, resolve_clock, tmp_path):
    httpserver.expect_request("/openalex/works").respond_with_handler(openalex_handler({}))
    refs = [ref(f"d{i}", doi=f"10.5555/test.{i:04d}") for i in range(120)]
    res = resolve_references(refs, options(httpserver, tmp_path, sources=("openalex",)))
    calls = requests_to(httpserver, "/openalex/works")
    assert len(calls) == 3
    assert sorted(len(c.args["filter"].removeprefix("doi:").split("|")) for c in calls) == [20, 50, 50]
    assert {r.status for r in res.values()} == {"not-found"}


def _at_most(stamps: list[float], n: int, seconds: float = 1.0) -> bool:
    """No window of ``seconds`` holds more than ``n`` of the (sorted) stamps."""
    stamps = sorted(stamps)
    return all(stamps[i + n] - stamps[i] >= seconds - 1e-9 for i in range(len(stamps) - n))


def test_rate_limit_is_never_exceeded(httpserver, resolve_clock, tmp_path):
    # requests are stamped with the virtual clock when they reach the server;
    # every DOI is absent from the batch, so each is confirmed by a single lookup
    lists, singles = [], []

    def handle_list(request):
        lists.append(resolve_clock.now())
        return empty_list()

    def handle_single(request):
        singles.append(resolve_clock.now())
        return Response("Resource not found.", status=404)
    httpserver.expect_request(BATCH_URL).respond_with_handler(handle_list)
    httpserver.expect_request(CROSSREF_SINGLE).respond_with_handler(handle_single)
    refs = [ref(f"r{i}", doi=f"10.5555/rate.{i}") for i in range(25)]
    opts = crossref_only(httpserver, tmp_path, crossref_rps=5, workers=1)
    res = resolve_references(refs, opts)
    assert (len(lists), len(singles)) == (1, 25)
    assert _at_most(singles, 5) and _at_most(lists + singles, 5)  # at most 5 in any 1-second window
    assert singles[-1] - singles[0] == pytest.approx(24 / 5)
    assert {r.status for r in res.values()} == {"not-found"}


def test_list_queries_keep_crossrefs_tighter_list_rate(httpserver, resolve_clock, tmp_path):
    # Crossref limits filter/search queries apart from single-DOI lookups. One
    # worker: the virtual clock adds up the sleeps of concurrent threads
    stamps = []

    def handle(request):
        stamps.append(resolve_clock.now())
        items = [dict(plos_item(), DOI=d) for d in crossref_filter_dois(request)]
        return Response(json.dumps(crossref_list(items)), content_type="application/json")
    httpserver.expect_request(BATCH_URL).respond_with_handler(handle)
    refs = [ref(f"r{i}", doi=f"10.5555/list.{i:03d}") for i in range(200)]
    opts = crossref_only(httpserver, tmp_path, crossref_rps=10, crossref_list_rps=2, workers=1)
    res = resolve_references(refs, opts)
    assert len(stamps) == 5 and len(httpserver.log) == 5
    assert _at_most(stamps, 2)
    assert sorted(stamps)[-1] - sorted(stamps)[0] == pytest.approx(4 / 2)
    assert {r.records[0].status for r in res.values()} == {"found"}


def test_rate_limiter_spaces_slots_across_threads():
    clock = FakeClock()
    limiter = RateLimiter(10.0, Clock(now=clock.now, sleep=clock.sleep))
    granted, lock = [], threading.Lock()

    def worker():
        for _ in range(10):
            limiter.acquire()
            with lock:
                granted.append(limiter._next - limiter.interval)
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slots = sorted(set(granted))
    assert len(slots) == 40
    gaps = [b - a for a, b in zip(slots, slots[1:])]
    assert min(gaps) == pytest.approx(0.1)


def test_changing_the_contact_keeps_the_cache(httpserver, resolve_clock, tmp_path):
    """The contact is left out of cache keys (before: requests-cache keyed on it after all)."""
    _full_api(httpserver)
    first = resolve_references(_mixed_entries(), options(httpserver, tmp_path))
    offline = options(httpserver, tmp_path, mode="offline", mailto="someone.else@example.org")
    assert resolve_references(_mixed_entries(), offline) == first


def test_stored_responses_are_data_only(httpserver, resolve_clock, tmp_path):
    """responses.sqlite holds status, content type, body bytes and the URL without private
    parameters; answers.sqlite JSON text: no column any code is loaded from."""
    import sqlite3

    _full_api(httpserver)
    resolve_references(_mixed_entries(), options(httpserver, tmp_path))
    db = sqlite3.connect(tmp_path / "cache" / "responses.sqlite")
    rows = db.execute("SELECT typeof(key), typeof(status), typeof(content_type), typeof(body), "
                      "typeof(url), url FROM responses").fetchall()
    db.close()
    assert rows and {r[:5] for r in rows} == {("text", "integer", "text", "blob", "text")}
    assert all("mailto" not in r[5] and "email" not in r[5] for r in rows)


def test_pubmed_records_are_stored_one_per_pmid(httpserver, resolve_clock, tmp_path):
    """A run on the cache takes each PMID's record from the answer store instead of parsing
    the batch's XML again; a bibliography that gained a PMID asks only for that one."""
    articles = pubmed_articles()
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(efetch_handler(articles))
    pmids = sorted(articles) + ["30000001"]
    refs = [ref(f"k{i}", pmid=p) for i, p in enumerate(pmids)]
    first = resolve_references(refs, options(httpserver, tmp_path))
    assert len(requests_to(httpserver, "/eutils/efetch.fcgi")) == 1
    (tmp_path / "cache" / "responses.sqlite").unlink()      # the batch's body is gone
    again = resolve_references(refs, options(httpserver, tmp_path, mode="offline"))
    assert again == first
    assert {r.status for r in again.values()} >= {"verified", "not-found"}
    grown = refs + [ref("new", pmid="30000002")]
    resolve_references(grown, options(httpserver, tmp_path))
    last = requests_to(httpserver, "/eutils/efetch.fcgi")[-1]
    assert len(requests_to(httpserver, "/eutils/efetch.fcgi")) == 2
    assert efetch_ids(last) == ["30000002"]
