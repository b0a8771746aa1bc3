"""A unified diff of a .bib file before and after the writer edited some of its entries.

The writer changes bytes only inside entries and never moves an entry's start or
end, so the two texts cut into the same blocks (:mod:`.split`), in the same order.
Lines are compared only inside the blocks whose text changed, which keeps the diff
linear in the file's size (difflib on a whole 7,000-entry file takes seconds, or
minutes without its "popular line" heuristic, under which the many identical ``}``
lines of a .bib show up as changed). Any two texts are still diffed correctly: when
the blocks do not pair up, the changed stretch is compared as one region.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator

from .. import _patterns
from .split import split_blocks

_LINES = _patterns.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
Opcode = tuple[str, int, int, int, int]


def _line_starts(lines: list[str]) -> list[int]:
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line)
    return starts


def _regions(old: str, new: str, a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """Line ranges (old start, old stop, new start, new stop) that may differ."""
    old_blocks, new_blocks = split_blocks(old), split_blocks(new)
    if len(old_blocks) != len(new_blocks):
        return [(0, len(a), 0, len(b))]
    sa, sb = _line_starts(a), _line_starts(b)
    out = []
    for ob, nb in zip(old_blocks, new_blocks):
        if old[ob.start:ob.end] == new[nb.start:nb.end]:
            continue
        i1, j1 = bisect.bisect_right(sa, ob.start) - 1, bisect.bisect_right(sb, nb.start) - 1
        i2, j2 = bisect.bisect_right(sa, ob.end - 1), bisect.bisect_right(sb, nb.end - 1)
        if out and i1 < out[-1][1]:  # two blocks on one line
            i1, j1 = out[-1][0], out[-1][2]
            out.pop()
        out.append((i1, i2, j1, j2))
    return out


def _opcodes(old: str, new: str, a: list[str], b: list[str]) -> list[Opcode]:
    regions = _regions(old, new, a, b)
    codes: list[Opcode] = []
    i = j = 0
    for i1, i2, j1, j2 in regions:
        if i1 - i != j1 - j or a[i:i1] != b[j:j1]:  # the blocks did not pair up after all
            return difflib.SequenceMatcher(None, a, b).get_opcodes()
        codes.append(("equal", i, i1, j, j1))
        matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
        codes += [(tag, i1 + x1, i1 + x2, j1 + y1, j1 + y2)
                  for tag, x1, x2, y1, y2 in matcher.get_opcodes()]
        i, j = i2, j2
    if a[i:] != b[j:]:
        return difflib.SequenceMatcher(None, a, b).get_opcodes()
    codes.append(("equal", i, len(a), j, len(b)))
    return codes


def _merged(codes: list[Opcode]) -> list[Opcode]:
    """Empty opcodes dropped, neighbouring equal runs joined."""
    out: list[Opcode] = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if out and code[0] == "equal" and out[-1][0] == "equal":
            out[-1] = ("equal", out[-1][1], code[2], out[-1][3], code[4])
        else:
            out.append(code)
    return out


def _head(code: Opcode, n: int) -> Opcode:
    return ("equal", code[1], min(code[2], code[1] + n), code[3], min(code[4], code[3] + n))


def _tail(code: Opcode, n: int) -> Opcode:
    return ("equal", max(code[1], code[2] - n), code[2], max(code[3], code[4] - n), code[4])


def _hunks(codes: list[Opcode], context: int) -> Iterator[list[Opcode]]:
    """Changes with ``context`` equal lines around them; changes closer than twice that share
    a hunk."""
    hunk: list[Opcode] = []
    for code in codes:
        if code[0] != "equal":
            hunk.append(code)
        elif not hunk:
            hunk = [_tail(code, context)]
        elif code[2] - code[1] > 2 * context:
            yield hunk + [_head(code, context)]
            hunk = [_tail(code, context)]
        else:
            hunk.append(code)
    if any(code[0] != "equal" for code in hunk):
        if hunk[-1][0] == "equal":
            hunk[-1] = _head(hunk[-1], context)
        yield hunk


def _span(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"


def unified_diff(old: str, new: str, path: str, context: int = 3) -> str:
    """``old`` -> ``new`` as a unified diff naming ``path`` on both sides ("" when equal)."""
    if old == new:
        return ""
    a, b = _LINES.findall(old), _LINES.findall(new)
    out = [f"--- {path}\n", f"+++ {path}\n"]
    for hunk in _hunks(_merged(_opcodes(old, new, a, b)), context):
        out.append(f"@@ -{_span(hunk[0][1], hunk[-1][2])} +{_span(hunk[0][3], hunk[-1][4])} @@\n")
        for tag, i1, i2, j1, j2 in hunk:
            if tag == "equal":
                out += [" " + line for line in a[i1:i2]]
            else:
                out += ["-" + line for line in a[i1:i2]] + ["+" + line for line in b[j1:j2]]
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in out)
