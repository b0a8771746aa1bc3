"""The LaTeX reader on real manuscripts: every ``\\cite``-family command in any construct.

The oracle is a ``\\cite`` scan written here (as the one SOURCE.txt records: every command
whose name holds "cite", optional arguments, keys split on commas, after ``%`` comments are
stripped). Inputs are the real chapters in ../shared/fixtures/manuscripts (origin and
licence in each folder's SOURCE.txt); the short drafts below use the issue's own wording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evgrade.claims.detect import extract_claims
from evgrade.read import read_path, read_text

MANUSCRIPTS = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "manuscripts"
LLM = MANUSCRIPTS / "llm-summarization-latex" / "manuscript" / "Sections"
PROSTATE = MANUSCRIPTS / "prostate-cancer-thesis-natbib"
CHAPTERS = [LLM / "introduction.tex", LLM / "discussion.tex",
            PROSTATE / "background.pca.tex", PROSTATE / "discussion.pca.tex"]

_COMMENT = re.compile(r"(?<!\\)%.*")
_CITE = re.compile(r"\\(?:\w*cite\w*|nocite)\*?(?:\[[^\]]*\]){0,2}\{([^}]*)\}")


def cite_scan(path: Path) -> set[str]:
    text = "\n".join(_COMMENT.sub("", line) for line in path.read_text(encoding="utf-8").splitlines())
    return {k.strip() for m in _CITE.finditer(text) for k in m.group(1).split(",") if k.strip()}


def oracle(folder: Path) -> set[str]:
    text = (folder / "SOURCE.txt").read_text(encoding="utf-8")
    block = text.split("UNIQUE BIBLIOGRAPHIC KEYS", 1)[1].split("\n\n", 1)[0]
    return {line.strip() for line in block.splitlines()[1:] if line.strip()}


def claims(tex: str) -> list[tuple[str, list[str]]]:
    doc = read_text(tex, path="draft.tex", format="latex")
    return [(c.text, [x.key for x in c.citations]) for c in extract_claims(doc)]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_same_keys_as_a_cite_scan(path: Path) -> None:
    assert {c.key for c in read_path(path).citations} == cite_scan(path)


def test_the_oracles_key_lists() -> None:
    """Before: the thesis lost discacciati_body_2011 (cited only with \\citetalias) and
    discacciati_body_2012 in the discussion chapter."""
    for folder, files in ((LLM.parent.parent, CHAPTERS[:2]), (PROSTATE, CHAPTERS[2:])):
        assert {c.key for path in files for c in read_path(path).citations} == oracle(folder)
    aliases = [c for c in read_path(PROSTATE / "discussion.pca.tex").citations
               if c.command == "citetalias"]
    assert {c.key for c in aliases} == {"discacciati_body_2011", "discacciati_body_2012"}


def test_a_run_in_paragraph_heading_keeps_its_paragraph() -> None:
    """The issue's minimal case: before, nothing (the whole line was a heading)."""
    assert claims("\\paragraph{Evidence.} A randomized trial found 30\\% less fatigue "
                  "\\citep{Jones2021}.\n") == [("A randomized trial found 30 % less fatigue.", ["Jones2021"])]
    doc = read_text("\\paragraph{Rationale.}\nSleep improves recovery \\citep{Lee2019}.\n", path="d.tex", format="latex")
    assert [b.kind for b in doc.blocks] == ["heading", "prose"]


@pytest.mark.parametrize("tex,key", [
    ("\\begin{itemize}\n\\item Exercise lowers blood pressure \\parencite[see][12]{Kim2018}.\n"
     "\\end{itemize}\n", "Kim2018"),
    ("Fatigue fell in the trial\\footnote{As reported by \\autocite*{Park2017}.}.\n", "Park2017"),
    ("\\begin{quote}\nFatigue fell by a third \\cite{Ng2016}.\n\\end{quote}\n", "Ng2016"),
    ("\\begin{tabular}{ll}\nFatigue & fell by a third \\citep[p.~3]{Oh2015} \\\\\n\\end{tabular}\n", "Oh2015"),
    ("Fatigue fell by a third \\citepalias[updated]{Dz2011}.\n", "Dz2011"),
    ("Fatigue fell by a third \\Citeauthor{Ez2010}.\n", "Ez2010"),
])
def test_every_cite_command_in_every_construct(tex: str, key: str) -> None:
    assert [c.key for c in read_text(tex, path="d.tex", format="latex").citations] == [key]
    assert any(key in keys for _, keys in claims(tex))


def test_citation_like_definitions_are_no_citations() -> None:
    doc = read_text("\\defcitealias{discacciati_body_2011}{Paper~I}\n\\citestyle{nature}\n"
                    "Risk rose \\citep{a1}.\n", path="d.tex", format="latex")
    assert [c.key for c in doc.citations] == ["a1"]


def test_table_alignment_is_not_prose() -> None:
    text, keys = claims("\\begin{tabular}{ll}\nBMI & risk rose by 9\\% \\citep{a1} \\\\\n\\end{tabular}\n")[0]
    assert "&" not in text and keys == ["a1"]


def test_a_narrative_citation_keeps_its_author_visible() -> None:
    """Real wording (background.pca.tex, line 135): before, "the meta-analysis by and the
    Second Expert Report"."""
    doc = read_path(PROSTATE / "background.pca.tex")
    texts = [c.text for c in extract_claims(doc)]
    assert any(t.startswith("During the years following the meta-analysis by macinnis_body_2006 and "
                            "the Second Expert Report, a considerable amount") for t in texts)
    assert claims("Sleep was studied before. \\citet{Ahn2014} argues that sleep matters. "
                  "\\textcite{Bo2013} disagrees with that view.\n") == [
        ("Sleep was studied before.", []),
        ("Ahn2014 argues that sleep matters.", ["Ahn2014"]),
        ("Bo2013 disagrees with that view.", ["Bo2013"])]


def test_a_lower_case_narrative_key_opens_its_sentence() -> None:
    doc = read_path(PROSTATE / "background.pca.tex")
    assert any(c.text.startswith("discacciati_body_2012 was the first meta-analysis after")
               for c in extract_claims(doc))


def test_manuscript_parts_of_a_latex_paper() -> None:
    doc = read_text(
        "\\begin{document}\n\\author{A. Author\\thanks{Corresponding author: a.author@example.org}}\n"
        "\\begin{abstract}\nWe found that fatigue fell.\n"
        "\\end{abstract}\n\\section{Introduction}\nFatigue is common in cancer \\citep{a1}.\n"
        "\\section{Materials and Methods}\nWe enrolled 120 patients.\n\\subsection{Statistics}\n"
        "We used a t-test.\n\\section{Results}\nA total of 1496 citations were retrieved.\n\\begin{figure}\n"
        "\\caption{Fatigue scores by arm.}\n\\end{figure}\n\\section{Discussion}\n"
        "Exercise lowered fatigue in two large trials.\n\\end{document}\n", path="paper.tex", format="latex")
    parts = {doc.text[b.span.start:b.span.end].split("\n")[0]: b.section for b in doc.blocks}
    assert parts["\\author{A. Author\\thanks{Corresponding author: a.author@example.org}}"] == "title-block"
    assert parts["We found that fatigue fell."] == "abstract"
    assert parts["Fatigue is common in cancer \\citep{a1}."] == ""
    assert parts["We enrolled 120 patients."] == parts["We used a t-test."] == "methods"
    assert parts["A total of 1496 citations were retrieved."] == "results"  # cefiderocol's Results
    assert parts["\\caption{Fatigue scores by arm.}"] == "caption"
    assert parts["Exercise lowered fatigue in two large trials."] == ""
    # by default a paper's own parts hold no unsourced claims
    assert [c.text for c in extract_claims(doc)] == ["Fatigue is common in cancer.",
                                                     "Exercise lowered fatigue in two large trials."]
    checked = extract_claims(doc, (("results", "check"),))
    assert [c.text for c in checked if c.text == "A total of 1496 citations were retrieved."]


def test_where_a_narrative_key_shows_in_the_prose() -> None:
    """For the sentence splitter: the offset a narrative citation's visible key starts at."""
    from evgrade._citekeys import visible_key_start
    tex = "Risk rose. \\citetalias{discacciati_body_2012} was the first \\citep{a1}.\n"
    doc = read_text(tex, path="d.tex", format="latex")
    starts = [visible_key_start(c, doc.text) for c in doc.citations]
    assert starts == [tex.index("discacciati_body_2012"), None]
    assert " ".join(doc.prose[starts[0]:].split()).startswith("discacciati_body_2012 was the first")
    md = "Risk rose. @ni2022 showed it [@a1]; @doi:10.1/x and @{b2} too.\n"
    doc = read_text(md, path="d.md", format="markdown")
    assert [visible_key_start(c, doc.text) for c in doc.citations] == [md.index("ni2022"), None, None, None]
