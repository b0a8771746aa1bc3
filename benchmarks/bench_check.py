"""`evgrade check` on a draft citing 50 keys from a 7,000-entry bibliography.

    .venv/bin/python benchmarks/bench_check.py [--repeat 3]

Issue 4: checking such a draft must not pay for parsing all 7,000 entries with
pybtex on every run. evgrade caches the parsed library keyed by the file's
content; this measures whole `evgrade check` processes (start-up included):
cold (empty cache: parse and write it), warm (cache hit), and with the cache
disabled (EVGRADE_NO_CACHE=1: a full parse every run), best of --repeat.
The bibliography is a real 7,150-entry Zotero export from ../shared/fixtures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT.parent / "shared" / "fixtures" / "bibtex" / "bbt-import" / "Unabbreviate on import #1436-3.bib"


def make_draft(folder: Path, keys: list[str]) -> Path:
    lines = ["---", "title: Benchmark draft", "bibliography: library.bib", "---", ""]
    for i, key in enumerate(keys):
        lines.append(f"Study {i} reported that the intervention improved outcomes in {i + 10}% of cases [@{key}].")
        lines.append("")
    draft = folder / "draft.md"
    draft.write_text("\n".join(lines), encoding="utf-8")
    return draft


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"evgrade check failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="evgrade-bench-"))
    try:
        shutil.copy(BIB, work / "library.bib")
        keys = re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"), flags=re.MULTILINE)
        step = max(1, len(keys) // 50)
        make_draft(work, keys[::step][:50])
        exe = [str(Path(sys.executable).parent / "evgrade")]
        cmd = [*exe, "check", "draft.md", "--exit-zero"]
        base = {**os.environ, "EVGRADE_CACHE_DIR": str(work / "cache")}
        cold = []
        for _ in range(args.repeat):
            shutil.rmtree(work / "cache", ignore_errors=True)
            cold.append(timed(cmd, base, work))
        warm = [timed(cmd, base, work) for _ in range(args.repeat)]
        nocache = [timed(cmd, {**base, "EVGRADE_NO_CACHE": "1"}, work) for _ in range(args.repeat)]
        print(f"bibliography: {BIB.name} ({len(keys)} entries); draft cites 50 keys")
        print(f"{'run':28} {'best s':>8}")
        print(f"{'no cache (full parse)':28} {min(nocache):8.3f}")
        print(f"{'cold (parse + write cache)':28} {min(cold):8.3f}")
        print(f"{'warm (cache hit)':28} {min(warm):8.3f}")
        print(f"warm / no-cache ratio: {min(warm) / min(nocache):.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
