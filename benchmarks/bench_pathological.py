"""Pathological inputs, each timed as a whole `evgrade` process (issue 9).

    .venv/bin/python benchmarks/bench_pathological.py [--repeat 5] [--sizes 50,100,200]
                                                      [--family NAME ...] [--timeout 60]

A *family* is a generator of hostile input: given a size in bytes it returns the
files to write (name -> bytes), and it names the evgrade command line to run in
the folder holding them. Every run is a fresh `evgrade` process (start-up
included: that is what a user waits for) with the bibliography cache off. The
runs are interleaved (repeat 1 of every family and size, then repeat 2, ...) so
that a burst of load on a shared machine does not land on one family alone.
The table gives the median of --repeat runs at each size and the growth from
100 to 200 KB.

Goal (issue 9): every family <= 1 s at 100 KB, and at most 2.5x growth from
100 to 200 KB (linear work doubles; quadratic work quadruples).

To add a family, decorate a generator:

    @family("markdown-bracket-at", ["check", "draft.md", "--exit-zero"])
    def _(size: int) -> dict[str, bytes]:
        return {"draft.md": b"[@" * (size // 2)}

Exit codes 0, 1 and 2 are all fine here (hostile input often is an input
error); exit 3 (an evgrade bug) or a timeout is reported in the table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

KB = 1000
GOAL_SECONDS = 1.0   # at 100 KB
GOAL_GROWTH = 2.5    # from 100 KB to 200 KB

Files = dict[str, bytes]


@dataclass(frozen=True)
class Family:
    name: str
    argv: tuple[str, ...]            # the evgrade arguments, run in the files' folder
    make: Callable[[int], Files]     # size in bytes -> files


FAMILIES: dict[str, Family] = {}


def family(name: str, argv: list[str]) -> Callable[[Callable[[int], Files]], Callable[[int], Files]]:
    """Register a generator of hostile input under ``name``."""
    def register(make: Callable[[int], Files]) -> Callable[[int], Files]:
        FAMILIES[name] = Family(name, tuple(argv), make)
        return make
    return register


def repeat_to(unit: str, size: int, head: str = "", tail: str = "") -> bytes:
    """``head`` + ``unit`` repeated + ``tail``, about ``size`` bytes in all."""
    n = max(1, (size - len(head) - len(tail)) // max(1, len(unit.encode())))
    return (head + unit * n + tail).encode("utf-8")


# ------------------------------------------------------------ bibliography families

DRAFT = b"Coffee reduced headaches in 70% of adults [@k].\n"
CHECK_BIB = ["check", "draft.md", "--bib", "refs.bib", "--exit-zero"]


@family("baseline: 1-entry bib", CHECK_BIB)
def _baseline(size: int) -> Files:
    # the floor: start-up, one draft, one entry; the same at every size
    return {"draft.md": DRAFT, "refs.bib": b"@article{k, title = {Coffee}, year = 2020}\n"}


@family("bib: doubling @string chain", CHECK_BIB)
def _doubling(size: int) -> Files:
    # issue 9, item 4: a0 = "xx", a(N+1) = aN # aN; 24 levels asked for 33.5 M characters
    lines = ['@string{a0 = "xx"}']
    total, n = len(lines[0]), 0
    while total < size - 60:
        line = f"@string{{a{n + 1} = a{n} # a{n}}}"
        lines.append(line)
        total += len(line) + 1
        n += 1
    lines.append(f"@article{{k, title = a{n}, year = 2020}}")
    return {"draft.md": DRAFT, "refs.bib": "\n".join(lines).encode()}


@family("bib: doubled macro in every entry", CHECK_BIB)
def _shared_macro(size: int) -> Files:
    # each use is under the value cap, but thousands of them multiply it: the file budget
    lines = ['@string{a0 = "xx"}'] + [f"@string{{a{i + 1} = a{i} # a{i}}}" for i in range(17)]
    head = "\n".join(lines) + "\n@article{k, title = a17, year = 2020}\n"
    n = max(1, (size - len(head)) // len("@misc{e00000, title = a17}\n"))
    body = "".join(f"@misc{{e{i:05d}, title = a17}}\n" for i in range(n))
    return {"draft.md": DRAFT, "refs.bib": (head + body).encode()}


@family("bib: many @string", CHECK_BIB)
def _many_strings(size: int) -> Files:
    lines, total, n = [], 0, 0
    while total < size - 80:
        line = f'@string{{j{n} = "Journal of Hostile Input Studies, volume {n}"}}'
        lines.append(line)
        total += len(line) + 1
        n += 1
    uses = " # { and } # ".join(f"j{i}" for i in range(0, n, max(1, n // 20)))
    lines.append(f"@article{{k, title = {{Coffee}}, journal = {uses}, year = 2020}}")
    return {"draft.md": DRAFT, "refs.bib": "\n".join(lines).encode()}


@family("bib: long # chain", CHECK_BIB)
def _hash_chain(size: int) -> Files:
    head = '@string{w = "word "}\n@article{k, year = 2020, title = w'
    return {"draft.md": DRAFT, "refs.bib": repeat_to(" # w", size, head, "}\n")}


@family("bib: deep braces, one entry", CHECK_BIB)
def _deep_braces(size: int) -> Files:
    depth = max(1, (size - 60) // 2)
    body = "{" * depth + "x" + "}" * depth
    text = f"@article{{k, year = 2020, title = {body}}}\n@article{{after, title = {{ok}}}}\n"
    return {"draft.md": DRAFT, "refs.bib": text.encode()}


@family("bib: braces 99 deep, many entries", CHECK_BIB)
def _braces_99(size: int) -> Files:
    # pybtex refuses 101 levels; 99 is the deepest it reads, and it yields through each level
    value = "{" * 99 + "a}{b" + "}" * 99
    one = len(f"@misc{{e0, title = {value}}}\n")
    text = "".join(f"@misc{{e{i}, title = {value}}}\n" for i in range(max(1, size // one)))
    return {"draft.md": DRAFT, "refs.bib": (text + "@article{k, title = {Coffee}}\n").encode()}


@family("bib: entries on one line", CHECK_BIB)
def _one_line(size: int) -> Files:
    # no newline between blocks: the next line that opens a block is the file's end, and
    # looking for a block's end up to there for every block was quadratic (fixed 2026-12-02)
    return {"draft.md": DRAFT, "refs.bib": repeat_to("@misc{e, title = {T}} ", size,
                                                       "@article{k, title = {Coffee}} ")}


@family("bib: entries on one line, @ in values", CHECK_BIB)
def _one_line_at(size: int) -> Files:
    return {"draft.md": DRAFT, "refs.bib": repeat_to("@misc{e, note = {a@b c@d e@f}} ", size,
                                                       "@article{k, title = {Coffee}} ")}


@family("bib: an @ in every entry", CHECK_BIB)
def _at_in_every_entry(size: int) -> Files:
    # every piece between two block lines holds a second "@": a load of some keys without
    # a cache splits each of them at once (bib/_block_index.py) instead of reading its head
    return {"draft.md": DRAFT, "refs.bib": repeat_to("@misc{e, note = {a@b}}\n", size,
                                                       "@article{k, title = {Coffee}}\n")}


@family("bib: %-comment lines around one entry", CHECK_BIB)
def _comment_lines(size: int) -> Files:
    # the "@" after every comment line is the same far one: looked for once, not per line
    half = "% a comment line, as JabRef and Emacs write them\n" * max(1, size // 100)
    return {"draft.md": DRAFT, "refs.bib": (half + "@article{k, title = {Coffee}}\n" + half).encode()}


# ------------------------------------------------------------ draft and article families
# One construct repeated in one input, graded by `evgrade score FILE --format json`; the
# suffix decides the reader. Items 2 and 3 of issue 9.

def _score(name: str, suffix: str, unit: str, head: str = "", tail: str = "") -> None:
    argv = ["score", f"input{suffix}", "--format", "json"]
    family(name, argv)(lambda size: {f"input{suffix}": repeat_to(unit, size, head, tail)})


def _spaces(name: str, suffix: str, head: str, tail: str) -> None:
    argv = ["score", f"input{suffix}", "--format", "json"]
    family(name, argv)(lambda size: {f"input{suffix}": (head + " " * max(1, size - len(head) - len(tail))
                                                         + tail).encode()})


HEADLINE = ("FDA SAYS A NASAL SPRAY WORKS WITHIN HOURS FOR PATIENTS WITH SEVERE ILLNESS AND "
            "THOUGHTS OF HARM IN TWO GROUPS WHILE OTHER TREATMENTS TAKE WEEKS. ")


@family("text: the bundled articles on one line", ["score", "input.txt", "--format", "json"])
def _(size: int) -> Files:
    root = Path(__file__).resolve().parents[1] / "articles"
    text = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted(root.glob("*.txt")))
    return {"input.txt": repeat_to(text + " ", size)}


for _name, _suffix, _unit, *_rest in [
    ("text: 24-word headlines in capitals", ".txt", HEADLINE),
    ("text: one sentence of capitalised words", ".txt", "WORD "),
    ("text: 'the Agency ' run, no verb after it", ".txt", "the Agency ", "", "agreed."),
    ("text: 'A. '", ".txt", "A. "),
    ("text: '70% '", ".txt", "70% "),
    ("text: '1. '", ".txt", "1. "),
    ("text: 'Dr. '", ".txt", "Dr. "),
    ("text: 'A-' run, no 'et al.' after it", ".txt", "A-", "", "Smith found it."),
    ("text: 'It reduces nausea '", ".txt", "It reduces nausea "),
    ("text: 'It is likely that ', no 'will'", ".txt", "It is likely that ", "", "it works."),
    ("md: '[@'", ".md", "[@"),
    ("md: '['", ".md", "["),
    ("md: '\\cite{'", ".md", "\\cite{"),
    ("md: '[a]('", ".md", "[a]("),
    ("md: '[see @a; @b;'", ".md", "[see @a; @b;"),
    ("md: '\\textbf{'", ".md", "\\textbf{"),
    ("md: front matter 'a: ['", ".md", "a: [\n", "---\n"),
    ("md: '@{'", ".md", "@{"),
    ("md: '@a ['", ".md", "@a ["),
    ("md: '<!--' blocks closed at the end", ".md", "<!--\n\n", "", "-->x\n"),
    ("md: ignore comments", ".md", "<!-- evgrade: ignore -->\nCoffee helps most people.\n\n"),
    ("md: cited sentences", ".md", "Coffee helped 7 of 10 people [@a]. "),
    ("tex: '\\cite{'", ".tex", "\\cite{"),
    ("tex: 'A. '", ".tex", "A. "),
    ("tex: '{'", ".tex", "{"),
    ("tex: environments on one line", ".tex", "\\begin{equation}x\\end{equation}"),
    ("tex: cited sentences", ".tex", "Coffee helped 7 of 10 people \\cite{a}. "),
    ("html: '<b>'", ".html", "<b>"),
    ("html: '<!--'", ".html", "<!--"),
    ("html: '<div>'", ".html", "<div>"),
    ("html: '<p>a'", ".html", "<p>a"),
    ("html: '<a '", ".html", "<a "),
    ("html: '</'", ".html", "</"),
    ("html: paragraphs", ".html", "<p>Coffee helps most people.</p>\n"),
]:
    _score(_name, _suffix, _unit, *_rest)
_spaces("text: 'email' and a line of spaces", ".txt", "Contact\n\nemail", "!\n")
_spaces("md: heading line of spaces", ".md", "# a", "b\n")


# ------------------------------------------------------------ running

def run_once(fam: Family, folder: Path, exe: list[str], env: dict[str, str],
             timeout: float) -> tuple[float, str]:
    """Seconds for one evgrade process, and "" or what went wrong."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([*exe, *fam.argv], cwd=folder, env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, f"timeout > {timeout:g} s"
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1, 2):
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        return elapsed, f"exit {proc.returncode}: {last[:80]}"
    return elapsed, ""


def prepare(families: list[Family], sizes: list[int], work: Path) -> dict[tuple[str, int], Path]:
    folders = {}
    for fi, fam in enumerate(families):
        for size in sizes:
            folder = work / f"f{fi}-{size}"
            folder.mkdir()
            for name, data in fam.make(size * KB).items():
                (folder / name).write_bytes(data)
            folders[fam.name, size] = folder
    return folders


def measure(families: list[Family], sizes: list[int], repeat: int,
            timeout: float) -> dict[tuple[str, int], tuple[list[float], str]]:
    exe = [str(Path(sys.executable).parent / "evgrade")]
    work = Path(tempfile.mkdtemp(prefix="evgrade-patho-"))
    env = {**os.environ, "EVGRADE_NO_CACHE": "1", "EVGRADE_CACHE_DIR": str(work / "cache")}
    results: dict[tuple[str, int], tuple[list[float], str]] = {}
    try:
        folders = prepare(families, sizes, work)
        for _ in range(repeat):
            for size in sizes:
                for fam in families:
                    times, problem = results.get((fam.name, size), ([], ""))
                    if problem.startswith("timeout"):
                        continue  # once is enough
                    seconds, what = run_once(fam, folders[fam.name, size], exe, env, timeout)
                    results[fam.name, size] = ([*times, seconds], problem or what)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def report(families: list[Family], sizes: list[int],
           results: dict[tuple[str, int], tuple[list[float], str]]) -> bool:
    width = max(len(f.name) for f in families)
    head = "".join(f"{s:>6} KB" for s in sizes)
    print(f"{'family':{width}} {head}   100->200   verdict")
    all_ok = True
    for fam in families:
        medians = {s: statistics.median(results[fam.name, s][0]) for s in sizes}
        problems = [results[fam.name, s][1] for s in sizes if results[fam.name, s][1]]
        cells = "".join(f"{medians[s]:7.2f} s" for s in sizes)
        growth = medians[200] / medians[100] if 100 in medians and 200 in medians else float("nan")
        ok = not problems and medians.get(100, 0) <= GOAL_SECONDS and growth <= GOAL_GROWTH
        all_ok &= ok
        verdict = "ok" if ok else "FAIL" + (f" ({problems[0]})" if problems else "")
        shown = "      -  " if problems else f"{growth:7.2f}x "
        print(f"{fam.name:{width}} {cells}   {shown}  {verdict}")
    return all_ok


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (f"{platform.platform()}; {platform.python_implementation()} {platform.python_version()}; "
            f"{os.cpu_count()} CPUs; load average {load}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs per family and size (median)")
    ap.add_argument("--sizes", default="50,100,200", help="input sizes in KB (default 50,100,200)")
    ap.add_argument("--family", action="append", default=None,
                    help="only the families whose name contains this (repeatable)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a run is stopped")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    families = [f for f in FAMILIES.values()
                if not args.family or any(part in f.name for part in args.family)]
    if not families:
        sys.exit(f"no family matches {args.family}; known: {', '.join(FAMILIES)}")
    print(f"machine: {machine()}")
    print(f"each cell: median of {args.repeat} whole `evgrade` processes, runs interleaved; "
          f"goal <= {GOAL_SECONDS:g} s at 100 KB and <= {GOAL_GROWTH:g}x from 100 to 200 KB\n")
    ok = report(families, sizes, measure(families, sizes, args.repeat, args.timeout))
    print("\nall families meet the goal" if ok else "\nsome families miss the goal")


if __name__ == "__main__":
    main()
