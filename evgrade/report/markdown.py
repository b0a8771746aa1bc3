"""GitHub-flavoured Markdown: one table per article, summaries, a reference list."""

from __future__ import annotations

from tabulate import tabulate

from .. import _patterns
from ..models import Report
from ._view import ArticleView, ReferenceEntry, ReportView, build_view, doi_url, pubmed_url
from .text import SUGGESTED, counts_line

# CommonMark lets a backslash escape any ASCII punctuation; these would otherwise end a
# cell (|), start markup (* _ ` [ ] < >) or an escape (\)
_MD_SPECIAL = _patterns.compile(r"([\\|*_`\[\]<>])")


def md(text: str) -> str:
    """``text`` for one line or cell of Markdown: whitespace folded, markup escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _headers(view: ReportView, article: ArticleView) -> list[str]:
    heads = ["line", "claim", "kind", "grade"] + (["certainty"] if view.has_certainty else [])
    heads.append("evidence")
    if any(r.suggested for r in article.rows):
        heads.append(SUGGESTED)
    return heads + ["flagged"]


def _rows(view: ReportView, article: ArticleView) -> list[list[str]]:
    suggest = any(r.suggested for r in article.rows)
    out = []
    for r in article.rows:
        row = [str(r.line), md(r.text), r.kind, md(r.grade)]
        row += [md(r.certainty) or "-"] if view.has_certainty else []
        row.append("; ".join(md(e.text) for e in r.evidence) or "-")
        row += ["; ".join(md(e.text) for e in r.suggested)] if suggest else []
        out.append(row + ["; ".join(md(f) for f in r.flags)])
    return out


def summary_rows(view: ReportView) -> tuple[list[str], list[list[str]]]:
    heads = ["article", "claims", *view.levels, "traceable", "meets minimum"]
    rows = []
    for a in view.articles + (None,):
        c = a.counts if a else view.total
        rows.append([md(a.name) if a else "all articles", str(c.claims),
                     *(str(n) for _, n in c.by_grade),
                     f"{c.traceable} ({c.share(c.traceable)})",
                     f"{c.meets_minimum} ({c.share(c.meets_minimum)})"])
    return heads, rows


def _reference(ref: ReferenceEntry) -> str:
    parts = [f"**{md(ref.key)}**", md(ref.authors), md(ref.year), md(ref.title), md(ref.venue)]
    facts = ", ".join(p for p in (ref.design, f"n={ref.n}" if ref.n else "") if p)
    text = ". ".join(p.rstrip(".") for p in parts if p) + "."
    if facts:
        text += f" Design: {md(facts)}."
    if ref.doi:
        text += f" doi: [{md(ref.doi)}]({doi_url(ref.doi)})"
    if ref.pmid:
        text += f" PMID: [{md(ref.pmid)}]({pubmed_url(ref.pmid)})"
    if ref.notes:
        text += f" ({md('; '.join(ref.notes))})"
    return f"- {text}"


def render_markdown(report: Report) -> str:
    view = build_view(report)
    out = ["# Evidence report", "", md(view.header), ""]
    for article in view.articles:
        out += [f"## {md(article.heading)}", ""]
        if article.rows:
            out.append(tabulate(_rows(view, article), headers=_headers(view, article),
                                tablefmt="github", disable_numparse=True))
        else:
            out.append("No claims found.")
        out += ["", md(counts_line(view, article.counts)), ""]
    heads, rows = summary_rows(view)
    out += ["## Summary across articles", "",
            tabulate(rows, headers=heads, tablefmt="github", disable_numparse=True), ""]
    if view.references:
        out += ["## References", ""] + [_reference(r) for r in view.references] + [""]
    n = len(view.articles)
    out.append(f"**Total: {n} article{'s' if n != 1 else ''}, {md(counts_line(view, view.total))}**")
    return "\n".join(out) + "\n"


__all__ = ["md", "render_markdown", "summary_rows"]
