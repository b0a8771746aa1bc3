"""Identifiers written as LaTeX commands in ``note``, ``howpublished`` and ``annote`` (issue 10).

Styles such as plain.bst print no ``doi`` field, so authors put ``note = {\\doi{...}}``
or ``howpublished = {Available at \\url{...}}`` instead; before, such an entry had "no
persistent identifier" (EV102) and was not traceable. The bibliographic facts are those
of ../shared/reference-facts/ketamine-verified.bib (Berman 2000, Zarate 2006); only the
field that carries the identifier is changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.bib.identifiers import identifiers_in_prose
from evgrade.bib.load import load_bibliography
from evgrade.pipeline import Options, run

BERMAN_DOI = "10.1016/S0006-3223(99)00230-9"
BERMAN_PMID = "10686270"
ZARATE_DOI = "10.1001/archpsyc.63.8.856"
ENTRY = """@article{{Berman2000,
  author  = {{Berman, Robert M. and Cappiello, Angela and Anand, Amit and Oren, Dan A. and Heninger, George R. and Charney, Dennis S. and Krystal, John H.}},
  title   = {{Antidepressant effects of ketamine in depressed patients}},
  journal = {{Biological Psychiatry}}, year = {{2000}}, volume = {{47}}, number = {{4}}, pages = {{351--354}},
  {field}
}}
"""


def _load(tmp_path: Path, field: str):
    bib = tmp_path / "refs.bib"
    bib.write_text(ENTRY.format(field=field), encoding="utf-8")
    return load_bibliography([bib]).entries["Berman2000"]


@pytest.mark.parametrize("field,kind,value", [
    (f"note = {{\\doi{{{BERMAN_DOI}}}}}", "doi", BERMAN_DOI),
    (f"note = {{doi: \\doi{{{BERMAN_DOI}}}.}}", "doi", BERMAN_DOI),
    (f"note = {{\\url{{https://doi.org/{BERMAN_DOI}}}}}", "doi", BERMAN_DOI),
    (f"howpublished = {{Available at \\url{{https://doi.org/{BERMAN_DOI}}}}}", "doi", BERMAN_DOI),
    (f"note = {{\\href{{https://doi.org/{BERMAN_DOI}}}{{https://doi.org/{BERMAN_DOI}}}}}", "doi", BERMAN_DOI),
    (f"note = {{PubMed: \\url{{https://pubmed.ncbi.nlm.nih.gov/{BERMAN_PMID}/}}}}", "pmid", BERMAN_PMID),
    (f"annote = {{PMID: {BERMAN_PMID}}}", "pmid", BERMAN_PMID),
    (f"annote = {{Read in 2021; \\doi{{{BERMAN_DOI}}}}}", "doi", BERMAN_DOI),
])
def test_an_identifier_written_as_a_command_is_seen(tmp_path: Path, field: str, kind: str, value: str) -> None:
    ref = _load(tmp_path, field)
    assert getattr(ref, kind) == value


def test_two_dois_in_one_note_name_neither(tmp_path: Path) -> None:
    ref = _load(tmp_path, f"note = {{Comment: \\doi{{{BERMAN_DOI}}}; reply: \\doi{{{ZARATE_DOI}}}}}")
    assert ref.doi == ""
    # the same DOI twice (case aside) is still one
    assert identifiers_in_prose(f"{BERMAN_DOI} and {BERMAN_DOI.lower()}") == {"doi": BERMAN_DOI}


def test_the_doi_field_wins_over_the_note(tmp_path: Path) -> None:
    ref = _load(tmp_path, f"doi = {{{BERMAN_DOI}}}, note = {{\\doi{{{ZARATE_DOI}}}}}")
    assert ref.doi == BERMAN_DOI


def test_a_doi_inside_a_longer_word_or_url_is_not_bare() -> None:
    assert identifiers_in_prose("see https://example.org/10.1001/archpsyc.63.8.856") == {}
    assert identifiers_in_prose("version 210.1001/x") == {}


def test_href_with_other_text_is_a_known_limit(tmp_path: Path) -> None:
    """LaTeX decoding keeps \\href's text, not its URL (docs/bibliography.md)."""
    ref = _load(tmp_path, f"note = {{\\href{{https://doi.org/{BERMAN_DOI}}}{{publisher's page}}}}")
    assert ref.doi == "" and ref.note == "publisher's page"


def test_the_cited_entry_becomes_traceable(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(ENTRY.format(field=f"note = {{\\doi{{{BERMAN_DOI}}}}}"),
                                       encoding="utf-8")
    (tmp_path / "draft.md").write_text(
        "Ketamine had antidepressant effects in depressed patients in a randomized trial [@Berman2000].\n",
        encoding="utf-8")
    report = run([tmp_path / "draft.md"], Options(bibliographies=(tmp_path / "refs.bib",)))
    assert report.entries["Berman2000"].traceable
    assert report.entries["Berman2000"].identifiers == {"doi": BERMAN_DOI}
    assert not [f for f in report.findings if f.code == "EV102"]
