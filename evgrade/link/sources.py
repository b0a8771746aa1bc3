"""Entries that match a claim's named source: the journal, researcher or institution it names.

:func:`source_keys` finds them (:mod:`.venues` matches journal names);
:mod:`.suggest` ranks every entry of the bibliography as the claim's possible
source, the named source second, and makes the suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from ..models import Attribution, Reference
from .venues import entries_in_venue

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


def source_keys(attr: Attribution, bibliography: Mapping[str, Reference]) -> dict[str, str]:
    """Key -> why, for the entries from the named source (nothing for a vague attribution)."""
    return dict(_source_candidates(attr, bibliography))


def _source_candidates(attr: Attribution, bibliography: Mapping[str, Reference]
                       ) -> list[tuple[str, str]]:
    """(key, why) for entries matching a named source, before the topic test."""
    find = _CANDIDATES.get(attr.kind)
    if not attr.name or find is None:
        return []
    return find(attr.name, bibliography)


