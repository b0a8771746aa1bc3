"""Hard sentence-boundary cases in health and science prose.

Every case was written for this project (docs/claims.md, section 1, states the
rules). Names and numbers in them are placeholders, not facts about any study.
``split_sentences`` must get all of them right; pysbd runs on the same table only
as a baseline, counted by :func:`pysbd_case_score` and never asserted.
"""

from __future__ import annotations

import pytest

from evgrade.claims.sentences import split_sentences

# (id, text, expected sentences as exact slices of text)
CASES: list[tuple[str, str, list[str]]] = [
    # --- abbreviations
    ("et-al", "Zarate et al. (2006) is cited twice in the review. The second citation is in Table 2.",
     ["Zarate et al. (2006) is cited twice in the review.", "The second citation is in Table 2."]),
    ("et-al-lowercase", "Cite it as Berman et al. in the text. Give the year in brackets.",
     ["Cite it as Berman et al. in the text.", "Give the year in brackets."]),
    ("eg-parenthesis", "Some drugs (e.g. ketamine) act within hours. Others take weeks.",
     ["Some drugs (e.g. ketamine) act within hours.", "Others take weeks."]),
    ("eg-comma", "Side effects, e.g., nausea, were mild. No patient withdrew.",
     ["Side effects, e.g., nausea, were mild.", "No patient withdrew."]),
    ("ie-number", "The dose was low, i.e. 0.5 mg/kg over 40 minutes. Blood pressure rose slightly.",
     ["The dose was low, i.e. 0.5 mg/kg over 40 minutes.", "Blood pressure rose slightly."]),
    ("ie-capital", "The main target, i.e. NMDA, is a glutamate receptor. Glutamate release then rises.",
     ["The main target, i.e. NMDA, is a glutamate receptor.", "Glutamate release then rises."]),
    ("dr", "Ask Dr. Patel about the dose. She will explain it.",
     ["Ask Dr. Patel about the dose.", "She will explain it."]),
    ("dr-sentence-start", "Dr. Okafor runs the infusion clinic. Patients are screened first.",
     ["Dr. Okafor runs the infusion clinic.", "Patients are screened first."]),
    ("vs", "Ketamine vs. placebo was the main comparison. Both arms were blinded.",
     ["Ketamine vs. placebo was the main comparison.", "Both arms were blinded."]),
    ("us-name", "The U.S. Food and Drug Administration reviews new drugs. Approval can take years.",
     ["The U.S. Food and Drug Administration reviews new drugs.", "Approval can take years."]),
    ("us-lowercase", "The nasal spray is sold in the U.S. under a restricted program. It needs a clinic visit.",
     ["The nasal spray is sold in the U.S. under a restricted program.", "It needs a clinic visit."]),
    ("fig", "Response rates are shown in Fig. 2 for each arm. Dropouts are listed below.",
     ["Response rates are shown in Fig. 2 for each arm.", "Dropouts are listed below."]),
    ("approx", "Each session lasted approx. 40 minutes. Patients rested afterwards.",
     ["Each session lasted approx. 40 minutes.", "Patients rested afterwards."]),
    ("no-number", "Patients were enrolled under protocol No. 12 at two sites. Enrolment closed early.",
     ["Patients were enrolled under protocol No. 12 at two sites.", "Enrolment closed early."]),
    ("no-word", "The answer was no. Further tests followed.",
     ["The answer was no.", "Further tests followed."]),
    ("phd", "She holds a Ph.D. in pharmacology. Her clinic is in Ohio.",
     ["She holds a Ph.D. in pharmacology.", "Her clinic is in Ohio."]),
    ("cf", "Relief came sooner in the ketamine arm (cf. Table 3). Table 3 lists the doses.",
     ["Relief came sooner in the ketamine arm (cf. Table 3).", "Table 3 lists the doses."]),
    ("st", "Sessions were held at St. Mary's Hospital. Parking was free.",
     ["Sessions were held at St. Mary's Hospital.", "Parking was free."]),
    ("month", "The trial ended in Sept. 2021 after two years. Results are pending.",
     ["The trial ended in Sept. 2021 after two years.", "Results are pending."]),
    ("etc-inside", "Side effects included nausea, dizziness, etc. and resolved within an hour. No one was admitted.",
     ["Side effects included nausea, dizziness, etc. and resolved within an hour.", "No one was admitted."]),
    ("etc-end", "Side effects included nausea, dizziness, etc. None lasted more than an hour.",
     ["Side effects included nausea, dizziness, etc.", "None lasted more than an hour."]),
    ("am-pm", "Infusions started at 9 a.m. and ended by noon. Patients went home at 2 p.m. The clinic then closed.",
     ["Infusions started at 9 a.m. and ended by noon.", "Patients went home at 2 p.m.",
      "The clinic then closed."]),
    ("initials", "Write the first author as J. H. Krystal in the list. Do not spell out the initials.",
     ["Write the first author as J. H. Krystal in the list.", "Do not spell out the initials."]),
    # --- numbers
    ("decimal-dose", "The dose was 0.5 mg/kg. It was given over 40 minutes.",
     ["The dose was 0.5 mg/kg.", "It was given over 40 minutes."]),
    ("decimal-end", "The mean age was 42.5. Most participants were women.",
     ["The mean age was 42.5.", "Most participants were women."]),
    ("range-en-dash", "Effects lasted 2–4 weeks in most patients. Some relapsed sooner.",
     ["Effects lasted 2–4 weeks in most patients.", "Some relapsed sooner."]),
    ("p-value", "The difference was significant (p < 0.05). Effect sizes were moderate.",
     ["The difference was significant (p < 0.05).", "Effect sizes were moderate."]),
    ("fold", "BDNF rose 1.5-fold after the infusion. Levels returned to baseline by day 7.",
     ["BDNF rose 1.5-fold after the infusion.", "Levels returned to baseline by day 7."]),
    ("version", "Scores were computed with version 2.0 of the scale. Version 3.1 changed the cut-offs.",
     ["Scores were computed with version 2.0 of the scale.", "Version 3.1 changed the cut-offs."]),
    # --- quotes and brackets
    ("quote-period-inside", 'He said "it works." Then he left the room.',
     ['He said "it works."', "Then he left the room."]),
    ("quote-question", 'The patient asked, "Will it help?" The nurse did not answer.',
     ['The patient asked, "Will it help?"', "The nurse did not answer."]),
    ("curly-quote", "She wrote “the effect is rapid.” Others disagreed.",
     ["She wrote “the effect is rapid.”", "Others disagreed."]),
    ("quote-period-outside", 'It was called a "breakthrough". Few reviewers agreed.',
     ['It was called a "breakthrough".', "Few reviewers agreed."]),
    ("paren-sentence", "Responses varied widely. (See Fig. 2.) Next, we describe the side effects.",
     ["Responses varied widely.", "(See Fig. 2.)", "Next, we describe the side effects."]),
    ("paren-fig-inside", "The trial enrolled adults only (see Fig. 2.) Next, we describe the side effects.",
     ["The trial enrolled adults only (see Fig. 2.)", "Next, we describe the side effects."]),
    ("paren-end", "Ketamine blocks NMDA receptors (a type of glutamate receptor). This raises glutamate release.",
     ["Ketamine blocks NMDA receptors (a type of glutamate receptor).", "This raises glutamate release."]),
    ("question-in-paren", "The dose (was it 0.5 mg/kg?) was not reported. We assumed it was.",
     ["The dose (was it 0.5 mg/kg?) was not reported.", "We assumed it was."]),
    ("bracket-citations", "Response was rapid [12]. Relapse followed within weeks [13, 14].",
     ["Response was rapid [12].", "Relapse followed within weeks [13, 14]."]),
    ("nmda", "Ketamine blocks the N-methyl-D-aspartate (NMDA) receptor. This raises glutamate release.",
     ["Ketamine blocks the N-methyl-D-aspartate (NMDA) receptor.", "This raises glutamate release."]),
    ("semicolon", "Nausea was common; vomiting was rare. Both resolved within a day.",
     ["Nausea was common; vomiting was rare.", "Both resolved within a day."]),
    # --- end marks
    ("question", "Does ketamine work for anxiety? The evidence is thin.",
     ["Does ketamine work for anxiety?", "The evidence is thin."]),
    ("exclamation", "Call us today! Our clinic is open on weekends.",
     ["Call us today!", "Our clinic is open on weekends."]),
    ("ellipsis-lowercase", "The effect was rapid... but it did not last. Relapse was common.",
     ["The effect was rapid... but it did not last.", "Relapse was common."]),
    ("ellipsis-capital", "Results were mixed... Some patients improved.",
     ["Results were mixed...", "Some patients improved."]),
    ("ellipsis-unicode", "Results were mixed… Some patients improved.",
     ["Results were mixed…", "Some patients improved."]),
    # --- URLs and e-mail addresses
    ("url-inside", "Visit www.example.org/info.html for the consent forms. Bring them to the visit.",
     ["Visit www.example.org/info.html for the consent forms.", "Bring them to the visit."]),
    ("url-end", "The protocol is at https://example.org/protocol.pdf. It runs to 40 pages.",
     ["The protocol is at https://example.org/protocol.pdf.", "It runs to 40 pages."]),
    ("email-end", "Questions go to info@example.org. We reply within two days.",
     ["Questions go to info@example.org.", "We reply within two days."]),
    # --- layout: headings, lists, wrapped lines
    ("heading-next-line", "Possible Side Effects\nMost side effects are mild.",
     ["Possible Side Effects", "Most side effects are mild."]),
    ("heading-blank-line", "How Ketamine Works\n\nKetamine blocks NMDA receptors.",
     ["How Ketamine Works", "Ketamine blocks NMDA receptors."]),
    ("heading-question", "Why Does Ketamine Work?\n\nIt blocks NMDA receptors.",
     ["Why Does Ketamine Work?", "It blocks NMDA receptors."]),
    ("list-dash", "Common side effects:\n- nausea\n- dizziness\n- raised blood pressure",
     ["Common side effects:", "- nausea", "- dizziness", "- raised blood pressure"]),
    ("list-numbered", "Steps:\n1. Screen the patient\n2. Measure blood pressure\n3. Start the infusion",
     ["Steps:", "1. Screen the patient", "2. Measure blood pressure", "3. Start the infusion"]),
    ("list-blank-lines", "Nausea and vomiting\n\nRaised blood pressure\n\nDissociation",
     ["Nausea and vomiting", "Raised blood pressure", "Dissociation"]),
    ("wrapped-line", "The infusion is given slowly over\nforty minutes in a quiet room. A nurse stays nearby.",
     ["The infusion is given slowly over\nforty minutes in a quiet room.", "A nurse stays nearby."]),
    ("wrapped-lines", "Patients who had not responded to\ntwo or more antidepressants were\neligible for the trial. Others were not.",
     ["Patients who had not responded to\ntwo or more antidepressants were\neligible for the trial.",
      "Others were not."]),
    ("trailing-space", "Ketamine is an anesthetic.  \n",
     ["Ketamine is an anesthetic."]),
    ("leading-space", "  \n  Ketamine is an anesthetic. It is also used off-label.",
     ["Ketamine is an anesthetic.", "It is also used off-label."]),
]

IDS = [c[0] for c in CASES]


def test_table_is_large_and_unique() -> None:
    assert len(CASES) >= 40
    assert len(set(IDS)) == len(IDS)
    for _id, text, expected in CASES:  # the table itself must be consistent
        assert all(part in text for part in expected), _id


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=IDS)
def test_split_sentences(text: str, expected: list[str]) -> None:
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == expected
    # offsets point into the text, in order, without surrounding whitespace
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def _pysbd_sentences(text: str) -> list[str]:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return [s.strip() for s in segmenter.segment(text) if s.strip()]


def pysbd_case_score() -> tuple[int, int]:
    """(cases pysbd splits exactly as expected, number of cases): a baseline to print."""
    right = sum(_pysbd_sentences(text) == expected for _id, text, expected in CASES)
    return right, len(CASES)


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=IDS)
def test_pysbd_baseline_runs(text: str, expected: list[str]) -> None:
    # a baseline only: pysbd's mistakes are counted by pysbd_case_score, not failed
    sentences = _pysbd_sentences(text)
    assert all(isinstance(s, str) and s for s in sentences)


def test_pysbd_case_score_counts() -> None:
    right, total = pysbd_case_score()
    assert total == len(CASES)
    assert 0 <= right <= total
