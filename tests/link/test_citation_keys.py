"""What a citation key stands for in the link stage: pandoc-crossref labels, Manubot
identifier keys and ``tag:`` aliases (docs/formats.md, "What a key stands for").

The keys and the citation-tags.tsv rows are those of the real Manubot manuscript in
../shared/fixtures/manuscripts/rephetio-manubot (CC BY 4.0, see its SOURCE.txt) and of
Manubot's own documentation; the bibliography entry is from
../shared/reference-facts/ketamine-verified.bib.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade._citekeys import identifier_of, is_crossref_label, is_tag
from evgrade.errors import InputError
from evgrade.link.citation_tags import CitationTags, load_citation_tags, parse_citation_tags
from evgrade.link.citations import (citation_links, identifier_reference, resolve_key,
                                    with_cited_identifiers)
from evgrade.models import Citation, Claim, Location, Reference, Span

MANUBOT = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "manuscripts" / "rephetio-manubot"
BERMAN = Reference(key="Berman2000", entry_type="article", title="Antidepressant effects of ketamine in "
                   "depressed patients", doi="10.1016/S0006-3223(99)00230-9", pmid="10686270")


@pytest.mark.parametrize("key", ["fig:fg1", "fig:bupropion_nicotine", "tbl:metaedges", "eq:eqn1",
                                 "sec:sec1", "lst:captionAttr", "Fig:figure1", "Tbl:table1"])
def test_pandoc_crossref_references_are_labels(key: str) -> None:
    assert is_crossref_label(key)


@pytest.mark.parametrize("key", ["fig", "fig:", "FIG:x", "figure:x", "doi:10.1/x", "Smith2020",
                                 "section:methods", "eqn:1", "tag:chen"])
def test_other_keys_are_not_crossref_labels(key: str) -> None:
    assert not is_crossref_label(key)


@pytest.mark.parametrize("key,expected", [
    ("doi:10.1016/s0006-2952(96)00509-6", ("doi", "10.1016/s0006-2952(96)00509-6")),
    ("DOI:10.7554/eLife.16800", ("doi", "10.7554/eLife.16800")),
    ("pmid:10686270", ("pmid", "10686270")),
    ("pubmed:26158728", ("pmid", "26158728")),
    ("pmc:PMC4497619", ("pmcid", "PMC4497619")),
    ("pmcid:PMC4497619", ("pmcid", "PMC4497619")),
    ("arxiv:1508.06576v2", ("arxiv", "1508.06576v2")),
    ("isbn:9781339919881", ("isbn", "9781339919881")),
    ("wikidata:Q50051684", ("wikidata", "Q50051684")),
    ("url:http://www.intel.com/pressroom/archive/speeches/ag080998.htm",
     ("url", "http://www.intel.com/pressroom/archive/speeches/ag080998.htm")),
    ("https://nyti.ms/1QUgAt1", ("url", "https://nyti.ms/1QUgAt1")),
])
def test_manubot_identifier_keys(key: str, expected: tuple[str, str]) -> None:
    assert identifier_of(key) == expected


@pytest.mark.parametrize("key", ["Smith2020", "tag:chen", "doi:", "fig:fg1", "raw:dongbo-conversation",
                                 "http:no-slashes", "10.1/x"])
def test_other_keys_name_no_identifier(key: str) -> None:
    assert identifier_of(key) is None


def test_tag_keys() -> None:
    assert is_tag("tag:deep-review") and not is_tag("tag:") and not is_tag("doi:10.1/x")


def test_a_manubot_key_links_to_the_entry_carrying_its_identifier() -> None:
    bib = {"Berman2000": BERMAN}
    assert resolve_key("doi:10.1016/s0006-3223(99)00230-9", bib) == "Berman2000"  # DOIs ignore case
    assert resolve_key("pubmed:10686270", bib) == "Berman2000"
    assert resolve_key("pmid:010686270", bib) == "Berman2000"
    # nothing carries it: it stays itself, and becomes an entry of its own
    where = Location(path="content/02.main-text.md", line=12)
    entries = with_cited_identifiers(bib, [("doi:10.1038/nrd1468", where), ("pmid:10686270", None),
                                           ("Nobody2020", None), ("doi:10.1038/nrd1468", None)])
    assert set(entries) == {"Berman2000", "doi:10.1038/nrd1468"}  # no entry for a plain key
    made = entries["doi:10.1038/nrd1468"]
    assert (made.entry_type, made.doi, made.title) == ("misc", "10.1038/nrd1468", "")
    assert made.location == where  # where a document first cites it


def test_two_keys_for_one_identifier_share_one_entry() -> None:
    entries = with_cited_identifiers({}, [("doi:10.1016/S1059-1311(03)00082-7", None),
                                          ("doi:10.1016/s1059-1311(03)00082-7", None)])
    assert list(entries) == ["doi:10.1016/S1059-1311(03)00082-7"]
    assert resolve_key("doi:10.1016/s1059-1311(03)00082-7", entries) == "doi:10.1016/S1059-1311(03)00082-7"


def test_a_wikidata_or_url_key_is_an_entry_without_persistent_identifier() -> None:
    wiki = identifier_reference("wikidata:Q50051684")
    assert wiki is not None and wiki.fields == {"wikidata": "Q50051684"} and not wiki.doi
    page = identifier_reference("url:http://www.intel.com/pressroom/archive/speeches/ag080998.htm")
    assert page is not None and page.url.startswith("http://www.intel.com/")
    assert identifier_reference("Smith2020") is None


def _span(start: int) -> Span:
    return Span(start=start, end=start + 5, line=1, col=start + 1, end_line=1, end_col=start + 6)


def _claim(article: str, *keys: str) -> Claim:
    cites = tuple(Citation(key=k, span=_span(i), syntax="pandoc") for i, k in enumerate(keys))
    return Claim(id=f"{article}:1", article=article, sentence=0, span=_span(0),
                 text="Bupropion aids smoking cessation.", kind="efficacy", citations=cites)


def test_citation_links_skip_crossref_labels_and_follow_tags(tmp_path: Path) -> None:
    (tmp_path / "citation-tags.tsv").write_text(
        "tag\tcitation\ndailey\tdoi:10.1016/s0006-2952(96)00509-6\nberman\tBerman2000\n", encoding="utf-8")
    tags = CitationTags.beside([str(tmp_path / "02.main-text.md")])
    claim = _claim(str(tmp_path / "02.main-text.md"), "fig:bupropion_nicotine", "tag:dailey",
                   "tag:berman", "tag:undefined", "tbl:metapaths")
    links = citation_links([claim], {"Berman2000": BERMAN}, tags)
    assert [(l.key, l.reason) for l in links] == [
        ("doi:10.1016/s0006-2952(96)00509-6", "cited as tag:dailey"),
        ("Berman2000", "cited as tag:berman"),
        ("tag:undefined", ""),   # an unknown key for grading (EV101)
    ]
    # another folder's article does not see these tags
    other = _claim(str(tmp_path / "elsewhere" / "draft.md"), "tag:dailey")
    assert [l.key for l in citation_links([other], {}, tags)] == ["tag:dailey"]


def test_the_real_manuscripts_citation_tags() -> None:
    tags = load_citation_tags(MANUBOT / "content" / "citation-tags.tsv")
    assert tags == {
        "tag:deep-review": "doi:10.1098/rsif.2017.0387",
        "tag:dailey": "doi:10.1016/s0006-2952(96)00509-6",
        "tag:chen": "doi:10.1016/s0169-023x(97)00017-7",
        "tag:hilton": "doi:10.1016/S1059-1311(03)00082-7",
        "tag:placidi": "doi:10.1016/S1388-2457(00)00411-9",
    }
    assert load_citation_tags(MANUBOT / "no-such-folder" / "citation-tags.tsv") == {}


def test_citation_tags_as_manubot_reads_them() -> None:
    # no tab in a row: split at white space (Manubot's fallback); the last definition wins
    text = "tag\tcitation\nsteem-post url:https://goo.gl/jGBrxE\nx\tdoi:10.1/a\nx\tdoi:10.1/b\n\n"
    assert parse_citation_tags(text) == {"tag:steem-post": "url:https://goo.gl/jGBrxE", "tag:x": "doi:10.1/b"}
    # columns in another order, and extra columns, are fine
    assert parse_citation_tags("citation\tnote\ttag\ndoi:10.1/a\tfirst\ta\n") == {"tag:a": "doi:10.1/a"}
    assert parse_citation_tags("") == {}


@pytest.mark.parametrize("text,line,needle", [
    ("deep-review\tdoi:10.1098/rsif.2017.0387\n", 1, "columns 'tag' and 'citation'"),
    ("tag\tcitation\ndeep-review\n", 2, "a tag and a citation"),
    ("tag\tcitation\nchen\t\n", 2, "a tag and a citation"),
])
def test_a_broken_citation_tags_file_is_one_line_naming_the_row(tmp_path: Path, text: str, line: int,
                                                                needle: str) -> None:
    path = tmp_path / "citation-tags.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_citation_tags(path)
    assert str(info.value).startswith(f"{path}:{line}: ") and needle in str(info.value)
    assert "\n" not in str(info.value)
