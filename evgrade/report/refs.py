"""What ``evgrade refs`` prints: one row per bibliography entry with evgrade's judgement of it.

Rendered from a :class:`~evgrade.grade.refs.ReferenceList`, in its own registry
(:data:`REFS_FORMATS`, entry-point group ``evgrade.refs_formats``): ``text`` (a
table), ``markdown``, ``csv`` (every column, one row per entry), ``json`` (the
model), and for Zotero users ``zotero-extra`` (per item, the ``tex.evgrade-...``
lines to paste into the Extra field, which Better BibTeX exports as fields) and
``zotero-csv`` (the same lines in a CSV keyed by citation key).
Text from the bibliography is shown, never obeyed: control characters are written
as escapes, and a CSV cell that a spreadsheet would run as a formula is quoted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from .._registry import Registry
from ..errors import UsageError
from ..grade.refs import CHECKED_FIELD, ReferenceList, ReferenceRow, checked_value, judgement_fields
from ._safe import csv_cell, csv_needs_quotes, visible

__all__ = ["REFS_FORMATS", "render_refs", "zotero_extra_lines"]

ID_KINDS = ("doi", "pmid", "pmcid", "arxiv", "isbn", "url")
_WIDTHS = {"venue": 28, "cited": 40}


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _design(row: ReferenceRow) -> str:
    d = row.design
    if d.design == "unknown":
        return "unknown"
    low = " low" if d.low_confidence else ""
    return f"{d.design} ({d.source}, {d.confidence:.2f}{low})"


def _cited(row: ReferenceRow, width: int | None = None) -> str:
    text = ", ".join(place.describe() for place in row.cited)
    if width is None or len(text) <= width:
        return text
    return f"{len(row.cited)}: {_cut(text, width - len(str(len(row.cited))) - 2)}"


def _columns(refs: ReferenceList) -> list[str]:
    cols = ["key", "author", "year", "venue", "identifiers", "design (source, confidence)",
            "level", "traceable"]
    if refs.resolved:
        cols.append("retraction")
    if refs.usage_known:
        cols.append("cited")
    return cols


def _ids(row: ReferenceRow, short: bool) -> str:
    """The kinds of identifier (short) or kind:value pairs; "-" when there is none."""
    found = [k if short else f"{k}:{row.identifiers[k]}" for k in ID_KINDS if k in row.identifiers]
    return " ".join(found) or "-"


def _cells(refs: ReferenceList, row: ReferenceRow, *, short: bool) -> list[str]:
    cells = [row.key, row.first_author + (" et al." if row.authors > 1 else ""), row.year,
             _cut(row.venue, _WIDTHS["venue"]) if short else row.venue, _ids(row, short),
             _design(row), row.level, "yes" if row.traceable else "no"]
    if refs.resolved:
        cells.append(row.retraction or "-")
    if refs.usage_known:
        cells.append(_cited(row, _WIDTHS["cited"] if short else None) or "never")
    return [visible(c) for c in cells]


def _summary(refs: ReferenceList) -> str:
    levels = Counter(r.level for r in refs.rows)
    shown = f"{len(refs.rows)} of {refs.entries} entries" if len(refs.rows) != refs.entries \
        else f"{refs.entries} entries"
    parts = [", ".join(f"{levels[name]} {name}" for name in refs.levels if levels[name]) or "none",
             f"{sum(not r.traceable for r in refs.rows)} untraceable",
             f"{sum(r.design.low_confidence for r in refs.rows)} low-confidence designs"]
    if refs.usage_known:
        parts.append(f"{sum(not r.cited for r in refs.rows)} never cited")
    if refs.resolved:
        parts.append(f"{sum(r.retraction == 'retracted' for r in refs.rows)} retracted")
    tail = f"; {len(refs.findings)} finding(s) in the bibliography" if refs.findings else ""
    return f"{shown}, rubric {refs.rubric}: {'; '.join(parts)}{tail}"


def render_refs_text(refs: ReferenceList) -> str:
    """A plain table (venue and places shortened), then one summary line."""
    table = tabulate([_cells(refs, r, short=True) for r in refs.rows], headers=_columns(refs),
                     disable_numparse=True)
    return (table + "\n" if refs.rows else "") + _summary(refs) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_refs_markdown(refs: ReferenceList) -> str:
    """A GitHub table with full venues and identifiers, then the summary."""
    cols = _columns(refs)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_md(c) for c in _cells(refs, r, short=False)) + " |"
              for r in refs.rows]
    return "\n".join(lines) + "\n\n" + _md(_summary(refs)) + "\n"


CSV_FIELDS = ("key", "entry_type", "first_author", "authors", "year", "title", "venue",
              *ID_KINDS, "design", "design_source", "design_confidence", "design_evidence",
              "low_confidence", "level", "traceable", "reasons", "retraction", "resolution",
              "cited", "file", "line")


def _cell(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    cell = csv_cell(str(value))
    return '"' + cell.replace('"', '""') + '"' if csv_needs_quotes(cell) else cell


def _csv(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    """RFC 4180 with CRLF, a defused formula cell quoted (report/_safe.py)."""
    return "".join(",".join(_cell(v) for v in row) + "\r\n" for row in [list(header), *rows])


def render_refs_csv(refs: ReferenceList) -> str:
    """RFC 4180 CSV, one row per entry; lists joined with ";"."""
    rows = []
    for r in refs.rows:
        d = r.design
        rows.append([r.key, r.entry_type, r.first_author, r.authors, r.year, r.title, r.venue,
                     *(r.identifiers.get(k, "") for k in ID_KINDS), d.design, d.source,
                     f"{d.confidence:.2f}", d.evidence, "yes" if d.low_confidence else "no",
                     r.level, "yes" if r.traceable else "no", ";".join(r.reasons), r.retraction,
                     r.resolution, ";".join(p.describe() for p in r.cited),
                     r.location.path if r.location else "", r.location.line if r.location else ""])
    return _csv(CSV_FIELDS, rows)


def render_refs_json(refs: ReferenceList) -> str:
    return json.dumps(refs.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ Zotero

def zotero_extra_lines(refs: ReferenceList, row: ReferenceRow) -> list[str]:
    """The ``tex.evgrade-...: value`` lines for one item's Extra field (fields that should
    not be there are left out)."""
    fields = {k: v for k, v in judgement_fields(row).items() if v is not None}
    fields[CHECKED_FIELD] = checked_value(refs.date, refs.rubric)
    return [f"tex.{name}: {value}" for name, value in fields.items()]


def render_zotero_extra(refs: ReferenceList) -> str:
    """Per item, a heading naming the citation key, then the lines to paste into Extra."""
    blocks = []
    for r in refs.rows:
        head = f"== {r.key}" + (f" ({r.first_author} {r.year})".rstrip() if r.first_author else "")
        blocks.append("\n".join([visible(head), *map(visible, zotero_extra_lines(refs, r))]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def render_zotero_csv(refs: ReferenceList) -> str:
    """``citation-key,extra``: the Extra lines of each item in one cell, one line each."""
    return _csv(("citation-key", "extra"),
                [[r.key, "\n".join(zotero_extra_lines(refs, r))] for r in refs.rows])


# ------------------------------------------------------------------ registry

RefsRenderer = Callable[..., str]
REFS_FORMATS: Registry[RefsRenderer] = Registry("refs format", "evgrade.refs_formats")
for _name, _fn in (("text", render_refs_text), ("markdown", render_refs_markdown),
                   ("csv", render_refs_csv), ("json", render_refs_json),
                   ("zotero-extra", render_zotero_extra), ("zotero-csv", render_zotero_csv)):
    REFS_FORMATS.register(_name, _fn)


def render_refs(refs: ReferenceList, fmt: str) -> str:
    renderer = REFS_FORMATS.get(fmt)
    if renderer is None:
        raise UsageError(f"unknown refs format {fmt!r}; known formats: "
                         f"{', '.join(REFS_FORMATS.names())}")
    return renderer(refs)
