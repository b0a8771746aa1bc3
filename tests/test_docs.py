"""Docs that must match the code: README commands, finding codes, --help text."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from evgrade._findings import SPECS
from evgrade.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["score", "check", "map", "resolve", "eval", "rubrics", "codes", "refs", "annotate"]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^    (python3 -m venv .+)$", text, flags=re.MULTILINE)


def test_readme_has_the_two_commands_and_ci_runs_the_second() -> None:
    install_and_run, run_tests = readme_commands()[:2]
    assert install_and_run.endswith("evgrade score")
    assert "pytest" in run_tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert run_tests in ci.splitlines()


def test_findings_page_lists_exactly_the_known_codes() -> None:
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (EV\d{3}) \| ([a-z-]+) \| (error|warning|info) \|", text, flags=re.MULTILINE)
    assert {(c, n, s) for c, n, s in rows} == {(s.code, s.name, s.severity) for s in SPECS.values()}


def render_cli_doc() -> str:
    """docs/cli.md: the --help of evgrade and each command, at a fixed width."""
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        parts = ["# Command-line reference\n",
                 "Generated from `--help` (a test keeps this page in sync; regenerate with\n"
                 "`EVGRADE_UPDATE_DOCS=1 python -m pytest tests/test_docs.py`).\n"]
        for argv in [[]] + [[c] for c in COMMANDS]:
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                main([*argv, "--help"])
            title = "evgrade " + " ".join(argv) if argv else "evgrade"
            parts.append(f"\n## {title}\n\n```\n{buf.getvalue().rstrip()}\n```\n")
        return "".join(parts)
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def test_cli_doc_matches_help() -> None:
    path = ROOT / "docs" / "cli.md"
    expected = render_cli_doc()
    if os.environ.get("EVGRADE_UPDATE_DOCS"):
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_description(command: str) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices[command].description  # type: ignore[index]


def test_every_doc_page_named_in_the_readme_exists() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in re.findall(r"`(docs/[\w.-]+)`", text):
        assert (ROOT / name).is_file(), name


def test_readme_quotes_the_real_score_output(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## What you get"):readme.index("## Commands")]
    excerpt = [line[4:] for line in section.splitlines() if line.startswith("    ")]
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        assert main(["score", "--width", "100"]) == 0
    finally:
        os.chdir(old)
    out = capsys.readouterr().out.splitlines()
    assert len(excerpt) > 5
    for line in excerpt:  # every quoted line is a line of the real output
        assert line in out, line
