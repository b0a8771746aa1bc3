"""A self-contained HTML page that prints: A4 or Letter, each article on new pages.

No script, no external file: the stylesheet and the SVG chart are inline. On screen
it is one long page; printed (Chromium, Firefox) the overview and the references are
portrait, each article's table landscape (CSS named pages), with its header repeated
on every page and no row split across pages. Claims are never shortened.
"""

from __future__ import annotations

from html import escape as e

from ..errors import UsageError
from ..models import Report
from ._html_parts import PAGE_SIZES, chart_svg, css_class, stylesheet
from ._view import ArticleView, Evidence, ReferenceEntry, ReportView, Row, build_view, doi_url, pubmed_url
from .markdown import summary_rows
from .text import SUGGESTED, counts_line


def _ref_id(key: str) -> str:
    return "ref-" + css_class(key)


def _evidence(item: Evidence) -> str:
    note = f' <span class="note">({e(item.note)})</span>' if item.note else ""
    return (f'<li>{e(item.label)} <a class="key" href="#{_ref_id(item.key)}">[{e(item.key)}]</a>'
            f"{note}</li>")


def _list(items: list[str], empty: str = "–") -> str:
    """Several items as a list; one alone as plain text (``items`` are ``<li>`` elements)."""
    if len(items) == 1:
        return items[0][len("<li>"):-len("</li>")]
    return f"<ul>{''.join(items)}</ul>" if items else empty


def _columns(view: ReportView, article: ArticleView) -> list[str]:
    cols = ["line", "claim", "kind", "grade"] + (["certainty"] if view.has_certainty else [])
    cols.append("evidence")
    if any(r.suggested for r in article.rows):
        cols.append(SUGGESTED)
    return cols + ["flagged"]


def _row(view: ReportView, row: Row, cols: list[str]) -> str:
    cells = {
        "line": f'<td class="line">{row.line}</td>',
        "claim": f'<td class="claim">{e(row.text)}</td>',
        "kind": f'<td class="kind">{e(row.kind)}</td>',
        "grade": f'<td class="grade grade-{css_class(row.grade)} rank-{row.rank}">{e(row.grade)}</td>',
        "certainty": f'<td class="certainty" title="{e("; ".join(row.certainty_reasons))}">'
                     f"{e(row.certainty) or '–'}</td>",
        "evidence": f'<td class="evidence">{_list([_evidence(x) for x in row.evidence])}</td>',
        SUGGESTED: f'<td class="suggested">{_list([_evidence(x) for x in row.suggested], "")}</td>',
        "flagged": f'<td class="flagged">{_list([f"<li>{e(f)}</li>" for f in row.flags], "")}</td>',
    }
    return f'<tr id="{e(row.claim.claim.id)}">' + "".join(cells[c] for c in cols) + "</tr>"


def _article(view: ReportView, n: int, article: ArticleView) -> list[str]:
    out = [f'<section class="article" id="article-{n}">', f"<h2>{e(article.heading)}</h2>",
           f'<p class="summary">{e(counts_line(view, article.counts))}</p>']
    if not article.rows:
        return out + ["<p>No claims found.</p>", "</section>"]
    cols = _columns(view, article)
    out += ['<table class="claims">', "<thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols)
            + "</tr></thead>", "<tbody>"]
    out += [_row(view, r, cols) for r in article.rows]
    return out + ["</tbody>", "</table>", "</section>"]


def _summary(view: ReportView) -> list[str]:
    heads, rows = summary_rows(view)
    out = ['<table class="summary">', "<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in heads)
           + "</tr></thead>", "<tbody>"]
    for r in rows:
        name = r[0].replace("\\", "")
        out.append(f"<tr><td>{e(name)}</td>" + "".join(f'<td class="num">{e(c)}</td>' for c in r[1:])
                   + "</tr>")
    return out + ["</tbody>", "</table>"]


def _links(ref: ReferenceEntry) -> str:
    text = ""
    if ref.doi:
        text += f' doi: <a href="{e(doi_url(ref.doi))}">{e(ref.doi)}</a>'
    if ref.pmid:
        text += f' PMID: <a href="{e(pubmed_url(ref.pmid))}">{e(ref.pmid)}</a>'
    if ref.url and not ref.doi:
        text += f' <a href="{e(ref.url)}">{e(ref.url)}</a>' if _web(ref.url) else f" {e(ref.url)}"
    return text


def _reference(ref: ReferenceEntry) -> str:
    parts = [e(p).rstrip(".") for p in (ref.authors, ref.title) if p]
    parts += [f"<em>{e(ref.venue)}</em>"] if ref.venue else []
    parts += [e(ref.year)] if ref.year else []
    text = ". ".join(parts) + "." if parts else ""
    facts = ", ".join(p for p in (ref.design, f"n={ref.n}" if ref.n else "") if p)
    text += f" Design: {e(facts)}." if facts else ""
    text += _links(ref)
    if ref.notes:
        text += f' <span class="note">({e("; ".join(ref.notes))})</span>'
    return f'<p id="{_ref_id(ref.key)}"><strong>[{e(ref.key)}]</strong> {text}</p>'


def _web(url: str) -> bool:
    return url.lower().startswith(("https://", "http://"))  # never javascript: or data:


def render_html(report: Report, *, paper: str = "a4", title: str = "evgrade report") -> str:
    if paper not in PAGE_SIZES:
        raise UsageError(f"unknown paper size {paper!r}; known: {', '.join(PAGE_SIZES)}")
    view = build_view(report)
    n = len(view.articles)
    total = f"Total: {n} article{'s' if n != 1 else ''}, {counts_line(view, view.total)}"
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(title)}</title>", "<style>", stylesheet(view, paper), "</style>",
           "</head>", "<body>", '<section class="overview">', f"<h1>{e(title)}</h1>",
           f'<p class="meta">{e(view.header)}</p>', f'<p class="total"><strong>{e(total)}</strong></p>',
           "<h2>Summary across articles</h2>", *_summary(view)]
    chart = chart_svg(view)
    if chart:
        out += ["<h2>Claims by grade per article</h2>", chart]
    out.append("</section>")
    for i, article in enumerate(view.articles, 1):
        out += _article(view, i, article)
    if view.references:
        out += ['<section class="references">', "<h2>References</h2>",
                *(_reference(r) for r in view.references), "</section>"]
    return "\n".join(out + ["</body>", "</html>"]) + "\n"


__all__ = ["render_html"]
