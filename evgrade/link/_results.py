"""Key results of an entry: percentages and what they measure (docs/rubrics.md, "Entry facts").

Two readings. ``evgrade-result`` is a person's record, one result per ``;``: the
percentage and, around it, what it measures ("70.8% response at study end").
Prose (an abstract, a note) is read per sentence: each percentage with the outcome
word nearest to it ("response rate ... was 70.8%"); "response and remission rates
were 68.0% and 50.5%" pairs them in order. Confidence levels ("95% CI") are not
results.
"""

from __future__ import annotations

import re

from .. import _patterns
from ..models import RecordedResult
from .._pretest import Gated, folded

_PERCENT = Gated(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)",
                 "%|percent|per cent")
PERCENT = _PERCENT.pattern
_NOT_A_RESULT = _patterns.compile(r"\s*(?:CI\b|C\.I\.|confidence|credible|prediction interval)", re.IGNORECASE)
_OUTCOMES = _patterns.compile(
    r"\b(?:response(?: rate)?|responders?|remission|remitters?|relapse|recurrence|improvement|"
    r"improved|reduction|reduced|decrease|increase|recovery|survival|mortality|deaths?|"
    r"adverse (?:events?|effects?)|side[- ]effects?|dropouts?|discontinuation|adherence|"
    r"sensitivity|specificity|prevalence|incidence|risk|cure|success|failure|"
    r"(?:pain|symptom|seizure|relapse)[- ]free|abstinen(?:t|ce))\b",
    re.IGNORECASE)
_SENTENCE_END = _patterns.compile(r"(?<=[.;!?])\s+")  # "42.3%" has a period, but no space after it
_TRIM = " .,:;-–—()[]"


def _value(number: str) -> float:
    return float(number)


def recorded_results(text: str, source: str) -> tuple[list[RecordedResult], list[str]]:
    """The results of an ``evgrade-result`` field, and the items that hold no percentage."""
    results: list[RecordedResult] = []
    problems: list[str] = []
    for item in (part.strip() for part in re.split(r"[;\n]", text)):
        if not item:
            continue
        m = PERCENT.search(item)
        if m is None:
            problems.append(f"{source}: {item!r} holds no percentage")
            continue
        measure = " ".join((item[:m.start()].strip(_TRIM) + " " + item[m.end():].strip(_TRIM)).split())
        results.append(RecordedResult(value=_value(m.group(1)), text=m.group(0).replace(" ", ""),
                                      measure=measure, source=source))
    return results, problems


def _respectively(sentence: str, found: list[re.Match[str]]) -> list[str] | None:
    """Measures for "A and B rates were x% and y%": as many outcomes before the figures, in order."""
    before = sentence[:found[0].start()]
    outcomes = [m.group(0).lower() for m in _OUTCOMES.finditer(before)]
    if len(found) > 1 and len(outcomes) == len(found) and " and " in before:
        return outcomes
    return None


def _nearest(sentence: str, m: re.Match[str]) -> str:
    outcomes = list(_OUTCOMES.finditer(sentence))
    if not outcomes:
        return ""
    best = min(outcomes, key=lambda o: min(abs(o.start() - m.end()), abs(m.start() - o.end())))
    return best.group(0).lower()


def prose_results(text: str, source: str) -> list[RecordedResult]:
    """Percentages in prose, each with the outcome word nearest to it in its sentence."""
    out: list[RecordedResult] = []
    if not _PERCENT.may(folded(text)):  # a sentence holds a percentage only if the text does
        return out
    for sentence in _SENTENCE_END.split(text):
        found = [m for m in PERCENT.finditer(sentence) if not _NOT_A_RESULT.match(sentence, m.end())]
        if not found:
            continue
        paired = _respectively(sentence, found)
        for i, m in enumerate(found):
            measure = paired[i] if paired else _nearest(sentence, m)
            out.append(RecordedResult(value=_value(m.group(1)), text=m.group(0).replace(" ", ""),
                                      measure=measure, source=source))
    return out
