"""Cross-check: the citation keys evgrade finds are the ones pandoc finds.

Every Markdown draft and manuscript in ../shared/fixtures (origin, licence and the
oracle's count in each folder's SOURCE.txt) and two drafts of tests/data. pandoc without
filters reports pandoc-crossref references (``[@fig:x]``) as citations too; evgrade's
reader leaves them out on purpose (they name a figure, never a bibliography entry), so the
comparison is with pandoc's keys minus those labels. Where evgrade differs from raw pandoc
on purpose, a test below says why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from evgrade._citekeys import is_crossref_label
from evgrade.read import read_path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DRAFTS = Path(__file__).resolve().parents[1] / "data" / "drafts"
MANUSCRIPTS = SHARED / "fixtures" / "manuscripts"
REPHETIO = MANUSCRIPTS / "rephetio-manubot" / "content"
FLUHOSP = MANUSCRIPTS / "fluhosp-rmarkdown" / "FHP-Main-Document.Rmd"
MARKDOWN = [SHARED / "fixtures" / "drafts" / "joss-timeseriesflattener" / "paper.md",
            DRAFTS / "citations.md",
            MANUSCRIPTS / "cefiderocol-quarto-sr" / "Main_SR.qmd",
            MANUSCRIPTS / "takelab-markdown-review" / "manuscript" / "manuscript.md",
            REPHETIO / "01.abstract.md", REPHETIO / "02.main-text.md", REPHETIO / "90.back-matter.md"]

pytestmark = [pytest.mark.pandoc,
              pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")]


def pandoc_keys(path: Path) -> set[str]:
    out = subprocess.run(["pandoc", "-f", "markdown", "-t", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                keys.update(c["citationId"] for c in node["c"][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(out))
    return keys


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_same_keys_as_pandoc(path: Path) -> None:
    theirs = pandoc_keys(path)
    assert {c.key for c in read_path(path).citations} == {k for k in theirs if not is_crossref_label(k)}


def test_the_oracles_counts() -> None:
    """The counts SOURCE.txt recorded with pandoc 2.17: bibliographic keys plus crossref labels."""
    takelab = pandoc_keys(MANUSCRIPTS / "takelab-markdown-review" / "manuscript" / "manuscript.md")
    assert len(takelab) == 321 and {k for k in takelab if is_crossref_label(k)} == {
        "fig:fg1", "fig:fg2", "fig:fg3", "fig:fg4"}
    main_text = read_path(REPHETIO / "02.main-text.md").citations
    assert len({c.key for c in main_text}) == 241          # 237 doi: and 4 tag: keys
    assert len({c.key for c in main_text if c.syntax == "manubot"}) == 237
    # a Manubot url: key is not cut at "//" (the example; pandoc agrees)
    path = DRAFTS / "manubot-url-key.md"
    assert {c.key for c in read_path(path).citations} == pandoc_keys(path) == {
        "url:http://www.intel.com/pressroom/archive/speeches/ag080998.htm"}


def test_known_divergence_jinja_template() -> None:
    """Manubot renders 00.front-matter.md with Jinja2 before pandoc sees it: raw pandoc reads
    ``@{{author["mastodon-server"]}}`` as a citation, evgrade reads no ``@{{...}}`` as one."""
    path = REPHETIO / "00.front-matter.md"
    assert pandoc_keys(path) == {'{author["mastodon-server"]}'}
    assert read_path(path).citations == ()


def test_known_divergence_knitr_chunk_header() -> None:
    """R Markdown: "```{r table1, tab.id=...}" opens a knitr chunk (knitr runs before pandoc).
    Raw pandoc rejects the header (a comma in its attributes), so the chunk's closing fence
    opens a code block for pandoc that swallows a table footnote and its citation;
    evgrade reads the chunk as knitr does, and the footnote's citation with it. The
    bookdown cross-references ``\\@ref(fig:...)`` are citations for neither."""
    ours = {c.key for c in read_path(FLUHOSP).citations}
    theirs = pandoc_keys(FLUHOSP)
    assert len(theirs) == 37
    assert ours - theirs == {"Centers_for_Disease_Control_and_Prevention2016-nr"}
    assert theirs <= ours and not [k for k in ours if k.startswith(("ref", "fig:", "tab:"))]


def test_known_divergence_bare_urls() -> None:
    """pandoc reads "@someone" inside a bare URL as a citation; evgrade does not, on purpose."""
    path = DRAFTS / "bare-url-handles.md"
    ours = {c.key for c in read_path(path).citations}
    assert pandoc_keys(path) - ours == {"someone", "writer/post"}
    assert ours == {"Zarate2006"}
