"""The LaTeX reader on the hand-written draft."""

from __future__ import annotations

from pathlib import Path

from evgrade.read import read_path, read_text

DRAFT = Path(__file__).resolve().parents[1] / "data" / "drafts" / "draft.tex"


def test_every_cite_command() -> None:
    doc = read_path(DRAFT)
    got = [(c.key, c.command, c.span.line, c.span.col) for c in doc.citations]
    assert got == [
        ("Zarate2006", "cite", 9, 24), ("Murrough2013AJP", "citep", 9, 60), ("Daly2018", "citep", 9, 77),
        ("Berman2000", "citep", 10, 30), ("Popova2019", "citet", 10, 69),
        ("Li2010", "parencite", 11, 21), ("Autry2011", "textcite", 11, 40),
        ("Daly2018", "autocite", 11, 62), ("Zarate2006", "footcite", 11, 86),
        ("Berman2000", "citealp", 12, 16), ("Li2010", "citeauthor", 12, 41),
        ("Autry2011", "citeyear", 12, 60), ("Popova2019", "smartcite", 12, 83),
        ("Daly2018", "supercite", 13, 12), ("Zarate2006", "citep*", 13, 39),
        ("Li2010", "Textcite", 13, 74), ("Berman2000", "Autocite", 13, 96),
        ("Popova2019", "cites", 14, 24), ("Daly2018", "cites", 14, 42),
        ("Autry2011", "nocite", 14, 64), ("*", "nocite", 14, 82),
        ("Li2010", "cite", 18, 36), ("Zarate2006", "cite", 32, 30),
    ]
    lines = doc.text.split("\n")
    for c in doc.citations:
        assert lines[c.span.line - 1][c.span.col - 1:].startswith(c.key)
        assert c.syntax == "latex"
    berman = doc.citations[3]
    assert (berman.prefix, berman.locator) == ("see", "p. 3")
    assert doc.citations[4].locator == "ch. 2"
    assert doc.citations[17].locator == "p. 1" and doc.citations[18].locator == "p. 2"
    assert all(c.nocite for c in doc.citations if c.command == "nocite")
    assert not any(c.nocite for c in doc.citations if c.command != "nocite")


def test_comments_math_and_code_are_not_cited() -> None:
    doc = read_path(DRAFT)
    keys = {c.key for c in doc.citations}
    assert not keys & {"commented", "inlinemath", "parenmath", "bracketmath", "equationkey",
                       "verbatimkey", "listingkey"}


def test_structure_bibliography_title_and_suppression() -> None:
    doc = read_path(DRAFT)
    assert doc.title == "Citation commands: a hand-written test draft"
    assert doc.bibliography == ("refs.bib", "more.bib")
    kinds = [(b.span.line, b.kind) for b in doc.blocks]
    assert kinds == [(1, "front-matter"), (8, "heading"), (9, "prose"), (17, "comment"), (18, "prose"),
                     (20, "heading"), (21, "prose"), (22, "math"), (25, "code"), (28, "code"),
                     (32, "list-item")]
    (sup,) = doc.suppressions
    assert sup.codes == ("EV201",) and sup.span.line == 18
    lines = doc.prose.split("\n")
    assert lines[7].strip() == "Background"
    assert lines[14].split() == ["A", "rate", "of", "5", "%", "is", "not", "a", "comment."]
    assert "\\cite" not in doc.prose and "Zarate2006" not in doc.prose
    assert not doc.prose[:doc.text.index("\\begin{document}") + 16].strip()


def test_bibliography_command_adds_suffix() -> None:
    doc = read_text("\\bibliography{a,b.bib, c}\nText \\cite{k}.\n", format="latex")
    assert doc.bibliography == ("a.bib", "b.bib", "c.bib")
    assert [c.key for c in doc.citations] == ["k"]
