"""Human-readable reports: one table of claims per article, then a summary.

``text`` is for terminals, ``markdown`` renders as GitHub tables, ``latex``
uses booktabs, ``html`` is a standalone page. All four show the same columns.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Sequence

from tabulate import tabulate

from ..models import ArticleReport, GradedClaim, Report
from ._common import (
    CLAIM_WIDTH,
    ELLIPSIS,
    article_heading,
    article_summary,
    certainty_cell,
    flags_cell,
    keys_cell,
    shorten_claim,
    total_summary,
    where,
)

HEADERS = ("where", "claim", "kind", "keys", "grade", "certainty", "traceable", "flagged")
CLAIM_COLUMN = HEADERS.index("claim")

_ANSI = {"green": "\033[32m", "yellow": "\033[33m", "red": "\033[31m", "reset": "\033[0m"}


def _rows(article: ArticleReport, claim_width: int) -> list[list[str]]:
    return [[where(gc), shorten_claim(gc.claim, claim_width), gc.claim.kind, keys_cell(gc),
             gc.grade, certainty_cell(gc), "yes" if gc.traceable else "no", flags_cell(gc)]
            for gc in article.claims]


def _grade_colour(report: Report, grade: str) -> str:
    levels = report.levels
    if grade not in levels or len(levels) < 2:
        return "yellow"
    rank = levels.index(grade)
    return "green" if rank == 0 else "red" if rank == len(levels) - 1 else "yellow"


def _header(report: Report) -> str:
    return (f"{report.tool} {report.version}: rubric {report.rubric} "
            f"(levels best first: {', '.join(report.levels)})")


# Fitted to a terminal (``width`` given), the article heading names the file, so
# ``where`` shrinks to line:col and long key and flag lists wrap instead of
# pushing the claim off screen. Piped or saved text keeps file:line for grep.
TERMINAL_HEADERS = ("line", "claim", "kind", "keys", "grade", "certainty", "traceable", "flagged")
_WRAP = {"keys": 24, "flagged": 24}


def _text_rows(article: ArticleReport, claim_width: int, wrap: bool) -> list[list[str]]:
    rows = _rows(article, claim_width)
    if wrap:
        for row, gc in zip(rows, article.claims):
            row[0] = f"{gc.claim.span.line}:{gc.claim.span.col}"
            for name, limit in _WRAP.items():
                i = HEADERS.index(name)
                row[i] = _wrap_list(row[i], limit, keys=name == "keys")
    return rows


def _wrap_list(cell: str, limit: int, *, keys: bool = False) -> str:
    """Wrap a cell to lines of about ``limit`` characters; key cells keep 'Key (how)' whole."""
    if len(cell) <= limit:
        return cell
    if keys:
        return "\n".join(_pack(cell.split(", "), limit))
    lines: list[str] = []
    for item in re.split(r"(?<=;) ", cell):
        lines.extend(textwrap.wrap(item, limit, break_long_words=False, break_on_hyphens=False))
    return "\n".join(lines)


def _pack(items: list[str], limit: int) -> list[str]:
    lines, cur = [], ""
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if cur and len(cur) + 1 + len(piece) > limit:
            lines.append(cur)
            cur = piece
        else:
            cur = f"{cur} {piece}" if cur else piece
    lines.append(cur)
    return lines


def _fit_claim_width(rows: list[list[str]], width: int | None, claim_width: int | None) -> int:
    """Claim column width: explicit, or whatever a ``width``-column terminal leaves over."""
    if claim_width is not None:
        return max(claim_width, 10)
    if width is None:
        return CLAIM_WIDTH
    others = 0
    for i, head in enumerate(HEADERS):
        if i != CLAIM_COLUMN:
            others += max([len(head)] + [len(line) for r in rows for line in r[i].split("\n")]) + 2
    return max(20, min(CLAIM_WIDTH, width - others - 4))  # the claim cell may run a little past its width


# --------------------------------------------------------------------- text

def render_text(report: Report, *, width: int | None = None, claim_width: int | None = None,
                color: bool = False) -> str:
    """Plain text for a terminal.

    ``width`` is the terminal width: the claim column gets what the other
    columns leave (at most 80). ``color`` adds ANSI colours to grades only.
    """
    out = [_header(report), ""]
    for article in report.articles:
        out.append(article_heading(article))
        if article.claims:
            wrap = width is not None
            draft = _text_rows(article, CLAIM_WIDTH, wrap)
            rows = _text_rows(article, _fit_claim_width(draft, width, claim_width), wrap)
            if color:
                grade_col = HEADERS.index("grade")
                for row in rows:
                    c = _ANSI[_grade_colour(report, row[grade_col])]
                    row[grade_col] = f"{c}{row[grade_col]}{_ANSI['reset']}"
            heads = TERMINAL_HEADERS if wrap else HEADERS
            out.append(tabulate(rows, headers=heads, tablefmt="simple", disable_numparse=True))
        else:
            out.append("No claims found.")
        out += [article_summary(report, article), ""]
    out.append(total_summary(report))
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------- markdown

def _md_cell(text: str) -> str:
    # a bare pipe would end the cell; a newline would end the row
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def render_markdown(report: Report, *, claim_width: int | None = None) -> str:
    width = claim_width or CLAIM_WIDTH
    out = ["# Evidence report", "", _md_cell(_header(report)), ""]
    for article in report.articles:
        out += [f"## {_md_cell(article_heading(article))}", ""]
        if article.claims:
            rows = [[_md_cell(c) for c in row] for row in _rows(article, width)]
            out.append(tabulate(rows, headers=HEADERS, tablefmt="github", disable_numparse=True))
        else:
            out.append("No claims found.")
        out += ["", _md_cell(article_summary(report, article)), ""]
    out.append(f"**{_md_cell(total_summary(report))}**")
    return "\n".join(out) + "\n"


# -------------------------------------------------------------------- latex

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", ELLIPSIS: r"\ldots{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))


def latex_escape(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group()], text)


def _latex_table(rows: Sequence[Sequence[str]]) -> str:
    # tabulate's latex_booktabs escapes the specials itself; the ellipsis it leaves
    # to the input encoding, which pdflatex setups without utf8 support lack.
    body = tabulate(rows, headers=HEADERS, tablefmt="latex_booktabs", disable_numparse=True)
    body = body.replace(ELLIPSIS, r"\ldots{}")
    spec = ["l"] * len(HEADERS)
    spec[CLAIM_COLUMN] = r"p{0.35\linewidth}"
    spec[HEADERS.index("flagged")] = r"p{0.15\linewidth}"
    return body.replace("\\begin{tabular}{" + "l" * len(HEADERS) + "}",
                        "\\begin{tabular}{" + "".join(spec) + "}", 1)


def render_latex(report: Report, *, claim_width: int | None = None,
                 standalone: bool = False) -> str:
    """A LaTeX fragment (needs ``booktabs``); ``standalone`` wraps it in a document."""
    width = claim_width or CLAIM_WIDTH
    out: list[str] = []
    if standalone:
        out += [r"\documentclass{article}", r"\usepackage[T1]{fontenc}",
                r"\usepackage[utf8]{inputenc}", r"\usepackage{booktabs}",
                r"\usepackage[margin=1.5cm,landscape]{geometry}", r"\begin{document}", ""]
    out += [latex_escape(_header(report)), ""]
    for article in report.articles:
        out.append(r"\subsection*{" + latex_escape(article_heading(article)) + "}")
        if article.claims:
            out += [r"{\small", _latex_table(_rows(article, width)), "}"]
        else:
            out.append("No claims found.")
        out += ["", latex_escape(article_summary(report, article)), ""]
    out.append(r"\paragraph{" + latex_escape(total_summary(report)) + "}")
    if standalone:
        out += ["", r"\end{document}"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------- html

_CSS = """\
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.claim { max-width: 40rem; }
.grade { font-weight: 600; }
.rank-best { color: #1a7f37; }
.rank-middle { color: #9a6700; }
.rank-worst { color: #cf222e; }
.untraceable { color: #cf222e; }
p.summary { color: #555; }"""


def _css_class(name: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "unknown"


def _grade_classes(report: Report, grade: str) -> str:
    rank = {"green": "rank-best", "yellow": "rank-middle", "red": "rank-worst"}
    return f"grade grade-{_css_class(grade)} {rank[_grade_colour(report, grade)]}"


def _html_row(report: Report, gc: GradedClaim, claim_width: int) -> str:
    e = html.escape
    cells = [
        f'<td class="where">{e(where(gc))}</td>',
        f'<td class="claim" title="{e(" ".join(gc.claim.text.split()))}">'
        f'{e(shorten_claim(gc.claim, claim_width))}</td>',
        f'<td class="kind">{e(gc.claim.kind)}</td>',
        f'<td class="keys">{e(keys_cell(gc))}</td>',
        f'<td class="{_grade_classes(report, gc.grade)}">{e(gc.grade)}</td>',
        f'<td class="certainty">{e(certainty_cell(gc))}</td>',
        f'<td class="traceable{"" if gc.traceable else " untraceable"}">'
        f'{"yes" if gc.traceable else "no"}</td>',
        f'<td class="flagged">{e(flags_cell(gc))}</td>',
    ]
    return f'    <tr id="{e(gc.claim.id)}">' + "".join(cells) + "</tr>"


def render_html(report: Report, *, claim_width: int | None = None,
                title: str = "evgrade report") -> str:
    """A standalone HTML5 page; each grade cell has ``grade-<level>`` for styling."""
    width = claim_width or CLAIM_WIDTH
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(title)}</title>", "<style>", _CSS, "</style>", "</head>", "<body>",
           f"<h1>{e(title)}</h1>", f"<p>{e(_header(report))}</p>"]
    for article in report.articles:
        out += ["<section>", f"<h2>{e(article_heading(article))}</h2>"]
        if article.claims:
            out += ["<table>", "  <thead><tr>" + "".join(f"<th>{h}</th>" for h in HEADERS)
                    + "</tr></thead>", "  <tbody>"]
            out += [_html_row(report, gc, width) for gc in article.claims]
            out += ["  </tbody>", "</table>"]
        else:
            out.append("<p>No claims found.</p>")
        out += [f'<p class="summary">{e(article_summary(report, article))}</p>', "</section>"]
    out += [f'<p class="total"><strong>{e(total_summary(report))}</strong></p>',
            "</body>", "</html>"]
    return "\n".join(out) + "\n"


__all__ = ["HEADERS", "latex_escape", "render_html", "render_latex", "render_markdown",
           "render_text"]
