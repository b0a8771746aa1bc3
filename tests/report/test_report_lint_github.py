"""lint (flake8-style lines) and github (workflow command annotations)."""

from __future__ import annotations

import re

import pytest
from report_sample import BIB, OPTION, WHY, build_report, empty_report

from evgrade._findings import make
from evgrade.report import render
from evgrade.report._common import display_path
from evgrade.report.github import escape_data, escape_property

LINT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>EV\d{3}) (?P<msg>.+)$")


@pytest.fixture(scope="module")
def report():
    return build_report()


# ---------------------------------------------------------------------- lint

def test_lint_lines_sorted_and_summarised(report):
    lines = render(report, "lint").splitlines()
    body, summary = lines[:-1], lines[-1]
    parsed = [LINT_LINE.match(line) for line in body]
    assert all(parsed), body
    keys = [(m["path"], int(m["line"]), int(m["col"])) for m in parsed]
    assert keys == sorted(keys)
    assert f"{OPTION}:19:79: EV201 statistic without citation (cue: '70%')" in body
    assert f"{WHY}:31:1: EV201 mechanism claim without citation (cue: 'Studies have shown')" in body
    assert f"{display_path(str(BIB))}:487:1: EV102 Xiong2020 has no DOI, PMID, PMCID, arXiv id or ISBN" in body
    assert not any("EV204" in line for line in body)  # info hidden by default
    assert summary == "Found 5 problems (5 warnings) in 3 files. 1 info finding not shown."


def test_lint_show_info(report):
    lines = render(report, "lint", show_info=True).splitlines()
    assert any(" EV204 Zheng2018 (Journal of Psychiatric Research, 2018)" in line for line in lines)
    assert lines[-1] == "Found 6 problems (5 warnings, 1 note) in 3 files."


def test_lint_counts_errors_and_keeps_findings_without_position(report):
    extra = (make("EV403", "Zarate2006 is retracted", path=OPTION, line=19, col=1,
                  key="Zarate2006"),
             make("EV101", "unknown key Nobody2020", path="refs.bib"))
    r = report.model_copy(update={"findings": report.findings + extra})
    lines = render(r, "lint").splitlines()
    assert "refs.bib: EV101 unknown key Nobody2020" in lines
    assert lines[-1] == "Found 7 problems (2 errors, 5 warnings) in 4 files. 1 info finding not shown."


def test_lint_singular_and_empty():
    one = empty_report().model_copy(update={"findings": (
        make("EV201", "statistic without citation", path=OPTION, line=3, col=2),)})
    assert render(one, "lint").splitlines()[-1] == "Found 1 problem (1 warning) in 1 file."
    assert render(empty_report(), "lint") == "No problems found.\n"


def test_lint_message_stays_on_one_line():
    r = empty_report().model_copy(update={"findings": (
        make("EV201", "two\nlines", path=OPTION, line=3, col=2),)})
    assert render(r, "lint").splitlines()[0] == f"{OPTION}:3:2: EV201 two lines"


# -------------------------------------------------------------------- github

def test_github_annotations(report):
    lines = render(report, "github").splitlines()
    assert len(lines) == 5  # info findings hidden by default
    assert lines[1] == (
        f"::warning file={OPTION},line=19,col=79,endLine=19,endColumn=270,"
        "title=EV201 claim-without-citation::statistic without citation (cue: '70%25')")
    assert all(re.match(r"^::(error|warning|notice) ", line) for line in lines)


def test_github_info_is_a_notice_when_shown(report):
    lines = render(report, "github", show_info=True).splitlines()
    notice = [line for line in lines if line.startswith("::notice ")]
    assert len(notice) == 1 and "title=EV204 suggested-source::" in notice[0]
    # the comma in the message is data, not a property separator: left as is
    assert notice[0].endswith("::Zheng2018 (Journal of Psychiatric Research, 2018) matches "
                              "the named source; offered, not counted")


def test_github_escaping_rules():
    assert escape_data("70%\r\nnext") == "70%25%0D%0Anext"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_github_escapes_properties_and_message():
    f = make("EV101", "key 'A,B' unknown:\nsee 100%", path="dir,with:odd/x.md", line=2, col=5)
    out = render(empty_report().model_copy(update={"findings": (f,)}), "github")
    assert out == ("::error file=dir%2Cwith%3Aodd/x.md,line=2,col=5,"
                   "title=EV101 unknown-citation-key::key 'A,B' unknown:%0Asee 100%25\n")


def test_github_drops_columns_for_multi_line_spans():
    f = make("EV201", "spans lines", path=OPTION, line=3, col=5)
    f = f.model_copy(update={"end_line": 4, "end_col": 9})
    out = render(empty_report().model_copy(update={"findings": (f,)}), "github")
    assert out.startswith(f"::warning file={OPTION},line=3,endLine=4,title=")


def test_github_nothing_to_say():
    assert render(empty_report(), "github") == ""
