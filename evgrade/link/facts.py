"""Facts about each entry's study: who was studied, how many, against what, for how long, with what result.

Read from the entry's own fields (docs/rubrics.md, "Entry facts"). A documented
``evgrade-`` field is a person's record and outranks evgrade's reading of the other
fields; those are read in a fixed order, the first that tells a fact decides it:
the design statement (``studydesign``), the title, the abstract, the keywords, the
note. Linking uses the facts to tell which entry a claim's figure and population
come from (:mod:`.suggest`); grading uses them for indirectness, imprecision and
figure checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import _patterns
from ..models import EntryFacts, Reference
from .._pretest import Gated, folded
from ._results import prose_results, recorded_results

# the fields a person fills in; the reference-manager workflow writes the same prefix
FACT_FIELDS = {
    "population": "evgrade-population",
    "sample_size": "evgrade-n",
    "control": "evgrade-control",
    "follow_up": "evgrade-follow-up",
    "early_phase": "evgrade-phase",
    "results": "evgrade-result",
}
# designs that report one study of their own (a review, guideline or page pools or reports others)
PRIMARY_DESIGNS = frozenset({
    "randomized-controlled-trial", "controlled-trial", "open-label-trial", "cohort-study",
    "case-control-study", "cross-sectional-study", "case-series", "case-report",
    "healthy-volunteer-study", "preclinical", "unknown"})

_R = _patterns.compile
# Gated(pattern, the strings one of which every match holds): a cheap pre-test (evgrade._pretest)
_ANIMALS = Gated(r"\b(rats?|mice|mouse|murine|rodents?|animals?|primates?|monkeys?|macaques?|"
                 r"zebrafish|dogs?|pigs?|piglets?|sheep|rabbits?|hamsters?|guinea pigs?|"
                 r"preclinical|pre-clinical)\b",
                 "rat|mice|mouse|murine|rodent|animal|primate|monkey|macaque|zebrafish|dog|pig|"
                 "sheep|rabbit|hamster|clinical")
_GENERIC_ANIMAL = frozenset({"animal", "animals", "preclinical", "pre-clinical"})
_CELLS = Gated(r"\b(in vitro|ex vivo|cell lines?|cell cultures?|cultured (?:\w+ )?(?:cells|neurons)|"
               r"organoids?|tissue slices|brain slices)\b",
               "in vitro|ex vivo|cell|cultured|organoid|slices")
_HEALTHY = Gated(r"\bhealthy (?:human )?(?:volunteers?|subjects|participants|adults|men|women|"
                 r"individuals|people|controls)\b|\b\d+ healthy\b", "healthy")
# people said to be ill, and the illnesses themselves (an animal "model of depression" is still animals)
_PATIENT_WORDS = Gated(r"\b(?:patients?|outpatients|inpatients|sufferers|depressed|diagnosed|"
                       r"(?:people|adults|individuals|participants|subjects|children|adolescents|"
                       r"women|men|veterans) with)\b", "patient|sufferers|depressed|diagnosed| with")
_CONDITIONS = Gated(r"\b(?:disorders?|disease|syndrome|depression|depressive|illness|chronic pain|"
                    r"cancer|infections?|ideation|dementia|schizophrenia|diabetes|hypertension|"
                    r"asthma|refractory|treatment-resistant)\b",
                    "disorder|disease|syndrome|depress|illness|chronic pain|cancer|infection|"
                    "ideation|dementia|schizophrenia|diabetes|hypertension|asthma|refractory|"
                    "treatment-resistant")
_VOLUNTEERS = Gated(r"\bvolunteers?\b", "volunteer")
_PEOPLE = Gated(r"\b(?:humans?|in man|people|participants|subjects|adults|children|persons)\b",
                "human|in man|people|participants|subjects|adults|children|persons")


def _animal_word(text: str) -> str:
    """The animal a text names ("rat"), or its generic word when it names none."""
    words = [m.group(0) for m in _ANIMALS.pattern.finditer(text)]
    specific = [w for w in words if w.lower() not in _GENERIC_ANIMAL]
    return (specific or words)[0]


_CLAUSE_END = _patterns.compile(r"[,;:()\[\]]")


def _around(text: str, m: re.Match[str], words: int = 3) -> str:
    """The match with up to ``words`` words either side, inside its clause."""
    start = max((e.end() for e in _CLAUSE_END.finditer(text, 0, m.start())), default=0)
    end_m = _CLAUSE_END.search(text, m.end())
    end = end_m.start() if end_m else len(text)
    before = text[start:m.start()].split()[-words:] if words else []
    after = text[m.end():end].split()[:words]
    return " ".join(before + [m.group(0)] + after).strip()


def _population_of(text: str, low: str | None) -> tuple[str, str] | None:
    """(population, the words that told it) for one field's text; ``low`` is ``folded(text)``."""
    patient, healthy = _PATIENT_WORDS.search(text, low), _HEALTHY.search(text, low)
    people = patient or healthy or _VOLUNTEERS.search(text, low) or _PEOPLE.search(text, low)
    if people is None and _ANIMALS.search(text, low):
        return "animals", _animal_word(text)
    cells = _CELLS.search(text, low)
    if people is None and cells:
        return "cells", cells.group(0)
    ill = patient or _CONDITIONS.search(text, low)
    if healthy and not ill:
        return "healthy-volunteers", _around(text, healthy)
    if ill:
        return "patients", _around(text, ill)
    if people is not None:
        kind = "healthy-volunteers" if _VOLUNTEERS.pattern.fullmatch(people.group(0)) else "people"
        return kind, _around(text, people)
    return None


_SAMPLE = Gated(r"\b[nN]\s*=\s*(\d{1,3}(?:,\d{3})+|\d+)\b", "=", 0)
_COUNT = Gated(r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+(?:[\w-]+\s+){0,3}?(?:patients|participants|"
               r"subjects|volunteers|adults|children|adolescents|individuals|people|outpatients|"
               r"inpatients|women|men|veterans|rats|mice|animals)\b",
               "patients|participants|subjects|volunteers|adults|children|adolescents|individuals|"
               "people|men|veterans|rats|mice|animals")


def _sample_of(text: str, low: str | None) -> int | None:
    m = _SAMPLE.search(text, low) or _COUNT.search(text, low)
    if not m:
        return None
    n = int(m.group(1).replace(",", ""))
    return n if n > 0 else None


_UNCONTROLLED = Gated(r"\b(?:uncontrolled|open[- ]label|single[- ]arm|no (?:control|placebo|"
                      r"comparator)|without (?:a )?(?:control|placebo))\b",
                      "control|open|single|placebo|comparator")
_RANDOMIZED = Gated(r"(?<!non-)(?<!non )\b(?:randomi[sz]ed|randomly (?:assigned|allocated)|rcts?)\b",
                    "random|rct")
_CONTROLLED = Gated(r"(?<!un)\b(?:placebo|saline|sham|vehicle|double[- ]blind|active[- ]controlled|"
                    r"(?<!un)controlled|comparator|versus|vs\.?)\b",
                    "placebo|saline|sham|vehicle|double|control|comparator|versus|vs")
_CONTROL_BY_DESIGN = {"randomized-controlled-trial": "randomized", "controlled-trial": "controlled",
                      "open-label-trial": "none", "case-series": "none", "case-report": "none"}


def _control_of(text: str, low: str | None) -> str | None:
    if _UNCONTROLLED.search(text, low):
        return "none"
    if _RANDOMIZED.search(text, low):
        return "randomized"
    return "controlled" if _CONTROLLED.search(text, low) else None


_RECORDED_CONTROL = [("none", _R(r"\b(?:none|no|uncontrolled|open[- ]label|single[- ]arm)\b", re.I)),
                     ("randomized", _R(r"\brandom", re.I)),
                     ("controlled", _R(r"\b(?:placebo|controlled|active|saline|sham|comparator|"
                                       r"control)\b", re.I))]

_SINGLE = Gated(r"\bsingle[- ](?:\w+ ){0,2}?(?:doses?|infusions?|injections?|administrations?|"
                r"sessions?)\b|\bone (?:dose|infusion|injection)\b", "single|one ")
_REPEATED = Gated(r"\b(?:repeated(?:[- ]dose)?|maintenance|weekly|twice[- ]weekly|multiple (?:doses|"
                  r"infusions)|(?:two|three|four|five|six|seven|eight|nine|ten|twelve|\d+) (?:\w+ )?"
                  r"(?:infusions|doses|injections|sessions))\b",
                  "repeated|maintenance|weekly|multiple|infusions|doses|injections|sessions")
_DURATION = Gated(r"\b(?:for|over|after|at|up to|within)\s+(?:\d+|one|two|three|four|six|eight|"
                  r"twelve)[- ](?:hours?|days?|weeks?|months?|years?)\b", "hour|day|week|month|year")
_EARLY = Gated(r"\b(proof[- ]of[- ]concept|pilot|exploratory|feasibility|preliminary)\b",
               "concept|pilot|exploratory|feasibility|preliminary")
GATED = (_ANIMALS, _CELLS, _HEALTHY, _PATIENT_WORDS, _CONDITIONS, _VOLUNTEERS, _PEOPLE, _SAMPLE,
         _COUNT, _UNCONTROLLED, _RANDOMIZED, _CONTROLLED, _SINGLE, _REPEATED, _DURATION, _EARLY)


def _dosing_of(text: str, low: str | None) -> tuple[bool | None, str]:
    """(single dose?, the dosing and follow-up wording) of one field."""
    single, repeated = _SINGLE.search(text, low), _REPEATED.search(text, low)
    durations = _DURATION.pattern.finditer(text) if _DURATION.may(low) else ()
    said = [m.group(0) for m in (single, repeated) if m] + [m.group(0) for m in durations]
    flag = True if single and not repeated else False if repeated else None
    return flag, "; ".join(dict.fromkeys(said))


# ------------------------------------------------------------------ the entry

def _read_fields(ref: Reference) -> list[tuple[str, str]]:
    """(field name, text) of the fields evgrade reads, most telling first."""
    out = [("studydesign", ref.study_design), ("title", ref.title), ("abstract", ref.abstract),
           ("keywords", "; ".join(ref.keywords)), ("note", ref.note),
           ("annote", ref.fields.get("annote", ""))]
    return [(name, text) for name, text in out if text.strip()]


class _Facts:
    """Facts gathered field by field; the first field that tells a fact decides it."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.sources: dict[str, str] = {}
        self.problems: list[str] = []

    def set(self, fact: str, value: object, source: str) -> None:
        if fact not in self.values and value not in (None, "", ()):
            self.values[fact] = value
            self.sources[fact] = source


def _recorded(ref: Reference, facts: _Facts) -> None:
    """The ``evgrade-`` fields: a person's record, read first."""
    fields = ref.fields
    value = fields.get(FACT_FIELDS["population"], "").strip()
    if value:
        told = _population_of(value, folded(value)) or _named_population(value)
        if told is None:
            facts.problems.append(f"evgrade-population: cannot tell patients, healthy volunteers, "
                                  f"animals, cells or people from {value!r}")
        else:
            facts.set("population", told[0], FACT_FIELDS["population"])
        facts.set("population_text", value, FACT_FIELDS["population"])
    _recorded_n(fields.get(FACT_FIELDS["sample_size"], "").strip(), facts)
    _recorded_control(fields.get(FACT_FIELDS["control"], "").strip(), facts)
    follow = fields.get(FACT_FIELDS["follow_up"], "").strip()
    if follow:
        facts.set("follow_up", follow, FACT_FIELDS["follow_up"])
        facts.set("single_dose", _dosing_of(follow, folded(follow))[0], FACT_FIELDS["follow_up"])
    phase = fields.get(FACT_FIELDS["early_phase"], "").strip()
    facts.set("early_phase", phase, FACT_FIELDS["early_phase"])
    results, problems = recorded_results(fields.get(FACT_FIELDS["results"], ""), FACT_FIELDS["results"])
    facts.problems += problems
    facts.set("results", tuple(results), FACT_FIELDS["results"])


def _named_population(value: str) -> tuple[str, str] | None:
    """The class names themselves, as a person may write them ("cells", "healthy volunteers")."""
    m = re.search(r"\b(cells|tissue)\b", value, re.I)
    return ("cells", m.group(0)) if m else None


def _recorded_n(value: str, facts: _Facts) -> None:
    if not value:
        return
    digits = value.replace(",", "")
    if digits.isdigit() and int(digits) > 0:
        facts.set("sample_size", int(digits), FACT_FIELDS["sample_size"])
    else:
        facts.problems.append(f"evgrade-n: {value!r} is not a whole number of participants")


def _recorded_control(value: str, facts: _Facts) -> None:
    if not value:
        return
    for control, pattern in _RECORDED_CONTROL:
        if pattern.search(value):
            facts.set("control", control, FACT_FIELDS["control"])
            return
    facts.problems.append(f"evgrade-control: {value!r} is none of randomized, placebo, active, none")


def _read(fields: Iterable[tuple[str, str]], facts: _Facts, design: str) -> None:
    """Everything else, field by field in order of how telling it is."""
    primary = design in PRIMARY_DESIGNS
    told = facts.values  # each fact read only while no earlier field told it
    for name, text in fields:
        low = folded(text)
        if "population" not in told or "population_text" not in told:
            population = _population_of(text, low)
            if population:
                facts.set("population", population[0], name)
                facts.set("population_text", population[1], name)
        if "sample_size" not in told:
            facts.set("sample_size", _sample_of(text, low), name)
        if primary and "control" not in told:
            facts.set("control", _control_of(text, low), name)
        if "single_dose" not in told or "follow_up" not in told:
            single, dosing = _dosing_of(text, low)
            facts.set("single_dose", single, name)
            facts.set("follow_up", dosing, name)
        if "early_phase" not in told:
            early = _EARLY.search(text, low)
            facts.set("early_phase", early.group(0).lower() if early else "", name)
        if "results" not in told:
            facts.set("results", tuple(prose_results(text, name)), name)


_POPULATION_BY_DESIGN = {"preclinical": "animals", "healthy-volunteer-study": "healthy-volunteers"}


def entry_facts(ref: Reference, design: str = "unknown") -> EntryFacts:
    """The facts an entry records about its study; ``design`` (the entry's design call) fills
    in what no field says: a preclinical study studied animals, a trial's control."""
    facts = _Facts()
    _recorded(ref, facts)
    facts.set("control", _CONTROL_BY_DESIGN.get(design), "design")  # a trial's design says it
    _read(_read_fields(ref), facts, design)
    facts.set("population", _POPULATION_BY_DESIGN.get(design), "design")
    values = dict(facts.values)
    if values.get("population") == "animals" and \
            str(values.get("population_text", "")).lower() in _GENERIC_ANIMAL:
        values.pop("population_text")
    return EntryFacts(**values, sources=facts.sources, problems=tuple(facts.problems))  # type: ignore[arg-type]


__all__ = ["FACT_FIELDS", "PRIMARY_DESIGNS", "entry_facts"]
