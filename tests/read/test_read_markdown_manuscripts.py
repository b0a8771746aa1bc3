"""The Markdown reader on real manuscripts: narrative citations, cross-references and the
parts of a paper (evgrade/read/sections.py).

Inputs are the real files in ../shared/fixtures (origin and licence in each folder's
SOURCE.txt); the short drafts use the wording the issue quotes from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.claims.detect import extract_claims
from evgrade.read import read_path, read_text
from evgrade.read.sections import check_overrides, policy, section_of_heading

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
MANUSCRIPTS = FIXTURES / "manuscripts"
CEFIDEROCOL = MANUSCRIPTS / "cefiderocol-quarto-sr" / "Main_SR.qmd"
TAKELAB = MANUSCRIPTS / "takelab-markdown-review" / "manuscript" / "manuscript.md"
FLUHOSP = MANUSCRIPTS / "fluhosp-rmarkdown" / "FHP-Main-Document.Rmd"
JOSS = FIXTURES / "drafts" / "joss-timeseriesflattener" / "paper.md"


def md(source: str):
    return read_text(source, path="draft.md", format="markdown")


def claims(source: str, sections=()) -> list[tuple[str, list[str]]]:
    return [(c.text, [x.key for x in c.citations]) for c in extract_claims(md(source), sections)]


def test_a_narrative_citation_opens_its_sentence_with_the_author() -> None:
    """Before: "...self-reflection. argues that..." (merged, author dropped), and
    "According to, the logic..."."""
    assert claims("Journaling prompts self-reflection in most patients [@Ng2016]. "
                  "@Smith2020 argues that journaling lowers anxiety in adults.\n\n"
                  "According to @Lee2019, the logic of exposure therapy holds.\n") == [
        ("Journaling prompts self-reflection in most patients.", ["Ng2016"]),
        ("Smith2020 argues that journaling lowers anxiety in adults.", ["Smith2020"]),
        ("According to Lee2019, the logic of exposure therapy holds.", ["Lee2019"])]
    # the first word of a paragraph; a locator after it is not prose
    assert claims("@Smith2020 [p. 4] argues that journaling lowers anxiety in adults.\n") == [
        ("Smith2020 argues that journaling lowers anxiety in adults.", ["Smith2020"])]


def test_identifier_keys_and_bracketed_citations_stay_blank() -> None:
    doc = md("Survival rose in two trials [@Ng2016; -@Oh2015] and @doi:10.7554/eLife.26726 says so.\n")
    assert "Ng2016" not in doc.prose and "Oh2015" not in doc.prose and "doi:" not in doc.prose


def test_crossref_labels_are_not_read_as_citations() -> None:
    """[@fig:fg2] in the real review: the figure, not a key (before: 4 false EV101)."""
    doc = read_path(TAKELAB)
    assert not [c for c in doc.citations if c.key.startswith("fig:")]
    line = doc.text.index("(@fig:fg2 (i))")
    assert not doc.prose[line:line + 10].strip("( ")   # still blanked in the prose


def test_bookdown_references_are_blanked() -> None:
    doc = read_path(FLUHOSP)
    assert "@ref" not in doc.prose and "simcompare" not in doc.prose
    assert not [c for c in doc.citations if "ref" == c.key or c.key.startswith(("fig:", "tab:"))]


def test_parts_of_the_systematic_review() -> None:
    doc = read_path(CEFIDEROCOL)

    def part(words: str) -> str:
        at = doc.text.index(words)
        return next(b.section for b in doc.blocks if b.span.start <= at < b.span.end)

    assert part("Sixty-six studies were included") == "abstract"
    assert part("Cefiderocol combinations show strong") == "abstract"   # "# **Highlights**"
    assert part("While most recent guidelines") == ""                  # Introduction
    assert part("The full study protocol is available") == "methods"
    assert part("A total of 1496 citations were retrieved.") == "results"
    assert part("Ni *et al.* demonstrated") == "results"               # "## ***In vivo*** **studies**"
    assert part("This work was part of the CLEARER project") == "acknowledgements"  # "### **Funding**"
    assert part("![**Figure 1**. Study flowchart.") == "caption"
    texts = [c.text for c in extract_claims(doc)]
    assert "A total of 1496 citations were retrieved." not in texts      # the paper's own result
    assert not [t for t in texts if t.startswith(("Figure 1", "This work was part"))]
    checked = [c.text for c in extract_claims(doc, (("results", "check"),))]
    assert "A total of 1496 citations were retrieved." in checked


def test_table_footnotes_of_the_r_markdown_paper_are_captions() -> None:
    doc = read_path(FLUHOSP)
    for words in ("^a^ Source: CDC FluView", "^b^ Peak rate and cumulative"):
        at = doc.text.index(words)
        assert next(b.section for b in doc.blocks if b.span.start <= at < b.span.end) == "caption"
    cited = [c for c in extract_claims(doc) if c.text.startswith("a Source: CDC FluView")]
    assert [x.key for c in cited for x in c.citations] == ["Centers_for_Disease_Control_and_Prevention2016-nr"]


def test_title_page_and_captions_of_real_drafts_hold_no_claims() -> None:
    title_page = read_path(TAKELAB)
    front = title_page.text.index("# Main document")
    assert {b.section for b in title_page.blocks if b.span.end <= front and b.kind == "prose"} \
        <= {"title-block", "abstract"}
    # before: author addresses, e-mail lines and the abbreviation list were claims
    assert not [c for c in extract_claims(title_page) if c.span.end <= front]
    assert [c for c in extract_claims(title_page, (("title-block", "check"),)) if c.span.end <= front]
    joss = read_path(JOSS)
    texts = [c.text for c in extract_claims(joss)]
    assert not [t for t in texts if t.startswith(("Table 1:", "Table 2:", "This work is supported"))]
    assert "Table 1: Minimal example of input values" in [
        c.text for c in extract_claims(joss, (("caption", "check"),))]


@pytest.mark.parametrize("heading,part", [
    ("# **Results**", "results"), ("## 2. Materials and Methods", "methods"),
    ("Statistical analysis", "methods"), ("Acknowledgments", "acknowledgements"),
    ("Data Availability Statement", "data-availability"), ("# Tables", "caption"),
    ("## Affiliations", "title-block"), ("Discussion", ""), ("Results of earlier trials", ""),
])
def test_section_names(heading: str, part: str) -> None:
    assert section_of_heading(heading.lstrip("# ")) == part


def test_section_policy_defaults_and_overrides() -> None:
    assert policy("methods") == "own" and policy("title-block") == "skip" and policy("") == "check"
    assert policy("methods", {"methods": "check"}) == "check"
    with pytest.raises(ValueError, match="unknown section"):
        check_overrides({"method": "check"})
    with pytest.raises(ValueError, match="a policy is one of"):
        check_overrides({"methods": "ignore"})


def test_an_email_in_running_text_is_no_title_block() -> None:
    """Only short blocks before the first section and the first paragraph of running text:
    a draft without headings that gives a contact address keeps its claims."""
    body = ("Ketamine lowered depression scores within a day in 70% of patients in three trials "
            "[@Ng2016], and the effect lasted about a week in the two trials that followed "
            "patients for longer; the pooled analysis of those trials found the same pattern in "
            "adults of all ages, in men and in women, and in patients who had tried two or more "
            "antidepressants before without a response to any of them, whatever the dose and "
            "however long they had taken them.\n\n")
    assert len(body) > 400
    doc = md(body + "Write to trials@example.org for the data of the pooled analysis.\n")
    assert [b.section for b in doc.blocks] == ["", ""]
    head = md("Ana Ruiz, Department of Psychiatry, Example University (ana@example.org)\n\n" + body)
    assert [b.section for b in head.blocks] == ["title-block", ""]


def test_a_colon_caption_only_beside_a_table() -> None:
    table = "| arm | fatigue |\n|---|---|\n| exercise | -30% |\n\n"
    doc = md(table + ": Fatigue by arm in the two trials\n")
    assert [b.section for b in doc.blocks] == ["", "caption"]
    doc = md("Term\n\n: a definition that is running text about fatigue in trials\n")
    assert [b.section for b in doc.blocks] == ["", ""]
