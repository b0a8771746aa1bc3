"""The report in pieces (evgrade/report/stream.py): JSON Lines and CSV written an
article at a time say what the whole report says."""

from __future__ import annotations

import json

import pytest
from report_sample import build_report

from evgrade.errors import UsageError
from evgrade.models import Report
from evgrade.report import STREAM_FORMATS, render, write_pieces
from evgrade.report.stream import Footer, Header, Rendered, collect, finding_order, pieces_of


def test_pieces_make_the_report_again() -> None:
    report = build_report()  # its findings are in no order; the pipeline's are sorted
    report = report.model_copy(update={"findings": tuple(sorted(report.findings, key=finding_order))})
    assert collect(pieces_of(report)) == report


def test_each_article_gets_the_findings_in_its_file() -> None:
    report = build_report()
    pieces = list(pieces_of(report))
    assert isinstance(pieces[0], Header) and isinstance(pieces[-1], Footer)
    for article, findings in pieces[1:-1]:
        assert findings == [f for f in report.findings if f.path == article.path]
    paths = {a.path for a in report.articles}
    assert pieces[-1].findings == [f for f in report.findings if f.path not in paths]
    assert pieces[-1].decisive == list(report.findings)


def test_csv_written_in_pieces_is_the_csv() -> None:
    report = build_report()
    assert "".join(write_pieces(pieces_of(report), "csv")) == render(report, "csv")


def test_jsonl_lines_hold_the_json_report() -> None:
    report = build_report()
    lines = [json.loads(line) for line in render(report, "jsonl").splitlines()]
    assert lines[0] == {"type": "report", "schema_version": report.schema_version, "tool": "evgrade",
                        "version": report.version, "rubric": report.rubric,
                        "levels": list(report.levels), "bibliographies": list(report.bibliographies)}
    whole = json.loads(render(report, "json"))
    articles = [line for line in lines if line["type"] == "article"]
    assert [line["article"] for line in articles] == whole["articles"]
    entries = {line["entry"]["key"]: line["entry"] for line in lines if line["type"] == "entry"}
    assert entries == whole["entries"]
    findings = [f for line in articles for f in line["findings"]]
    findings += [line["finding"] for line in lines if line["type"] == "finding"]
    again = Report.model_validate({**whole, "findings": findings})
    assert sorted(again.findings, key=lambda f: f.model_dump_json()) == \
        sorted(report.findings, key=lambda f: f.model_dump_json())


def test_rendered_articles_pass_through_and_cannot_make_a_report() -> None:
    report = build_report()
    header, *_, footer = list(pieces_of(report))
    assert "".join(write_pieces([header, Rendered("as written\n"), footer], "csv")).count("as written") == 1
    with pytest.raises(ValueError):
        collect([header, Rendered("x"), footer])


def test_a_format_not_written_in_pieces_is_a_usage_error() -> None:
    assert STREAM_FORMATS.names() == ["csv", "json", "jsonl"]
    with pytest.raises(UsageError, match="csv, json, jsonl"):
        list(write_pieces(pieces_of(build_report()), "html"))
