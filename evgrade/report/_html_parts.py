"""Pieces of the printable HTML page: the stylesheet and the SVG chart."""

from __future__ import annotations

import re
from html import escape

from ._chart import bars, level_colours
from ._view import ReportView

PAGE_SIZES = {"a4": "A4", "letter": "letter"}

_CSS = """\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 2rem auto; max-width: 80rem; padding: 0 1rem; line-height: 1.35; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.4rem 0 .3rem; overflow-wrap: anywhere; }
p.meta, p.summary { color: #555; margin: .2rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .85rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .4rem; text-align: left;
         vertical-align: top; }
th { background: #f2f2f2; }
table.claims td.claim { width: 36%; }
table.claims td.evidence { width: 22%; }
table.claims td.line, table.summary td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.claims tbody tr:nth-child(even) { background: #fafafa; }
td ul { margin: 0; padding-left: 1rem; }
td li { margin: 0 0 .15rem; }
.grade { font-weight: 600; }
.key { color: #444; white-space: nowrap; }
.note { color: #b71c1c; }
td.suggested { color: #555; font-style: italic; }
figure.chart { margin: .5rem 0 1rem; }
figure.chart svg { max-width: 100%; height: auto; }
.legend span { display: inline-block; margin-right: 1.2rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
            vertical-align: -1px; }
section.references p { margin: 0 0 .35rem 1.5rem; text-indent: -1.5rem; font-size: .85rem; }
a { color: #0b57d0; }
@media print {
  @page { size: PAGESIZE; margin: 12mm; }
  @page wide { size: PAGESIZE landscape; margin: 10mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 8.5pt; }
  section.article { page: wide; break-before: page; }
  section.references { break-before: page; }
  table { font-size: 7.5pt; }
  th, td { padding: .15rem .3rem; }
  table.claims td.suggested { width: 11%; }
  thead { display: table-header-group; }
  tr, figure.chart { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  table.claims tbody tr:nth-child(even) { background: #f6f6f6; -webkit-print-color-adjust: exact;
                                          print-color-adjust: exact; }
}"""


def css_class(name: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "unknown"


def stylesheet(view: ReportView, paper: str) -> str:
    colours = level_colours(view.levels, view.rubric_levels)
    rules = [f".grade-{css_class(g)} {{ color: #{c}; }}" for g, c in colours.items()]
    return _CSS.replace("PAGESIZE", PAGE_SIZES[paper]) + "\n" + "\n".join(rules)


def chart_svg(view: ReportView) -> str:
    """Claims by grade per article: one labelled, stacked bar per article."""
    items = bars(view)
    top = max((b.total for b in items), default=0)
    if not top:
        return ""
    colours = level_colours(view.levels, view.rubric_levels)
    full, row = 760.0, 44
    unit = full / top
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 820 {row * len(items) + 4}" '
           f'width="820" height="{row * len(items) + 4}" role="img" '
           f'aria-label="claims by grade per article" font-family="sans-serif" font-size="12">']
    for i, bar in enumerate(items):
        y = i * row
        out.append(f'<text x="0" y="{y + 13}" fill="#333">{escape(bar.label)}</text>')
        for grade, n, start in bar.segments:
            x, w = start * unit, n * unit
            out.append(f'<rect x="{x:.1f}" y="{y + 18}" width="{w:.1f}" height="20" '
                       f'fill="#{colours[grade]}"><title>{escape(grade)}: {n}</title></rect>')
            if w >= 22:
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + 32}" fill="#fff" '
                           f'text-anchor="middle" font-weight="bold">{n}</text>')
        out.append(f'<text x="{bar.total * unit + 6:.1f}" y="{y + 32}" fill="#333">{bar.total}</text>')
    out.append("</svg>")
    legend = "".join(f'<span><i style="background:#{colours[g]}"></i>{escape(g)}</span>'
                     for g in view.levels)
    return ('<figure class="chart">' + "\n".join(out)
            + f'<figcaption class="legend">{legend}</figcaption></figure>')


__all__ = ["PAGE_SIZES", "chart_svg", "css_class", "stylesheet"]
