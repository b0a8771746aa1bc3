"""The ``--jobs N`` engine: a pool of N worker processes on this machine.

Workers are forked from the calling process where that is safe (Linux, and no other
thread running: evgrade is imported already, so a worker starts in milliseconds), else
started from a fresh interpreter (``forkserver`` with evgrade imported once, else
``spawn``). Either way they run only the top-level functions below and take nothing
from the caller's state but what those functions are handed. The context of a run (the
parsed bibliography and the rest, :mod:`evgrade._chunks`) can be megabytes: it is
written once to a private temporary file that each worker reads once, and every task
names only its chunk's paths. At most ``2 x N`` chunks are in flight, and results come
back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

_CONTEXTS: dict[str, str] = {}  # in a worker: context file -> its text (the latest only)


def _watch(caller: int) -> None:
    """End this worker when the process that started the pool is gone (killed, say): the
    fork server's workers are not its children, and would wait for work forever."""
    import threading
    import time

    def check() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(caller, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid was reused by another user's process
                os._exit(1)

    threading.Thread(target=check, name="evgrade-watch", daemon=True).start()


def _names(paths: list[str]) -> list[str]:
    from ._parallel import named_bibliographies

    return named_bibliographies(paths)


def _grade(context_file: str, paths: list[str]) -> str:
    from ._chunks import grade_chunk_text

    if context_file not in _CONTEXTS:
        _CONTEXTS.clear()
        _CONTEXTS[context_file] = Path(context_file).read_text(encoding="utf-8")
    return grade_chunk_text(_CONTEXTS[context_file], paths)


PRELOAD = ["evgrade._chunks", "evgrade.pipeline", "evgrade.report.stream"]


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` on Linux while this process runs one thread: the workers start with evgrade
    imported, which a fresh interpreter takes about half a second to do (a thread holding a
    lock at the fork would leave it held in the worker, hence the thread check; macOS's
    system libraries are not fork-safe). Else ``forkserver`` where the platform has it: one
    fresh process imports evgrade once and each worker is forked from it; else ``spawn``."""
    if fork_is_safe():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def fork_is_safe() -> bool:
    """Linux, and this process runs one thread: a forked worker then inherits no lock that
    another thread held at the fork."""
    import sys
    import threading

    return (sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


class Pool:
    """An engine (:class:`evgrade._parallel.Engine`) on ``jobs`` processes; a context manager."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                                             initializer=_watch, initargs=(os.getpid(),))
        self._folder = tempfile.TemporaryDirectory(prefix="evgrade-jobs-")

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._folder.cleanup()

    def names(self, chunks: Iterable[list[str]]) -> Iterator[list[str]]:
        return in_order(chunks, lambda chunk: self._executor.submit(_names, chunk), 2 * self.jobs)

    def grade(self, context: str, chunks: Iterable[list[str]]) -> Iterator[str]:
        fd, name = tempfile.mkstemp(dir=self._folder.name, suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(context)
        return in_order(chunks, lambda chunk: self._executor.submit(_grade, name, chunk), 2 * self.jobs)


def in_order(chunks: Iterable[list[str]], submit: Callable[[list[str]], Any], width: int) -> Iterator[Any]:
    """The result of each chunk, in chunk order, with at most ``width`` submitted at once;
    ``submit`` returns a future (concurrent.futures or Dask: both have ``result()``)."""
    pending = iter(chunks)
    window: deque[Any] = deque()
    for chunk in pending:
        window.append(submit(chunk))
        if len(window) >= width:
            break
    while window:
        result = window.popleft().result()
        following = next(pending, None)
        if following is not None:
            window.append(submit(following))
        yield result
