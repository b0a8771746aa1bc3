"""How far a claim's counted links support it, part by part (docs/rubrics.md, "Grading a claim").

A claim map can split a compound claim into parts, each with its own links, and
say of each link whether it supports the claim in full, in part, or contradicts
it. A part's grade is the best level, for the claim's kind, among its full-support
entries; partial support never lifts a grade on its own, and a contradicting entry
backs nothing. The claim's grade is that of its weakest required part. Links for
the whole claim (citations, and map keys outside any part) count for every part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..models import EntryAssessment, Link, PartGrade
from .rubric import Rubric


@dataclass
class ClaimSupport:
    """What a claim's counted links add up to."""

    parts: list[PartGrade] = field(default_factory=list)
    grade: str = ""
    weakest: PartGrade | None = None          # the required part that sets the grade
    supporting: list[EntryAssessment] = field(default_factory=list)  # full or partial, usable
    contradicting: list[EntryAssessment] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # key -> the map's note on its link

    def required(self) -> list[PartGrade]:
        return [p for p in self.parts if p.required]


def part_names(counted: Sequence[Link]) -> tuple[list[str], list[str]]:
    """(required parts, other parts) the claim map names for a claim, in order."""
    required: list[str] = []
    for link in counted:
        required += [p for p in link.parts if p not in required]
    optional = list(dict.fromkeys(l.part for l in counted if l.part and l.part not in required))
    return required, optional


def _usable(link: Link, assessments: Mapping[str, EntryAssessment]) -> EntryAssessment | None:
    a = assessments.get(link.key)
    return a if a is not None and a.exists and a.counts_as_evidence else None


def _grade_part(text: str, required: bool, links: Sequence[Link],
                assessments: Mapping[str, EntryAssessment], rubric: Rubric, kind: str) -> PartGrade:
    by_support: dict[str, list[str]] = {"full": [], "partial": [], "contradicts": []}
    levels = []
    for link in links:
        a = _usable(link, assessments)
        if a is None or link.key in by_support[link.support]:
            continue
        by_support[link.support].append(link.key)
        if link.support == "full":
            levels.append(a.level_for(kind))
    grade = min(levels, key=rubric.rank) if levels else rubric.lowest
    return PartGrade(text=text, required=required, grade=grade, full=tuple(by_support["full"]),
                     partial=tuple(by_support["partial"]),
                     contradicting=tuple(by_support["contradicts"]))


def _named_parts(counted: Sequence[Link]) -> list[tuple[str, bool]]:
    """(part text, required) to grade; the whole claim ("") when the map names no required part."""
    required, optional = part_names(counted)
    named = [(p, True) for p in required] + [(p, False) for p in optional]
    return named if required else [("", True), *named]


def _sort_entries(counted: Sequence[Link], assessments: Mapping[str, EntryAssessment],
                  out: ClaimSupport) -> None:
    """Supporting and contradicting entries, each once, in link order (an entry that supports one
    part and contradicts another is in both), and the map's note on each."""
    for link in counted:
        a = _usable(link, assessments)
        if a is None:
            continue
        target = out.contradicting if link.support == "contradicts" else out.supporting
        if all(x.key != a.key for x in target):
            target.append(a)
        if link.note:
            out.notes.setdefault(link.key, link.note)


def claim_support(kind: str, counted: Sequence[Link], assessments: Mapping[str, EntryAssessment],
                  rubric: Rubric) -> ClaimSupport:
    """Parts, grade and the entries that support or contradict the claim."""
    out = ClaimSupport(grade=rubric.lowest)
    if not counted:
        return out
    for text, is_required in _named_parts(counted):
        mine = [l for l in counted if l.part in (text, "")]
        out.parts.append(_grade_part(text, is_required, mine, assessments, rubric, kind))
    out.weakest = max(out.required(), key=lambda p: rubric.rank(p.grade))
    out.grade = out.weakest.grade
    _sort_entries(counted, assessments, out)
    return out


__all__ = ["ClaimSupport", "claim_support", "part_names"]
