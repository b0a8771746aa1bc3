"""JSON output: the Report model is the schema, so dump, load and schema come from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..models import SCHEMA_VERSION, Report

SCHEMA_ID = "urn:evgrade:report"  # a name, not a location to fetch
SCHEMA_FILE = "docs/report.schema.json"


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def nested(text: str, depth: int) -> str:
    """Indented JSON text (``model_dump_json(indent=2)``) as it stands ``depth`` levels deep
    in a document dumped with the same indent."""
    return "\n".join("  " * depth + line for line in text.split("\n"))


class JsonPieces:
    """The JSON of :func:`render_json`, an article at a time (report/stream.py): the
    articles are written as they come, the entries and every finding at the end."""

    every_finding = True   # the footer must hold every finding: the JSON lists them at the end
    document = True        # one document: a part of it is no JSON, so standard output gets it whole

    def __init__(self) -> None:
        self.articles = 0

    def header(self, h: Any) -> str:
        text = Report(version=h.version, rubric=h.rubric, levels=h.levels,
                      bibliographies=h.bibliographies).model_dump_json(indent=2)
        return text[:text.rindex(_NO_ARTICLES)] + '  "articles": ['

    def article(self, article: Any, findings: Any) -> str:
        """The article as the JSON holds it (its findings are in the footer's)."""
        return nested(article.model_dump_json(indent=2), 2)

    def placed(self, text: str) -> str:
        """``text`` (an article) with what separates it from the one before."""
        self.articles += 1
        return ("\n" if self.articles == 1 else ",\n") + text

    def footer(self, f: Any) -> str:
        text = Report(version="", rubric="", levels=(), entries=f.entries,
                      findings=tuple(f.findings)).model_dump_json(indent=2)
        close = "\n  ]" if self.articles else "]"
        return close + text[text.rindex(_NO_ARTICLES) + len(_NO_ARTICLES):] + "\n"


_NO_ARTICLES = '  "articles": []'


def _major(version: str) -> str:
    return version.split(".", 1)[0]


def load_report(text: str | bytes, *, path: str | None = None) -> Report:
    """Read a report written by :func:`render_json`.

    A report of another major schema version is refused: a major bump means
    fields changed meaning (see docs/output.md).
    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        raise InputError(f"not valid JSON: {getattr(exc, 'msg', exc)}",
                         path=path, line=line, col=col) from None
    if not isinstance(data, dict):
        raise InputError("not an evgrade report: the top level is not an object", path=path)
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, str) or _major(version) != _major(SCHEMA_VERSION):
        raise InputError(f"report schema version {version!r} is not supported "
                         f"(this evgrade reads {_major(SCHEMA_VERSION)}.x)", path=path)
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise InputError(f"not an evgrade report: {where}: {first['msg']} "
                         f"({exc.error_count()} problem(s))", path=path) from None


def report_json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of what :func:`render_json` writes."""
    schema = Report.model_json_schema(mode="serialization")
    schema["description"] = (f"An evgrade report, schema_version {SCHEMA_VERSION}. "
                             "Additive changes bump the minor version, breaking ones the major.")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            **schema}


def report_json_schema_text() -> str:
    """The exact text of docs/report.schema.json; a test keeps the file equal to it."""
    return json.dumps(report_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_report_schema(path: str | Path = SCHEMA_FILE) -> Path:
    target = Path(path)
    target.write_text(report_json_schema_text(), encoding="utf-8")
    return target
