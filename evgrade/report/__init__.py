"""The report stage: turn a :class:`~evgrade.models.Report` into text.

Formats live in :data:`FORMATS`, keyed by name; third-party packages add more
through the ``evgrade.formats`` entry-point group with a callable
``(report, **options) -> str``. Formats that can be written an article at a
time (JSON Lines, CSV) are also in :data:`STREAM_FORMATS` (:mod:`.stream`).
The verdicts of ``evgrade resolve`` (a
:class:`~evgrade.models.ResolutionReport`) have their own registry,
:data:`RESOLUTION_FORMATS` (entry-point group ``evgrade.resolution_formats``);
:func:`render` picks the registry from the model it is given. This stage only
renders: it never reads files, looks anything up, prints or decides exit codes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .._registry import Registry, lazy_names
from ..errors import UsageError
from ..models import Report, ResolutionReport
from .json_ import load_report, report_json_schema
from .stream import STREAM_FORMATS, write_pieces  # noqa: F401  (piece by piece)

Renderer = Callable[..., "str | bytes"]
BINARY_FORMATS = frozenset({"pdf"})  # renderers that return bytes

# each format's module is imported when the format is first asked for: `check` (lint)
# loads neither the HTML nor the table code
FORMATS: Registry[Renderer] = Registry("format", "evgrade.formats")
for _name, _where in (("text", "text:render_text"), ("markdown", "markdown:render_markdown"),
                      ("latex", "latex:render_latex"), ("html", "html:render_html"),
                      ("pdf", "pdf:render_pdf"), ("worksheet", "worksheet:render_worksheet"),
                      ("worksheet-html", "worksheet:render_worksheet_html"),
                      ("csv", "csv_:render_csv"), ("json", "json_:render_json"),
                      ("jsonl", "stream:render_jsonl"), ("lint", "lint:render_lint"),
                      ("sarif", "sarif:render_sarif"), ("github", "github:render_github")):
    FORMATS.register_lazy(_name, f"{__name__}.{_where}")

RESOLUTION_FORMATS: Registry[Renderer] = Registry("resolution format", "evgrade.resolution_formats")
RESOLUTION_FORMATS.register_lazy("text", f"{__name__}.resolutions:render_resolutions_text")
RESOLUTION_FORMATS.register_lazy("json", f"{__name__}.resolutions:render_resolutions_json")

# `evgrade refs`'s registry and renderer, imported on first use
__getattr__ = lazy_names(__name__, dict.fromkeys(["REFS_FORMATS", "render_refs"], "refs"))


def _accepted(fn: Renderer, options: dict[str, Any]) -> dict[str, Any]:
    """Options ``fn`` takes. Others are dropped, so a caller can pass the same
    options (``color``, ``width``...) whatever the format."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return options
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return options
    names = {p.name for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    return {k: v for k, v in options.items() if k in names}


def render(report: Report | ResolutionReport, fmt: str, **options: Any) -> str | bytes:
    """``report`` in format ``fmt``, from the registry for its model (``bytes`` for pdf)."""
    formats = RESOLUTION_FORMATS if isinstance(report, ResolutionReport) else FORMATS
    renderer = formats.get(fmt)
    if renderer is None:
        raise UsageError(f"unknown output format {fmt!r}; known formats: "
                         f"{', '.join(formats.names())}")
    return renderer(report, **_accepted(renderer, options))


__all__ = ["BINARY_FORMATS", "FORMATS", "RESOLUTION_FORMATS", "STREAM_FORMATS", "Renderer",
           "load_report", "render", "report_json_schema", "write_pieces"]
