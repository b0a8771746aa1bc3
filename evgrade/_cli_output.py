"""What the command line writes besides messages: the report and a progress bar.

Private to :mod:`evgrade.cli`; the library never prints. Also the output options
(``--width``, ``--color``, ``--paper``, ``--fragment``) and how they become renderer
options.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from .errors import InputError, UsageError

PROGRESS_MIN = 10  # fewer lookups than this finish before a bar would help
DEFAULT_WIDTH = 100  # text written to a pipe or a file when COLUMNS is not set
COLOR_CHOICES = ("auto", "always", "never")


def add_output_options(p: argparse.ArgumentParser) -> None:
    out = p.add_argument_group("output (see docs/output.md)")
    out.add_argument("--width", type=int, metavar="N", default=None,
                     help="text: wrap the table to N columns. Default: $COLUMNS, else the "
                          f"terminal's width, else {DEFAULT_WIDTH}")
    out.add_argument("--color", choices=COLOR_CHOICES, default="auto",
                     help="text: colour the grades. auto (default): only on a terminal and "
                          "when NO_COLOR is not set")
    out.add_argument("--paper", choices=("a4", "letter"), default="a4",
                     help="latex, html, pdf, worksheet-html: page size. Default: a4")
    tex = out.add_mutually_exclusive_group()
    tex.add_argument("--standalone", dest="fragment", action="store_false", default=False,
                     help="latex: a complete document for pdflatex (the default)")
    tex.add_argument("--fragment", dest="fragment", action="store_true",
                     help="latex: the body only, to \\input into a document of your own")


def _width(args: argparse.Namespace) -> int:
    if args.width is not None:
        if args.width < 1:
            raise UsageError(f"--width must be a positive number, not {args.width}")
        return args.width
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            continue
    return DEFAULT_WIDTH


def _color(args: argparse.Namespace) -> bool:
    if args.color != "auto":
        return args.color == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb" or args.output:
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def render_options(args: argparse.Namespace, fmt: str) -> dict[str, object]:
    """Renderer options from the command line; each renderer takes the ones it knows."""
    options: dict[str, object] = {"show_info": args.show_info, "paper": args.paper,
                                  "fragment": args.fragment}
    if fmt == "text":
        options.update(width=_width(args), color=_color(args))
    return options


def progress_bar() -> Callable[[int, int], None] | None:
    """A tqdm bar on stderr, only when stderr is a terminal and the work is more than a handful."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            if total <= PROGRESS_MIN:
                return
            bar = state["bar"] = tqdm(total=total, desc="resolving", unit="id", file=sys.stderr,
                                      leave=False)
        bar.total = total  # type: ignore[attr-defined]
        bar.n = done  # type: ignore[attr-defined]
        bar.refresh()  # type: ignore[attr-defined]
        if done >= total:
            bar.close()  # type: ignore[attr-defined]
    return update


def emit(text: str | bytes, output: str | None) -> None:
    """The report on standard output, or atomically into ``output``; bytes (a PDF) never
    go to a terminal."""
    data = text if isinstance(text, bytes) else None
    if output:
        from ._atomic import write_atomic

        try:
            write_atomic(output, data if data is not None else text.encode("utf-8"))  # type: ignore[union-attr]
        except OSError as exc:
            raise InputError(f"cannot write the report: {exc.strerror or exc}", path=output) from exc
    elif data is not None:
        if sys.stdout.isatty():
            raise UsageError("will not write a PDF to the terminal: use --output FILE or a pipe")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        assert isinstance(text, str)
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
