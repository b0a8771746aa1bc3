"""``--format pdf``: the LaTeX report compiled with pdflatex, when it is installed.

pdflatex runs in a fresh temporary folder with shell escape off, as many times as
``longtable`` asks ("Rerun LaTeX"), at most :data:`MAX_RUNS`. The report text was
escaped for TeX already (``_tex``); nothing from the input is ever run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import EvgradeError, UsageError
from ..models import Report
from .latex import render_latex

MAX_RUNS = 4
TIMEOUT = 300  # seconds per pdflatex run
_RERUN = ("Rerun LaTeX", "Rerun to get", "Table widths have changed")


def pdflatex() -> str | None:
    return shutil.which("pdflatex")


def _first_error(log: str) -> str:
    for line in log.splitlines():
        if line.startswith("!"):
            return line.lstrip("! ").strip()
    return "see the LaTeX log"


def compile_latex(source: str, exe: str) -> bytes:
    """PDF bytes of ``source``; :class:`EvgradeError` when pdflatex fails."""
    env = dict(os.environ, openout_any="p", openin_any="p", shell_escape="f")
    with tempfile.TemporaryDirectory(prefix="evgrade-pdf-") as tmp:
        folder = Path(tmp)
        (folder / "report.tex").write_text(source, encoding="utf-8")
        for _ in range(MAX_RUNS):
            try:
                done = subprocess.run(
                    [exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                     "report.tex"], cwd=folder, env=env, stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT, check=False)
            except subprocess.TimeoutExpired:
                raise EvgradeError(f"pdflatex took longer than {TIMEOUT} s") from None
            log_path = folder / "report.log"
            log = log_path.read_text(encoding="latin-1") if log_path.exists() else ""
            if done.returncode != 0:
                raise EvgradeError(f"pdflatex failed: {_first_error(log)} "
                                   "(try --format latex and compile it yourself)")
            if not any(mark in log for mark in _RERUN):
                break
        return (folder / "report.pdf").read_bytes()


def render_pdf(report: Report, *, paper: str = "a4") -> bytes:
    exe = pdflatex()
    if exe is None:
        raise UsageError("--format pdf needs pdflatex, which is not installed (Debian/Ubuntu: "
                         "apt-get install texlive-latex-extra); --format latex or html work "
                         "without it")
    return compile_latex(render_latex(report, paper=paper), exe)


__all__ = ["MAX_RUNS", "compile_latex", "pdflatex", "render_pdf"]
