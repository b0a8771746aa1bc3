"""Study design of a bibliography entry, from the most authoritative source available.

Authority, strongest first (see docs/rubrics.md and docs/designs.md):

1. PubMed publication types (NLM indexers read the paper)
2. the entry's explicit design field (``studydesign``: the bibliography author's statement)
3. the Crossref / OpenAlex work type (book, review, editorial...)
4. the entry's own wording: a journal section it names, keywords, title, abstract,
   weighed together; then what it lacks (no abstract, one or two pages)
5. the entry type and URL (``@online`` without identifier, ``@book``)

1 and 3 come from a verified online record
(:func:`evgrade.resolve.design_from_resolution`); this module reads the entry
itself (2, 4, 5) and :func:`choose_design` picks the most authoritative call.

A design field is a statement and is read as one (:mod:`._design_field`). Wording
is weighed (:mod:`._design_weigh`): where each cue stands and whom it describes
decide how much it counts, so "previous randomized trials" in a review's
background does not make the review a trial. Every call says how sure it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import _patterns
from .._pretest import Gated, folded
from ..models import DesignCall, DesignSource, Reference, StudyDesign
from ._design_field import classify_field
from ._design_text import Passage, abstract_passages, keyword_passages, title_passages
from ._design_weigh import Verdict, decide, weigh

__all__ = ["AUTHORITY", "choose_design", "classify_field", "classify_text", "detect_design"]

# Lower is more authoritative; used to choose among DesignCalls from different places.
# The entry's own places are here; a resolver source states its own rank
# (Source.design_authority: PubMed 0, Crossref and OpenAlex 2).
AUTHORITY: dict[str, int] = {
    "field": 1, "section": 3, "keywords": 3, "title": 4, "abstract": 5, "absence": 6,
    "entry-type": 6, "url": 6, "default": 9,
}


def authority(source: str) -> int:
    if source in AUTHORITY:
        return AUTHORITY[source]
    from ..resolve.registry import design_authority  # only online calls name a resolver source
    return design_authority(source)

# fields in which exports name the journal section or article type ("Letter", "Editorial")
SECTION_FIELDS = ("section", "type", "articletype", "article-type", "article_type", "subtype")
_KEYWORD_TOPIC = Gated(r"\bas topic\b", "as topic")  # MeSH "... as Topic" is a subject


def _call(design: StudyDesign, source: DesignSource, evidence: str,
          confidence: float = 1.0) -> DesignCall:
    return DesignCall(design=design, source=source, evidence=" ".join(evidence.split())[:160],
                      confidence=confidence)


def classify_text(text: str) -> tuple[StudyDesign, str] | None:
    """The design a title-like piece of wording names, and the words that decided it."""
    verdict = decide(weigh(title_passages(text)))
    return (verdict.design, verdict.hits[0].words if verdict.hits else verdict.evidence) \
        if verdict else None


# ------------------------------------------------------------- the entry's wording

def _passages(ref: Reference) -> list[Passage]:
    out = [Passage("field", "title", "", ref.fields[name]) for name in SECTION_FIELDS
           if ref.fields.get(name, "").strip()]
    out += title_passages(ref.title)
    out += keyword_passages(tuple(k for k in ref.keywords if not _KEYWORD_TOPIC.search(k, folded(k))))
    out += abstract_passages(ref.abstract)
    return out


_SOURCE_OF_ZONE: dict[str, DesignSource] = {"field": "section", "title": "title",
                                            "keywords": "keywords", "abstract": "abstract"}


def _from_verdict(v: Verdict) -> DesignCall:
    return _call(v.design, _SOURCE_OF_ZONE[v.zone], v.evidence, v.confidence)


_PAGES = _patterns.compile(r"^\s*[A-Za-z]?(\d+)\s*(?:[-–—]+\s*[A-Za-z]?(\d+))?\s*$")
_ABSTRACTS_SINCE = 1976  # MEDLINE carries author abstracts from 1975 on; before, none is told
_SHORT_ITEM = 3          # pages: letters, editorials, comments and news rarely run longer


def _page_count(pages: str) -> int | None:
    m = _PAGES.match(pages.split(",")[0])
    if not m:
        return None
    first, last = m.group(1), m.group(2)
    if not last:
        return 1 if len(first) < 6 else None  # "e510" is one page; "1153019" an article number
    if len(last) < len(first):  # "1463-4" is 1463-1464
        last = first[:len(first) - len(last)] + last
    n = int(last) - int(first) + 1
    return n if 0 < n < 500 else None


def _from_absence(ref: Reference) -> DesignCall | None:
    """A journal item of at most three pages with no abstract is most likely an editorial,
    letter, comment or news item; said with low confidence. Without a page range nothing is
    told: most bibliographies carry no abstracts at all."""
    if ref.abstract.strip() or ref.entry_type.lower() != "article" or not ref.venue:
        return None
    if ref.year.isdigit() and int(ref.year) < _ABSTRACTS_SINCE:
        return None
    pages = _page_count(ref.fields.get("pages", ""))
    if pages is None or pages > _SHORT_ITEM:
        return None
    return _call("expert-opinion", "absence",
                 f"no abstract, {pages} page{'s' if pages != 1 else ''}", 0.35)


# ------------------------------------------------------------- entry type and URL

_SCHOLARLY_HOSTS = _patterns.compile(r"doi\.org|pubmed|ncbi\.nlm\.nih\.gov|arxiv\.org|europepmc|"
                              r"biorxiv|medrxiv|jstor|sciencedirect|springer|wiley|nature\.com|"
                              r"jamanetwork|thelancet|bmj\.com|nejm\.org|psychiatryonline|sagepub|"
                              r"tandfonline|oup\.com|cell\.com|frontiersin|plos|mdpi")
_WEB_TYPES = {"online", "webpage", "www", "electronic"}
_BOOK_TYPES = {"book", "inbook", "incollection", "booklet", "mvbook", "collection"}
_PROCEEDINGS = _patterns.compile(r"\bproceedings\b|\bconference\b|\bsymposium\b|\bworkshop\b")


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
    # an @online entry is a page by its type, with or without a URL; @misc only with one
    if etype in _WEB_TYPES and not _has_identifier(ref):
        return _call("web-page", "entry-type", f"@{etype} {url}".strip())
    if etype == "misc" and url and not _has_identifier(ref):
        return _call("web-page", "entry-type", f"@{etype} {url}")
    if etype in _BOOK_TYPES and not _PROCEEDINGS.search(ref.title.lower()):
        return _call("expert-opinion", "entry-type", f"@{etype}")
    # a page that is not a journal article: no identifier, no venue, a non-scholarly URL
    if url and not _has_identifier(ref) and not ref.venue and not _SCHOLARLY_HOSTS.search(url):
        return _call("web-page", "url", url)
    return None


def detect_design(ref: Reference) -> DesignCall:
    """The design the entry itself tells, which part of it told, and how surely."""
    if ref.study_design.strip():
        hit = classify_field(ref.study_design)
        if hit:
            return _call(hit[0], "field", ref.study_design)
    verdict = decide(weigh(_passages(ref)))
    if verdict:
        return _from_verdict(verdict)
    for found in (_from_absence(ref), _from_entry(ref)):
        if found:
            return found
    return DesignCall(design="unknown", source="default", evidence="", confidence=0.0)


# ------------------------------------------------------ choosing a source

def choose_design(calls: Iterable[DesignCall | None]) -> DesignCall:
    """The most authoritative known design; ``unknown`` only when nothing better exists."""
    known = [c for c in calls if c is not None and c.design != "unknown"]
    if not known:
        return DesignCall(design="unknown", source="default", evidence="", confidence=0.0)
    return min(known, key=lambda c: authority(c.source))
