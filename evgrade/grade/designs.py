"""Study design of a bibliography entry, from the most authoritative source available.

Authority, strongest first (see docs/rubrics.md):

1. PubMed publication types (NLM indexers read the paper)
2. the entry's explicit design field (``studydesign``: the bibliography author's statement)
3. the Crossref / OpenAlex work type (book, review, editorial...)
4. keywords, then title, then abstract wording
5. the entry type and URL (``@online`` without identifier, ``@book``)

1 and 3 come from a verified online record
(:func:`evgrade.resolve.design_from_resolution`); this module reads the entry
itself (2, 4, 5) and :func:`choose_design` picks the most authoritative call.

Wording rules are tried in a fixed order, most specific first, so "systematic
review and meta-analysis of RCTs" is a meta-analysis and not a trial, and
negated phrases ("not a conventional RCT", "uncontrolled") are blanked before
matching.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..models import DesignCall, DesignSource, Reference, StudyDesign

# Lower is more authoritative; used to choose among DesignCalls from different places.
# The entry's own places are here; a resolver source states its own rank
# (Source.design_authority: PubMed 0, Crossref and OpenAlex 2).
AUTHORITY: dict[str, int] = {
    "field": 1, "keywords": 3, "title": 4, "abstract": 5, "entry-type": 6, "url": 6, "default": 9,
}


def authority(source: str) -> int:
    if source in AUTHORITY:
        return AUTHORITY[source]
    from ..resolve.registry import design_authority  # only online calls name a resolver source
    return design_authority(source)


_HUMAN = re.compile(r"\b(?:patients?|humans?|clinical|participants|volunteers|subjects|people|"
                    r"adults?|children|adolescents|outpatients|inpatients|in man|men|women)\b")

# (design, pattern); the first rule that matches decides. Patterns run on lower-cased
# text whose negated phrases are blanked; same length as the original so a match
# quotes the original wording.
_R = re.compile
_RULES: list[tuple[StudyDesign, re.Pattern[str]]] = [
    ("meta-analysis", _R(r"\bmeta-?\s?analy[sz]\w*|\bmetaanaly[sz]\w*|\bpooled analysis\b")),
    ("systematic-review", _R(r"\bsystematic (?:literature )?review\b|\bcochrane review\b|"
                             r"\bumbrella review\b")),
    ("guideline", _R(r"\bguidelines?\b|\bconsensus\b|\bposition statement\b|"
                     r"\bpractice parameter\b|\brecommendations? (?:of|from) the\b")),
    ("healthy-volunteer-study", _R(r"\bhealthy (?:human )?(?:volunteers?|subjects|participants|"
                                   r"adults|men|women|controls only)\b|"
                                   r"\bhuman pharmacology\b|\bfirst[- ]in[- ](?:hu)?man\b|"
                                   r"\bphase (?:1|i)\b(?! ?/)")),
    ("case-report", _R(r"\bcase reports?\b|\breport of (?:a|one|two|three) cases?\b|"
                       r"\ba case of\b")),
    ("case-series", _R(r"\bcase series\b|\bchart review\b|\bretrospective (?:review|analysis) "
                       r"of (?:\d+ |consecutive )?(?:patients|cases)\b")),
    ("narrative-review", _R(r"\bnarrative review\b|\bliterature review\b|\breview of the "
                            r"literature\b|\bhistorical (?:review|commentary)\b|\bmini-?review\b|"
                            r"\bstate[- ]of[- ]the[- ]art review\b|\bcritical review\b|"
                            r"\bselective review\b|\bscoping review\b|\breview of\b|(?<=: )(?:an? )?review\b|"
                            r"\boverview\b")),
    ("randomized-controlled-trial", _R(r"(?<!non-)(?<!non )\brandomi[sz]ed\b|\brcts?\b|"
                                       r"\brandomly (?:assigned|allocated)\b")),
    ("open-label-trial", _R(r"\bopen[- ]?label\b|\bsingle[- ]arm\b|\b(?:un|non[- ]?)controlled\b|"
                            r"\bopen (?:trial|study)\b")),
    ("controlled-trial", _R(r"\bcontrolled (?:clinical )?(?:trial|study|experiment)\b|"
                            r"(?<!non-)(?<!non )(?<!well-)(?<!poorly )\bcontrolled\b"
                            r"(?! (?:substances?|drugs?|release|delivery|environment))|"
                            r"\bdouble[- ]blind\w*\b|"
                            r"\bsingle[- ]blind\w*\b|\bcross-?over (?:trial|study)\b|"
                            r"\bnon[- ]?randomi[sz]ed\b")),
    ("cohort-study", _R(r"\bcohort\b|\bprospective (?:study|follow-up|observational)\b|"
                        r"\blongitudinal (?:study|follow-up)\b|\bregistry\b|\bfollow-up study\b")),
    ("case-control-study", _R(r"\bcase-?control\b")),
    ("cross-sectional-study", _R(r"\bcross-?sectional\b|\bsurvey\b|\bprevalence study\b")),
    ("expert-opinion", _R(r"\beditorial\b|\bcommentary\b|\bopinion\b|\bperspective\b|"
                          r"\bviewpoint\b|\bletter\b|\bexpert panel\b|\bessay\b")),
    ("narrative-review", _R(r"\breviews?\b")),
]

_PRECLINICAL = _R(r"\bpre-?clinical\b|\banimals?\b|\brats?\b|\bmice\b|\bmouse\b|\bmurine\b|"
                  r"\brodents?\b|\bprimates?\b|\bzebrafish\b|\bin vitro\b|\bcell cultures?\b|"
                  r"\bcell lines?\b|\bex vivo\b|\bin rats\b|\bin mice\b")

# Negations blank the rest of their clause: "not a conventional parallel or crossover RCT",
# "no placebo or control arm". "uncontrolled" and "non-randomized" are handled in the rules.
_NEGATION = _R(r"\b(?:not|no|never|without|neither|nor)\b[^;:,.()\[\]]*")


def _prepare(text: str) -> str:
    # keep offsets (same-length replacements) so a match quotes the original wording
    low = text.lower().replace("pre-clinical", "preclinical ")
    return _NEGATION.sub(lambda m: " " * len(m.group()), low)


def classify_text(text: str) -> tuple[StudyDesign, str] | None:
    """The design a piece of wording names, and the words that decided it."""
    if not text.strip():
        return None
    prepared = _prepare(text)
    human = _HUMAN.search(prepared)
    pre = _PRECLINICAL.search(prepared)
    if pre and not human:
        return "preclinical", text[pre.start():pre.end()]
    for design, pattern in _RULES:
        m = pattern.search(prepared)
        if m:
            return design, text[m.start():m.end()]
    if pre:  # animal wording next to human wording and nothing more specific
        return "preclinical", text[pre.start():pre.end()]
    return None


def classify_field(value: str) -> tuple[StudyDesign, str] | None:
    """An explicit design field: its head ("controlled trial" in "controlled trial (..., random
    point...); not an RCT") outranks the qualifiers that follow it."""
    head = re.split(r"[(;]", value, maxsplit=1)[0]
    return classify_text(head) or classify_text(value)


def _call(design: StudyDesign, source: DesignSource, evidence: str) -> DesignCall:
    return DesignCall(design=design, source=source, evidence=" ".join(evidence.split())[:160])


_KEYWORD_TOPIC = _R(r"\bas topic\b")  # MeSH "Randomized Controlled Trials as Topic" is a subject


def _from_keywords(keywords: Iterable[str]) -> DesignCall | None:
    # classified together so MeSH "Humans" next to "Animals" keeps a study human
    joined = "; ".join(k for k in keywords if not _KEYWORD_TOPIC.search(k.lower()))
    hit = classify_text(joined)
    return _call(hit[0], "keywords", hit[1]) if hit else None


_SCHOLARLY_HOSTS = _R(r"doi\.org|pubmed|ncbi\.nlm\.nih\.gov|arxiv\.org|europepmc|"
                      r"biorxiv|medrxiv|jstor|sciencedirect|springer|wiley|nature\.com|"
                      r"jamanetwork|thelancet|bmj\.com|nejm\.org|psychiatryonline|sagepub|"
                      r"tandfonline|oup\.com|cell\.com|frontiersin|plos|mdpi")
_WEB_TYPES = {"online", "webpage", "www", "electronic"}
_BOOK_TYPES = {"book", "inbook", "incollection", "booklet", "mvbook", "collection"}
_PROCEEDINGS = _R(r"\bproceedings\b|\bconference\b|\bsymposium\b|\bworkshop\b")  # papers, not a book


def _has_identifier(ref: Reference) -> bool:
    return any((ref.doi, ref.pmid, ref.pmcid, ref.arxiv, ref.isbn))


def _url_of(ref: Reference) -> str:
    if ref.url:
        return ref.url
    m = re.search(r"https?://\S+", ref.howpublished)
    return m.group().rstrip("}") if m else ""


def _from_entry(ref: Reference) -> DesignCall | None:
    etype = ref.entry_type.lower()
    url = _url_of(ref)
    if etype == "webpage":
        return _call("web-page", "entry-type", f"@{etype}")
    if etype in _WEB_TYPES | {"misc"} and url and not _has_identifier(ref):
        return _call("web-page", "entry-type", f"@{etype} {url}")
    if etype in _BOOK_TYPES and not _PROCEEDINGS.search(ref.title.lower()):
        return _call("expert-opinion", "entry-type", f"@{etype}")
    # a page that is not a journal article: no identifier, no venue, a non-scholarly URL
    if url and not _has_identifier(ref) and not ref.venue and not _SCHOLARLY_HOSTS.search(url):
        return _call("web-page", "url", url)
    return None


def detect_design(ref: Reference) -> DesignCall:
    """The design the entry itself tells, and which part of it told (see module docstring)."""
    if ref.study_design.strip():
        hit = classify_field(ref.study_design)
        if hit:
            return _call(hit[0], "field", ref.study_design)
    call = _from_keywords(ref.keywords)
    if call:
        return call
    for source, text in (("title", ref.title), ("abstract", ref.abstract)):
        hit = classify_text(text)
        if hit:
            return _call(hit[0], source, hit[1])  # type: ignore[arg-type]
    call = _from_entry(ref)
    if call:
        return call
    return DesignCall(design="unknown", source="default", evidence="")


# ------------------------------------------------------ choosing a source

def choose_design(calls: Iterable[DesignCall | None]) -> DesignCall:
    """The most authoritative known design; ``unknown`` only when nothing better exists."""
    known = [c for c in calls if c is not None and c.design != "unknown"]
    if not known:
        return DesignCall(design="unknown", source="default", evidence="")
    return min(known, key=lambda c: authority(c.source))
