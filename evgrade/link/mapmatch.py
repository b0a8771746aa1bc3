"""Claim-map matching: which claims a map entry's quote names (docs/claim-map.md)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .. import _findings as findings
from ..models import Claim, Finding, Link
from ._mapsupport import MapLink
from .claimmap import ClaimMap, MapEntry, normalize_quote

# A quote that is not contained in any claim still matches a claim when
# rapidfuzz's partial_ratio (best-aligned substring, 0..100) reaches this.
FUZZY_THRESHOLD = 90.0
# Shorter quotes only match exactly: partial_ratio of a few words against a
# long sentence finds a near-copy somewhere far too easily.
FUZZY_MIN_LENGTH = 20


def article_matches(entry_article: str, claim_article: str, folder: Path) -> bool:
    """Does a map entry's ``article`` (bare name, or path relative to the map) name this article?"""
    if not entry_article:
        return True
    entry_path = Path(entry_article)
    if "/" not in entry_article and "\\" not in entry_article:
        # a bare file name names any article with that name
        return Path(claim_article).name == entry_path.name
    candidate = entry_path if entry_path.is_absolute() else folder / entry_path
    return os.path.normpath(os.path.abspath(candidate)) == \
        os.path.normpath(os.path.abspath(claim_article))


def match_quote(quote: str, claims: Sequence[Claim],
                normalized: Mapping[str, str] | None = None) -> list[tuple[Claim, float | None]]:
    """Claims a quote names: every claim containing it, else the best fuzzy one.

    Exact matches carry score None; a fuzzy match carries its score in [0, 1].
    """
    q = normalize_quote(quote)
    if not q:
        return []
    norm = normalized or {}

    def text_of(c: Claim) -> str:
        return norm.get(c.id) or normalize_quote(c.text)

    padded = f" {q} "
    exact: list[tuple[Claim, float | None]] = [
        (c, None) for c in claims if padded in f" {text_of(c)} "]
    if exact or len(q) < FUZZY_MIN_LENGTH:
        return exact
    from rapidfuzz import fuzz   # here: most runs have no claim map, or only exact quotes

    best: tuple[Claim, float] | None = None
    for c in claims:
        t = text_of(c)
        # a quote longer than the claim (a sentence the extractor now splits)
        # is compared whole, so a short claim cannot hide inside it
        scorer = fuzz.partial_ratio if len(q) <= len(t) else fuzz.ratio
        score = scorer(q, t, score_cutoff=FUZZY_THRESHOLD)
        if score and (best is None or score > best[1]):
            best = (c, score)
    return [(best[0], round(best[1] / 100, 3))] if best else []


class _Pools:
    """The claims a map entry's ``article`` can name, None when it names no article read.

    Computed once per distinct ``article``: entries x claims would resolve
    paths millions of times, and entries name few articles.
    """

    def __init__(self, claims: Sequence[Claim], read: Sequence[str], folder: Path) -> None:
        self._read = read
        self._folder = folder
        self._by_article: dict[str, list[Claim]] = {}
        for c in claims:
            self._by_article.setdefault(c.article, []).append(c)
        self._pools: dict[str, list[Claim] | None] = {}

    def get(self, article: str) -> list[Claim] | None:
        if article not in self._pools:
            self._pools[article] = self._pool(article)
        return self._pools[article]

    def _pool(self, article: str) -> list[Claim] | None:
        if not any(article_matches(article, a, self._folder) for a in self._read):
            return None
        return [c for a, cs in self._by_article.items()
                if article_matches(article, a, self._folder) for c in cs]


def map_links(claims: Sequence[Claim], claim_map: ClaimMap, *, map_path: str = "",
              articles: Iterable[str] | None = None) -> tuple[list[Link], list[Finding]]:
    """Links (via="map") from a claim map, and EV304 for entries that match nothing.

    ``articles`` are the documents that were read (default: those of ``claims``);
    entries for other articles are neither matched nor reported stale, so one
    map can serve a whole folder while evgrade grades a single article.
    """
    shown = map_path or claim_map.path
    folder = Path(claim_map.path).parent if claim_map.path else (
        Path(map_path).parent if map_path else Path("."))
    read = list(dict.fromkeys(articles if articles is not None else (c.article for c in claims)))
    pools = _Pools(claims, read, folder)
    normalized = {c.id: normalize_quote(c.text) for c in claims}
    links: list[Link] = []
    problems: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for entry in claim_map.entries:
        pool = pools.get(entry.article)
        if pool is None:
            continue
        matched = match_quote(entry.quote, pool, normalized)
        if not matched:
            problems.append(_stale(entry, shown))
            continue
        for claim, score in matched:
            for part, ml in _entry_links(entry):
                if (claim.id, ml.key, part) not in seen:
                    seen.add((claim.id, ml.key, part))
                    links.append(_link(claim.id, entry, part, ml, shown, score))
    return links, problems


def _entry_links(entry: MapEntry) -> list[tuple[str, MapLink]]:
    """(part text, link) of an entry: the whole claim's links ("" part), then each part's."""
    return [("", ml) for ml in entry.links] + [(p.text, ml) for p in entry.parts for ml in p.links]


def _link(claim_id: str, entry: MapEntry, part: str, ml: MapLink, shown: str,
          score: float | None) -> Link:
    required = tuple(p.text for p in entry.parts if p.required)
    part_note = next((p.note for p in entry.parts if p.text == part), "") if part else ""
    note = ml.note or part_note or (entry.note if not part else "")
    return Link(claim_id=claim_id, key=ml.key, via="map", score=score,
                reason=_reason(entry, shown, score, ml, part), support=ml.support, note=note,
                part=part, parts=required)


def _stale(entry: MapEntry, shown: str) -> Finding:
    where = entry.article or "any article"
    return findings.make(
        "EV304", f"claim-map quote matches no claim in {where}: \"{_short(entry.quote)}\"",
        path=shown, line=entry.line, key=",".join(entry.all_keys))


def _reason(entry: MapEntry, shown: str, score: float | None, ml: MapLink | None = None,
            part: str = "") -> str:
    reason = f"claim map {Path(shown).name or 'map'}"
    if entry.line is not None:
        reason += f":{entry.line}"
    if score is not None:
        reason += f" (fuzzy quote match {score:.2f})"
    if part:
        reason += f"; part '{part}'"
    if ml is not None and ml.support != "full":
        reason += f"; {ml.support} support"
    note = ml.note if ml is not None and ml.note else entry.note
    if note:
        reason += f"; {note}"
    return reason


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"
