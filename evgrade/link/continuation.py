"""Citations carried to the next sentence when it goes on about the same cited work.

Papers cite a study once and then describe it: "Three studies also included an
in vivo model [@ni2022; @yin2025]. Ni et al. demonstrated increased survival...".
The second sentence names the first author of a work the sentence just before
cites; it rests on that work as much as the first. Such a claim gets a
``citation`` link to that entry (reason: "continues the citation of KEY in the
sentence before"), so it is graded on it and is no unsourced claim.

The rule (docs/claims.md is the general principle: a claim's source is what the
reader is pointed to): a claim without citations whose text names, as an author
reference, the family name of an author of an entry cited by the claim right
before it (the previous sentence of the same article). An author reference is a
family name followed by "et al.", "and colleagues", "and co-workers", "'s" or a
year in parentheses; the family name is taken from the entry's first author or,
when the entry has no authors (an unknown key, a Manubot identifier), from the
letters a key such as ``ni2022`` or ``macinnis_body_2006`` starts with.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from .. import _patterns
from ..models import Claim, Link, Reference
from .citation_tags import NO_TAGS, CitationTags
from .citations import resolve_key

# a capitalised name followed by what makes it an author reference
_AUTHOR_REF = _patterns.compile(
    r"\b([A-Z][\w'\u2019-]+(?:\s+(?:[a-z]{1,3}\s+)?[A-Z][\w'\u2019-]+)?)"   # "Ni", "Van der Laan"
    r"(?=\s*(?:\*|_)?\s*(?:et\s+al\b|and\s+(?:colleagues|co-?workers)\b|['\u2019]s\b|\(\d{4}[a-z]?\)))")
_KEY_NAME = _patterns.compile(r"^([A-Za-z]+)")


def _fold(name: str) -> str:
    """A family name compared without accents, case, spaces or hyphens."""
    text = unicodedata.normalize("NFKD", name)
    return "".join(c for c in text if c.isalpha()).casefold()


def _family_names(key: str, ref: Reference | None) -> set[str]:
    names = set()
    if ref is not None and ref.authors:
        family = ref.authors[0].split(",")[0] if "," in ref.authors[0] else ref.authors[0].split()[-1]
        names.add(_fold(family))
    if ref is None or not ref.authors:
        m = _KEY_NAME.match(key)
        if m and len(m.group(1)) >= 2:
            names.add(m.group(1).casefold())
    return {n for n in names if n}


def named_authors(text: str) -> set[str]:
    """The family names a sentence uses as author references ("Ni et al.", "Smith's")."""
    return {_fold(m.group(1)) for m in _AUTHOR_REF.finditer(text)}


def continuation_links(claims: Sequence[Claim], bibliography: Mapping[str, Reference],
                       tags: CitationTags = NO_TAGS) -> list[Link]:
    """``citation`` links for claims that continue the citation of the claim before them."""
    links: list[Link] = []
    previous: Claim | None = None
    for claim in claims:
        before, previous = previous, claim
        if claim.citations or before is None or before.article != claim.article \
                or before.sentence != claim.sentence - 1 or not before.citations:
            continue
        named = named_authors(claim.text)
        if not named:
            continue
        done: set[str] = set()
        for cite in before.citations:
            key = resolve_key(tags.target(before.article, cite.key), bibliography)
            if key in done or not named & _family_names(cite.key, bibliography.get(key)):
                continue
            done.add(key)
            links.append(Link(claim_id=claim.id, key=key, via="citation",
                              reason=f"continues the citation of {cite.key} in the sentence before"))
    return links
