"""``score --unused --format json`` on forked workers writes the bytes of one process (issue 16).

evgrade/_entry_pool.py grades the articles with the cited entries in this process, while
workers load and assess slices of every key, spool them, and the report is merged from
the spool files. These tests lower the entry threshold so that each real bibliography of
the fixtures (Better BibTeX bug-report exports, the IRIDIA library: crossref, @string,
duplicate and broken blocks) takes that path, and compare it byte for byte with the
one-process report, and the findings that decide the exit code. Speed and memory are in
benchmarks/bench_large_bib.py.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import pytest

from evgrade import _entry_pool, _pool, pipeline
from evgrade.bib.load import Opened, open_bibliography
from evgrade.cli import main
from evgrade.report import render

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "bibtex"
BIBS = sorted(FIXTURES.rglob("*.bib"))
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the forked path is Linux's")
_KEY = re.compile(r"^@\w+\s*\{\s*([A-Za-z][\w:.-]*)\s*,", re.M)


@pytest.fixture(autouse=True)
def small(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Any bibliography takes the path, in slices of a few keys; the suite's idle HTTP
    server thread (pytest-httpserver) would otherwise keep this process from forking.
    Spool folders go under the test's own folder, so a test can see none is left."""
    monkeypatch.setattr(_pool, "fork_is_safe", lambda: True)
    monkeypatch.setattr(_entry_pool, "MIN_ENTRIES", 1)
    monkeypatch.setattr(_entry_pool, "SLICES_PER_JOB", 3)
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))


def draft(folder: Path, keys: list[str]) -> Path:
    lines = [f"Study {i} reported that the treatment helped {i + 20}% of people [@{key}]."
             for i, key in enumerate(keys)]
    path = folder / "draft.md"
    path.write_text("\n\n".join(lines or ["Nothing here is cited."]) + "\n", encoding="utf-8")
    return path


def both(folder: Path, bibs: list[Path], cited: list[str], fmt: str = "json",
         **kw: object):  # type: ignore[no-untyped-def]
    """The one-process text and report, and the pooled text and report (None: not pooled)."""
    options = pipeline.Options(bibliographies=tuple(bibs), unused=True, **kw)
    doc = draft(folder, cited)
    serial = pipeline.run([doc], options, jobs=1)
    prepared = _entry_pool.prepare([doc], options, fmt, 2)
    if prepared is None:
        return render(serial, fmt), serial, None, None
    try:
        text = "".join(prepared.parts())
    finally:
        prepared.close()
    return render(serial, fmt), serial, text, prepared.report


def spool_left(tmp_path: Path) -> list[Path]:
    return list((tmp_path / "spool").iterdir())


@pytest.mark.parametrize("bib", BIBS, ids=[p.name for p in BIBS])
def test_each_fixture_bibliography_gives_the_one_process_bytes(bib: Path, tmp_path: Path) -> None:
    keys = _KEY.findall(bib.read_text(encoding="utf-8", errors="replace"))
    cited = keys[:: max(1, len(keys) // 3)][:3] + ["not-in-the-file"]
    fmt = "jsonl" if BIBS.index(bib) % 4 == 3 else "json"   # JSON Lines for one in four
    expected, serial, pooled, report = both(tmp_path, [bib], cited, fmt)
    if not open_bibliography([bib]).keys():   # an empty export: nothing to pool
        assert pooled is None
        return
    assert pooled is not None, "the run should have been pooled"
    assert pooled == expected
    for fail_on in ("error", "warning", "info"):
        assert pipeline.exit_code(report, fail_on) == pipeline.exit_code(serial, fail_on)
    assert pipeline.input_problems(report) == pipeline.input_problems(serial)
    assert not spool_left(tmp_path)


CSL = sorted((FIXTURES.parent / "csl").glob("*.csl.*"))


@pytest.mark.parametrize("csl", CSL[:12], ids=[p.name for p in CSL[:12]])
def test_csl_exports_with_a_bib_give_the_one_process_bytes(csl: Path, tmp_path: Path) -> None:
    # CSL-JSON and CSL-YAML are read whole, beside a split .bib file
    bib = FIXTURES / "bbt-import" / "EXPORT_Bulk performance test.bib"
    keys = _KEY.findall(bib.read_text(encoding="utf-8"))[:2]
    expected, _serial, pooled, _report = both(tmp_path, [csl, bib], keys)
    assert pooled == expected


def test_the_iridia_library_in_its_order_gives_the_one_process_bytes(tmp_path: Path) -> None:
    # its macro files first, as its own documents load them: @string across files, crossref
    names = ("abbrev.bib", "journals.bib", "authors.bib", "crossref.bib", "biblio.bib", "articles.bib")
    bibs = [FIXTURES / "iridia" / n for n in names if (FIXTURES / "iridia" / n).exists()]
    assert len(bibs) >= 4
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in bibs[-2:])
    crossref = re.findall(r"(?im)^\s*crossref\s*=\s*[{\"]([^}\"]+)", text)
    children = [k for k in _KEY.findall(text)][:200:40]
    for fmt in ("json", "jsonl"):
        expected, _serial, pooled, _report = both(tmp_path, bibs, children + crossref[:2], fmt)
        assert pooled == expected


def test_ignored_codes_and_an_empty_draft_stay_the_same(tmp_path: Path) -> None:
    bib = FIXTURES / "bbt-import" / "EXPORT_Bulk performance test.bib"
    expected, _s, pooled, _r = both(tmp_path, [bib], [], ignore=frozenset({"EV301"}))
    assert pooled == expected and '"EV301"' not in pooled


def test_a_bibliography_past_its_expansion_budget_is_graded_in_one_process(tmp_path: Path) -> None:
    # 200 entries each using a 100,000-character macro: the file's budget runs out in file
    # order, which slices loaded apart could not follow; the run must not be pooled
    entries = "".join(f"@misc{{e{i}, title = big, year = 2000}}\n" for i in range(200))
    bib = tmp_path / "big.bib"
    bib.write_text('@string{big = "' + "w" * 100_000 + '"}\n' + entries, encoding="utf-8")
    expected, _serial, pooled, _report = both(tmp_path, [bib], ["e3"])
    assert pooled is None and '"EV306"' in expected
    assert not spool_left(tmp_path)


def test_runs_it_cannot_pool_are_left_to_one_process(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    bib = FIXTURES / "bbt-import" / "EXPORT_Bulk performance test.bib"
    doc = draft(tmp_path, [])
    options = pipeline.Options(bibliographies=(bib,), unused=True)
    assert _entry_pool.prepare([doc], options, "csv", 2) is None         # another format
    assert _entry_pool.prepare([doc], options, "json", 1) is None        # one job
    assert _entry_pool.prepare([doc], pipeline.Options(bibliographies=(bib,)), "json", 2) is None
    assert _entry_pool.prepare([Path("-")], options, "json", 2) is None  # standard input
    monkeypatch.setattr(_entry_pool, "MIN_ENTRIES", 10**6)
    assert _entry_pool.prepare([doc], options, "json", 2) is None        # too few entries
    monkeypatch.setattr(_entry_pool, "MIN_ENTRIES", 1)
    monkeypatch.setattr(Opened, "allowance", lambda self: -1)            # budgets may be reached
    assert _entry_pool.prepare([doc], options, "json", 2) is None
    monkeypatch.setattr(Opened, "allowance", lambda self: 10**9)
    real_mkdtemp = tempfile.mkdtemp

    def no_folder(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(tempfile, "mkdtemp", no_folder)                  # no folder to spool to
    assert _entry_pool.prepare([doc], options, "json", 2) is None
    monkeypatch.setattr(tempfile, "mkdtemp", real_mkdtemp)
    prepared = _entry_pool.prepare([doc], options, "json", 2)            # all is well again
    assert prepared is not None
    prepared.close()
    monkeypatch.setattr(_pool, "fork_is_safe", lambda: False)
    assert _entry_pool.prepare([doc], options, "json", 2) is None
    assert not spool_left(tmp_path)


def test_a_claim_naming_its_source_needs_every_entry_here(tmp_path: Path) -> None:
    # the bundled example's articles name journals: with suggestions on, the link stage
    # weighs every entry, so the run stays in one process (and prints the same)
    options = pipeline.Options(bibliographies=(ROOT / "references.bib",), unused=True)
    assert _entry_pool.prepare([ROOT / "articles"], options, "json", 2) is None


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_the_command_line_writes_the_same_file_and_exit_code(fmt: str, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bib = FIXTURES / "bbt-import" / "EXPORT_Bulk performance test.bib"
    keys = _KEY.findall(bib.read_text(encoding="utf-8"))
    doc = draft(tmp_path, keys[:2] + ["missing-key"])
    codes = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.json"
        codes.append(main(["score", str(doc), "--bib", str(bib), "--unused", "--format", fmt,
                           "--jobs", jobs, "--fail-on", "warning", "-o", str(out)]))
    assert (tmp_path / "jobs1.json").read_bytes() == (tmp_path / "jobs2.json").read_bytes()
    assert codes == [1, 1]   # the unknown key is an error either way
    err = capsys.readouterr().err
    assert err.count("missing-key") == 2   # said once by each run
    assert not spool_left(tmp_path)


def _dies(task):  # type: ignore[no-untyped-def]
    import os

    os._exit(3)   # as the out-of-memory killer would end it: no exception, no result


def _no_space(task):  # type: ignore[no-untyped-def]
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("failure", [_dies, _no_space], ids=["worker-killed", "disk-full"])
def test_a_worker_that_fails_sends_the_run_back_to_one_process(failure, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    bib = FIXTURES / "bbt-import" / "EXPORT_Bulk performance test.bib"
    doc = draft(tmp_path, [])
    options = pipeline.Options(bibliographies=(bib,), unused=True)
    monkeypatch.setattr(_entry_pool, "_load_slice", failure)
    assert _entry_pool.prepare([doc], options, "json", 2) is None
    assert not spool_left(tmp_path)
    out = tmp_path / "report.json"   # and the command line writes the one-process report
    assert main(["score", str(doc), "--bib", str(bib), "--unused", "-f", "json", "--jobs", "2",
                 "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render(pipeline.run([doc], options), "json")
    assert "Traceback" not in capsys.readouterr().err


def test_a_thread_left_running_by_the_grading_keeps_the_run_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the first check passes; by the time the workers would fork, a thread runs (as one an
    # online lookup could leave): no fork, and nothing spooled
    bib = FIXTURES / "bbt-import" / "EXPORT_Bulk performance test.bib"
    answers = iter([True, False])
    monkeypatch.setattr(_pool, "fork_is_safe", lambda: next(answers))
    options = pipeline.Options(bibliographies=(bib,), unused=True)
    assert _entry_pool.prepare([draft(tmp_path, [])], options, "json", 2) is None
    assert not spool_left(tmp_path)
