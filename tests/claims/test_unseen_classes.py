"""Error classes seen on real health writing evgrade had never seen (issue 11), tested as classes.

Every sentence here was written for these tests from docs/claims.md (sections 5, 8 and
9) on topics outside the bundled articles and the held-out sets: CBD, melatonin,
migraine drugs, sunscreen, flu vaccines. Each class gets more than one wording, so
a rule that only fits one phrase fails.
"""

from __future__ import annotations

import pytest

from evgrade.claims import extract_claims, split_sentences
from evgrade.models import Claim
from evgrade.read import read_text


def claims_of(text: str) -> tuple[Claim, ...]:
    return extract_claims(read_text(text, path="page.txt", format="text"))


def only_claim(text: str) -> Claim:
    (claim,) = claims_of(text)
    return claim


# ------------------------------------------------------------ sentence boundaries

@pytest.mark.parametrize(("text", "first"), [
    ("Insomnia affects about 12.5%.1 This means one adult in eight.", "Insomnia affects about 12.5%.1"),
    ("The patch was tested in three trials.2 Regarding safety, rashes were rare.",
     "The patch was tested in three trials.2"),
    ("It shortens attacks by an hour.[3] Experts say it suits few people.", "It shortens attacks by an hour.[3]"),
    ("Melatonin peaks at night.[1, 4] Levels fall by morning.", "Melatonin peaks at night.[1, 4]"),
])
def test_a_reference_marker_glued_to_the_full_stop_ends_the_sentence(text: str, first: str) -> None:
    assert text[slice(*split_sentences(text)[0])] == first


@pytest.mark.parametrize("text", ["The dose was 2.5 mg a day.", "Set the device to 2.0 The manual says so."])
def test_a_decimal_point_is_never_a_glued_marker(text: str) -> None:
    assert len(split_sentences(text)) == 1


def test_reference_markers_are_study_references_not_numbers() -> None:
    claim = only_claim("Sunscreen lowers the risk of melanoma [2].")
    assert claim.kind != "statistic"
    assert ("study-reference", "[2]") in [(c.kind, c.text) for c in claim.cues]
    assert "number" not in [c.kind for c in claim.cues]


def test_a_line_that_opens_with_a_marker_is_a_reference_entry() -> None:
    assert claims_of("[4] Figures from the Northfield Sleep Survey, 2021.") == ()


# ------------------------------------------------------------ attribution

@pytest.mark.parametrize("text", [
    "A 2019 study looking at mice found that the compound lowered blood sugar.",
    "In one well-known trial, older adults doubled their walking speed.",
    "Flu shots failed to protect the elderly in trial after trial.",
])
def test_year_and_adjective_led_study_cues(text: str) -> None:
    assert "study-reference" in [c.kind for c in only_claim(text).cues]


@pytest.mark.parametrize(("text", "kind", "name"), [
    ("A study published in 2018 by Lisbon Medical School found that CBD eased tremor.",
     "institution", "Lisbon Medical School"),
    ("In a 2021 trial by Harrowgate Labs, the spray shortened colds.", "institution", "Harrowgate Labs"),
    ("Its maker, Quillon Biologics, said the drug lowered attack frequency.", "institution", "Quillon Biologics"),
    ('"It halves attacks in many patients," says Dr. Ines Moreau, a neurologist at Valcourt Hospital.',
     "institution", "Valcourt Hospital"),
    ('"It halves attacks in many patients," says Ines Moreau, consultant neurologist at Valcourt.',
     "institution", "Valcourt"),
    ('"Melatonin helps shift workers sleep," Moreau said.', "researcher", "Moreau"),
    ("Melatonin helps shift workers sleep, Ines Moreau, a sleep researcher, told reporters.",
     "researcher", "Ines Moreau"),
    ("According to Valcourt Hospital Director of Neurology, Ines Moreau, the drug halves attacks.",
     "institution", "Valcourt Hospital"),
    ("According to a report in the Weekend Courier, flu jabs cut hospital stays.", "venue", "Weekend Courier"),
    ("Severe reactions are rare, according to the SkinSafe UK leaflet.", "institution", "SkinSafe UK"),
])
def test_named_sources_of_every_kind(text: str, kind: str, name: str) -> None:
    source = only_claim(text).named_source
    assert source is not None and (source.kind, source.name) == (kind, name)


@pytest.mark.parametrize("text", ["Some people say that CBD cures arthritis.",
                                  "Others claim that the tea reverses hair loss."])
def test_people_in_general_are_not_sources(text: str) -> None:
    assert only_claim(text).attributions == ()


@pytest.mark.parametrize("text", [
    "Studies in several countries have shown that the vaccine reduces shingles.",
    "It has also been linked to a lower risk of gout.",
    "Most health bodies suggest 1,000 mg of calcium a day for adults.",
    "According to some estimates, one adult in ten has low iron.",
    "One theory is that the drug calms overactive nerves.",
])
def test_vague_attribution_in_other_wordings(text: str) -> None:
    assert [a.kind for a in only_claim(text).attributions] == ["vague"]


# ------------------------------------------------------------ kinds

@pytest.mark.parametrize("text", [
    "You may feel dizzy, euphoric or sleepy after a dose.",
    "CBD doesn't cause a high.",
    "After the injection you may have some swelling and bruising for a few days.",
])
def test_harms_written_as_experiences_are_safety(text: str) -> None:
    assert only_claim(text).kind == "safety"


@pytest.mark.parametrize("condition", ["epilepsy seizures", "migraine headaches", "anxiety", "insomnia"])
def test_relief_from_a_condition_stays_efficacy_whatever_the_condition(condition: str) -> None:
    assert only_claim(f"CBD may offer relief from {condition} in adults.").kind == "efficacy"


@pytest.mark.parametrize("text", ["Treatment with 5-azacitidine restored H3K9me3 levels in the cells.",
                                  "The capsules contain strain LB-12 and vitamin B12."])
def test_digits_inside_names_are_not_figures(text: str) -> None:
    assert only_claim(text).kind != "statistic"


def test_a_day_of_the_month_is_a_date_not_a_figure() -> None:
    assert only_claim("The regulator approved the spray on 14 March after a long review.").kind != "statistic"


# ------------------------------------------------------------ knowledge gaps

@pytest.mark.parametrize("text", [
    "More research is needed to know whether CBD helps with back pain.",
    "The evidence for melatonin in children is still limited.",
    "There is little good evidence on turmeric for arthritis.",
    "There is still a lot to learn about long COVID in teenagers.",
    '"We simply don\'t know yet whether the drug is safe for decades," said Dr. Ines Moreau.',
])
def test_knowledge_gaps_are_never_claims_credited_or_not(text: str) -> None:
    assert claims_of(text) == ()


def test_a_gap_next_to_an_assertion_leaves_the_assertion_a_claim() -> None:
    claim = only_claim("Some researchers believe that zinc shortens colds (though the evidence is mixed).")
    assert claim.kind == "efficacy"


# ------------------------------------------------------------ chrome that reaches the prose

@pytest.mark.parametrize("text", [
    "[Photo: A nurse gives a flu jab] Flu vaccines are offered every autumn.",
    "Posted by Ana Lee · 3 May 2024 · Sleep · 12 comments",
    "Northgate Clinic offers laser therapy to qualifying patients.",
    "For the chemical compound, see melatonin.",
    "US: C (Risk not ruled out)",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    "To order a large-print copy, call free of charge: 0808 157 0999",
    'MYTH 4: "Natural remedies cannot harm you."',
    "Is it worth the money? \u2014 Pat, Leeds",
    "patient_id visit_date dose_mg {value}",
    "Is this the new pill or am I just tired lol",
    "What the patch is and how it is used",
    "Licence Holder: Orrin Pharma Ltd, Unit 9, Kelso Park, Brandon BR2 8QT",
    "This booklet was last updated in May 2024.",
    "Your nurse will weigh your baby at every visit.",
    "The recommended dose for adults is one tablet at night.",
    "The opinions of our panel are their own.",
    "Everything in this thread is just my own experience.",
    "SleepWell is a peer support community for shift workers.",
    "Dr. Ana Lee is a family doctor at Hill Street Surgery.",
    "Been on the new pill for a month and my skin is a mess.",
    '"Finally a cream that actually works on my eczema!"',
    '"We are delighted that this work has won support," said the dean.',
    "Q: I had a filling last spring.",
    "Here's what I tell every patient:",
])
def test_page_furniture_in_prose_is_not_a_claim(text: str) -> None:
    assert claims_of(text) == ()


def test_html_entities_are_decoded_in_claim_text() -> None:
    assert only_claim("The spray costs&nbsp;$40 a month.").text == "The spray costs $40 a month."


# ------------------------------------------------------------ casing and punctuation

@pytest.mark.parametrize("text", [
    "Regular walking lowers blood pressure in older adults.",
    "regular walking lowers blood pressure in older adults",
    "Regular walking lowers blood pressure in older adults",
    "regular walking lowers blood pressure in older adults.",
])
def test_a_claim_is_found_whatever_its_casing_and_final_punctuation(text: str) -> None:
    assert only_claim(text).kind == "efficacy"


def test_a_lower_case_item_continuing_a_lead_in_is_a_fragment() -> None:
    text = "You should not use the spray if you:\n\n- are under 12\n- have a heart condition\n"
    assert claims_of(text) == ()


def test_a_unit_sign_before_the_full_stop_is_not_an_initial() -> None:
    text = "Keep the pen below 30\u00b0C. The pen contains a spring."
    assert [text[a:b] for a, b in split_sentences(text)] == ["Keep the pen below 30\u00b0C.",
                                                              "The pen contains a spring."]


def test_a_leading_condition_on_the_reader_leaves_the_main_clause_a_claim() -> None:
    assert claims_of("If you're worried, mineral sunscreens sit on top of the skin instead.") != ()


def test_a_lower_case_line_after_a_cut_line_continues_it() -> None:
    # the layout cut "...with" from "food and plenty of water" (a blank line between them)
    text = "Aspirin irritates the stomach, so doctors advise taking it with\n\nfood and a full glass of water.\n"
    assert not [c for c in claims_of(text) if c.text.startswith("food")]
    assert [c.text for c in claims_of("food and a full glass of water help the tablet dissolve.")] != []


def test_the_speaker_with_a_figure_or_a_cited_study_still_makes_a_claim() -> None:
    assert only_claim("I take 2 g of fish oil a day myself.").kind == "statistic"
    assert claims_of("Our spray uses an extract that has been tested in human trials.2") != ()


@pytest.mark.parametrize("text", ["Some strains of the virus can cause cancers of the throat.",
                                  "Poor balance is one of the main reasons older people fall."])
def test_how_a_disease_comes_about_is_mechanism(text: str) -> None:
    assert only_claim(text).kind == "mechanism"


def test_a_hyphenated_word_between_treatment_and_symptom_keeps_it_treated() -> None:
    assert only_claim("Zinc lozenges can shorten travel-related diarrhoea.").kind == "efficacy"
