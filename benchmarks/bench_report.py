"""`evgrade score` on the bundled example in each table format, against pyiso4 alone.

    .venv/bin/python benchmarks/bench_report.py [--repeat 7]

Every table format abbreviates the journals of the report's entries (docs/output.md).
The anchor is what that used to cost before anything else: a process that builds
pyiso4's full abbreviator (``Abbreviate.create()``) and abbreviates the journal titles
of ``references.bib``. The rows are whole ``evgrade score`` processes (the console
script, start-up included) in the repository root, grading the five bundled articles
with their claim map, with the bibliography cache turned off so that every run does
the same work. All rows are interleaved, the same number of runs each; the table gives
medians, the ratio to the anchor and the peak RSS.
"""

from __future__ import annotations

import argparse
import os
import sys

from _whole import EVGRADE, ROOT, interleaved, machine

ANCHOR = """
import re
from pyiso4.ltwa import Abbreviate
text = open("references.bib", encoding="utf-8").read()
titles = sorted(set(re.findall(r"journal\\s*=\\s*[{]([^{}]+)[}]", text)))
abbreviate = Abbreviate.create()
print(len([abbreviate(t, remove_part=True) for t in titles]))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    commands = {"pyiso4: full LTWA, bib's journals (anchor)": [sys.executable, "-c", ANCHOR]}
    for fmt in ("text", "markdown", "html", "latex"):
        commands[f"evgrade score -f {fmt}"] = [EVGRADE, "score", "-f", fmt]
    env = {**os.environ, "EVGRADE_NO_CACHE": "1"}
    runs = interleaved(commands, args.repeat, cwd=ROOT, env=env)
    anchor = next(iter(runs.values())).median_s
    print(f"machine: {machine()}")
    print(f"each row: median of {args.repeat} whole processes, interleaved, in {ROOT.name}/ "
          "(the bundled example), EVGRADE_NO_CACHE=1\n")
    print(f"{'command':44} {'median s':>9} {'ratio':>7} {'peak MiB':>9}")
    for name, r in runs.items():
        print(f"{name:44} {r.median_s:9.3f} {r.median_s / anchor:7.2f} {r.median_mib:9.1f}")


if __name__ == "__main__":
    main()
