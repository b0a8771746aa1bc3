"""A journal-club worksheet: one critically appraised topic (CAT) per claim.

The layout follows the CAT worksheets of evidence-based medicine (as taught by the
Oxford CEBM): the question in PICO form, the evidence found (one row per source:
design, n, level, how it was linked), the appraisal the club does itself (validity,
importance, applicability), and the bottom line: evgrade's verdict beside a blank for
the club's. ``worksheet`` is Markdown, ``worksheet-html`` a printable page (one claim
never split across pages).
"""

from __future__ import annotations

from html import escape as e

from ..models import Report
from ._html_parts import PAGE_SIZES, stylesheet
from ._pico import Question, question
from ._safe import visible
from ._view import Evidence, ReportView, Row, build_view
from .markdown import md
from .text import counts_line

NOT_STATED = "not stated: fill in"
APPRAISAL = (
    ("Validity", "Do the sources study this population, intervention and outcome, with a "
                 "design that can answer the question?"),
    ("Importance", "Is the size of the effect, or the figure in the claim, what the sources "
                   "report?"),
    ("Applicability", "Does the wording (\"shown\", \"typically\", \"may\") match the strength "
                      "of the evidence?"),
)


def _pico_rows(q: Question) -> list[tuple[str, str]]:
    return [("Population", q.population), ("Intervention or exposure", q.intervention),
            ("Comparison", q.comparison), ("Outcome", q.outcome)]


def _verdict(row: Row) -> str:
    met = "met" if row.meets_minimum else "not met"
    text = f"{row.grade} (minimum for a {row.kind} claim: {row.minimum or '-'}, {met})"
    if row.certainty:
        text += f"; certainty {row.certainty}"
        if row.certainty_reasons:
            text += f" ({'; '.join(row.certainty_reasons)})"
    if row.flags:
        text += f"; {'; '.join(row.flags)}"
    return text


def _source(view: ReportView, item: Evidence) -> list[str]:
    ref = next((r for r in view.references if r.key == item.key), None)
    n = str(ref.n) if ref and ref.n else "?"
    design = ref.design if ref and ref.design else "?"
    level = ref.level if ref else "?"
    how = {"citation": "cited in the text", "map": "claim map",
           "suggested": "suggested, not counted"}.get(item.via, item.via)
    return [item.text, design, n, level, how]


_SOURCE_HEADS = ("source", "design", "n", "level", "linked by")


# ------------------------------------------------------------------ markdown

def _md_claim(view: ReportView, row: Row) -> list[str]:
    q = question(row.text)
    out = [f"### Line {row.line}: {row.kind}", "", f"> {md(row.text)}", "",
           "**Question (PICO)**", "", "| | |", "|---|---|"]
    out += [f"| {name} | {md(v) if v else '_' + NOT_STATED + '_'} |" for name, v in _pico_rows(q)]
    out += ["", "**Evidence found**", ""]
    sources = [_source(view, x) for x in row.evidence + row.suggested]
    if sources:
        out += ["| " + " | ".join(_SOURCE_HEADS) + " |", "|" + "---|" * len(_SOURCE_HEADS)]
        out += ["| " + " | ".join(md(c) for c in s) + " |" for s in sources]
    else:
        out.append("None: the claim cites nothing and the claim map links nothing.")
    out += ["", "**Appraisal (the club's)**", ""]
    out += [f"- [ ] **{name}.** {md(text)}" for name, text in APPRAISAL]
    out += ["", f"**Bottom line.** evgrade: {md(_verdict(row))}", "",
            "Club's verdict: ☐ supported ☐ partly supported ☐ not supported ☐ cannot tell", "",
            "Notes: ______________________________________________", ""]
    return out


def render_worksheet(report: Report) -> str:
    view = build_view(report)
    out = ["# Journal-club worksheet", "", md(view.header), "",
           "One critically appraised topic per claim: the question, the evidence found, "
           "the club's appraisal and a verdict.", ""]
    for article in view.articles:
        out += [f"## {md(article.heading)}", "", md(counts_line(view, article.counts)), ""]
        for row in article.rows:
            out += _md_claim(view, row)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------- html

_WORKSHEET_CSS = """
article.cat { border: 1px solid #ccc; border-radius: 4px; padding: .5rem .8rem; margin: .8rem 0;
              break-inside: avoid; }
article.cat h3 { margin: 0 0 .3rem; font-size: 1rem; }
article.cat blockquote { margin: .3rem 0 .5rem; padding-left: .6rem; border-left: 3px solid #999; }
article.cat table { margin: .2rem 0 .5rem; }
article.cat th.row { width: 12rem; background: none; font-weight: 600; }
.fill { color: #888; font-style: italic; }
.blank { border-bottom: 1px solid #999; display: inline-block; min-width: 20rem; }
@media print { section.wsarticle { break-before: page; } }"""


def _html_claim(view: ReportView, row: Row) -> list[str]:
    q = question(row.text)
    out = [f'<article class="cat" id="{e(visible(row.claim.claim.id))}">',
           f"<h3>Line {row.line}: {e(row.kind)}</h3>", f"<blockquote>{e(row.text)}</blockquote>",
           "<p><strong>Question (PICO)</strong></p>", "<table>"]
    out += [f'<tr><th class="row">{e(name)}</th><td>'
            + (e(v) if v else f'<span class="fill">{NOT_STATED}</span>') + "</td></tr>"
            for name, v in _pico_rows(q)]
    out += ["</table>", "<p><strong>Evidence found</strong></p>"]
    sources = [_source(view, x) for x in row.evidence + row.suggested]
    if sources:
        out += ["<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in _SOURCE_HEADS)
                + "</tr></thead><tbody>"]
        out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in s) + "</tr>" for s in sources]
        out.append("</tbody></table>")
    else:
        out.append("<p>None: the claim cites nothing and the claim map links nothing.</p>")
    out += ["<p><strong>Appraisal (the club's)</strong></p>", "<ul>"]
    out += [f"<li>☐ <strong>{e(name)}.</strong> {e(text)}</li>" for name, text in APPRAISAL]
    out += ["</ul>", f"<p><strong>Bottom line.</strong> evgrade: {e(_verdict(row))}</p>",
            "<p>Club's verdict: ☐ supported ☐ partly supported ☐ not supported ☐ cannot tell</p>",
            '<p>Notes: <span class="blank">&nbsp;</span></p>', "</article>"]
    return out


def render_worksheet_html(report: Report, *, paper: str = "a4",
                          title: str = "Journal-club worksheet") -> str:
    view = build_view(report)
    css = stylesheet(view, paper if paper in PAGE_SIZES else "a4") + _WORKSHEET_CSS
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{e(title)}</title>", "<style>", css, "</style>", "</head>", "<body>",
           f"<h1>{e(title)}</h1>", f'<p class="meta">{e(view.header)}</p>']
    for article in view.articles:
        out += ['<section class="wsarticle">', f"<h2>{e(article.heading)}</h2>",
                f'<p class="summary">{e(counts_line(view, article.counts))}</p>']
        for row in article.rows:
            out += _html_claim(view, row)
        out.append("</section>")
    return "\n".join(out + ["</body>", "</html>"]) + "\n"


__all__ = ["APPRAISAL", "render_worksheet", "render_worksheet_html"]
