"""A source from outside the package, used by resolve_references, `evgrade resolve` and `evgrade score`.

The source is tests/resolve/plugin/evgrade_s2_source.py, installed by the
``s2_plugin`` fixture as a distribution whose entry point evgrade finds. Its
answers are Semantic Scholar's recorded batch answer
(tests/data/api/semanticscholar, see SOURCE.txt); the other sources answer
from their recordings too, all on the local server.
"""

from __future__ import annotations

import json

import pytest
from resolve_support import DID_DOI, ELIFE_DOI, MICROFINANCE_DOI, options, point_sources_at, ref

from evgrade.cli import main
from evgrade.models import Report
from evgrade.resolve import design_from_resolution, resolution_findings, resolve_references
from test_resolve_online import ELIFE_TITLE

BATCH = "/s2/paper/batch"

# facts from the recorded Semantic Scholar answer and the recorded eLife work
BIB = f"""@article{{microfinance,
  author = {{Duflo, E. and Banerjee, A. and Glennerster, R. and Kinnan, Cynthia}},
  title = {{The Miracle of Microfinance? Evidence from a Randomized Evaluation}},
  journal = {{ERN: Credit Risk (Topic)}}, year = {{2013}}, doi = {{{MICROFINANCE_DOI}}}
}}

@article{{did,
  author = {{Bertrand, Marianne and Duflo, E. and Mullainathan, S.}},
  title = {{How Much Should We Trust Differences-in-Differences Estimates?}},
  year = {{2001}}, doi = {{{DID_DOI}}}
}}

@article{{elife,
  author = {{Sankar, Martial and others}},
  title = {{{ELIFE_TITLE}}},
  journal = {{eLife}}, year = {{2014}}, doi = {{{ELIFE_DOI}}}
}}
"""

# the claim is the DiD abstract's own finding
DRAFT = """---
bibliography: refs.bib
---

With about 20 years of data, difference-in-differences estimation finds an effect significant
at the 5% level for up to 45% of placebo laws [@did].
"""


def entries():
    return [ref("microfinance", doi=MICROFINANCE_DOI, year="2013",
                authors=("Duflo, E.", "Banerjee, A."),
                title="The Miracle of Microfinance? Evidence from a Randomized Evaluation"),
            ref("did", doi=DID_DOI, year="2001", authors=("Bertrand, Marianne",),
                title="How Much Should We Trust Differences-in-Differences Estimates?"),
            ref("elife", doi=ELIFE_DOI, year="2014", authors=("Sankar, Martial",), title=ELIFE_TITLE)]


def s2_options(server, tmp_path, **kw):
    return options(server, tmp_path, source_settings={"semanticscholar": {
        "url": server.url_for("/s2"), "api_key": "S2-SECRET-KEY"}}, **kw)


def test_the_plugin_answers_and_its_verdict_counts(s2_plugin, s2_api, resolve_clock, tmp_path):
    without = resolve_references(entries(), options(s2_api, tmp_path / "a",
                                                    sources=("pubmed", "crossref", "openalex")))
    assert {k: r.status for k, r in without.items()} == {
        "microfinance": "not-found", "did": "not-found", "elife": "verified"}
    s2_api.clear_log()

    res = resolve_references(entries(), s2_options(s2_api, tmp_path / "b"))
    assert {k: r.status for k, r in res.items()} == {
        "microfinance": "verified", "did": "verified", "elife": "verified"}
    assert [(r.source, r.status) for r in res["did"].records] == [
        ("crossref", "not-found"), ("openalex", "not-found"), ("semanticscholar", "found")]
    did = res["did"].records[-1]
    assert (did.title, did.year, did.first_author, did.publication_types) == (
        "How Much Should We Trust Differences-in-Differences Estimates?", "2001", "Bertrand",
        ("Review",))
    # Semantic Scholar does not know the eLife paper: said so, outvoted by the others
    assert res["elife"].records[-1].status == "not-found"
    # the plugin's design opinion, under its own name
    call = design_from_resolution(res["did"])
    assert (call.design, call.source, call.evidence) == ("narrative-review", "semanticscholar", "Review")
    assert design_from_resolution(res["microfinance"]) is None  # no publication types


def test_one_batch_request_for_all_dois_with_its_key_kept_out_of_the_cache(
        s2_plugin, s2_api, resolve_clock, tmp_path):
    opts = s2_options(s2_api, tmp_path)
    first = resolve_references(entries(), opts)
    [batch] = [r for r, _ in s2_api.log if r.path == BATCH]
    assert json.loads(batch.get_data(as_text=True)) == {
        "ids": sorted(f"DOI:{d}" for d in (MICROFINANCE_DOI, DID_DOI, ELIFE_DOI))}
    assert batch.headers["x-api-key"] == "S2-SECRET-KEY"
    assert batch.headers["User-Agent"].endswith("(mailto:tests@example.org)")
    raw = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert b"S2-SECRET-KEY" not in raw
    sent = len(s2_api.log)
    assert resolve_references(entries(), opts) == first   # from the cache
    assert len(s2_api.log) == sent
    assert resolve_references(entries(), opts.model_copy(update={"mode": "offline"})) == first


def test_a_failing_plugin_leaves_its_dois_unverified(s2_plugin, httpserver, resolve_clock, tmp_path):
    httpserver.expect_request(BATCH, method="POST").respond_with_data("down", status=503)
    opts = s2_options(httpserver, tmp_path, sources=("semanticscholar",), max_retries=1)
    entry = entries()[1]
    r = resolve_references([entry], opts)["did"]
    assert r.status == "unverified"
    [finding] = resolution_findings(entry, r)
    assert finding.message == (f"could not verify DOI {DID_DOI} "
                               "(Semantic Scholar: HTTP 503 after 2 attempts)")


@pytest.fixture
def project(tmp_path, monkeypatch, s2_api):
    """A project folder and an environment as a user's shell would give the CLI."""
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EVGRADE_MAILTO", "tests@example.org")
    for name in ("NCBI_API_KEY", "S2_API_KEY", "EVGRADE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def test_evgrade_resolve_uses_the_installed_plugin(project, s2_api, resolve_clock, monkeypatch,
                                                   capsys, request):
    point_sources_at(s2_api, monkeypatch)
    code, out = cli(["resolve", "--bib", "refs.bib", "-f", "json"], capsys)
    payload = json.loads(out)
    assert code == 1  # without the plugin, two DOIs are not found (EV401, an error)
    assert {k: r["status"] for k, r in payload["resolutions"].items()} == {
        "microfinance": "not-found", "did": "not-found", "elife": "verified"}

    request.getfixturevalue("s2_plugin")  # now install it
    point_sources_at(s2_api, monkeypatch)
    code, out = cli(["resolve", "--bib", "refs.bib", "-f", "json"], capsys)
    payload = json.loads(out)
    assert code == 0
    assert {k: r["status"] for k, r in payload["resolutions"].items()} == {
        "microfinance": "verified", "did": "verified", "elife": "verified"}
    assert payload["resolutions"]["microfinance"]["records"][-1]["source"] == "semanticscholar"
    assert [f["code"] for f in payload["findings"]] == []
    assert len([r for r, _ in s2_api.log if r.path == BATCH]) == 1

    code, out = cli(["resolve", "--bib", "refs.bib"], capsys)  # the table names it too
    row = next(line for line in out.splitlines() if line.startswith("did "))
    assert "crossref:not-found, openalex:not-found, semanticscholar:found" in row


def test_evgrade_score_resolve_grades_with_the_plugin(project, s2_plugin, s2_api, resolve_clock,
                                                      monkeypatch, capsys):
    point_sources_at(s2_api, monkeypatch)
    code, out = cli(["score", "draft.md", "--resolve", "-f", "json"], capsys)
    report = Report.model_validate_json(out)
    entry = report.entries["did"]
    assert entry.resolution.status == "verified" and entry.traceable
    assert entry.resolution.records[-1].source == "semanticscholar"
    assert (entry.design.design, entry.design.source) == ("narrative-review", "semanticscholar")
    [claim] = report.articles[0].claims
    assert claim.traceable and claim.grade == "review"
    assert not [f for f in report.findings if f.code.startswith("EV4")]
