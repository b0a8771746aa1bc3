"""Link stage: explicit citations, claim-map links and suggestions on real inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

from evgrade._text import LineIndex
from evgrade.link.citations import citation_links, resolve_key
from evgrade.link.claimmap import parse_claim_map
from evgrade.link.linker import link_claims
from evgrade.link.suggest import (
    MIN_TOPIC_OVERLAP,
    TopicIndex,
    claim_topic,
    content_stems,
    stem,
    suggestion_links,
)
from evgrade.models import Attribution, Citation, Claim, Reference

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
KETAMINE_BIB = SHARED / "reference-facts" / "ketamine-verified.bib"
ARTICLE = REPO / "articles" / "ketamine-as-a-treatment-option-for-depression-and-anxiety.txt"

JPR_SENTENCE = ("For example, in a study published in the Journal of Psychiatric Research, 70% of "
                "patients with treatment-resistant depression showed significant improvement after "
                "receiving ketamine treatment.")
BP_SENTENCE = ("In another study published in Biological Psychiatry, researchers found that ketamine "
               "was effective in reducing symptoms of anxiety in patients with generalized anxiety "
               "disorder.")


def _plain(value: str) -> str:
    return re.sub(r"[{}]", "", value)


def load_bib() -> dict[str, Reference]:
    """ketamine-verified.bib as References (its fields hold no LaTeX beyond braces)."""
    out = {}
    for key, e in parse_file(str(KETAMINE_BIB)).entries.items():
        f = {k.lower(): _plain(v) for k, v in e.fields.items()}
        out[key] = Reference(
            key=key, entry_type=e.type, authors=tuple(_plain(str(p)) for p in e.persons.get("author", [])),
            title=f.get("title", ""), year=f.get("year", ""), venue=f.get("journal", ""),
            doi=f.get("doi", ""), pmid=f.get("pmid", ""), study_design=f.get("studydesign", ""),
            fields=f)
    return out


BIB = load_bib()
TEXT = ARTICLE.read_text(encoding="utf-8")
INDEX = LineIndex(TEXT)


def claim_from_article(sentence: str, cid: str, *, attributions: tuple[Attribution, ...] = (),
                       citations: tuple[Citation, ...] = ()) -> Claim:
    start = TEXT.index(sentence)
    return Claim(id=cid, article=str(ARTICLE), sentence=0, span=INDEX.span(start, start + len(sentence)),
                 text=sentence, kind="efficacy", attributions=attributions, citations=citations)


def jpr_claim(**kw) -> Claim:
    return claim_from_article(JPR_SENTENCE, "jpr", attributions=(Attribution(
        kind="venue", name="Journal of Psychiatric Research",
        text="published in the Journal of Psychiatric Research"),), **kw)


def bp_claim(**kw) -> Claim:
    return claim_from_article(BP_SENTENCE, "bp", attributions=(Attribution(
        kind="venue", name="Biological Psychiatry", text="published in Biological Psychiatry"),), **kw)


def cite(key: str, syntax: str = "pandoc") -> Citation:
    return Citation(key=key, span=INDEX.span(0, 1), syntax=syntax)  # type: ignore[arg-type]


# ------------------------------------------------------------- suggestions

def test_journal_of_psychiatric_research_claim_gets_suggestions_not_links() -> None:
    links, problems = link_claims([jpr_claim()], BIB)
    assert problems == ()
    assert {l.key for l in links} == {"Zheng2018", "Xiong2020"}
    assert all(l.via == "suggested" for l in links)
    for link in links:
        assert link.score is not None and MIN_TOPIC_OVERLAP <= link.score <= 1
        assert link.reason.startswith("venue matches 'Journal of Psychiatric Research'; topic overlap ")


def test_biological_psychiatry_claim_ranks_entries_by_topic() -> None:
    links, _ = link_claims([bp_claim()], BIB)
    keys = [l.key for l in links]
    # every Biological Psychiatry entry shares "ketamine"; the OCD trial also shares "disorder"
    assert keys[0] == "Bloch2012"
    assert set(keys) == {"Bloch2012", "Berman2000", "Murrough2013BP"}
    scores = [l.score for l in links]
    assert scores == sorted(scores, reverse=True)
    assert all(BIB[k].venue == "Biological Psychiatry" for k in keys)


def test_venue_without_topic_overlap_is_not_suggested() -> None:
    text = "A study published in Nature found that sleep loss impairs memory consolidation."
    claim = Claim(id="n", article="x.txt", sentence=0, span=LineIndex(text).span(0, len(text)),
                  text=text, kind="efficacy",
                  attributions=(Attribution(kind="venue", name="Nature", text="published in Nature"),))
    assert suggestion_links([claim], BIB) == []
    # the same journal with a matching topic is suggested
    text2 = "A study published in Nature found that NMDA receptor blockade at rest had antidepressant effects."
    claim2 = claim.model_copy(update={"text": text2})
    assert [l.key for l in suggestion_links([claim2], BIB)][0] == "Autry2011"


def test_vague_attribution_suggests_nothing() -> None:
    sentence = "However, in recent years, research has shown that ketamine has potential"
    start = TEXT.index(sentence)
    claim = Claim(id="v", article=str(ARTICLE), sentence=0, span=INDEX.span(start, start + len(sentence)),
                  text=sentence, kind="efficacy",
                  attributions=(Attribution(kind="vague", text="research has shown"),))
    assert suggestion_links([claim], BIB) == []


def test_researcher_attribution_matches_author_family_name() -> None:
    text = ("Researchers led by Dr. John Krystal described the subanesthetic effects of the NMDA "
            "antagonist ketamine in humans.")
    claim = Claim(id="r", article="x.txt", sentence=0, span=LineIndex(text).span(0, len(text)),
                  text=text, kind="mechanism",
                  attributions=(Attribution(kind="researcher", name="Dr. John Krystal",
                                            text="Researchers led by Dr. John Krystal"),))
    links = suggestion_links([claim], BIB)
    assert links[0].key == "Krystal1994"
    assert "author 'Krystal' matches researcher 'Dr. John Krystal'" in links[0].reason
    # every suggestion has Krystal among its authors
    for link in links:
        assert any(a.startswith("Krystal,") for a in BIB[link.key].authors)


def test_institution_attribution_matches_affiliation_or_corporate_author() -> None:
    text = "Researchers at Example University found that ketamine reduced suicidal ideation."
    claim = Claim(id="i", article="x.txt", sentence=0, span=LineIndex(text).span(0, len(text)),
                  text=text, kind="efficacy",
                  attributions=(Attribution(kind="institution", name="Example University",
                                            text="Researchers at Example University"),))
    bib = {
        "ByAffiliation": Reference(key="ByAffiliation", entry_type="article",
                                   title="Ketamine and suicidal ideation",
                                   fields={"affiliation": "Department of Psychiatry, Example University"}),
        "Corporate": Reference(key="Corporate", entry_type="report", authors=("Example University",),
                               title="Suicidal ideation after ketamine"),
        "OtherTopic": Reference(key="OtherTopic", entry_type="article", title="Bone density in athletes",
                                fields={"institution": "Example University"}),
        "OtherPlace": Reference(key="OtherPlace", entry_type="article", title="Ketamine and suicidal ideation",
                                fields={"affiliation": "Another Example College"}),
    }
    links = suggestion_links([claim], bib)
    assert sorted(l.key for l in links) == ["ByAffiliation", "Corporate"]
    assert all(l.reason.startswith("institution matches 'Example University'") for l in links)


def test_suggest_false_turns_suggestions_off() -> None:
    links, _ = link_claims([jpr_claim(), bp_claim()], BIB, suggest=False)
    assert links == ()


# --------------------------------------------------------------- citations

def test_explicit_citations_link_even_unknown_keys_once_each() -> None:
    claim = bp_claim(citations=(cite("Bloch2012"), cite("NoSuchKey2099"), cite("Bloch2012")))
    links = citation_links([claim], BIB)
    assert [(l.key, l.via) for l in links] == [("Bloch2012", "citation"), ("NoSuchKey2099", "citation")]


@pytest.mark.parametrize(("cited", "expected"), [
    ("doi:10.1016/S0006-3223(99)00230-9", "Berman2000"),
    ("doi:10.1016/s0006-3223(99)00230-9", "Berman2000"),          # DOIs are case-insensitive
    ("pmid:10686270", "Berman2000"),
    ("doi:10.1038/npp.2013.150", "Rodriguez2013"),
    ("doi:10.9999/not-in-the-bibliography", "doi:10.9999/not-in-the-bibliography"),
    ("pmid:1", "pmid:1"),
    ("Zheng2018", "Zheng2018"),
])
def test_manubot_keys_resolve_to_the_entry_with_that_identifier(cited: str, expected: str) -> None:
    assert resolve_key(cited, BIB) == expected
    claim = bp_claim(citations=(cite(cited, "manubot" if ":" in cited else "pandoc"),))
    (link,) = citation_links([claim], BIB)
    assert link.key == expected
    assert ("cited as" in link.reason) is (expected != cited)


def test_citation_and_map_links_suppress_suggestions_of_the_same_key() -> None:
    claim_map = parse_claim_map(
        '[[claims]]\narticle = "ketamine-as-a-treatment-option-for-depression-and-anxiety.txt"\n'
        'quote = "70% of patients with treatment-resistant depression"\nkeys = ["Zheng2018"]\n',
        path=str(REPO / "articles" / "claims.toml"))
    jpr = jpr_claim()
    bp = bp_claim(citations=(cite("Bloch2012"),))
    links, problems = link_claims([jpr, bp], BIB, claim_map=claim_map)
    assert problems == ()
    got = [(l.claim_id, l.key, l.via) for l in links]
    assert ("jpr", "Zheng2018", "map") in got
    assert ("jpr", "Zheng2018", "suggested") not in got
    assert ("jpr", "Xiong2020", "suggested") in got
    assert ("bp", "Bloch2012", "citation") in got
    assert ("bp", "Bloch2012", "suggested") not in got
    assert ("bp", "Berman2000", "suggested") in got
    # grouped by claim in input order, citation/map before suggestions
    assert [g[0] for g in got] == sorted((g[0] for g in got), key=["jpr", "bp"].index)
    assert got.index(("bp", "Bloch2012", "citation")) < got.index(("bp", "Berman2000", "suggested"))
    assert len(got) == len(set(got))


def test_same_key_by_citation_and_by_map_gives_two_links_no_duplicates() -> None:
    claim_map = parse_claim_map(
        '[[claims]]\nquote = "ketamine was effective in reducing symptoms of anxiety"\n'
        'keys = ["Bloch2012", "Bloch2012"]\n'
        '[[claims]]\nquote = "reducing symptoms of anxiety in patients"\nkeys = ["Bloch2012"]\n')
    claim = bp_claim(citations=(cite("Bloch2012"),))
    links, _ = link_claims([claim], BIB, claim_map=claim_map, suggest=False)
    assert [(l.key, l.via) for l in links] == [("Bloch2012", "citation"), ("Bloch2012", "map")]


# ------------------------------------------------------------------ topics

def test_stemming_joins_word_forms() -> None:
    assert stem("depressed") == stem("depression") == stem("depressive")
    assert stem("treatments") == stem("treated") == stem("treatment")
    assert stem("studies") == "study"
    assert content_stems("The effects of ketamine's action") == {"effect", "ketamin", "action"}


def test_topic_overlap_ignores_the_attribution_phrase() -> None:
    # "Psychiatric Research" is the source, not the topic: an entry titled with
    # those words alone must not overlap
    ref = Reference(key="x", entry_type="article", title="Psychiatric research methods")
    topics = TopicIndex({"x": ref, "Zheng2018": BIB["Zheng2018"]})
    assert topics.overlap(claim_topic(jpr_claim()), "x") == 0.0
    assert topics.overlap(claim_topic(jpr_claim()), "Zheng2018") == pytest.approx(2 / 6)


# ------------------------------------------------------------- end to end

def test_end_to_end_on_a_real_article() -> None:
    read = pytest.importorskip("evgrade.read")
    claims_mod = pytest.importorskip("evgrade.claims.detect")
    doc = read.read_path(ARTICLE)
    claims = claims_mod.extract_claims(doc)
    links, problems = link_claims(claims, BIB)
    assert problems == ()
    assert all(l.via == "suggested" for l in links)   # the article cites nothing
    by_claim: dict[str, set[str]] = {}
    for link in links:
        by_claim.setdefault(link.claim_id, set()).add(link.key)
    jpr = next(c for c in claims if "Journal of Psychiatric Research" in c.text)
    bp = next(c for c in claims if "published in Biological Psychiatry" in c.text)
    assert by_claim[jpr.id] == {"Zheng2018", "Xiong2020"}
    assert "Bloch2012" in by_claim[bp.id]
    assert set(by_claim) == {jpr.id, bp.id}
