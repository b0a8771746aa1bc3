"""Findings as flake8-style lines (``path:line:col: CODE message``) for ``evgrade check``."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Finding, Report
from ._common import display_path, plural, severity_counts
from ._safe import visible as shown_text


def sort_key(f: Finding) -> tuple[str, int, int, str, str]:
    return (display_path(f.path), f.line or 0, f.col or 0, f.code, f.message)


def visible(findings: Iterable[Finding], show_info: bool) -> list[Finding]:
    return sorted((f for f in findings if show_info or f.severity != "info"), key=sort_key)


def location(f: Finding) -> str:
    """``path:line:col`` as far as it is known (a bibliography-wide finding has no line)."""
    parts = [display_path(f.path) or "<report>"]
    if f.line is not None:
        parts.append(str(f.line))
        if f.col is not None:
            parts.append(str(f.col))
    return ":".join(parts)


def format_finding(f: Finding) -> str:
    message = " ".join(shown_text(f.message).split())  # one finding, one line
    return f"{shown_text(location(f))}: {f.code} {message}"


def summary_line(shown: list[Finding], hidden: int = 0) -> str:
    if shown:
        counts = severity_counts(shown)
        kinds = ", ".join(plural(counts[sev], word) for sev, word in
                          (("error", "error"), ("warning", "warning"), ("info", "note"))
                          if counts[sev])
        files = len({f.path for f in shown if f.path})
        line = f"Found {plural(len(shown), 'problem')} ({kinds}) in {plural(files, 'file')}."
    else:
        line = "No problems found."
    if hidden:
        line += f" {plural(hidden, 'info finding')} not shown."
    return line


def render_lint(report: Report, *, show_info: bool = False) -> str:
    shown = visible(report.findings, show_info)
    hidden = len(report.findings) - len(shown)
    lines = [format_finding(f) for f in shown]
    lines.append(summary_line(shown, hidden))
    return "\n".join(lines) + "\n"
