"""Suggested links: which entry a claim's named source may be, never counted (docs/claim-map.md).

For a claim that names a journal, researcher or institution, every entry of the
bibliography is a candidate. Candidates are ranked by what the claim says first:

1. **figure**: one of the claim's figures matches a result the entry records
   (:mod:`.figures`);
2. **population**: the entry studied the people the claim names ("patients with
   treatment-resistant depression": an entry about patients that holds those words);
3. **topic**: the weighted share of the claim's content words the entry holds
   (:mod:`.topics`);

and by the named source only then (an entry sharing no content word with the claim is
no candidate). When an entry from the named source is as good
on figure and population as the best candidate, the attribution holds and the
named source's entries about the topic are suggested. Otherwise the best
candidates from elsewhere are suggested (only those matching a figure when any
does), with the named source's best entry about the topic, if there is one, for
contrast; each link's :class:`~evgrade.models.SourceMatch` says what matched, and
grading reports the misattribution (EV214).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ..claims.strength import population_phrase
from ..models import Attribution, Claim, EntryFacts, Link, Reference, SourceMatch
from .facts import entry_facts
from .figures import Figure, claim_figures, matches, nearest
from .sources import source_keys
from .topics import TopicIndex, claim_topic, content_stems

# An entry is about the claim's topic from this weighted overlap on.
MIN_TOPIC_OVERLAP = 0.3
# ... and holds the claim's population from this weighted share of its words.
MIN_POPULATION = 0.75
# More than this many suggestions for one named source is noise, not help.
MAX_SUGGESTIONS = 3

_HUMAN = frozenset({"patients", "people", "healthy-volunteers", "unknown"})


@dataclass(frozen=True)
class _Candidate:
    key: str
    figure: bool
    population: bool
    topic: float
    source: bool
    distance: float          # to the nearest recorded figure (inf: none recorded)
    nearest: str             # that recorded result
    why: str                 # why it matches the named source, "" when it does not

    @property
    def relevant(self) -> bool:
        return self.figure or self.population or self.topic >= MIN_TOPIC_OVERLAP

    @property
    def rank(self) -> tuple[float, ...]:
        return (-self.figure, -self.population, -round(self.topic, 2), -self.source, self.distance)

    @property
    def score(self) -> float:
        """In [0, 1], ordered like the ranking: a figure outweighs a population outweighs topic."""
        return round((4 * self.figure + 2 * self.population + self.topic) / 7, 3)


class _Bibliography:
    """Facts and topics of every entry, computed once and only when a claim names a source."""

    def __init__(self, bibliography: Mapping[str, Reference], topics: TopicIndex | None) -> None:
        self.entries = bibliography
        self.topics = topics or TopicIndex(bibliography)
        self._facts: dict[str, EntryFacts] = {}

    def facts(self, key: str) -> EntryFacts:
        if key not in self._facts:
            self._facts[key] = entry_facts(self.entries[key])
        return self._facts[key]


def _figure(figures: Sequence[Figure], facts: EntryFacts) -> tuple[bool, float, str]:
    """(a figure matches, distance to the nearest recorded result, that result)."""
    best: tuple[bool, float, str] = (False, float("inf"), "")
    for fig in figures:
        result = nearest(fig, facts.results)
        if result is None:
            continue
        found = (matches(fig, result), abs(result.value - fig.value), result.describe())
        if (not found[0], found[1]) < (not best[0], best[1]):
            best = found
    return best


def _candidates(claim: Claim, attr: Attribution, bib: _Bibliography,
                exclude: Collection[tuple[str, str]]) -> list[_Candidate]:
    figures = claim_figures(claim.text)
    topic = claim_topic(claim)
    phrase = content_stems(population_phrase(claim.text), generic=False)
    named = source_keys(attr, bib.entries)
    overlap_of, holds_population = bib.topics.scorer(topic), bib.topics.scorer(phrase)
    out = []
    for key in bib.entries:
        overlap = overlap_of(key)
        # an entry sharing no word with the claim is no candidate, whatever its figures
        if (claim.id, key) in exclude or (overlap == 0 and key not in named):
            continue
        facts = bib.facts(key)
        fig, distance, near = _figure(figures, facts)
        population = bool(phrase) and facts.population in _HUMAN and \
            holds_population(key) >= MIN_POPULATION
        out.append(_Candidate(key, fig, population, overlap, key in named,
                              distance, near, named.get(key, "")))
    return sorted(out, key=lambda c: (c.rank, c.key))


def _chosen(ranked: list[_Candidate]) -> tuple[list[_Candidate], bool]:
    """The suggestions, and whether the named source holds up (see the module doc)."""
    relevant = [c for c in ranked if c.relevant]
    if not relevant:
        return [], True
    best = relevant[0]
    named = [c for c in relevant if c.source]
    if any((c.figure, c.population) == (best.figure, best.population) for c in named):
        return named[:MAX_SUGGESTIONS], True
    elsewhere = [c for c in relevant if not c.source
                 and (c.figure, c.population) == (best.figure, best.population)]
    return elsewhere[:MAX_SUGGESTIONS] + named[:1], False


def _reason(c: _Candidate, attr: Attribution) -> str:
    parts = [c.why or f"not from the named {attr.kind} '{attr.name}'"]
    if c.figure:
        parts.append(f"figure matches {c.nearest}")
    elif c.nearest:
        parts.append(f"records {c.nearest}")
    if c.population:
        parts.append("population matches")
    parts.append(f"topic overlap {c.topic:.2f}")
    return "; ".join(parts)


def _links(claim: Claim, attr: Attribution, bib: _Bibliography,
           exclude: Collection[tuple[str, str]]) -> list[Link]:
    ranked = _candidates(claim, attr, bib, exclude)
    chosen, _holds = _chosen(ranked)
    count = sum(1 for c in ranked if c.source)
    out = []
    for c in chosen:
        ref = bib.entries[c.key]
        match = SourceMatch(named=attr.name, named_kind=attr.kind,  # type: ignore[arg-type]
                            source_matches=c.source, venue=ref.venue, figure=c.nearest,
                            figure_matches=c.figure, population_matches=c.population,
                            topic=min(1.0, round(c.topic, 3)), named_entries=count)
        out.append(Link(claim_id=claim.id, key=c.key, via="suggested", score=c.score,
                        reason=_reason(c, attr), match=match))
    return out


def suggestion_links(claims: Sequence[Claim], bibliography: Mapping[str, Reference], *,
                     topics: TopicIndex | None = None,
                     exclude: Collection[tuple[str, str]] = ()) -> list[Link]:
    """For each claim that names a source, the entries it may mean, best first.

    ``exclude`` holds (claim id, key) pairs already linked, which are not
    offered again and do not use up one of the MAX_SUGGESTIONS places.
    """
    bib = _Bibliography(bibliography, topics)
    links: list[Link] = []
    for claim in claims:
        seen: set[str] = set()
        for attr in claim.attributions:
            if attr.kind == "vague" or not attr.name:
                continue
            for link in _links(claim, attr, bib, exclude):
                if link.key not in seen:
                    seen.add(link.key)
                    links.append(link)
    return links


__all__ = ["MAX_SUGGESTIONS", "MIN_POPULATION", "MIN_TOPIC_OVERLAP", "suggestion_links"]
