"""Study design on real PubMed records (../shared/fixtures), publication types held back.

Every record here is read from the fixture files at test time, turned into the entry a
reference manager exports, and classified from its title, abstract, journal and the
authors' keywords. PubMed's own type is asserted beside the call, so a test also says
what the indexers decided. All records are from the dev split (see docs/designs.md).
"""

from __future__ import annotations

import pytest
from design_corpus import by_pmid

from evgrade.evaluate.designs import PubmedRecord
from evgrade.grade.designs import detect_design
from evgrade.models import DesignCall


def record(pmid: str) -> PubmedRecord:
    rec = by_pmid()[pmid]
    assert rec.split == "dev", "tests use dev records only; the held-out split stays unseen"
    return rec


def call_of(pmid: str) -> DesignCall:
    return detect_design(record(pmid).reference)


@pytest.mark.parametrize("pmid,words", [
    ("10074855", "47-year-old"),           # "A 47-year-old man was admitted with septic fever"
    ("16156161", "Case report"),           # title "Case report: spinal epidural abscess ..."
    ("17515809", "case report"),           # "STUDY DESIGN: A case report of ..."
    ("18607613", "series of three patients"),  # "We report a series of three patients"
    ("1755099", "describes three cases"),  # "The article describes three cases of ..."
    ("10375189", "14-year-old"),           # the case told under a BACKGROUND label
])
def test_case_reports(pmid: str, words: str) -> None:
    assert "Case Reports" in record(pmid).types
    call = call_of(pmid)
    assert call.design == "case-report"
    assert words.lower() in call.evidence.lower()
    assert words.lower() in (record(pmid).reference.title + record(pmid).reference.abstract).lower()


@pytest.mark.parametrize("pmid,controlled", [
    ("15935643", "patient-controlled epidural analgesia"),
    ("16848852", "brucellosis was successfully controlled"),
    ("22088412", "placebo-controlled, double-blind trials are needed"),
])
def test_controlled_in_a_case_report_is_not_a_trial(pmid: str, controlled: str) -> None:
    ref = record(pmid).reference
    assert controlled in ref.title + " " + ref.abstract
    assert call_of(pmid).design == "case-report"


def test_rct_told_by_its_methods() -> None:
    rec = record("16786252")  # "DESIGN: Randomized-controlled. ... were randomly assigned to"
    assert "Randomized Controlled Trial" in rec.types
    call = call_of("16786252")
    assert (call.design, call.source) == ("randomized-controlled-trial", "abstract")
    assert "randomly assigned" in call.evidence


def test_rct_told_by_its_title() -> None:
    call = call_of("36834367")  # "...: A Prospective Randomized Trial."
    assert (call.design, call.source, call.evidence) == (
        "randomized-controlled-trial", "title", "Randomized Trial")


def test_randomized_crossover_in_healthy_volunteers_is_a_trial() -> None:
    # double-blind, placebo, "randomized sequence", "12 healthy volunteers": PubMed says RCT
    rec = record("26")
    assert "healthy volunteers" in rec.reference.abstract
    assert call_of("26").design == "randomized-controlled-trial"


def test_phase_1_trial_citing_preclinical_models_is_not_preclinical() -> None:
    rec = record("29514256")
    assert "previously shown to be highly synergistic in preclinical models" in rec.reference.abstract
    call = call_of("29514256")
    assert call.design == "open-label-trial"
    assert call.evidence.startswith("Phase 1")


def test_animal_trial_is_preclinical() -> None:
    rec = record("31418855")  # "Eight mares were randomly assigned to four treatment groups"
    assert rec.types == ("Journal Article", "Randomized Controlled Trial, Veterinary")
    assert "randomly assigned" in rec.reference.abstract
    assert call_of("31418855").design == "preclinical"


@pytest.mark.parametrize("pmid,mention", [
    ("23339055", "human clinical trials"),     # "more than 65 human clinical trials of ..."
    ("22788715", "preclinical"),               # "preclinical design" in the title
    ("11959880", "multicentric clinical trials"),  # "...: a brief review."
])
def test_reviews_that_mention_trials_or_animals_stay_reviews(pmid: str, mention: str) -> None:
    ref = record(pmid).reference
    assert "Review" in record(pmid).types
    assert mention in (ref.title + " " + ref.abstract)
    assert call_of(pmid).design == "narrative-review"


def test_trials_a_review_calls_for_do_not_make_it_a_trial() -> None:
    for pmid, said in (("18039530", "need for well planned clinical trials"),
                       ("14584968", "completed phase II clinical trials")):
        ref = record(pmid).reference
        assert said in ref.abstract
        assert call_of(pmid).design not in ("randomized-controlled-trial", "controlled-trial",
                                            "open-label-trial")


def test_meta_analysis_told_by_its_search_and_pooling() -> None:
    rec = record("36791702")  # title is a question; the abstract tells the method
    assert "meta" not in rec.reference.title.lower()
    call = call_of("36791702")
    assert call.design == "meta-analysis" and call.source == "abstract"


def test_systematic_review_in_a_title_with_future_perspectives() -> None:
    call = call_of("36769050")  # "...: Systematic Review of the Literature and Future Perspectives."
    assert (call.design, call.source) == ("systematic-review", "title")


@pytest.mark.parametrize("pmid,said", [
    ("3951398", "this is not a controlled study"),
    ("20601811", "poorly controlled diabetes"),
    ("31479898", "adjusted for the risk factors"),
])
def test_observational_wording_is_never_a_trial(pmid: str, said: str) -> None:
    assert said in record(pmid).reference.abstract
    assert call_of(pmid).design not in ("randomized-controlled-trial", "controlled-trial")


def test_reply_named_in_the_title_is_opinion() -> None:
    call = call_of("31449467")  # "Reply to R.J. Buckanovich et al."
    assert (call.design, call.source) == ("expert-opinion", "title")
    assert not call.low_confidence


@pytest.mark.parametrize("pmid", ["31418821", "31449459"])
def test_short_item_without_abstract_is_low_confidence_opinion(pmid: str) -> None:
    rec = record(pmid)
    assert set(rec.types) & {"Editorial", "Letter", "Comment", "News"}
    assert not rec.has_abstract
    call = call_of(pmid)
    assert (call.design, call.source) == ("expert-opinion", "absence")
    assert call.low_confidence and "low confidence" in call.describe()


def test_short_old_record_without_abstract_tells_nothing() -> None:
    # before 1976 MEDLINE carried no abstracts, so their absence says nothing
    rec = record("29")  # 1975, 2 pages, an RCT by PubMed's types
    assert rec.reference.year == "1975" and not rec.has_abstract
    assert call_of("29").design == "unknown"
