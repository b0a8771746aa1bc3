"""SARIF 2.1.0 output, validated against the OASIS schema bundled in tests/data/sarif."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from report_sample import OPTION, REPO, build_report, empty_report

from evgrade._findings import SPECS, make
from evgrade.report import render
from evgrade.report.sarif import FINGERPRINT, SARIF_SCHEMA, fingerprint, sarif_log

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif" / "sarif-schema-2.1.0.json")
                    .read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report():
    return build_report()


@pytest.fixture(scope="module")
def log(report):
    return json.loads(render(report, "sarif", root=REPO, show_info=True))


def test_bundled_schema_is_the_oasis_one():
    assert SCHEMA["id"] == SARIF_SCHEMA
    jsonschema.Draft4Validator.check_schema(SCHEMA)


def test_sarif_validates_against_the_official_schema(log):
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_schema_rejects_what_it_should(log):
    validator = jsonschema.Draft4Validator(SCHEMA)
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "info"  # SARIF says "note"
    assert not validator.is_valid(broken)


def test_sarif_empty_report_validates():
    log = sarif_log(empty_report(), root=REPO)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_run_and_rules(log, report):
    assert log["version"] == "2.1.0" and log["$schema"] == SARIF_SCHEMA
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "evgrade" and driver["version"] == report.version
    codes = sorted({f.code for f in report.findings})
    assert [r["id"] for r in driver["rules"]] == codes
    for rule in driver["rules"]:
        spec = SPECS[rule["id"]]
        assert rule["name"] == spec.name
        assert rule["fullDescription"]["text"] == spec.summary
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] == {"info": "note"}.get(spec.severity,
                                                                               spec.severity)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"


def test_results(log, report):
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(report.findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
        assert len(result["partialFingerprints"][FINGERPRINT]) == 32
    first = next(r for r in run["results"] if r["message"]["text"].startswith("statistic"))
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": OPTION, "uriBaseId": "%SRCROOT%"}
    span = report.articles[0].claims[2].claim.span
    # SARIF's endColumn is exclusive, evgrade's end_col inclusive
    assert loc["region"] == {"startLine": 19, "startColumn": span.col, "endLine": 19,
                             "endColumn": span.end_col + 1}
    note = next(r for r in run["results"] if r["ruleId"] == "EV204")
    assert note["level"] == "note" and note["properties"]["key"] == "Zheng2018"


def test_uris_are_relative_forward_slash_or_absolute_file_uris(log):
    for result in log["runs"][0]["results"]:
        art = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert "\\" not in art["uri"]
        if "uriBaseId" in art:
            assert not urlsplit(art["uri"]).scheme and not art["uri"].startswith("/")
        else:  # the bibliography outside the source root
            assert art["uri"].startswith("file:///")


def test_paths_are_percent_encoded(tmp_path):
    f = make("EV201", "x", path=str(tmp_path / "my notes" / "a#1.md"), line=1, col=1)
    log = sarif_log(empty_report().model_copy(update={"findings": (f,)}), root=tmp_path)
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art == {"uri": "my%20notes/a%231.md", "uriBaseId": "%SRCROOT%"}


def test_fingerprint_survives_moving_text_but_not_another_claim(report):
    f = report.findings[0]
    moved = f.model_copy(update={"line": f.line + 10, "col": 1, "message": "reworded"})
    assert fingerprint(moved) == fingerprint(f)
    other = f.model_copy(update={"claim_id": "why-does-ketamine-therapy-work:0000000000"})
    assert fingerprint(other) != fingerprint(f)
    assert fingerprint(f.model_copy(update={"code": "EV203"})) != fingerprint(f)


def test_fingerprints_are_unique_in_the_sample(log):
    prints = [r["partialFingerprints"][FINGERPRINT] for r in log["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)


def test_every_result_has_a_location_as_github_requires(log):
    for result in log["runs"][0]["results"]:
        (loc,) = result["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"]
        assert loc["physicalLocation"]["region"]["startLine"] >= 1


def test_findings_without_path_or_line():
    f = make("EV101", "unknown key", path="refs.bib")
    g = make("EV406", "offline", key="Zheng2018")
    log = sarif_log(empty_report().model_copy(update={"findings": (f, g)}), root=REPO,
                    show_info=True)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run = log["runs"][0]
    (result,) = run["results"]  # the path-less one cannot be uploaded to GitHub as a result
    assert result["ruleId"] == "EV101"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert run["properties"]["unlocatedFindings"] == [
        {"code": "EV406", "name": "could-not-verify", "severity": "info", "message": "offline",
         "key": "Zheng2018"}]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["EV101"]


def test_info_findings_follow_show_info(report):
    hidden = sarif_log(report, root=REPO)
    assert [r["ruleId"] for r in hidden["runs"][0]["results"]].count("EV204") == 0
    assert "EV204" not in [r["id"] for r in hidden["runs"][0]["tool"]["driver"]["rules"]]
    shown = sarif_log(report, root=REPO, show_info=True)
    assert [r["ruleId"] for r in shown["runs"][0]["results"]].count("EV204") == 1
