"""A plain text table for ``evgrade codes``: the layout of tabulate's "simple" format.

Start-up is the reason: ``evgrade codes`` should cost about what ``python -c pass``
does, and importing tabulate looks up its own version in the installed packages'
metadata (tens of milliseconds). Columns are left-aligned, each as wide as its widest
line or its header plus two; a column given a width is wrapped to it with textwrap.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence


def simple_table(rows: Sequence[Sequence[str]], headers: Sequence[str],
                 widths: Sequence[int | None]) -> str:
    cells = [[textwrap.wrap(value, width) or [""] if width else [value]
              for value, width in zip(row, widths)] for row in rows]
    sizes = [max([len(h) + 2] + [len(line) for row in cells for line in row[i]])
             for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(n) for v, n in zip(values, sizes)).rstrip()

    out = [line(headers), line(["-" * n for n in sizes])]
    for row in cells:
        for k in range(max(len(c) for c in row)):
            out.append(line([c[k] if k < len(c) else "" for c in row]))
    return "\n".join(out)
