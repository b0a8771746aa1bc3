"""Start-up: ``evgrade --version`` and ``evgrade codes`` against ``python -c pass``.

    .venv/bin/python benchmarks/bench_startup.py [--repeat 21]

Whole processes (the ``evgrade`` console script the venv installs, as a user runs
it), interleaved with the anchor ``python -c pass`` of the same interpreter and
site-packages, the same number of runs each; the table gives medians, the ratio to
the anchor and the peak RSS. Goal (issue 16): each command at most 3x the anchor.
"""

from __future__ import annotations

import argparse
import sys

from _whole import EVGRADE, interleaved, machine

GOAL = 3.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=21)
    args = ap.parse_args()
    commands = {
        "python -c pass (anchor)": [sys.executable, "-c", "pass"],
        "evgrade --version": [EVGRADE, "--version"],
        "evgrade codes": [EVGRADE, "codes"],
        "evgrade codes EV101": [EVGRADE, "codes", "EV101"],
    }
    runs = interleaved(commands, args.repeat)
    anchor = runs["python -c pass (anchor)"].median_s
    print(f"machine: {machine()}")
    print(f"each row: median of {args.repeat} whole processes, interleaved; goal <= {GOAL:g}x the anchor\n")
    print(f"{'command':28} {'median s':>9} {'ratio':>7} {'peak MiB':>9}  verdict")
    for name, r in runs.items():
        ratio = r.median_s / anchor
        verdict = "" if name.endswith("(anchor)") else ("ok" if ratio <= GOAL else "FAIL")
        print(f"{name:28} {r.median_s:9.4f} {ratio:7.2f} {r.median_mib:9.1f}  {verdict}")


if __name__ == "__main__":
    main()
