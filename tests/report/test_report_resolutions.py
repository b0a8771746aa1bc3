"""The resolution verdicts as report formats: pipeline.resolve_bibliography -> render.

The local server replays recorded Crossref, OpenAlex and PubMed bodies
(tests/data/api/, see SOURCE.txt there); nothing touches the network.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from resolve_support import ELIFE_DOI, HABANERO, PLOS_CORRECTED_DOI, crossref_work, options, serve_crossref

from evgrade.errors import UsageError
from evgrade.models import ResolutionReport
from evgrade.pipeline import Options, resolve_bibliography
from evgrade.report import FORMATS, RESOLUTION_FORMATS, render

BIB = f"""@article{{elife,
  author = {{Sankar, Martial and others}},
  title = {{Automated quantitative histology reveals vascular morphodynamics during Arabidopsis
            hypocotyl secondary growth}},
  journal = {{eLife}}, year = {{2014}}, doi = {{{ELIFE_DOI}}}
}}

@article{{corrected,
  author = {{Sadasivan, Shankar and others}},
  title = {{Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the basal ganglia of mice}},
  journal = {{PLoS ONE}}, year = {{2012}}, doi = {{{PLOS_CORRECTED_DOI}}}
}}

@online{{nothing, title = {{A clinic's own page}}, year = {{2023}}}}
"""


@pytest.fixture
def retracted(httpserver, resolve_clock, tmp_path: Path) -> ResolutionReport:
    # the recorded PLOS ONE correction notice, its type changed to "retraction":
    # no recorded body carries a real retraction
    item = crossref_work(HABANERO / "test_works_with_one_id_0.json")
    item["updated-by"][0]["type"] = "retraction"
    serve_crossref(httpserver, {PLOS_CORRECTED_DOI: item})
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    opts = options(httpserver, tmp_path / "cache", sources=("crossref",))
    return resolve_bibliography(Options(bibliographies=(tmp_path / "refs.bib",), resolve=opts))


def test_the_text_table_has_a_row_per_entry_and_a_count(retracted: ResolutionReport) -> None:
    assert list(retracted.resolutions) == ["elife", "corrected", "nothing"]  # bibliography order
    lines = render(retracted, "text").splitlines()
    assert lines[0].split() == ["key", "verdict", "match", "sources", "note"]
    rows = {line.split()[0]: line for line in lines[2:-1]}
    # tabulate aligns the match column as numbers: 1.00 prints as 1
    assert rows["corrected"].split()[1:3] == ["verified", "1"]
    assert "crossref:found" in rows["corrected"] and rows["corrected"].endswith("RETRACTED")
    assert rows["elife"].split() == ["elife", "not-found", "crossref:not-found"]  # not served here
    assert rows["nothing"].split() == ["nothing", "no-identifier"]
    assert lines[-1] == "1 no-identifier, 1 not-found, 1 verified"


def test_json_holds_every_verdict_and_finding(retracted: ResolutionReport) -> None:
    text = render(retracted, "json")
    data = json.loads(text)
    assert list(data) == ["resolutions", "findings"]
    assert data["resolutions"]["corrected"]["retracted"] is True
    assert any(f["code"] == "EV403" and f["key"] == "corrected" for f in data["findings"])
    assert ResolutionReport.model_validate_json(text) == retracted


def test_the_two_registries_are_apart(retracted: ResolutionReport) -> None:
    assert RESOLUTION_FORMATS.names() == ["json", "text"]
    assert "resolutions" not in FORMATS and "lint" not in RESOLUTION_FORMATS
    with pytest.raises(UsageError, match="known formats: json, text"):
        render(retracted, "lint")
