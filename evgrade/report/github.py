"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

Escaping follows the runner's rules: in the message ``%``, CR and LF are
percent-encoded; in properties ``:`` and ``,`` are as well, since they
delimit the property list.
"""

from __future__ import annotations

from ..models import Finding, Report
from ._common import display_path
from ._safe import visible as shown_text
from .lint import visible

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    # the runner's own escapes first, so a CR stays %0D; then every other control shown
    return shown_text(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props: list[tuple[str, str]] = []
    if f.path:
        props.append(("file", display_path(f.path)))
        if f.line is not None:
            props.append(("line", str(f.line)))
            # GitHub only honours columns when the annotation stays on one line
            single_line = f.end_line is None or f.end_line == f.line
            if f.col is not None and single_line:
                props.append(("col", str(f.col)))
            if f.end_line is not None:
                props.append(("endLine", str(f.end_line)))
                if f.end_col is not None and single_line:
                    props.append(("endColumn", str(f.end_col)))
    props.append(("title", f"{f.code} {f.name}"))
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS[f.severity]} {prop_text}::{escape_data(f.message)}"


def render_github(report: Report, *, show_info: bool = False) -> str:
    lines = [annotation(f) for f in visible(report.findings, show_info)]
    return "\n".join(lines) + "\n" if lines else ""
