"""Grading: entry assessment and claim grades over real entries from ketamine-verified.bib."""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade._text import LineIndex
from evgrade.bib.load import load_bibliography
from evgrade.grade.grades import (
    REASON_MISSING,
    REASON_NO_ID,
    REASON_RETRACTED,
    REASON_UNVERIFIED,
    assess_entry,
    grade_claim,
    main_cue,
    summarize,
)
from evgrade.grade.rubric import load_rubric
from evgrade.models import (
    Attribution,
    Citation,
    Claim,
    ClaimKind,
    Cue,
    DesignCall,
    EntryAssessment,
    Link,
    Reference,
    Resolution,
    ResolvedRecord,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
KETAMINE_BIB = SHARED / "reference-facts" / "ketamine-verified.bib"
RUBRIC = load_rubric("default")


def _refs() -> dict[str, Reference]:
    """The verified entries, read by the real bibliography stage."""
    return dict(load_bibliography([KETAMINE_BIB]).entries)


REFS = _refs()
ASSESSED = {key: assess_entry(key, ref, RUBRIC) for key, ref in REFS.items()}

ARTICLE = "articles/example.md"


def make_claim(text: str, kind: ClaimKind, *, cues: tuple[Cue, ...] = (),
               attributions: tuple[Attribution, ...] = (), cite: tuple[str, ...] = (),
               claim_id: str = "example#1") -> Claim:
    """A claim spanning the whole (one-line) text; ``[@key]`` citations get real spans."""
    index = LineIndex(text)
    citations = tuple(
        Citation(key=key, span=index.span(text.index("@" + key), text.index("@" + key) + len(key) + 1),
                 syntax="pandoc")
        for key in cite)
    return Claim(id=claim_id, article=ARTICLE, sentence=0, span=index.span(0, len(text)), text=text,
                 kind=kind, cues=cues, attributions=attributions, citations=citations)


def link(key: str, via: str = "citation", claim_id: str = "example#1", **kw: object) -> Link:
    return Link(claim_id=claim_id, key=key, via=via, **kw)  # type: ignore[arg-type]


JPR = Attribution(kind="venue", name="Journal of Psychiatric Research",
                  text="the Journal of Psychiatric Research")
STAT_TEXT = "About 70% of treatment-resistant patients improved, says the Journal of Psychiatric Research."


def stat_claim(**kw: object) -> Claim:
    return make_claim(STAT_TEXT, "statistic", cues=(Cue(kind="hedge", text="About"),
                                                    Cue(kind="percent", text="70%", offset=6)),
                      attributions=(JPR,), **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------ entries

def test_assess_verified_trial() -> None:
    a = ASSESSED["Berman2000"]
    assert a.exists and a.counts_as_evidence and a.traceable
    assert a.design == DesignCall(design="randomized-controlled-trial", source="field",
                                  evidence=REFS["Berman2000"].study_design)
    assert a.level == "trial"
    assert a.identifiers == {"doi": "10.1016/S0006-3223(99)00230-9", "pmid": "10686270"}
    assert a.reasons == ()


@pytest.mark.parametrize("key,level", [
    ("McGirr2015", "trial"), ("Short2018", "trial"), ("Glue2020", "trial"),
    ("ZanosGould2018", "review"), ("Cohen2018", "review"), ("Krystal1994", "anecdote"),
    ("Domino1965", "anecdote"), ("Glue2017", "anecdote"), ("Li2010", "anecdote"),
    ("Murrough2013BP", "anecdote"),
])
def test_levels_of_real_entries(key: str, level: str) -> None:
    assert ASSESSED[key].level == level


@pytest.mark.parametrize("key,kind,level", [
    ("Li2010", "mechanism", "review"), ("Li2010", "efficacy", "none"), ("Li2010", "safety", "none"),
    ("Li2010", "prevalence-history", "anecdote"), ("Krystal1994", "mechanism", "review"),
    ("Krystal1994", "efficacy", "anecdote"), ("Berman2000", "mechanism", "trial"),
])
def test_levels_per_claim_kind(key: str, kind: str, level: str) -> None:
    # the kind's ladder places preclinical and healthy-volunteer work differently
    assert ASSESSED[key].level_for(kind) == level


def test_entry_without_identifier_is_untraceable() -> None:
    # Krystal 1994: doi and pmid deliberately left out of the verified bib (unverified)
    a = ASSESSED["Krystal1994"]
    assert a.exists and not a.traceable and a.counts_as_evidence
    assert a.identifiers == {}
    assert a.reasons == (REASON_NO_ID,)
    # one identifier is enough: Domino 1965 has only a PMID
    assert ASSESSED["Domino1965"].traceable
    assert ASSESSED["Domino1965"].identifiers == {"pmid": "14296024"}


def test_missing_entry() -> None:
    a = assess_entry("smith2020", None, RUBRIC)
    assert (a.exists, a.traceable, a.counts_as_evidence, a.level) == (False, False, False, "none")
    assert a.reasons == (REASON_MISSING,)


def test_invalid_identifier_is_a_reason_but_a_valid_one_still_traces() -> None:
    ref = REFS["Berman2000"].model_copy(update={"doi": "10.1016"})
    a = assess_entry("Berman2000", ref, RUBRIC)
    assert a.traceable and a.identifiers == {"pmid": "10686270"}
    assert a.reasons == ("invalid DOI: '10.1016'",)


def _resolution(status: str, **kw: object) -> Resolution:
    return Resolution(key="Berman2000", status=status, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("status,traceable,reason", [
    ("verified", True, None),
    ("mismatch", False, "identifier resolves to a different work"),
    ("not-found", False, "identifier not found online"),
    ("unverified", True, REASON_UNVERIFIED),
])
def test_resolution_status(status: str, traceable: bool, reason: str | None) -> None:
    res = _resolution(status)
    a = assess_entry("Berman2000", REFS["Berman2000"], RUBRIC, resolution=res)
    assert a.traceable is traceable
    assert a.reasons == ((reason,) if reason else ())
    assert a.resolution == res and a.counts_as_evidence


def test_retracted_work_never_counts() -> None:
    a = assess_entry("Berman2000", REFS["Berman2000"], RUBRIC,
                     resolution=_resolution("verified", retracted=True))
    assert not a.counts_as_evidence and a.traceable
    assert REASON_RETRACTED in a.reasons


def test_pubmed_design_wins_over_field_and_field_over_title() -> None:
    pubmed = DesignCall(design="meta-analysis", source="pubmed", evidence="Meta-Analysis")
    a = assess_entry("Newport2015", REFS["Newport2015"], RUBRIC, design=pubmed)
    assert a.design == pubmed
    title = DesignCall(design="case-report", source="title", evidence="case report")
    a = assess_entry("Glue2017", REFS["Glue2017"], RUBRIC, design=title)
    assert a.design is not None and a.design.source == "field"
    assert a.design.design == "open-label-trial"


def test_design_from_a_verified_pubmed_record() -> None:
    # Wilkinson 2018: the bib comment records PubMed's publication type "Meta-Analysis"
    record = ResolvedRecord(source="pubmed", identifier="28969441", status="found",
                            pmid="28969441", publication_types=("Journal Article", "Meta-Analysis"))
    res = Resolution(key="Wilkinson2018", status="verified", records=(record,))
    ref = REFS["Wilkinson2018"].model_copy(update={"study_design": ""})
    a = assess_entry("Wilkinson2018", ref, RUBRIC, resolution=res)
    assert a.design is not None and (a.design.design, a.design.source) == ("meta-analysis", "pubmed")
    assert a.level == "trial" and a.traceable


# ------------------------------------------------------------------- claims

def test_statistic_without_citation() -> None:
    claim = stat_claim()
    graded, found = grade_claim(claim, [], ASSESSED, RUBRIC)
    assert graded.grade == "none" and graded.minimum == "review"
    assert not graded.meets_minimum and not graded.traceable
    assert graded.flags == ("no citation", "names Journal of Psychiatric Research, cites nothing")
    assert [(f.code, f.message) for f in found] == [
        ("EV201", "statistic without citation (cue: '70%')"),
        ("EV203", "names Journal of Psychiatric Research, cites nothing"),
    ]
    f = found[0]
    assert (f.path, f.line, f.col, f.end_col, f.claim_id, f.severity) == (
        ARTICLE, 1, 1, len(STAT_TEXT), "example#1", "warning")


def test_suggested_link_is_offered_not_counted() -> None:
    claim = stat_claim()
    graded, found = grade_claim(claim, [link("Zheng2018", "suggested", score=0.9,
                                             reason="published in Journal of Psychiatric Research")],
                                ASSESSED, RUBRIC)
    assert graded.grade == "none" and not graded.traceable
    assert graded.links == (link("Zheng2018", "suggested", score=0.9,
                                 reason="published in Journal of Psychiatric Research"),)
    assert not any("Zheng2018" in f for f in graded.flags)  # the keys column shows suggestions
    codes = [f.code for f in found]
    assert codes == ["EV201", "EV203", "EV204"]
    assert found[2].severity == "info" and found[2].key == "Zheng2018"
    assert found[2].message == ("suggested source 'Zheng2018': published in Journal of Psychiatric "
                                "Research (score 0.90); not counted")


def test_open_label_source_is_below_the_statistic_minimum() -> None:
    # the 70% figure of Murrough 2013 (Biol Psychiatry) comes from an uncontrolled open-label trial
    graded, found = grade_claim(stat_claim(), [link("Murrough2013BP", "map")], ASSESSED, RUBRIC)
    assert graded.grade == "anecdote" and not graded.meets_minimum and graded.traceable
    assert graded.flags == ("below minimum: needs review",)
    assert [(f.code, f.message, f.key) for f in found] == [
        ("EV202", "statistic claim cites only anecdote-level evidence "
                  "(best: Murrough2013BP, open-label-trial; needs review)", "Murrough2013BP")]


def test_best_counted_level_wins() -> None:
    claim = make_claim("Ketamine relieves depression within hours [@Li2010; @McGirr2015].",
                       "efficacy", cite=("Li2010", "McGirr2015"))
    graded, found = grade_claim(claim, [link("Li2010"), link("McGirr2015")], ASSESSED, RUBRIC)
    assert (graded.grade, graded.minimum, graded.meets_minimum, graded.traceable) == (
        "trial", "review", True, True)
    assert graded.flags == () and found == []


def test_unknown_key_is_reported_at_its_citation() -> None:
    text = "Ketamine works for anxiety [@Glue2017; @smith2020]."
    claim = make_claim(text, "efficacy", cite=("Glue2017", "smith2020"))
    graded, found = grade_claim(claim, [link("Glue2017"), link("smith2020")],
                                {**ASSESSED, "smith2020": assess_entry("smith2020", None, RUBRIC)},
                                RUBRIC)
    assert graded.grade == "anecdote"
    assert "unknown key smith2020" in graded.flags
    ev101 = [f for f in found if f.code == "EV101"]
    assert len(ev101) == 1
    assert ev101[0].message == "claim cites unknown key 'smith2020'"
    assert (ev101[0].line, ev101[0].col) == (1, text.index("@smith2020") + 1)
    assert ev101[0].severity == "error" and ev101[0].key == "smith2020"
    # a key absent from the assessments altogether is unknown too
    _, found2 = grade_claim(claim, [link("smith2020", "map")], ASSESSED, RUBRIC)
    assert [(f.code, f.message) for f in found2][0] == ("EV101", "claim is mapped to unknown key 'smith2020'")


def test_untraceable_citation_with_named_source() -> None:
    text = ("Researchers at Yale found that ketamine causes dissociation in healthy people "
            "[@Krystal1994].")
    yale = Attribution(kind="institution", name="Yale", text="Researchers at Yale")
    claim = make_claim(text, "safety", attributions=(yale,), cite=("Krystal1994",))
    graded, found = grade_claim(claim, [link("Krystal1994")], ASSESSED, RUBRIC)
    # an experiment in healthy volunteers is not "review" for a safety claim
    assert graded.grade == "anecdote" and not graded.meets_minimum and not graded.traceable
    assert graded.flags == ("below minimum: needs review", "single small study: Krystal1994",
                            "no identifier: Krystal1994", "names Yale, cites only untraceable entries")
    assert [(f.code, f.message) for f in found] == [
        ("EV102", "entry 'Krystal1994' has no DOI, PMID, PMCID, arXiv id or ISBN"),
        ("EV202", "safety claim cites only anecdote-level evidence "
                  "(best: Krystal1994, healthy-volunteer-study; needs review)"),
        ("EV211", "one small study (Krystal1994, n=19; fewer than 50 is small) behind an "
                  "unhedged, general safety claim"),
        ("EV203", "names Yale, cites only untraceable entries"),
    ]
    assert found[0].col == text.index("@Krystal1994") + 1


def test_invalid_identifier_finding() -> None:
    bad = assess_entry("Bloch2012", REFS["Bloch2012"].model_copy(update={"pmid": "PMID 22784486x"}),
                       RUBRIC)
    claim = make_claim("Ketamine helps OCD [@Bloch2012].", "efficacy", cite=("Bloch2012",))
    graded, found = grade_claim(claim, [link("Bloch2012")], {"Bloch2012": bad}, RUBRIC)
    assert ("EV103", "entry 'Bloch2012' has an invalid PMID: 'PMID 22784486x'") in [
        (f.code, f.message) for f in found]
    assert "EV102" not in [f.code for f in found]  # the DOI still traces it
    # the flag renders the finding, traceable or not
    assert graded.traceable and graded.flags[-1] == "invalid identifier: Bloch2012"


def test_retracted_citation_counts_for_nothing() -> None:
    retracted = assess_entry("Berman2000", REFS["Berman2000"], RUBRIC,
                             resolution=_resolution("verified", retracted=True))
    claim = make_claim("Ketamine relieves depression [@Berman2000].", "efficacy", cite=("Berman2000",))
    graded, found = grade_claim(claim, [link("Berman2000")], {"Berman2000": retracted}, RUBRIC)
    assert graded.grade == "none" and not graded.meets_minimum
    assert graded.flags == ("below minimum: needs review", "retracted: Berman2000")
    assert [(f.code, f.message) for f in found] == [
        ("EV202", "efficacy claim cites no usable evidence (needs review)")]


def test_mechanism_claim_accepts_an_animal_study_but_says_it_is_one() -> None:
    claim = make_claim("Ketamine builds new synapses through mTOR [@Li2010].", "mechanism",
                       cite=("Li2010",))
    graded, found = grade_claim(claim, [link("Li2010")], ASSESSED, RUBRIC)
    assert (graded.grade, graded.minimum, graded.meets_minimum) == ("review", "anecdote", True)
    # stated of people, shown in rats
    assert [(f.code, f.message) for f in found] == [
        ("EV208", "mechanism claim about people rests only on animal or cell studies: Li2010 (rat)")]
    # a claim that says it is about animals is not
    rats = make_claim("In rats, ketamine builds new synapses through mTOR [@Li2010].", "mechanism",
                      cite=("Li2010",))
    assert grade_claim(rats, [link("Li2010")], ASSESSED, RUBRIC)[1] == []


def test_other_claim_needs_no_citation() -> None:
    claim = make_claim("Ketamine therapy is offered in Sacramento.", "other")
    graded, found = grade_claim(claim, [], ASSESSED, RUBRIC)
    assert (graded.grade, graded.minimum, graded.meets_minimum, graded.flags) == ("none", "none", True, ())
    assert found == []


def test_links_of_other_claims_and_duplicates_are_ignored() -> None:
    claim = make_claim("Esketamine works in TRD [@Daly2018].", "efficacy", cite=("Daly2018",))
    links = [link("Daly2018"), link("Daly2018", "map"), link("Popova2019", claim_id="other#2")]
    graded, found = grade_claim(claim, links, ASSESSED, RUBRIC)
    assert graded.links == (link("Daly2018"), link("Daly2018", "map"))
    assert graded.grade == "trial" and found == []


def test_main_cue_prefers_numbers_over_hedges() -> None:
    assert main_cue(stat_claim()) == "70%"
    assert main_cue(make_claim("It may help.", "efficacy", cues=(Cue(kind="hedge", text="may"),))) == "may"
    assert main_cue(make_claim("It helps.", "efficacy")) == ""


def test_other_rubric_grades_differently() -> None:
    medrs = load_rubric("medrs")
    assessed = {"Li2010": assess_entry("Li2010", REFS["Li2010"], medrs)}
    claim = make_claim("Ketamine builds new synapses through mTOR [@Li2010].", "mechanism",
                       cite=("Li2010",))
    graded, found = grade_claim(claim, [link("Li2010")], assessed, medrs)
    assert (graded.grade, graded.minimum, graded.meets_minimum) == ("none", "secondary", False)
    assert [f.code for f in found] == ["EV202", "EV208"]


def test_summarize() -> None:
    graded = [
        grade_claim(stat_claim(claim_id="a#1"), [], ASSESSED, RUBRIC)[0],
        grade_claim(make_claim("x [@Daly2018].", "efficacy", cite=("Daly2018",), claim_id="a#2"),
                    [link("Daly2018", claim_id="a#2")], ASSESSED, RUBRIC)[0],
        grade_claim(make_claim("y [@Li2010].", "mechanism", cite=("Li2010",), claim_id="a#3"),
                    [link("Li2010", claim_id="a#3")], ASSESSED, RUBRIC)[0],
    ]
    s = summarize(graded, RUBRIC)
    assert s.claims == 3 and s.traceable == 2
    assert s.traceable_share == pytest.approx(2 / 3)
    assert s.by_grade == {"trial": 1, "review": 1, "anecdote": 0, "none": 1}
    assert s.by_kind == {"statistic": 1, "efficacy": 1, "mechanism": 1, "safety": 0,
                         "prevalence-history": 0, "other": 0}
    empty = summarize([], RUBRIC)
    assert (empty.claims, empty.traceable_share) == (0, 0.0)


def test_assessments_are_plain_models() -> None:
    # the report serialises these; nothing in them may be a non-JSON value
    a = ASSESSED["Berman2000"]
    assert EntryAssessment.model_validate_json(a.model_dump_json()) == a
