"""Identifier syntax: real identifiers from the shared fixtures, and malformed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.bib.identifiers import (
    identifiers_from_extra,
    identifiers_from_url,
    invalid_identifiers,
    normalize,
    persistent_identifiers,
)
from evgrade.bib.load import load_bibliography
from evgrade.models import Reference

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
KETAMINE = SHARED / "reference-facts" / "ketamine-verified.bib"
DATA = Path(__file__).parents[1] / "data" / "bib"

# (kind, as written, normal form or "" when invalid)
CASES = [
    # DOIs from ketamine-verified.bib and the bbt-import fixtures
    ("doi", "10.1016/S0006-3223(99)00230-9", "10.1016/S0006-3223(99)00230-9"),
    ("doi", "https://doi.org/10.1001/archpsyc.63.8.856", "10.1001/archpsyc.63.8.856"),
    ("doi", "http://dx.doi.org/10.1007/3-540-45757-7_52", "10.1007/3-540-45757-7_52"),
    ("doi", "doi:10.1176/appi.ajp.2013.13030392", "10.1176/appi.ajp.2013.13030392"),
    ("doi", "DOI: 10.1023/B:LOGI.0000021744.10237.d0", "10.1023/B:LOGI.0000021744.10237.d0"),
    ("doi", "https://doi.org/10.1007%2F3-540-45757-7_52", "10.1007/3-540-45757-7_52"),
    ("doi", "0.1088/0957-4484/22/26/265202", ""),      # malformed in a fixture
    ("doi", "j.desal.2005.02.017", ""),                # DOI without its prefix, from a fixture
    ("doi", "10.1016/", ""),
    ("doi", "10.12/abc", ""),                          # registrant code too short
    ("doi", "10.1001/archpsyc 63.8.856", ""),
    # PMIDs from ketamine-verified.bib
    ("pmid", "10686270", "10686270"),
    ("pmid", "PMID: 16894061", "16894061"),
    ("pmid", "23982301", "23982301"),
    ("pmid", "010686270", ""),                         # leading zero
    ("pmid", "327574500002", ""),                      # a Web of Science number, from a fixture
    ("pmid", "1068627a", ""),
    # PMCIDs
    ("pmcid", "PMC3006164", "PMC3006164"),             # from a pubmedcentral URL in a fixture
    ("pmcid", "pmc3006164", "PMC3006164"),
    ("pmcid", "PMCID: PMC3006164", "PMC3006164"),
    ("pmcid", "3006164", ""),
    ("pmcid", "PMC", ""),
    # arXiv, new and old style, from the bbt-import fixtures
    ("arxiv", "1611.06895", "1611.06895"),
    ("arxiv", "1011.1669v3", "1011.1669v3"),
    ("arxiv", "arXiv:1807.00144", "1807.00144"),
    ("arxiv", "https://arxiv.org/abs/1511.08776", "1511.08776"),
    ("arxiv", "cond-mat/0603845", "cond-mat/0603845"),
    ("arxiv", "0603845 [cond-mat]", "cond-mat/0603845"),  # Mendeley's way of writing it
    ("arxiv", "hep-th/9901001", "hep-th/9901001"),
    ("arxiv", "1613.00001", ""),                       # month 13
    ("arxiv", "1412.12345", ""),                       # five digits only from 2015 on
    ("arxiv", "1501.1234", ""),                        # four digits only until 2014
    ("arxiv", "APEX.7.071001 [doi:10.7567]", ""),
    ("arxiv", "2", ""),
    # ISBNs from the bbt-import fixtures (checksums hold)
    ("isbn", "0-226-03933-1", "0226039331"),
    ("isbn", "978-3-540-44190-8", "9783540441908"),
    ("isbn", "ISBN 978-85-63994-24-0", "9788563994240"),
    ("isbn", "1-55860-221-6", "1558602216"),
    ("isbn", "1616-301X", ""),                         # an ISSN in an isbn field
    ("isbn", "0-226-03933-2", ""),                     # checksum broken by one digit
    ("isbn", "978-3-540-44190-9", ""),
    ("isbn", "0-69-697269-4", ""),                     # from a fixture, checksum fails
]


@pytest.mark.parametrize(("kind", "written", "expected"), CASES)
def test_normalize(kind: str, written: str, expected: str) -> None:
    assert normalize(kind, written) == expected


def test_isbn10_with_x_check_digit() -> None:
    # 0-8044-2957-X: the textbook example of an X check digit
    assert normalize("isbn", "0-8044-2957-x") == "080442957X"


def test_every_ketamine_reference_has_valid_doi_and_pmid() -> None:
    bib = load_bibliography([KETAMINE])
    assert len(bib) == 27
    for ref in bib.entries.values():
        valid = persistent_identifiers(ref)
        assert invalid_identifiers(ref) == {}
        if ref.doi:
            assert valid["doi"] == ref.doi
        if ref.pmid:
            assert valid["pmid"] == ref.pmid
    berman = bib.get("Berman2000")
    assert berman is not None
    assert persistent_identifiers(berman) == {"doi": "10.1016/S0006-3223(99)00230-9", "pmid": "10686270"}


def test_valid_and_invalid_split_per_reference() -> None:
    bib = load_bibliography([DATA / "identifiers.bib"])
    assert persistent_identifiers(bib.entries["doi-url-prefix"]) == {"doi": "10.1016/S0006-3223(99)00230-9"}
    assert persistent_identifiers(bib.entries["extra-pmid"]) == {"pmid": "10686270"}
    assert persistent_identifiers(bib.entries["url-only"]) == {"pmid": "16894061"}
    assert persistent_identifiers(bib.entries["doi-in-url"]) == {"doi": "10.1001/archpsyc.63.8.856"}
    assert persistent_identifiers(bib.entries["arxiv-eprint"]) == {"arxiv": "1611.06895"}
    assert persistent_identifiers(bib.entries["two-isbns"]) == {"isbn": "0006319254"}
    bad = bib.entries["bad-ids"]
    assert persistent_identifiers(bad) == {}
    assert invalid_identifiers(bad) == {"doi": "0.1088/0957-4484/22/26/265202", "pmid": "327574500002",
                                        "pmcid": "12345", "isbn": "0-69-697269-4"}


def test_reference_without_identifiers() -> None:
    ref = Reference(key="k", entry_type="misc", url="https://example.org/")
    assert persistent_identifiers(ref) == {}
    assert invalid_identifiers(ref) == {}


@pytest.mark.parametrize(("url", "expected"), [
    ("https://doi.org/10.1001/archpsyc.63.8.856", {"doi": "10.1001/archpsyc.63.8.856"}),
    ("http://dx.doi.org/10.1007/3-540-45757-7_52", {"doi": "10.1007/3-540-45757-7_52"}),
    ("https://pubmed.ncbi.nlm.nih.gov/10686270/", {"pmid": "10686270"}),
    ("http://www.ncbi.nlm.nih.gov/pubmed/16894061", {"pmid": "16894061"}),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3006164/", {"pmcid": "PMC3006164"}),
    ("https://arxiv.org/abs/1611.06895", {"arxiv": "1611.06895"}),
    ("http://www.sciencedirect.com/science/article/pii/S014759670300101X", {}),
    ("https://pubmed.ncbi.nlm.nih.gov/?term=ketamine", {}),
])
def test_identifiers_from_url(url: str, expected: dict[str, str]) -> None:
    assert identifiers_from_url(url) == expected


def test_identifiers_from_extra_only_valid_ones() -> None:
    text = "PMID: 10686270 PMCID: not-a-pmcid DOI: 10.1016/S0006-3223(99)00230-9."
    assert identifiers_from_extra(text) == {"pmid": "10686270", "doi": "10.1016/S0006-3223(99)00230-9"}
    assert identifiers_from_extra("tex.pmid: 0123") == {}
