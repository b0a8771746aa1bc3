"""Issue 9, item 7: a configuration value of the wrong type is one line naming the
file and the key, exit 2, never exit 3.

Before the fix ``tool = 5`` in pyproject.toml raised AttributeError and
``[tool] evgrade = 5`` a TypeError inside ``config.find_config``: the command line
reported an internal error and exited 3. A nesting deep enough to overflow tomllib's
recursion did the same (RecursionError), and ``unused = "no"`` was read as true.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evgrade.cli import main
from evgrade.config import find_config
from evgrade.errors import ConfigError

ARTICLE = "Coffee is popular.\n"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_DEBUG", raising=False)


def project(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def cli(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        code = main(["score", "article.txt"])
    finally:
        os.chdir(old)
    return code, capsys.readouterr().err


def assert_config_error(folder: Path, name: str, key: str, capsys) -> None:
    with pytest.raises(ConfigError) as info:
        find_config(folder)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(folder / name)), message
    assert key in message, message
    code, err = cli(folder, capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("evgrade: error: "), err
    assert name in lines[0] and key in lines[0]


@pytest.mark.parametrize("text,key", [
    ("tool = 5\n", "tool"),
    ('tool = "evgrade"\n', "tool"),
    ("tool = [1, 2]\n", "tool"),
    ("[tool]\nevgrade = 5\n", "tool.evgrade"),
    ('[tool]\nevgrade = "yes"\n', "tool.evgrade"),
    ("[tool]\nevgrade = [1]\n", "tool.evgrade"),
    ("[[tool.evgrade]]\nrubric = 'default'\n", "tool.evgrade"),
    ("[tool.evgrade]\nrubric = 5\n", "rubric"),
])
def test_pyproject_with_a_wrong_type(tmp_path: Path, capsys, text: str, key: str) -> None:
    assert_config_error(project(tmp_path, "pyproject.toml", text), "pyproject.toml", key, capsys)


WRONG = {
    "bibliography": ["5", "[1]", "{a = 1}", "true", "['ok.bib', 2]"],
    "rubric": ["5", "['default']", "{}", "false"],
    "map": ["5", "['claims.toml']", "1.5"],
    "articles": ["5", "[[1]]", "{}", "2024-01-01"],
    "fail-on": ["5", "['error']", "'sometimes'", "true"],
    "ignore": ["5", "'EV101'", "[1]", "['EV999']", "{}"],
    "unused": ["'yes'", "'no'", "1", "[]", "'true'"],
    "mailto": ["5", "['a@b.c']", "true"],
    "cache-dir": ["5", "['x']", "{}"],
    "source": ["5", "'elsewhere'"],
    "no-such-key": ["1"],
    "resolve": ["5", "'crossref'", "[1]", "{sources = 5}", "{sources = []}", "{sources = [1]}",
                "{sources = ['no such\\nsource']}", "{pubmed-url = 5}", "{crossref-url = 'ftp://x'}",
                "{openalex-url = ['https://x']}", "{source-settings = 5}",
                "{source-settings = {crossref = 5}}", "{source-settings = {crossref = {rps = 'fast'}}}",
                "{source-settings = {crossref = {rps = -1}}}", "{source-settings = {crossref = {rps = nan}}}",
                "{source-settings = {crossref = {concurrency = 1.5}}}",
                "{source-settings = {crossref = {concurrency = true}}}",
                "{source-settings = {crossref = {rps = true}}}",
                "{source-settings = {crossref = {list-rps = '2'}}}",
                "{source-settings = {crossref = {url = 5}}}", "{source-settings = {crossref = {key = 'x'}}}",
                "{bogus = 1}"],
}
CASES = [(key, value) for key, values in WRONG.items() for value in values]


@pytest.mark.parametrize("key,value", CASES, ids=[f"{k}={v}" for k, v in CASES])
def test_evgrade_toml_with_a_wrong_type_for_every_key(tmp_path: Path, capsys, key: str, value: str) -> None:
    folder = project(tmp_path, "evgrade.toml", f"{key} = {value}\n")
    assert_config_error(folder, "evgrade.toml", key, capsys)


def test_a_key_with_a_newline_stays_on_one_line(tmp_path: Path, capsys) -> None:
    folder = project(tmp_path, "evgrade.toml", '"bad\\nkey\\u001b[2J" = 1\n')
    assert_config_error(folder, "evgrade.toml", "bad", capsys)


@pytest.mark.parametrize("text", ["a = " + "[" * 5000 + "]" * 5000 + "\n",
                                  "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n"])
def test_nesting_too_deep_for_the_toml_parser(tmp_path: Path, capsys, text: str) -> None:
    folder = project(tmp_path, "evgrade.toml", text)
    with pytest.raises(ConfigError) as info:
        find_config(folder)
    assert "\n" not in str(info.value) and "evgrade.toml" in str(info.value)
    assert cli(folder, capsys)[0] == 2


def test_right_types_still_load(tmp_path: Path) -> None:
    folder = project(tmp_path, "evgrade.toml",
                     'bibliography = "refs.bib"\nrubric = "default"\nunused = true\n'
                     'ignore = ["EV301", "unused-entry"]\nfail-on = "never"\n'
                     '[resolve.source-settings.crossref]\nrps = 5\nlist-rps = 0.5\nconcurrency = 2\n')
    config = find_config(folder)
    assert config.bibliography == ("refs.bib",) and config.unused is True
    assert config.fail_on == "never" and config.ignore == ("EV301", "unused-entry")
    assert config.resolve.per_source() == {"crossref": {"rps": 5.0, "list_rps": 0.5, "concurrency": 2}}
