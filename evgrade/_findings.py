"""The catalogue of finding codes.

Codes are stable: once published a code keeps its meaning, and a retired code
is never reused. ``docs/findings.md`` documents each one and a test checks that
the page and this table agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # "evgrade codes" lists the table without loading pydantic
    from .models import Finding, Severity, Span


class FindingSpec(NamedTuple):
    code: str
    name: str
    severity: Severity
    summary: str


_SPECS = [
    # citations and bibliography entries
    FindingSpec("EV101", "unknown-citation-key", "error",
                "A citation (or claim-map link) names a key that is not in the bibliography."),
    FindingSpec("EV102", "entry-without-identifier", "warning",
                "A cited entry carries no persistent identifier (DOI, PMID, PMCID, arXiv id, ISBN), "
                "so a reader cannot trace it."),
    FindingSpec("EV103", "invalid-identifier", "warning",
                "A cited entry has an identifier field whose syntax is not valid."),
    # claims
    FindingSpec("EV201", "claim-without-citation", "warning",
                "A claim whose kind needs evidence under the rubric has no linked entry."),
    FindingSpec("EV202", "evidence-below-minimum", "warning",
                "A claim's best linked evidence is below the rubric minimum for its kind."),
    FindingSpec("EV203", "untraceable-attribution", "warning",
                "A claim names a source (journal, institution, researcher) but links to no traceable entry."),
    FindingSpec("EV204", "suggested-source", "info",
                "An entry in the bibliography matches a claim's named source; it is offered, not counted."),
    FindingSpec("EV205", "partial-support", "warning",
                "A required part of a claim rests only on entries that support it in part; partial "
                "support never lifts the grade."),
    FindingSpec("EV206", "contradicting-source", "warning",
                "A linked entry's findings go against the claim."),
    FindingSpec("EV207", "unsupported-part", "warning",
                "A required part of a compound claim has no supporting entry."),
    FindingSpec("EV208", "animal-evidence-for-people", "warning",
                "A claim about people rests only on animal or cell studies."),
    FindingSpec("EV209", "healthy-volunteers-for-patients", "warning",
                "A claim about patients rests only on studies in healthy volunteers."),
    FindingSpec("EV210", "uncontrolled-efficacy", "warning",
                "An efficacy claim rests only on studies without a control group."),
    FindingSpec("EV211", "single-small-study", "warning",
                "One small study (below the rubric's small-study size) backs an unhedged, general claim."),
    FindingSpec("EV212", "claim-stronger-than-sources", "warning",
                "A claim worded as settled, general or lasting rests on evidence of low or very low "
                "certainty."),
    FindingSpec("EV213", "figure-not-in-sources", "warning",
                "A figure in the claim matches no result its linked entries record."),
    FindingSpec("EV214", "misattributed-source", "warning",
                "The entries that match a claim's figure, population or topic are not from the "
                "source it names."),
    FindingSpec("EV215", "design-unknown", "info",
                "A linked entry's study design could not be told; it counts at the rubric's level "
                "for unknown designs."),
    # the bibliography file itself and the claim map
    FindingSpec("EV301", "unused-entry", "info",
                "A bibliography entry is never cited (reported only with --unused)."),
    FindingSpec("EV302", "duplicate-entry", "warning",
                "A key appears more than once in the bibliography; the first entry is kept."),
    FindingSpec("EV303", "broken-entry", "warning",
                "A bibliography entry cannot be parsed; it is skipped and the rest still loads."),
    FindingSpec("EV305", "undefined-macro", "warning",
                "An entry uses an @string macro that no loaded file defines; the entry is kept with "
                "the macro's name as text."),
    FindingSpec("EV306", "oversized-value", "warning",
                "A field or @string value would expand (macros, '#', crossref) past evgrade's size "
                "cap; it is left out and the rest of the file loads."),
    FindingSpec("EV304", "stale-map-entry", "warning",
                "A claim-map quote matches no claim in its article (the text changed or the quote is wrong)."),
    # online resolution
    FindingSpec("EV401", "identifier-not-found", "error",
                "The authority for an identifier answered that it does not exist."),
    FindingSpec("EV402", "identifier-mismatch", "error",
                "The identifier resolves to a different work (title, year or first author disagree)."),
    FindingSpec("EV403", "retracted-source", "error",
                "The cited work has been retracted; it never counts as evidence."),
    FindingSpec("EV404", "corrected-source", "info",
                "The cited work has a published correction."),
    FindingSpec("EV405", "expression-of-concern", "warning",
                "The cited work carries an expression of concern."),
    FindingSpec("EV406", "could-not-verify", "info",
                "A lookup failed (offline, timeout, rate limit, server error); nothing is known either way."),
    FindingSpec("EV407", "suggested-identifier", "info",
                "An entry without identifier matches a record found by title search; the DOI is a suggestion."),
]

SPECS: dict[str, FindingSpec] = {s.code: s for s in _SPECS}
BY_NAME: dict[str, FindingSpec] = {s.name: s for s in _SPECS}


def spec(code_or_name: str) -> FindingSpec:
    try:
        return SPECS.get(code_or_name) or BY_NAME[code_or_name]
    except KeyError:
        raise KeyError(f"unknown finding code {code_or_name!r}") from None


def make(code_or_name: str, message: str, *, path: str = "", span: Span | None = None,
         line: int | None = None, col: int | None = None, claim_id: str = "",
         key: str = "", severity: Severity | None = None) -> Finding:
    """Build a Finding from the catalogue so code, name and severity never drift apart."""
    from .models import Finding

    s = spec(code_or_name)
    if span is not None:
        line, col = span.line, span.col
        end_line, end_col = span.end_line, span.end_col
    else:
        end_line = end_col = None
    return Finding(code=s.code, name=s.name, severity=severity or s.severity, message=message,
                   path=path, line=line, col=col, end_line=end_line, end_col=end_col,
                   claim_id=claim_id, key=key)


def finding_order(f: Finding) -> tuple[str, int, int, str, str, str]:
    """The order of a report's findings: by file, line, column and code, and then by message
    and key, so that the order does not depend on which stage or process found them."""
    return (f.path, f.line or 0, f.col or 0, f.code, f.message, f.key)
