"""The few YAML front-matter keys evgrade needs, without a YAML library.

Only top-level ``title`` and ``bibliography`` are read: a plain, quoted or
block scalar, a flow list ``[a.bib, b.bib]`` or a block list of ``- item``
lines. Everything else in the front matter is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import _patterns
from ._common import Line

_OPEN = _patterns.compile(r"^---[ \t]*$")
_CLOSE = _patterns.compile(r"^(?:---|\.\.\.)[ \t]*$")
_KEY = _patterns.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?[ \t]*$")
_ITEM = _patterns.compile(r"^[ \t]+-[ \t]+(.*)$")


@dataclass
class FrontMatter:
    end_line: int                      # index of the closing "---" line
    title: str = ""
    bibliography: list[str] = field(default_factory=list)


def find(lines: list[Line]) -> FrontMatter | None:
    """Front matter opening on the first line, closed by "---" or "..."."""
    if not lines or not _OPEN.match(lines[0].text) or len(lines) < 2 or lines[1].blank:
        return None
    for i in range(1, len(lines)):
        if _CLOSE.match(lines[i].text):
            fm = FrontMatter(end_line=i)
            _parse([line.text for line in lines[1:i]], fm)
            return fm
    return None


def _parse(body: list[str], fm: FrontMatter) -> None:
    i = 0
    while i < len(body):
        m = _KEY.match(body[i])
        i += 1
        if not m or m.group(1) not in ("title", "bibliography"):
            continue
        key, value = m.group(1), (m.group(2) or "").strip()
        nested: list[str] = []
        while i < len(body) and (not body[i].strip() or body[i][:1] in (" ", "\t")):
            nested.append(body[i])
            i += 1
        values = _values(value, nested)
        if key == "title":
            fm.title = " ".join(values)
        else:
            fm.bibliography = [v for v in values if v]


def _values(value: str, nested: list[str]) -> list[str]:
    if value.startswith("["):
        inner = value.strip("[]")
        return [_scalar(part) for part in _split_flow(inner)]
    if value[:1] in ("|", ">"):
        joiner = "\n" if value[0] == "|" else " "
        return [joiner.join(line.strip() for line in nested if line.strip())]
    if value:
        return [_scalar(_folded(value, nested))]
    items = [_ITEM.match(line) for line in nested]
    return [_scalar(m.group(1)) for m in items if m]


def _folded(value: str, nested: list[str]) -> str:
    """A plain scalar, or a quoted one not closed on its line, continues on the indented lines."""
    if nested and (value[0] not in "'\"" or not _closed(value)):
        return " ".join([value] + [line.strip() for line in nested if line.strip()])
    return value


def _closed(value: str) -> bool:
    q = value[0]
    return len(value) > 1 and value.rstrip().endswith(q)


def _split_flow(inner: str) -> list[str]:
    parts, current, quote = [], "", ""
    for c in inner:
        if quote:
            current += c
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
            current += c
        elif c == ",":
            parts.append(current)
            current = ""
        else:
            current += c
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _scalar(value: str) -> str:
    value = value.strip()
    if value[:1] == "'":
        end = value.rfind("'")
        return value[1:end].replace("''", "'") if end > 0 else value[1:]
    if value[:1] == '"':
        end = value.rfind('"')
        body = value[1:end] if end > 0 else value[1:]
        return body.replace('\\"', '"').replace("\\\\", "\\")
    # a comment starts at " #" in a plain scalar
    return re.split(r"[ \t]#", value, maxsplit=1)[0].strip()
