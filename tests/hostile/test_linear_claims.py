"""Issue 9, items 2 and 3 (claims stage): sentences on which finding claims took
exponential or quadratic time.

Item 2: a headline of 24 words in capitals took 38 s (20, 22, 24 words: 3.5, 17,
56 s under load): the name pattern of attribution finding could read every
capitalised word two ways, and retried all of them from every start. Item 3: the
splitter searched for the word before every period from the start of the text
(``'A. ' * n``: 54 s at 100 KB), percentages were compared with every earlier
one (``'70% ' * n``: 15 s at 100 KB), and other rules searched from the start of
the sentence for every number or symptom.

Each family runs at n and 4n units and must give the result that follows from
its input. Speed is measured in benchmarks/bench_pathological.py, never here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_properties_readers import assert_consistent

from evgrade.claims import attribution
from evgrade.claims.cues import find_cues, is_statistic
from evgrade.claims.detect import extract_claims
from evgrade.claims.exclusions import exclusion_reason
from evgrade.claims.kinds import classify_kind, mentions_harm
from evgrade.claims.sentences import segment, split_sentences
from evgrade.read import read_text

ROOT = Path(__file__).resolve().parents[2]
N = 1000
HEADLINE = ("KETAMINE NASAL SPRAY WORKS WITHIN HOURS FOR PATIENTS WITH SEVERE DEPRESSION AND THOUGHTS "
            "OF SUICIDE IN TWO GROUPS WHILE OTHER TREATMENTS TAKE WEEKS TO HELP MOST PEOPLE THAT "
            "TRY THEM AT HOME OR IN CLINICS ACROSS THE COUNTRY").split()


@pytest.mark.parametrize("words", [20, 22, 24, 28, len(HEADLINE)])
def test_a_headline_in_capitals_is_attributed_to_the_agency_it_names(words: int) -> None:
    sentence = "FDA SAYS " + " ".join(HEADLINE[:words])
    found = attribution.find(sentence)
    # the name runs on through every capitalised word, but only "FDA" is followed by "SAYS"
    assert found == [attribution.Found("institution", "institution", "FDA", "FDA SAYS", 0)]
    assert attribution.find(" ".join(HEADLINE[:words])) == []


def test_a_name_as_long_as_the_sentence_is_found_once() -> None:
    for n in (N, 4 * N):
        sentence = "the Agency " * n + "said that it works."
        found = attribution.find(sentence)
        # one name from the first "Agency" to the last, the one "said" follows
        assert [(f.kind, f.name, f.offset) for f in found] == [("institution", " the ".join(["Agency"] * n), 0)]
        # no reporting verb: every "the" started a name that was then read back word by word
        assert attribution.find("the Agency " * n + "agreed.") == []


def test_a_hyphenated_run_before_et_al() -> None:
    for n in (N, 4 * N):
        sentence = "A-" * n + "Smith et al. found it."
        found = attribution.find(sentence)
        assert [(f.kind, f.name, f.offset) for f in found] == [("researcher", "A-" * n + "Smith", 0)]
        # without "et al." every "A" of the run started a name that ran to its end
        assert attribution.find("A-" * n + "Smith found it.") == []


def test_titles_after_titles() -> None:
    for n in (N, 4 * N):
        found = attribution.find("Dr. " * n)
        # "Dr. Dr" is one researcher ("Dr." and the next word), so every second title starts one
        assert len(found) == n // 2 and {f.name for f in found} == {"Dr. Dr"}


def test_initials_are_not_sentence_ends() -> None:
    for n in (N, 4 * N):
        text = "A. " * n + "Smith reported it."
        assert split_sentences(text) == [(0, len(text))]


def test_numbered_items_on_one_line_are_sentences() -> None:
    for n in (N, 4 * N):
        text = "1. " * n
        # the first "1." opens the line (a list number, not a sentence end); every other one ends one
        assert len(split_sentences(text)) == n - 1


def test_percentages_are_each_one_cue() -> None:
    for n in (N, 4 * N):
        sentence = "70% " * n
        cues = find_cues(sentence)
        assert [c.kind for c in cues] == ["percent"] * n
        assert is_statistic(sentence, cues)


def test_numbers_that_name_things_are_not_statistics() -> None:
    for n in (N, 4 * N):
        sentence = "The phase 3 " * n + "trial ended."
        cues = find_cues(sentence)
        assert sum(c.kind == "number" for c in cues) == n
        assert not is_statistic(sentence, cues)


def test_symptoms_a_treatment_reduces_are_not_harms() -> None:
    for n in (N, 4 * N):
        sentence = "It reduces nausea " * n
        assert not mentions_harm(sentence)
        assert classify_kind(sentence, find_cues(sentence)) == "efficacy"


def test_a_prediction_with_many_openings() -> None:
    for n in (N, 4 * N):
        sentence = "It is likely that " * n + "it will pass."
        assert exclusion_reason(sentence, find_cues(sentence)) == "prediction"
        # without "will" every opening read on to the end of the sentence
        sentence = "It is likely that " * n + "it works."
        assert exclusion_reason(sentence, find_cues(sentence)) != "prediction"


def test_advice_with_many_openings() -> None:
    for n in (N, 4 * N):
        sentence = "To learn if " * n + "it works, contact your doctor."
        assert exclusion_reason(sentence, find_cues(sentence)) == "advice to the reader"
        sentence = "To learn if " * n + "it works, ask."
        assert exclusion_reason(sentence, find_cues(sentence)) != "advice to the reader"


def test_a_long_run_of_study_modifiers() -> None:
    for n in (N, 4 * N):
        sentence = "A new " + "clinical " * n + "trial helped."
        refs = [f for f in attribution.find(sentence) if f.cue_kind == "study-reference"]
        # at most eight modifiers are read before the noun: the phrase starts eight words back
        assert [f.text for f in refs] == ["clinical " * 9 + "trial"]


def test_the_articles_on_one_line() -> None:
    one = " ".join(p.read_text(encoding="utf-8").replace("\n", " ")
                   for p in sorted((ROOT / "articles").glob("*.txt"))).strip()
    one += "" if one.endswith(".") else "."   # so that copies do not run into each other
    sizes = []
    for copies in (1, 4):
        doc = segment(read_text(" ".join([one] * copies), path="one-line.txt"))
        claims = extract_claims(doc)
        assert_consistent(doc, claims)
        sizes.append((len(doc.sentences), len(claims)))
    assert sizes[1] == (4 * sizes[0][0], 4 * sizes[0][1]) and sizes[0][1] > 100
