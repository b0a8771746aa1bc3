"""Readers added from outside evgrade through the ``evgrade.readers`` entry-point group.

The plugin below is a real module on sys.path, loaded through a real
``importlib.metadata.EntryPoint``; only the list of installed entry points is
replaced. Its format is gzip-compressed text (suffix ".evz"): bytes that are
not UTF-8, so only a reader that is handed the file's bytes can read it.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from evgrade import _registry
from evgrade.cli import main
from evgrade.errors import UsageError
from evgrade.models import Report
from evgrade.read import READERS, read_path, reader_for, readers, suffix_list, suffixes

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "articles" / "why-does-ketamine-therapy-work.txt"
MODULE = "evgrade_test_reader_plugin"

PLUGIN = '''
import gzip

from evgrade.read import ReaderSpec, decode
from evgrade.read import text

SEEN = []


def read(data, path):
    SEEN.append((type(data).__name__, path))
    return text.read(decode(gzip.decompress(data), path), path)


SPEC = ReaderSpec("gzipped-text", (".EVZ",), read)
GREEDY = ReaderSpec("greedy", (".md", ".evx"), read)
NOT_A_SPEC = read
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Install the plugin module and make ``entry_points`` list the given entry points."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / f"{MODULE}.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    real = _registry.entry_points

    def install(**eps: str):
        listed = [EntryPoint(name=name, value=f"{MODULE}:{attr}", group="evgrade.readers")
                  for name, attr in eps.items()]
        monkeypatch.setattr(_registry, "entry_points",
                            lambda group: listed if group == "evgrade.readers" else real(group=group))
        # a fresh registry state that monkeypatch puts back after the test
        monkeypatch.setattr(READERS, "_items", dict(READERS._items))
        monkeypatch.setattr(READERS, "_loaded", False)
        return __import__(MODULE)

    yield install
    sys.modules.pop(MODULE, None)


def test_the_registry_derives_suffixes_from_the_built_in_specs() -> None:
    assert [s.name for s in readers()][:4] == ["text", "markdown", "latex", "html"]
    assert suffix_list().startswith(".txt, .text, .md, .markdown, .qmd, .rmd, .tex, .ltx, .html, .htm")
    assert suffixes()[".rmd"].name == "markdown"
    assert reader_for("FHP-Main-Document.Rmd").name == "markdown"   # suffixes ignore case
    assert reader_for("notes.unknown").name == "text"
    assert reader_for("x", "md").name == reader_for("x", ".md").name == reader_for("x", "Markdown").name
    with pytest.raises(UsageError, match=r"unknown input format 'docx' \(known: text, markdown, latex, html"):
        reader_for("x", "docx")


def test_a_plugin_reader_gets_the_bytes_of_its_suffix(plugin, tmp_path: Path) -> None:
    mod = plugin(**{"gzipped-text": "SPEC"})
    packed = tmp_path / "article.evz"
    packed.write_bytes(gzip.compress(ARTICLE.read_bytes()))
    doc = read_path(packed)
    assert mod.SEEN == [("bytes", str(packed))]
    plain = read_path(ARTICLE)
    assert doc.text == plain.text and doc.blocks == plain.blocks and doc.title == plain.title
    assert suffixes()[".evz"].name == "gzipped-text"        # declared as ".EVZ"
    assert suffix_list().endswith(", .evz")


def test_evgrade_score_uses_a_plugin_reader(plugin, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    mod = plugin(**{"gzipped-text": "SPEC"})
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "article.evz").write_bytes(gzip.compress(ARTICLE.read_bytes()))
    shutil.copy(ARTICLE, tmp_path / "plain.txt")
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        code_packed = main(["score", "drafts", "--format", "json"])   # found in a folder by its suffix
        packed = Report.model_validate(json.loads(capsys.readouterr().out))
        code_plain = main(["score", "plain.txt", "--format", "json"])
        plain = Report.model_validate(json.loads(capsys.readouterr().out))
        main(["score", "--help"])
        help_text = capsys.readouterr().out
    finally:
        os.chdir(old)
    assert mod.SEEN == [("bytes", os.path.join("drafts", "article.evz"))]
    assert code_packed == code_plain
    [article] = packed.articles
    assert article.path == "drafts/article.evz"
    assert read_path(folder / "article.evz").format == "gzipped-text"  # the reader that made it
    assert len(article.claims) >= 15
    assert [c.claim.text for c in article.claims] == [c.claim.text for c in plain.articles[0].claims]
    assert ".evz" in help_text


def test_the_folder_error_lists_the_registered_suffixes(plugin, tmp_path: Path) -> None:
    from evgrade.errors import InputError
    from evgrade.pipeline import expand_inputs

    plugin(**{"gzipped-text": "SPEC"})
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README.md").write_text("# About this folder\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        expand_inputs([tmp_path])
    assert info.value.message == (
        "folder holds no readable article (.txt, .text, .md, .markdown, .qmd, .rmd, .tex, .ltx, "
        ".html, .htm, .evz)")
    (tmp_path / "draft.EVZ").write_bytes(gzip.compress(b"Text.\n"))
    assert expand_inputs([tmp_path]) == [tmp_path / "draft.EVZ"]


def test_a_plugin_cannot_take_a_built_in_suffix(plugin, tmp_path: Path) -> None:
    plugin(greedy="GREEDY")
    assert suffixes()[".md"].name == "markdown"
    assert suffixes()[".evx"].name == "greedy"
    assert read_path(ROOT / "tests" / "data" / "drafts" / "citations.md").format == "markdown"


def test_an_entry_point_that_is_not_a_reader_spec_is_a_clear_error(plugin) -> None:
    plugin(broken="NOT_A_SPEC")
    with pytest.raises(UsageError, match="the reader registered as 'broken'.*is not a ReaderSpec"):
        suffixes()


def test_a_text_reader_spec_decodes_with_the_shared_helper(tmp_path: Path) -> None:
    spec = reader_for("x.md")
    assert spec.parse is not None
    data = b"\xef\xbb\xbf# Title\n\nText [@k].\n"
    assert spec.read(data, "x.md") == spec.parse("# Title\n\nText [@k].\n", "x.md")


def test_a_built_in_suffix_or_format_is_found_without_reading_the_plugins(monkeypatch) -> None:
    # the installed entry points are read only for a name no built-in has
    from evgrade import _cli_jobs

    asked: list[str] = []
    monkeypatch.setattr(_registry, "entry_points", lambda group: asked.append(group) or [])
    monkeypatch.setattr(READERS, "_loaded", False)
    from evgrade.report import FORMATS, STREAM_FORMATS

    monkeypatch.setattr(STREAM_FORMATS, "_loaded", False)
    monkeypatch.setattr(FORMATS, "_loaded", False)
    assert reader_for("draft.MD").name == "markdown" and reader_for("a.tex").name == "latex"
    assert [_cli_jobs._streamed(f) for f in ("lint", "text", "jsonl", "csv")] == [False, False, True, True]
    assert asked == []
    assert reader_for("notes.unknown").name == "text" and asked == ["evgrade.readers"]
    assert _cli_jobs._streamed("plugin-format") is False and "evgrade.stream_formats" in asked
