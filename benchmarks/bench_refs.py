"""`evgrade refs` (and `evgrade annotate --diff`) as whole processes on real libraries.

    .venv/bin/python benchmarks/bench_refs.py [--repeat 5]

Libraries: the bundled references.bib (29 entries), the IRIDIA library from
../shared/fixtures/bibtex/iridia (3,305 entries and 1,872 @string macros in six
files, the macro files first) and the 7,150-entry Zotero export
"Unabbreviate on import #1436-3.bib". Each is timed as a whole process, start-up
included: `evgrade refs` with the parsed-bibliography cache off (EVGRADE_NO_CACHE=1:
a full parse every run) and warm, `evgrade annotate --diff` (the judgement of every
entry put through the bib writer, nothing written), and, as the anchor, a process
that only runs pybtex's `parse_file` on the same files (Parser().parse_files, strict
mode off). The runs are interleaved (one of each per round) and the median of
--repeat rounds is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _whole import machine, run

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "bibtex"
IRIDIA = [FIXTURES / "iridia" / n for n in ("abbrev.bib", "journals.bib", "authors.bib",
                                            "crossref.bib", "biblio.bib", "articles.bib")]
LIBRARIES = {
    "references.bib": [ROOT / "references.bib"],
    "iridia (6 files)": IRIDIA,
    "Unabbreviate #1436-3": [FIXTURES / "bbt-import" / "Unabbreviate on import #1436-3.bib"],
}
PYBTEX = ("import sys, pybtex.errors\n"
          "from pybtex.database.input.bibtex import Parser\n"
          "pybtex.errors.set_strict_mode(False)\n"
          "db = Parser().parse_files(sys.argv[1:])\n"
          "print(len(db.entries))\n")


def scenarios(files: list[Path], work: Path) -> dict[str, list[str]]:
    exe = str(Path(sys.executable).parent / "evgrade")
    bibs = [a for f in files for a in ("--bib", str(f))]
    return {
        "pybtex parse_file (anchor)": [sys.executable, "-c", PYBTEX, *map(str, files)],
        "evgrade refs, no cache": [exe, "refs", *bibs, "-o", str(work / "refs.txt")],
        "evgrade refs, warm cache": [exe, "refs", *bibs, "-o", str(work / "refs.txt")],
        "evgrade annotate --diff": [exe, "annotate", *bibs, "--diff"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="evgrade-bench-"))
    base = {**os.environ, "EVGRADE_CACHE_DIR": str(work / "cache")}
    envs = {"evgrade refs, no cache": {**base, "EVGRADE_NO_CACHE": "1"}}
    rows = []
    try:
        for name, files in LIBRARIES.items():
            runs = scenarios(files, work)
            subprocess.run(runs["evgrade refs, warm cache"], env=base, cwd=work,
                           capture_output=True, check=False)  # fill the cache once
            times: dict[str, list[float]] = {label: [] for label in runs}
            for _ in range(args.repeat):
                for label, cmd in runs.items():
                    # exit 2: the library has entries evgrade refuses to edit
                    times[label].append(run(cmd, env=envs.get(label, base), cwd=work, ok=(0, 1, 2))[0])
            entries = sum(1 for line in (work / "refs.txt").read_text(encoding="utf-8").splitlines()[2:-1])
            anchor = statistics.median(times["pybtex parse_file (anchor)"])
            for label, values in times.items():
                median = statistics.median(values)
                rows.append((name, entries, label, median, median / anchor))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}; median of {args.repeat} interleaved rounds, whole processes")
    print(f"{'library':22} {'entries':>7}  {'run':28} {'median s':>9} {'x pybtex':>9}")
    for name, entries, label, median, ratio in rows:
        print(f"{name:22} {entries:7d}  {label:28} {median:9.3f} {ratio:9.2f}")


if __name__ == "__main__":
    main()
