"""Wrong or sticky lookups (issue 9, item 6): what an API answers is untrusted data.

What failed before the fix (each test says which input):

- a Crossref ``/works/{doi}`` answer of ``{"message": {}}`` made the entry *verified*: the
  DOI in the answer was never compared with the one asked;
- a malformed 200 body (bad JSON, XML the parser rejects) or such an empty answer was
  cached for 14 days, so the next run did not ask again;
- a redirect to another host was followed and its answer cached;
- a body of any size was read whole (200 MB: 1.7 GB RSS, 801 MB written to the cache).

The XML parser already rejected entity expansion bombs and external entities; the last
tests keep it so.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from resolve_support import (
    CROSSREF_SINGLE,
    ENTREZ,
    HABANERO,
    REVIEW_PMID,
    crossref_body,
    crossref_list,
    crossref_work,
    efetch_handler,
    options,
    pubmed_articles,
    ref,
    requests_to,
)
from werkzeug import Request, Response

from evgrade.resolve import resolution_findings, resolve_references

PLOS_DOI = "10.1371/journal.pone.0033693"
PLOS_TITLE = ("Methylphenidate exposure induces dopamine neuron loss and activation of "
              "microglia in the basal ganglia of mice")
REVIEW_TITLE = "The treatment of AIDS behind the walls of correctional facilities"
MB = 1024 * 1024


def plos_entry():
    return ref("plos", doi=PLOS_DOI, title=PLOS_TITLE, year="2012", authors=("Sadasivan, Shankar",))


def review_entry():
    return ref("review", pmid=REVIEW_PMID, title=REVIEW_TITLE, year="1990",
               authors=("Olivero, J. Michael",))


def plos_item() -> dict:
    return crossref_work(HABANERO / "test_works_with_one_id_0.json")


def json_response(data) -> Response:
    return Response(json.dumps(data), content_type="application/json")


def played(*bodies):
    """A handler answering each body in turn (then the last again); ``served`` counts calls."""
    lock = threading.Lock()
    served: list[int] = []

    def handle(request: Request) -> Response:
        with lock:
            i = min(len(served), len(bodies) - 1)
            served.append(i)
        return bodies[i]()
    handle.served = served  # type: ignore[attr-defined]
    return handle


def crossref_single(server, handler) -> None:
    """A Crossref whose filter query returns nothing, so every DOI is asked alone."""
    server.expect_request("/crossref/works").respond_with_handler(
        lambda _: json_response(crossref_list([])))
    server.expect_request(CROSSREF_SINGLE).respond_with_handler(handler)


def crossref_opts(server, tmp_path, **kw):
    return options(server, tmp_path, sources=("crossref",), max_retries=0, **kw)


def pubmed_opts(server, tmp_path, **kw):
    return options(server, tmp_path, sources=("pubmed",), max_retries=0, **kw)


def good_single() -> Response:
    return json_response(crossref_body(plos_item()))


# ---------------------------------------------- a record must carry what was asked

@pytest.mark.parametrize("item", [
    {},                                                    # before: verified
    {"DOI": PLOS_DOI},                                     # no title: before, verified
    {"DOI": "10.1371/journal.pone.0000001", "title": [PLOS_TITLE]},  # another DOI: before, verified
], ids=["empty", "no-title", "other-doi"])
def test_an_answer_without_the_doi_asked_and_a_title_does_not_verify(httpserver, resolve_clock,
                                                                     tmp_path, item):
    crossref_single(httpserver, played(lambda: json_response(crossref_body(item)), good_single))
    r = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path))["plos"]
    assert r.status == "unverified"
    [finding] = resolution_findings(plos_entry(), r)
    assert finding.code == "EV406" and "could not verify" in finding.message
    # not kept as an answer: the next run asks again and gets the real record
    again = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path))["plos"]
    assert again.status == "verified"
    assert len(requests_to(httpserver, "/crossref/works/")) == 2


@pytest.mark.parametrize("body", ['{"message": {"DOI": "10.1371/journal.pone.0033693", "title"',
                                  "<html>Service maintenance</html>", "[" * 100_000],
                         ids=["cut-json", "html", "deep-nesting"])
def test_a_malformed_body_is_never_kept(httpserver, resolve_clock, tmp_path, body):
    """Before: cached for 14 days (the deeply nested one raised RecursionError: exit 3)."""
    handler = played(lambda: Response(body, content_type="application/json"), good_single)
    crossref_single(httpserver, handler)
    first = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path))["plos"]
    assert first.status == "unverified" and first.records[0].error == "malformed body"
    offline = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path, mode="offline"))
    assert offline["plos"].records[0].error == "not in cache (offline)"
    assert resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path))["plos"].status \
        == "verified"


def test_an_efetch_body_the_parser_rejects_is_never_kept(httpserver, resolve_clock, tmp_path):
    """Before: the rejected XML was cached and the next run answered "malformed" from it."""
    good = efetch_handler(pubmed_articles())
    bodies = iter([lambda req: Response("<PubmedArticleSet><PubmedArticle>", content_type="text/xml"),
                   good])
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        lambda req: next(bodies, good)(req))
    first = resolve_references([review_entry()], pubmed_opts(httpserver, tmp_path))["review"]
    assert first.status == "unverified" and first.records[0].error == "malformed body"
    assert resolve_references([review_entry()], pubmed_opts(httpserver, tmp_path))["review"].status \
        == "verified"


# ------------------------------------------------------------------ redirects

@pytest.fixture
def elsewhere():
    """Another host (127.0.0.1, not localhost) serving a convincing answer."""
    server = HTTPServer(host="127.0.0.1")
    server.start()
    server.expect_request(CROSSREF_SINGLE).respond_with_handler(lambda _: good_single())
    yield server
    server.clear()
    server.stop()


def test_a_redirect_to_another_host_is_refused(httpserver, resolve_clock, tmp_path, elsewhere):
    """Before: followed, its answer verified the entry and was cached."""
    target = elsewhere.url_for(f"/crossref/works/{PLOS_DOI}")
    crossref_single(httpserver, lambda _: Response("", status=302, headers={"Location": target}))
    r = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path))["plos"]
    assert r.status == "unverified"
    assert "another host" in r.records[0].error and "127.0.0.1" in r.records[0].error
    assert elsewhere.log == []
    offline = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path, mode="offline"))
    assert offline["plos"].records[0].error == "not in cache (offline)"


def test_a_redirect_on_the_same_host_is_followed_and_kept(httpserver, resolve_clock, tmp_path):
    crossref_single(httpserver, lambda _: Response(
        "", status=301, headers={"Location": f"/crossref/moved/{PLOS_DOI}"}))
    httpserver.expect_request(f"/crossref/moved/{PLOS_DOI}").respond_with_handler(
        lambda _: good_single())
    assert resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path))["plos"].status \
        == "verified"
    offline = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path, mode="offline"))
    assert offline["plos"].status == "verified"


def test_a_redirect_loop_ends(httpserver, resolve_clock, tmp_path):
    crossref_single(httpserver, lambda req: Response(
        "", status=302, headers={"Location": req.path}))
    r = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path))["plos"]
    assert r.status == "unverified" and "redirect" in r.records[0].error
    assert len(requests_to(httpserver, "/crossref/works/")) <= 10


# ------------------------------------------------------------------- body size

def endless_efetch(total: int, served: list[int]) -> Iterator[bytes]:
    """An efetch body of ``total`` bytes made on the fly; ``served[0]`` counts what was sent."""
    head = b'<?xml version="1.0" ?>\n<PubmedArticleSet>'
    served[0] += len(head)
    yield head
    chunk = b"<!-- padding -->" * 4096  # 64 KiB
    while served[0] < total:
        served[0] += len(chunk)
        yield chunk
    yield b"</PubmedArticleSet>"


def test_a_200_mb_body_is_not_read_past_the_cap(httpserver, resolve_clock, tmp_path):
    """Before: read whole (1.7 GB RSS) and 801 MB written to the cache."""
    served = [0]
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        lambda _: Response(endless_efetch(200 * MB, served), content_type="text/xml"))
    opts = pubmed_opts(httpserver, tmp_path)
    r = resolve_references([review_entry()], opts)["review"]
    assert r.status == "unverified" and "larger than" in r.records[0].error
    cap = opts.max_response_bytes
    assert cap == 20 * MB  # the documented default
    assert served[0] < 2 * cap  # stopped near the cap (plus what the sockets had buffered)
    stored = sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert stored < MB


def test_a_declared_length_over_the_cap_is_refused_unread(httpserver, resolve_clock, tmp_path):
    body = (ENTREZ / "pubmed1.xml").read_bytes()
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_data(body, content_type="text/xml")
    r = resolve_references([review_entry()],
                           pubmed_opts(httpserver, tmp_path, max_response_bytes=1000))["review"]
    assert r.status == "unverified" and "larger than 1,000 bytes" in r.records[0].error


def test_a_compressed_body_is_capped_once_inflated(httpserver, resolve_clock, tmp_path):
    """A few hundred KB of gzip that would inflate to 100 MB."""
    def gzipped() -> Iterator[bytes]:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
        yield packer.compress(b'<?xml version="1.0" ?>\n<PubmedArticleSet>')
        zeros = b" " * MB
        for _ in range(100):
            yield packer.compress(zeros)
        yield packer.compress(b"</PubmedArticleSet>") + packer.flush()

    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        lambda _: Response(gzipped(), content_type="text/xml", headers={"Content-Encoding": "gzip"}))
    r = resolve_references([review_entry()], pubmed_opts(httpserver, tmp_path))["review"]
    assert r.status == "unverified" and "larger than" in r.records[0].error


# ------------------------------------------------------------ XML the parser refuses

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>
<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [ <!ENTITY secret SYSTEM "file://{path}"> ]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>
<ArticleTitle>&secret;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""


def test_an_entity_expansion_bomb_in_efetch_is_malformed(httpserver, resolve_clock, tmp_path):
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_data(
        BILLION_LAUGHS.format(pmid=REVIEW_PMID), content_type="text/xml")
    r = resolve_references([review_entry()], pubmed_opts(httpserver, tmp_path))["review"]
    assert r.status == "unverified" and r.records[0].error == "malformed body"


def test_an_external_entity_in_efetch_is_never_read(httpserver, resolve_clock, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("THE-SECRET-CONTENT", encoding="utf-8")
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_data(
        EXTERNAL_ENTITY.format(path=secret, pmid=REVIEW_PMID), content_type="text/xml")
    r = resolve_references([review_entry()], pubmed_opts(httpserver, tmp_path))["review"]
    assert r.status == "unverified" and r.records[0].error == "malformed body"
    assert "THE-SECRET-CONTENT" not in r.model_dump_json()


def test_an_answer_with_a_megabyte_title_is_cut_to_a_real_size(httpserver, resolve_clock, tmp_path):
    """Before: the whole 'title' went into the record, and from there into every report."""
    item = {**plos_item(), "title": [PLOS_TITLE + " and" * 250_000]}
    crossref_single(httpserver, lambda _: json_response(crossref_body(item)))
    r = resolve_references([plos_entry()], crossref_opts(httpserver, tmp_path))["plos"]
    assert r.status == "verified"  # the title still starts like the entry's
    assert len(r.records[0].title) == 1000
