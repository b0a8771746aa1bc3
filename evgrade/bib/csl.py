"""CSL-JSON and CSL-YAML bibliographies (what pandoc, Zotero and Better BibTeX write).

A file whose name ends in ``.json`` is read as CSL-JSON (an array of items), one
ending in ``.yaml`` or ``.yml`` as CSL-YAML (``references:`` holding the items, as
pandoc writes it, or a bare list). Each item becomes the loader's
:class:`~evgrade.bib.parse.ParsedEntry` (:mod:`._csl_map`), so keys, duplicates,
identifiers and designs are handled exactly as for a ``.bib`` file.

Broken input gives findings, never a crash: an item that is not an object or has no
``id`` is skipped with its line; invalid JSON keeps the items before the error;
YAML is read with PyYAML's *safe* loader only (plain data, never objects), and a
file that uses YAML aliases (``&a`` / ``*a``), which CSL never needs and which can
make a small file expand enormously, is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from . import _csl_map
from ._sources import FileParse

__all__ = ["CSL_SUFFIXES", "is_csl", "parse_csl"]

CSL_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_WHITESPACE = " \t\r\n"


def is_csl(path: str | PurePath) -> bool:
    """True when ``path`` names a CSL-JSON or CSL-YAML file (by its suffix)."""
    return PurePath(path).suffix.lower() in CSL_SUFFIXES


def parse_csl(text: str, path: str) -> FileParse:
    """The entries of a CSL-JSON or CSL-YAML text, and ``(message, line, key)`` for what is broken."""
    result = FileParse()
    kind = CSL_SUFFIXES.get(PurePath(path).suffix.lower(), "json")
    markdown = kind == "yaml"
    try:
        items = list(_json_items(text, result) if kind == "json" else _yaml_items(text, result))
    except RecursionError:
        result.broken.append((f"CSL-{kind.upper()} is nested too deeply to read; skipped", 1, ""))
        return result
    for number, (item, line) in enumerate(items, 1):
        try:
            result.entries.append(_csl_map.to_entry(item, line, markdown=markdown))
        except _csl_map.ItemError as exc:
            result.broken.append((f"CSL item {number} {exc}; skipped", line, ""))
    result.broken.sort(key=lambda b: b[1])
    return result


# ------------------------------------------------------------------ JSON

def _line(text: str, offset: int, counted: tuple[int, int]) -> tuple[int, tuple[int, int]]:
    """1-based line of ``offset``, counting on from an earlier (offset, line) pair."""
    start, line = counted
    line += text.count("\n", start, offset)
    return line, (offset, line)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _json_items(text: str, result: FileParse) -> Iterator[tuple[Any, int]]:
    """Items of a CSL-JSON array, one at a time, so that an error keeps those before it."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if pos == len(text):
        return
    if text[pos] != "[":
        yield from _json_whole(text, result)
        return
    counted = (0, 1)
    pos = _skip(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            result.broken.append((f"CSL-JSON is not valid JSON ({exc.msg}, column {exc.colno}); "
                                  "the items from here on are skipped", exc.lineno, ""))
            return
        line, counted = _line(text, pos, counted)
        yield item, line
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            return
        line, counted = _line(text, pos, counted)
        result.broken.append(("CSL-JSON is not valid JSON (',' or ']' expected after an item); "
                              "the items from here on are skipped", line, ""))
        return


def _json_whole(text: str, result: FileParse) -> Iterator[tuple[Any, int]]:
    """A file that is not an array: one item, or an object holding ``items``/``references``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        result.broken.append((f"CSL-JSON is not valid JSON ({exc.msg}, column {exc.colno}); "
                              "skipped", exc.lineno, ""))
        return
    yield from _listed(data, "CSL-JSON", result, lambda _i: 1)


def _listed(data: Any, what: str, result: FileParse, line_of) -> Iterator[tuple[Any, int]]:
    if isinstance(data, dict):
        for name in ("references", "items"):
            if isinstance(data.get(name), list):
                yield from ((item, line_of(i)) for i, item in enumerate(data[name]))
                return
        if "id" in data:
            yield data, 1
            return
    if isinstance(data, list):
        yield from ((item, line_of(i)) for i, item in enumerate(data))
        return
    if data is not None:
        result.broken.append((f"{what} holds no list of items (a list, or 'references:' with one, "
                              "is expected); skipped", 1, ""))


# ------------------------------------------------------------------ YAML

def _yaml_items(text: str, result: FileParse) -> Iterator[tuple[Any, int]]:
    import yaml  # PyYAML: only its safe loader is used

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return
        if _has_alias(node):
            result.broken.append(("CSL-YAML uses YAML aliases (&name / *name), which CSL does not "
                                  "need; not read", 1, ""))
            return
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        result.broken.append((f"CSL-YAML is not valid YAML ({problem}); skipped",
                              mark.line + 1 if mark else 1, ""))
        return
    finally:
        loader.dispose()
    yield from _listed(data, "CSL-YAML", result, _item_lines(node))


def _item_nodes(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in ("references", "items") \
                    and isinstance(value, yaml.SequenceNode):
                return list(value.value)
        return []
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _item_lines(node: Any):
    lines = [n.start_mark.line + 1 for n in _item_nodes(node)]
    return lambda i: lines[i] if i < len(lines) else 1


def _has_alias(root: Any) -> bool:
    """True when a node is reached twice: PyYAML resolves ``*alias`` to the node it names."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return False
