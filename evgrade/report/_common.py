"""Pieces every output format shares: paths, claim shortening, link labels, counts."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePath

from ..models import ArticleReport, Claim, Finding, GradedClaim, Link, Report

CLAIM_WIDTH = 80
ELLIPSIS = "…"

# Numbers carry a claim's weight, so they are kept visible first, then named sources.
# Hedges are left out: showing "may" matters less than showing what the claim is about.
_CUE_PRIORITY = ("percent", "number", "comparison", "venue", "institution", "researcher",
                 "study-reference", "vague-attribution")


def display_path(path: str, base: str | os.PathLike[str] | None = None) -> str:
    """``path`` relative to ``base`` (default: cwd) with forward slashes.

    Paths outside ``base`` stay absolute: a ``../../x`` path is harder to read
    and breaks tools that resolve it from somewhere else.
    """
    if not path:
        return ""
    p = Path(path)
    if p.is_absolute():
        root = Path(base) if base is not None else Path.cwd()
        try:
            return p.relative_to(root).as_posix()
        except ValueError:
            return p.as_posix()
    return PurePath(os.path.normpath(path)).as_posix()


def table_path(path: str) -> str:
    """The file shown in a table's ``where`` column: its basename.

    The article heading above each table carries the full relative path, so the
    column stays narrow enough to leave room for the claim.
    """
    return PurePath(path.replace("\\", "/")).name if path else ""


def where(gc: GradedClaim) -> str:
    return f"{table_path(gc.claim.article)}:{gc.claim.span.line}"


def _key_cue(claim: Claim) -> tuple[int, int] | None:
    """(start, end) of the cue worth keeping visible, inside claim.text."""
    best: tuple[int, int, int] | None = None
    for cue in claim.cues:
        if cue.kind not in _CUE_PRIORITY:
            continue
        rank = _CUE_PRIORITY.index(cue.kind)
        start = cue.offset
        if claim.text[start:start + len(cue.text)] != cue.text:
            found = claim.text.find(cue.text)
            if found < 0:
                continue
            start = found
        cand = (rank, start, start + len(cue.text))
        if best is None or cand < best:
            best = cand
    return None if best is None else (best[1], best[2])


def _cut_words(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, ending at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    if cut <= limit // 2:  # one very long word: cut inside it rather than lose the line
        cut = limit
    return text[:cut].rstrip(" ,;:")


def shorten(text: str, width: int = CLAIM_WIDTH, keep: tuple[int, int] | None = None) -> str:
    """Fold whitespace and shorten to ``width`` characters at word boundaries.

    ``keep`` is a (start, end) range of the original text that should stay
    visible: when it falls beyond the cut, the text is shown from a few words
    before it, with a leading ellipsis.
    """
    width = max(width, 10)
    if keep is not None:
        # map the range through whitespace folding
        prefix = " ".join(text[:keep[0]].split())
        if prefix and text[:keep[0]][-1:].isspace():
            prefix += " "
        kept = " ".join(text[keep[0]:keep[1]].split())
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    if keep is None or len(prefix) + len(kept) <= width - 1:
        return _cut_words(flat, width - 1) + ELLIPSIS
    # start a little before the cue so the reader sees what it qualifies
    start = max(0, len(prefix) - width // 4)
    space = flat.rfind(" ", 0, start + 1)
    start = space + 1 if space >= 0 else start
    body = flat[start:]
    lead = ELLIPSIS if start > 0 else ""
    if len(lead) + len(body) <= width:
        return lead + body
    return lead + _cut_words(body, width - len(lead) - 1) + ELLIPSIS


def shorten_claim(claim: Claim, width: int = CLAIM_WIDTH) -> str:
    return shorten(claim.text, width, _key_cue(claim))


def link_label(link: Link) -> str:
    if link.via == "citation":
        return link.key
    if link.via == "suggested":
        return f"{link.key}? (suggested)"
    return f"{link.key} ({link.via})"


def keys_cell(gc: GradedClaim) -> str:
    return ", ".join(link_label(link) for link in gc.links) or "-"


def flags_cell(gc: GradedClaim) -> str:
    return "; ".join(gc.flags)


def certainty_cell(gc: GradedClaim) -> str:
    """The GRADE-style certainty of the claim's evidence; "-" when it is not rated."""
    return gc.certainty.level if gc.certainty is not None else "-"


def grade_order(report: Report, grades: Iterable[str]) -> list[str]:
    """Rubric levels best first, then any grade the rubric does not list."""
    order = list(report.levels)
    order += sorted(set(grades) - set(order))
    return order


def grade_counts(report: Report, by_grade: dict[str, int]) -> list[tuple[str, int]]:
    return [(g, by_grade.get(g, 0)) for g in grade_order(report, by_grade)]


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def article_summary(report: Report, article: ArticleReport) -> str:
    s = article.summary
    grades = ", ".join(f"{g} {n}" for g, n in grade_counts(report, s.by_grade))
    return (f"{plural(s.claims, 'claim')}: {grades}; with a traceable citation: "
            f"{s.traceable}/{s.claims} ({share(s.traceable, s.claims)})")


def total_summary(report: Report) -> str:
    by_grade: Counter[str] = Counter()
    claims = traceable = 0
    for a in report.articles:
        by_grade.update(a.summary.by_grade)
        claims += a.summary.claims
        traceable += a.summary.traceable
    grades = ", ".join(f"{g} {n}" for g, n in grade_counts(report, dict(by_grade)))
    return (f"Total: {plural(len(report.articles), 'article')}, {plural(claims, 'claim')}: "
            f"{grades}; with a traceable citation: {traceable}/{claims} ({share(traceable, claims)})")


def severity_counts(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def article_heading(article: ArticleReport) -> str:
    path = display_path(article.path)
    return f"{path} — {article.title}" if article.title else path
