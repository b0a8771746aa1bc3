"""What the command line writes besides messages: the report and a progress bar.

Private to :mod:`evgrade.cli`; the library never prints.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from .errors import InputError

PROGRESS_MIN = 10  # fewer lookups than this finish before a bar would help


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


def emit(text: str, output: str | None) -> None:
    """The report on standard output, or atomically into ``output``."""
    if output:
        from ._atomic import write_atomic

        try:
            write_atomic(output, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(f"cannot write the report: {exc.strerror or exc}", path=output) from exc
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
