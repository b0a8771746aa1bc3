"""Start-up imports only what the command needs (issue 16; the speed is in
benchmarks/bench_startup.py, never timed here)."""

from __future__ import annotations

import json
import subprocess
import sys

from tabulate import tabulate

from evgrade._cli_table import simple_table
from evgrade._findings import SPECS

HEAVY = ("pydantic", "pybtex", "requests", "tabulate", "rapidfuzz", "yaml")

PROBE = """
import json, sys
from evgrade.cli import main
code = main(sys.argv[1:])
loaded = sorted({m.split('.')[0] for m in sys.modules})
print(json.dumps({"code": code, "loaded": loaded}))
"""


def _loaded(*argv: str) -> tuple[int, set[str], str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                          check=True)
    *printed, last = proc.stdout.strip().splitlines()
    result = json.loads(last)
    return result["code"], set(result["loaded"]), "\n".join(printed)


def test_version_loads_no_heavy_library() -> None:
    code, loaded, printed = _loaded("--version")
    assert code == 0 and printed.startswith("evgrade ")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_codes_loads_no_heavy_library() -> None:
    for argv in (("codes",), ("codes", "EV101")):
        code, loaded, printed = _loaded(*argv)
        assert code == 0 and "EV101" in printed
        assert not loaded & set(HEAVY), (argv, loaded & set(HEAVY))


def test_help_still_lists_the_formats_and_suffixes() -> None:
    # the help texts that name registries are made when help is shown
    _, loaded, printed = _loaded("score", "--help")
    assert "jsonl" in printed and ".md" in printed
    assert "pydantic" in loaded


def test_codes_table_is_laid_out_as_tabulate_would() -> None:
    rows = [[s.code, s.name, s.severity, s.summary] for s in SPECS.values()]
    headers = ["code", "name", "severity", "meaning"]
    for width in (70, 30, 12):
        assert simple_table(rows, headers, [None, None, None, width]) == tabulate(
            rows, headers=headers, maxcolwidths=[None, None, None, width])
    odd = [["a", "", "x" * 50], ["bbbbbbbbbb", "two words", ""]]
    assert simple_table(odd, ["h1", "h2", "h3"], [None, 4, 20]) == tabulate(
        odd, headers=["h1", "h2", "h3"], maxcolwidths=[None, 4, 20])


def test_python_dash_m_evgrade_is_the_command_line() -> None:
    proc = subprocess.run([sys.executable, "-m", "evgrade", "--version"], capture_output=True,
                          text=True)
    script = subprocess.run([sys.executable, "-c", "from evgrade.cli import main; "
                             "raise SystemExit(main(['--version']))"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == script.stdout and proc.stdout.startswith("evgrade ")


MODULES_PROBE = PROBE.replace("{m.split('.')[0] for m in sys.modules}", "set(sys.modules)")

# what a lint run of a draft never needs: the process pools, the other output formats, the
# bibliography writer, fuzzy quote matching; and, with a warm cache, pybtex's LaTeX codec
NOT_FOR_CHECK = ("multiprocessing", "concurrent.futures", "rapidfuzz", "tabulate",
                 "evgrade._pool", "evgrade._entry_pool", "evgrade._parallel", "evgrade._chunks",
                 "evgrade.bib.writer", "evgrade.report.html", "evgrade.report.text",
                 "evgrade.report.refs", "evgrade.report.pdf")


def test_a_warm_check_loads_only_what_linting_needs(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    bib = tmp_path / "refs.bib"   # the verified ketamine references, and one LaTeX accent
    bib.write_text((root / "references.bib").read_text(encoding="utf-8")
                   + "\n@misc{Accent, title = {Caf\\'e}}\n", encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text("Ketamine helped 70% of patients [@Berman2000; @Accent].\n", encoding="utf-8")
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    argv = ("check", str(draft), "--bib", str(bib))
    proc = subprocess.run([sys.executable, "-c", MODULES_PROBE, *argv], capture_output=True,
                          text=True, check=True)   # the cold run fills the cache
    assert "latexcodec" in json.loads(proc.stdout.strip().splitlines()[-1])["loaded"]
    proc = subprocess.run([sys.executable, "-c", MODULES_PROBE, *argv], capture_output=True,
                          text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    loaded = set(result["loaded"])
    assert result["code"] in (0, 1) and "draft.md:1:" in proc.stdout
    assert "evgrade.report.lint" in loaded and "evgrade.bib.load" in loaded
    # every entry is in the cache: nothing is split or parsed, so neither pybtex's parser
    # nor its LaTeX codec is loaded
    warm = {*NOT_FOR_CHECK, "latexcodec", "pybtex.database", "evgrade.bib.parse", "evgrade.bib.split"}
    assert not loaded & warm, loaded & warm


def test_listing_the_rubrics_loads_no_claim_or_grading_rules() -> None:
    proc = subprocess.run([sys.executable, "-c", MODULES_PROBE, "rubrics"], capture_output=True,
                          text=True, check=True)
    *printed, last = proc.stdout.strip().splitlines()
    result = json.loads(last)
    loaded = set(result["loaded"])
    assert result["code"] == 0 and "default" in "\n".join(printed)
    assert "evgrade.grade.rubric" in loaded
    rules = {"evgrade.grade.designs", "evgrade.grade.grades", "evgrade.claims.detect", "evgrade.link.linker"}
    assert not loaded & rules, loaded & rules


def test_the_script_leaves_what_it_made_out_of_the_collectors_last_passes(tmp_path) -> None:
    # evgrade.cli.run freezes the heap before the interpreter shuts down; exit handlers
    # and the report still come out as they would
    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
             "from evgrade.cli import run\n"
             "sys.argv = ['evgrade', 'codes', 'EV101']\n"
             "run()\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("EV101 ") and proc.stdout.rstrip().endswith("frozen at exit: True")
