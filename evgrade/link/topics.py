"""What a claim and an entry are about: content stems, weighted by how rare they are in the bibliography.

A claim's topic is the stems of its content words, without the words that name its
source ("published in the Journal of Psychiatric Research") and without words
every clinical text uses ("treatment", "disorder", "symptoms", "improvement"). An
entry's topic is the stems of its title, keywords, abstract, design statement and
recorded population. Their overlap is the share of the claim's stems that the
entry holds, each stem weighted by its inverse document frequency in the
bibliography, ``ln((N + 1) / (df + 0.5))``: a word in every entry ("ketamine" in a
ketamine bibliography) says almost nothing about which entry a claim means, a word
in one entry says much.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from .. import _patterns
from ..models import Claim, Reference

# Function words, and words every study report uses, which say nothing about a topic.
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
# Words of every clinical text: that something is an illness, a treatment or an outcome, not which.
GENERIC = frozenset("""
disorder disorders disease diseases condition conditions illness illnesses syndrome syndromes
symptom symptoms sign signs treatment treatments treat treated treating therapy therapies
therapeutic effect effects efficacy effectiveness improvement improvements improve improved
improving relief relieve outcome outcomes benefit benefits reduce reduced reducing reduction
increase increased receiving receive received administration administered drug drugs medication
medications option options clinical trial trials randomized randomised controlled control
placebo crossover double blind open label review systematic analysis meta
""".split())
_TOKEN = _patterns.compile(r"[^\W\d_][^\W_]*")
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


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC) | GENERIC
_STOP_STEMS = frozenset(stem(w) for w in _STOP)


def content_stems(text: str, *, generic: bool = True) -> set[str]:
    """Stems of the content words of a text (stop words and numbers dropped; with
    ``generic=False`` the words of every clinical text too)."""
    text = unicodedata.normalize("NFKC", text).replace("-", " ").replace("\u2010", " ")
    out: set[str] = set()
    for m in _TOKEN.finditer(text):
        word = m.group(0).casefold()
        if len(word) < 3 or word in _STOP or (not generic and word in GENERIC):
            continue
        s = stem(word)
        if s in _STOP or (not generic and s in _GENERIC_STEMS):
            continue
        out.add(s)
    return out


def entry_text(ref: Reference) -> str:
    return " ".join([ref.title, " ".join(ref.keywords), ref.abstract, ref.study_design,
                     ref.fields.get("evgrade-population", "")])


def claim_topic(claim: Claim) -> set[str]:
    """Content stems of a claim, without its attribution phrases and generic clinical words.

    "in a study published in the Journal of Psychiatric Research" names the source,
    not the topic; its words would otherwise favour entries whose titles mention
    psychiatry or research.
    """
    text = claim.text
    for attr in claim.attributions:
        for phrase in (attr.text, attr.name):
            if phrase:
                text = text.replace(phrase, " ")
    return content_stems(text, generic=False)


class TopicIndex:
    """Content stems of each entry, and how many entries hold each stem, computed once."""

    def __init__(self, bibliography: Mapping[str, Reference]) -> None:
        self._bibliography = bibliography
        self._stems: dict[str, set[str]] = {}
        self._df: Counter[str] | None = None

    def stems(self, key: str) -> set[str]:
        if key not in self._stems:
            ref = self._bibliography.get(key)
            self._stems[key] = content_stems(entry_text(ref)) if ref else set()
        return self._stems[key]

    def weight(self, s: str) -> float:
        """Inverse document frequency of a stem in the bibliography."""
        if self._df is None:
            self._df = Counter(x for key in self._bibliography for x in self.stems(key))
        return math.log((len(self._bibliography) + 1) / (self._df.get(s, 0) + 0.5))

    def coverage(self, wanted: Iterable[str], key: str) -> float:
        """Weighted share of ``wanted`` stems the entry holds, in [0, 1]."""
        return self.scorer(wanted)(key)

    def scorer(self, wanted: Iterable[str]) -> Callable[[str], float]:
        """``coverage`` of fixed ``wanted`` stems, weighed once for many entries."""
        weights = {s: self.weight(s) for s in set(wanted)}
        total = sum(weights.values())
        if total <= 0:
            return lambda key: 0.0

        def score(key: str) -> float:
            have = self.stems(key)
            return min(1.0, sum(w for s, w in weights.items() if s in have) / total)
        return score

    def overlap(self, claim_stems: set[str], key: str) -> float:
        """The claim's topic overlap with one entry (see the module doc), in [0, 1]."""
        return self.coverage(claim_stems, key)


__all__ = ["GENERIC", "TopicIndex", "claim_topic", "content_stems", "entry_text", "stem"]
