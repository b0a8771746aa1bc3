"""End to end against a local server replaying recorded API bodies: verdicts and findings."""

from __future__ import annotations

import json

from resolve_support import (
    BAD_DOI,
    CHAPTER_DOI,
    COMMONMETA,
    ELIFE_DOI,
    HABANERO,
    OBSERVATIONAL_PMID,
    PLOS_CORRECTED_DOI,
    REVIEW_PMID,
    crossref_list,
    crossref_work,
    openalex_handler,
    options,
    read_json,
    ref,
    requests_to,
    serve_crossref,
)

from evgrade.resolve import design_from_resolution, resolution_findings, resolve_references

ELIFE_TITLE = ("Automated quantitative histology reveals vascular morphodynamics during "
               "Arabidopsis hypocotyl secondary growth")


def entries():
    return [
        ref("review", pmid=REVIEW_PMID, authors=("Olivero, J. Michael",), year="1990",
            title="The treatment of AIDS behind the walls of correctional facilities"),
        ref("cohort", pmid=OBSERVATIONAL_PMID, authors=("Bao, Ying",), year="2017",
            title="Leucocyte telomere length, genetic variants at the TERT gene region "
                  "and risk of pancreatic cancer"),
        ref("elife", doi=ELIFE_DOI, authors=("Sankar, Martial",), year="2014", title=ELIFE_TITLE),
        ref("fabricated", doi=ELIFE_DOI, authors=("Smith, John",), year="2019",
            title="Vitamin D supplementation prevents fractures in older women"),
        ref("corrected", doi=PLOS_CORRECTED_DOI, authors=("Sadasivan, Shankar",), year="2012",
            title="Methylphenidate exposure induces dopamine neuron loss and activation of "
                  "microglia in the basal ganglia of mice"),
        ref("missing", doi=BAD_DOI, title="A paper that does not exist", year="2020"),
        ref("chapter", doi=CHAPTER_DOI, entry_type="incollection", year="2015",
            title="Clinical Symptoms and Physical Examinations"),
        ref("bare", title="Some web page", entry_type="online"),
    ]


def test_verdicts_for_recorded_works(resolve_api, resolve_clock, tmp_path):
    res = resolve_references(entries(), options(resolve_api, tmp_path))
    assert list(res) == ["review", "cohort", "elife", "fabricated", "corrected", "missing",
                         "chapter", "bare"]
    status = {k: r.status for k, r in res.items()}
    assert status == {"review": "verified", "cohort": "verified", "elife": "verified",
                      "fabricated": "mismatch", "corrected": "verified", "missing": "not-found",
                      "chapter": "verified", "bare": "no-identifier"}
    assert res["elife"].match_score == 1.0
    assert res["fabricated"].match_score < 0.5
    # Crossref 404 for the chapter, but OpenAlex found it: found wins
    assert {r.source: r.status for r in res["chapter"].records} == {
        "crossref": "not-found", "openalex": "found"}
    assert [u.kind for u in res["corrected"].updates] == ["correction"]
    assert not any(r.retracted for r in res.values())


def test_doi_entries_reach_pubmed_through_openalex_pmid(resolve_api, resolve_clock, tmp_path):
    resolve_references([entries()[2]], options(resolve_api, tmp_path))
    efetch = requests_to(resolve_api, "/eutils/efetch.fcgi")
    # OpenAlex reported PMID 24520159 for the eLife DOI; PubMed was asked for it
    assert [r.args.get("id") for r in efetch] == ["24520159"]
    assert efetch[0].args.get("tool") == "evgrade"
    assert efetch[0].args.get("email") == "tests@example.org"


def test_findings_messages(resolve_api, resolve_clock, tmp_path):
    refs = entries()
    res = resolve_references(refs, options(resolve_api, tmp_path))
    found = {r.key: resolution_findings(r, res[r.key], "refs.bib") for r in refs}
    assert found["review"] == [] and found["elife"] == [] and found["chapter"] == []
    [mismatch] = found["fabricated"]
    assert mismatch.code == "EV402" and mismatch.severity == "error"
    assert mismatch.message.startswith(
        f"DOI {ELIFE_DOI} resolves to a different work: '{ELIFE_TITLE}' (2014)")
    assert (mismatch.path, mismatch.line, mismatch.key) == ("refs.bib", 3, "fabricated")
    [missing] = found["missing"]
    assert missing.code == "EV401"
    assert missing.message == f"DOI {BAD_DOI} was not found by Crossref and OpenAlex"
    [correction] = found["corrected"]
    assert correction.code == "EV404"
    assert "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda 2012-05-08" in correction.message


def test_designs_from_online_records(resolve_api, resolve_clock, tmp_path):
    res = resolve_references(entries(), options(resolve_api, tmp_path))
    review, cohort = design_from_resolution(res["review"]), design_from_resolution(res["cohort"])
    assert (review.design, review.source) == ("narrative-review", "pubmed")
    assert (cohort.design, cohort.source, cohort.evidence) == (
        "cohort-study", "pubmed", "Observational Study")
    chapter = design_from_resolution(res["chapter"])
    assert (chapter.design, chapter.source) == ("narrative-review", "openalex")
    assert design_from_resolution(res["elife"]) is None  # "journal-article" says nothing
    assert design_from_resolution(res["fabricated"]) is None


def test_retraction_notice_from_crossref(httpserver, resolve_clock, tmp_path):
    # Built by editing a real record: the recorded PLOS ONE work's updated-by
    # notice is a correction; here its type is changed to "retraction". None of
    # the recorded Crossref bodies carries a real retraction notice.
    item = crossref_work(HABANERO / "test_works_with_one_id_0.json")
    item["updated-by"][0]["type"] = "retraction"
    item["updated-by"][0]["label"] = "Retraction"
    serve_crossref(httpserver, {PLOS_CORRECTED_DOI: item})
    entry = entries()[4]
    res = resolve_references([entry], options(httpserver, tmp_path, sources=("crossref",)))
    r = res["corrected"]
    assert r.status == "verified" and r.retracted
    [finding] = resolution_findings(entry, r, "refs.bib")
    assert finding.code == "EV403"
    assert "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda" in finding.message


def test_retraction_of_another_work_is_not_blamed_on_the_entry(httpserver, resolve_clock, tmp_path):
    # same edited record, cited under a title that does not match: mismatch, not retracted
    item = crossref_work(HABANERO / "test_works_with_one_id_0.json")
    item["updated-by"][0]["type"] = "retraction"
    serve_crossref(httpserver, {PLOS_CORRECTED_DOI: item})
    entry = ref("x", doi=PLOS_CORRECTED_DOI, title="Exercise and depression in adolescents")
    r = resolve_references([entry], options(httpserver, tmp_path, sources=("crossref",)))["x"]
    assert r.status == "mismatch" and not r.retracted
    assert [f.code for f in resolution_findings(entry, r)] == ["EV402"]


def test_title_search_suggests_a_doi(httpserver, resolve_clock, tmp_path):
    # the envelope is ours; the candidate inside is the recorded PLOS ONE work
    item = crossref_work(HABANERO / "test_works_with_one_id_0.json")
    httpserver.expect_request("/crossref/works").respond_with_json(crossref_list([item]))
    entry = ref("nodoi", authors=("Sadasivan, S.",), year="2012",
                title="Methylphenidate exposure induces dopamine neuron loss and activation "
                      "of microglia in the basal ganglia of mice")
    opts = options(httpserver, tmp_path, search=True)
    r = resolve_references([entry, ref("unrelated", title="Why we sleep")], opts)
    assert r["nodoi"].status == "no-identifier"
    assert r["nodoi"].suggested_doi == PLOS_CORRECTED_DOI
    assert r["nodoi"].suggestion_score == 1.0
    assert r["unrelated"].suggested_doi == "" and r["unrelated"].status == "no-identifier"
    [finding] = resolution_findings(entry, r["nodoi"])
    assert finding.code == "EV407" and PLOS_CORRECTED_DOI in finding.message
    queries = sorted(r.args["query.bibliographic"] for r in requests_to(httpserver, "/crossref/works"))
    assert queries == ["Methylphenidate exposure induces dopamine neuron loss and activation of "
                       "microglia in the basal ganglia of mice Sadasivan 2012", "Why we sleep"]
    assert {r.args["rows"] for r in requests_to(httpserver, "/crossref/works")} == {"3"}


def test_no_search_unless_asked(httpserver, resolve_clock, tmp_path):
    r = resolve_references([ref("nodoi", title="Why we sleep")], options(httpserver, tmp_path))
    assert r["nodoi"].status == "no-identifier" and r["nodoi"].records == ()
    assert len(httpserver.log) == 0


def test_unresolvable_identifier_kinds_are_unverified(httpserver, resolve_clock, tmp_path):
    entry = ref("book", entry_type="book", isbn="9780262033848", title="Some book")
    r = resolve_references([entry], options(httpserver, tmp_path))["book"]
    assert r.status == "unverified"
    [finding] = resolution_findings(entry, r)
    assert finding.code == "EV406"
    assert len(httpserver.log) == 0


def test_openalex_body_is_json_decoded_case_insensitively(httpserver, resolve_clock, tmp_path):
    # a DOI written in upper case in the bib still meets the recorded (lower-case) record
    work = read_json(COMMONMETA / "test-openalex_reader__test_doi_with_data_citation_0.json")
    httpserver.expect_request("/openalex/works").respond_with_handler(
        openalex_handler({ELIFE_DOI: work}))
    entry = ref("elife", doi="https://doi.org/10.7554/eLife.01567", title=ELIFE_TITLE, year="2014")
    r = resolve_references([entry], options(httpserver, tmp_path, sources=("openalex",)))
    assert r["elife"].status == "verified"
    assert json.loads(json.dumps(r["elife"].model_dump()))["records"][0]["doi"] == ELIFE_DOI


def test_doi_naming_another_work_wins_over_a_good_pmid(resolve_api, resolve_clock, tmp_path):
    entry = ref("mixed", pmid=REVIEW_PMID, doi=ELIFE_DOI, year="1990",
                title="The treatment of AIDS behind the walls of correctional facilities")
    r = resolve_references([entry], options(resolve_api, tmp_path))["mixed"]
    assert r.status == "mismatch"
    codes = [(f.code, f.message.split(" resolves")[0]) for f in resolution_findings(entry, r)]
    assert codes == [("EV402", f"DOI {ELIFE_DOI}")]
    assert design_from_resolution(r) is None
