"""What ``evgrade resolve`` prints: one row per entry with its verdict, then a count.

Rendered from a :class:`~evgrade.models.ResolutionReport`. The formats live in
their own registry (:data:`evgrade.report.RESOLUTION_FORMATS`), beside the one
for graded reports, since a resolution report has no claims or rubric.
"""

from __future__ import annotations

import json
from collections import Counter

from tabulate import tabulate

from ..models import Resolution, ResolutionReport

HEADERS = ["key", "verdict", "match", "sources", "note"]


def _row(key: str, r: Resolution) -> list[str]:
    sources = ", ".join(f"{rec.source}:{rec.status}" for rec in r.records)
    score = f"{r.match_score:.2f}" if r.match_score is not None else ""
    note = "RETRACTED" if r.retracted else (f"suggested DOI {r.suggested_doi}" if r.suggested_doi else "")
    return [key, r.status, score, sources, note]


def render_resolutions_text(result: ResolutionReport) -> str:
    """A plain table, then ``N status`` counts in alphabetical order of the status."""
    table = tabulate([_row(k, r) for k, r in result.resolutions.items()], headers=HEADERS)
    counts = Counter(r.status for r in result.resolutions.values())
    return table + "\n" + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + "\n"


def render_resolutions_json(result: ResolutionReport) -> str:
    """``{"resolutions": {key: Resolution}, "findings": [Finding]}``, ASCII-escaped."""
    return json.dumps(result.model_dump(mode="json"), indent=2) + "\n"
