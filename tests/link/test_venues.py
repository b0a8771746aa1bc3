"""Journal-name matching, checked against real journal names and abbreviations."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

from evgrade.link.venues import entries_in_venue, parse_venue, same_venue
from evgrade.models import Reference

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
IRIDIA = SHARED / "fixtures" / "bibtex" / "iridia"
KETAMINE_BIB = SHARED / "reference-facts" / "ketamine-verified.bib"

def _normal(name: str) -> str:
    """The comparison form of a name: casefolded, no "The", no punctuation."""
    return parse_venue(name).text


_STRING = re.compile(r'^@string\{\s*([\w-]+)\s*=\s*"([^"]*)"\s*\}', re.M)


def _strings(path: Path) -> dict[str, str]:
    """@string macros of an iridia file, with the LaTeX spacing a reader would not see."""
    out: dict[str, str] = {}
    for key, value in _STRING.findall(path.read_text(encoding="utf-8")):
        value = value.replace("\\@", "").replace("\\&", "&").replace("~", " ")
        out.setdefault(key.lower(), value.replace("{", "").replace("}", "").strip())
    return out


def _iridia_pairs() -> list[tuple[str, str, str]]:
    """(macro, abbreviation, full name): abbrevshort.bib's journals against journals.bib/abbrev.bib."""
    full = {**_strings(IRIDIA / "abbrev.bib"), **_strings(IRIDIA / "journals.bib")}
    text = (IRIDIA / "abbrevshort.bib").read_text(encoding="utf-8")
    journals = text[text.index("%% Journals %%"):]
    short = {k.lower(): v for k, v in _STRING.findall(journals)}
    pairs = []
    for key, value in short.items():
        value = value.replace("\\@", "").replace("~", " ").replace("{", "").replace("}", "")
        if key in full:
            pairs.append((key, value.strip(), full[key]))
    return pairs


IRIDIA_PAIRS = _iridia_pairs()
# journals.bib defines `tocs` as "Theory of Computing Systems" while abbrevshort.bib
# abbreviates `tocs` as ACM Transactions on Computer Systems: two different journals
# under one macro name in the fixture, so they rightly do not match.
FIXTURE_MISMATCHES = {"tocs"}


def test_the_fixture_supplies_enough_pairs() -> None:
    assert len(IRIDIA_PAIRS) >= 40


@pytest.mark.parametrize(("macro", "abbrev", "full"), IRIDIA_PAIRS,
                         ids=[p[0] for p in IRIDIA_PAIRS])
def test_iridia_abbreviation_matches_its_full_name(macro: str, abbrev: str, full: str) -> None:
    assert same_venue(abbrev, full) is (macro not in FIXTURE_MISMATCHES)
    assert same_venue(full, abbrev) is (macro not in FIXTURE_MISMATCHES)


def test_iridia_abbreviations_match_no_other_journal() -> None:
    names = set(_strings(IRIDIA / "journals.bib").values()) | set(_strings(IRIDIA / "abbrev.bib").values())
    wrong = []
    for macro, abbrev, full in IRIDIA_PAIRS:
        others = [n for n in names
                  if _normal(n) != _normal(full) and same_venue(abbrev, n)
                  and not (macro in FIXTURE_MISMATCHES and _normal(n) == _normal(abbrev))]
        if others:
            wrong.append((abbrev, others))
    assert wrong == []


def test_distinct_full_names_never_match_each_other() -> None:
    names = sorted(set(_strings(IRIDIA / "journals.bib").values()))
    assert len(names) > 200
    clashes = [(a, b) for a, b in itertools.combinations(names, 2)
               if _normal(a) != _normal(b) and same_venue(a, b)]
    assert clashes == []


# Abbreviations as PubMed prints them for journals in ketamine-verified.bib and the brief.
MEDICAL = [
    ("Biol Psychiatry", "Biological Psychiatry"),
    ("J Psychiatr Res", "Journal of Psychiatric Research"),
    ("J. Psychiatr. Res.", "Journal of Psychiatric Research"),
    ("Am J Psychiatry", "American Journal of Psychiatry"),
    ("Arch Gen Psychiatry", "Archives of General Psychiatry"),
    ("JAMA Psychiatry", "JAMA Psychiatry"),
    ("Lancet Psychiatry", "The Lancet Psychiatry"),
    ("Mol Psychiatry", "Molecular Psychiatry"),
    ("J Psychopharmacol", "Journal of Psychopharmacology"),
    ("Psychol Med", "Psychological Medicine"),
    ("Neuropsychopharmacology", "Neuropsychopharmacology"),
    ("Clin Pharmacol Ther", "Clinical Pharmacology and Therapeutics"),
    ("Clin Pharmacol Ther", "Clinical Pharmacology & Therapeutics"),
    ("Reg Anesth Pain Med", "Regional Anesthesia and Pain Medicine"),
    ("N Engl J Med", "The New England Journal of Medicine"),
    ("NEJM", "New England Journal of Medicine"),
    ("BMJ", "British Medical Journal"),
    ("BMJ", "Br Med J"),
    ("Proc Natl Acad Sci U S A",
     "Proceedings of the National Academy of Sciences of the United States of America"),
    ("Psychopharmacology (Berl)", "Psychopharmacology"),
    ("the journal of psychiatric research", "JOURNAL OF PSYCHIATRIC RESEARCH"),
]

NOT_SAME = [
    ("Cell", "Cells"),                                # two journals, one letter apart
    ("Neuron", "Neurology"),
    ("JAMA", "JAMA Psychiatry"),
    ("Psychiatry Research", "Journal of Psychiatric Research"),
    ("Biological Psychiatry", "Biological Psychology"),
    ("American Journal of Psychiatry", "American Journal of Psychology"),
    ("Archives of General Psychiatry", "JAMA Psychiatry"),
    ("BMJ Open", "British Medical Journal"),
    ("Journal of Psychopharmacology", "Psychopharmacology"),
    ("Nature", "Nature Medicine"),
    ("", "Nature"),
]


@pytest.mark.parametrize(("a", "b"), MEDICAL)
def test_medical_abbreviations(a: str, b: str) -> None:
    assert same_venue(a, b)
    assert same_venue(b, a)


@pytest.mark.parametrize(("a", "b"), NOT_SAME)
def test_different_journals_do_not_match(a: str, b: str) -> None:
    assert not same_venue(a, b)
    assert not same_venue(b, a)


def test_a_dotted_prefix_is_an_abbreviation() -> None:
    # from abbrevshort.bib: `ACM Trans. Graphic.` for ACM Transactions on Graphics
    assert same_venue("ACM Trans. Graphic.", "ACM Transactions on Graphics")
    # without the period a one-letter difference is another journal ("Cell"/"Cells")
    assert not same_venue("Cell", "Cells")
    assert same_venue("Cell.", "Cells")


def test_design_abbreviation_is_not_the_french_article() -> None:
    assert same_venue("J. Mech. Des.", "Journal of Mechanical Design")


@pytest.mark.parametrize(("raw", "normal"), [
    ("The Lancet Psychiatry", "lancet psychiatry"),
    ("Computers & Operations Research", "computers and operations research"),
    ("  Journal   of Hydroinformatics ", "journal of hydroinformatics"),
    ("J.~Appl.~Cryst.", "j appl cryst"),
    ("Psychopharmacology (Berl)", "psychopharmacology"),
])
def test_normalised_form(raw: str, normal: str) -> None:
    assert _normal(raw) == normal


def _ketamine_bib() -> dict[str, Reference]:
    bib = parse_file(str(KETAMINE_BIB))
    return {key: Reference(key=key, entry_type=e.type, venue=e.fields.get("journal", ""))
            for key, e in bib.entries.items()}


def test_entries_in_venue_on_the_ketamine_bibliography() -> None:
    bib = _ketamine_bib()
    assert sorted(entries_in_venue("Biol Psychiatry", bib)) == ["Berman2000", "Bloch2012",
                                                               "Murrough2013BP"]
    assert sorted(entries_in_venue("Journal of Psychiatric Research", bib)) == ["Xiong2020",
                                                                                "Zheng2018"]
    assert entries_in_venue("Lancet Psychiatry", bib) == ["Short2018"]
    assert sorted(entries_in_venue("Am J Psychiatry", bib)) == ["Murrough2013AJP", "Newport2015",
                                                               "Popova2019", "Wilkinson2018"]
    assert entries_in_venue("Journal of Affective Disorders", bib) == []
