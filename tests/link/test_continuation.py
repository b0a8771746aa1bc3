"""A claim that goes on about the work the sentence before cites is linked to it
(evgrade/link/continuation.py). The real case: the cefiderocol review (SOURCE.txt in
../shared/fixtures/manuscripts/cefiderocol-quarto-sr), Results, "In vivo studies"."""

from __future__ import annotations

from pathlib import Path

from evgrade.bib.load import load_bibliography
from evgrade.claims.detect import extract_claims
from evgrade.link.continuation import continuation_links, named_authors
from evgrade.link.linker import link_claims
from evgrade.pipeline import Options, run
from evgrade.read import read_path, read_text

FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "manuscripts" \
    / "cefiderocol-quarto-sr"
CHECK_RESULTS = (("results", "check"),)   # the review's Results hold this paragraph


def test_author_references() -> None:
    assert named_authors("Ni et al. demonstrated increased survival") == {"ni"}
    assert named_authors("Ding et al. have evaluated nanomedicine elements") == {"ding"}
    assert named_authors("Smith and colleagues found; Van der Laan (2007) showed; Kim's trial") == {
        "smith", "vanderlaan", "kim"}
    assert named_authors("The Galleria model showed et cetera") == set()


def test_ni_et_al_continues_the_citation_of_ni2022() -> None:
    """Before: EV201 on "Ni et al. demonstrated..." although [@ni2022] is cited one sentence
    earlier."""
    report = run([FOLDER / "Main_SR.qmd"], Options(sections=CHECK_RESULTS))
    carried = {gc.claim.text.split(" demonstrated")[0].split(" have")[0]: [l.key for l in gc.links]
               for a in report.articles for gc in a.claims
               if any(l.reason.startswith("continues the citation") for l in gc.links)}
    assert carried == {"Ni et al.": ["ni2022"], "Ding et al.": ["ding2024"]}
    text = (FOLDER / "Main_SR.qmd").read_text(encoding="utf-8")
    assert text.splitlines()[182].startswith("Three *in vitro* studies also included")
    ni = next(gc.claim for a in report.articles for gc in a.claims if gc.claim.text.startswith("Ni et al."))
    assert ni.span.line == 183
    flagged = [f for f in report.findings if f.code == "EV201"]
    assert not [f for f in flagged if f.claim_id == ni.id]
    assert flagged  # other uncited claims of the Results are still reported

def test_only_the_sentence_right_after_and_only_a_matching_author() -> None:
    bib = load_bibliography([FOLDER / "bibliography.bib"]).entries
    doc = read_text("Three studies also included an in vivo model [@ni2022; @yin2025]. "
                    "Wang et al. demonstrated increased survival in a murine pneumonia model. "
                    "Yin et al. verified the bacterial cell reduction in a thigh-infection model.\n",
                    path="d.md", format="markdown")
    claims = extract_claims(doc)
    assert [c.text[:8] for c in claims] == ["Three st", "Wang et ", "Yin et a"]
    # Wang is not an author of ni2022 or yin2025; Yin's sentence is two sentences after
    assert continuation_links(claims, bib) == []
    links, _ = link_claims(claims, bib, suggest=False)
    assert {(l.claim_id, l.key) for l in links} == {(claims[0].id, "ni2022"), (claims[0].id, "yin2025")}


def test_an_entry_without_authors_matches_by_its_key() -> None:
    doc = read_text("Survival rose in the larval model [@ni2022]. Ni et al. also saw less "
                    "resistance emerge in 12 of 14 isolates.\n", path="d.md", format="markdown")
    claims = extract_claims(doc)
    links = continuation_links(claims, {})
    assert [(l.claim_id, l.key, l.via) for l in links] == [(claims[1].id, "ni2022", "citation")]
    assert read_path(FOLDER / "Main_SR.qmd").citations  # the fixture is there
