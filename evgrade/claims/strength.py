"""How much a claim says: whom it is about, how strongly and how generally (docs/rubrics.md, "Certainty").

Read from the claim's text and cues alone, for grading to compare with the
evidence behind it:

* **population**: a claim naming animals or cells is about them; one naming
  healthy volunteers about them; one naming patients, people with an illness or
  sufferers is about patients, and so is every efficacy or safety claim (a
  treatment treats someone); anything else in a health text is about people.
* **population phrase**: what "patients with ..." or "people who have ..." names
  ("treatment-resistant depression"), to compare with whom a study enrolled.
* **strong wording**: words that state a finding as settled or general
  ("proven", "undeniable", "typically", "always", "ideal", "breakthrough", "cure"),
  and words that claim lasting effects ("long-term", "lasting", "for months").
* **qualified**: the claim limits itself ("some patients", "in one study", "a small
  trial", "preliminary", "proof-of-concept") or is hedged ("may", "is thought").
* **names weak evidence**: the claim itself says its evidence is preliminary,
  uncontrolled or from animals, so saying so again is no news.
* **general**: neither qualified nor a report of what was found: a sentence in
  the simple past ("ketamine produced a rapid response in ...") reports a study's
  result; one in the present ("ketamine is safe", "patients report relief") states
  what is true in general.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import _patterns
from ..models import Claim

_I = re.IGNORECASE
_ANIMALS = _patterns.compile(r"\b(?:rats?|mice|mouse|murine|rodents?|animals?|primates?|monkeys?|"
                      r"zebrafish|in vivo)\b", _I)
_CELLS = _patterns.compile(r"\b(?:in vitro|cell cultures?|cell lines?|cultured (?:\w+ )?cells|organoids?)\b", _I)
_HEALTHY = _patterns.compile(r"\bhealthy (?:\w+ )?(?:volunteers?|people|adults|subjects|participants|"
                      r"individuals|men|women)\b", _I)
_PEOPLE_NOUN = r"(?:patients?|people|persons?|individuals|adults|children|adolescents|teens|those|" \
               r"sufferers|men|women|veterans|participants)"
_PATIENTS = _patterns.compile(r"\b(?:patients?|sufferers|outpatients|inpatients|" + _PEOPLE_NOUN +
                       r" (?:with|who (?:have|suffer|are struggling)|suffering|diagnosed)|"
                       r"(?:depressed|anxious|ill|sick) (?:individuals|people|persons|adults))\b", _I)
_WITH = _patterns.compile(r"\b" + _PEOPLE_NOUN + r"\s+(?:with|suffering from|who (?:have|suffer from|are "
                   r"struggling with)|diagnosed with)\s+", _I)
_PHRASE_STOP = frozenset("""who which that after before when while than in at for by to from on
showed show shows had has have were was are is did do does experienced reported received receiving
responded improved can could may might will would but""".split())
_PHRASE_WORDS = 6

_STRONG = _patterns.compile(
    r"\b(?:(?:is|are|been|clinically|scientifically) proven|proven to|prove[sd]? (?:that|to)|undeniabl[ey]|definitely|definitive(?:ly)?|certainly|clearly|"
    r"conclusively|undoubtedly|without (?:a )?doubt|guarantee[sd]?|(?:is|are) known to|"
    r"well[- ]known|typically|always|never|invariably|consistently|reliably|universally|"
    r"all patients|every (?:patient|case)|everyone|in all cases|ideal|perfect|the best|"
    r"breakthrough|revolutionary|game[- ]changing|miracle|cures?|cured)\b", _I)
_DURABLE = _patterns.compile(r"\b(?:long[- ]term|long[- ]lasting|lasting|permanent(?:ly)?|sustained|durable|"
                      r"for (?:several |many |up to )?(?:weeks|months|years)|"
                      r"(?:weeks|months|years) (?:after|later)|(?:weeks|months) (?:to|or) (?:months|years))\b", _I)
_QUALIFIED = _patterns.compile(
    r"\b(?:some (?:patients|people|individuals|studies|cases|participants)|in some cases|a few|"
    r"(?:one|a single|a small|a pilot|an early|an open[- ]label) (?:study|trial)|preliminary|pilot|"
    r"proof[- ]of[- ]concept|early (?:studies|research|results|evidence|findings)|small (?:studies|"
    r"trials|study|trial)|in (?:mice|rats|animals|animal (?:studies|models)))\b", _I)
_WEAK_EVIDENCE = _patterns.compile(
    r"\b(?:preliminary|pilot|proof[- ]of[- ]concept|open[- ]label|uncontrolled|anecdotal|"
    r"case reports?|small (?:studies|trials|study|trial)|early (?:studies|research|results|evidence)|"
    r"animal (?:studies|models|research)|in (?:mice|rats|animals))\b", _I)
_PATIENT_KINDS = frozenset({"efficacy", "safety"})
_PAST = _patterns.compile(r"\b(?:produced|showed|found|reduced|improved|increased|decreased|led|yielded|"
                   r"resulted|caused|achieved|observed|reported|experienced|responded|relieved|"
                   r"healed|cured|lowered|raised|shortened|prevented|protected|helped|worked|"
                   r"treated|eased|alleviated|halved|doubled|had|was|were|did)\b", _I)
_PRESENT = _patterns.compile(r"\b(?:is|are|am|can|will|does|do|may|might|must|should|remains?|has|have|"
                      r"works?|helps?|treats?|relieves|reduces|improves|provides|causes|prevents|"
                      r"report|offers?|makes?)\b", _I)


@dataclass(frozen=True)
class ClaimReading:
    population: str                  # animals, cells, healthy-volunteers, patients or people
    population_phrase: str = ""      # what "patients with ..." names
    strong: tuple[str, ...] = ()     # settled or general wording, as written
    durable: tuple[str, ...] = ()    # wording that claims lasting effects
    qualified: bool = False          # limited or hedged
    names_weak_evidence: bool = False
    past_report: bool = False        # reports, in the simple past, what was found

    @property
    def general(self) -> bool:
        return not self.qualified and not self.past_report

    @property
    def about_people(self) -> bool:
        return self.population not in ("animals", "cells")

    @property
    def about_patients(self) -> bool:
        return self.population == "patients"


def _population(claim: Claim) -> str:
    text = claim.text
    if _ANIMALS.search(text):
        return "animals"
    if _CELLS.search(text):
        return "cells"
    if _HEALTHY.search(text):
        return "healthy-volunteers"
    if _PATIENTS.search(text) or claim.kind in _PATIENT_KINDS:
        return "patients"
    return "people"


def population_phrase(text: str) -> str:
    """The words after "patients with", "people who have" ...: whom the claim is about."""
    m = _WITH.search(text)
    if not m:
        return ""
    words: list[str] = []
    for raw in text[m.end():].split():
        word = raw.strip(".,;:!?()\"'")
        if not word or word.lower() in _PHRASE_STOP or len(words) == _PHRASE_WORDS:
            break
        words.append(word)
        if raw[-1:] in ".,;:!?)":
            break
    return " ".join(words)


def read_claim(claim: Claim) -> ClaimReading:
    """Whom a claim is about and how strongly it says it (see the module doc)."""
    text = claim.text
    strong = tuple(dict.fromkeys(m.group(0) for m in _STRONG.finditer(text)))
    durable = tuple(dict.fromkeys(m.group(0) for m in _DURABLE.finditer(text)))
    qualified = claim.hedged or any(c.kind == "hedge" for c in claim.cues) or bool(_QUALIFIED.search(text))
    return ClaimReading(population=_population(claim), population_phrase=population_phrase(text),
                        strong=strong, durable=durable, qualified=qualified,
                        names_weak_evidence=bool(_WEAK_EVIDENCE.search(text)),
                        past_report=bool(_PAST.search(text)) and not _PRESENT.search(text))


__all__ = ["ClaimReading", "population_phrase", "read_claim"]
