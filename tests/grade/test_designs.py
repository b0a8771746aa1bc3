"""Study design detection over the real ketamine reference set and hand-made wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.bib.load import load_bibliography
from evgrade.grade.designs import choose_design, classify_field, classify_text, detect_design
from evgrade.models import DesignCall, Reference

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
KETAMINE_BIB = SHARED / "reference-facts" / "ketamine-verified.bib"


def ketamine_refs() -> dict[str, Reference]:
    """The verified entries, read by the real bibliography stage."""
    return dict(load_bibliography([KETAMINE_BIB]).entries)


REFS = ketamine_refs()

# key -> design from the studydesign field, as a journal-club reader would classify it
FIELD_DESIGNS = {
    "Berman2000": "randomized-controlled-trial",
    "Zarate2006": "randomized-controlled-trial",
    "Murrough2013AJP": "randomized-controlled-trial",
    "Daly2018": "randomized-controlled-trial",
    "Popova2019": "randomized-controlled-trial",
    "Li2010": "preclinical",
    "Autry2011": "preclinical",
    "Zanos2016": "preclinical",
    "ZanosGould2018": "narrative-review",
    "Glue2017": "open-label-trial",           # "uncontrolled"; the bib comment: NOT an RCT
    "Feder2014": "randomized-controlled-trial",
    "Rodriguez2013": "randomized-controlled-trial",
    "Newport2015": "meta-analysis",           # "...meta-analysis (RCTs of ...)" is not an RCT
    "McGirr2015": "meta-analysis",
    "Wilkinson2018": "meta-analysis",
    "Short2018": "systematic-review",
    "Krystal1994": "healthy-volunteer-study",  # placebo-controlled, but "not a treatment trial"
    "Domino1965": "healthy-volunteer-study",   # early human pharmacology, volunteers
    "Domino2010": "narrative-review",
    "Cohen2018": "guideline",
    "Taylor2018": "randomized-controlled-trial",
    "Glue2020": "controlled-trial",            # "not a conventional parallel or crossover RCT"
    "Glue2018": "open-label-trial",
    "Murrough2013BP": "open-label-trial",
    "Zheng2018": "open-label-trial",
    "Bloch2012": "open-label-trial",
    "Xiong2020": "meta-analysis",
}


def test_table_covers_every_verified_entry() -> None:
    assert set(FIELD_DESIGNS) == set(REFS)


@pytest.mark.parametrize("key,design", sorted(FIELD_DESIGNS.items()))
def test_design_field_of_verified_entries(key: str, design: str) -> None:
    call = detect_design(REFS[key])
    assert call.design == design
    assert call.source == "field"
    assert call.evidence == REFS[key].study_design[:160]


# Without the field, the titles alone: only those whose wording names a design decide.
TITLE_DESIGNS = {
    "Zarate2006": "randomized-controlled-trial",      # "A randomized trial of ..."
    "Murrough2013AJP": "randomized-controlled-trial",
    "Daly2018": "randomized-controlled-trial",
    "Popova2019": "randomized-controlled-trial",      # "Randomized Double-Blind Active-Controlled Study"
    "Feder2014": "randomized-controlled-trial",
    "Rodriguez2013": "randomized-controlled-trial",
    "Taylor2018": "randomized-controlled-trial",
    "McGirr2015": "meta-analysis",  # "...meta-analysis of randomized, double-blind ... trials"
    "Wilkinson2018": "meta-analysis",
    "Xiong2020": "meta-analysis",
    "Short2018": "systematic-review",
    "Cohen2018": "guideline",
    "Glue2020": "controlled-trial",  # "Exploratory double-blind psychoactive-controlled ..."
}


@pytest.mark.parametrize("key", sorted(FIELD_DESIGNS))
def test_titles_of_verified_entries(key: str) -> None:
    ref = REFS[key].model_copy(update={"study_design": ""})
    call = detect_design(ref)
    if key in TITLE_DESIGNS:
        assert (call.design, call.source) == (TITLE_DESIGNS[key], "title")
        assert call.evidence.lower() in ref.title.lower()
    else:  # e.g. "Antidepressant effects of ketamine in depressed patients": nothing to go on
        assert (call.design, call.source, call.evidence) == ("unknown", "default", "")


@pytest.mark.parametrize("text,design,evidence", [
    ("Ketamine for depression: a randomised, placebo-controlled trial", "randomized-controlled-trial",
     "randomised"),
    ("A double-blind, placebo-controlled study of ketamine", "controlled-trial", "double-blind"),
    ("A non-randomized controlled trial of ketamine", "controlled-trial",
     "non-randomized controlled trial"),
    ("Ketamine in a non-controlled setting", "open-label-trial", "non-controlled"),
    ("Ketamine in refractory depression: an open-label pilot", "open-label-trial", "open-label"),
    ("Ketamine in refractory depression: an uncontrolled case series", "case-series", "case series"),
    ("Ketamine cystitis: a case report", "case-report", "case report"),
    ("Ketamine use and bladder symptoms: a cohort study", "cohort-study", "cohort"),
    ("A case-control study of ketamine users", "case-control-study", "case-control"),
    ("Ketamine misuse in students: a cross-sectional survey", "cross-sectional-study",
     "cross-sectional"),
    ("Ketamine for depression: a systematic review and network meta-analysis", "meta-analysis",
     "meta-analysis"),
    ("Antidepressant effects of ketamine in rats", "preclinical", "in rats"),
    ("Ketamine reverses stress-induced deficits in a mouse model", "preclinical", "mouse"),
    ("Ketamine: a review of preclinical and clinical evidence", "narrative-review", "review"),
    ("A systematic review of ketamine in rodent models of depression", "preclinical", "rodent"),
    ("Ketamine for depression: where do we go from here? An editorial", "expert-opinion",
     "editorial"),
    ("Ketamine in healthy volunteers: psychotomimetic effects", "healthy-volunteer-study",
     "healthy volunteers"),
    ("Practice guideline for ketamine infusions", "guideline", "guideline"),
    ("A survey of ketamine use among clubbers", "cross-sectional-study", "survey"),
])
def test_title_wording(text: str, design: str, evidence: str) -> None:
    hit = classify_text(text)
    assert hit is not None
    assert hit[0] == design
    assert hit[1].lower() == evidence.lower()


@pytest.mark.parametrize("text", [
    "Ketamine and the brain",
    "Effects of ketamine in treatment-refractory obsessive-compulsive disorder",
    "Ketamine as a controlled substance: scheduling and misuse",
    "Ketamine in poorly controlled chronic pain",
    "",
])
def test_wording_without_design(text: str) -> None:
    assert classify_text(text) is None


def test_negations_never_produce_a_trial() -> None:
    assert classify_field("uncontrolled open study; not an RCT") == ("open-label-trial", "uncontrolled")
    assert classify_text("not a randomized trial") is None
    assert classify_text("uncontrolled observations in patients") == ("open-label-trial", "uncontrolled")
    assert classify_field("case series; no randomized comparison")[0] == "case-series"


def test_field_head_outranks_its_qualifiers() -> None:
    value = "controlled trial (midazolam at a random point; randomized dose order)"
    assert classify_field(value)[0] == "controlled-trial"
    assert classify_text(value)[0] == "randomized-controlled-trial"  # why the head goes first
    assert classify_field("observational (randomized subsample)")[0] == "randomized-controlled-trial"


def test_keywords_skip_mesh_topics_and_keep_humans_with_animals() -> None:
    ref = Reference(key="k", entry_type="article", title="Ketamine and the brain",
                    keywords=("Randomized Controlled Trials as Topic", "Humans", "Animals",
                              "Review"))
    call = detect_design(ref)
    assert (call.design, call.source, call.evidence) == ("narrative-review", "keywords",
                                                         "Review (keywords)")


def test_title_and_keywords_are_weighed_together() -> None:
    # no part of the entry decides alone: the title's design outweighs one keyword's
    ref = Reference(key="k", entry_type="article", title="A randomized trial of ketamine",
                    keywords=("case reports",))
    call = detect_design(ref)
    assert (call.design, call.source) == ("randomized-controlled-trial", "title")
    assert call.confidence < 0.9  # the keyword disagrees


def test_abstract_is_read_when_title_says_nothing() -> None:
    ref = Reference(key="k", entry_type="article", title="Ketamine and mood",
                    abstract="In this double-blind, placebo-controlled crossover study, 20 patients ...")
    call = detect_design(ref)
    assert (call.design, call.source) == ("controlled-trial", "abstract")
    assert call.evidence.startswith("double-blind (abstract)")


@pytest.mark.parametrize("ref,design,source", [
    (Reference(key="w", entry_type="online", title="Ketamine therapy in Sacramento",
               url="https://clinic.example.com/ketamine"), "web-page", "entry-type"),
    (Reference(key="w", entry_type="misc", title="Ketamine FAQ",
               howpublished="\\url{https://clinic.example.com/faq}"), "web-page", "entry-type"),
    (Reference(key="w", entry_type="webpage", title="Ketamine"), "web-page", "entry-type"),
    (Reference(key="b", entry_type="book", title="Ketamine", isbn="9780000000002"),
     "expert-opinion", "entry-type"),
    (Reference(key="c", entry_type="book", title="Proceedings of the 3rd Ketamine Conference"),
     "unknown", "default"),
    (Reference(key="a", entry_type="article", title="Why ketamine works",
               url="https://www.example-clinic.com/blog/why"), "web-page", "url"),
    # a DOI'd @online record (a preprint) is not a web page
    (Reference(key="p", entry_type="online", title="Ketamine and mood", doi="10.1101/2020.01.01.000001",
               url="https://www.medrxiv.org/content/10.1101/2020.01.01.000001"), "unknown", "default"),
    (Reference(key="j", entry_type="article", title="Ketamine and mood", venue="Journal",
               url="https://www.example-clinic.com/x"), "unknown", "default"),
])
def test_entry_type_and_url(ref: Reference, design: str, source: str) -> None:
    call = detect_design(ref)
    assert (call.design, call.source) == (design, source)


def test_choose_design_prefers_pubmed_then_field_then_title() -> None:
    pubmed = DesignCall(design="meta-analysis", source="pubmed", evidence="Meta-Analysis")
    field = DesignCall(design="systematic-review", source="field", evidence="systematic review")
    crossref = DesignCall(design="narrative-review", source="crossref", evidence="book-chapter")
    title = DesignCall(design="randomized-controlled-trial", source="title", evidence="randomized")
    assert choose_design([title, field, pubmed]) == pubmed
    assert choose_design([title, crossref, field]) == field
    assert choose_design([title, crossref]) == crossref
    assert choose_design([None, title]) == title
    unknown = DesignCall(design="unknown", source="default")
    assert choose_design([unknown, title]) == title
    assert choose_design([None, unknown]).design == "unknown"
