"""`check` and `score --unused` against a generated 100,000-entry bibliography (issue 16).

    .venv/bin/python benchmarks/bench_large_bib.py [--entries 100000] [--repeat 3]

The bibliography is made by `gen_bib.py` from the real exports in
../shared/fixtures/bibtex/ (keys made unique). The draft cites 50 of its keys,
spread over the file. Every run is a whole process (start-up included), and the
runs are interleaved: repeat 1 of every row, then repeat 2, ... so that load on a
shared machine falls on all rows alike. Each row gets the same number of repeats.

Rows (the anchor is pybtex's bare `parse_file` of the same file, as a process):

- anchor: `python -c "pybtex.database.parse_file(F)"`
- check, no cache: `evgrade check draft.md` with EVGRADE_NO_CACHE=1
- check, warm cache: the same with a cache filled by one earlier run (made once the file
  is two seconds old, so that the cache also keeps its stat, as it would for a library
  exported before the run)
- score --unused, no cache: every entry graded

The table gives medians (seconds and peak RSS of that process, from os.wait4)
and each row's ratio to the anchor's median.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _whole import BYTECODE  # noqa: E402  (importing it compiles evgrade's bytecode)
from gen_bib import generate  # noqa: E402


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one process."""
    with tempfile.TemporaryFile() as errors:   # a file, not a pipe: pybtex may warn a lot
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace").strip()[-300:]
            sys.exit(f"{' '.join(argv[:3])} failed ({code}): {tail}")
    return elapsed, usage.ru_maxrss / 1024   # Linux: KiB


def draft(folder: Path, bib: Path, cited: int) -> None:
    keys = re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8"), flags=re.M)
    keys = [k for k in keys if k[-1].isdigit()]            # renamed entry keys (key-N)
    step = max(1, len(keys) // cited)
    lines = ["---", "title: Benchmark draft", f"bibliography: {bib.name}", "---", ""]
    for i, key in enumerate(keys[::step][:cited]):
        lines += [f"Study {i} reported that the intervention helped {i + 10}% of people [@{key}].", ""]
    (folder / "draft.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cited", type=int, default=50)
    ap.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.prepare:   # in a process of its own: this one's peak RSS is inherited by each child
        print(generate(args.entries, args.prepare / "library.bib"))
        draft(args.prepare, args.prepare / "library.bib", args.cited)
        return
    work = Path(tempfile.mkdtemp(prefix="evgrade-largebib-"))
    try:
        bib = work / "library.bib"
        made = subprocess.run([sys.executable, __file__, "--prepare", str(work), "--entries", str(args.entries),
                               "--cited", str(args.cited)], capture_output=True, text=True, check=True)
        n = int(made.stdout.split()[0])
        py, exe = sys.executable, str(Path(sys.executable).parent / "evgrade")
        cache = work / "cache"
        nocache = {**os.environ, "EVGRADE_NO_CACHE": "1", "EVGRADE_CACHE_DIR": str(cache)}
        cached = {**os.environ, "EVGRADE_CACHE_DIR": str(cache)}
        rows = {
            "anchor: pybtex parse_file": ([py, "-c", "import pybtex.errors as e, pybtex.database as d; e.set_strict_mode(False); "
                                          f"d.parse_file({str(bib)!r})"], nocache),
            "check, no cache": ([exe, "check", "draft.md", "--bib", bib.name, "--exit-zero"], nocache),
            "check, warm cache": ([exe, "check", "draft.md", "--bib", bib.name, "--exit-zero"], cached),
            "score --unused, no cache": ([exe, "score", "draft.md", "--bib", bib.name, "--unused",
                                          "--format", "json", "--fail-on", "never"], nocache),
        }
        # fill the cache once, when the file is as old as a library exported before a run is:
        # a file written in the last two seconds is not remembered by its stat (cache.py)
        time.sleep(max(0.0, 2.1 - (time.time() - bib.stat().st_ctime)))
        run(rows["check, warm cache"][0], work, cached)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in rows}
        for _ in range(args.repeat):
            for name, (argv, env) in rows.items():
                results[name].append(run(argv, work, env))
        report(results, n, bib, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results: dict[str, list[tuple[float, float]]], n: int, bib: Path, args: argparse.Namespace) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {platform.platform()}; Python {platform.python_version()}; {os.cpu_count()} CPUs; "
          f"load average {load}; {BYTECODE}")
    print(f"bibliography: {n} entries, {bib.stat().st_size / 2**20:.1f} MiB; draft cites {args.cited} keys; "
          f"median of {args.repeat} interleaved whole processes per row\n")
    anchor_s = statistics.median(t for t, _ in results["anchor: pybtex parse_file"])
    anchor_m = statistics.median(m for _, m in results["anchor: pybtex parse_file"])
    print(f"{'run':28} {'median s':>9} {'ratio':>7} {'peak MiB':>9} {'ratio':>7}")
    for name, runs in results.items():
        s = statistics.median(t for t, _ in runs)
        m = statistics.median(mem for _, mem in runs)
        print(f"{name:28} {s:9.2f} {s / anchor_s:7.3f} {m:9.0f} {m / anchor_m:7.2f}")


if __name__ == "__main__":
    main()
