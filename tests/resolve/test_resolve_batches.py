"""Crossref DOIs in batches: request counts, confirmation of absent DOIs, per-DOI answer cache.

The works served are the recorded PLOS ONE record (tests/data/api/habanero,
see SOURCE.txt); for the many-DOI cases its DOI is replaced by synthetic ones
under 10.5555, Crossref's test prefix.
"""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

import pytest
from resolve_support import (
    CROSSREF_SINGLE,
    HABANERO,
    PLOS_CORRECTED_DOI,
    FakeClock,
    crossref_body,
    crossref_filter_dois,
    crossref_list,
    crossref_work,
    options,
    ref,
    requests_to,
    serve_crossref,
)
from werkzeug import Response

from evgrade.resolve import _http, resolution_findings, resolve_references
from evgrade.resolve.crossref import BATCH, MAX_FILTER_CHARS, SELECT, batches

PLOS_TITLE = ("Methylphenidate exposure induces dopamine neuron loss and activation of "
              "microglia in the basal ganglia of mice")
BATCH_URL = "/crossref/works"


@pytest.fixture
def resolve_clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(_http, "CLOCK", _http.Clock(now=clock.now, sleep=clock.sleep))
    return clock


def plos_item() -> dict:
    return crossref_work(HABANERO / "test_works_with_one_id_0.json")


def synthetic_items(dois: list[str]) -> dict[str, dict]:
    return {d: dict(plos_item(), DOI=d) for d in dois}


def crossref_only(server, tmp_path, **kw):
    return options(server, tmp_path, sources=("crossref",), **kw)


def batch_requests(server) -> list:
    return [r for r, _ in server.log if r.path == BATCH_URL]


def singles(server) -> list[str]:
    return [r.path.removeprefix("/crossref/works/") for r in requests_to(server, "/crossref/works/")]


def test_100_dois_take_ceil_batch_requests_plus_one_per_absent_doi(httpserver, resolve_clock,
                                                                     tmp_path):
    dois = [f"10.5555/batch.{i:03d}" for i in range(100)]
    absent = dois[7::20]  # 5 DOIs Crossref does not know
    serve_crossref(httpserver, synthetic_items([d for d in dois if d not in absent]))
    refs = [ref(f"k{i}", doi=d) for i, d in enumerate(dois)]
    opts = crossref_only(httpserver, tmp_path)
    first = resolve_references(refs, opts)

    lists = batch_requests(httpserver)
    assert len(lists) == math.ceil(100 / BATCH)
    assert sorted(singles(httpserver)) == absent            # only the absent ones, once each
    assert len(httpserver.log) <= math.ceil(100 / BATCH) + len(absent)
    asked = [d for r in lists for d in crossref_filter_dois(r)]
    assert sorted(asked) == dois                             # every DOI in exactly one batch
    for r in lists:
        assert r.args["filter"].startswith("doi:10.5555/batch.")
        assert r.args["rows"] == str(len(crossref_filter_dois(r)))
        assert r.args["select"] == SELECT and r.args["mailto"] == "tests@example.org"
    status = {k: r.status for k, r in first.items()}
    assert sum(s == "verified" for s in status.values()) == 95
    assert [k for k, s in status.items() if s == "not-found"] == ["k7", "k27", "k47", "k67", "k87"]

    # a second identical run makes zero requests and gives the same answers
    sent = len(httpserver.log)
    assert resolve_references(refs, opts) == first
    assert len(httpserver.log) == sent
    # so does offline mode
    assert resolve_references(refs, opts.model_copy(update={"mode": "offline"})) == first
    assert len(httpserver.log) == sent


def test_a_grown_bibliography_asks_only_its_new_dois(httpserver, resolve_clock, tmp_path):
    dois = [f"10.5555/grow.{i:03d}" for i in range(60)]
    new = "10.5555/grow.0305"  # sorts into the middle: every later batch shifts
    serve_crossref(httpserver, synthetic_items(dois + [new]))
    refs = [ref(f"k{i}", doi=d) for i, d in enumerate(dois)]
    opts = crossref_only(httpserver, tmp_path)
    resolve_references(refs, opts)
    sent = len(httpserver.log)
    grown = refs + [ref("new", doi=new)]

    offline = resolve_references(grown, opts.model_copy(update={"mode": "offline"}))
    assert len(httpserver.log) == sent
    assert all(offline[f"k{i}"].status == "verified" for i in range(60))
    assert offline["new"].status == "unverified"
    assert offline["new"].records[0].error == "not in cache (offline)"

    online = resolve_references(grown, opts)
    [request] = [r for r, _ in httpserver.log[sent:]]    # one batch, of the new DOI only
    assert request.path == BATCH_URL and crossref_filter_dois(request) == [new]
    assert online["new"].status == "verified"


def test_absent_from_the_batch_but_found_alone_is_found(httpserver, resolve_clock, tmp_path):
    # a filter can miss what /works/{doi} finds (an alias DOI, say): absence proves nothing
    httpserver.expect_request(BATCH_URL).respond_with_json(crossref_list([]))
    httpserver.expect_request(f"/crossref/works/{PLOS_CORRECTED_DOI}").respond_with_json(
        crossref_body(plos_item()))
    entry = ref("plos", doi=PLOS_CORRECTED_DOI, title=PLOS_TITLE, year="2012")
    r = resolve_references([entry], crossref_only(httpserver, tmp_path))["plos"]
    assert r.status == "verified"
    assert [u.kind for u in r.updates] == ["correction"]
    assert singles(httpserver) == [PLOS_CORRECTED_DOI]


def test_absent_from_the_batch_and_its_lookup_fails_is_unverified(httpserver, resolve_clock,
                                                                   tmp_path):
    httpserver.expect_request(BATCH_URL).respond_with_json(crossref_list([]))
    httpserver.expect_request(CROSSREF_SINGLE).respond_with_data("down", status=503)
    entry = ref("plos", doi=PLOS_CORRECTED_DOI, title=PLOS_TITLE)
    r = resolve_references([entry], crossref_only(httpserver, tmp_path, max_retries=1))["plos"]
    assert r.status == "unverified"                       # never not-found
    assert r.records[0].error == "HTTP 503 after 2 attempts"
    assert [f.code for f in resolution_findings(entry, r)] == ["EV406"]


def test_confirmation_honours_retry_after(httpserver, resolve_clock, tmp_path):
    served = []

    def single(request):
        served.append(1)
        if len(served) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "3"})
        return Response(json.dumps(crossref_body(plos_item())), content_type="application/json")
    httpserver.expect_request(BATCH_URL).respond_with_json(crossref_list([]))
    httpserver.expect_request(CROSSREF_SINGLE).respond_with_handler(single)
    entry = ref("plos", doi=PLOS_CORRECTED_DOI, title=PLOS_TITLE)
    r = resolve_references([entry], crossref_only(httpserver, tmp_path))["plos"]
    assert r.status == "verified" and len(served) == 2
    assert 3.0 in resolve_clock.sleeps


def test_a_refused_batch_is_asked_one_doi_at_a_time(httpserver, resolve_clock, tmp_path):
    httpserver.expect_request(BATCH_URL).respond_with_data("URI Too Long", status=414)
    httpserver.expect_request(CROSSREF_SINGLE).respond_with_handler(
        lambda request: Response(json.dumps(crossref_body(plos_item())),
                                 content_type="application/json")
        if request.path.endswith(PLOS_CORRECTED_DOI)
        else Response((HABANERO / "test_works_bad_id_warn_0.txt").read_text(encoding="utf-8"),
                      status=404))
    refs = [ref("plos", doi=PLOS_CORRECTED_DOI, title=PLOS_TITLE),
            ref("gone", doi="10.5555/refused.1")]
    res = resolve_references(refs, crossref_only(httpserver, tmp_path))
    assert {k: r.status for k, r in res.items()} == {"plos": "verified", "gone": "not-found"}
    assert len(batch_requests(httpserver)) == 1              # a refusal is not retried
    assert sorted(singles(httpserver)) == [PLOS_CORRECTED_DOI, "10.5555/refused.1"]


def test_a_doi_with_a_comma_is_looked_up_alone(httpserver, resolve_clock, tmp_path):
    odd = "10.5555/a,b"
    serve_crossref(httpserver, {PLOS_CORRECTED_DOI: plos_item()})
    refs = [ref("plos", doi=PLOS_CORRECTED_DOI, title=PLOS_TITLE), ref("odd", doi=odd)]
    res = resolve_references(refs, crossref_only(httpserver, tmp_path))
    [batch] = batch_requests(httpserver)
    assert crossref_filter_dois(batch) == [PLOS_CORRECTED_DOI]
    assert singles(httpserver) == [odd]
    assert res["odd"].status == "not-found" and res["plos"].status == "verified"


def test_updated_by_survives_select_and_the_answer_cache(httpserver, resolve_clock, tmp_path):
    # the fake applies `select` as Crossref does: a field left out would be lost
    serve_crossref(httpserver, {PLOS_CORRECTED_DOI: plos_item()})
    entry = ref("plos", doi=PLOS_CORRECTED_DOI, title=PLOS_TITLE, year="2012")
    opts = crossref_only(httpserver, tmp_path)
    online = resolve_references([entry], opts)["plos"]
    assert [(u.kind, u.doi) for u in online.updates] == [
        ("correction", "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda")]
    assert singles(httpserver) == []
    # a bigger bibliography offline: the DOI's answer comes from the per-DOI store
    more = [entry, ref("other", doi="10.5555/unseen")]
    offline = resolve_references(more, opts.model_copy(update={"mode": "offline"}))["plos"]
    assert offline == online


def test_refresh_asks_again_despite_stored_answers(httpserver, resolve_clock, tmp_path):
    serve_crossref(httpserver, {PLOS_CORRECTED_DOI: plos_item()})
    entry = ref("plos", doi=PLOS_CORRECTED_DOI, title=PLOS_TITLE)
    opts = crossref_only(httpserver, tmp_path)
    resolve_references([entry], opts)
    resolve_references([entry], opts.model_copy(update={"mode": "refresh"}))
    assert len(httpserver.log) == 2


def test_batches_are_sorted_bounded_and_fit_the_url_budget():
    dois = [f"10.5555/b.{i:03d}" for i in range(95)]
    groups, alone = batches(reversed(dois))
    assert [len(g) for g in groups] == [40, 40, 15] and alone == []
    assert [d for g in groups for d in g] == dois
    # long DOIs: fewer per batch, each batch's encoded filter within budget
    long = [f"10.5555/{'x' * 150}.{i:03d}" for i in range(40)]
    groups, _ = batches(long)
    for g in groups:
        assert len(urlencode({"filter": ",".join(f"doi:{d}" for d in g)})) - len("filter=") \
            <= MAX_FILTER_CHARS
    assert len(groups) > 1
    groups, alone = batches(["10.5555/a,b", "10.5555/c", "10.5555/" + "y" * 3000])
    assert groups == [["10.5555/c"]] and alone == ["10.5555/a,b", "10.5555/" + "y" * 3000]
