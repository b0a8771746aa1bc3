"""Prove an edited entry block reads as the old one except for the fields asked to change.

Three readings of the new block must agree with the old one: evgrade's splitter
(the block still ends at its own closing delimiter, with the same key), the
layout scanner (every other field in the same order with the same characters;
each edited field present once with exactly the new value, or gone), and pybtex
through the loader's block reader (same key and type, and every field outside the
edited ones in the same order with the same value as pybtex reads it, before LaTeX
decoding: what the loader derives fields and names from). A disagreement is evgrade's bug, reported as a refusal so that
nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .. import _patterns
from ..errors import BibWriteError
from ._write_edit import normalize_newlines
from ._write_layout import EntryLayout, FieldSpan
from .parse import RawEntry
from .split import split_blocks

_LONE_CR = _patterns.compile(r"\r(?!\n)")


def _untouched(text: str, layout: EntryLayout, edited: set[str]) -> list[tuple[str, str]]:
    return [(f.name, text[f.value_start:f.value_end]) for f in layout.fields
            if f.name.lower() not in edited]


def _value(text: str, f: FieldSpan) -> str | None:
    if len(f.parts) == 1 and f.parts[0].kind != "macro":
        return f.parts[0].inner(text)
    return None


def _layout_problem(old: str, old_layout: EntryLayout, new: str, new_layout: EntryLayout,
                    changes: Mapping[str, str | None], newline: str) -> str | None:
    edited = {n.lower() for n in changes}
    if _untouched(old, old_layout, edited) != _untouched(new, new_layout, edited):
        return "change another field"
    for name, value in changes.items():
        got = new_layout.named(name)
        if value is None and got:
            return f"leave field '{name}' in place"
        if value is not None and (len(got) != 1 or _value(new, got[0])
                                  != normalize_newlines(value, newline)):
            return f"not give field '{name}' the value asked for"
    return None


def _others(entry: RawEntry, edited: set[str]) -> tuple[object, ...]:
    key, entry_type, fields = entry
    return key, entry_type, [(name, value) for name, value in fields if name not in edited]


def verify_edit(old: str, old_layout: EntryLayout, new: str, new_layout: EntryLayout,
                before: RawEntry, changes: Mapping[str, str | None], newline: str, *,
                judge: Callable[[str], RawEntry], where: tuple[str, int, str]) -> None:
    """Raise :class:`BibWriteError` unless ``new`` reads as ``old`` outside ``changes``.

    ``new_layout`` comes from the same scanner as ``old_layout``; the scanner having read
    ``new`` at all is the first check (the writer refuses before getting here otherwise)."""
    key = where[2]
    blocks = split_blocks(_LONE_CR.sub("\n", new))
    problem = None
    if (len(blocks) != 1 or not blocks[0].terminated or blocks[0].end != len(new)
            or blocks[0].key != key):
        problem = "move the end of the entry"
    problem = problem or _layout_problem(old, old_layout, new, new_layout, changes, newline)
    if problem is None:
        try:
            after = judge(new)
        except BibWriteError as exc:
            problem = f"make it unreadable to pybtex ({exc.message})"
        else:
            edited = {n.lower() for n in changes}
            if _others(after, edited) != _others(before, edited):
                problem = "change how pybtex reads the other fields"
    if problem:
        raise edit_bug(where, problem)


def edit_bug(where: tuple[str, int, str], problem: str) -> BibWriteError:
    """The refusal for an edit that went wrong: evgrade's bug, so nothing is written."""
    path, line, key = where
    return BibWriteError(f"evgrade's edit of entry '{key}' would {problem}; nothing was "
                         "changed (a bug in evgrade: please report it)", path=path, line=line)
