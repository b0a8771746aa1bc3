"""Claim extraction against pysbd sentence splitting alone, as whole processes, on the same prose.

    .venv/bin/python benchmarks/bench_claims.py [--mb 0.26,1.0] [--repeat 5]

For each size the five bundled articles are repeated into one text file. Two
programs read it, each a fresh Python process (start-up and imports included, as a
user waits for them): evgrade reads it and extracts its claims (read + split +
classify + cues: ``read_path`` then ``extract_claims``), pysbd only splits it into
sentences (``Segmenter(language="en", clean=False).segment``). Both run the same
number of times, interleaved (evgrade, pysbd, evgrade, ...), and the table gives the
median wall time, the ratio evgrade / pysbd, and each one's peak resident memory
(``wait4``'s maximum RSS). Issue 16's goals: time ratio <= 0.25 at every size, and
memory <= 1.5x pysbd's at 1 MB. The hard sentence-boundary cases are scored too.

A third program, in the same rounds, is the floor of any claim stage built the way the
house builds stages (immutable pydantic models between them): Python importing pydantic
and validating one model, nothing else. The last lines compare it with what the goals
allow at each size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _whole import ROOT, interleaved, machine

TIME_GOAL = 0.25
MEMORY_GOAL = 1.5

EVGRADE = """
import sys
from evgrade.claims.detect import extract_claims
from evgrade.read import read_path
print(len(extract_claims(read_path(sys.argv[1]))))
"""

PYSBD = """
import sys
import pysbd
text = open(sys.argv[1], encoding="utf-8").read()
print(len(pysbd.Segmenter(language="en", clean=False).segment(text)))
"""

# the least a stage that hands on pydantic models costs: the import and one model
PYDANTIC_FLOOR = """
from pydantic import BaseModel
class M(BaseModel):
    x: int
print(M(x=1).x)
"""


def corpus(megabytes: float) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "articles").glob("*.txt"))]
    one = "\n\n".join(texts)
    n = max(1, round(megabytes * 1_000_000 / len(one.encode("utf-8"))))
    return "\n\n".join([one] * n)


def boundary_cases() -> tuple[int, int, int]:
    """(evgrade right, pysbd right, cases) on the project's hard sentence-boundary cases."""
    sys.path.insert(0, str(ROOT / "tests" / "claims"))
    from test_sentence_cases import CASES, pysbd_case_score

    from evgrade.claims.sentences import split_sentences

    ours = sum([t[s:e] for s, e in split_sentences(t)] == expected for _id, t, expected in CASES)
    theirs, n = pysbd_case_score()
    return ours, theirs, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", default="0.26,1.0", help="sizes in MB, comma-separated")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sizes = [float(x) for x in args.mb.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="evgrade-claims-") as tmp:
        commands = {}
        for mb in sizes:
            path = Path(tmp) / f"prose-{mb}.txt"
            path.write_text(corpus(mb), encoding="utf-8")
            real = path.stat().st_size / 1e6
            commands[(real, "evgrade")] = [sys.executable, "-c", EVGRADE, str(path)]
            commands[(real, "pysbd")] = [sys.executable, "-c", PYSBD, str(path)]
        commands["floor"] = [sys.executable, "-c", PYDANTIC_FLOOR]
        runs = interleaved(commands, args.repeat, ok=(0,))  # type: ignore[arg-type]
    floor = runs.pop("floor")
    for real in sorted({k[0] for k in runs}):
        ev, py = runs[(real, "evgrade")], runs[(real, "pysbd")]
        rows.append((real, ev, py))
    print(f"machine: {machine()}")
    print(f"each cell: median of {args.repeat} whole processes, evgrade and pysbd interleaved; "
          f"goals: time ratio <= {TIME_GOAL:g}, memory ratio <= {MEMORY_GOAL:g}\n")
    print(f"{'prose':>8} {'evgrade s':>10} {'pysbd s':>9} {'ratio':>7} {'evgrade MiB':>12} "
          f"{'pysbd MiB':>10} {'ratio':>7}")
    for real, ev, py in rows:
        print(f"{real:5.2f} MB {ev.median_s:10.3f} {py.median_s:9.3f} {ev.median_s / py.median_s:7.2f} "
              f"{ev.median_mib:12.1f} {py.median_mib:10.1f} {ev.median_mib / py.median_mib:7.2f}")
    print(f"\nfloor (python, pydantic imported, one model validated): {floor.median_s:.3f} s, "
          f"{floor.median_mib:.1f} MiB")
    for real, _ev, py in rows:   # the memory goal is set at 1 MB, the time goal at every size
        print(f"  the goals allow at {real:.2f} MB: {TIME_GOAL * py.median_s:.3f} s"
              + (f", {MEMORY_GOAL * py.median_mib:.1f} MiB" if real >= 1 else ""))
    ours, theirs, n = boundary_cases()
    print(f"\nhard boundary cases (tests/claims/test_sentence_cases.py): evgrade {ours}/{n}, pysbd {theirs}/{n}")


if __name__ == "__main__":
    main()
