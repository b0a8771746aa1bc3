"""GRADE-style certainty of the evidence behind a claim: high, moderate, low, very low.

The same for every rubric (docs/rubrics.md, "Certainty"). Each required part of the
claim starts from the design of its best supporting entry (randomized trials and
their systematic reviews high; controlled comparisons moderate; observational,
uncontrolled, preclinical and review work low; cases, opinion, pages and unknown
designs very low); the claim starts from its weakest part. It then goes one step
down for each of: indirect evidence (animals or cells for a claim about people,
healthy volunteers for one about patients, single-dose studies for a claim of
lasting effects), imprecision (every supporting study smaller than the rubric's
``small-study``), a single study, partial support and contradicting entries. A
required part with no support makes it very low. Only claims of an effect or a
mechanism are rated; a date or a description (prevalence-history, other) is not.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..claims.strength import ClaimReading
from ..models import CERTAINTY_LEVELS, Certainty, EntryAssessment, PartGrade
from ._notes import Notes
from .mismatch import design_of, healthy_only, is_primary, non_human_only, sample_of
from .support import ClaimSupport

_HIGH = frozenset({"randomized-controlled-trial", "meta-analysis", "systematic-review"})
_LOW = frozenset({"cohort-study", "case-control-study", "cross-sectional-study", "open-label-trial",
                  "guideline", "narrative-review", "preclinical"})
_VERY_LOW = len(CERTAINTY_LEVELS) - 1


def start_of(a: EntryAssessment) -> tuple[int, str]:
    """Where one entry's evidence starts (0 high ... 3 very low), and why."""
    design = design_of(a)
    control = a.facts.control if a.facts else "unknown"
    if design in _HIGH:
        step = 0
    elif design == "controlled-trial":
        step = 1
    elif design == "healthy-volunteer-study":
        step = {"randomized": 0, "controlled": 1}.get(control, 2)
    elif design in _LOW:
        step = 2
    else:
        step = _VERY_LOW
    why = f"starts {CERTAINTY_LEVELS[step]}: {design} ({a.key})"
    if is_primary(a) and control == "none":
        why += ", no control group"
    return step, why


def _part_start(part: PartGrade, by_key: Mapping[str, EntryAssessment]) -> tuple[int, str]:
    keys = part.full or part.partial
    starts = [start_of(by_key[k]) for k in keys if k in by_key]
    if not starts:
        label = f"part '{part.text}'" if part.text else "the claim"
        return _VERY_LOW, f"very low: no entry supports {label}"
    return min(starts)


def _indirect(reading: ClaimReading, support: ClaimSupport, _: int) -> list[str]:
    entries = support.supporting
    out = []
    if non_human_only(reading, entries):
        out.append("indirect: animal or cell studies for a claim about people")
    elif healthy_only(reading, entries):
        out.append("indirect: healthy volunteers for a claim about patients")
    primary = [a for a in entries if is_primary(a)]
    if reading.durable and primary and all(a.facts and a.facts.single_dose for a in primary):
        out.append(f"indirect: single-dose studies for a claim of lasting effects "
                   f"('{reading.durable[0]}')")
    return out


def _imprecise(_: ClaimReading, support: ClaimSupport, small_study: int) -> list[str]:
    entries = support.supporting
    sizes = [n for a in entries if (n := sample_of(a)) is not None]
    out = []
    if sizes and len(sizes) == len(entries) and max(sizes) < small_study:
        out.append(f"imprecise: small studies only (n={', n='.join(map(str, sizes))}; "
                   f"fewer than {small_study})")
    if len(entries) == 1 and is_primary(entries[0]):
        out.append(f"single study ({entries[0].key})")
    return out


def _support_steps(_: ClaimReading, support: ClaimSupport, __: int) -> list[str]:
    out = []
    partial = [p for p in support.required() if not p.full and p.partial]
    if partial:
        out.append(f"partial support only ({', '.join(k for p in partial for k in p.partial)})")
    if support.contradicting:
        out.append(f"inconsistent: contradicted by {', '.join(a.key for a in support.contradicting)}")
    return out


_STEPS = (_indirect, _imprecise, _support_steps)


# certainty rates evidence of an effect or a mechanism, not a date or a description
RATED_KINDS = frozenset({"efficacy", "safety", "statistic", "mechanism"})


def claim_certainty(kind: str, reading: ClaimReading, support: ClaimSupport,
                    small_study: int) -> Certainty | None:
    """The certainty of a claim's evidence; None when nothing counted is linked, or for a
    kind whose evidence is not rated (prevalence-history, other)."""
    if not support.parts or kind not in RATED_KINDS:
        return None
    by_key = {a.key: a for a in support.supporting}
    step, why = max(_part_start(p, by_key) for p in support.required())
    steps = [step for check in _STEPS for step in check(reading, support, small_study)]
    level = min(_VERY_LOW, step + len(steps))
    return Certainty(level=CERTAINTY_LEVELS[level],  # type: ignore[arg-type]
                     reasons=(why, *(f"down: {s}" for s in steps)))


def check_strength(reading: ClaimReading, certainty: Certainty | None, notes: Notes) -> None:
    """EV212: settled, general or lasting wording, not hedged, on evidence of low or very low
    certainty."""
    said = reading.strong + reading.durable
    if certainty is None or not said or reading.qualified or certainty.level not in ("low", "very low"):
        return
    why = "; ".join(r.removeprefix("down: ") for r in certainty.reasons[1:]) or certainty.reasons[0]
    notes.emit("EV212", f"says '{said[0]}' but the certainty of its evidence is "
                        f"{certainty.level} ({why})")


__all__ = ["check_strength", "claim_certainty", "start_of"]
