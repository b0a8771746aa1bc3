"""Claim extraction speed against pysbd sentence splitting alone, on the same ~1 MB of prose.

    .venv/bin/python benchmarks/bench_claims.py [--mb 1.0] [--repeat 3]

Issue 3's target: extracting claims (read + split + classify + cues) from 1 MB
of prose takes no longer than pysbd alone takes to split it: ratio <= 1.0.
The text is the five bundled articles repeated. Times are the best of
--repeat runs; peak memory is measured with tracemalloc on a separate run.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(megabytes: float) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "articles").glob("*.txt"))]
    one = "\n\n".join(texts)
    n = max(1, int(megabytes * 1_000_000 / len(one.encode("utf-8"))) + 1)
    return "\n\n".join([one] * n)


def run_evgrade(text: str) -> int:
    from evgrade.claims.detect import extract_claims
    from evgrade.read import read_text

    return len(extract_claims(read_text(text, path="bench.txt", format="text")))


def run_pysbd(text: str) -> int:
    import pysbd

    return len(pysbd.Segmenter(language="en", clean=False).segment(text))


def best_of(fn, text: str, repeat: int) -> tuple[float, int]:
    best, result = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(text)
        best = min(best, time.perf_counter() - t0)
    return best, result


def peak_mib(fn, text: str) -> float:
    tracemalloc.start()
    fn(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def boundary_cases() -> tuple[int, int, int]:
    """(evgrade right, pysbd right, cases) on the project's hard sentence-boundary cases."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_sentence_cases import CASES, pysbd_case_score

    from evgrade.claims.sentences import split_sentences

    ours = sum([t[s:e] for s, e in split_sentences(t)] == expected for _id, t, expected in CASES)
    theirs, n = pysbd_case_score()
    return ours, theirs, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    text = corpus(args.mb)
    size = len(text.encode("utf-8")) / 1e6
    run_evgrade("Warm-up: imports are not what is measured. It takes 2 s.")
    run_pysbd("Warm-up: imports are not what is measured. It takes 2 s.")
    ev_t, claims = best_of(run_evgrade, text, args.repeat)
    py_t, sents = best_of(run_pysbd, text, max(1, args.repeat - 2))
    print(f"text: {size:.2f} MB of prose (the five articles repeated)")
    print(f"evgrade read+split+claims: {ev_t:7.3f} s  ({claims} claims)  peak {peak_mib(run_evgrade, text):6.1f} MiB")
    print(f"pysbd split only:          {py_t:7.3f} s  ({sents} sentences)")
    print(f"ratio evgrade / pysbd:     {ev_t / py_t:7.3f}  (target <= 1.0)")
    ours, theirs, n = boundary_cases()
    print(f"hard boundary cases (tests/test_sentence_cases.py): evgrade {ours}/{n}, pysbd {theirs}/{n}")


if __name__ == "__main__":
    main()
