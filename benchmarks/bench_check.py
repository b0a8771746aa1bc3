"""`evgrade check` on a draft citing 50 keys from a real 7,000-entry bibliography.

    .venv/bin/python benchmarks/bench_check.py [--repeat 5]

Issue 4: checking such a draft must not pay for parsing all 7,000 entries on every
run. The bibliography is the real 7,166-entry Zotero export "Unabbreviate on import
#1436-3.bib" from ../shared/fixtures/bibtex/bbt-import (MIT, see SOURCE.txt). Every
row is a whole process (start-up included), the rows are interleaved (one run of each,
then the next round) and each gets --repeat runs; the table gives medians, peak RSS and
the ratio to the anchor, pybtex's bare `parse_file` of the same file (strict mode off).

- no cache: EVGRADE_NO_CACHE=1, the cited keys parsed from the split file;
- cold: an empty cache folder each run (parse, then write the rows);
- warm: a cache filled by the cold runs (read the rows it needs).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from _whole import EVGRADE, ROOT, interleaved, machine

BIB = ROOT.parent / "shared" / "fixtures" / "bibtex" / "bbt-import" / "Unabbreviate on import #1436-3.bib"
ANCHOR = "import pybtex.errors as e, pybtex.database as d; e.set_strict_mode(False); d.parse_file({!r})"


def make_draft(folder: Path, keys: list[str]) -> None:
    lines = ["---", "title: Benchmark draft", "bibliography: library.bib", "---", ""]
    for i, key in enumerate(keys):
        lines += [f"Study {i} reported that the intervention improved outcomes in {i + 10}% of cases "
                  f"[@{key}].", ""]
    (folder / "draft.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="evgrade-bench-check-"))
    try:
        shutil.copy(BIB, work / "library.bib")
        keys = re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"), flags=re.MULTILINE)
        make_draft(work, keys[:: max(1, len(keys) // 50)][:50])
        check = [EVGRADE, "check", "draft.md", "--exit-zero"]
        cold, warm = work / "cold-cache", work / "warm-cache"
        commands = {
            "anchor: pybtex parse_file": [sys.executable, "-c", ANCHOR.format(str(work / "library.bib"))],
            "check, no cache": ["env", "EVGRADE_NO_CACHE=1", *check],
            "check, cold cache": ["sh", "-c", f'rm -rf "{cold}" && EVGRADE_CACHE_DIR="{cold}" exec "$@"',
                                  "sh", *check],
            "check, warm cache": ["env", f"EVGRADE_CACHE_DIR={warm}", *check],
        }
        interleaved({"fill": commands["check, warm cache"]}, 1, cwd=work)   # the warm cache
        env = {k: v for k, v in os.environ.items() if k not in ("EVGRADE_NO_CACHE", "EVGRADE_CACHE_DIR")}
        runs = interleaved(commands, args.repeat, cwd=work, env=env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"bibliography: {BIB.name} ({len(keys)} entries); draft cites 50 keys; median of "
          f"{args.repeat} interleaved whole processes per row\n")
    anchor = runs["anchor: pybtex parse_file"]
    print(f"{'run':28} {'median s':>9} {'ratio':>7} {'peak MiB':>9}")
    for name, r in runs.items():
        print(f"{name:28} {r.median_s:9.3f} {r.median_s / anchor.median_s:7.3f} {r.median_mib:9.0f}")


if __name__ == "__main__":
    main()
