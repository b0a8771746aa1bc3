"""Cues: the words of a sentence that make it checkable (docs/claims.md, section 4).

Percentages and numbers, comparisons, named or vague sources (found by
:mod:`.attribution`) and hedges, each with its offset in the sentence.
"""

from __future__ import annotations

import re

from .. import _patterns
from ._guard import guarded
from ..models import Cue
from . import attribution
from ._phrases import phrases, search_ending_at

_PERCENT = guarded(_patterns.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)", re.IGNORECASE))
# not a digit inside a name: "5-azacitidine", "H3K9me3" ("5-fold", "12-week" are quantities)
_NUMBER = _patterns.compile(r"(?<![\w.\-/])[$€£]?\d+(?:[.,]\d+)*(?:\s?[–-]\s?\d+(?:\.\d+)?)?(?![\w])"
                     r"(?!-(?!(?:fold|times|year|day|week|month|hour|minute|point|percent|mg|ml|kg|dose)s?\b)[A-Za-z])")
_YEARISH = _patterns.compile(r"^(?:1[5-9]|20)\d\d$")
_DECADE = _patterns.compile(r"\b(?:1[5-9]|20)\d0s\b")
# a day of the month is a date, not a quantity: "Tuesday 18 February", "March 3rd, 2024"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY_BEFORE_MONTH = _patterns.compile(rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
_MONTH_BEFORE = _patterns.compile(rf"\b(?:{_MONTHS})\s+$")
_CLOCK_AFTER = _patterns.compile(r"(?::\d\d)?\s?(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock)", re.IGNORECASE)   # "2 a.m.": a time
# Numbers that name rather than measure: "phase 3", "Fig. 2", "type 2 diabetes", "COVID-19".
_IDENTIFIER_BEFORE = _patterns.compile(
    r"(?:phase|fig\.?|figure|table|no\.|number|version|step|type|stage|grade|level|chapter|section|"
    r"page|p\.|pp\.|vol\.|trial|study|covid|sars-cov|\bn)\s*$", re.IGNORECASE)
_NUMBER_WORD_STAT = guarded(phrases("half of|one in (?:two|three|four|five|six|seven|eight|nine|ten)|"
                        "a third of|a quarter of|two thirds|twice as|three times|"
                        "(?:two|three|four|five|six|seven|eight|nine|ten)-fold|"
                        "(?:tens of )?(?:millions|thousands|billions|trillions|hundreds) of|dozens of|half|"
                        "halved|halves|doubled|doubles|tripled|quadrupled|"
                        "(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
                        "thirty|forty|fifty|sixty|hundred)(?:-| )(?:minutes?|hours?|days?|weeks?|months?|"
                        "years?|times|doses|injections|infusions|sessions|milligrams?|percent|patients|"
                        "people|participants|adults|children|deaths|cases|volunteers|subjects)"))
_COMPARISON = guarded(phrases("compared (?:to|with)|than|unlike|versus|vs|superior to|inferior to|"
                  "as effective as|more effective|less effective|faster|slower|better|worse|"
                  "outperform*|relative to|in contrast to"))
_HEDGE = guarded(phrases("may|might|could|possibly|potentially|potential|perhaps|likely|unlikely|appears? to|"
             "appear|seems? to|is thought|are thought|is believed|are believed|is suggested|"
             "suggests?|suggesting|it is possible|presumably|reportedly|is hypothesi[sz]ed|"
             "preliminary|promise|promising"))


def is_year(cue: Cue) -> bool:
    """A number cue that reads as a year ("1994"), a weak hint of history."""
    return cue.kind == "number" and bool(_YEARISH.match(cue.text.lstrip("$€£")))


def find_cues(text: str, found: list[attribution.Found] | None = None) -> tuple[Cue, ...]:
    """Numbers, comparisons, sources and hedges; ``found`` reuses an attribution.find() result."""
    found = attribution.find(text) if found is None else found
    cues = _figures(text, found)
    for m in _COMPARISON.finditer(text):
        cues.append(Cue(kind="comparison", text=m.group(0), offset=m.start()))
    for f in found:
        cues.append(Cue(kind=f.cue_kind, text=f.text, offset=f.offset))
    for m in _HEDGE.finditer(text):
        cues.append(Cue(kind="hedge", text=m.group(0), offset=m.start()))
    return tuple(sorted(cues, key=lambda c: c.offset))


def _figures(text: str, found: list[attribution.Found]) -> list[Cue]:
    """Percentages, then numbers outside them and outside reference markers ("[2]" is a
    citation, not a number), then numbers in words."""
    percents = [Cue(kind="percent", text=m.group(0), offset=m.start()) for m in _PERCENT.finditer(text)]
    taken = sorted([(f.offset, f.offset + len(f.text)) for f in found
                    if f.cue_kind == "study-reference" and f.text[:1] in attribution.MARKER_START]
                   + [(c.offset, c.offset + len(c.text)) for c in percents])
    cues = percents
    k = 0
    for m in _NUMBER.finditer(text):  # in order, like ``taken``
        while k < len(taken) and taken[k][1] <= m.start():
            k += 1
        if k < len(taken) and taken[k][0] <= m.start():
            continue
        cues.append(Cue(kind="number", text=m.group(0), offset=m.start()))
    cues.extend(Cue(kind="number", text=m.group(0), offset=m.start()) for m in _NUMBER_WORD_STAT.finditer(text))
    return cues


def _is_date(text: str, cue: Cue) -> bool:
    """A day of the month or a clock time: dates, not quantities."""
    return bool(_DAY_BEFORE_MONTH.match(text, cue.offset) or search_ending_at(_MONTH_BEFORE, text, cue.offset)
                or _CLOCK_AFTER.match(text, cue.offset + len(cue.text)))


def is_statistic(text: str, cues: tuple[Cue, ...]) -> bool:
    """A stated quantity decides the kind (docs/claims.md, section 3).

    Not quantities: years and decades (history), numbers that name something
    ("phase 3", "type 2", "Fig. 2"), and spelled-out counts of the items a
    sentence lists ("two of the most common disorders").
    """
    for cue in cues:
        if cue.kind == "percent":
            return True
        if cue.kind != "number":
            continue
        if not cue.text[:1].isdigit() and not cue.text[:1] in "$€£":
            return True  # "half of", "one in five", "millions of", "three patients"
        digits = cue.text.lstrip("$€£")
        if _YEARISH.match(digits) or _DECADE.match(text, cue.offset):
            continue
        if search_ending_at(_IDENTIFIER_BEFORE, text, cue.offset):
            continue
        if _is_date(text, cue):
            continue
        return True
    return False
