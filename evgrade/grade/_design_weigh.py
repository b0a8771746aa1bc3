"""Weigh the design cues of an entry's passages into one call with a confidence.

Every cue found adds its strength, scaled by

- where it stands (:data:`._design_text.ROLE_WEIGHT`: the title and a METHODS or
  CASE PRESENTATION section count most, a BACKGROUND section least);
- whom it describes: in a clause that speaks of other or earlier work ("previous
  trials", "preclinical data suggest", "has been reported", "are needed") it counts a
  quarter; in a sentence that speaks of this paper ("we", "this review", "here") a
  third more.

Designs are grouped in families (trials, reviews, cases, observational studies);
the family with the most weight wins and the most specific member that has a cue
of its own is chosen (a randomized double-blind study is an RCT, not just a
controlled trial). Who was studied is weighed apart: animal or cell wording with
no people studied makes the work preclinical, but never a review's or a case's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .. import _patterns
from ..models import StudyDesign
from ._design_cues import ANIMAL, HUMAN, HUMAN_KEYWORD, HUMAN_TITLE, Cue, Words, possible, present
from ._design_text import Passage, prepare

# the clause around a cue speaks of other, earlier or future work
_WORKS = r"(?:studies|trials|reports|data|evidence|reviews|analyses|experiments|findings|work|cases)"
_OTHER = _patterns.compile(
    r"\b(?:previous(?:ly)?|prior|earlier|former|(?:have|has|had) been|literature|"
    r"reported (?:in|by)|et al|is known|are known|is thought|future|warrant\w*|needed|"
    r"required|should be|unlike|in contrast to|according to|recent(?:ly)?)\b|"
    rf"\b{_WORKS} (?:\w+ )?(?:suggest|show|indicate|demonstrate|support|report|found|showed|"
    r"revealed|confirm)\w*|"
    rf"\b(?:few|many|most|several|numerous|various|other|further|more|additional|larger|"
    rf"large|existing|published|available) (?:\w+ )?{_WORKS}\b")
# the sentence speaks of this paper
_SELF = Words(_patterns.compile(r"\b(?:we|our|us|here(?:in)?|this (?:study|trial|report|review|article|"
                         r"paper|analysis|work|case)|the present|the current (?:study|report|"
                         r"review)|in this|the authors?)\b"),
              ("we", "our", "us", "here", "this", "the present", "the current", "the author"))
_CLAUSE = _patterns.compile(r"[;:()\[\]]|, (?:which|that|while|whereas|although|but)\b|"
                     r"\b(?:whereas|although|while|but)\b")

FAMILIES: dict[str, tuple[StudyDesign, ...]] = {
    "trial": ("randomized-controlled-trial", "controlled-trial", "open-label-trial"),
    "review": ("meta-analysis", "systematic-review", "narrative-review"),
    "case": ("case-report", "case-series"),
    "observational": ("cohort-study", "case-control-study", "cross-sectional-study"),
    "guideline": ("guideline",),
    "opinion": ("expert-opinion",),
    "volunteers": ("healthy-volunteer-study",),
}
_FAMILY_OF = {d: f for f, ds in FAMILIES.items() for d in ds}
# a member is chosen over the family's strongest when its own cues reach this weight
_SPECIFIC = 2.0
MIN_SCORE = 2.0        # below it nothing is called
POPULATION = 2.5       # the weight of one mention of who was studied, as strong as a design cue


@dataclass(frozen=True, slots=True)
class Hit:
    design: StudyDesign
    weight: float
    words: str           # the original wording
    passage: Passage


@dataclass
class Weighing:
    scores: dict[str, float] = field(default_factory=dict)
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    animal: float = 0.0
    human: float = 0.0
    animal_words: str = ""
    animal_zone: str = ""
    title_animal: bool = False

    def add(self, hit: Hit) -> None:
        self.scores[hit.design] = self.scores.get(hit.design, 0.0) + hit.weight
        self.hits.setdefault(hit.design, []).append(hit)


def _clause(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE.finditer(text, end)), len(text))
    return text[left:right]


def _context(prepared: str, start: int, end: int, self_ref: bool) -> float:
    clause = _clause(prepared, start, end)
    if _OTHER.search(clause) and not _SELF.search(clause):
        return 0.25
    return 1.3 if self_ref else 1.0


_ABOUT_OTHER = Words(_patterns.compile(r"^(?:commentary|comment|comments|reply|response|letter|re(?!-)|"
                                r"in reply|a reply)\b[^:]{0,40}(?::|\bon\b|\bto\b|"
                                r"\bregarding\b)|\b(?:comment(?:ary)? on|reply to|response to|"
                                r"regarding)\b"), ("comment", "letter", "re"))


def _cue_weight(cue: Cue, p: Passage, prepared: str, m: re.Match[str], self_ref: bool) -> float:
    if cue.narrative and p.role != "results":  # tells this paper's own case wherever it stands
        return cue.strength * max(p.weight, 1.0)
    if p.zone != "abstract":  # a title, keyword or section names this paper
        return cue.strength * p.weight
    return cue.strength * p.weight * _context(prepared, m.start(), m.end(), self_ref)


def _read_passage(p: Passage, prepared: str, cues: Sequence[Cue], out: Weighing) -> None:
    """Weigh the ``cues`` that are not :meth:`Cue.absent` from ``prepared`` (:func:`weigh` picks them)."""
    about_other = _ABOUT_OTHER.search(prepared) if p.zone == "title" else None
    self_ref = bool(_SELF.search(prepared))
    best: dict[str, Hit] = {}
    for cue in cues:
        if cue.title_only and p.zone == "abstract":
            continue
        m = cue.pattern.search(prepared)
        if not m:
            continue
        w = _cue_weight(cue, p, prepared, m, self_ref)
        if about_other and m.start() >= about_other.end():
            w *= 0.2  # "Commentary on: a randomised trial of ...": the trial is another paper
        if cue.design not in best or w > best[cue.design].weight:
            best[cue.design] = Hit(cue.design, w, p.text[m.start():m.end()], p)
    for hit in best.values():
        out.add(hit)
    _read_population(p, prepared, out)


def _read_population(p: Passage, prepared: str, out: Weighing) -> None:
    a = ANIMAL.search(prepared)
    h = HUMAN.search(prepared) or (HUMAN_TITLE.search(prepared) if p.zone == "title" else None)
    if a:
        w = POPULATION * p.weight * _context(prepared, a.start(), a.end(), False)
        if w > 0.5 * POPULATION * p.weight and not out.animal_words:
            out.animal_words, out.animal_zone = p.text[a.start():a.end()], p.zone
        out.animal += w
        out.title_animal |= p.zone == "title" and not h
    if p.zone == "keywords" and HUMAN_KEYWORD.match(p.text.strip()):
        out.human += POPULATION * p.weight
    elif h and p.role not in ("background", "first"):  # whom this study enrolled
        out.human += POPULATION * p.weight * _context(prepared, h.start(), h.end(), False)


def weigh(passages: Iterable[Passage]) -> Weighing:
    out = Weighing()
    texts = [(p, prepare(p.text)) for p in passages]
    whole = "\n".join(t for _, t in texts)
    found = present(whole)  # most cues cannot match anywhere: skip them
    for p, prepared in texts:  # a string in a passage is in the whole: look only for those found
        _read_passage(p, prepared, possible(found if len(texts) == 1 else present(prepared, found)),
                      out)
    return out


@dataclass(frozen=True, slots=True)
class Verdict:
    design: StudyDesign
    confidence: float
    evidence: str
    hits: tuple[Hit, ...]     # the cues that decided, strongest first
    zone: str                 # where the strongest of them stands


def _member(family: str, scores: dict[str, float]) -> StudyDesign:
    members = FAMILIES[family]
    if family == "case":  # several cases make a series only when the series outweighs them
        return max(members, key=lambda d: scores.get(d, 0.0))
    for d in members:     # most specific first
        if scores.get(d, 0.0) >= _SPECIFIC:
            return d
    return max(members, key=lambda d: scores.get(d, 0.0))


def _family_scores(scores: dict[str, float]) -> dict[str, float]:
    fam: dict[str, float] = {}
    for design, s in scores.items():
        f = _FAMILY_OF[design]
        fam[f] = fam.get(f, 0.0) + s
    if "volunteers" in fam and "trial" in fam and fam["trial"] >= _SPECIFIC:
        fam["trial"] += fam.pop("volunteers")  # a trial in healthy people is still a trial
    return fam


def _evidence(hits: Sequence[Hit]) -> str:
    """The two strongest cues with where they stand: "randomly assigned (methods); randomized
    (title)"; the title needs no place."""
    places: dict[str, list[str]] = {}
    for h in hits:
        where = (h.passage.label or h.passage.zone).lower()
        spots = places.setdefault(h.words.lower(), [])
        if where not in spots and len(spots) < 2:
            spots.append(where)
        if len(places) > 2:
            del places[h.words.lower()]
            break
    words = {h.words.lower(): h.words for h in reversed(hits)}
    parts = []
    for low, spots in places.items():
        plain = spots == ["title"] or spots == [low]  # a label that names a design: "CASE REPORT"
        parts.append(words[low] if plain else f"{words[low]} ({', '.join(spots)})")
    return "; ".join(parts)


def _preclinical(w: Weighing, family: str | None, best: float) -> bool:
    if w.animal < _SPECIFIC or w.human > 0.4 * w.animal:
        return False
    if family == "trial" and best >= w.animal and w.human > 0:
        return False  # a trial that enrols any people is a human trial
    if family in ("review", "opinion", "guideline", "case") and best >= w.animal:
        return w.title_animal  # a review *of* animal work, named so in its title
    return True


def decide(w: Weighing) -> Verdict | None:
    """The call the weighing supports, or None when nothing reaches :data:`MIN_SCORE`."""
    fam = _family_scores(w.scores)
    ranked = sorted(fam.items(), key=lambda kv: -kv[1])
    family, best = ranked[0] if ranked else (None, 0.0)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if _preclinical(w, family, best):
        conf = w.animal / (w.animal + w.human + (best if family != "trial" else 0) + 2.0)
        return Verdict("preclinical", round(conf, 2), w.animal_words, (), w.animal_zone)
    if family is None or best < MIN_SCORE:
        return None
    design = _member(family, w.scores)
    hits = tuple(sorted(w.hits[design], key=lambda h: -h.weight))
    return Verdict(design, round(best / (best + second + 2.0), 2), _evidence(hits), hits,
                   hits[0].passage.zone)
