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
from evgrade.link.suggest import MIN_TOPIC_OVERLAP, suggestion_links
from evgrade.link.topics import TopicIndex, claim_topic, content_stems, stem
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
    """ketamine-verified.bib as References (its fields hold no LaTeX beyond braces; no
    evgrade- fields: the results and populations below come from its own fields alone)."""
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
    assert all(l.via == "suggested" for l in links)
    # without recorded results no figure matches: the population decides, and the named
    # journal's entries are about depression, not treatment-resistant depression
    keys = [l.key for l in links]
    trd = {"Murrough2013AJP", "Murrough2013BP", "Zarate2006", "Daly2018", "Popova2019"}
    assert len(keys) == 4 and set(keys[:3]) <= trd
    assert all(l.match is not None and l.match.population_matches for l in links[:3])
    assert all(not l.match.source_matches for l in links[:3])  # type: ignore[union-attr]
    # ... with the named journal's best entry about the topic, for contrast
    last = links[-1]
    assert last.match is not None and last.match.source_matches and last.key in {"Zheng2018", "Xiong2020"}
    assert last.reason.startswith("venue matches 'Journal of Psychiatric Research'; ")
    scores = [l.score for l in links]
    assert scores == sorted(scores, reverse=True) and all(0 <= x <= 1 for x in scores)  # type: ignore[operator]


def test_a_recorded_result_puts_the_matching_study_first() -> None:
    bib = {**BIB, "Murrough2013BP": BIB["Murrough2013BP"].model_copy(update={"fields": {
        **BIB["Murrough2013BP"].fields, "evgrade-result": "70.8% response at study end"}})}
    links = suggestion_links([jpr_claim()], bib)
    first = links[0]
    assert first.key == "Murrough2013BP" and first.match is not None
    assert first.match.figure_matches and first.match.figure == "70.8% response at study end"
    assert first.match.venue == "Biological Psychiatry" and not first.match.source_matches
    # only entries matching the figure are offered, then the named journal's for contrast
    assert [l.key for l in links][1:] in (["Zheng2018"], ["Xiong2020"])


def test_biological_psychiatry_claim_finds_the_anxiety_trials_elsewhere() -> None:
    links, _ = link_claims([bp_claim()], BIB)
    keys = [l.key for l in links]
    # none of the Biological Psychiatry entries is about generalized anxiety disorder
    assert set(keys) <= {"Glue2017", "Glue2018", "Glue2020", "Taylor2018"} and "Glue2020" in keys
    assert all(l.match is not None and not l.match.source_matches for l in links)
    assert all(BIB[k].venue != "Biological Psychiatry" for k in keys)
    assert links[0].match is not None and links[0].match.named_entries == 3

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
    # the attribution holds, so every suggestion has Krystal among its authors
    for link in links:
        assert any(a.startswith("Krystal,") for a in BIB[link.key].authors)
        assert link.match is not None and link.match.source_matches


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
        'quote = "70% of patients with treatment-resistant depression"\nkeys = ["Murrough2013AJP"]\n',
        path=str(REPO / "articles" / "claims.toml"))
    jpr = jpr_claim()
    bp = bp_claim(citations=(cite("Glue2020"),))
    links, problems = link_claims([jpr, bp], BIB, claim_map=claim_map)
    assert problems == ()
    got = [(l.claim_id, l.key, l.via) for l in links]
    assert ("jpr", "Murrough2013AJP", "map") in got
    assert ("jpr", "Murrough2013AJP", "suggested") not in got
    assert ("jpr", "Murrough2013BP", "suggested") in got
    assert ("bp", "Glue2020", "citation") in got
    assert ("bp", "Glue2020", "suggested") not in got
    assert ("bp", "Glue2018", "suggested") in got
    # grouped by claim in input order, citation/map before suggestions
    assert [g[0] for g in got] == sorted((g[0] for g in got), key=["jpr", "bp"].index)
    assert got.index(("bp", "Glue2020", "citation")) < got.index(("bp", "Glue2018", "suggested"))
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
    # words of every clinical text say nothing about which entry a claim means
    assert content_stems("The effects of ketamine's action", generic=False) == {"ketamin", "action"}


def test_topic_overlap_ignores_the_attribution_phrase_and_weighs_rare_words() -> None:
    # "Psychiatric Research" is the source, not the topic: an entry titled with
    # those words alone must not overlap
    ref = Reference(key="x", entry_type="article", title="Psychiatric research methods")
    topics = TopicIndex({"x": ref, "Zheng2018": BIB["Zheng2018"]})
    assert topics.overlap(claim_topic(jpr_claim()), "x") == 0.0
    assert 0 < topics.overlap(claim_topic(jpr_claim()), "Zheng2018") < MIN_TOPIC_OVERLAP + 0.2
    # in the whole bibliography "ketamine" is everywhere and weighs almost nothing
    everywhere = TopicIndex(BIB)
    assert everywhere.weight("ketamin") < 0.3 < everywhere.weight("resistant")
    assert everywhere.overlap({"ketamin", "resistant"}, "Murrough2013BP") == 1.0
    assert everywhere.overlap({"ketamin", "resistant"}, "Zheng2018") < 0.2


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
    jpr_links = [l for l in links if l.claim_id == jpr.id]
    assert jpr_links[0].match is not None and jpr_links[0].match.population_matches
    assert jpr_links[0].key != "Xiong2020" and BIB[jpr_links[0].key].venue != "Journal of Psychiatric Research"
    assert "Bloch2012" not in by_claim[bp.id] and "Glue2020" in by_claim[bp.id]
    assert set(by_claim) == {jpr.id, bp.id}
