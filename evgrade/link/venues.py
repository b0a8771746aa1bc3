"""Is "J Psychiatr Res" the same journal as "Journal of Psychiatric Research"?

Articles name journals the way people write them ("a study in Biological
Psychiatry"), bibliographies the way reference managers export them (full
names, ISO 4 abbreviations, with or without "The", "&" or periods). Matching
works on words, not on a list of known journals:

* both names are normalised: NFKC, casefold, "&" -> "and", a leading "The" and
  parenthesised qualifiers ("Psychopharmacology (Berl)") dropped, other
  punctuation dropped, whitespace folded;
* stop words that ISO 4 leaves out of abbreviations (of, the, and, in, on...)
  are ignored;
* what is left must have the same number of words, and each pair of words must
  be equal or one must abbreviate the other: a prefix ("Psychiatr" of
  "Psychiatric"), or an ISO 4 contraction from a small table ("Natl" of
  "National"). A prefix that differs only by a final letter ("Cell" vs
  "Cells") counts only when written with a period ("Graphic." of "Graphics"),
  since without one it is more often a different journal than an abbreviation;
* a few names are irregular and cannot be derived from the words ("BMJ",
  "JAMA", "NEJM", "PNAS"); a small alias table maps them to their full name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .. import _patterns
from ..models import Reference

# Words ISO 4 omits from abbreviated titles. "a" is kept on purpose: it is
# more often a section letter ("Journal of Physics A") than an article.
STOP_WORDS = frozenset("""
of the and in on for at to an with from by
de des du la le les et der die das und fur für
""".split())

# ISO 4 contractions that are not prefixes of the word they stand for.
CONTRACTIONS: Mapping[str, tuple[str, ...]] = {
    "natl": ("national",),
    "intl": ("international",),
    "dept": ("department",),
    "depts": ("departments",),
    "mgmt": ("management",),
    "ctr": ("center", "centre"),
    "assn": ("association",),
    "govt": ("government",),
    "jpn": ("japanese", "japan"),
    "ned": ("nederlands",),
    "hlth": ("health",),
    "qual": ("quality", "qualitative"),
}

# Whole names that are not abbreviations of their words. Keys are normalised.
ALIASES: Mapping[str, str] = {
    "bmj": "british medical journal",
    "br med j": "british medical journal",
    "jama": "journal of american medical association",
    "j am med assoc": "journal of american medical association",
    "nejm": "new england journal of medicine",
    "pnas": "proceedings of national academy of sciences of united states of america",
    "cmaj": "canadian medical association journal",
    "jnci": "journal of national cancer institute",
    "plos one": "plos one",
}

_QUOTES_DASHES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "~": " ",
})
_PAREN = _patterns.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LATEX_SPACING = _patterns.compile(r"\\[@ ,;]")
_WORD = _patterns.compile(r"[^\W_]+(\.?)")


@dataclass(frozen=True)
class VenueName:
    """A journal name split into the words that matter for matching."""

    text: str                      # normalised, stop words included
    words: tuple[str, ...]         # content words, in order
    dotted: tuple[bool, ...]       # word was followed by a period in the source


def _fold(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).translate(_QUOTES_DASHES)
    name = _LATEX_SPACING.sub(" ", name).replace("{", "").replace("}", "")
    name = _PAREN.sub(" ", name)
    return name.replace("&", " and ").casefold()


@lru_cache(maxsize=4096)
def parse_venue(name: str) -> VenueName:
    words: list[str] = []
    dotted: list[bool] = []
    for m in _WORD.finditer(_fold(name).replace("-", " ")):
        words.append(m.group(0).rstrip("."))
        dotted.append(bool(m.group(1)))
    if words and words[0] == "the":
        words, dotted = words[1:], dotted[1:]
    text = " ".join(words)
    alias = ALIASES.get(text)
    if alias is not None:
        # an alias stands for a full name: every word is written out
        words = alias.split()
        dotted = [False] * len(words)
    # "Des." is Design, not the French article: a dotted word is never a stop word
    keep = [i for i, w in enumerate(words) if w not in STOP_WORDS or dotted[i]]
    return VenueName(text=text, words=tuple(words[i] for i in keep),
                     dotted=tuple(dotted[i] for i in keep))


def _abbreviates(short: str, dotted: bool, full: str) -> bool:
    if full in CONTRACTIONS.get(short, ()):
        return True
    if not full.startswith(short) or len(short) >= len(full):
        return False
    return dotted or len(full) - len(short) >= 2


def _word_match(a: str, a_dot: bool, b: str, b_dot: bool) -> bool:
    return a == b or _abbreviates(a, a_dot, b) or _abbreviates(b, b_dot, a)


def same_venue(a: str, b: str) -> bool:
    """True when two journal names denote the same journal (see module doc)."""
    va, vb = parse_venue(a), parse_venue(b)
    if not va.words or not vb.words:
        return False
    if va.words == vb.words:
        return True
    if len(va.words) != len(vb.words):
        return False
    # Two one-word names must not match on a bare prefix ("Neuro" vs
    # "Neuron"): a single-word journal abbreviation needs its period.
    if len(va.words) == 1 and not (va.dotted[0] or vb.dotted[0]):
        return False
    return all(_word_match(x, xd, y, yd)
               for x, xd, y, yd in zip(va.words, va.dotted, vb.words, vb.dotted))


def entries_in_venue(name: str, bibliography: Mapping[str, Reference]) -> list[str]:
    """Keys of the entries published in the journal called ``name``."""
    return [key for key, ref in bibliography.items()
            if ref.venue and same_venue(name, ref.venue)]
