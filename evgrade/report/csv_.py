"""One CSV row per claim (RFC 4180: CRLF line ends, fields quoted when needed).

Cells are written by :func:`_record`, not the csv module, because a defused formula
cell (``'=1+2``) must be quoted although it holds no separator (see ``_safe``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import ArticleReport, Report
from ._common import display_path
from ._evidence import certainty
from ._safe import csv_cell, csv_needs_quotes

FIELDS = ("article", "line", "col", "end_line", "end_col", "claim_id", "kind", "text",
          "keys", "via", "grade", "minimum", "meets_minimum", "certainty", "traceable", "flags")
# within one cell; keys and via stay aligned position by position
LIST_SEP = ";"
_EOL = "\r\n"


def _flag(value: bool) -> str:
    return "yes" if value else "no"


def _field(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    cell = csv_cell(str(value))
    return '"' + cell.replace('"', '""') + '"' if csv_needs_quotes(cell) else cell


def _record(values: Iterable[object]) -> str:
    return ",".join(_field(v) for v in values) + _EOL


def header_row() -> str:
    return _record(FIELDS)


def article_rows(article: ArticleReport) -> str:
    """The rows of one article's claims (report/stream.py writes them as articles finish)."""
    path = display_path(article.path)
    out = []
    for gc in article.claims:
        c = gc.claim
        out.append(_record((
            path, c.span.line, c.span.col, c.span.end_line, c.span.end_col, c.id, c.kind,
            c.text, LIST_SEP.join(link.key for link in gc.links),
            LIST_SEP.join(link.via for link in gc.links), gc.grade, gc.minimum,
            _flag(gc.meets_minimum), certainty(gc)[0], _flag(gc.traceable), LIST_SEP.join(gc.flags))))
    return "".join(out)


def render_csv(report: Report) -> str:
    return header_row() + "".join(article_rows(article) for article in report.articles)
