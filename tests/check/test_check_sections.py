"""``evgrade check`` and the parts of a manuscript: by default a paper's own methods,
results, captions, title block and acknowledgements hold no unsourced claims (EV201);
``[tool.evgrade.sections]`` changes that. Real inputs from ../shared/fixtures (origin and
licence in each folder's SOURCE.txt), copied where a test adds a config file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from evgrade.cli import main
from evgrade.models import Report

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
CEFIDEROCOL = FIXTURES / "manuscripts" / "cefiderocol-quarto-sr"
RESULT = "A total of 1496 citations were retrieved."   # the review's own result (line 151)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))


def check(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Report | str]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        code = main(["check", "Main_SR.qmd", *args])
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, (Report.model_validate_json(out) if "json" in args else err)


def _flagged(report: Report) -> set[int]:
    return {f.line for f in report.findings if f.code == "EV201" and f.line is not None}


def test_own_results_and_captions_are_no_unsourced_claims(tmp_path: Path, capsys) -> None:
    """Before: 49 EV201 on the review, among them its own "A total of 1496 citations were
    retrieved." and the figure caption."""
    text = (CEFIDEROCOL / "Main_SR.qmd").read_text(encoding="utf-8").splitlines()
    result_line = next(i for i, line in enumerate(text, 1) if line.startswith(RESULT))
    caption_line = next(i for i, line in enumerate(text, 1) if line.startswith("![**Figure 1**"))
    _, report = check(CEFIDEROCOL, capsys, "-f", "json")
    assert isinstance(report, Report)
    default = _flagged(report)
    assert result_line not in default and caption_line not in default
    assert default and max(default) < caption_line   # the introduction and discussion still are

    work = tmp_path / "review"
    shutil.copytree(CEFIDEROCOL, work)
    (work / "evgrade.toml").write_text('[tool.evgrade.sections]\nresults = "check"\ncaption = "check"\n',
                                       encoding="utf-8")
    _, report = check(work, capsys, "-f", "json")
    assert isinstance(report, Report)
    assert {result_line, caption_line} <= _flagged(report)
    assert default < _flagged(report)


def test_an_unknown_section_or_policy_is_a_config_error(tmp_path: Path, capsys) -> None:
    work = tmp_path / "review"
    shutil.copytree(CEFIDEROCOL, work)
    (work / "evgrade.toml").write_text('[sections]\nmethod = "check"\n', encoding="utf-8")
    code, err = check(work, capsys)
    assert code == 2 and "unknown section(s): 'method'" in str(err) and len(str(err).splitlines()) == 1
    (work / "evgrade.toml").write_text('sections = { methods = "ignore" }\n', encoding="utf-8")
    code, err = check(work, capsys)
    assert code == 2 and "a policy is one of check, own, skip" in str(err)
