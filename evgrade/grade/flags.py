"""The flags column: short renderings of what grading found, computed in one place.

A flag is never decided on its own. Each one renders either one of the claim's
findings (EV101-EV103 about a linked entry, EV201-EV203 about the claim) or
the online verdict on a linked entry that the resolve stage reports at the
entry's .bib line (EV401 not found, EV402 another work, EV403 retracted).
EV204 has no flag: the keys column already shows suggestions. The rule for
the words (docs/findings.md, "Flags"): a flag about one entry names it and says
what is wrong with that entry; "untraceable" is said only of the claim, and
only when the claim is not traceable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..models import EntryAssessment, Finding

# finding code -> flag, for findings about one linked entry (they carry its key)
_ENTRY_FLAGS = {
    "EV101": "unknown key {key}",
    "EV102": "no identifier: {key}",
    "EV103": "invalid identifier: {key}",
}
# finding code -> flag, for findings about the claim as a whole
_CLAIM_FLAGS = {
    "EV201": "no citation",
    "EV202": "below minimum: needs {minimum}",
    "EV203": "{message}",
}
FLAGGED_CODES = frozenset(_ENTRY_FLAGS) | frozenset(_CLAIM_FLAGS)


def finding_flag(finding: Finding, minimum: str) -> str | None:
    """The flag a finding shows as, or None for a code without one."""
    template = _ENTRY_FLAGS.get(finding.code) or _CLAIM_FLAGS.get(finding.code)
    if template is None:
        return None
    return template.format(key=finding.key, minimum=minimum, message=finding.message)


def online_flags(a: EntryAssessment) -> list[str]:
    """Flags for what the online lookup said about a linked entry (EV401-EV403 at the entry).

    Not found and another work are shown when they leave the entry untraceable,
    that is when no identifier of the entry was verified.
    """
    res = a.resolution
    if res is None:
        return []
    out = []
    if res.status == "mismatch":
        out.append(f"resolves to another work: {a.key}")
    elif res.status == "not-found":
        out.append(f"not found online: {a.key}")
    if res.retracted:
        out.append(f"retracted: {a.key}")
    return out


def claim_flags(findings: Sequence[Finding], counted: Sequence[str],
                assessments: Mapping[str, EntryAssessment], minimum: str) -> tuple[str, ...]:
    """All flags of one claim: support first, then each counted entry's, then the named source.

    ``findings`` are the claim's own; ``counted`` its counted keys in link order.
    """
    def render(codes: frozenset[str] | set[str], key: str | None = None) -> list[str]:
        return [flag for f in findings
                if f.code in codes and (key is None or f.key == key)
                and (flag := finding_flag(f, minimum)) is not None]

    flags = render({"EV201", "EV202"})
    for key in counted:
        flags += render(frozenset(_ENTRY_FLAGS), key)
        a = assessments.get(key)
        if a is not None and a.exists:
            flags += online_flags(a)
    flags += render({"EV203"})
    return tuple(dict.fromkeys(flags))
