"""The Markdown reader: a real JOSS draft and the hand-written citation draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.read import read_path, read_text

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PAPER = SHARED / "fixtures" / "drafts" / "joss-timeseriesflattener" / "paper.md"
DRAFTS = Path(__file__).resolve().parents[1] / "data" / "drafts"


def cites(doc):
    return [(c.key, c.span.line, c.span.col) for c in doc.citations]


def test_joss_paper_front_matter_and_citations() -> None:
    doc = read_path(PAPER)
    assert doc.format == "markdown"
    assert doc.bibliography == ("paper.bib",)
    assert doc.title == ("timeseriesflattener: A Python package for summarizing features "
                         "from (medical) time series")
    # positions read off the file: "[@chen_xgboost_2016]" on line 41 etc.
    assert cites(doc) == [
        ("chen_xgboost_2016", 41, 275),
        ("hansen_psychiatric_2021", 43, 503),
        ("rajkomar_scalable_2018", 46, 184),
        ("shamout_machine_2021", 46, 209),
        ("imrie_autoprognosis_2022", 46, 358),
        ("feurer_efficient_2015", 46, 447),
        ("lauritsen_framing_2021", 46, 840),
        ("tang_democratizing_2020", 48, 39),
        ("johnson_mimic-iii_2016", 48, 292),
        ("lauritsen_framing_2021", 50, 650),
    ]
    lines = doc.text.split("\n")
    for c in doc.citations:
        assert lines[c.span.line - 1][c.span.col - 1:].startswith("@" + c.key)
        assert doc.text[c.span.start:c.span.end] == "@" + c.key
        assert not doc.prose[c.span.start:c.span.end].strip()  # citation syntax is blanked
    assert all(c.syntax == "pandoc" for c in doc.citations)


def test_joss_paper_blocks_and_prose() -> None:
    doc = read_path(PAPER)
    kinds = {b.span.line: b.kind for b in doc.blocks}
    assert kinds[1] == "front-matter"
    assert kinds[40] == kinds[45] == kinds[53] == "heading"
    assert kinds[41] == kinds[46] == "prose"
    assert kinds[98] == "bibliography"   # "# References" closes the draft
    assert len(doc.prose) == len(doc.text)
    assert not doc.prose[:doc.text.index("# Summary")].strip()  # front matter blanked
    line43 = doc.prose.split("\n")[42]
    assert "`" not in line43 and "timeseriesflattener" not in line43.split()[0]
    # link text stays prose, URLs do not
    line87 = doc.prose.split("\n")[86]
    assert "documentation" in line87 and "https" not in line87
    # the \autoref raw TeX and the figure URL are not prose
    assert "autoref" not in doc.prose and "githubusercontent" not in doc.prose


def test_citation_draft_every_syntax() -> None:
    doc = read_path(DRAFTS / "citations.md")
    assert doc.title == "Citation syntax: a hand-written test draft"
    assert doc.bibliography == ("refs.bib", "more refs.bib")
    by_pos = {(c.span.line, c.span.col): c for c in doc.citations}
    assert by_pos[(11, 24)].key == "Zarate2006" and by_pos[(11, 24)].syntax == "pandoc"
    assert by_pos[(11, 78)].key == "Daly2018" and by_pos[(11, 78)].locator == "p. 3"
    berman = by_pos[(12, 37)]
    assert (berman.key, berman.prefix, berman.locator) == ("Berman2000", "see", "pp. 3-5")
    assert by_pos[(12, 83)].key == "Popova2019" and by_pos[(12, 83)].suppress_author
    assert by_pos[(13, 10)].key == "Li2010" and by_pos[(13, 10)].syntax == "pandoc-intext"
    assert by_pos[(13, 28)].key == "Autry2011" and by_pos[(13, 28)].locator == "p. 33"
    assert by_pos[(13, 66)].key == "Daly2018"   # @{Daly2018}
    assert by_pos[(14, 22)].key == "doi:10.1001/archpsyc.63.8.856"
    assert by_pos[(14, 22)].syntax == by_pos[(14, 58)].syntax == "manubot"
    assert by_pos[(14, 58)].key == "pmid:23982301"
    assert by_pos[(15, 47)].key == "2019report" and by_pos[(15, 63)].key == "_internal"
    assert by_pos[(16, 58)].key == "key.with:punct"   # final period dropped
    keys = {c.key for c in doc.citations}
    for not_a_key in ("example", "code", "notmath", "display", "comment", "handle", "auto", "escaped",
                      "period", "fenced", "tilde", "indented", "multiline"):
        assert not any(k.startswith(not_a_key) for k in keys), not_a_key
    # list items, block quotes, tables and figure captions are cited too
    assert {(c.key, c.span.line) for c in doc.citations} >= {
        ("Zarate2006", 41), ("Berman2000", 44), ("Daly2018", 48), ("Li2010", 53)}


def test_citation_draft_structure_and_prose() -> None:
    doc = read_path(DRAFTS / "citations.md")
    kinds = [(b.span.line, b.kind) for b in doc.blocks]
    assert kinds == [(1, "front-matter"), (9, "heading"), (11, "prose"), (18, "comment"),
                     (19, "prose"), (21, "heading"), (23, "prose"), (27, "code"), (31, "code"),
                     (35, "code"), (37, "comment"), (41, "list-item"), (42, "list-item"),
                     (44, "prose"), (46, "prose"), (50, "heading"), (53, "prose"),
                     (55, "bibliography")]
    lines = doc.prose.split("\n")
    assert lines[8].strip() == "Background"                       # "# " blanked
    assert lines[22].split()[:2] == ["Mail", "press@example.org,"]  # an address is prose text
    assert "inline" not in lines[22] and "notmath" not in lines[22]
    assert lines[49].strip() == "Setext heading" and not lines[50].strip()
    assert "caption citing" in lines[52] and "figure.png" not in lines[52]
    assert "|" not in lines[47] and "first" in lines[47]
    # "> " and the "@" of the in-text citation blanked: its key stays, where a reader sees the author
    assert lines[43].split() == ["A", "quoted", "sentence", "citing", "Berman2000."]
    assert len(doc.prose) == len(doc.text)


def test_suppressions() -> None:
    doc = read_path(DRAFTS / "citations.md")
    first, second = doc.suppressions
    assert first.codes == ("EV201", "EV203") and first.span.line == 19   # the next paragraph
    assert second.codes == () and second.span.line == 42                 # the item holding it


def test_suppression_accepts_finding_names() -> None:
    doc = read_text("<!-- evgrade: ignore claim-without-citation -->\nA claim.\n", format="markdown")
    assert doc.suppressions[0].codes == ("EV201",)


def test_front_matter_variants() -> None:
    src = "---\ntitle: >\n  Folded\n  title\nbibliography: [a.bib, 'b c.bib']\n---\n\nText.\n"
    doc = read_text(src, format="markdown")
    assert doc.title == "Folded title" and doc.bibliography == ("a.bib", "b c.bib")
    doc = read_text("---\nbibliography: refs.bib # main\n---\n# Head\n", format="markdown")
    assert doc.bibliography == ("refs.bib",) and doc.title == "Head"


def test_bare_url_handles_are_not_citations() -> None:
    doc = read_path(DRAFTS / "bare-url-handles.md")
    assert [c.key for c in doc.citations] == ["Zarate2006"]
    assert "twitter" not in doc.prose


@pytest.mark.parametrize(("front", "title", "bibliography"), [
    ("title: A plain title\n  folded over lines\nbibliography:\n  - a.bib\n  - \"b c.bib\"\n",
     "A plain title folded over lines", ("a.bib", "b c.bib")),
    ('title: "Quoted and\n  not closed"\n', "Quoted and not closed", ()),
    ('title: "Closed"\n  stray: line\n', "Closed", ()),          # a closed quote does not fold
    ("title: |\n  Two\n  lines\n", "Two\nlines", ()),
    ("title: 'It''s single'\n", "It's single", ()),
])
def test_front_matter_scalars(front: str, title: str, bibliography: tuple[str, ...]) -> None:
    doc = read_text(f"---\n{front}---\nText.\n", format="markdown")
    assert (doc.title, doc.bibliography) == (title, bibliography)
