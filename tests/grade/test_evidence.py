"""Support, parts, mismatches, figures and certainty on made-up entries and claims.

The entries are invented (a zinc trial, a mouse study, a healthy-volunteer experiment,
an open-label series, a review), read by the real bibliography loader and assessed by
the default rubric. None of the claims is from the bundled articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade._text import LineIndex
from evgrade.bib.load import load_bibliography
from evgrade.claims.strength import read_claim
from evgrade.grade.grades import assess_entry, grade_claim
from evgrade.grade.rubric import load_rubric
from evgrade.models import Claim, ClaimKind, Cue, Link

BIB = r"""
@article{ZincRCT,
  title = {Zinc for leg ulcers: a randomized, placebo-controlled trial},
  journal = {Wound Repair},
  year = {2020},
  doi = {10.9999/zinc.1},
  studydesign = {randomized controlled trial},
  evgrade-population = {adults with venous leg ulcers},
  evgrade-n = {240},
  evgrade-result = {62\% healed at 12 weeks}
}

@article{ZincSmall,
  title = {Zinc for leg ulcers: a small randomized crossover},
  journal = {Wound Repair},
  year = {2019},
  doi = {10.9999/zinc.2},
  studydesign = {randomized controlled trial (crossover; n=14)},
  evgrade-follow-up = {single dose}
}

@article{ZincMice,
  title = {Zinc speeds wound closure in mice},
  journal = {Journal of Experimental Dermatology},
  year = {2018},
  doi = {10.9999/zinc.3},
  studydesign = {preclinical (mouse)}
}

@article{ZincVolunteers,
  title = {Skin zinc after oral dosing in healthy volunteers},
  journal = {Clinical Pharmacology},
  year = {2017},
  doi = {10.9999/zinc.4},
  studydesign = {healthy volunteers, placebo-controlled; n=30}
}

@article{ZincSeries,
  title = {Zinc dressings in 40 patients with chronic ulcers: an open-label series},
  journal = {Nursing Times},
  year = {2016},
  doi = {10.9999/zinc.5},
  studydesign = {open-label trial (uncontrolled; n=40)},
  evgrade-result = {55\% healed}
}

@article{ZincReview,
  title = {Zinc and wound healing: a narrative review},
  journal = {Wounds},
  year = {2021},
  doi = {10.9999/zinc.6},
  studydesign = {narrative review}
}

@online{ZincShop,
  title = {Why zinc heals everything},
  organization = {A supplement shop}
}
"""

RUBRIC = load_rubric("default")


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("bib") / "zinc.bib"
    path.write_text(BIB, encoding="utf-8")
    bib = load_bibliography([path])
    assert not bib.findings
    return {k: assess_entry(k, ref, RUBRIC) for k, ref in bib.entries.items()}


def claim(text: str, kind: ClaimKind, *, hedge: str = "") -> Claim:
    cues = (Cue(kind="hedge", text=hedge, offset=text.index(hedge)),) if hedge else ()
    return Claim(id="z", article="zinc.md", sentence=0, span=LineIndex(text).span(0, len(text)),
                 text=text, kind=kind, cues=cues, hedged=bool(hedge))


def map_link(key: str, support: str = "full", part: str = "", parts: tuple[str, ...] = (),
             note: str = "") -> Link:
    return Link(claim_id="z", key=key, via="map", support=support, part=part, parts=parts,  # type: ignore[arg-type]
                note=note)


def grade(assessed, c: Claim, links):
    graded, found = grade_claim(c, links, assessed, RUBRIC)
    return graded, {f.code for f in found}, found


# ------------------------------------------------------------------ support and parts

def test_partial_support_never_lifts_the_grade_on_its_own(assessed) -> None:
    c = claim("Zinc heals leg ulcers.", "efficacy")
    full, _, _ = grade(assessed, c, [map_link("ZincRCT")])
    partial, codes, found = grade(assessed, c, [map_link("ZincRCT", "partial", note="venous ulcers only")])
    assert full.grade == "trial" and partial.grade == "none"
    assert partial.traceable  # partial support still traces the claim to a source
    assert "EV205" in codes and "partial support only: ZincRCT" in partial.flags
    assert any("venous ulcers only" in f.message for f in found if f.code == "EV205")
    # next to full support it changes nothing
    both, _, _ = grade(assessed, c, [map_link("ZincSeries"), map_link("ZincRCT", "partial")])
    assert both.grade == "anecdote"


def test_a_compound_claim_grades_by_its_weakest_required_part(assessed) -> None:
    c = claim("Zinc heals leg ulcers and prevents their return.", "efficacy")
    parts = ("heals", "prevents their return")
    graded, codes, _ = grade(assessed, c, [map_link("ZincRCT", part="heals", parts=parts)])
    assert [(p.text, p.grade) for p in graded.parts] == [("heals", "trial"), ("prevents their return", "none")]
    assert graded.grade == "none" and "EV207" in codes
    assert "unsupported part: 'prevents their return' has no supporting entry" in graded.flags
    # an optional part does not lower it; links for the whole claim count for every part
    graded, _, _ = grade(assessed, c, [map_link("ZincRCT", part="heals", parts=("heals",)),
                                       map_link("ZincSeries", part="prevents their return",
                                                parts=("heals",))])
    assert graded.grade == "trial" and [p.required for p in graded.parts] == [True, False]
    graded, _, _ = grade(assessed, c, [map_link("ZincSeries"), map_link("ZincRCT", part="heals",
                                                                        parts=parts)])
    assert [(p.text, p.grade) for p in graded.parts] == [("heals", "trial"),
                                                         ("prevents their return", "anecdote")]


def test_a_contradicting_entry_backs_nothing_and_is_shown(assessed) -> None:
    c = claim("Zinc heals leg ulcers.", "efficacy")
    graded, codes, _ = grade(assessed, c, [map_link("ZincRCT"), map_link("ZincSeries", "contradicts")])
    assert graded.grade == "trial" and graded.contradicting == ("ZincSeries",)
    assert "EV206" in codes and "contradicted by ZincSeries" in graded.flags
    assert graded.certainty is not None and "inconsistent: contradicted by ZincSeries" in " ".join(
        graded.certainty.reasons)
    alone, _, _ = grade(assessed, c, [map_link("ZincSeries", "contradicts")])
    assert alone.grade == "none" and not alone.traceable


# ------------------------------------------------------------------ mismatches

def test_a_mechanism_claim_on_a_mouse_study_counts_but_is_flagged(assessed) -> None:
    graded, codes, found = grade(assessed, claim("Zinc activates skin stem cells.", "mechanism"),
                                 [map_link("ZincMice")])
    assert graded.grade == "review" and graded.meets_minimum
    assert "EV208" in codes
    assert next(f.message for f in found if f.code == "EV208").endswith("ZincMice (mouse)")
    mice, codes, _ = grade(assessed, claim("In mice, zinc activates skin stem cells.", "mechanism"),
                           [map_link("ZincMice")])
    assert "EV208" not in codes
    page, _, _ = grade(assessed, claim("Zinc activates skin stem cells.", "mechanism"),
                       [map_link("ZincShop")])
    assert RUBRIC.rank(graded.grade) < RUBRIC.rank(page.grade)  # a mouse study beats a shop's page


def test_an_efficacy_claim_on_a_mouse_study_counts_for_nothing(assessed) -> None:
    graded, codes, _ = grade(assessed, claim("Zinc heals leg ulcers.", "efficacy"), [map_link("ZincMice")])
    assert graded.grade == "none" and {"EV202", "EV208"} <= codes


def test_healthy_volunteers_for_patients(assessed) -> None:
    graded, codes, _ = grade(assessed, claim("Zinc heals leg ulcers.", "efficacy"),
                             [map_link("ZincVolunteers")])
    assert graded.grade == "anecdote" and "EV209" in codes
    _, codes, _ = grade(assessed, claim("Oral zinc raises skin zinc in healthy volunteers.", "mechanism"),
                        [map_link("ZincVolunteers")])
    assert "EV209" not in codes


def test_uncontrolled_evidence_for_an_efficacy_claim(assessed) -> None:
    _, codes, _ = grade(assessed, claim("Zinc dressings heal chronic ulcers.", "efficacy"),
                        [map_link("ZincSeries")])
    assert "EV210" in codes
    _, codes, _ = grade(assessed, claim("An open-label series suggests zinc dressings heal ulcers.",
                                        "efficacy", hedge="suggests"), [map_link("ZincSeries")])
    assert "EV210" not in codes  # the claim says so itself


def test_one_small_study_behind_a_general_claim(assessed) -> None:
    graded, codes, _ = grade(assessed, claim("Zinc heals leg ulcers.", "efficacy"), [map_link("ZincSmall")])
    assert "EV211" in codes and "single small study: ZincSmall" in graded.flags
    for text, hedge in (("Zinc may heal leg ulcers.", "may"), ("In one study, zinc healed leg ulcers.", ""),
                        ("Zinc healed leg ulcers in a crossover.", "")):
        _, codes, _ = grade(assessed, claim(text, "efficacy", hedge=hedge), [map_link("ZincSmall")])
        assert "EV211" not in codes, text
    _, codes, _ = grade(assessed, claim("Zinc heals leg ulcers.", "efficacy"), [map_link("ZincRCT")])
    assert "EV211" not in codes


def test_a_claim_stronger_than_its_sources(assessed) -> None:
    graded, codes, found = grade(assessed, claim("Zinc is proven to heal ulcers for years.", "efficacy"),
                                 [map_link("ZincSmall")])
    assert "EV212" in codes and graded.certainty is not None and graded.certainty.level == "very low"
    message = next(f.message for f in found if f.code == "EV212")
    assert message.startswith("says 'is proven' but the certainty of its evidence is very low")
    _, codes, _ = grade(assessed, claim("Zinc is proven to heal ulcers.", "efficacy"), [map_link("ZincRCT")])
    assert "EV212" not in codes  # a large randomized trial: high certainty


# ------------------------------------------------------------------ figures

def test_figures_are_checked_against_the_recorded_results(assessed) -> None:
    match, codes, _ = grade(assessed, claim("62% of ulcers healed with zinc.", "statistic"),
                            [map_link("ZincRCT")])
    (check,) = match.figures
    assert (check.status, check.key, check.message) == ("matches", "ZincRCT",
                                                        "matches 62% healed at 12 weeks in ZincRCT")
    assert "EV213" not in codes
    miss, codes, _ = grade(assessed, claim("80% of ulcers healed with zinc.", "statistic"),
                           [map_link("ZincRCT"), map_link("ZincSeries")])
    assert miss.figures[0].status == "not-found" and "EV213" in codes
    assert "80% not in any cited record" in miss.flags
    assert miss.figures[0].message == ("80% not in any cited record (ZincRCT records 62% healed at "
                                       "12 weeks; ZincSeries records 55% healed)")
    unchecked, codes, _ = grade(assessed, claim("80% of ulcers healed with zinc.", "statistic"),
                                [map_link("ZincReview")])
    assert unchecked.figures[0].status == "unchecked" and "EV213" not in codes


# ------------------------------------------------------------------ certainty

def test_certainty_starts_from_the_design_and_steps_down(assessed) -> None:
    text = "Zinc heals leg ulcers."
    high, _, _ = grade(assessed, claim(text, "efficacy"), [map_link("ZincRCT"), map_link("ZincReview")])
    assert high.certainty is not None and high.certainty.level == "high"
    assert high.certainty.reasons == ("starts high: randomized-controlled-trial (ZincRCT)",)
    series, _, _ = grade(assessed, claim(text, "efficacy"), [map_link("ZincSeries")])
    assert series.certainty is not None and series.certainty.level == "very low"
    assert series.certainty.reasons == (
        "starts low: open-label-trial (ZincSeries), no control group",
        "down: imprecise: small studies only (n=40; fewer than 50)",
        "down: single study (ZincSeries)")
    mice, _, _ = grade(assessed, claim("Zinc activates skin stem cells.", "mechanism"), [map_link("ZincMice")])
    assert mice.certainty is not None and mice.certainty.level == "very low"
    assert "down: indirect: animal or cell studies for a claim about people" in mice.certainty.reasons
    history, _, _ = grade(assessed, claim("Zinc was first used on wounds in Egypt.", "prevalence-history"),
                          [map_link("ZincReview")])
    assert history.certainty is None  # dates and descriptions are not rated


def test_an_unknown_design_is_shown_as_unknown(assessed, tmp_path: Path) -> None:
    bib = tmp_path / "x.bib"
    bib.write_text("@article{Mystery, title = {Zinc}, journal = {Wounds}, year = {2020}, "
                   "doi = {10.9999/zinc.7}}\n", encoding="utf-8")
    ref = load_bibliography([bib]).entries["Mystery"]
    entries = {**assessed, "Mystery": assess_entry("Mystery", ref, RUBRIC)}
    graded, found = grade_claim(claim("Zinc heals leg ulcers.", "efficacy"), [map_link("Mystery")],
                                entries, RUBRIC)
    assert "design unknown: Mystery" in graded.flags
    assert [f.severity for f in found if f.code == "EV215"] == ["info"]
    assert graded.certainty is not None and graded.certainty.reasons[0].startswith("starts very low: unknown")


# ------------------------------------------------------------------ reading the claim

@pytest.mark.parametrize("text,kind,population,phrase", [
    ("In rats, zinc speeds healing.", "mechanism", "animals", ""),
    ("Zinc raises skin zinc in healthy volunteers.", "mechanism", "healthy-volunteers", ""),
    ("Zinc helps patients with venous leg ulcers heal.", "mechanism", "patients", "venous leg ulcers heal"),
    ("Zinc heals ulcers.", "efficacy", "patients", ""),
    ("Zinc binds to keratin.", "mechanism", "people", ""),
])
def test_whom_a_claim_is_about(text: str, kind: ClaimKind, population: str, phrase: str) -> None:
    reading = read_claim(claim(text, kind))
    assert (reading.population, reading.population_phrase) == (population, phrase)


def test_strong_durable_and_qualified_wording() -> None:
    r = read_claim(claim("Zinc typically heals ulcers, with lasting results.", "efficacy"))
    assert r.strong == ("typically",) and r.durable == ("lasting",) and r.general
    assert read_claim(claim("Zinc may heal ulcers.", "efficacy", hedge="may")).qualified
    assert read_claim(claim("A pilot study found zinc heals ulcers.", "efficacy")).qualified
    past = read_claim(claim("Zinc healed 62% of ulcers in the trial.", "efficacy"))
    assert past.past_report and not past.general
    assert read_claim(claim("These drugs have proven ineffective.", "efficacy")).strong == ()
