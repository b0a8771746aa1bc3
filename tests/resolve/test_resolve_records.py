"""Parsing recorded PubMed/Crossref/OpenAlex bodies, record-vs-entry matching, designs."""

from __future__ import annotations

import pytest
from resolve_support import COMMONMETA, ENTREZ, HABANERO, crossref_work, read_json, ref

from evgrade.models import Resolution, ResolvedRecord
from evgrade.resolve import design_from_resolution
from evgrade.resolve._http import FetchError, retry_after, user_agent
from evgrade.resolve.crossref import record_from_item
from evgrade.resolve.designs import design_from_pubmed
from evgrade.resolve.openalex import record_from_work
from evgrade.resolve.pubmed import parse_efetch
from evgrade.resolve.verify import compare, family_name, identifier_verdict, normalise


def test_efetch_parses_types_doi_and_first_author():
    recs = parse_efetch((ENTREZ / "pubmed1.xml").read_bytes())
    assert set(recs) == {"12091962", "9997"}
    review = recs["12091962"]
    assert review.publication_types == ("Journal Article", "Review")
    assert review.first_author == "Olivero" and review.year == "1990"
    assert review.venue == "Social justice (San Francisco, Calif.)"
    assert recs["9997"].doi == "10.1016/0005-2795(76)90109-4"
    assert not review.retracted


def test_efetch_title_markup_is_flattened_and_references_ignored():
    rec = parse_efetch((ENTREZ / "pubmed4.xml").read_bytes())["27797938"]
    assert rec.title.startswith("Leucocyte telomere length, genetic variants at the TERT gene")
    assert "Observational Study" in rec.publication_types
    # pubmed7 lists cited works' ArticleIds too; only the article's own DOI counts
    rec7 = parse_efetch((ENTREZ / "pubmed7.xml").read_bytes())["29963580"]
    assert rec7.doi == "10.1117/1.jmi.5.2.026002"


def test_efetch_retraction_from_type_and_comments_corrections():
    # pubmed1.xml with a "Retracted Publication" type and a RetractionIn comment
    # added by us: none of the recorded PubMed bodies is a retracted article
    body = (ENTREZ / "pubmed1.xml").read_text(encoding="utf-8").replace(
        '<PublicationType UI="D016454">Review</PublicationType>',
        '<PublicationType UI="D016454">Review</PublicationType>'
        '<PublicationType UI="D016441">Retracted Publication</PublicationType>', 1)
    rec = parse_efetch(body.encode())["12091962"]
    assert rec.retracted and "Retracted Publication" in rec.publication_types


@pytest.mark.parametrize("body", [b"<html>busy</html>", b"not xml at all", b"<eFetchResult><ERROR>x</ERROR></eFetchResult>"])
def test_efetch_malformed_body_is_an_error(body):
    with pytest.raises(FetchError, match="malformed body"):
        parse_efetch(body)


def test_crossref_updated_by_correction_becomes_notice():
    rec = record_from_item(crossref_work(HABANERO / "test_works_with_one_id_0.json"), "doi:x")
    assert rec.first_author == "Sadasivan" and rec.year == "2012" and rec.venue == "PLoS ONE"
    assert len(rec.updates) == 1
    notice = rec.updates[0]
    assert (notice.kind, notice.date, notice.source) == ("correction", "2012-05-08", "crossref")
    assert notice.doi == "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda"
    assert not rec.retracted


def test_openalex_work_gives_pmid_type_and_retraction_flag():
    work = read_json(COMMONMETA / "test-openalex_reader__test_doi_with_data_citation_0.json")
    rec = record_from_work(work, "10.7554/elife.01567")
    assert rec.pmid == "24520159" and rec.work_type == "article" and rec.year == "2014"
    assert rec.first_author == "Sankar" and not rec.retracted
    work["is_retracted"] = True
    assert record_from_work(work, "10.7554/elife.01567").retracted


def test_normalise_and_family_names():
    assert normalise("A &quot;<i>Blood Relationship&quot;</i> Between…") == "a blood relationship between"
    assert normalise("Müller–Lyer") == "muller lyer"
    assert family_name("Olivero, J. Michael") == "Olivero"
    assert family_name("LoPresti PJ") == "LoPresti"
    assert family_name("Martial Sankar") == "Sankar"


def _pubmed(**kw) -> ResolvedRecord:
    base = dict(source="pubmed", identifier="pmid:12091962", status="found",
                title="The treatment of AIDS behind the walls of correctional facilities.",
                year="1990", first_author="Olivero")
    base.update(kw)
    return ResolvedRecord(**base)


def test_match_tolerates_case_punctuation_and_one_year():
    entry = ref("o", title="The Treatment of {AIDS} behind the Walls of Correctional Facilities",
                year="1991", authors=("Olivero, J. Michael",))
    m = compare(entry, _pubmed())
    assert m.matches and m.year is True and m.author is True and m.title >= 0.95


def test_match_rejects_other_title_year_or_author():
    entry = ref("o", title="Vitamin D supplementation and fracture risk in older adults",
                year="1990", authors=("Olivero, J.",))
    assert not compare(entry, _pubmed()).matches
    same_title = dict(title="The treatment of AIDS behind the walls of correctional facilities")
    assert not compare(ref("o", year="1995", **same_title), _pubmed()).matches
    assert not compare(ref("o", authors=("Smith, A.",), **same_title), _pubmed()).matches


def test_short_title_subset_does_not_match():
    # token_set_ratio alone would score a one-word title 1.0 against any title containing it
    assert not compare(ref("d", title="AIDS"), _pubmed()).matches


def test_identifier_verdict_rules():
    entry = ref("o", title="The treatment of AIDS behind the walls of correctional facilities")
    other = _pubmed(source="crossref", title="Something else entirely about mice and men")
    err = ResolvedRecord(source="openalex", identifier="pmid:1", status="error", error="timeout")
    gone = ResolvedRecord(source="crossref", identifier="pmid:1", status="not-found")
    assert identifier_verdict(entry, "pmid:1", [_pubmed(), err]).status == "verified"
    assert identifier_verdict(entry, "pmid:1", [other]).status == "mismatch"
    assert identifier_verdict(entry, "pmid:1", [gone]).status == "not-found"
    # one source said "no", another failed: nothing is known
    assert identifier_verdict(entry, "pmid:1", [gone, err]).status == "unverified"


@pytest.mark.parametrize("types, design, evidence", [
    (("Journal Article", "Review"), "narrative-review", "Review"),
    (("Journal Article", "Observational Study"), "cohort-study", "Observational Study"),
    (("Review", "Systematic Review", "Meta-Analysis"), "meta-analysis", "Meta-Analysis"),
    (("Randomized Controlled Trial", "Multicenter Study"), "randomized-controlled-trial",
     "Randomized Controlled Trial"),
    (("Controlled Clinical Trial",), "controlled-trial", "Controlled Clinical Trial"),
    # a specific type next to generic ones still decides
    (("Journal Article", "Clinical Trial, Phase III", "Randomized Controlled Trial"),
     "randomized-controlled-trial", "Randomized Controlled Trial"),
    (("Clinical Trial", "Controlled Clinical Trial"), "controlled-trial", "Controlled Clinical Trial"),
    (("Comparative Study", "Observational Study"), "cohort-study", "Observational Study"),
    (("Clinical Trial, Phase II", "Case Reports"), "case-report", "Case Reports"),
    (("Guideline",), "guideline", "Guideline"),
    (("Systematic Review",), "systematic-review", "Systematic Review"),
    (("Meta-Analysis",), "meta-analysis", "Meta-Analysis"),
    (("Case Reports",), "case-report", "Case Reports"),
    (("Practice Guideline",), "guideline", "Practice Guideline"),
    (("Randomized Controlled Trial, Veterinary",), "preclinical",
     "Randomized Controlled Trial, Veterinary"),
])
def test_pubmed_types_to_design(types, design, evidence):
    call = design_from_pubmed(types)
    assert (call.design, call.source, call.evidence) == (design, "pubmed", evidence)


@pytest.mark.parametrize("types", [
    ("Journal Article",),
    ("Journal Article", "Comparative Study"),
    ("Clinical Trial",),
    ("Clinical Trial, Phase I",),
    ("Clinical Trial, Phase II",),
    ("Clinical Trial, Phase III",),
    ("Clinical Trial, Phase IV",),
    ("Journal Article", "Clinical Trial, Phase III", "Multicenter Study", "Comparative Study"),
    ("Journal Article", "Research Support, Non-U.S. Gov't"),
])
def test_generic_types_give_no_design(types):
    assert design_from_pubmed(types) is None


def test_generic_pubmed_type_does_not_downgrade_the_entrys_own_design():
    # pubmed4.xml (a real record) with its "Observational Study" type replaced by
    # two generic ones, by us: none of the recorded bodies is a clinical trial
    body = (ENTREZ / "pubmed4.xml").read_text(encoding="utf-8").replace(
        '<PublicationType UI="D064888">Observational Study</PublicationType>',
        '<PublicationType>Clinical Trial, Phase II</PublicationType>'
        '<PublicationType>Comparative Study</PublicationType>', 1)
    rec = parse_efetch(body.encode())["27797938"]
    assert "Clinical Trial, Phase II" in rec.publication_types
    resolution = Resolution(key="bao", status="verified", records=(rec,))
    assert design_from_resolution(resolution) is None

    from evgrade.grade.grades import assess_entry
    from evgrade.grade.rubric import load_rubric

    entry = ref("bao", title=rec.title, year=rec.year, authors=("Bao, Ying",),
                study_design="randomized controlled trial")
    assessed = assess_entry("bao", entry, load_rubric("default"), resolution=resolution)
    assert (assessed.design.design, assessed.design.source) == ("randomized-controlled-trial", "field")
    # a specific PubMed type still outranks the field
    specific = Resolution(key="bao", status="verified", records=(
        rec.model_copy(update={"publication_types": ("Journal Article", "Observational Study")}),))
    assessed = assess_entry("bao", entry, load_rubric("default"), resolution=specific)
    assert (assessed.design.design, assessed.design.source) == ("cohort-study", "pubmed")


def test_design_from_resolution_prefers_pubmed_and_needs_verified():
    pub = _pubmed(publication_types=("Journal Article", "Observational Study"))
    chapter = ResolvedRecord(source="openalex", identifier="doi:x", status="found",
                             work_type="book-chapter")
    both = Resolution(key="k", status="verified", records=(chapter, pub))
    assert design_from_resolution(both).design == "cohort-study"
    only_chapter = Resolution(key="k", status="verified", records=(chapter,))
    call = design_from_resolution(only_chapter)
    assert (call.design, call.source, call.evidence) == ("narrative-review", "openalex", "book-chapter")
    assert design_from_resolution(Resolution(key="k", status="mismatch", records=(pub,))) is None
    journal = ResolvedRecord(source="crossref", identifier="doi:x", status="found",
                             work_type="journal-article")
    assert design_from_resolution(Resolution(key="k", status="verified", records=(journal,))) is None


def test_user_agent_and_retry_after_parsing():
    assert user_agent("me@example.org").endswith("(mailto:me@example.org)")
    assert user_agent("").startswith("evgrade/") and "mailto" not in user_agent("")
    assert retry_after("7", 0.0) == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:10 GMT", 1445412480.0) == pytest.approx(10.0)
    assert retry_after("soon", 0.0) is None


def test_options_read_environment_and_documented_rates(monkeypatch, tmp_path):
    from evgrade.resolve import ResolveOptions

    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "envcache"))
    monkeypatch.setenv("EVGRADE_MAILTO", "env@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "k")
    opts = ResolveOptions()
    assert opts.cache_dir == tmp_path / "envcache" and opts.mailto == "env@example.org"
    assert (opts.rate("pubmed"), opts.rate("crossref"), opts.rate("openalex")) == (10.0, 10.0, 10.0)
    assert opts.concurrency("crossref") == 3
    assert (opts.list_rate("crossref"), opts.list_rate("openalex")) == (3.0, None)
    explicit = ResolveOptions(mailto="", ncbi_api_key="", cache_dir=tmp_path)
    assert explicit.cache_dir == tmp_path  # the caller wins over the environment
    assert (explicit.rate("pubmed"), explicit.rate("crossref")) == (3.0, 5.0)
    assert explicit.concurrency("crossref") == 1 and explicit.list_rate("crossref") == 1.0
    with pytest.raises(ValueError):
        ResolveOptions(mode="sometimes")


def test_unusable_cache_dir_is_a_warning_and_no_cache(tmp_path):
    from evgrade.errors import EvgradeWarning
    from evgrade.resolve import ResolveOptions, resolve_references

    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    opts = ResolveOptions(cache_dir=blocker / "cache", mailto="", ncbi_api_key="", mode="offline")
    with pytest.warns(EvgradeWarning, match="cannot be the lookup cache") as caught:
        res = resolve_references([ref("k", pmid="12091962")], opts)
    assert len(caught) == 1 and str(blocker / "cache") in str(caught[0].message)
    assert res["k"].status == "unverified"


@pytest.mark.parametrize("name", ["responses.sqlite", "answers.sqlite"])
def test_a_corrupt_cache_file_is_a_warning_and_an_empty_cache(tmp_path, name):
    from evgrade.errors import EvgradeWarning
    from evgrade.resolve import ResolveOptions, resolve_references

    garbage = b"this is not an sqlite database" * 100
    (tmp_path / name).write_bytes(garbage)
    opts = ResolveOptions(cache_dir=tmp_path, mailto="", ncbi_api_key="", mode="offline")
    with pytest.warns(EvgradeWarning, match="not a usable lookup cache") as caught:
        res = resolve_references([ref("k", doi="10.1371/journal.pone.0033693")], opts)
    assert len(caught) == 1 and name in str(caught[0].message)
    assert res["k"].status == "unverified"
    assert (tmp_path / name).read_bytes() == garbage  # left as it was


def test_a_cache_file_with_a_trigger_is_refused(tmp_path):
    import sqlite3

    from evgrade.errors import EvgradeWarning
    from evgrade.resolve import ResolveOptions, resolve_references

    db = sqlite3.connect(tmp_path / "responses.sqlite")
    db.executescript("CREATE TABLE t (x); CREATE TRIGGER busy AFTER INSERT ON t "
                     "BEGIN INSERT INTO t VALUES (1); END;")
    db.close()
    opts = ResolveOptions(cache_dir=tmp_path, mailto="", ncbi_api_key="", mode="offline")
    with pytest.warns(EvgradeWarning, match="trigger"):
        resolve_references([ref("k", pmid="12091962")], opts)


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_cache_file_that_is_a_link_or_a_fifo_is_left_alone(tmp_path, kind):
    import os
    import sqlite3

    from evgrade.errors import EvgradeWarning
    from evgrade.resolve import ResolveOptions, resolve_references

    cache = tmp_path / "cache"
    cache.mkdir()
    other = tmp_path / "someone-elses.sqlite"  # another program's database
    sqlite3.connect(other).close()
    if kind == "symlink":
        (cache / "answers.sqlite").symlink_to(other)
    else:
        os.mkfifo(cache / "answers.sqlite")
    opts = ResolveOptions(cache_dir=cache, mailto="", ncbi_api_key="", mode="offline")
    with pytest.warns(EvgradeWarning, match="symbolic link|not a regular file"):
        resolve_references([ref("k", doi="10.1371/journal.pone.0033693")], opts)
    db = sqlite3.connect(other)
    assert db.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)  # untouched
    db.close()
