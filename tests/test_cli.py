"""The command line end to end: real articles, real bibliography, every bad input.

`main(argv)` is called in-process with the working directory set, so these
tests see exactly what a user sees on stdout/stderr and the exit code.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from evgrade import __version__
from evgrade.cli import main
from evgrade.models import Report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # never write to the user's cache from tests; never pick up a stray config
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_DEBUG", raising=False)


def run(argv: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        code = main(argv)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def test_bare_score_in_repo_root_grades_the_bundled_articles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", "--width", "1000"], ROOT, capsys)  # one line per row
    assert code == 0, err
    assert err == ""
    for path in sorted((ROOT / "articles").glob("*.txt")):
        assert f"articles/{path.name}" in out
    row = next(line for line in out.splitlines() if "Journal of Psychiatric Research, 70%" in line)
    assert " statistic " in row
    assert "names Journal of Psychiatric Research, cites nothing" in out  # one flag a line
    assert " none " in row  # grade none
    assert "Murrough 2013, open-label, n=24 [Murrough2013BP]" in row  # offered in its own column
    assert "Zheng 2018, open-label, n=97 [Zheng2018]" in out
    assert "figure and population match Murrough2013BP" in out  # misattribution said
    assert "RCT, n=73 [Murrough2013AJP]" in out  # the claim map links other claims
    assert "Total: 5 articles" in out


def test_score_json_round_trips_through_the_report_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["score", "--format", "json"], ROOT, capsys)
    assert code == 0
    report = Report.model_validate_json(out)
    assert report.schema_version and report.version == __version__
    assert Report.model_validate_json(report.model_dump_json()) == report
    claim = next(gc for a in report.articles for gc in a.claims if "70% of patients" in gc.claim.text)
    assert claim.claim.kind == "statistic" and claim.grade == "none" and not claim.traceable
    assert {l.via for l in claim.links} == {"suggested"}
    assert any(f.name == "untraceable-attribution" and f.claim_id == claim.claim.id for f in report.findings)
    mapped = [gc for a in report.articles for gc in a.claims if any(l.via == "map" for l in gc.links)]
    # a mapped claim graded "none" says why: partial, missing or contradicting support
    assert len(mapped) >= 40 and all(gc.grade != "none" or gc.flags for gc in mapped)


@pytest.mark.parametrize("fmt,probe", [
    ("markdown", "| line"), ("latex", "\\begin{tabular}"), ("html", "<table"),
    ("csv", "claim_id"), ("lint", "EV203"), ("sarif", '"version": "2.1.0"'), ("github", "::warning"),
])
def test_every_format_renders_the_bundled_example(fmt: str, probe: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["score", "-f", fmt], ROOT, capsys)
    assert code == 0
    assert probe in out


def test_csv_has_one_row_per_claim(capsys: pytest.CaptureFixture[str]) -> None:
    _, out_json, _ = run(["score", "-f", "json"], ROOT, capsys)
    n = sum(len(a.claims) for a in Report.model_validate_json(out_json).articles)
    _, out, _ = run(["score", "-f", "csv"], ROOT, capsys)
    assert len(list(csv.DictReader(io.StringIO(out)))) == n


def test_fail_on_sets_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["score", "--fail-on", "warning"], ROOT, capsys)[0] == 1
    assert run(["score", "--fail-on", "never"], ROOT, capsys)[0] == 0


def test_output_file_is_written_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.md"
    code, out, _ = run(["score", "-f", "markdown", "-o", str(target)], ROOT, capsys)
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").count("| line ") == 5
    assert [p.name for p in out_dir.iterdir()] == ["report.md"]  # no temp file left behind


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], ROOT, capsys)
    assert code == 0 and out.strip() == f"evgrade {__version__}"
    code, out, _ = run(["score", "--help"], ROOT, capsys)
    assert code == 0 and "--fail-on" in out and "exit codes" in out


# ------------------------------------------------------------ bad input

def assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("evgrade: error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0]


def test_empty_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, out, err = run(["score", "empty.txt", "--bib", str(ROOT / "references.bib")], tmp_path, capsys)
    assert_one_line_error(code, err, "empty.txt", "empty")
    assert out == ""


def test_non_utf8_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "latin1.txt").write_bytes("Ketamine works.\nCaf\xe9 patients improved.\n".encode("latin-1"))
    code, _, err = run(["score", "latin1.txt"], tmp_path, capsys)
    assert_one_line_error(code, err, "latin1.txt:2:4", "UTF-8")


def test_missing_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["score", "nope.txt"], tmp_path, capsys)
    assert_one_line_error(code, err, "nope.txt")


def test_malformed_rubric(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nlevels = [\n', encoding="utf-8")
    code, _, err = run(["score", str(ROOT / "articles"), "--rubric", str(bad)], tmp_path, capsys)
    assert_one_line_error(code, err, "bad.toml")


def test_unknown_rubric_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["score", str(ROOT / "articles"), "--rubric", "nosuch"], tmp_path, capsys)
    assert_one_line_error(code, err, "nosuch")


def test_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["score", "-f", "docx"], ROOT, capsys)
    assert_one_line_error(code, err, "docx")


def test_bad_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["score", "--no-such-option"], ROOT, capsys)
    assert_one_line_error(code, err, "--no-such-option")


def test_malformed_claim_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "claims.toml"
    bad.write_text('version = 1\n[[claims]]\nquote = "unterminated\n', encoding="utf-8")
    code, _, err = run(["score", str(ROOT / "articles"), "--map", str(bad)], tmp_path, capsys)
    assert_one_line_error(code, err, "claims.toml:3")


DRAFT = """---
title: A draft
bibliography: refs.bib
---

Ketamine produced a rapid antidepressant response in a randomized trial [@Zarate2006].
In a study published in the Journal of Psychiatric Research, 70% of patients improved [@Nobody2020].
"""


def _draft_project(tmp_path: Path, bib: str) -> None:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")


ZARATE = """@article{Zarate2006,
  author = {Zarate, C. A., Jr. and Singh, J. B. and Carlson, P. J. and others},
  title = {A randomized trial of an {N}-methyl-{D}-aspartate antagonist in treatment-resistant major depression},
  journal = {Archives of General Psychiatry}, year = {2006},
  doi = {10.1001/archpsyc.63.8.856}, pmid = {16894061},
  studydesign = {randomized controlled trial (double-blind, placebo-controlled crossover; n=18)}
}
"""


def test_unknown_citation_key_is_a_finding_exit_1_and_2_only_when_strict(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _draft_project(tmp_path, ZARATE)
    code, out, err = run(["check", "draft.md"], tmp_path, capsys)
    assert code == 1, err  # a linter's finding, not "evgrade could not run"
    assert "Traceback" not in err and err == ""
    lines = [l for l in out.splitlines() if "EV101" in l]
    assert lines == ["draft.md:7:88: EV101 claim cites unknown key 'Nobody2020'"]
    assert out.splitlines()[-1].startswith("Found ") and "1 error" in out.splitlines()[-1]
    # the old strictness on request: the same report, exit 2
    code, strict_out, _ = run(["check", "draft.md", "--strict-input"], tmp_path, capsys)
    assert code == 2 and strict_out == out
    # --exit-zero silences the 1, not the 2 that --strict-input asks for
    assert run(["check", "draft.md", "--exit-zero"], tmp_path, capsys)[0] == 0
    assert run(["check", "draft.md", "--exit-zero", "--strict-input"], tmp_path, capsys)[0] == 2
    # an error finding: --fail-on error still fails, score's default 'never' does not
    assert run(["check", "draft.md", "--fail-on", "error"], tmp_path, capsys)[0] == 1
    # the rest is still checked: the known key grades the first claim
    code, out, err = run(["score", "draft.md", "-f", "json"], tmp_path, capsys)
    assert code == 0
    assert [l for l in err.splitlines() if "EV101" in l][0].startswith("draft.md:7:88: EV101")
    report = Report.model_validate_json(out)
    first = report.articles[0].claims[0]
    assert first.grade == "trial" and first.traceable


def test_strict_input_from_the_project_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _draft_project(tmp_path, ZARATE)
    (tmp_path / "evgrade.toml").write_text("strict-input = true\n", encoding="utf-8")
    assert run(["check", "draft.md"], tmp_path, capsys)[0] == 2
    (tmp_path / "evgrade.toml").write_text('strict-input = "yes"\n', encoding="utf-8")
    code, _, err = run(["check", "draft.md"], tmp_path, capsys)
    assert_one_line_error(code, err, "evgrade.toml", "strict-input")


def test_a_missing_key_outside_every_claim_is_found_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A heading's citation and a \\nocite are in no claim; their keys must exist all the same."""
    (tmp_path / "refs.bib").write_text(ZARATE, encoding="utf-8")
    (tmp_path / "draft.md").write_text("# Methods, after @Missing2020\n\nKetamine produced a rapid "
                                       "antidepressant response [@Zarate2006].\n", encoding="utf-8")
    (tmp_path / "draft.tex").write_text("\\documentclass{article}\n\\begin{document}\nKetamine works."
                                        "\\nocite{Missing2021}\n\\end{document}\n", encoding="utf-8")
    code, out, _ = run(["check", "draft.md", "draft.tex", "--bib", "refs.bib"], tmp_path, capsys)
    assert out.splitlines() == ["draft.md:1:18: EV101 citation of unknown key 'Missing2020'",
                                "draft.tex:3:24: EV101 citation of unknown key 'Missing2021'",
                                "Found 2 problems (2 errors) in 2 files."]
    assert code == 1


def test_a_cited_duplicate_key_keeps_its_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _draft_project(tmp_path, ZARATE + "\n" + ZARATE.replace("year = {2006}", "year = {2007}"))
    code, out, err = run(["score", "draft.md"], tmp_path, capsys)
    assert code == 0  # score fails on nothing by default
    dup = [l for l in err.splitlines() if "EV302" in l]
    assert len(dup) == 1 and dup[0].startswith("refs.bib:9: EV302 key 'Zarate2006' is defined again")
    assert "Traceback" not in err
    assert "draft.md" in out  # partial results kept: the table is still printed
    code, out, _ = run(["check", "draft.md", "--ignore", "EV101"], tmp_path, capsys)
    assert code == 1 and "refs.bib:9: EV302 key 'Zarate2006' is defined again" in out
    assert run(["score", "draft.md", "--strict-input"], tmp_path, capsys)[0] == 2


def test_broken_entry_is_skipped_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _draft_project(tmp_path, "@article{Broken2020,\n  title = {Unclosed\n\n" + ZARATE)
    code, out, err = run(["check", "draft.md", "-f", "json", "--ignore", "EV101"], tmp_path, capsys)
    report = Report.model_validate_json(out)
    broken = [f for f in report.findings if f.code == "EV303"]
    assert len(broken) == 1 and broken[0].line == 1
    # the draft does not cite the broken entry: shown as info, failing nothing
    assert broken[0].severity == "info" and broken[0].message.endswith("(no document here cites it, so info)")
    assert report.entries["Zarate2006"].exists  # the entry after the broken one still loaded
    code, out, _ = run(["check", "draft.md", "--ignore", "EV101,EV201,EV202,EV203"], tmp_path, capsys)
    assert code == 0 and out.splitlines()[-1] == "No problems found. 1 info finding not shown.", out
    (tmp_path / "draft.md").write_text("About 30% of patients relapsed [@Broken2020].\n", encoding="utf-8")
    code, out, err = run(["score", "draft.md", "--bib", "refs.bib", "-f", "json"], tmp_path, capsys)
    report = Report.model_validate_json(out)
    assert [f.severity for f in report.findings if f.code == "EV303"] == ["warning"]  # cited: kept
    assert [l for l in err.splitlines() if "EV303" in l][0].startswith("refs.bib:1:")
    assert code == 0
    assert run(["score", "draft.md", "--bib", "refs.bib", "--strict-input"], tmp_path, capsys)[0] == 2


def test_check_a_clean_draft_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "draft.md").write_text(
        "---\nbibliography: refs.bib\n---\n\nKetamine produced a rapid antidepressant response "
        "in treatment-resistant depression [@Zarate2006].\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(ZARATE, encoding="utf-8")
    code, out, err = run(["check", "draft.md"], tmp_path, capsys)
    assert code == 0, out + err
    assert out.strip().splitlines()[-1] == "No problems found."


def test_check_uses_the_claim_map_beside_the_draft_as_score_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before, check ignored a claims.toml that score used: the same draft, two verdicts."""
    art = tmp_path / "articles"
    art.mkdir()
    name = "why-does-ketamine-therapy-work.txt"
    shutil.copy(ROOT / "articles" / name, art)
    shutil.copy(ROOT / "articles" / "claims.toml", art)
    shutil.copy(ROOT / "references.bib", tmp_path)

    def mapped(argv: list[str]) -> int:
        code, out, _ = run(argv + ["-f", "json"], tmp_path, capsys)
        report = Report.model_validate_json(out)
        return sum(1 for a in report.articles for gc in a.claims for l in gc.links if l.via == "map")

    by_score = mapped(["score", f"articles/{name}"])
    assert by_score >= 5
    assert mapped(["check", f"articles/{name}"]) == by_score
    (tmp_path / "empty.toml").write_text("version = 1\n", encoding="utf-8")
    assert mapped(["check", f"articles/{name}", "--map", "empty.toml"]) == 0  # --map names another


def test_map_skeleton_then_score_uses_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    art = tmp_path / "articles"
    art.mkdir()
    shutil.copy(ROOT / "articles" / "understanding-the-science-behind-ketamine-therapy.txt", art)
    code, _, err = run(["map", "articles"], tmp_path, capsys)
    assert code == 0 and "claim(s) added" in err
    text = (art / "claims.toml").read_text(encoding="utf-8")
    assert text.count("[[claims]]") >= 15
    # a second run adds nothing and leaves the bytes alone
    run(["map", "articles"], tmp_path, capsys)
    assert (art / "claims.toml").read_text(encoding="utf-8") == text


def test_codes_and_rubrics_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["codes"], ROOT, capsys)
    assert code == 0 and "EV203" in out and "untraceable-attribution" in out
    code, out, _ = run(["rubrics"], ROOT, capsys)
    assert code == 0 and "default" in out and "medrs" in out
    code, out, _ = run(["rubrics", "default"], ROOT, capsys)
    assert code == 0 and "trial" in out and "statistic" in out


def test_eval_prints_the_measurement(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["eval"], ROOT, capsys)
    assert code == 0
    assert "overall" in out and "F1" in out


def test_real_draft_from_shared_fixtures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = SHARED / "fixtures" / "drafts" / "joss-timeseriesflattener"
    shutil.copytree(src, tmp_path / "paper")
    code, out, err = run(["check", "paper/paper.md", "-f", "json"], tmp_path, capsys)
    assert "Traceback" not in err
    report = Report.model_validate_json(out)
    assert report.bibliographies == ("paper/paper.bib",)
    cited = {l.key for a in report.articles for gc in a.claims for l in gc.links if l.via == "citation"}
    assert len(cited) >= 5
    assert all(report.entries[k].exists for k in cited)
    assert code in (0, 1)


# ------------------------------------------------------ linter behaviour

def test_inline_suppression_silences_one_paragraph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "refs.bib").write_text(ZARATE, encoding="utf-8")
    (tmp_path / "draft.md").write_text(
        "---\nbibliography: refs.bib\n---\n\n"
        "<!-- evgrade: ignore EV201 -->\n"
        "In 2021, 40% of clinics offered ketamine infusions to patients.\n\n"
        "About 30% of patients relapsed within a month.\n", encoding="utf-8")
    code, out, _ = run(["check", "draft.md"], tmp_path, capsys)
    ev201 = [l for l in out.splitlines() if " EV201 " in l]
    assert len(ev201) == 1 and ev201[0].startswith("draft.md:8:1:")  # only the second paragraph
    assert code == 1


def test_project_config_sets_bibliography_ignores_and_fail_on(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "refs.bib").write_text(ZARATE, encoding="utf-8")
    (tmp_path / "draft.md").write_text("About 30% of patients relapsed within a month.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "paper"\n\n[tool.evgrade]\nbibliography = ["refs.bib"]\n'
        'ignore = ["EV201"]\nfail-on = "info"\n', encoding="utf-8")
    code, out, _ = run(["check", "draft.md", "-f", "json"], tmp_path, capsys)
    report = Report.model_validate_json(out)
    assert report.bibliographies == (str(tmp_path / "refs.bib"),)
    assert not any(f.code == "EV201" for f in report.findings)
    assert code == 0  # nothing left at or above info


def test_bad_project_config_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "draft.md").write_text("About 30% of patients relapsed.\n", encoding="utf-8")
    (tmp_path / "evgrade.toml").write_text('fail-on = "sometimes"\nbogus = 1\n', encoding="utf-8")
    code, _, err = run(["check", "draft.md"], tmp_path, capsys)
    assert_one_line_error(code, err, "evgrade.toml", "fail-on", "bogus")


def test_a_project_config_over_the_size_cap_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from evgrade import _files

    (tmp_path / "draft.md").write_text("About 30% of patients relapsed.\n", encoding="utf-8")
    (tmp_path / "evgrade.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    monkeypatch.setattr(_files, "SETTINGS_LIMIT", 8)   # 10 MB in use; read whole, never streamed
    code, _, err = run(["check", "draft.md"], tmp_path, capsys)
    assert_one_line_error(code, err, "evgrade.toml", "config file is larger than the 8 bytes limit")


def test_unused_entries_are_reported_on_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _draft_project(tmp_path, ZARATE + "\n@book{Unused1999, title = {Never cited}, year = {1999}, isbn = {978-0-306-40615-7}}\n")
    code, out, _ = run(["check", "draft.md", "--unused", "--show-info", "--ignore", "EV101"], tmp_path, capsys)
    assert any(" EV301 " in l and "Unused1999" in l for l in out.splitlines())
    code, out, _ = run(["check", "draft.md", "--show-info", "--ignore", "EV101"], tmp_path, capsys)
    assert " EV301 " not in out


def test_offline_resolution_makes_no_request_and_says_could_not_verify(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import requests

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline mode touched the network")

    monkeypatch.setattr(requests.Session, "send", refuse)
    (tmp_path / "refs.bib").write_text(ZARATE, encoding="utf-8")
    code, out, err = run(["resolve", "--bib", "refs.bib", "--offline", "-f", "json"], tmp_path, capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert payload["resolutions"]["Zarate2006"]["status"] == "unverified"
    # one per identifier, each saying which source could not answer and why
    messages = sorted(f["message"] for f in payload["findings"] if f["code"] == "EV406")
    assert len(messages) == 2 and "DOI 10.1001/archpsyc.63.8.856" in messages[0] and "PMID 16894061" in messages[1]
    assert all("offline" in m for m in messages)
    # the same through score: the claim keeps its offline grade, the entry says why
    _draft_project(tmp_path, ZARATE)
    code, out, _ = run(["score", "draft.md", "--resolve", "--offline", "-f", "json", "--ignore", "EV101"],
                       tmp_path, capsys)
    report = Report.model_validate_json(out)
    assert report.entries["Zarate2006"].resolution is not None
    assert report.entries["Zarate2006"].resolution.status == "unverified"
    assert report.articles[0].claims[0].grade == "trial"


def test_resolve_prints_the_verdict_table_from_the_registry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")  # found without --bib
    code, out, err = run(["resolve", "--offline"], tmp_path, capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["key", "verdict", "match", "sources", "note"]
    rows = {l.split()[0]: l.split()[1] for l in lines[2:-1]}
    assert rows["Zarate2006"] == "unverified" and rows["ShaMynds"] == "no-identifier"
    assert lines[-1] == f"{list(rows.values()).count('no-identifier')} no-identifier, " \
                        f"{list(rows.values()).count('unverified')} unverified"
    code, _, err = run(["resolve", "--offline", "-f", "sarif"], tmp_path, capsys)
    assert_one_line_error(code, err, "unknown output format 'sarif'", "json, text")
    (tmp_path / "empty").mkdir()
    code, _, err = run(["resolve", "--offline"], tmp_path / "empty", capsys)
    assert_one_line_error(code, err, "no bibliography")


def test_offline_without_resolve_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["score", "--offline"], ROOT, capsys)
    assert_one_line_error(code, err, "--offline")


def test_progress_bar_only_on_a_terminal_and_only_for_more_than_a_handful(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from evgrade import _cli_output

    monkeypatch.setattr(_cli_output.sys.stderr, "isatty", lambda: False, raising=False)
    assert _cli_output.progress_bar() is None
    fake = io.StringIO()
    fake.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(_cli_output.sys, "stderr", fake)
    few = _cli_output.progress_bar()
    assert few is not None
    for i in range(1, 6):
        few(i, 5)
    assert fake.getvalue() == ""  # five lookups: no bar
    many = _cli_output.progress_bar()
    for i in range(0, 41, 10):
        many(i, 40)
    assert "resolving" in fake.getvalue() and "40/40" in fake.getvalue()


def test_unwritable_output_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", "-o", str(tmp_path / "missing" / "report.txt")], ROOT, capsys)
    assert_one_line_error(code, err, "missing/report.txt", "cannot write the report")
