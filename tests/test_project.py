"""Options.from_project: the project policy a library caller gets, in the CLI's precedence.

Explicit options > the config file > the bibliography the documents name > defaults.
The inputs are real: the JOSS draft from ../shared (it names paper.bib in its front
matter) and the bundled articles and references.bib.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evgrade.pipeline import Options, project_inputs, run

ROOT = Path(__file__).resolve().parents[1]
JOSS = ROOT.parent / "shared" / "fixtures" / "drafts" / "joss-timeseriesflattener"
ARTICLE = ROOT / "articles" / "why-does-ketamine-therapy-work.txt"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_NO_CACHE", raising=False)
    monkeypatch.delenv("EVGRADE_MAILTO", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder holding the JOSS draft (which names paper.bib) and a references.bib."""
    folder = tmp_path / "project"
    shutil.copytree(JOSS, folder)
    shutil.copy(ROOT / "references.bib", folder / "references.bib")
    return folder


def test_the_bibliography_the_draft_names_beats_references_bib(project: Path) -> None:
    options = Options.from_project(project)
    assert options.bibliographies == () and options.default_bibliographies == (project / "references.bib",)
    report = run([project / "paper.md"], options)
    assert report.bibliographies == (str(project / "paper.bib"),)


def test_references_bib_is_used_when_nothing_names_a_bibliography(project: Path) -> None:
    shutil.copy(ARTICLE, project / ARTICLE.name)
    report = run([project / ARTICLE.name], Options.from_project(project))
    assert report.bibliographies == (str(project / "references.bib"),)


def test_the_config_beats_the_documents_and_explicit_options_beat_the_config(project: Path) -> None:
    (project / "evgrade.toml").write_text('bibliography = "references.bib"\nrubric = "cebm"\n',
                                          encoding="utf-8")
    report = run([project / "paper.md"], Options.from_project(project))
    assert report.bibliographies == (str(project / "references.bib"),)
    assert report.rubric == "cebm"
    explicit = Options.from_project(project, bibliographies=(project / "paper.bib",), rubric="medrs")
    report = run([project / "paper.md"], explicit)
    assert report.bibliographies == (str(project / "paper.bib"),) and report.rubric == "medrs"


def test_the_claim_map_is_found_next_to_the_inputs_unless_the_caller_says_otherwise(
        project: Path) -> None:
    assert Options.from_project(ROOT).claim_map == ROOT / "articles" / "claims.toml"
    assert Options.from_project(project, inputs=[ROOT / "articles"]).claim_map \
        == ROOT / "articles" / "claims.toml"
    assert Options.from_project(project, inputs=[project / "paper.md"]).claim_map is None
    # a caller's default (here: no discovery) gives way to the config
    assert Options.from_project(ROOT, defaults={"claim_map": None}).claim_map is None
    (project / "evgrade.toml").write_text('map = "maps/paper.toml"\n', encoding="utf-8")
    assert Options.from_project(project, defaults={"claim_map": None}).claim_map \
        == project / "maps" / "paper.toml"


def test_default_inputs_come_from_the_config_else_articles(project: Path) -> None:
    assert project_inputs(folder=project) == (project / "articles",)
    assert project_inputs(["paper.md"], folder=project) == (Path("paper.md"),)
    (project / "evgrade.toml").write_text('articles = ["paper.md"]\n', encoding="utf-8")
    assert project_inputs(folder=project) == (project / "paper.md",)


def test_fail_on_ignore_and_unused_follow_the_same_order(project: Path) -> None:
    assert Options.from_project(project).fail_on == "never"
    assert Options.from_project(project, defaults={"fail_on": "warning"}).fail_on == "warning"
    (project / "evgrade.toml").write_text('fail-on = "error"\nignore = ["EV201"]\nunused = true\n',
                                          encoding="utf-8")
    options = Options.from_project(project, defaults={"fail_on": "warning"}, ignore={"EV204"})
    assert options.fail_on == "error"
    assert options.ignore == {"EV201", "EV204"}  # explicit ignores add to the project's
    assert options.unused is True
    assert Options.from_project(project, fail_on="info", unused=False).fail_on == "info"


def test_caches(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Options.from_project(project).cache_dir == tmp_path / "cache" / "bibliographies"
    assert Options.from_project(project, cache_root=tmp_path / "elsewhere").cache_dir \
        == tmp_path / "elsewhere" / "bibliographies"
    (project / "evgrade.toml").write_text('cache-dir = ".cache"\nmailto = "lab@example.org"\n',
                                          encoding="utf-8")
    options = Options.from_project(project, resolve={"mode": "offline"})
    assert options.cache_dir == project / ".cache" / "bibliographies"
    assert options.resolve is not None
    assert (options.resolve.cache_dir, options.resolve.mailto, options.resolve.mode) \
        == (project / ".cache", "lab@example.org", "offline")
    assert Options.from_project(project).resolve is None
    monkeypatch.setenv("EVGRADE_NO_CACHE", "1")
    assert Options.from_project(project).cache_dir is None


def test_importing_the_pipeline_does_not_import_requests() -> None:
    code = "import sys, evgrade.pipeline; sys.exit('requests' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def _readme_config() -> str:
    """The evgrade.toml example of README.md ("Use it as a linter"), as printed there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it as a linter", 1)[1]
    return section.split("```toml\n", 1)[1].split("```", 1)[0]


def test_the_readme_config_works_in_evgrade_toml_with_or_without_its_table(project: Path) -> None:
    """Before: "tool: Extra inputs are not permitted" for the README's own example."""
    example = _readme_config()
    assert example.startswith("[tool.evgrade]\n")
    for text in (example, example.removeprefix("[tool.evgrade]\n")):
        (project / "evgrade.toml").write_text(text.replace("refs.bib", "paper.bib"), encoding="utf-8")
        options = Options.from_project(project)
        assert options.bibliographies == (project / "paper.bib",)
        assert (options.rubric, options.fail_on, options.ignore) == ("medrs", "error", {"EV204"})


@pytest.mark.parametrize("text,needle", [
    ('rubric = "cebm"\n[tool.evgrade]\nrubric = "medrs"\n',
     "both top-level settings (rubric) and [tool.evgrade]: use one or the other"),
    ('[tool.evgrade]\nrubric = "medrs"\n[tool.black]\nline-length = 99\n',
     "tool.black: Extra inputs are not permitted"),
    ('[tool.evgrade]\nrubric = 5\n', "[tool.evgrade] rubric: Input should be a valid string"),
    ("[tool]\nevgrade = 5\n", "'tool.evgrade' must be a table"),
])
def test_an_evgrade_toml_mixing_both_ways_is_one_clear_error(project: Path, text: str, needle: str) -> None:
    from evgrade.errors import ConfigError

    (project / "evgrade.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Options.from_project(project)
    message = str(info.value)
    assert message.startswith(f"{project / 'evgrade.toml'}: ") and needle in message and "\n" not in message


def test_strict_input_comes_from_the_config_below_explicit_options(project: Path) -> None:
    assert Options.from_project(project).strict_input is False
    (project / "evgrade.toml").write_text("strict-input = true\n", encoding="utf-8")
    assert Options.from_project(project).strict_input is True
    assert Options.from_project(project, strict_input=False).strict_input is False
