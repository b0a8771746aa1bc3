"""Which bibliography problems count for a run, and the exit code a run ends with.

Kept beside :mod:`evgrade.pipeline`, which applies it and re-exports its names
(``exit_code``, ``input_problems``, ``INPUT_CODES``, ``worst_severity``).

A linter's exit code (docs/output.md, "Exit codes and --fail-on"): 0 clean, 1 a
finding at or above ``fail_on``, 2 only when evgrade could not do its job (an
exception, never a finding). A cited key missing from the bibliography (EV101) is
an error finding like any other; a broken or duplicate entry the documents cite
keeps its warning. ``strict_input`` brings back the old rule: exit 2 whenever a
cited key is missing, broken or duplicated (:func:`input_problems`).

A shared library's problems in entries the documents do not cite (duplicates,
broken entries, undefined macros, oversized values: :data:`ENTRY_CODES`) are
``info``: shown, but failing no check at the default ``--fail-on``
(:func:`for_cited`).
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import SEVERITY_RANK, Finding, Report

# cited-key problems that strict_input turns into exit 2
INPUT_CODES = frozenset({"EV101", "EV302", "EV303"})
# problems of one bibliography entry: info unless a document cites (or the map names) the key
ENTRY_CODES = frozenset({"EV302", "EV303", "EV305", "EV306"})
UNCITED_NOTE = " (no document here cites it, so info)"


def for_cited(findings: Iterable[Finding], cited: Iterable[str]) -> list[Finding]:
    """``findings`` with each :data:`ENTRY_CODES` finding whose key is not in ``cited``
    made ``info`` (keys compared as BibTeX does, without regard to case)."""
    folded = {key.casefold() for key in cited}
    return [f.model_copy(update={"severity": "info", "message": f.message + UNCITED_NOTE})
            if f.code in ENTRY_CODES and f.severity != "info" and f.key.casefold() not in folded
            else f for f in findings]


def input_problems(report: Report) -> list[Finding]:
    """The findings that mean a cited key could not be used: unknown (EV101), or broken or
    duplicated in the bibliography (EV303, EV302) and cited (not made info by :func:`for_cited`)."""
    return [f for f in report.findings
            if f.code == "EV101" or (f.code in INPUT_CODES and f.severity != "info")]


def worst_severity(report: Report) -> str | None:
    if not report.findings:
        return None
    return max((f.severity for f in report.findings), key=SEVERITY_RANK.__getitem__)


def exit_code(report: Report, fail_on: str, *, strict_input: bool = False) -> int:
    """1 when a finding is at or above ``fail_on`` (error|warning|info; 'never': none is),
    else 0. With ``strict_input``, 2 first when :func:`input_problems` finds any."""
    if strict_input and input_problems(report):
        return 2
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings) else 0
