"""Grade stage: assess each cited entry, then grade each claim against the rubric.

An entry's *level* comes from its study design; its *traceability* from a
persistent identifier of valid syntax and, when looked up online, a verified
record. A claim's grade is the best level among the entries it is linked to by
a citation or the claim map; suggested links are shown but never counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import _findings as catalogue
from ..bib.identifiers import invalid_identifiers, persistent_identifiers
from ..models import (
    CLAIM_KINDS,
    ArticleSummary,
    Claim,
    DesignCall,
    EntryAssessment,
    Finding,
    GradedClaim,
    Link,
    Reference,
    ReferenceSummary,
    Resolution,
    Span,
)
from .designs import choose_design, detect_design
from .flags import claim_flags
from .rubric import Rubric

COUNTED_VIA = ("citation", "map")

REASON_MISSING = "not in the bibliography"
REASON_NO_ID = "no persistent identifier (DOI, PMID, PMCID, arXiv id or ISBN)"
REASON_RETRACTED = "retracted"
REASON_UNVERIFIED = "could not verify online"
_REASON_INVALID = "invalid {kind}: {value!r}"
_RESOLUTION_REASONS = {
    "mismatch": "identifier resolves to a different work",
    "not-found": "identifier not found online",
}
_ID_NAMES = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID", "arxiv": "arXiv id", "isbn": "ISBN"}
_SHORT_VENUE_FIELDS = ("shortjournal", "journalabbrev", "journal-abbrev", "journal_abbrev")


def _summary(ref: Reference) -> ReferenceSummary:
    """The facts a reference list shows (the report keeps no whole Reference)."""
    short = next((ref.fields[f] for f in _SHORT_VENUE_FIELDS if ref.fields.get(f)), "")
    return ReferenceSummary(entry_type=ref.entry_type, authors=ref.authors, title=ref.title,
                            year=ref.year, venue=ref.venue, venue_short=short, url=ref.url)


# ------------------------------------------------------------------ entries

def _design_for(ref: Reference, resolution: Resolution | None,
                design: DesignCall | None) -> DesignCall:
    if design is None and resolution is not None:
        from ..resolve import design_from_resolution  # lazy: the resolver pulls in HTTP libraries
        design = design_from_resolution(resolution)
    return choose_design([design, detect_design(ref)])


def assess_entry(key: str, ref: Reference | None, rubric: Rubric, *,
                 resolution: Resolution | None = None,
                 design: DesignCall | None = None) -> EntryAssessment:
    """Level, traceability and usability of one bibliography entry.

    ``design`` is an authoritative call from outside (usually PubMed's publication
    type); it wins over the entry's own wording unless it is less authoritative
    (see :data:`evgrade.designs.AUTHORITY`).
    """
    if ref is None:
        return EntryAssessment(key=key, exists=False, level=rubric.lowest, traceable=False,
                               reasons=(REASON_MISSING,), counts_as_evidence=False,
                               resolution=resolution)
    call = _design_for(ref, resolution, design)
    valid = persistent_identifiers(ref)
    reasons: list[str] = [_REASON_INVALID.format(kind=_ID_NAMES.get(k, k), value=v)
                          for k, v in invalid_identifiers(ref).items()]
    if not valid:
        reasons.append(REASON_NO_ID)
    traceable = bool(valid)
    counts = True
    if resolution is not None:
        if resolution.status in _RESOLUTION_REASONS:
            traceable = False
            reasons.append(_RESOLUTION_REASONS[resolution.status])
        elif resolution.status == "unverified":
            reasons.append(REASON_UNVERIFIED)  # the offline verdict stands
        if resolution.retracted:  # set only from records that are the entry's own work
            counts = False
            reasons.append(REASON_RETRACTED)
    return EntryAssessment(key=key, exists=True, design=call, level=rubric.level_for(call.design),
                           traceable=traceable, identifiers=valid, reasons=tuple(reasons),
                           counts_as_evidence=counts, resolution=resolution,
                           reference=_summary(ref))


def _invalid_reasons(a: EntryAssessment) -> list[str]:
    return [r for r in a.reasons if r.startswith("invalid ")]


# ------------------------------------------------------------------- claims

_CUE_PRIORITY = ("percent", "number", "comparison", "venue", "institution", "researcher",
                 "study-reference", "vague-attribution", "hedge")


def main_cue(claim: Claim) -> str:
    """The cue that best explains why the sentence is a claim ("70%" over "may")."""
    for kind in _CUE_PRIORITY:
        for cue in claim.cues:
            if cue.kind == kind:
                return cue.text
    return claim.cues[0].text if claim.cues else ""


def _citation_span(claim: Claim, link: Link) -> Span:
    if link.via == "citation":
        for c in claim.citations:
            if c.key == link.key:
                return c.span
    return claim.span


def _describe(a: EntryAssessment) -> str:
    design = a.design.design if a.design else "unknown design"
    return f"{a.key}, {design}"


class _Notes:
    """The findings of one claim, collected while grading it."""

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        self.findings: list[Finding] = []

    def emit(self, code: str, message: str, span: Span, key: str = "") -> None:
        self.findings.append(catalogue.make(code, message, path=self.claim.article, span=span,
                                            claim_id=self.claim.id, key=key))


def _counted_links(mine: Sequence[Link]) -> list[Link]:
    """Citation and map links, one per key, in order."""
    counted: list[Link] = []
    for link in mine:
        if link.via in COUNTED_VIA and all(link.key != c.key for c in counted):
            counted.append(link)
    return counted


def _check_link(link: Link, a: EntryAssessment | None, notes: _Notes) -> EntryAssessment | None:
    """EV101-EV103 for one counted link; the entry's assessment when it exists."""
    span = _citation_span(notes.claim, link)
    if a is None or not a.exists:
        where = "cites" if link.via == "citation" else "is mapped to"
        notes.emit("EV101", f"claim {where} unknown key '{link.key}'", span, link.key)
        return None
    invalid = _invalid_reasons(a)
    for reason in invalid:
        notes.emit("EV103", f"entry '{a.key}' has an {reason}", span, a.key)
    if not a.identifiers and not invalid:
        notes.emit("EV102", f"entry '{a.key}' has no DOI, PMID, PMCID, arXiv id or ISBN", span, a.key)
    return a


def _check_support(claim: Claim, counted: Sequence[Link], cited: Sequence[EntryAssessment],
                   best: EntryAssessment | None, rubric: Rubric, notes: _Notes) -> None:
    """EV201 (no citation) or EV202 (below the kind's minimum)."""
    minimum = rubric.minimum_for(claim.kind)
    grade = best.level if best is not None else rubric.lowest
    if not counted and rubric.needs_citation(claim.kind):
        cue = main_cue(claim)
        notes.emit("EV201", f"{claim.kind} without citation" + (f" (cue: {cue!r})" if cue else ""),
                   claim.span)
    elif cited and not rubric.at_least(grade, minimum):
        if best is not None:
            what = f"cites only {grade}-level evidence (best: {_describe(best)}; needs {minimum})"
        else:
            what = f"cites no usable evidence (needs {minimum})"
        notes.emit("EV202", f"{claim.kind} claim {what}", claim.span, best.key if best else "")


def _check_named_source(claim: Claim, counted: Sequence[Link], traceable: bool,
                        notes: _Notes) -> None:
    """EV203: the claim names a source but nothing traceable backs it."""
    source = claim.named_source
    if source is not None and not traceable:
        name = source.name or source.text
        tail = "cites nothing" if not counted else "cites only untraceable entries"
        notes.emit("EV203", f"names {name}, {tail}", claim.span)


def _suggestion_findings(suggested: Sequence[Link], notes: _Notes) -> None:
    """EV204 per suggested link (no flag: the keys column shows suggestions)."""
    for link in suggested:
        detail = f": {link.reason}" if link.reason else ""
        score = f" (score {link.score:.2f})" if link.score is not None else ""
        notes.emit("EV204", f"suggested source '{link.key}'{detail}{score}; not counted",
                   notes.claim.span, link.key)


def grade_claim(claim: Claim, links: Sequence[Link], assessments: Mapping[str, EntryAssessment],
                rubric: Rubric) -> tuple[GradedClaim, list[Finding]]:
    """Grade one claim from its links; return it with the findings it raises."""
    mine = [l for l in links if l.claim_id == claim.id]
    counted = _counted_links(mine)
    notes = _Notes(claim)
    cited = [a for link in counted
             if (a := _check_link(link, assessments.get(link.key), notes)) is not None]
    evidence = [a for a in cited if a.counts_as_evidence]  # existing, usable entries
    best = min(evidence, key=lambda a: rubric.rank(a.level)) if evidence else None
    grade = best.level if best is not None else rubric.lowest
    minimum = rubric.minimum_for(claim.kind)
    # traceable to evidence: a retracted work can be found, but it backs nothing
    traceable = any(a.traceable for a in evidence)
    _check_support(claim, counted, cited, best, rubric, notes)
    _check_named_source(claim, counted, traceable, notes)
    _suggestion_findings([l for l in mine if l.via == "suggested"], notes)
    flags = claim_flags(notes.findings, [link.key for link in counted], assessments, minimum)
    graded = GradedClaim(claim=claim, links=tuple(mine), grade=grade, minimum=minimum,
                         meets_minimum=rubric.at_least(grade, minimum), traceable=traceable,
                         flags=flags)
    return graded, notes.findings


# ---------------------------------------------------------------- summaries

def summarize(graded: Sequence[GradedClaim], rubric: Rubric) -> ArticleSummary:
    """Counts per level and kind (every level and kind present, zeros included)."""
    by_grade = {name: 0 for name in rubric.level_names}
    by_kind = {kind: 0 for kind in CLAIM_KINDS}
    for g in graded:
        by_grade[g.grade] = by_grade.get(g.grade, 0) + 1
        by_kind[g.claim.kind] = by_kind.get(g.claim.kind, 0) + 1
    traceable = sum(1 for g in graded if g.traceable)
    n = len(graded)
    return ArticleSummary(claims=n, by_grade=by_grade, by_kind=by_kind, traceable=traceable,
                          traceable_share=traceable / n if n else 0.0)
