"""The pre-commit hook checks only the drafts a user names (issue 10).

Before, ``types_or: [markdown, tex]`` ran ``evgrade check`` on every Markdown file of a
repository: READMEs, changelogs, docs. pre-commit picks a hook's files by searching each
staged path with the ``files`` regular expression (default ``''``, every file) and
``exclude``, then by ``types``; a user's ``.pre-commit-config.yaml`` may override each
(pre-commit.com, "Creating new hooks" and ".pre-commit-config.yaml - hooks"). These
tests apply those rules to this repository's own files.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _hook() -> dict:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


def _selected(paths: list[str], files: str, exclude: str = "^$") -> list[str]:
    """pre-commit's include/exclude filter."""
    return [p for p in paths if re.search(files, p) and not re.search(exclude, p)]


def _repository_documents() -> list[str]:
    skip = {".git", ".venv", "evgrade.egg-info"}
    return sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                  if p.is_file() and p.suffix in {".md", ".tex", ".txt"}
                  and not skip & set(p.relative_to(ROOT).parts))


def test_the_hook_runs_evgrade_check_on_the_files_passed() -> None:
    hook = _hook()
    assert hook["id"] == "evgrade-check" and hook["entry"] == "evgrade check"
    assert hook["language"] == "python" and hook.get("pass_filenames", True) is True
    assert not hook.get("always_run", False)


def test_by_default_no_file_of_a_repository_is_a_draft() -> None:
    hook = _hook()
    documents = _repository_documents()
    assert "README.md" in documents and "docs/output.md" in documents  # what used to be checked
    assert _selected(documents, hook["files"], hook.get("exclude", "^$")) == []


def test_the_drafts_a_user_names_are_the_ones_checked() -> None:
    """``files:`` in the user's config replaces the hook's; no file type narrows it further,
    so an R Markdown or Quarto draft named there is passed too."""
    hook = _hook()
    assert "types" not in hook and "types_or" not in hook
    user_files = r"^paper/(paper\.md|supplement\.qmd)$"
    staged = ["README.md", "CHANGELOG.md", "docs/index.md", "paper/paper.md", "paper/supplement.qmd",
              "paper/notes.md"]
    assert _selected(staged, user_files) == ["paper/paper.md", "paper/supplement.qmd"]


def test_the_readme_shows_how_to_name_the_drafts() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("**pre-commit**", 1)[1].split("**GitHub code scanning**", 1)[0]
    config = yaml.safe_load(section.split("```yaml", 1)[1].split("```", 1)[0])
    [hook] = config["repos"][0]["hooks"]
    assert hook["id"] == _hook()["id"]
    assert _selected(["README.md", "paper/paper.md", "paper/supplement.md", "docs/paper.md"],
                     hook["files"]) == ["paper/paper.md", "paper/supplement.md"]
    assert hook["args"][0] == "--bib"
