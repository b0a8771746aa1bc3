"""`load_bibliography` on real exports, as whole processes, against pybtex's parse_file.

    .venv/bin/python benchmarks/bench_bibliography.py [--repeat 5]

Per file (two real Zotero exports from ../shared/fixtures/bibtex/bbt-import, MIT; see
SOURCE.txt), each row is a Python process that imports evgrade and makes one call:

- full parse, no cache: ``load_bibliography([path])``;
- full parse, cold cache: the same with an empty cache folder (parse, then write rows);
- full load, warm cache: the same with the cache the cold runs filled;
- 50 keys, no cache: ``load_bibliography([path], keys=...)``, the cited-keys fast path.

The anchor is pybtex's bare ``parse_file`` of the same file (strict mode off), also a
process. Rows are interleaved (one run of each per round) with equal repeats; the table
gives medians, the ratio to the anchor and peak RSS. Start-up (imports) is included on
both sides: it is what a run pays.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from _whole import ROOT, interleaved, machine

BBT = ROOT.parent / "shared" / "fixtures" / "bibtex" / "bbt-import"
FILES = [BBT / "EXPORT_Bulk performance test.bib", BBT / "Unabbreviate on import #1436-3.bib"]
ANCHOR = "import pybtex.errors as e, pybtex.database as d; e.set_strict_mode(False); d.parse_file({!r})"
LOAD = "from evgrade.bib.load import load_bibliography as l; l([{path!r}]{extra})"


def rows_for(path: Path, work: Path) -> dict[str, list[str]]:
    keys = re.findall(r"^@\w+\{([^,\s]+),", path.read_text(encoding="utf-8-sig"), flags=re.MULTILINE)
    wanted = keys[:: max(1, len(keys) // 50)][:50]
    cold, warm = work / f"cold-{path.stem[:10]}", work / f"warm-{path.stem[:10]}"
    py = sys.executable
    return {
        "anchor: pybtex parse_file": [py, "-c", ANCHOR.format(str(path))],
        "full parse, no cache": [py, "-c", LOAD.format(path=str(path), extra="")],
        "full parse, cold cache": ["sh", "-c", f'rm -rf "{cold}" && exec "$@"', "sh", py, "-c",
                                   LOAD.format(path=str(path), extra=f", cache_dir={str(cold)!r}")],
        "full load, warm cache": [py, "-c", LOAD.format(path=str(path), extra=f", cache_dir={str(warm)!r}")],
        "50 keys, no cache": [py, "-c", LOAD.format(path=str(path), extra=f", keys={wanted!r}")],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="evgrade-bench-bib-"))
    print(f"machine: {machine()}")
    print(f"median of {args.repeat} interleaved whole processes per row; ratio to the anchor\n")
    try:
        for path in FILES:
            commands = rows_for(path, work)
            interleaved({"fill": commands["full load, warm cache"]}, 1)   # the warm cache
            runs = interleaved(commands, args.repeat)
            anchor = runs["anchor: pybtex parse_file"].median_s
            print(path.name)
            print(f"  {'run':28} {'median s':>9} {'ratio':>7} {'peak MiB':>9}")
            for name, r in runs.items():
                print(f"  {name:28} {r.median_s:9.3f} {r.median_s / anchor:7.3f} {r.median_mib:9.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
