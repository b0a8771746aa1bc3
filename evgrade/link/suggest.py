"""Suggested links: entries a claim's own wording points at, never counted.

An entry is suggested when it was published in the journal the claim names,
written by the researcher it names, or comes from the institution it names,
AND shares enough content words with the claim (its topic overlap).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence

from ..models import Attribution, Claim, Link, Reference
from .venues import entries_in_venue

# A suggestion needs at least this topic overlap (see TopicIndex.overlap).
MIN_TOPIC_OVERLAP = 0.15
# More than this many suggestions for one named source is noise, not help.
MAX_SUGGESTIONS = 5


# ----------------------------------------------------------------- topics

# Function words, and words every study report uses, which say nothing about
# what a claim is about.
_STOP = frozenset("""
a about above after again against all also am an and any are as at be been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers him his how i if in into is it its itself just me more
most my no nor not now of off on once only or other our out over own same she should so some
such than that the their them then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your yet
may might must shall one two three new another example however furthermore moreover
study studies studied research researcher researchers published publish journal find found
findings show shows showed shown result results report reported suggest suggests suggested
evidence according data paper article author authors et al use used using effective
significant significantly like well many much including include includes
patient patients people person persons individual individuals participant participants subject subjects
""".split())
_TOKEN = re.compile(r"[^\W\d_][^\W_]*")
_SUFFIXES = ("ational", "ization", "ations", "ation", "ments", "ment", "ness", "ities",
             "ity", "ively", "ive", "ingly", "ings", "ing", "edly", "ed", "ions", "ion",
             "ically", "ical", "ic", "ly", "al", "ous", "es", "s")


def stem(word: str) -> str:
    """A light suffix stripper: enough to make "depressed" meet "depression"."""
    w = word.casefold()
    w = w.removesuffix("'s").removesuffix("\u2019s")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[:-len(suffix)]
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def content_stems(text: str) -> set[str]:
    """Stems of the content words of a text (stop words and numbers dropped)."""
    text = unicodedata.normalize("NFKC", text).replace("-", " ").replace("\u2010", " ")
    out: set[str] = set()
    for m in _TOKEN.finditer(text):
        word = m.group(0).casefold()
        if len(word) < 3 or word in _STOP:
            continue
        s = stem(word)
        if s not in _STOP:
            out.add(s)
    return out


def _entry_text(ref: Reference) -> str:
    return " ".join([ref.title, " ".join(ref.keywords), ref.abstract])


class TopicIndex:
    """Content stems of entries' title, keywords and abstract, computed once, on demand."""

    def __init__(self, bibliography: Mapping[str, Reference]) -> None:
        self._bibliography = bibliography
        self._stems: dict[str, set[str]] = {}

    def stems(self, key: str) -> set[str]:
        if key not in self._stems:
            ref = self._bibliography.get(key)
            self._stems[key] = content_stems(_entry_text(ref)) if ref else set()
        return self._stems[key]

    def overlap(self, claim_stems: set[str], key: str) -> float:
        """Share of the claim's content stems found in the entry, in [0, 1].

        Measured against the claim, not the entry: a short claim should not
        lose to a long abstract it is fully covered by.
        """
        entry = self.stems(key)
        if not claim_stems or not entry:
            return 0.0
        return len(claim_stems & entry) / len(claim_stems)


def claim_topic(claim: Claim) -> set[str]:
    """Content stems of a claim, without the words of its attribution phrases.

    "in a study published in the Journal of Psychiatric Research" names the
    source, not the topic; its words would otherwise favour entries whose
    titles mention psychiatry or research.
    """
    text = claim.text
    for attr in claim.attributions:
        for phrase in (attr.text, attr.name):
            if phrase:
                text = text.replace(phrase, " ")
    return content_stems(text)


# ------------------------------------------------------------ suggestions

def _fold_name(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.findall(r"[^\W\d_]+", text.casefold())


def _family_names(ref: Reference) -> list[list[str]]:
    out = []
    for author in ref.authors:
        family = author.split(",", 1)[0] if "," in author else (author.split() or [""])[-1]
        words = _fold_name(family)
        if words and words != ["others"]:
            out.append(words)
    return out


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(words[i:i + n] == part for i in range(len(words) - n + 1))


_TITLES = frozenset("dr prof professor mr mrs ms md phd".split())


def _venue_candidates(name: str, bibliography: Mapping[str, Reference]) -> list[tuple[str, str]]:
    return [(key, f"venue matches '{name}'") for key in entries_in_venue(name, bibliography)]


def _researcher_candidates(name: str, bibliography: Mapping[str, Reference]
                           ) -> list[tuple[str, str]]:
    named = [w for w in _fold_name(name) if w not in _TITLES]
    out: list[tuple[str, str]] = []
    for key, ref in bibliography.items():
        for family in _family_names(ref):
            # a one-letter "family name" is an initial from a badly split name
            if len(" ".join(family)) > 1 and _contains(named, family):
                out.append((key, f"author '{' '.join(family).title()}' matches researcher '{name}'"))
                break
    return out


_PLACE_FIELDS = ("institution", "affiliation", "affiliations", "organization", "school")


def _institution_candidates(name: str, bibliography: Mapping[str, Reference]
                            ) -> list[tuple[str, str]]:
    named = _fold_name(name)
    out: list[tuple[str, str]] = []
    for key, ref in bibliography.items():
        places = [ref.fields.get(f, "") for f in _PLACE_FIELDS]
        places += list(ref.authors)  # corporate authors
        if named and any(_contains(_fold_name(p), named) for p in places if p):
            out.append((key, f"institution matches '{name}'"))
    return out


_CANDIDATES: dict[str, Callable[[str, Mapping[str, Reference]], list[tuple[str, str]]]] = {
    "venue": _venue_candidates,
    "researcher": _researcher_candidates,
    "institution": _institution_candidates,
}


def _source_candidates(attr: Attribution, bibliography: Mapping[str, Reference]
                       ) -> list[tuple[str, str]]:
    """(key, why) for entries matching a named source, before the topic test."""
    find = _CANDIDATES.get(attr.kind)
    if not attr.name or find is None:
        return []
    return find(attr.name, bibliography)


def suggestion_links(claims: Sequence[Claim], bibliography: Mapping[str, Reference], *,
                     min_overlap: float = MIN_TOPIC_OVERLAP,
                     topics: TopicIndex | None = None,
                     exclude: Collection[tuple[str, str]] = ()) -> list[Link]:
    """Entries a claim's named source points at, best topic overlap first.

    ``exclude`` holds (claim id, key) pairs already linked, which are not
    offered again and do not use up one of the MAX_SUGGESTIONS places.
    """
    index = topics or TopicIndex(bibliography)
    links: list[Link] = []
    for claim in claims:
        topic = claim_topic(claim)
        scored: dict[str, tuple[float, str]] = {}
        for attr in claim.attributions:
            if attr.kind == "vague":
                continue
            picked = []
            for key, why in _source_candidates(attr, bibliography):
                if (claim.id, key) in exclude:
                    continue
                score = index.overlap(topic, key)
                if score >= min_overlap:
                    picked.append((score, key, why))
            picked.sort(key=lambda t: (-t[0], t[1]))
            for score, key, why in picked[:MAX_SUGGESTIONS]:
                if key not in scored or scored[key][0] < score:
                    scored[key] = (score, why)
        for key, (score, why) in sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0])):
            links.append(Link(claim_id=claim.id, key=key, via="suggested", score=round(score, 3),
                              reason=f"{why}; topic overlap {score:.2f}"))
    return links
