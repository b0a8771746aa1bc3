"""Every bibliography entry with evgrade's judgement of it: what ``evgrade refs`` lists and
``evgrade annotate`` writes back.

A :class:`ReferenceRow` is one entry: who, when, where, its identifiers, the design
and what decided it, the rubric level, traceability, retraction status (when looked
up) and where it is cited. :func:`judgement_fields` turns a row into the
``evgrade-*`` fields of docs/reference-managers.md. The models live here rather
than in :mod:`evgrade.models` because only this view and its renderers use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

from .. import _patterns
from ..bib.reference import JUDGEMENT_FIELDS
from ..errors import UsageError
from ..link.usage import CitedAt
from ..models import DesignCall, EntryAssessment, Finding, Location, Model, Reference, Resolution
from .rubric import STUDY_DESIGNS, Rubric

__all__ = ["CHECKED_FIELD", "ReferenceList", "ReferenceRow", "RowFilter", "checked_value",
           "judgement_fields", "reference_row", "retraction_status"]

# "" = not looked up (no --resolve); "unknown" = looked up, but the record was not the
# entry's own work or could not be had
Retraction = Literal["", "none", "retracted", "expression-of-concern", "corrected", "unknown"]
CHECKED_FIELD = "evgrade-checked"


class ReferenceRow(Model):
    key: str
    entry_type: str = ""
    first_author: str = ""      # family name of the first author (or editor)
    authors: int = 0
    year: str = ""
    title: str = ""
    venue: str = ""
    identifiers: dict[str, str] = Field(default_factory=dict)  # valid ones, and "url" if any
    design: DesignCall
    level: str
    kind_levels: dict[str, str] = Field(default_factory=dict)  # claim kind -> level, where it differs
    traceable: bool
    reasons: tuple[str, ...] = ()
    retraction: Retraction = ""
    resolution: str = ""        # the lookup's verdict (verified, mismatch...); "" = not looked up
    cited: tuple[CitedAt, ...] = ()
    recorded: dict[str, str] = Field(default_factory=dict)  # its evgrade-* fields, as they are
    location: Location | None = None


class ReferenceList(Model):
    """What ``evgrade refs`` prints (and ``evgrade annotate`` writes): one row per entry."""

    version: str
    rubric: str
    levels: tuple[str, ...]     # rubric level names, best first
    date: str                   # the day it was made (ISO 8601), for evgrade-checked
    bibliographies: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()   # whose citations were looked for
    claim_map: str = ""
    usage_known: bool = False   # documents or a claim map were read: an empty `cited` means unused
    resolved: bool = False      # identifiers were looked up online
    entries: int = 0            # entries in the bibliography, before filters
    rows: tuple[ReferenceRow, ...] = ()
    findings: tuple[Finding, ...] = ()


# ------------------------------------------------------------------ one row

def retraction_status(resolution: Resolution | None) -> Retraction:
    """Retracted, expression of concern or corrected; "none" when the entry's own record
    was found without notices; "unknown" when it was not; "" when nothing was looked up."""
    if resolution is None:
        return ""
    if resolution.retracted:
        return "retracted"
    if resolution.status != "verified":
        return "unknown"
    kinds = {u.kind for u in resolution.updates}
    for kind, status in (("retraction", "retracted"), ("expression-of-concern",
                                                       "expression-of-concern"),
                         ("correction", "corrected")):
        if kind in kinds:
            return status  # type: ignore[return-value]
    return "none"


def _family(name: str) -> str:
    return name.split(",", 1)[0].strip()


def reference_row(ref: Reference, assessment: EntryAssessment,
                  cited: Iterable[CitedAt] = ()) -> ReferenceRow:
    assert assessment.design is not None  # an entry of the bibliography always has a design
    identifiers = dict(assessment.identifiers)
    if ref.url:
        identifiers["url"] = ref.url
    recorded = {name: ref.fields[name] for name in JUDGEMENT_FIELDS if name in ref.fields}
    resolution = assessment.resolution
    return ReferenceRow(
        key=ref.key, entry_type=ref.entry_type,
        first_author=_family(ref.authors[0]) if ref.authors else "", authors=len(ref.authors),
        year=ref.year, title=ref.title, venue=ref.venue, identifiers=identifiers,
        design=assessment.design, level=assessment.level, kind_levels=assessment.kind_levels,
        traceable=assessment.traceable,
        reasons=assessment.reasons, retraction=retraction_status(resolution),
        resolution=resolution.status if resolution else "", cited=tuple(cited),
        recorded=recorded, location=ref.location)


# ------------------------------------------------------------------ filters

@dataclass(frozen=True)
class RowFilter:
    """Which rows to keep; every condition given must hold."""

    levels: frozenset[str] = field(default_factory=frozenset)
    designs: frozenset[str] = field(default_factory=frozenset)
    untraceable: bool = False
    cited: bool = False

    def check(self, rubric: Rubric, usage_known: bool) -> None:
        """UsageError for a level or design that does not exist, or --cited without usage."""
        bad_levels = sorted(self.levels - set(rubric.level_names))
        if bad_levels:
            raise UsageError(f"--level: rubric {rubric.name!r} has no level "
                             f"{', '.join(map(repr, bad_levels))} (levels: "
                             f"{', '.join(rubric.level_names)})")
        bad_designs = sorted(self.designs - set(STUDY_DESIGNS))
        if bad_designs:
            raise UsageError(f"--design: unknown design {', '.join(map(repr, bad_designs))} "
                             f"(designs: {', '.join(STUDY_DESIGNS)})")
        if self.cited and not usage_known:
            raise UsageError("--cited needs the documents that cite the entries (ARTICLE...) "
                             "or a claim map (--map)")

    def keeps(self, row: ReferenceRow) -> bool:
        return ((not self.levels or row.level in self.levels)
                and (not self.designs or row.design.design in self.designs)
                and (not self.untraceable or not row.traceable)
                and (not self.cited or bool(row.cited)))


# ------------------------------------------------------------------ write-back

_UNSAFE = _patterns.compile(r"[^\w .,:;()'/+=<>!?%-]+")


def _evidence(text: str) -> str | None:
    """The deciding words, reduced to characters that read back the same from a .bib
    field (no braces, backslashes, tildes, dollars; no ``--`` or doubled quotes)."""
    text = _UNSAFE.sub(" ", text).replace("%", " percent")
    text = re.sub(r"-{2,}", "-", re.sub(r"'{2,}", "'", text))
    text = " ".join(text.split())[:80].strip()
    return text or None


def judgement_fields(row: ReferenceRow) -> dict[str, str | None]:
    """evgrade's judgement of ``row`` as ``evgrade-*`` fields, in the order they are written
    (``evgrade-checked`` excepted: it says when, and is added by whoever writes). None means
    the field should not be there. ``evgrade-retraction`` only when it was looked up."""
    d = row.design
    fields: dict[str, str | None] = {
        "evgrade-design": d.design,
        "evgrade-design-source": d.source,
        "evgrade-design-confidence": f"{d.confidence:.2f}",
        # a design taken from the entry's own field needs no quote of it
        "evgrade-design-evidence": None if d.source == "field" else _evidence(d.evidence),
        "evgrade-level": row.level,
        "evgrade-traceable": "yes" if row.traceable else "no",
    }
    if row.retraction:
        fields["evgrade-retraction"] = row.retraction
    return fields


def checked_value(date: str, rubric: str) -> str:
    """What ``evgrade-checked`` holds: the day and the rubric the judgement was made with."""
    return f"{date}; rubric {rubric}"
