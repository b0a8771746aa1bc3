"""--jobs N gives the report of one process, byte for byte and in input order (issue 16).

The work is cut into chunks of consecutive articles (evgrade/_parallel.py); these
tests compare the JSON of ``--jobs 2`` (a pool of two spawned processes) with
``--jobs 1`` on the bundled example and on generated articles, check that the run
really was chunked (not a fallback), and that the cases that must stay in one
process still give the same report. Speed is in benchmarks/bench_scale.py.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from corpus_support import write_articles

from evgrade import _parallel, _pool, pipeline
from evgrade.cli import main
from evgrade.report import render

ROOT = Path(__file__).resolve().parents[1]


def _score(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["score", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _copy_example(folder: Path) -> Path:
    """The bundled example (articles/, claims.toml, references.bib) in ``folder``."""
    shutil.copytree(ROOT / "articles", folder / "articles")
    shutil.copy(ROOT / "references.bib", folder / "references.bib")
    return folder


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(_copy_example(tmp_path))
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 generated articles beside the example, shared by the tests that only read them."""
    folder = _copy_example(tmp_path_factory.mktemp("corpus"))
    write_articles(folder / "many", 200)
    return folder


_RUNS: dict[tuple[str, ...], tuple[int, str, str]] = {}


@pytest.fixture
def generated(corpus: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> object:
    """``score`` on the 200 articles, each command line run once for the module."""
    monkeypatch.chdir(corpus)
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(corpus / "cache"))

    def score(*argv: str) -> tuple[int, str, str]:
        if argv not in _RUNS:
            _RUNS[argv] = _score(capsys, "many", "--bib", "references.bib", "--unused", *argv)
        return _RUNS[argv]
    return score


def test_bundled_example_jobs_2_is_byte_identical(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = _score(capsys, "--jobs", "1", "-f", "json")
    two = _score(capsys, "--jobs", "2", "-f", "json")
    assert one == two
    report = json.loads(one[1])
    assert len(report["articles"]) == 5 and any(a["claims"] for a in report["articles"])
    # the claim map's links came through the chunks: the example has no citation of its own
    assert any(link["via"] == "map" for a in report["articles"] for c in a["claims"] for link in c["links"])
    options = pipeline.Options.from_project(inputs=[Path("articles")])
    assert isinstance(_parallel.plan([Path("articles")], options, 2, _parallel.InProcess()), _parallel.Plan)


@pytest.mark.parametrize("fork", [True, False], ids=["forked-workers", "forkserver-workers"])
def test_both_ways_of_starting_workers_give_the_same_report(example: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch, fork: bool) -> None:
    """Workers forked from this process (Linux, one thread) or from the fork server: the
    same bytes. The suite's HTTP test server keeps a thread alive, so each way is forced."""
    if fork and sys.platform != "linux":
        pytest.skip("workers are forked from the caller on Linux only")
    monkeypatch.setattr(_pool, "fork_is_safe", lambda: fork)
    assert _pool._context().get_start_method() == ("fork" if fork else "forkserver")
    assert _score(capsys, "--jobs", "2", "-f", "json") == _score(capsys, "--jobs", "1", "-f", "json")


def test_generated_articles_jobs_2_is_byte_identical(generated: Any) -> None:
    one, two = generated("-f", "json", "--jobs", "1"), generated("-f", "json", "--jobs", "2")
    assert one == two
    code, out, err = one
    report = json.loads(out)
    assert [a["path"] for a in report["articles"]] == [f"many/article-{i:03d}.md" for i in range(200)]
    assert code == 0 and "EV101" in err  # unknown keys are said on stderr, in the same order
    assert {f["code"] for f in report["findings"]} >= {"EV101", "EV201", "EV301"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
def test_streamed_formats_match_the_whole_report(generated: Any, fmt: str) -> None:
    streamed_one, streamed_two = generated("-f", fmt, "--jobs", "1"), generated("-f", fmt, "--jobs", "2")
    options = pipeline.Options.from_project(inputs=[Path("many")], unused=True,
                                            bibliographies=(Path("references.bib"),))
    whole = render(pipeline.run([Path("many")], options), fmt)
    assert streamed_one[1] == streamed_two[1] == whole
    assert streamed_one[2] == streamed_two[2]
    assert streamed_one[2] == generated("-f", "json", "--jobs", "1")[2]  # the stderr lines too


def test_jsonl_lines_are_the_report(generated: Any) -> None:
    lines = [json.loads(line) for line in generated("-f", "jsonl", "--jobs", "2")[1].splitlines()]
    report = json.loads(generated("-f", "json", "--jobs", "1")[1])
    assert lines[0]["type"] == "report" and lines[0]["rubric"] == report["rubric"]
    articles = [line for line in lines if line["type"] == "article"]
    assert [a["article"] for a in articles] == report["articles"]
    findings = [f for a in articles for f in a["findings"]]
    findings += [line["finding"] for line in lines if line["type"] == "finding"]
    assert sorted(findings, key=json.dumps) == sorted(report["findings"], key=json.dumps)
    assert {line["entry"]["key"]: line["entry"] for line in lines if line["type"] == "entry"} == report["entries"]


def test_output_file_is_written_whole(generated: Any, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    assert generated("-f", "jsonl", "--jobs", "2", "-o", str(target))[1] == ""
    assert target.read_text(encoding="utf-8") == generated("-f", "jsonl", "--jobs", "1")[1]
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_map_entry_for_any_article_stays_in_one_process(example: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    write_articles(example / "many", 40)
    Path("any.toml").write_text('version = 1\n\n[[claims]]\nquote = "is given in a clinic under '
                                'supervision"\nkeys = ["Berman2000"]\n', encoding="utf-8")
    argv = ["many", "--bib", "references.bib", "--map", "any.toml", "-f", "json"]
    options = pipeline.Options.from_project(inputs=[Path("many")], bibliographies=(Path("references.bib"),),
                                            claim_map=Path("any.toml"))
    why = _parallel.plan([Path("many")], options, 2, _parallel.InProcess())
    assert isinstance(why, str) and "claim-map" in why
    assert _score(capsys, "--jobs", "1", *argv) == _score(capsys, "--jobs", "2", *argv)


def test_a_large_bibliography_stays_in_one_process(example: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """One process loads only the cited entries of a large file; chunks would need all of
    them (the threshold is lowered here instead of writing a 16 MB file)."""
    write_articles(example / "many", 40)
    monkeypatch.setattr(_parallel, "LARGE_BIBLIOGRAPHY", 1000)
    options = pipeline.Options.from_project(inputs=[Path("many")], bibliographies=(Path("references.bib"),))
    why = _parallel.plan([Path("many")], options, 2, _parallel.InProcess())
    assert isinstance(why, str) and "large bibliography" in why
    unused = dataclasses.replace(options, unused=True)   # every entry graded: chunks again
    assert not isinstance(_parallel.plan([Path("many")], unused, 2, _parallel.InProcess()), str)
    argv = ["many", "--bib", "references.bib", "-f", "json"]
    assert _score(capsys, "--jobs", "1", *argv) == _score(capsys, "--jobs", "2", *argv)


def test_an_error_in_a_chunk_is_the_error_of_one_process(example: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    write_articles(example / "many", 40)
    (example / "many" / "article-30.md").write_text("  \n", encoding="utf-8")
    one = _score(capsys, "many", "--bib", "references.bib", "-f", "json", "--jobs", "1")
    two = _score(capsys, "many", "--bib", "references.bib", "-f", "json", "--jobs", "2")
    assert one == two and one[0] == 2 and "article-30.md: empty file" in one[2]
    # streamed into a file: the file is not written at all, as for every format
    code, _, err = _score(capsys, "many", "--bib", "references.bib", "-f", "jsonl", "--jobs", "2",
                          "-o", "out.jsonl")
    assert code == 2 and "article-30.md: empty file" in err
    assert not [p for p in os.listdir(".") if p.startswith((".out", "out"))]


def _entry(key: str) -> str:
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    start = text.index("@article{" + key + ",")
    return text[start:text.index("\n}\n", start) + 3]


def test_identifier_keys_cited_in_several_chunks(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a DOI no entry carries, cited in two spellings in articles far apart: one process
    # makes one entry of it, and so must the chunks (the later one is graded again)
    Path("one.bib").write_text(_entry("Berman2000"), encoding="utf-8")
    folder = Path("ids")
    write_articles(folder, 48)
    for i, key in ((3, "doi:10.1038/mp.2017.255"), (40, "doi:10.1038/MP.2017.255")):
        page = folder / f"article-{i:02d}.md"
        page.write_text(page.read_text(encoding="utf-8") + f"\nKetamine acts on glutamate [@{key}].\n",
                        encoding="utf-8")
    argv = ["ids", "--bib", "one.bib", "-f", "json"]
    one, two = _score(capsys, "--jobs", "1", *argv), _score(capsys, "--jobs", "2", *argv)
    assert one == two
    assert "doi:10.1038/mp.2017.255" in json.loads(one[1])["entries"]
