"""What every whole-process benchmark here shares: run a command, time it, read its peak RSS.

Each run is its own process started with ``subprocess``; the time is the wall time of
the process (start-up included: that is what a user waits for) and the peak memory is
the child's maximum resident set size as the kernel counts it (``wait4``'s rusage), so
nothing is measured in-process and both sides of a comparison pay the same start-up.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVGRADE = str(Path(sys.executable).parent / "evgrade")


@dataclass
class Runs:
    """Wall seconds and peak RSS (MiB) of each run of one command."""

    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_mib(self) -> float:
        return statistics.median(self.peak_mib)


def run(cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        ok: Sequence[int] = (0, 1), stdout: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one process; exits when it fails. Its standard
    output goes to the file ``stdout`` when given, else nowhere."""
    with tempfile.TemporaryFile() as err, \
            (open(stdout, "wb") if stdout else open(os.devnull, "wb")) as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok:
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
            sys.exit(f"{' '.join(cmd[:4])} failed ({proc.returncode}): {stderr.strip()[-300:]}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def interleaved(commands: dict[str, Sequence[str]], repeat: int, **kwargs: object) -> dict[str, Runs]:
    """Every command once per round, ``repeat`` rounds: all share the machine's load."""
    out = {name: Runs() for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            seconds, mib = run(cmd, **kwargs)  # type: ignore[arg-type]
            out[name].seconds.append(seconds)
            out[name].peak_mib.append(mib)
    return out


def bytecode() -> str:
    """Compile evgrade's modules to bytecode, as pip does when it installs a package; the
    line to print about it. The anchors' packages got their bytecode when pip installed
    them, but an editable install of evgrade gets its own only when Python may write it:
    on a machine with PYTHONDONTWRITEBYTECODE set (this one), every evgrade process would
    otherwise compile its sources afresh (about 0.15 s of each start-up)."""
    import compileall

    compileall.compile_dir(str(ROOT / "evgrade"), quiet=1)
    return "evgrade's bytecode compiled before the runs (compileall), as a pip install does"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return (f"{os.cpu_count()} cores ({model or platform.processor() or 'unknown CPU'}), "
            f"CPython {platform.python_version()}, {platform.system()} {platform.release()}; "
            f"load average {load}; {BYTECODE}")


BYTECODE = bytecode()   # on import: before any benchmark here starts a process
