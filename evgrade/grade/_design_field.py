"""An explicit design statement (the ``studydesign`` field) read as a design name.

A field is the bibliography author's own statement of the design ("randomized
controlled trial (double-blind, crossover; n=7)", "uncontrolled open study; not an
RCT"), not prose about a study, so it is read as a vocabulary: rules in a fixed
order, most specific first, the first that matches decides, and negated phrases
are blanked before matching. Free text (titles, abstracts) is weighed instead
(:mod:`._design_weigh`).
"""

from __future__ import annotations

import re

from .. import _patterns
from ..models import StudyDesign
from ._design_text import prepare

_HUMAN = _patterns.compile(r"\b(?:patients?|humans?|clinical|participants|volunteers|subjects|people|"
                    r"adults?|children|adolescents|outpatients|inpatients|in man|men|women)\b")

# (design, pattern); the first rule that matches decides. Patterns run on lower-cased
# text whose negated phrases are blanked; same length as the original so a match
# quotes the original wording.
_R = _patterns.compile
_RULES: list[tuple[StudyDesign, re.Pattern[str]]] = [
    ("meta-analysis", _R(r"\bmeta-?\s?analy[sz]\w*|\bmetaanaly[sz]\w*|\bpooled analysis\b")),
    ("systematic-review", _R(r"\bsystematic (?:literature )?review\b|\bcochrane review\b|"
                             r"\bumbrella review\b")),
    ("guideline", _R(r"\bguidelines?\b|\bconsensus\b|\bposition statement\b|"
                     r"\bpractice parameter\b|\brecommendations? (?:of|from) the\b")),
    ("healthy-volunteer-study", _R(r"\bhealthy (?:human )?(?:volunteers?|subjects|participants|"
                                   r"adults|men|women|controls only)\b|"
                                   r"\bhuman pharmacology\b|\bfirst[- ]in[- ](?:hu)?man\b|"
                                   r"\bphase (?:1|i)\b(?! ?/)")),
    ("case-report", _R(r"\bcase reports?\b|\breport of (?:a|one|two|three) cases?\b|"
                       r"\ba case of\b")),
    ("case-series", _R(r"\bcase series\b|\bchart review\b|\bretrospective (?:review|analysis) "
                       r"of (?:\d+ |consecutive )?(?:patients|cases)\b")),
    ("narrative-review", _R(r"\bnarrative review\b|\bliterature review\b|\breview of the "
                            r"literature\b|\bhistorical (?:review|commentary)\b|\bmini-?review\b|"
                            r"\bstate[- ]of[- ]the[- ]art review\b|\bcritical review\b|"
                            r"\bselective review\b|\bscoping review\b|\breview of\b|(?<=: )(?:an? )?review\b|"
                            r"\boverview\b")),
    ("randomized-controlled-trial", _R(r"(?<!non-)(?<!non )\brandomi[sz]ed\b|\brcts?\b|"
                                       r"\brandomly (?:assigned|allocated)\b")),
    ("open-label-trial", _R(r"\bopen[- ]?label\b|\bsingle[- ]arm\b|\b(?:un|non[- ]?)controlled\b|"
                            r"\bopen (?:trial|study)\b")),
    ("controlled-trial", _R(r"\bcontrolled (?:clinical )?(?:trial|study|experiment)\b|"
                            r"(?<!non-)(?<!non )(?<!well-)(?<!poorly )\bcontrolled\b"
                            r"(?! (?:substances?|drugs?|release|delivery|environment))|"
                            r"\bdouble[- ]blind\w*\b|"
                            r"\bsingle[- ]blind\w*\b|\bcross-?over (?:trial|study)\b|"
                            r"\bnon[- ]?randomi[sz]ed\b")),
    ("cohort-study", _R(r"\bcohort\b|\bprospective (?:study|follow-up|observational)\b|"
                        r"\blongitudinal (?:study|follow-up)\b|\bregistry\b|\bfollow-up study\b")),
    ("case-control-study", _R(r"\bcase-?control\b")),
    ("cross-sectional-study", _R(r"\bcross-?sectional\b|\bsurvey\b|\bprevalence study\b")),
    ("expert-opinion", _R(r"\beditorial\b|\bcommentary\b|\bopinion\b|\bperspective\b|"
                          r"\bviewpoint\b|\bletter\b|\bexpert panel\b|\bessay\b")),
    ("narrative-review", _R(r"\breviews?\b")),
]

_PRECLINICAL = _R(r"\bpre-?clinical\b|\banimals?\b|\brats?\b|\bmice\b|\bmouse\b|\bmurine\b|"
                  r"\brodents?\b|\bprimates?\b|\bzebrafish\b|\bin vitro\b|\bcell cultures?\b|"
                  r"\bcell lines?\b|\bex vivo\b|\bin rats\b|\bin mice\b")

def name_design(text: str) -> tuple[StudyDesign, str] | None:
    """The design a design statement names, and the words that named it."""
    if not text.strip():
        return None
    prepared = prepare(text)  # "not a conventional parallel or crossover RCT" is blanked
    human = _HUMAN.search(prepared)
    pre = _PRECLINICAL.search(prepared)
    if pre and not human:
        return "preclinical", text[pre.start():pre.end()]
    for design, pattern in _RULES:
        m = pattern.search(prepared)
        if m:
            return design, text[m.start():m.end()]
    if pre:  # animal wording next to human wording and nothing more specific
        return "preclinical", text[pre.start():pre.end()]
    return None


def classify_field(value: str) -> tuple[StudyDesign, str] | None:
    """An explicit design field: its head ("controlled trial" in "controlled trial (..., random
    point...); not an RCT") outranks the qualifiers that follow it."""
    head = re.split(r"[(;]", value, maxsplit=1)[0]
    return name_design(head) or name_design(value)
