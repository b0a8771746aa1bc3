"""Findings (EV401-EV407) from an entry's Resolution, one per problem and identifier."""

from __future__ import annotations

from .. import _findings as findings
from ..models import Finding, Reference, Resolution, ResolvedRecord
from .verify import group_by_identifier, identifier_verdict

_SOURCE_NAMES = {"pubmed": "PubMed", "crossref": "Crossref", "openalex": "OpenAlex",
                 "search": "title search"}


def _label(identifier: str) -> str:
    kind, _, value = identifier.partition(":")
    return f"{kind.upper()} {value}" if value else identifier


def _sources(records: list[ResolvedRecord]) -> str:
    names = list(dict.fromkeys(_SOURCE_NAMES[r.source] for r in records))
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _notice_text(resolution: Resolution, kind: str) -> str:
    parts = []
    for u in resolution.updates:
        if u.kind == kind:
            bits = [b for b in (u.doi, u.date) if b]
            parts.append(" ".join(bits) if bits else f"noted by {_SOURCE_NAMES.get(u.source, u.source)}")
    return "; ".join(dict.fromkeys(parts))


def resolution_findings(ref: Reference, resolution: Resolution, path: str = "") -> list[Finding]:
    """EV401-EV407 for one entry. ``path``/line point at the entry in its .bib file."""
    path = path or (ref.location.path if ref.location else "")
    line = ref.location.line if ref.location else None

    def make(code: str, message: str) -> Finding:
        return findings.make(code, message, path=path, line=line, key=ref.key)

    out: list[Finding] = []
    for ident, records in group_by_identifier(resolution.records).items():
        v = identifier_verdict(ref, ident, records)
        if v.status == "mismatch" and v.best is not None:
            year = f" ({v.best.year})" if v.best.year else ""
            score = f"; match score {v.score:.2f}" if v.score is not None else ""
            out.append(make("EV402", f"{_label(ident)} resolves to a different work: "
                                     f"'{v.best.title}'{year}{score}"))
        elif v.status == "not-found":
            out.append(make("EV401", f"{_label(ident)} was not found by {_sources(records)}"))
        elif v.status == "unverified":
            why = "; ".join(f"{_SOURCE_NAMES[r.source]}: {r.error or r.status}" for r in records)
            out.append(make("EV406", f"could not verify {_label(ident)} ({why})"))
    if resolution.status == "unverified" and not resolution.records:
        out.append(make("EV406", "no online lookup for this entry's identifiers "
                                 "(only DOIs and PMIDs are resolved)"))
    if resolution.retracted:
        notice = _notice_text(resolution, "retraction")
        out.append(make("EV403", "the cited work has been retracted"
                                 + (f" (notice: {notice})" if notice else "")))
    correction = _notice_text(resolution, "correction")
    if correction:
        out.append(make("EV404", f"the cited work has a published correction: {correction}"))
    concern = _notice_text(resolution, "expression-of-concern")
    if concern:
        out.append(make("EV405", f"the cited work carries an expression of concern: {concern}"))
    if resolution.suggested_doi:
        score = (f" (match score {resolution.suggestion_score:.2f})"
                 if resolution.suggestion_score is not None else "")
        out.append(make("EV407", f"no identifier; a title search found DOI "
                                 f"{resolution.suggested_doi}{score}: check it and add it"))
    return out
