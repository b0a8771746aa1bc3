"""The terminal table: every claim in full, wrapped to the width of the terminal.

``width`` is the number of columns (the CLI takes ``--width``, then ``COLUMNS``, then
the terminal's size, else 100). Cells wrap at spaces, or after a hyphen or slash;
no line is longer than ``width`` and no word is cut in the middle. When the wide
layout would leave the claim fewer than :data:`MIN_CLAIM` columns, each row puts kind,
evidence, suggestions and flags under the claim instead of beside it.
"""

from __future__ import annotations

from ..models import Report
from ._grid import Column, fit_widths, render_grid, wrap
from ._view import ArticleView, Counts, ReportView, Row, build_view

DEFAULT_WIDTH = 100
MIN_WIDTH = 40
MIN_CLAIM = 30
_ANSI = {"best": "\033[32m", "middle": "\033[33m", "worst": "\033[31m"}
_RESET = "\033[0m"
SUGGESTED = "suggested (not counted)"


def _lines(items: list[str]) -> str:
    return "\n".join(items) or "-"


def _wide(view: ReportView, article: ArticleView) -> tuple[list[Column], list[list[str]]]:
    """Columns and cells; certainty and suggestions only where some row has them."""
    certain = view.has_certainty
    suggest = any(r.suggested for r in article.rows)
    cols = [Column("line", weight=3, limit=5), Column("claim", weight=5),
            Column("kind", weight=3, limit=18), Column("grade", weight=3, limit=12)]
    cols += [Column("certainty", weight=3, limit=12)] if certain else []
    cols += [Column("evidence", weight=2.5)]
    cols += [Column(SUGGESTED, weight=1.2)] if suggest else []
    cols += [Column("flagged", weight=1.5)]
    cells = []
    for row in article.rows:
        cell = [str(row.line), row.text, row.kind, row.grade]
        cell += [row.certainty or "-"] if certain else []
        cell += [_lines([e.text for e in row.evidence])]
        cell += ["\n".join(e.text for e in row.suggested)] if suggest else []
        cells.append(cell + ["\n".join(row.flags)])
    return cols, cells


def _compact_cell(row: Row) -> str:
    parts = [row.text]
    if row.certainty:
        parts.append(f"certainty: {row.certainty}")
    parts += [f"evidence: {e.text}" for e in row.evidence] or ["evidence: -"]
    parts += [f"{SUGGESTED}: {e.text}" for e in row.suggested]
    if row.flags:
        parts.append(f"flagged: {'; '.join(row.flags)}")
    return "\n".join(parts)


def _paint(rows: list[Row], grade_col: int):
    def paint(n: int, col: int, text: str) -> str:
        if n < 0 or col != grade_col:
            return text
        core = text.rstrip()
        return f"{_ANSI[rows[n].rank]}{core}{_RESET}{text[len(core):]}"
    return paint


def _table(view: ReportView, article: ArticleView, width: int, color: bool) -> list[str]:
    rows = list(article.rows)
    cols, cells = _wide(view, article)
    if fit_widths(cols, cells, width)[1] >= MIN_CLAIM:
        return render_grid(cols, cells, width, paint=_paint(rows, 3) if color else None)
    cols = [Column("line", weight=3, limit=5), Column("claim and its evidence", weight=4),
            Column("grade", weight=3, limit=18)]
    cells = [[str(r.line), _compact_cell(r), f"{r.grade}\n{r.kind}"] for r in rows]
    return render_grid(cols, cells, width, paint=_paint(rows, 2) if color else None)


def counts_line(view: ReportView, counts: Counts) -> str:
    grades = ", ".join(f"{g} {n}" for g, n in counts.by_grade)
    return (f"{counts.claims} claim{'s' if counts.claims != 1 else ''}: {grades}; with a "
            f"traceable citation: {counts.traceable}/{counts.claims} "
            f"({counts.share(counts.traceable)})")


def _summary_table(view: ReportView, width: int) -> list[str]:
    cols = [Column("article", weight=3), Column("claims")]
    cols += [Column(g) for g in view.levels] + [Column("traceable"), Column("meets minimum")]
    rows = []
    for a in view.articles + (None,):
        c = a.counts if a else view.total
        rows.append([a.name if a else "all articles", str(c.claims)]
                    + [str(n) for _, n in c.by_grade]
                    + [f"{c.traceable} ({c.share(c.traceable)})",
                       f"{c.meets_minimum} ({c.share(c.meets_minimum)})"])
    return render_grid(cols, rows, width, spaced=False)


def render_text(report: Report, *, width: int | None = None, color: bool = False) -> str:
    """The claims of each article as a table that fits ``width`` columns; then summaries.

    ``color`` adds ANSI colours to the grade cells only (best level green, lowest red,
    others yellow)."""
    width = max(width or DEFAULT_WIDTH, MIN_WIDTH)
    view = build_view(report, venue=False)
    out = wrap(view.header, width) + [""]
    for article in view.articles:
        out += wrap(article.heading, width)
        out += _table(view, article, width, color) + [""] if article.rows else ["No claims found."]
        out += wrap(counts_line(view, article.counts), width) + [""]
    if len(view.articles) > 1:
        out += ["Summary across articles"] + _summary_table(view, width) + [""]
    total = counts_line(view, view.total)
    n = len(view.articles)
    out += wrap(f"Total: {n} article{'s' if n != 1 else ''}, {total}", width)
    return "\n".join(out) + "\n"


__all__ = ["DEFAULT_WIDTH", "render_text"]
