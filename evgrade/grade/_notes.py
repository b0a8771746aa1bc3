"""The findings of one claim, collected while grading it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import _findings as catalogue
from ..models import Claim, EntryAssessment, Finding, Span


class Notes:
    """Findings about one claim, each at the claim's place unless a span is given."""

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        self.findings: list[Finding] = []

    def emit(self, code: str, message: str, span: Span | None = None, key: str = "") -> None:
        self.findings.append(catalogue.make(code, message, path=self.claim.article,
                                            span=span or self.claim.span, claim_id=self.claim.id,
                                            key=key))


def keys_with(entries: Sequence[EntryAssessment], detail: Callable[[EntryAssessment], str]) -> str:
    """"Li2010 (rats), Autry2011 (mice)": each entry's key with what ``detail`` says of it."""
    out = []
    for a in entries:
        said = detail(a)
        out.append(f"{a.key} ({said})" if said else a.key)
    return ", ".join(out)
