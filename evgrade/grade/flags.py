"""The flags column: short renderings of what grading found, computed in one place.

A flag is never decided on its own. Each one renders either one of the claim's
findings (EV101-EV103 and EV215 about a linked entry, EV201-EV214 about the claim;
all EV205 or all EV206 findings of a claim as one flag naming their keys) or
the online verdict on a linked entry that the resolve stage reports at the
entry's .bib line (EV401 not found, EV402 another work, EV403 retracted).
EV204 has no flag: the keys column already shows suggestions. The rule for
the words (docs/findings.md, "Flags"): a flag about one entry names it and says
what is wrong with that entry; "untraceable" is said only of the claim, and
only when the claim is not traceable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import _patterns
from ..models import EntryAssessment, Finding

# finding code -> flag, for findings about one linked entry (they carry its key)
_ENTRY_FLAGS = {
    "EV101": "unknown key {key}",
    "EV102": "no identifier: {key}",
    "EV103": "invalid identifier: {key}",
    "EV215": "design unknown: {key}",
}
# finding code -> flag, for findings about the claim as a whole
_CLAIM_FLAGS = {
    "EV201": "no citation",
    "EV202": "below minimum: needs {minimum}",
    "EV203": "{message}",
    "EV207": "{message}",
    "EV208": "animal/cell evidence only",
    "EV209": "healthy-volunteer evidence only",
    "EV210": "uncontrolled evidence only",
    "EV211": "single small study: {key}",
    "EV212": "stronger than its sources: '{cue}'",
    "EV213": "{figure}",
    "EV214": "{message}",
}
# one flag for all findings of these codes, naming each key: "partial support only: A, B"
_GROUPED = {"EV205": "partial support only: {keys}", "EV206": "contradicted by {keys}"}
# the claim's support, in this order, before the flags about each counted entry ...
SUPPORT_ORDER = ("EV201", "EV202", "EV205", "EV207", "EV206", "EV208", "EV209", "EV210", "EV211",
                 "EV212", "EV213")
# ... and after them, what the claim says of its source
SOURCE_ORDER = ("EV203", "EV214")
FLAGGED_CODES = frozenset(_ENTRY_FLAGS) | frozenset(_CLAIM_FLAGS) | frozenset(_GROUPED)
_CUE = _patterns.compile(r"^says '([^']*)'")


def finding_flag(finding: Finding, minimum: str) -> str | None:
    """The flag a finding shows as, or None for a code without one."""
    template = _ENTRY_FLAGS.get(finding.code) or _CLAIM_FLAGS.get(finding.code) \
        or _GROUPED.get(finding.code)
    if template is None:
        return None
    cue = _CUE.match(finding.message)
    return template.format(key=finding.key, keys=finding.key, minimum=minimum,
                           message=finding.message, cue=cue.group(1) if cue else "",
                           figure=finding.message.split(" (", 1)[0])


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
    def render(codes: Sequence[str] | frozenset[str], key: str | None = None) -> list[str]:
        out = []
        for code in codes:
            mine = [f for f in findings if f.code == code and (key is None or f.key == key)]
            if code in _GROUPED and mine:
                keys = ", ".join(dict.fromkeys(f.key for f in mine))
                out.append(_GROUPED[code].format(keys=keys))
                continue
            out += [flag for f in mine if (flag := finding_flag(f, minimum)) is not None]
        return out

    flags = render(SUPPORT_ORDER)
    for key in counted:
        flags += render(tuple(_ENTRY_FLAGS), key)
        a = assessments.get(key)
        if a is not None and a.exists:
            flags += online_flags(a)
    flags += render(SOURCE_ORDER)
    return tuple(dict.fromkeys(flags))
