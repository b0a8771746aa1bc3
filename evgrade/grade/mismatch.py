"""Evidence that does not fit the claim it backs (docs/findings.md, EV208-EV211).

Each check reads the claim (:mod:`evgrade.claims.strength`) and the facts of the
entries that support it (full or partial support; :mod:`evgrade.link.facts`):

* EV208: a claim about people rests only on animal or cell studies;
* EV209: a claim about patients rests only on studies in healthy volunteers;
* EV210: an efficacy claim (a claim that a treatment causes improvement) rests only
  on studies without a control group, and does not say so itself;
* EV211: one small study (fewer participants than the rubric's ``small-study``)
  behind a general efficacy, safety or statistic claim: neither hedged, nor limited ("some patients", "one
  study"), nor a report in the past tense of what was found.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..claims.strength import ClaimReading
from ..link.facts import PRIMARY_DESIGNS
from ..models import EntryAssessment
from ._notes import Notes, keys_with

NON_HUMAN = frozenset({"animals", "cells"})
_EFFECT_KINDS = frozenset({"efficacy", "safety", "statistic"})  # where a study's size matters


def design_of(a: EntryAssessment) -> str:
    return a.design.design if a.design else "unknown"


def population_of(a: EntryAssessment) -> str:
    return a.facts.population if a.facts else "unknown"


def is_primary(a: EntryAssessment) -> bool:
    return design_of(a) in PRIMARY_DESIGNS


def sample_of(a: EntryAssessment) -> int | None:
    return a.facts.sample_size if a.facts else None


def _what_animals(a: EntryAssessment) -> str:
    if a.facts is None:
        return ""
    return a.facts.population_text or a.facts.population


def non_human_only(reading: ClaimReading, supporting: Sequence[EntryAssessment]) -> bool:
    return bool(supporting) and reading.about_people and \
        all(population_of(a) in NON_HUMAN for a in supporting)


def healthy_only(reading: ClaimReading, supporting: Sequence[EntryAssessment]) -> bool:
    return bool(supporting) and reading.about_patients and \
        all(population_of(a) == "healthy-volunteers" for a in supporting)


def uncontrolled_only(supporting: Sequence[EntryAssessment]) -> bool:
    return bool(supporting) and all(
        is_primary(a) and a.facts is not None and a.facts.control == "none" for a in supporting)


def small_single(reading: ClaimReading, supporting: Sequence[EntryAssessment],
                 threshold: int) -> EntryAssessment | None:
    """The one small primary study behind an unqualified claim, if that is all there is."""
    if len(supporting) != 1 or not reading.general:
        return None
    (a,) = supporting
    n = sample_of(a)
    return a if is_primary(a) and n is not None and n < threshold else None


def check_mismatch(kind: str, reading: ClaimReading, supporting: Sequence[EntryAssessment],
                   small_study: int, notes: Notes) -> None:
    """EV208-EV211 for one claim."""
    entries = list(supporting)
    if non_human_only(reading, entries):
        notes.emit("EV208", f"{kind} claim about people rests only on animal or cell studies: "
                            f"{keys_with(entries, _what_animals)}")
    if healthy_only(reading, entries):
        notes.emit("EV209", f"{kind} claim about patients rests only on studies in healthy "
                            f"volunteers: {keys_with(entries, lambda a: '')}")
    if kind == "efficacy" and not reading.names_weak_evidence and uncontrolled_only(entries):
        notes.emit("EV210", "efficacy claim rests only on studies without a control group: "
                            f"{keys_with(entries, design_of)}")
    single = small_single(reading, entries, small_study) if kind in _EFFECT_KINDS else None
    if single is not None:
        notes.emit("EV211", f"one small study ({single.key}, n={sample_of(single)}; fewer than "
                            f"{small_study} is small) behind an unhedged, general {kind} claim",
                   key=single.key)


__all__ = ["NON_HUMAN", "check_mismatch", "design_of", "healthy_only", "is_primary",
           "non_human_only", "population_of", "sample_of", "small_single", "uncontrolled_only"]
