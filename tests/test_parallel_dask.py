"""The Dask backend gives the report of one process, byte for byte (issue 16).

A ``dask.distributed.LocalCluster`` in this process (one worker, threads) keeps it
fast; the tasks and their order are those of a real cluster. Skipped without Dask
(``pip install 'evgrade[dask]'``; the test extra installs it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from corpus_support import write_articles

from evgrade import _dask, pipeline
from evgrade.cli import main
from evgrade.report import render

distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cluster() -> object:
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "articles", tmp_path / "articles")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    write_articles(tmp_path / "many", 200)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.mark.parametrize("inputs", [["articles"], ["many"]])
def test_dask_report_is_byte_identical(cluster: object, folder: Path, inputs: list[str]) -> None:
    bib = () if inputs == ["articles"] else (Path("references.bib"),)
    options = pipeline.Options.from_project(inputs=[Path(p) for p in inputs], bibliographies=bib)
    alone = render(pipeline.run(inputs, options), "json")
    with distributed.Client(cluster) as client:
        on_dask = render(pipeline.run(inputs, options, engine=_dask.engine(client)), "json")
    assert on_dask == alone and '"articles": [' in alone


def test_cli_backend_dask_with_a_scheduler(cluster: object, folder: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    for fmt in ("json", "jsonl"):
        capsys.readouterr()
        one = main(["score", "many", "--bib", "references.bib", "-f", fmt, "--jobs", "1"])
        alone = capsys.readouterr()
        on_dask = main(["score", "many", "--bib", "references.bib", "-f", fmt, "--backend", "dask",
                        "--scheduler", address])
        assert (on_dask, capsys.readouterr()) == (one, alone)


def test_scheduler_needs_the_dask_backend(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "articles", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler goes with --backend dask" in capsys.readouterr().err
