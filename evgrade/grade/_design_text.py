"""Cut an entry's wording into passages that say where each sentence stands.

Where words are tells how much they say about the study itself: a design named in
the title or under a structured-abstract label such as METHODS or CASE PRESENTATION
describes this paper; the same words under BACKGROUND usually describe earlier
work. A passage is one title, one keyword list, or one sentence of the abstract,
with the structured label it sits under (if any) and its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .. import _patterns

Zone = Literal["title", "keywords", "abstract", "field"]
Role = Literal["title", "keywords", "design", "background", "aim", "results", "conclusion",
               "first", "last", "body"]

# how much a design cue in each role says about this paper
ROLE_WEIGHT: dict[str, float] = {
    "title": 2.5, "keywords": 1.5, "design": 1.6, "aim": 1.1, "first": 0.8, "body": 1.0,
    "last": 1.0, "results": 0.8, "conclusion": 0.8, "background": 0.4,
}

# structured-abstract labels: upper case ("METHODS:", "CASE PRESENTATION:") or one of the
# usual headings in title case ("Background:", "Materials and methods:")
_UPPER_LABEL = r"[A-Z][A-Z&/,\- ]*[A-Z]"
_WORD_LABEL = (r"(?:Background|Introduction|Context|Objectives?|Aims?|Purpose|Methods?|Design|"
               r"Study design|Setting|Participants|Patients|Subjects|Materials? and methods|"
               r"Patients and methods|Interventions?|Results?|Findings|Conclusions?|Discussion|"
               r"Interpretation|Case (?:presentation|report|description|summary)|Cases?|"
               r"Observations?|Data sources|Study selection|Data extraction|Data synthesis|"
               r"Evidence acquisition|Evidence synthesis|Search methods|Selection criteria|"
               r"Main outcome measures?|Limitations|Significance|Implications)"
               r"(?: (?:and|&) (?:aims?|objectives?|purpose|methods?|results?|conclusions?))?")
_LABEL = _patterns.compile(rf"(?:^|(?<=[.!?)\]] ))(?P<label>{_UPPER_LABEL}|{_WORD_LABEL}) ?:\s+")

# label wording -> role; the first rule that matches wins
_LABEL_ROLES: tuple[tuple[re.Pattern[str], Role], ...] = (
    (_patterns.compile(r"BACKGROUND|INTRODUCTION|CONTEXT|RELEVANCE|RATIONALE|IMPORTANCE"), "background"),
    (_patterns.compile(r"CASE|OBSERVATION|PRESENTATION|DESCRIPTION|METHOD|DESIGN|SETTING|PATIENT|"
                r"SUBJECT|PARTICIPANT|MATERIAL|PROCEDURE|INTERVENTION|ANIMAL|SAMPLE|SOURCE|"
                r"SELECTION|SEARCH|ELIGIBILITY|DATABASE|ACQUISITION|EXTRACTION|SYNTHESIS|"
                r"LEVEL OF EVIDENCE|AREAS COVERED"), "design"),
    (_patterns.compile(r"RESULT|FINDING|OUTCOME"), "results"),
    (_patterns.compile(r"CONCLUSION|DISCUSSION|INTERPRETATION|IMPLICATION|SIGNIFICANCE|COMMENT|"
                r"OPINION|LIMITATION|RELEVANCE"), "conclusion"),
    (_patterns.compile(r"OBJECTIVE|AIM|PURPOSE|GOAL"), "aim"),
)

# a sentence ends at . ! ? followed by space and a capital, digit or opening bracket;
# "e.g.", "vs.", "et al." and initials are not ends
_SENTENCE_END = _patterns.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bet al)(?<!\b[A-Z])"
                           r"[.!?](?=\s+[A-Z0-9\[(\"'‘“])")


@dataclass(frozen=True, slots=True)
class Passage:
    zone: Zone
    role: Role
    label: str      # the structured label this sentence sits under, upper case; "" if none
    text: str

    @property
    def weight(self) -> float:
        return ROLE_WEIGHT[self.role]


# a negation blanks the rest of its clause: "not a randomized trial", "no placebo arm"
_NEGATION = _patterns.compile(r"\b(?:not|no|never|without|neither|nor)\b[^;:,.()\[\]]*")
NEGATION_NEEDS = ("no", "ne", "without")  # one is in every negation word


def prepare(text: str) -> str:
    """Lower case, negated clauses blanked; same length so a match quotes the original."""
    low = text.lower().replace("pre-clinical", "preclinical ")
    if all(n not in low for n in NEGATION_NEEDS):  # no negation word: nothing to blank
        return low
    return _NEGATION.sub(lambda m: " " * len(m.group()), low)


def label_role(label: str) -> Role:
    upper = label.upper()
    for pattern, role in _LABEL_ROLES:
        if pattern.search(upper):
            return role
    return "body"


def _sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _sections(abstract: str) -> list[tuple[str, str]]:
    """(label, text) pieces of an abstract; one unlabelled piece when it has no labels."""
    marks = list(_LABEL.finditer(abstract))
    if not marks:
        return [("", abstract)]
    pieces = [("", abstract[:marks[0].start()])] if marks[0].start() else []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(abstract)
        pieces.append((m.group("label").strip().upper(), abstract[m.end():end]))
    return [(label, text) for label, text in pieces if text.strip() or label]


def abstract_passages(abstract: str) -> list[Passage]:
    """Each sentence of the abstract with its label and role. Labels are passages too
    (text = the label), so a label that names a design ("CASE REPORT:") counts."""
    out: list[Passage] = []
    if not abstract.strip():  # most entries: no label, no sentence
        return out
    sections = _sections(abstract)
    structured = any(label for label, _ in sections)
    for label, text in sections:
        role = label_role(label) if label else "body"
        if label:
            out.append(Passage("abstract", "design" if role == "design" else role, label, label))
        sentences = _sentences(text)
        for i, sentence in enumerate(sentences):
            r = role
            if not structured:
                r = "first" if i == 0 else "last" if i == len(sentences) - 1 else "body"
            out.append(Passage("abstract", r, label, sentence))
    return out


def title_passages(title: str) -> list[Passage]:
    return [Passage("title", "title", "", title)] if title.strip() else []


def keyword_passages(keywords: tuple[str, ...]) -> list[Passage]:
    return [Passage("keywords", "keywords", "", k) for k in keywords if k.strip()]
