"""``--jobs``, ``--backend`` and ``--scheduler`` for ``score`` and ``check``, and writing
JSON Lines and CSV as the articles are graded. Private to :mod:`evgrade.cli`.

A format in :data:`evgrade.report.STREAM_FORMATS` (jsonl, csv, json) is written piece
by piece (:func:`evgrade._parallel.pieces`): memory holds a few chunks of articles, not
the report (JSON also holds the findings, which it lists at the end, and goes to
standard output only whole). Every other format is rendered from the whole report,
graded on the same engine. ``score --unused`` with JSON or JSON Lines and a large
bibliography is written by :mod:`evgrade._entry_pool` first.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, UsageError

if TYPE_CHECKING:
    from .models import Report
    from .pipeline import Options

AUTO_MIN_ARTICLES = 64  # fewer finish before a second process would have started
BACKENDS = ("local", "dask")


def _jobs(value: str) -> int:
    if value == "auto":
        return 0
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes or 'auto', got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more processes, got {n}")
    return n


def add_job_options(p: argparse.ArgumentParser) -> None:
    run = p.add_argument_group("many articles (see docs/scale.md)")
    run.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                     help="grade on N processes (the report is the same). Default (0 or auto): "
                          f"every core when there are {AUTO_MIN_ARTICLES} articles or more, or with "
                          "--unused (thousands of entries to assess), else 1")
    run.add_argument("--backend", choices=BACKENDS, default="local",
                     help="local: processes on this machine (default); dask: a Dask cluster "
                          "(pip install 'evgrade[dask]')")
    run.add_argument("--scheduler", metavar="ADDRESS", default=None,
                     help="with --backend dask: the scheduler to use (tcp://host:8786). "
                          "Default: a local cluster of --jobs workers")


def jobs_for(args: argparse.Namespace, inputs: Sequence[Path]) -> int:
    if args.jobs:
        return int(args.jobs)
    if not getattr(args, "unused", False):  # --unused: every entry is assessed, thousands maybe
        count = sum(sum(1 for _ in p.iterdir()) if p.is_dir() else 1 for p in inputs if p.exists())
        if count < AUTO_MIN_ARTICLES:
            return 1
    from ._parallel import default_jobs

    return default_jobs()


def _streamed(fmt: str) -> bool:
    """Whether ``fmt`` is written piece by piece. A built-in name is answered without reading
    the installed plugins (a built-in wins over a plugin's name)."""
    from .report import FORMATS, STREAM_FORMATS

    if STREAM_FORMATS.registered(fmt):
        return True
    return not FORMATS.registered(fmt) and fmt in STREAM_FORMATS


def grade_and_write(args: argparse.Namespace, inputs: Sequence[Path], options: Options, fmt: str,
                    render_options: dict[str, Any]) -> Report:
    """Grade, write the report in ``fmt``, and return a report to decide the exit code with
    (all of it, or for a streamed format its header and the findings that decide)."""
    from . import pipeline
    from ._cli_output import emit
    from .report import render

    if args.scheduler and args.backend != "dask":
        raise UsageError("--scheduler goes with --backend dask")
    jobs = jobs_for(args, inputs)
    if args.backend == "local" and options.unused:   # the only runs _entry_pool may take
        from . import _entry_pool

        prepared = _entry_pool.prepare(list(inputs), options, fmt, jobs)  # None: not for this run
        if prepared is not None:
            try:
                _write_texts(prepared.parts(), args.output)
            finally:
                prepared.close()
            return prepared.report
    with ExitStack() as stack:
        engine = _engine(args, jobs, stack)
        if _streamed(fmt):
            from . import _parallel

            pieces = _parallel.pieces(inputs, options, jobs=jobs, engine=engine, stream_format=fmt)
            return _write_stream(pieces, fmt, args.output)
        report = pipeline.run(inputs, options, jobs=jobs, engine=engine)
    emit(render(report, fmt, **render_options), args.output)
    return report


def _engine(args: argparse.Namespace, jobs: int, stack: ExitStack) -> Any:
    if args.backend == "dask":
        from . import _dask

        client = _dask.client_for(args.scheduler, jobs)
        stack.callback(getattr(client, "close_cluster", lambda: None))
        stack.callback(client.close)
        return _dask.engine(client)
    if jobs > 1:
        from ._pool import Pool

        return stack.enter_context(Pool(jobs))
    return None  # this process


def _write_stream(pieces: Iterator[Any], fmt: str, output: str | None) -> Report:
    from .models import Report
    from .report import STREAM_FORMATS, write_pieces
    from .report.stream import Footer, Header

    kept: dict[str, Any] = {}

    def noted() -> Iterator[Any]:
        for piece in pieces:
            if isinstance(piece, (Header, Footer)):
                kept[type(piece).__name__] = piece
            yield piece

    def texts() -> Iterator[str]:   # one writer for all the pieces: JSON counts its articles
        return write_pieces(noted(), fmt)

    if output is None and getattr(STREAM_FORMATS.get(fmt), "document", False):
        _write_texts(iter(["".join(texts())]), output)  # a part of a JSON document is none
    else:
        _write_texts(texts(), output)
    header, footer = kept["Header"], kept["Footer"]
    return Report(version=header.version, rubric=header.rubric, levels=header.levels,
                  bibliographies=header.bibliographies, findings=tuple(footer.decisive))


def _write_texts(texts: Iterator[str], output: str | None) -> None:
    """Write ``texts`` to ``output`` (atomically) or standard output, as they come."""
    if output:
        from ._atomic import write_atomic_parts

        try:
            write_atomic_parts(output, (text.encode("utf-8") for text in texts))
        except OSError as exc:
            raise InputError(f"cannot write the report: {exc.strerror or exc}", path=output) from exc
    else:
        for text in texts:
            sys.stdout.write(text)
        sys.stdout.flush()


__all__ = ["add_job_options", "grade_and_write", "jobs_for"]
