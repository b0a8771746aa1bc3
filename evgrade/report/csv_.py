"""One CSV row per claim (RFC 4180: CRLF line ends, fields quoted when needed)."""

from __future__ import annotations

import csv
import io

from ..models import Report
from ._common import display_path

FIELDS = ("article", "line", "col", "end_line", "end_col", "claim_id", "kind", "text",
          "keys", "via", "grade", "minimum", "meets_minimum", "certainty", "traceable", "flags")
# within one cell; keys and via stay aligned position by position
LIST_SEP = ";"


def _flag(value: bool) -> str:
    return "yes" if value else "no"


def render_csv(report: Report) -> str:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n",
                            quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for article in report.articles:
        path = display_path(article.path)
        for gc in article.claims:
            c = gc.claim
            writer.writerow({
                "article": path, "line": c.span.line, "col": c.span.col,
                "end_line": c.span.end_line, "end_col": c.span.end_col,
                "claim_id": c.id, "kind": c.kind, "text": c.text,
                "keys": LIST_SEP.join(link.key for link in gc.links),
                "via": LIST_SEP.join(link.via for link in gc.links),
                "grade": gc.grade, "minimum": gc.minimum,
                "meets_minimum": _flag(gc.meets_minimum),
                "certainty": gc.certainty.level if gc.certainty is not None else "",
                "traceable": _flag(gc.traceable),
                "flags": LIST_SEP.join(gc.flags),
            })
    return buf.getvalue()
