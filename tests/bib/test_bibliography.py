"""The .bib loader on real exports (../shared/fixtures) and hand-made edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

import evgrade.bib.parse as bibparse
import evgrade.bib.split as bibsplit
from evgrade.bib import cache as _bibcache
from evgrade.bib.latex import field_to_text, latex_to_text
from evgrade.bib.load import Bibliography, load_bibliography
from evgrade.errors import EvgradeWarning, InputError

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
BBT = SHARED / "fixtures" / "bibtex" / "bbt-import"
IRIDIA = SHARED / "fixtures" / "bibtex" / "iridia"
KETAMINE = SHARED / "reference-facts" / "ketamine-verified.bib"
DATA = Path(__file__).parents[1] / "data" / "bib"
# the macro files first, as the IRIDIA files' own Emacs headers say
# (bibtex-string-files: abbrev.bib journals.bib authors.bib); abbrevshort.bib would
# replace long names by short ones and is left out on purpose
IRIDIA_SET = [IRIDIA / n for n in ("abbrev.bib", "journals.bib", "authors.bib",
                                   "crossref.bib", "biblio.bib", "articles.bib")]

BBT_FILES = sorted(BBT.glob("*.bib"))
# fixtures that hold no loadable entry: an empty file, and one entry without a key
NO_ENTRIES = {"Async import, large library #720.bib", "Endnote should parse.bib"}


def bbt(name: str) -> Bibliography:
    return load_bibliography([BBT / name])


# ------------------------------------------------------------ every fixture

def test_fixture_corpus_is_present() -> None:
    assert len(BBT_FILES) >= 100
    assert all(p.exists() for p in IRIDIA_SET)


@pytest.mark.parametrize("path", BBT_FILES, ids=lambda p: p.name[:60])
def test_every_bbt_fixture_loads(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = load_bibliography([path])
    assert bib.paths == (str(path),)
    if path.name in NO_ENTRIES:
        assert len(bib) == 0
    else:
        assert len(bib) > 0
    for ref in bib.entries.values():
        assert ref.location is not None and ref.location.path == str(path)
        assert ref.entry_type == ref.entry_type.lower()
    # pybtex must not have printed warnings behind our back
    out, err = capsys.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize("path", sorted(IRIDIA.glob("*.bib")), ids=lambda p: p.name)
def test_every_iridia_file_loads_alone(path: Path) -> None:
    bib = load_bibliography([path])
    if path.name in ("biblio.bib", "articles.bib", "crossref.bib"):
        assert len(bib) > 100
    else:  # macro files hold only @string definitions
        assert len(bib) == 0 and bib.findings == ()


# ------------------------------------------------------------ bbt-import specifics

def test_string_macros_expand_154() -> None:
    ref = bbt("Import fails to perform @String substitutions #154.bib").entries["Bert:2001:SQL"]
    assert ref.venue == "Freds Publishing"
    assert ref.fields["address"] == "London, UK"
    assert ref.authors == ("Bert, R. A.",)


def test_concatenation_keeps_spaces_1081() -> None:
    ref = bbt("Spaces lost when expanding string variables during import #1081.bib").entries["key"]
    assert ref.venue == "a space between this and this"


def test_paren_entry_with_macro_author_871() -> None:
    ref = bbt("Issues with round instead of curly braces do not import correctly #871.bib").entries["McDermott:72"]
    assert ref.authors == ("McDermott, Drew V.", "Sussman, Gerald J.")
    assert ref.title == "The CONNIVER Reference Manual"
    assert ref.fields["month"] == "May"
    assert ref.venue == "MIT Artificial Intelligence Laboratory"


def test_crossref_inherits_2373() -> None:
    bib = bbt("Child items that use the crossref field do not have their parent fields imported #2373.bib")
    child = bib.entries["incollection"]
    assert child.year == "2004"
    assert child.venue == "Global Civil Society: Dimensions of the Nonprofit Sector"
    assert child.fields["publisher"] == "Kumarian Press"
    assert child.fields["pages"] == "227\u201332"
    # the child's own authors win over the parent's editors
    assert child.authors == ("El-Husseini, Hashem", "Toepler, Stefan", "Salamon, Lester M.")
    assert bib.entries["inbook"].fields["volume"] == "2"


def test_crossref_date_and_booktitle_3514() -> None:
    bib = bbt("Crossrefd incollection items are missing date on import #3514.bib")
    ref = bib.entries["Hauck_2023j"]
    assert ref.year == "2023"                     # from the parent's biblatex date
    assert ref.venue == "Cosmopolítica e linguagem"
    assert ref.fields["publisher"] == "Letraria"
    assert ref.isbn == "978-65-5434-040-3"
    hauck_2011 = bib.entries["Hauck_2011"]
    assert hauck_2011.year == "2011"
    assert hauck_2011.venue.startswith("Fronteiras da integração: dimensões culturais do Mercosul \u2014")
    assert hauck_2011.keywords == ("Paraguay", "bilingualism", "multilingualism")


def test_accents_become_unicode_1115() -> None:
    ref = bbt("Wrong ring-above import #1115.bib").entries["rehurek_lrec"]
    assert ref.authors == ("Řehůřek, Radim", "Sojka, Petr")
    assert ref.fields["pages"] == "45\u201350"
    assert ref.title == "Software Framework for Topic Modelling with Large Corpora"


def test_math_and_accents_in_names_732_959() -> None:
    ref = bbt("BibTeX import; preamble with def create problems #732.bib").entries["MR1870153"]
    assert ref.authors[1] == "Krejčí, Pavel"
    zach = bbt("eprinttype field dropped on import #959.bib").entries["Zach2004a"]
    assert zach.title.endswith("Arity ≤ω")
    assert zach.arxiv == ""  # eprinttype philpapers is not arXiv


def test_space_after_key_716() -> None:
    bib = bbt("space after citekey creates confusion #716.bib")
    assert set(bib.entries) == {"HoSp-87", "HoSp-90"}
    assert bib.entries["HoSp-90"].authors == ("Sprekels",)  # editor stands in for a missing author


def test_unterminated_entry_is_cut_at_next_entry_873() -> None:
    bib = bbt("Some bibtex entries quietly discarded on import from bib file #873.bib")
    broken = [f for f in bib.findings if "cannot be parsed" in f.message]
    assert [(f.key, f.line) for f in broken] == [("Thiebaux:93", 6523)]
    # the file uses @string macros it never defines (JAIR, MITP-ADDRESS...): reported, kept
    undefined = [f for f in bib.findings if "undefined @string" in f.message]
    assert undefined and all(f.key in bib for f in undefined)
    assert "Wellman:WALRAS" in bib  # the entry right after it still loads
    assert bib.entries["Wellman:WALRAS"].authors == ("Wellman, Michael P.",)


def test_bulk_export_counts() -> None:
    bib = bbt("EXPORT_Bulk performance test.bib")
    assert len(bib) == 1241
    assert bib.findings == ()


def test_ketamine_reference_facts() -> None:
    bib = load_bibliography([KETAMINE])
    assert len(bib) == 27
    berman = bib.entries["Berman2000"]
    assert berman.authors[0] == "Berman, Robert M."
    assert berman.venue == "Biological Psychiatry"
    assert berman.year == "2000"
    assert berman.doi == "10.1016/S0006-3223(99)00230-9"
    assert berman.pmid == "10686270"
    assert berman.study_design.startswith("randomized controlled trial")
    zarate = bib.entries["Zarate2006"]
    assert zarate.title == ("A randomized trial of an N-methyl-D-aspartate antagonist in "
                            "treatment-resistant major depression")
    assert "others" not in zarate.authors[-1]
    assert all(r.study_design for r in bib.entries.values())


# ------------------------------------------------------------ iridia: macros across files

@pytest.fixture(scope="module")
def iridia() -> Bibliography:
    return load_bibliography(IRIDIA_SET)


def test_iridia_loads_clean(iridia: Bibliography) -> None:
    assert len(iridia) > 3000
    assert iridia.findings == ()


def test_iridia_macros_from_other_files(iridia: Bibliography) -> None:
    ref = iridia.entries["AbdGad2012dynamic"]   # journal = jgcd (journals.bib)
    assert ref.venue == "Journal of Guidance, Control, and Dynamics"
    aarts = iridia.entries["AarKorMic2005"]     # author = Aarts #and# Korst_JHM #and# Michiels_W
    assert aarts.authors == ("Aarts, Emile H. L.", "Korst, Jan H. M.", "Michiels, Wil")


def test_iridia_crossref_booktitle(iridia: Bibliography) -> None:
    aarts = iridia.entries["AarKorMic2005"]     # crossref = SearchMethod2005 (crossref.bib)
    assert aarts.venue == "Search Methodologies"    # parent's booktitle, not its long title
    assert aarts.year == "2005"
    assert aarts.doi == "10.1007/0-387-28356-0_7"   # its own DOI, not the book's
    # CEC2002's booktitle is itself a macro built with # from other macros
    abbass = iridia.entries["Abb2002selfpde"]
    assert abbass.venue == "Proceedings of the 2002 Congress on Evolutionary Computation (CEC'02)"
    assert abbass.fields["publisher"] == "IEEE Press"


def test_iridia_without_macro_files_reports_undefined_macros() -> None:
    bib = load_bibliography([IRIDIA / "biblio.bib"])
    assert len(bib) > 1000
    aarts = [f for f in bib.findings if f.key == "AarKorMic2005"]
    assert len(aarts) == 1 and "undefined @string macro(s) Aarts (author)" in aarts[0].message


# ------------------------------------------------------------ hand-made edge cases

@pytest.fixture(scope="module")
def edge() -> Bibliography:
    return load_bibliography([DATA / "edge-cases.bib"])


def test_edge_entries_that_load(edge: Bibliography) -> None:
    assert list(edge.entries) == ["first", "second", "paren", "undefined-macro", "last"]
    first = edge.entries["first"]
    assert first.authors == ("Müller, Jörg", "Østergaard, Åse")
    assert first.title == "An in vitro test \u2014 of Čapek's α-waves"
    assert first.venue == "Journal of Hand-made Tests"
    assert first.fields["month"] == "March"
    assert first.location is not None and first.location.line == 12
    assert edge.entries["second"].venue == "J. Hand-made, Suppl."
    paren = edge.entries["paren"]
    assert paren.title == "Closing ) inside quotes"
    assert paren.url == "https://example.org/page_one"
    assert paren.howpublished == "https://example.org/page_one"
    assert paren.venue == ""  # a bare URL is no venue


def test_edge_findings(edge: Bibliography) -> None:
    got = [(f.code, f.key, f.line) for f in edge.findings]
    assert got == [
        ("EV303", "broken", 20),
        ("EV303", "missing-comma", 38),
        ("EV302", "First", 43),
        ("EV302", "second", 47),
        ("EV305", "undefined-macro", 51),
        ("EV303", "", 57),
    ]
    path = str(DATA / "edge-cases.bib")
    assert all(f.path == path for f in edge.findings)
    case_dup = edge.findings[2]
    assert f"{path}:12" in case_dup.message and "ignore case" in case_dup.message
    assert "never balance" in edge.findings[0].message
    # the undefined macro is kept as text; the unknown month abbreviation is not reported
    assert edge.entries["undefined-macro"].venue == "nojournal"
    assert "nojournal (journal)" in edge.findings[4].message and "sept" not in edge.findings[4].message


def test_keys_are_case_sensitive(edge: Bibliography) -> None:
    assert "first" in edge and "First" not in edge
    assert edge.get("First") is None
    assert len(edge) == 5


def test_crossref_and_macros_across_files() -> None:
    bib = load_bibliography([DATA / "crossref-parent.bib", DATA / "crossref-child.bib"])
    talk = bib.entries["talk2020"]           # crossref = {Workshop2020}: case-insensitive
    assert talk.venue == "Proceedings of the Hand-made Workshop 2020"
    assert talk.year == "2020"
    assert talk.note == "Proceedings of the Hand-made Workshop"  # macro from the other file
    assert talk.authors == ("Speaker, Sam",)
    assert talk.abstract == ""                   # the parent's abstract is not the talk's
    assert talk.location is not None and talk.location.path.endswith("crossref-child.bib")
    assert bib.entries["orphan"].venue == ""
    assert bib.findings == ()


def test_duplicate_across_files_keeps_first(tmp_path: Path) -> None:
    a = tmp_path / "a.bib"
    b = tmp_path / "b.bib"
    a.write_text("@book{dup, title = {From a}}\n", encoding="utf-8")
    b.write_text("\n\n@book{DUP, title = {From b}}\n", encoding="utf-8")
    bib = load_bibliography([a, b])
    assert bib.entries["dup"].title == "From a"
    (finding,) = bib.findings
    assert (finding.name, finding.path, finding.line, finding.key) == ("duplicate-entry", str(b), 3, "DUP")
    assert f"{a}:1" in finding.message


# ------------------------------------------------------------ files and encodings

def test_missing_file() -> None:
    with pytest.raises(InputError) as info:
        load_bibliography([DATA / "does-not-exist.bib"])
    assert info.value.path == str(DATA / "does-not-exist.bib")
    assert "not found" in str(info.value)


def test_directory_is_refused() -> None:
    with pytest.raises(InputError):
        load_bibliography([DATA])


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.bib"
    empty.write_bytes(b"")
    bib = load_bibliography([empty])
    assert len(bib) == 0 and bib.findings == ()


def test_nothing_parses(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bib"
    junk.write_text("@article{a,\n title = {x} year\n}\n@@@ @{ @book(\n", encoding="utf-8")
    bib = load_bibliography([junk])
    assert len(bib) == 0
    assert [f.name for f in bib.findings] == ["broken-entry", "broken-entry"]


def test_latin1_is_refused_with_position(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.bib"
    latin.write_bytes("@book{k,\n  title = {Caf\u00e9}\n}\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_bibliography([latin])
    err = info.value
    assert (err.path, err.line, err.col) == (str(latin), 2, 15)
    assert "not UTF-8" in err.message and "UTF-8" in err.message.split(";")[1]
    assert str(err).startswith(f"{latin}:2:15: ")


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    bom = tmp_path / "bom.bib"
    bom.write_bytes(b"\xef\xbb\xbf% exported\r\n@book{k,\r\n  title = {Caf\xc3\xa9}\r\n}\r\n")
    bib = load_bibliography([bom])
    assert bib.entries["k"].title == "Café"
    assert bib.entries["k"].location is not None and bib.entries["k"].location.line == 2


def test_single_path_argument_and_no_paths() -> None:
    assert len(load_bibliography(KETAMINE)) == 27
    assert set(load_bibliography(KETAMINE, keys="Berman2000").entries) == {"Berman2000"}
    empty = load_bibliography([])
    assert len(empty) == 0 and empty.paths == () and empty.findings == ()


# ------------------------------------------------------------ keys= and cache_dir=

BULK = BBT / "EXPORT_Bulk performance test.bib"


def test_keys_parse_only_what_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    full = load_bibliography([BULK])
    wanted = list(full.entries)[::25][:50]
    calls = []
    real = bibparse.parse_entry_block
    monkeypatch.setattr(bibparse, "parse_entry_block",
                        lambda block, *rest: calls.append(block.key) or real(block, *rest))
    part = load_bibliography([BULK], keys=[k.upper() for k in wanted])
    assert set(part.entries) == set(wanted)
    assert len(calls) == len(wanted)
    for key in wanted:
        assert part.entries[key] == full.entries[key]


def test_keys_bring_crossref_parents_from_other_files() -> None:
    bib = load_bibliography(IRIDIA_SET, keys={"AarKorMic2005", "Abb2002selfpde"})
    assert set(bib.entries) == {"AarKorMic2005", "SearchMethod2005", "Abb2002selfpde", "CEC2002"}
    assert bib.entries["AarKorMic2005"].venue == "Search Methodologies"
    assert bib.entries["Abb2002selfpde"].venue.endswith("(CEC'02)")


def test_keys_report_only_wanted_problems(edge: Bibliography) -> None:
    bib = load_bibliography([DATA / "edge-cases.bib"], keys=["second", "last", "nope"])
    assert set(bib.entries) == {"second", "last", "first"}  # 'first' is defined twice
    # a duplicate is reported whatever keys are asked for: all blocks of a key defined twice
    # are parsed; other problems (the broken entry, the undefined macro) only when asked for
    assert [(f.code, f.key) for f in bib.findings] == [("EV302", "First"), ("EV302", "second")]


def test_cache_roundtrip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = load_bibliography(IRIDIA_SET[:4], cache_dir=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [_bibcache.FILENAME]

    def no_parsing(*args: object) -> None:
        raise AssertionError("a cache hit must not parse")
    monkeypatch.setattr(bibparse, "parse_entry_block", no_parsing)
    monkeypatch.setattr(bibsplit, "split_blocks", no_parsing)
    warm = load_bibliography(IRIDIA_SET[:4], cache_dir=tmp_path)
    assert warm == cold
    assert warm.entries["SearchMethod2005"].fields["publisher"] == cold.entries["SearchMethod2005"].fields["publisher"]


def test_cache_of_broken_entries_and_findings(tmp_path: Path) -> None:
    cold = load_bibliography([DATA / "edge-cases.bib"], cache_dir=tmp_path)
    warm = load_bibliography([DATA / "edge-cases.bib"], cache_dir=tmp_path)
    assert warm.findings == cold.findings and warm.entries == cold.entries


def test_cache_follows_file_changes_and_ignores_garbage(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{k, title = {One}}\n", encoding="utf-8")
    assert load_bibliography([bib], cache_dir=cache).entries["k"].title == "One"
    bib.write_text("@book{k, title = {Two}}\n", encoding="utf-8")
    assert load_bibliography([bib], cache_dir=cache).entries["k"].title == "Two"
    (cache / _bibcache.FILENAME).write_bytes(b"{not a database" * 100)
    with pytest.warns(EvgradeWarning, match="not a usable bibliography cache"):
        assert load_bibliography([bib], cache_dir=cache).entries["k"].title == "Two"
    assert (cache / _bibcache.FILENAME).read_bytes() == b"{not a database" * 100  # left alone


def test_cache_depends_on_macros_of_earlier_files(tmp_path: Path) -> None:
    macros_a = tmp_path / "a.bib"
    macros_b = tmp_path / "b.bib"
    refs = tmp_path / "refs.bib"
    macros_a.write_text('@string{j = "Journal A"}\n', encoding="utf-8")
    macros_b.write_text('@string{j = "Journal B"}\n', encoding="utf-8")
    refs.write_text("@article{k, journal = j}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert load_bibliography([macros_a, refs], cache_dir=cache).entries["k"].venue == "Journal A"
    assert load_bibliography([macros_b, refs], cache_dir=cache).entries["k"].venue == "Journal B"


def test_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    bib = load_bibliography([KETAMINE], cache_dir=blocker)
    assert len(bib) == 27


# ------------------------------------------------------------ LaTeX to text

@pytest.mark.parametrize(("latex", "text"), [
    (r"Radim {\v R}eh{\r u}{\v r}ek", "Radim Řehůřek"),              # #1115
    (r"Krej{\v{c}}{\'{\i}}, Pavel", "Krejčí, Pavel"),                 # #732
    (r"Caf\'{e} {\"o} {\aa}ngstr{\"o}m stra\ss e", "Café ö ångström straße"),
    (r"pages 45--50 --- x", "pages 45\u201350 \u2014 x"),
    (r"Smith \& Wesson, 50\% and 50% of", "Smith & Wesson, 50% and 50% of"),
    (r"The {\sc CONNIVER} Reference Manual", "The CONNIVER Reference Manual"),  # #871
    (r"Blah  \mkbibemph{mkbibemph} and \mkbibquote{mkbibquote}.", "Blah mkbibemph and mkbibquote."),  # #549
    (r"Arity $\le\omega$ and $\beta$-amyloid", "Arity ≤ω and β-amyloid"),     # #959
    (r"\href{http://example.org}{the link text}", "the link text"),
    (r"{{Fronteiras da integração}: {dimensões}}", "Fronteiras da integração: dimensões"),  # #3514
    (r"``quoted'' \LaTeX{} {\relax Th}omas", "\u201cquoted\u201d LaTeX Thomas"),
    (r"literal \{braces\} stay", "literal {braces} stay"),
])
def test_latex_to_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


def test_verbatim_fields_keep_percent_encoding() -> None:
    assert field_to_text("url", r"\url{http://a.example/x\_y%20z}") == "http://a.example/x_y%20z"
    assert field_to_text("doi", "{10.1016/S0006-3223(99)00230-9}") == "10.1016/S0006-3223(99)00230-9"


def test_the_month_macros_are_pybtexs() -> None:
    from pybtex.database.input.bibtex import month_names

    from evgrade.bib._entry import MONTHS, new_macros

    assert MONTHS == month_names and dict(new_macros()) == month_names
