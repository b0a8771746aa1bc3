"""The principles of docs/designs.md, one at a time, on small made-up entries.

Real records are in test_design_records.py; here each entry isolates one mechanism
(where words stand, whom they describe, what is absent) with wording that is not
from the bundled articles.
"""

from __future__ import annotations

import pytest

from evgrade.grade.designs import choose_design, detect_design
from evgrade.models import DesignCall, Reference


def article(title: str = "Serum zinc and wound healing", abstract: str = "", **fields: str) -> Reference:
    extra = {k: v for k, v in fields.items() if k not in ("year",)}
    return Reference(key="k", entry_type="article", title=title, abstract=abstract,
                     venue="Journal of Examples", year=fields.get("year", "2015"), fields=extra)


def test_a_background_section_speaks_of_other_work() -> None:
    ref = article(abstract="BACKGROUND: Randomized trials of zinc have shown mixed results. "
                           "METHODS: We conducted a retrospective cohort study of 1200 patients "
                           "treated in two hospitals. RESULTS: Healing was faster with zinc.")
    call = detect_design(ref)
    assert call.design == "cohort-study"
    assert "cohort" in call.evidence


def test_controlled_for_a_covariate_is_not_a_controlled_trial() -> None:
    ref = article(abstract="We analysed 3400 adults from a national survey. Associations were "
                           "controlled for age, sex and smoking, and blood pressure was well "
                           "controlled in most participants.")
    assert detect_design(ref).design == "cross-sectional-study"


def test_a_comment_on_a_trial_is_a_comment() -> None:
    ref = article(title="Commentary on: Zinc supplements and healing of leg ulcers, a "
                        "randomised controlled trial")
    call = detect_design(ref)
    assert (call.design, call.source) == ("expert-opinion", "title")


def test_trials_called_for_in_the_conclusion_do_not_make_a_trial() -> None:
    ref = article(abstract="We describe a 62-year-old woman whose ulcer healed after oral zinc. "
                           "Randomized controlled trials are needed to confirm this effect.")
    assert detect_design(ref).design == "case-report"


def test_preclinical_data_cited_by_a_trial_leave_it_a_trial() -> None:
    ref = article(abstract="Preclinical data suggest that zinc speeds healing in mice. In this "
                           "double-blind trial, 80 patients were randomly assigned to zinc or "
                           "placebo.")
    call = detect_design(ref)
    assert call.design == "randomized-controlled-trial"
    assert "randomly assigned" in call.evidence


def test_animal_work_without_people_is_preclinical() -> None:
    ref = article(abstract="Wounds were made on the backs of 40 rats, which were randomized to "
                           "zinc or saline. Healing was faster with zinc.")
    assert detect_design(ref).design == "preclinical"


def test_a_section_field_names_the_kind_of_item() -> None:
    call = detect_design(article(title="Zinc and healing", type="Letter"))
    assert (call.design, call.source) == ("expert-opinion", "section")


@pytest.mark.parametrize("pages,year,design", [
    ("1463-4", "2015", "expert-opinion"),     # two pages, no abstract
    ("e510", "2019", "expert-opinion"),       # one electronic page
    ("1463-71", "2015", "unknown"),           # nine pages: an article without an abstract
    ("109662", "2019", "unknown"),            # an article number, not a page
    ("", "2015", "unknown"),                  # no page range: most .bib files carry no abstracts
    ("1463-4", "1971", "unknown"),            # before MEDLINE carried abstracts
])
def test_what_is_absent_says_little_and_says_it_softly(pages: str, year: str, design: str) -> None:
    ref = article(title="Zinc and healing", pages=pages, year=year)
    call = detect_design(ref)
    assert call.design == design
    if design != "unknown":
        assert call.source == "absence" and call.low_confidence
        assert call.describe().startswith("expert-opinion (absence, low confidence")


def test_confidence_is_lower_when_parts_of_the_entry_disagree() -> None:
    agree = detect_design(article(title="Zinc for leg ulcers: a randomized controlled trial",
                                  abstract="Patients were randomly assigned to zinc or placebo."))
    disagree = detect_design(article(title="Zinc for leg ulcers: a randomized controlled trial",
                                     abstract="We report a 70-year-old man whose ulcer healed."))
    assert agree.design == disagree.design == "randomized-controlled-trial"
    assert agree.confidence > disagree.confidence


def test_statements_are_certain_and_pubmed_still_decides() -> None:
    field = detect_design(Reference(key="k", entry_type="article", title="Zinc and healing",
                                    study_design="case series"))
    assert (field.design, field.confidence) == ("case-series", 1.0)
    pubmed = DesignCall(design="meta-analysis", source="pubmed", evidence="Meta-Analysis")
    weighed = detect_design(article(title="A randomized trial of zinc"))
    assert choose_design([weighed, pubmed]) == pubmed
    assert pubmed.describe() == "meta-analysis (pubmed, confidence 1.00: 'Meta-Analysis')"
