"""Grade stage: assess each cited entry, then grade each claim against the rubric.

An entry's *level* comes from its study design (for each claim kind, by the
kind's ladder); its *traceability* from a persistent identifier of valid syntax
and, when looked up online, a verified record; its *facts* from its fields. A
claim's grade is that of its weakest required part, each part graded by the best
level among its full-support entries linked by a citation or the claim map
(:mod:`.support`); suggested links are shown but never counted. Then the checks
of the evidence against the claim (:mod:`.mismatch`, :mod:`.sourcecheck`) and its
certainty (:mod:`.certainty`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..bib.identifiers import invalid_identifiers, persistent_identifiers
from ..claims.strength import read_claim
from ..link.facts import entry_facts
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
from ._notes import Notes
from .certainty import check_strength, claim_certainty
from .designs import choose_design, detect_design
from .flags import claim_flags
from .mismatch import check_mismatch
from .rubric import Rubric
from .sourcecheck import check_named_source, figure_checks
from .support import ClaimSupport, claim_support

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
                           kind_levels=rubric.kind_levels(call.design), traceable=traceable,
                           identifiers=valid, reasons=tuple(reasons), counts_as_evidence=counts,
                           resolution=resolution, reference=_summary(ref),
                           facts=entry_facts(ref, call.design))


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


def _counted_links(mine: Sequence[Link]) -> list[Link]:
    """Citation and map links in order, one per key and part."""
    counted: list[Link] = []
    for link in mine:
        if link.via in COUNTED_VIA and all((link.key, link.part) != (c.key, c.part) for c in counted):
            counted.append(link)
    return counted


def _check_link(link: Link, a: EntryAssessment | None, kind: str,
                notes: Notes) -> EntryAssessment | None:
    """EV101-EV103 and EV215 for one counted link; the entry's assessment when it exists."""
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
    if a.design is None or a.design.design == "unknown":
        notes.emit("EV215", f"entry '{a.key}' is of unknown design; counted at the rubric's level "
                            f"for unknown designs ({a.level_for(kind)})", span, a.key)
    return a


def _part_label(support: ClaimSupport) -> str:
    part = support.weakest.text if support.weakest else ""
    return f" (part '{part}')" if part else ""


def _check_support(claim: Claim, counted: Sequence[Link], cited: bool, support: ClaimSupport,
                   rubric: Rubric, notes: Notes) -> None:
    """EV201 (no citation), EV202 (below the kind's minimum; not when no cited key exists)."""
    minimum = rubric.minimum_for(claim.kind)
    if not counted:
        if rubric.needs_citation(claim.kind):
            cue = main_cue(claim)
            notes.emit("EV201", f"{claim.kind} without citation" +
                       (f" (cue: {cue!r})" if cue else ""), claim.span)
        return
    if not cited or rubric.at_least(support.grade, minimum):
        return
    weakest = support.weakest
    best = [a for a in support.supporting if weakest and a.key in weakest.full]
    label = _part_label(support)
    if best:
        top = min(best, key=lambda a: rubric.rank(a.level_for(claim.kind)))
        what = (f"cites only {support.grade}-level evidence{label} "
                f"(best: {_describe(top)}; needs {minimum})")
    elif support.supporting:
        what = f"is not fully supported by any cited entry{label} (needs {minimum})"
    else:
        what = f"cites no usable evidence (needs {minimum})"
    notes.emit("EV202", f"{claim.kind} claim {what}", claim.span, best[0].key if best else "")


def _check_parts(support: ClaimSupport, notes: Notes) -> None:
    """EV205 (partial support only), EV207 (an unsupported part), EV206 (contradicting entries)."""
    for part in support.required():
        where = f"its part '{part.text}'" if part.text else "it"
        if not part.full and part.partial:
            for key in part.partial:
                note = support.notes.get(key, "")
                notes.emit("EV205", f"{key} supports {where} only in part" +
                           (f" ({note})" if note else "") + "; partial support never lifts the grade",
                           key=key)
        elif not part.full and part.text:
            notes.emit("EV207", f"unsupported part: '{part.text}' has no supporting entry")
    for a in support.contradicting:
        note = support.notes.get(a.key, "")
        notes.emit("EV206", f"{a.key} contradicts the claim" + (f" ({note})" if note else ""),
                   key=a.key)


def _check_named_source(claim: Claim, counted: Sequence[Link], traceable: bool,
                        notes: Notes) -> None:
    """EV203: the claim names a source but nothing traceable backs it."""
    source = claim.named_source
    if source is not None and not traceable:
        name = source.name or source.text
        tail = "cites nothing" if not counted else "cites only untraceable entries"
        notes.emit("EV203", f"names {name}, {tail}", claim.span)


def _suggestion_findings(suggested: Sequence[Link], notes: Notes) -> None:
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
    suggested = [l for l in mine if l.via == "suggested"]
    notes = Notes(claim)
    keys = list(dict.fromkeys(link.key for link in counted))
    first = [next(l for l in counted if l.key == key) for key in keys]  # each key's first link
    cited = [a for link in first
             if (a := _check_link(link, assessments.get(link.key), claim.kind, notes)) is not None]
    support = claim_support(claim.kind, counted, assessments, rubric)
    reading = read_claim(claim)
    minimum = rubric.minimum_for(claim.kind)
    # traceable to evidence: a retracted work can be found, but it backs nothing
    traceable = any(a.traceable for a in support.supporting)
    _check_support(claim, counted, bool(cited), support, rubric, notes)
    _check_parts(support, notes)
    check_mismatch(claim.kind, reading, support.supporting, rubric.small_study, notes)
    certainty = claim_certainty(claim.kind, reading, support, rubric.small_study)
    check_strength(reading, certainty, notes)
    figures = figure_checks(claim.text, support.supporting + support.contradicting, notes)
    _check_named_source(claim, counted, traceable, notes)
    check_named_source(suggested, notes)
    _suggestion_findings(suggested, notes)
    flags = claim_flags(notes.findings, keys, assessments, minimum)
    graded = GradedClaim(claim=claim, links=tuple(mine), grade=support.grade, minimum=minimum,
                         meets_minimum=rubric.at_least(support.grade, minimum), traceable=traceable,
                         flags=flags, parts=tuple(support.parts),
                         contradicting=tuple(a.key for a in support.contradicting),
                         figures=tuple(figures), certainty=certainty)
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
