"""Pieces every output format shares: paths, grade order, counts."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePath

from ..models import ArticleReport, Finding, Report
from ._safe import visible


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
    """An article's file name: summaries name articles by it (headings give the path)."""
    return PurePath(path.replace("\\", "/")).name if path else ""


def grade_order(report: Report, grades: Iterable[str]) -> list[str]:
    """Rubric levels best first, then any grade the rubric does not list."""
    order = list(report.levels)
    order += sorted(set(grades) - set(order))
    return order


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def severity_counts(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def article_heading(article: ArticleReport) -> str:
    path = display_path(article.path)
    return visible(f"{path} — {article.title}" if article.title else path)
