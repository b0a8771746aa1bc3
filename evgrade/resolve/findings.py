"""Findings (EV401-EV407) from an entry's Resolution, one per problem and identifier."""

from __future__ import annotations

from collections.abc import Callable

from .. import _findings as findings
from ..models import Finding, Reference, Resolution, ResolvedRecord
from . import registry
from .verify import group_by_identifier, identifier_verdict

Make = Callable[[str, str], Finding]

# how the EV406 message names identifier kinds
_KIND_NAMES = {"doi": "DOIs", "pmid": "PMIDs", "pmcid": "PMCIDs", "arxiv": "arXiv ids", "isbn": "ISBNs"}


def _label(identifier: str) -> str:
    kind, _, value = identifier.partition(":")
    return f"{kind.upper()} {value}" if value else identifier


def _and(names: list[str]) -> str:
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _sources(records: list[ResolvedRecord]) -> str:
    return _and(list(dict.fromkeys(registry.label(r.source) for r in records)))


def _resolved_kinds() -> str:
    kinds = {k for s in registry.ordered() if not s.searches for k in s.kinds}
    order = [k for k in _KIND_NAMES if k in kinds] + sorted(kinds - set(_KIND_NAMES))
    return _and([_KIND_NAMES.get(k, f"{k} identifiers") for k in order])


def _notice_text(resolution: Resolution, kind: str) -> str:
    parts = []
    for u in resolution.updates:
        if u.kind == kind:
            bits = [b for b in (u.doi, u.date) if b]
            parts.append(" ".join(bits) if bits else f"noted by {registry.label(u.source)}")
    return "; ".join(dict.fromkeys(parts))


def _identifier_findings(ref: Reference, resolution: Resolution, make: Make) -> list[Finding]:
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
            why = "; ".join(f"{registry.label(r.source)}: {r.error or r.status}" for r in records)
            out.append(make("EV406", f"could not verify {_label(ident)} ({why})"))
    if resolution.status == "unverified" and not resolution.records:
        out.append(make("EV406", "no online lookup for this entry's identifiers "
                                 f"(only {_resolved_kinds()} are resolved)"))
    return out


def _notice_findings(resolution: Resolution, make: Make) -> list[Finding]:
    out: list[Finding] = []
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
    return out


def resolution_findings(ref: Reference, resolution: Resolution, path: str = "") -> list[Finding]:
    """EV401-EV407 for one entry. ``path``/line point at the entry in its .bib file."""
    path = path or (ref.location.path if ref.location else "")
    line = ref.location.line if ref.location else None

    def make(code: str, message: str) -> Finding:
        return findings.make(code, message, path=path, line=line, key=ref.key)

    out = _identifier_findings(ref, resolution, make) + _notice_findings(resolution, make)
    if resolution.suggested_doi:
        score = (f" (match score {resolution.suggestion_score:.2f})"
                 if resolution.suggestion_score is not None else "")
        out.append(make("EV407", f"no identifier; a title search found DOI "
                                 f"{resolution.suggested_doi}{score}: check it and add it"))
    return out
