"""Text from drafts and bibliographies, made harmless for the tools that show a report.

One place for every format (docs/security.md, issue 9 item 5):

- :func:`visible` shows control characters instead of sending them. A claim or a
  bib title may carry terminal escapes (``\\x1b[2J`` clears the screen, OSC sequences
  retitle the window or forge hyperlinks), one-byte C1 controls (``\\x9b`` is a CSI on
  terminals that honour C1), a bare CR that lets text overwrite a line, NUL, or
  bidirectional overrides that reorder what a reader sees. Each becomes its code
  written out (``\\x1b``, ``\\u202e``). Tab and newline are kept: they are layout.
- :func:`csv_cell` also defuses spreadsheet formulas: a cell that starts with ``=``,
  ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` (the OWASP CSV-injection advice);
  :func:`csv_needs_quotes` says such a cell must be quoted.

Every renderer passes input text through these before its own escaping (HTML
entities, LaTeX specials, Markdown pipes): escaping for a format cannot neutralise a
control character, and these never produce a character a format must escape.
"""

from __future__ import annotations

import re

from .. import _patterns

# C0 except tab and newline; DEL; C1; bidi embeddings, overrides and isolates
_HIDDEN = _patterns.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _written_out(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character written out as ``\\xNN`` or ``\\uNNNN``."""
    return _HIDDEN.sub(_written_out, text) if text else text


def csv_cell(text: str) -> str:
    """``text`` for a CSV cell: controls written out, a formula start defused with ``'``."""
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return visible(text)


def csv_needs_quotes(cell: str) -> bool:
    """A cell that was defused, or holds a separator, quote or line end (RFC 4180)."""
    return cell.startswith("'") or any(c in cell for c in ',"\r\n')


__all__ = ["FORMULA_STARTS", "csv_cell", "csv_needs_quotes", "visible"]
