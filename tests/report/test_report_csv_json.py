"""csv and json output, the JSON schema file and load_report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from report_sample import OPTION, STAT_70, build_report, empty_report

from evgrade.errors import InputError
from evgrade.models import SCHEMA_VERSION, Report
from evgrade.report import load_report, render, report_json_schema
from evgrade.report.csv_ import FIELDS
from evgrade.report.json_ import SCHEMA_FILE, report_json_schema_text, write_report_schema

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    return build_report()


# ----------------------------------------------------------------------- csv

def test_csv_round_trips_through_dictreader(report):
    out = render(report, "csv")
    assert out.startswith(",".join(FIELDS) + "\r\n")  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert len(rows) == sum(len(a.claims) for a in report.articles) == 5
    by_text = {r["text"]: r for r in rows}
    row = by_text[STAT_70]  # commas inside the text survive quoting
    gc = report.articles[0].claims[2]
    assert row == {
        "article": OPTION, "line": "19", "col": str(gc.claim.span.col),
        "end_line": "19", "end_col": str(gc.claim.span.end_col), "claim_id": gc.claim.id,
        "kind": "statistic", "text": STAT_70, "keys": "Zheng2018", "via": "suggested",
        "grade": "none", "minimum": "trial", "meets_minimum": "no", "certainty": "", "traceable": "no",
        "flags": "no citation;named source untraceable",
    }
    assert by_text[report.articles[0].claims[1].claim.text]["via"] == "map"


def test_csv_quotes_quotes_and_newlines(report):
    article = report.articles[0]
    gc = article.claims[0]
    text = 'A "quoted" claim,\nover two lines'
    odd = gc.model_copy(update={"claim": gc.claim.model_copy(update={"text": text})})
    r = report.model_copy(update={"articles": (article.model_copy(update={"claims": (odd,)}),)})
    out = render(r, "csv")
    assert '"A ""quoted"" claim,\nover two lines"' in out
    assert [row["text"] for row in csv.DictReader(io.StringIO(out, newline=""))] == [text]


def test_csv_of_empty_report_is_the_header():
    assert render(empty_report(), "csv") == ",".join(FIELDS) + "\r\n"


# ---------------------------------------------------------------------- json

def test_json_round_trip(report):
    text = render(report, "json")
    assert Report.model_validate_json(text) == report
    assert load_report(text) == report
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION


def test_json_output_validates_against_the_shipped_schema(report):
    schema = json.loads((REPO / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(json.loads(render(report, "json")))
    bad = json.loads(render(report, "json"))
    bad["articles"][0]["claims"][0]["claim"]["kind"] = "rumour"
    assert not validator.is_valid(bad)


def test_shipped_schema_file_matches_the_model():
    """docs/report.schema.json is generated; regenerate with
    python -c "from evgrade.report.json_ import write_report_schema; write_report_schema()"
    """
    assert (REPO / SCHEMA_FILE).read_text(encoding="utf-8") == report_json_schema_text()


def test_schema_function_and_writer_agree(tmp_path):
    target = write_report_schema(tmp_path / "schema.json")
    assert json.loads(target.read_text(encoding="utf-8")) == report_json_schema()
    assert report_json_schema()["properties"]["schema_version"]["default"] == SCHEMA_VERSION


@pytest.mark.parametrize("text, expected", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "top level is not an object"),
    ('{"schema_version": "1.0", "version": "0.1.0", "rubric": "x", "levels": []}',
     "schema version '1.0' is not supported"),  # 1.x still had Report.command
    ('{"schema_version": "3.0", "version": "0.1.0", "rubric": "x", "levels": []}',
     "schema version '3.0' is not supported"),
    ('{"version": "0.1.0", "rubric": "x"}', "levels"),
    ('{"version": "0.1.0", "rubric": "x", "levels": [], "colour": 1}', "colour"),
])
def test_load_report_refuses_bad_input_with_input_error(text, expected):
    with pytest.raises(InputError) as info:
        load_report(text, path="report.json")
    assert expected in str(info.value)
    assert str(info.value).startswith("report.json")


def test_load_report_accepts_another_minor_of_the_same_major(report):
    data = json.loads(render(report, "json"))
    data["schema_version"] = "2.9"
    loaded = load_report(json.dumps(data))
    assert loaded.schema_version == "2.9"
    assert loaded.articles == report.articles
