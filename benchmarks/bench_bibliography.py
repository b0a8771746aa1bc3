"""Time and peak memory of load_bibliography on real exports.

    .venv/bin/python benchmarks/bench_bibliography.py [--repeat N]

Scenarios, per file: a full parse without cache, a full parse that writes the
cache (cold), a full load from the cache (warm), and 50 keys without cache.
Times are the best of N runs; peak memory is measured in a separate run with
tracemalloc (which slows Python down, so it is not timed).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Callable

from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evgrade.bib.load import load_bibliography  # noqa: E402

BBT = ROOT.parent / "shared" / "fixtures" / "bibtex" / "bbt-import"
FILES = [BBT / "EXPORT_Bulk performance test.bib", BBT / "Unabbreviate on import #1436-3.bib"]


def best_of(repeat: int, run: Callable[[], object], setup: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        setup()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mib(run: Callable[[], object], setup: Callable[[], None] = lambda: None) -> float:
    setup()
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rows = []
    for path in FILES:
        full = load_bibliography([path])
        keys = list(full.entries)[:: max(1, len(full) // 50)][:50]
        cache = Path(tempfile.mkdtemp(prefix="evgrade-bench-"))

        def clear() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        scenarios: list[tuple[str, Callable[[], object], Callable[[], None]]] = [
            ("full parse, no cache", lambda: load_bibliography([path]), lambda: None),
            ("full parse, cache cold (writes)", lambda: load_bibliography([path], cache_dir=cache), clear),
            ("full load, cache warm", lambda: load_bibliography([path], cache_dir=cache), lambda: None),
            ("50 keys, no cache", lambda: load_bibliography([path], keys=keys), lambda: None),
        ]
        for name, run, setup in scenarios:
            seconds = best_of(args.repeat, run, setup)
            mib = peak_mib(run, setup)
            rows.append([path.name[:40], len(full), name, f"{seconds * 1000:.0f}", f"{mib:.1f}"])
        clear()

    print(tabulate(rows, headers=["file", "entries", "scenario", "best ms", "peak MiB"]))
    print(f"\nbest of {args.repeat}; Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
