"""A LaTeX document a journal club can print: pdflatex compiles it as it is.

A4 (or Letter) landscape; per article a ``longtable`` whose header repeats on every
page, with the whole claim in a wrapping column, the evidence behind it and the
suggestions in a column of their own; summaries, a TikZ chart of claims by grade per
article, and a reference list with DOI links. ``fragment=True`` leaves out the
preamble and ``\\begin{document}`` for ``\\input`` into another document, which then
needs the packages listed in :data:`PACKAGES`.
"""

from __future__ import annotations

from ..models import Report
from ._chart import bars, level_colours
from ._tex import tex
from ._view import ArticleView, ReferenceEntry, ReportView, Row, build_view, doi_url, pubmed_url
from .markdown import summary_rows
from .text import SUGGESTED, counts_line

PAPERS = {"a4": "a4paper", "letter": "letterpaper"}
PACKAGES = (r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", r"\usepackage{lmodern}",
            r"\usepackage{textcomp}", r"\usepackage{array}", r"\usepackage{longtable}",
            r"\usepackage{booktabs}", r"\usepackage[table]{xcolor}", r"\usepackage{tikz}",
            r"\usepackage{microtype}", r"\usepackage{xurl}",
            r"\usepackage[hidelinks,pdfusetitle]{hyperref}")
# share of the flexible width per column (the line column is fixed)
_SHARES = {"claim": 0.37, "kind": 0.085, "grade": 0.07, "certainty": 0.07, "evidence": 0.235,
           SUGGESTED: 0.11, "flagged": 0.13}


def latex_escape(text: str) -> str:
    return tex(text)


def _colour_name(grade: str) -> str:
    return "ev" + "".join(c for c in grade.lower() if c.isalnum()) or "evother"


def _preamble(view: ReportView, paper: str) -> list[str]:
    colours = level_colours(view.levels, view.rubric_levels)
    return [r"\documentclass[10pt]{article}", *PACKAGES,
            rf"\usepackage[{PAPERS[paper]},landscape,margin=12mm,footskip=7mm]{{geometry}}",
            r"\setlength{\emergencystretch}{3em}", r"\setlength{\LTpre}{4pt}",
            r"\setlength{\LTpost}{6pt}", r"\renewcommand{\arraystretch}{1.15}",
            r"\newcolumntype{L}[1]{>{\raggedright\arraybackslash\hspace{0pt}}p{#1}}",
            r"\newcolumntype{N}{>{\raggedleft\arraybackslash}p{1.8em}}",
            r"\newlength{\evw}", r"\setlength{\parindent}{0pt}", r"\hypersetup{pdftitle={evgrade report}}"] + [
            rf"\definecolor{{{_colour_name(g)}}}{{HTML}}{{{c}}}" for g, c in colours.items()]


def _columns(view: ReportView, article: ArticleView) -> list[str]:
    cols = ["claim", "kind", "grade"] + (["certainty"] if view.has_certainty else [])
    cols.append("evidence")
    if any(r.suggested for r in article.rows):
        cols.append(SUGGESTED)
    return cols + ["flagged"]


def _items(texts: list[str], empty: str = "--") -> str:
    """One item per line; with several, each starts with a bullet so wrapped ones stay apart."""
    if len(texts) > 1:
        return r"\newline{}".join(r"\textbullet\," + tex(t) for t in texts)
    return tex(texts[0]) if texts else empty


def _row(view: ReportView, row: Row, cols: list[str]) -> str:
    grade = rf"\textcolor{{{_colour_name(row.grade)}}}{{\textbf{{{tex(row.grade)}}}}}"
    cells = {"claim": tex(row.text), "kind": tex(row.kind), "grade": grade,
             "certainty": tex(row.certainty) or "--",
             "evidence": _items([e.text for e in row.evidence]),
             SUGGESTED: _items([e.text for e in row.suggested], ""),
             "flagged": _items(list(row.flags), "")}
    return " & ".join([str(row.line)] + [cells[c] for c in cols]) + r" \\"


def _table(view: ReportView, article: ArticleView) -> list[str]:
    cols = _columns(view, article)
    total = sum(_SHARES[c] for c in cols)
    spec = "N" + "".join(f"L{{{_SHARES[c] / total * 0.999:.4f}\\evw}}" for c in cols)
    head = " & ".join([r"\textbf{line}"] + [rf"\textbf{{{tex(c)}}}" for c in cols]) + r" \\"
    n = len(cols) + 1
    return [rf"\setlength{{\evw}}{{\dimexpr\linewidth-1.8em-{2 * (n - 1)}\tabcolsep\relax}}",
            r"{\footnotesize", r"\rowcolors{2}{black!4}{white}",
            rf"\begin{{longtable}}{{@{{}}{spec}@{{}}}}", r"\toprule", head, r"\midrule",
            r"\endfirsthead", r"\toprule", head, r"\midrule", r"\endhead",
            rf"\midrule\multicolumn{{{n}}}{{@{{}}r@{{}}}}{{\itshape continued on the next page}}\\",
            r"\endfoot", r"\bottomrule", r"\endlastfoot",
            *(_row(view, r, cols) for r in article.rows), r"\end{longtable}", "}"]


def _summary(view: ReportView) -> list[str]:
    heads, rows = summary_rows(view)
    spec = "@{}L{0.34\\linewidth}" + "r" * (len(heads) - 1) + "@{}"
    body = [" & ".join(tex(c.replace("\\", "")) for c in r) + r" \\" for r in rows]
    body.insert(len(body) - 1, r"\midrule")
    return [r"\subsection*{Summary across articles}", r"{\small", rf"\begin{{tabular}}{{{spec}}}",
            r"\toprule", " & ".join(rf"\textbf{{{tex(h)}}}" for h in heads) + r" \\",
            r"\midrule", *body, r"\bottomrule", r"\end{tabular}}"]


def _chart(view: ReportView) -> list[str]:
    """Horizontal bars, one per article, split by grade; counts inside the segments."""
    items = bars(view)
    top = max((b.total for b in items), default=0)
    if not top:
        return []
    unit = 15.0 / top  # cm per claim
    out = [r"\subsection*{Claims by grade per article}", r"\begin{tikzpicture}[x=1cm,y=1cm]"]
    for i, bar in enumerate(items):
        y = -0.75 * i
        out.append(rf"\node[anchor=east,text width=7cm,align=right,font=\footnotesize] at (-0.2,{y + 0.22:.2f}) {{{tex(bar.label)}}};")
        for grade, n, start in bar.segments:
            x0, x1 = start * unit, (start + n) * unit
            out.append(rf"\fill[{_colour_name(grade)}] ({x0:.3f},{y:.2f}) rectangle ({x1:.3f},{y + 0.45:.2f});")
            if x1 - x0 >= 0.45:
                out.append(rf"\node[white,font=\scriptsize\bfseries] at ({(x0 + x1) / 2:.3f},{y + 0.22:.2f}) {{{n}}};")
        out.append(rf"\node[anchor=west,font=\footnotesize] at ({bar.total * unit + 0.1:.3f},{y + 0.22:.2f}) {{{bar.total}}};")
    y = -0.75 * len(items) - 0.2
    for k, grade in enumerate(view.levels):
        x = 3.2 * k
        out.append(rf"\fill[{_colour_name(grade)}] ({x:.2f},{y:.2f}) rectangle ({x + 0.35:.2f},{y + 0.3:.2f});")
        out.append(rf"\node[anchor=west,font=\footnotesize] at ({x + 0.4:.2f},{y + 0.15:.2f}) {{{tex(grade)}}};")
    return out + [r"\end{tikzpicture}"]


def _reference(ref: ReferenceEntry) -> str:
    parts = [tex(p).rstrip(".") for p in (ref.authors, ref.title) if p]
    if ref.venue:
        parts.append(rf"\textit{{{tex(ref.venue)}}}")
    if ref.year:
        parts.append(tex(ref.year))
    text = ". ".join(parts) + "." if parts else ""
    facts = ", ".join(p for p in (ref.design, f"n={ref.n}" if ref.n else "") if p)
    if facts:
        text += f" Design: {tex(facts)}."
    if ref.doi:
        text += rf" doi:\,\href{{{_url(doi_url(ref.doi))}}}{{{tex(ref.doi)}}}"
    if ref.pmid:
        text += rf" PMID:\,\href{{{_url(pubmed_url(ref.pmid))}}}{{{tex(ref.pmid)}}}"
    if ref.notes:
        text += rf" \emph{{({tex('; '.join(ref.notes))})}}"
    return rf"\item[\textbf{{[{tex(ref.key)}]}}] {text}"


def _url(url: str) -> str:
    """A URL inside \\href: percent-encoded already; escape what TeX still reads."""
    return url.replace("\\", "").replace("%", r"\%").replace("#", r"\#").replace("{", "").replace("}", "")


def _references(view: ReportView) -> list[str]:
    if not view.references:
        return []
    return [r"\section*{References}", r"\begin{list}{}{\setlength{\leftmargin}{1.5em}"
            r"\setlength{\itemindent}{-1.5em}\setlength{\itemsep}{2pt}"
            r"\renewcommand{\makelabel}[1]{#1}}", r"\small",
            *(_reference(r) for r in view.references), r"\end{list}"]


def _body(view: ReportView) -> list[str]:
    n = len(view.articles)
    total = f"Total: {n} article{'s' if n != 1 else ''}, {counts_line(view, view.total)}"
    out = [r"\section*{Evidence report}", tex(view.header) + r"\par", "", tex(total) + r"\par"]
    out += _summary(view) + [""] + _chart(view)
    for article in view.articles:
        out += [r"\clearpage", rf"\section*{{{tex(article.heading)}}}",
                tex(counts_line(view, article.counts)) + r"\par", ""]
        out += _table(view, article) if article.rows else ["No claims found.\\par"]
    return out + [r"\clearpage"] + _references(view)


def render_latex(report: Report, *, paper: str = "a4", fragment: bool = False) -> str:
    """A complete document for pdflatex; ``fragment`` gives the body alone."""
    view = build_view(report)
    body = _body(view)
    if fragment:
        return "\n".join(body) + "\n"
    if paper not in PAPERS:
        from ..errors import UsageError
        raise UsageError(f"unknown paper size {paper!r}; known: {', '.join(PAPERS)}")
    return "\n".join(_preamble(view, paper) + [r"\begin{document}"] + body
                     + [r"\end{document}"]) + "\n"


__all__ = ["PACKAGES", "PAPERS", "latex_escape", "render_latex"]
