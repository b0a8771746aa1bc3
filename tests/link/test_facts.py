"""Entry facts and figures, on made-up entries read by the real bibliography loader.

None of these entries is from the bundled example: a migraine trial, an asthma cohort,
a rat study of a model of depression, a cell study, a healthy-volunteer experiment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.bib.load import load_bibliography
from evgrade.link.facts import entry_facts
from evgrade.link.figures import APPROXIMATE, TOLERANCE, claim_figures, matches, nearest
from evgrade.models import RecordedResult, Reference

BIB = r"""
@article{Migraine2021,
  author = {Okafor, Ada and Lind, Per},
  title = {Intranasal zolmitriptan for acute migraine: a randomized, placebo-controlled trial},
  journal = {Headache},
  year = {2021},
  doi = {10.9999/made.up.1},
  abstract = {METHODS: 212 adults with migraine were randomly assigned. RESULTS: At two hours,
              42.3% were pain-free with zolmitriptan and 21.0% with placebo (95% CI 12 to 30).},
  evgrade-n = {200}
}

@article{AsthmaCohort,
  title = {Inhaled steroids and hospital admission in children with asthma},
  journal = {Thorax},
  year = {2019},
  studydesign = {cohort study},
  note = {Response and remission rates were 61.5% and 40.0%.},
  evgrade-population = {children with moderate asthma},
  evgrade-result = {18\% fewer admissions; no percentage here},
  evgrade-n = {twelve hundred},
  evgrade-control = {maybe}
}

@article{RatModel,
  title = {Zinc reverses anhedonia in a rat model of depression},
  journal = {Neuroscience Letters},
  year = {2018},
  abstract = {Forty rats received zinc or vehicle daily for 14 days.}
}

@article{Cells,
  title = {Zinc uptake in cultured hippocampal neurons},
  journal = {Journal of Neurochemistry},
  year = {2017},
  abstract = {We studied zinc transport in vitro in cell lines.}
}

@article{Volunteers,
  title = {Pharmacology of a single intravenous dose of drug X in healthy volunteers},
  journal = {Clinical Pharmacology},
  year = {2015},
  abstract = {Eighteen healthy volunteers received drug X or saline in a double-blind crossover.}
}

@article{OpenLabel,
  title = {Repeated infusions of drug X in refractory depression: an open-label pilot study},
  journal = {Journal of Affective Disorders},
  year = {2016},
  studydesign = {open-label trial (uncontrolled; n=15)},
  evgrade-follow-up = {six infusions over two weeks}
}
"""


@pytest.fixture(scope="module")
def refs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Reference]:
    path = tmp_path_factory.mktemp("bib") / "made-up.bib"
    path.write_text(BIB, encoding="utf-8")
    bib = load_bibliography([path])
    assert not bib.findings
    return dict(bib.entries)


def test_a_trial_abstract_gives_population_n_control_and_results(refs) -> None:
    f = entry_facts(refs["Migraine2021"], "randomized-controlled-trial")
    assert (f.population, f.control) == ("patients", "randomized")
    # a person's evgrade-n outranks the abstract's 212
    assert f.sample_size == 200 and f.sources["sample_size"] == "evgrade-n"
    assert [(r.value, r.measure, r.source) for r in f.results] == [
        (42.3, "pain-free", "abstract"), (21.0, "pain-free", "abstract")]
    assert all(r.value != 95 for r in f.results)  # "95% CI" is not a result


def test_recorded_fields_outrank_prose_and_bad_ones_are_listed(refs) -> None:
    f = entry_facts(refs["AsthmaCohort"], "cohort-study")
    assert f.population == "patients" and f.population_text == "children with moderate asthma"
    assert f.sources["population"] == "evgrade-population"
    # the recorded result wins over the note's respectively-pair; the bad item is reported
    assert [r.describe() for r in f.results] == ["18% fewer admissions"]
    assert f.sample_size is None and f.control == "unknown"
    assert any(p.startswith("evgrade-n: 'twelve hundred'") for p in f.problems)
    assert any(p.startswith("evgrade-control: 'maybe'") for p in f.problems)
    assert any("holds no percentage" in p for p in f.problems)


def test_prose_results_pair_measures_in_order() -> None:
    ref = Reference(key="x", entry_type="article", title="t",
                    note="Response and remission rates were 61.5% and 40.0%.")
    f = entry_facts(ref)
    assert [(r.value, r.measure) for r in f.results] == [(61.5, "response"), (40.0, "remission")]


def test_an_animal_model_of_an_illness_is_still_animals(refs) -> None:
    f = entry_facts(refs["RatModel"], "preclinical")
    assert f.population == "animals" and f.population_text.lower().startswith("rat")
    assert entry_facts(refs["Cells"]).population == "cells"


def test_healthy_volunteers_single_dose_and_control(refs) -> None:
    f = entry_facts(refs["Volunteers"], "healthy-volunteer-study")
    assert (f.population, f.control, f.single_dose) == ("healthy-volunteers", "controlled", True)


def test_an_open_label_pilot_has_no_control_and_says_it_is_early(refs) -> None:
    f = entry_facts(refs["OpenLabel"], "open-label-trial")
    assert (f.population, f.sample_size, f.control, f.early_phase) == ("patients", 15, "none", "pilot")
    assert f.single_dose is False and f.follow_up == "six infusions over two weeks"


def test_a_web_page_tells_nothing() -> None:
    f = entry_facts(Reference(key="p", entry_type="online", title="Our clinic"), "web-page")
    assert (f.population, f.sample_size, f.results) == ("unknown", None, ())


# ------------------------------------------------------------------ figures

def _r(value: float) -> RecordedResult:
    return RecordedResult(value=value, text=f"{value}%", measure="response")


@pytest.mark.parametrize("text,value,recorded,hit", [
    ("70% of patients improved", 70, 70.8, True),
    ("70% of patients improved", 70, 71.0, True),
    ("70% of patients improved", 70, 68.0, False),
    ("about 70% of patients improved", 70, 68.0, True),        # approximate: 2.5 points
    ("more than 70% improved", 70, 85.0, True),
    ("more than 70% improved", 70, 60.0, False),
    ("up to 30 percent had side effects", 30, 12.0, True),
    ("7 of 10 patients responded", 70, 70.8, True),
])
def test_figure_tolerance(text: str, value: float, recorded: float, hit: bool) -> None:
    (fig,) = claim_figures(text)
    assert fig.value == pytest.approx(value)
    assert matches(fig, _r(recorded)) is hit
    assert TOLERANCE == 1.0 and APPROXIMATE == 2.5


def test_nearest_prefers_a_match() -> None:
    (fig,) = claim_figures("70% responded")
    assert nearest(fig, [_r(50.5), _r(70.8), _r(68.0)]).value == 70.8  # type: ignore[union-attr]
    assert nearest(fig, []) is None
    assert claim_figures("Approved in 2019 for adults") == []
