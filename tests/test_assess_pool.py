"""Many entries assessed on forked workers give the assessments of one process (issue 16).

``score --unused`` assesses every entry; with ``--jobs`` > 1 and thousands of entries
evgrade/_assess.py forks workers that assess slices of the sorted keys and send the
results back as JSON. These tests lower the threshold so that real bibliographies from
the fixtures take the forked path, and compare entry for entry, and the whole ``score``
report byte for byte, with the serial run. Speed is in benchmarks/bench_large_bib.py.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

from evgrade import _assess, _pool
from evgrade.bib.load import load_bibliography
from evgrade.cli import main
from evgrade.grade.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "bibtex"
ZOTERO = FIXTURES / "bbt-import" / "EXPORT_Bulk performance test.bib"  # a real Zotero export
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the forked path is Linux's")


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every call that took the forked path, by number of keys; the threshold lowered. The
    suite's local HTTP server (pytest-httpserver, one idle thread for the whole session)
    would make evgrade assess here, so the thread check is told this process has one
    thread; test_another_thread_running_means_no_fork restores the real check."""
    calls: list[int] = []
    monkeypatch.setattr(_pool, "fork_is_safe", lambda: True)
    real = _assess._in_workers

    def spy(ordered, *args):  # type: ignore[no-untyped-def]
        calls.append(len(ordered))
        return real(ordered, *args)

    monkeypatch.setattr(_assess, "MIN_PARALLEL", 4)
    monkeypatch.setattr(_assess, "_in_workers", spy)
    return calls


@pytest.mark.parametrize("path", [ROOT / "references.bib", ZOTERO], ids=["bundled", "zotero-export"])
def test_forked_assessments_equal_serial_ones(path: Path, forked: list[int]) -> None:
    bibliography = load_bibliography([path])
    rubric = load_rubric()
    keys = sorted(bibliography.entries) + ["no-such-entry"]
    serial = _assess.assess_entries(keys, bibliography.entries, rubric, {}, jobs=1)
    parallel = _assess.assess_entries(keys, bibliography.entries, rubric, {}, jobs=2)
    assert forked == [len(keys)]
    assert list(parallel) == list(serial) == sorted(keys)
    assert parallel == serial
    assert [a.model_dump_json() for a in parallel.values()] == [a.model_dump_json() for a in serial.values()]


def test_few_entries_or_one_job_stay_here(forked: list[int]) -> None:
    bibliography = load_bibliography([ROOT / "references.bib"])
    rubric = load_rubric()
    keys = sorted(bibliography.entries)[:3]
    assert len(_assess.assess_entries(keys, bibliography.entries, rubric, {}, jobs=2)) == 3
    assert len(_assess.assess_entries(sorted(bibliography.entries), bibliography.entries, rubric, {},
                                      jobs=1)) == len(bibliography.entries)
    assert forked == []


def test_another_thread_running_means_no_fork(forked: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_pool, "fork_is_safe", _REAL_FORK_IS_SAFE)
    bibliography = load_bibliography([ROOT / "references.bib"])
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        out = _assess.assess_entries(sorted(bibliography.entries), bibliography.entries,
                                     load_rubric(), {}, jobs=2)
    finally:
        stop.set()
        thread.join()
    assert forked == [] and len(out) == len(bibliography.entries)


def test_score_unused_jobs_2_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str],
                                                forked: list[int]) -> None:
    shutil.copy(ZOTERO, tmp_path / "library.bib")
    (tmp_path / "draft.md").write_text("A trial found that 40% of people improved.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVGRADE_NO_CACHE", "1")
    outputs = []
    for jobs in ("1", "2"):
        capsys.readouterr()
        code = main(["score", "draft.md", "--bib", "library.bib", "--unused", "--format", "json",
                     "--fail-on", "never", "--jobs", jobs])
        outputs.append((code, capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 0 and '"entries"' in outputs[0][1]
    assert len(forked) == 1 and forked[0] > 4   # --jobs 2 took the forked path, --jobs 1 did not


def test_a_killed_worker_loses_nothing(forked: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies (the kernel's out-of-memory killer, say) breaks the pool; the
    slices not yet received are assessed here, and the result is still the serial one."""
    bibliography = load_bibliography([ROOT / "references.bib"])
    rubric = load_rubric()
    keys = sorted(bibliography.entries)
    serial = _assess.assess_entries(keys, bibliography.entries, rubric, {}, jobs=1)
    monkeypatch.setattr(_assess, "_assess_slice", _dies_on_the_third)
    assert _assess.assess_entries(keys, bibliography.entries, rubric, {}, jobs=2) == serial


_REAL_SLICE = _assess._assess_slice
_REAL_FORK_IS_SAFE = _pool.fork_is_safe


def _dies_on_the_third(bounds: tuple[int, int]) -> bytes:  # module level: the pool pickles it by name
    if bounds[0] >= 2 * (bounds[1] - bounds[0]):
        os._exit(9)
    return _REAL_SLICE(bounds)
