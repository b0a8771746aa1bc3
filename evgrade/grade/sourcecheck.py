"""What a claim's figures and named source say against its entries (EV213, EV214).

* Figures: each number of the claim is looked for among the results its linked
  entries record (:mod:`evgrade.link.figures`, tolerance there): "matches 70.8%
  response at study end in Murrough2013BP", or EV213 "70% not in any cited record".
  With no recorded result among the linked entries a figure stays unchecked.
* Named source: when the suggestions for a claim's named journal, researcher or
  institution put entries from elsewhere first (:mod:`evgrade.link.suggest`), EV214
  says which entries match and what the named source holds instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..link.figures import claim_figures, matches, nearest
from ..models import EntryAssessment, FigureCheck, Link, SourceMatch
from ._notes import Notes


def _recorded(entries: Sequence[EntryAssessment]) -> str:
    said = [f"{a.key} records {', '.join(r.describe() for r in a.facts.results)}"
            for a in entries if a.facts and a.facts.results]
    return "; ".join(said)


def figure_checks(text: str, entries: Sequence[EntryAssessment], notes: Notes) -> list[FigureCheck]:
    """One check per figure of the claim against the results of ``entries``; EV213 for a miss."""
    if not entries:
        return []
    recorded = _recorded(entries)
    out = []
    for fig in claim_figures(text):
        hit = next(((a, r) for a in entries if a.facts
                    for r in [nearest(fig, a.facts.results)] if r is not None and matches(fig, r)),
                   None)
        if hit is not None:
            a, r = hit
            out.append(FigureCheck(figure=fig.text, value=fig.value, status="matches", key=a.key,
                                   result=r.describe(), message=f"matches {r.describe()} in {a.key}"))
        elif recorded:
            message = f"{fig.text} not in any cited record ({recorded})"
            out.append(FigureCheck(figure=fig.text, value=fig.value, status="not-found",
                                   message=message))
            notes.emit("EV213", message)
        else:
            out.append(FigureCheck(figure=fig.text, value=fig.value, status="unchecked",
                                   message=f"{fig.text}: no cited entry records results"))
    return out


# ------------------------------------------------------------------ named source

_NAMED = {"venue": ("journal", "the named {name}"),
          "researcher": ("researcher", "the named researcher {name}"),
          "institution": ("institution", "the named institution {name}")}


def _matched(m: SourceMatch) -> str:
    if m.figure_matches and m.population_matches:
        return "figure and population match"
    if m.figure_matches:
        return "the figure matches"
    return "the population matches" if m.population_matches else "the topic matches"


def _entries_by_venue(links: Sequence[Link]) -> str:
    groups: dict[str, list[str]] = {}
    for link in links:
        venue = link.match.venue if link.match else ""
        groups.setdefault(venue, []).append(link.key)
    parts = []
    for venue, keys in groups.items():
        names = keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " and " + keys[-1]
        parts.append(f"{names} ({venue})" if venue else names)
    return " and ".join(parts)


def _named_tail(m: SourceMatch, named: Sequence[Link]) -> str:
    noun = _NAMED[m.named_kind][0]
    if named:
        link = named[0]
        shown = link.match.figure if link.match else ""
        return (f"the named {noun}'s {link.key} reports {shown}" if shown
                else f"the named {noun}'s {link.key} matches only the topic")
    if m.named_entries:
        return f"no {m.named} entry in the bibliography is about this claim's topic"
    return f"the bibliography holds no entry from {m.named}"


def check_named_source(suggested: Sequence[Link], notes: Notes) -> None:
    """EV214 for each named source whose best candidates come from elsewhere."""
    by_source: dict[str, list[Link]] = {}
    for link in suggested:
        if link.match is not None:
            by_source.setdefault(link.match.named, []).append(link)
    for links in by_source.values():
        elsewhere = [l for l in links if l.match and not l.match.source_matches]
        if not elsewhere:
            continue
        named = [l for l in links if l.match and l.match.source_matches]
        m = elsewhere[0].match
        assert m is not None
        notes.emit("EV214", f"{_matched(m)} {_entries_by_venue(elsewhere)}, not "
                            f"{_NAMED[m.named_kind][1].format(name=m.named)}; {_named_tail(m, named)}",
                   key=elsewhere[0].key)


__all__ = ["check_named_source", "figure_checks"]
