"""Models of what evgrade reads about the evidence: entry facts, support, figures, certainty.

Part of :mod:`evgrade.models` (which re-exports every name here); kept in a module of
their own so that neither file grows past the house limit.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._frozen import Frozen


Model = Frozen   # frozen, no unknown fields, field-name sets shared (evgrade/_frozen.py)


# Who a study studied, and whether it compared the treatment with anything (docs/rubrics.md,
# "Entry facts"); "people": humans not said to be ill or healthy.
Population = Literal["patients", "healthy-volunteers", "animals", "cells", "people", "unknown"]
Control = Literal["randomized", "controlled", "none", "unknown"]


class RecordedResult(Model):
    """One key result an entry records: a percentage ("70.8%") and what it measures."""

    value: float
    text: str
    measure: str = ""          # "response at study end"
    source: str = ""           # the field it was read from: "evgrade-result", "abstract", ...

    def describe(self) -> str:
        return f"{self.text} {self.measure}".strip()


class EntryFacts(Model):
    """What an entry says about its study; ``sources`` names the field each fact came from,
    and an ``evgrade-`` field outranks evgrade's own reading (docs/rubrics.md, "Entry facts")."""

    population: Population = "unknown"
    population_text: str = ""  # the wording that told it
    sample_size: int | None = Field(default=None, ge=1)  # participants or animals; a review's pooled n
    control: Control = "unknown"
    follow_up: str = ""        # dosing and follow-up as recorded: "single dose", "weekly for 3 months"
    single_dose: bool | None = None  # True: one dose or infusion; False: repeated; None: not said
    early_phase: str = ""      # "proof-of-concept", "pilot", "exploratory", ... when the entry says so
    results: tuple[RecordedResult, ...] = ()
    sources: dict[str, str] = Field(default_factory=dict)  # fact -> field it was read from
    problems: tuple[str, ...] = ()  # evgrade- fields that could not be read, and why


Support = Literal["full", "partial", "contradicts"]


class SourceMatch(Model):
    """Why a suggested entry may be the source a claim names (evgrade/link/suggest.py)."""

    named: str                 # the source as the claim names it
    named_kind: Literal["venue", "institution", "researcher"]
    source_matches: bool = False  # the entry is from the named journal / by the named researcher / place
    venue: str = ""            # the entry's own venue
    figure: str = ""           # the entry's recorded result nearest the claim's figure
    figure_matches: bool = False
    population_matches: bool = False
    topic: float = Field(default=0.0, ge=0.0, le=1.0)
    named_entries: int = 0     # entries of the bibliography from the named source


class FigureCheck(Model):
    """A number in a claim checked against the results its linked entries record."""

    figure: str                # as written in the claim: "70%"
    value: float
    status: Literal["matches", "not-found", "unchecked"]  # unchecked: no linked entry records results
    key: str = ""              # the entry whose result matches, and that result
    result: str = ""
    message: str = ""          # "matches 70.8% response at study end in Murrough2013BP"


class PartGrade(Model):
    """The grade of one part of a claim (the whole claim when the map names no parts)."""

    text: str = ""             # "" = the whole claim
    required: bool = True
    grade: str                 # best level among the part's full-support entries
    full: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()
    contradicting: tuple[str, ...] = ()


CertaintyLevel = Literal["high", "moderate", "low", "very low"]
CERTAINTY_LEVELS: tuple[str, ...] = ("high", "moderate", "low", "very low")


class Certainty(Model):
    """GRADE-style certainty of the evidence behind a claim, with how it was reached."""

    level: CertaintyLevel
    reasons: tuple[str, ...] = ()  # the start, then each step down
