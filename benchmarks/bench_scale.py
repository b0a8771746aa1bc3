"""Many articles: memory flat in their number with streamed output, and --jobs 2 vs 1.

    .venv/bin/python benchmarks/bench_scale.py [--repeat 3] [--small 400] [--large 4000]
                                               [--timed 1000]

Whole ``evgrade score`` processes on articles generated from simple templates
(tests/corpus_support.py) against the bundled references.bib, the bibliography cache
warm. Every command runs once per round, ``--repeat`` rounds, so all share the
machine's load; the tables give medians. Peak memory is ``wait4``'s maximum resident
set size of the ``evgrade`` process: the largest of it and the processes it started and
waited for (on Linux the workers are forked from it; each holds one chunk at a time).

Goals (issue 16): with streamed output (``-f jsonl``, ``-f csv``) the peak memory of
``--large`` articles is at most 1.2x that of ``--small``; ``--jobs 2`` grades
``--timed`` articles at least 1.8x faster than ``--jobs 1``.

The speed table has an anchor run in the same rounds: what two cores of this machine
give a task that needs no coordination at all. One process runs a pure-Python loop of
2N steps; then two processes, started together, run N steps each (the time until both
are done). Its ratio is the speed-up the machine allows at that moment; a shared
virtual machine gives less than 2x.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from _whole import EVGRADE, ROOT, interleaved, machine

sys.path.insert(0, str(ROOT / "tests"))
from corpus_support import write_articles  # noqa: E402

MEMORY_GOAL = 1.2
SPEED_GOAL = 1.8


LOOP_STEPS = 35_000_000   # N: 2N steps take about as long as --jobs 1 on 1,000 articles here


def _loop(steps: int) -> str:
    return f"x = 0\nfor i in range({steps}):\n    x += i & 7\n"


def _anchor_commands() -> dict[str, list[str]]:
    two = ("import subprocess, sys\n"
           f"ps = [subprocess.Popen([sys.executable, '-c', {_loop(LOOP_STEPS)!r}]) for _ in range(2)]\n"
           "sys.exit(max(p.wait() for p in ps))\n")
    return {"anchor, 1 process": [sys.executable, "-c", _loop(2 * LOOP_STEPS)],
            "anchor, 2 processes": [sys.executable, "-c", two]}


def _score(folder: str, *argv: str) -> list[str]:
    """score into a file (written atomically, as a user's -o is); never -o /dev/null,
    which an evgrade older than main's fix would replace by a regular file."""
    fmt = argv[argv.index("-f") + 1]
    return [EVGRADE, "score", folder, "--bib", "references.bib", "-o", f"out.{fmt}", *argv]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--small", type=int, default=400)
    ap.add_argument("--large", type=int, default=4000)
    ap.add_argument("--timed", type=int, default=1000)
    ap.add_argument("--only", choices=("memory", "speed"), help="run one of the two tables")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="evgrade-scale-") as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "references.bib", work / "references.bib")
        sizes = {"memory": {args.small, args.large}, "speed": {args.small, args.timed}}
        for n in sizes.get(args.only or "", {args.small, args.large, args.timed}):
            write_articles(work / f"a{n}", n)
        env = {**os.environ, "EVGRADE_CACHE_DIR": str(work / "cache")}
        memory = {f"{fmt}, {n} articles, --jobs {j}": _score(f"a{n}", "-f", fmt, "--jobs", str(j))
                  for fmt in ("jsonl", "csv", "json") for j in (1, 2) for n in (args.small, args.large)}
        timed = {f"{fmt}, --jobs {j}": _score(f"a{args.timed}", "-f", fmt, "--jobs", str(j))
                 for fmt in ("jsonl", "json") for j in (1, 2)}
        timed.update(_anchor_commands())
        interleaved({"warm-up": _score(f"a{args.small}", "-f", "json")}, 1, cwd=work, env=env)
        mem_runs = interleaved(memory, args.repeat, cwd=work, env=env) if args.only != "speed" else {}
        time_runs = interleaved(timed, args.repeat, cwd=work, env=env) if args.only != "memory" else {}
    print(f"machine: {machine()}")
    print(f"each cell: median of {args.repeat} whole `evgrade score` processes, interleaved\n")
    if mem_runs:
        _memory_table(args, mem_runs)
    if time_runs:
        _speed_table(args, time_runs)


def _memory_table(args: argparse.Namespace, mem_runs: dict) -> None:
    print(f"peak memory, {args.small} vs {args.large} generated articles "
          f"(goal for jsonl and csv: <= {MEMORY_GOAL:g}x)")
    print(f"{'format':8} {'jobs':>4} {args.small:>9} {args.large:>10} {'ratio':>7} {'wall ' + str(args.large):>12}")
    for fmt in ("jsonl", "csv", "json"):
        for j in (1, 2):
            small = mem_runs[f"{fmt}, {args.small} articles, --jobs {j}"]
            large = mem_runs[f"{fmt}, {args.large} articles, --jobs {j}"]
            ratio = large.median_mib / small.median_mib
            verdict = "" if fmt == "json" else ("ok" if ratio <= MEMORY_GOAL else "FAIL")
            print(f"{fmt:8} {j:>4} {small.median_mib:6.1f} MiB {large.median_mib:7.1f} MiB "
                  f"{ratio:7.2f} {large.median_s:10.2f} s  {verdict}")


def _speed_table(args: argparse.Namespace, time_runs: dict) -> None:
    print(f"\n{args.timed} generated articles, --jobs 1 vs --jobs 2 (goal >= {SPEED_GOAL:g}x)")
    one, two = time_runs["anchor, 1 process"], time_runs["anchor, 2 processes"]
    ceiling = one.median_s / two.median_s
    print(f"{'anchor':8} 1 process{one.median_s:6.2f} s  2 at once{two.median_s:6.2f} s  {ceiling:5.2f}x  "
          "(a pure-Python loop, the same steps in all)")
    for fmt in ("jsonl", "json"):
        one, two = time_runs[f"{fmt}, --jobs 1"], time_runs[f"{fmt}, --jobs 2"]
        speedup = one.median_s / two.median_s
        print(f"{fmt:8} --jobs 1 {one.median_s:6.2f} s  --jobs 2 {two.median_s:6.2f} s  "
              f"{speedup:5.2f}x  {'ok' if speedup >= SPEED_GOAL else 'below goal'}; "
              f"{speedup / ceiling:.2f} of the anchor's")


if __name__ == "__main__":
    main()
