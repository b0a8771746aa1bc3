"""Write evgrade's judgement into .bib files as ``evgrade-*`` fields, through the bib writer.

:func:`plan_edits` works out, per file, the new bytes: each entry gets the fields
its judgement calls for (:data:`~evgrade.bib.reference.JUDGEMENT_FIELDS`) where they
differ from what it holds, and ``evgrade-checked`` only when another of them changes
or the rubric named there is not the one used now, so a second run with the same
judgement changes nothing. Only fields with evgrade's names are ever written; every
other byte of the file stays as it was (:mod:`.writer`). An entry the writer refuses
(it cannot be parsed, its key is ambiguous, it holds a field twice) is reported and
the rest of the file is still edited. :func:`unified_diff` shows an edit,
:func:`write_edit` makes it, atomically, refusing a file that changed since it was read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import _files
from .._atomic import write_atomic
from ..errors import BibWriteError, InputError
from ..models import Finding, Location
from . import _diff
from .csl import is_csl
from .reference import JUDGEMENT_FIELDS
from .writer import Changes, set_fields_many

__all__ = ["FileEdit", "Refusal", "entry_changes", "plan_edits", "unified_diff", "write_edit"]

CHECKED = "evgrade-checked"
_REFUSED_CODES = frozenset({"EV302", "EV303"})  # duplicate-entry, broken-entry


@dataclass(frozen=True)
class Refusal:
    """An entry evgrade did not annotate, and why."""

    path: str
    line: int | None
    key: str
    reason: str

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"entry '{self.key}'" if self.key else "an entry"
        return f"{where}: {what} not annotated: {self.reason}"


@dataclass(frozen=True)
class FileEdit:
    """One .bib file before and after: the keys whose fields change, the entries refused."""

    path: str
    before: bytes
    after: bytes
    changed: tuple[str, ...] = ()
    unchanged: int = 0
    refused: tuple[Refusal, ...] = ()

    @property
    def changes_bytes(self) -> bool:
        return self.after != self.before


def entry_changes(recorded: Mapping[str, str], wanted: Mapping[str, str | None], *,
                  checked: str) -> dict[str, str | None]:
    """The field changes that bring an entry from ``recorded`` (its evgrade-* fields as they
    are) to ``wanted``; ``evgrade-checked`` = ``checked`` ("DATE; rubric NAME") is added
    only when something else changes or the recorded rubric differs. Empty: nothing to do."""
    changes: dict[str, str | None] = {}
    for name, value in wanted.items():
        if name not in JUDGEMENT_FIELDS or name == CHECKED:
            raise ValueError(f"{name!r} is not a field evgrade writes")
        if recorded.get(name) != value and not (value is None and name not in recorded):
            changes[name] = value
    rubric = checked.partition("; ")[2]
    if changes or not recorded.get(CHECKED, "").endswith(f"; {rubric}"):
        changes[CHECKED] = checked
    return changes


Entry = tuple[Location, str, Mapping[str, str], Mapping[str, str | None]]


def plan_edits(paths: Sequence[str], entries: Iterable[Entry], findings: Iterable[Finding], *,
               checked: str) -> list[FileEdit]:
    """One :class:`FileEdit` per file of ``paths`` that holds entries.

    ``entries``: (where the entry is, its key, its recorded evgrade-* fields, the wanted
    ones). ``findings`` of the load: broken and duplicate entries are refused up front
    (the writer would refuse them too). CSL files are read-only: BibWriteError.
    """
    for path in paths:
        if is_csl(path):
            raise BibWriteError("CSL files are read, never written: annotate a .bib file, or "
                                "print the fields for Zotero with --zotero-extra", path=path)
    entries = list(entries)
    refused, blocked = _refused_up_front(findings, {(loc.path, key.casefold()): (loc, key)
                                                    for loc, key, _r, _w in entries})
    wanted: dict[str, dict[str, Changes]] = {}
    unchanged: dict[str, int] = {}
    for location, key, recorded, fields in entries:
        if (location.path, key.casefold()) in blocked:
            continue
        changes = entry_changes(recorded, fields, checked=checked)
        if changes:
            wanted.setdefault(location.path, {})[key] = changes
        else:
            unchanged[location.path] = unchanged.get(location.path, 0) + 1
    return [_edit_file(path, wanted.get(path, {}), unchanged.get(path, 0), refused.get(path, []))
            for path in dict.fromkeys(paths)
            if path in wanted or path in unchanged or path in refused]


def _refused_up_front(findings: Iterable[Finding], first: Mapping[tuple[str, str], tuple[Location, str]]
                      ) -> tuple[dict[str, list[Refusal]], set[tuple[str, str]]]:
    """Refusals per file for broken and duplicate entries, and the (file, key) pairs that must
    not be edited: a key defined twice in one file (the writer cannot tell which is meant)."""
    refused: dict[str, list[Refusal]] = {}
    blocked: set[tuple[str, str]] = set()
    for f in findings:
        if f.code not in _REFUSED_CODES or not f.path or _about_a_macro(f):
            continue
        reason = f.message
        if f.code == "EV302":
            kept = first.get((f.path, f.key.casefold()))
            if kept is not None:  # both copies in this file
                blocked.add((f.path, f.key.casefold()))
                reason = (f"key defined again in the same file (first at line {kept[0].line}); "
                          "neither copy is annotated")
            else:
                reason = "key defined again; only its first definition (in another file) is annotated"
        refused.setdefault(f.path, []).append(Refusal(f.path, f.line, f.key, reason))
    return refused, blocked


def _about_a_macro(finding: Finding) -> bool:
    """A broken @string is no entry to annotate (the loader words it "@string definition ...")."""
    return " definition cannot be parsed" in finding.message.split(";", 1)[0]


def _edit_file(path: str, edits: Mapping[str, Changes], unchanged: int,
               refused: list[Refusal]) -> FileEdit:
    before = _files.read_bytes(path, what="bibliography", limit=_files.BIBLIOGRAPHY_LIMIT)
    after, failed = _apply(before, dict(edits), path)
    refused = sorted(refused + failed, key=lambda r: (r.line or 0, r.key))
    changed = tuple(k for k in edits if k not in {r.key for r in failed})
    return FileEdit(path, before, after, changed, unchanged, tuple(refused))


def _apply(data: bytes, edits: dict[str, Changes], path: str) -> tuple[bytes, list[Refusal]]:
    """``edits`` applied to ``data``; entries the writer refuses are left out and reported.
    One pass when nothing is refused; otherwise halves are retried until each refusal is
    pinned to its entry (a few extra passes per refused entry)."""
    if not edits:
        return data, []
    try:
        return set_fields_many(data, edits, path=path), []
    except BibWriteError as exc:
        if len(edits) == 1:
            (key,) = edits
            return data, [Refusal(path, exc.line, key, exc.message)]
    keys = list(edits)
    half = len(keys) // 2
    data, first = _apply(data, {k: edits[k] for k in keys[:half]}, path)
    data, second = _apply(data, {k: edits[k] for k in keys[half:]}, path)
    return data, first + second


def unified_diff(edit: FileEdit, context: int = 3) -> str:
    """The edit as a unified diff naming the file on both sides (``patch -p0`` applies it);
    "" when nothing changes."""
    if not edit.changes_bytes:
        return ""
    return _diff.unified_diff(edit.before.decode("utf-8", errors="replace"),
                              edit.after.decode("utf-8", errors="replace"), edit.path, context)


def write_edit(edit: FileEdit, *, backup: bool = False) -> bool:
    """Replace the file with ``edit.after`` atomically; True when it changed. With ``backup``
    the old bytes go to ``FILE.bak`` first. A symbolic link stays a link: the file it points
    to is replaced. A file whose bytes are no longer ``edit.before`` (edited meanwhile) is
    refused: InputError, nothing written."""
    if not edit.changes_bytes:
        return False
    now = _files.read_bytes(edit.path, what="bibliography", limit=_files.BIBLIOGRAPHY_LIMIT)
    if now != edit.before:
        raise InputError("changed on disk since evgrade read it; nothing written (run again)",
                         path=edit.path)
    target = Path(os.path.realpath(edit.path))
    try:
        if backup:
            write_atomic(target.with_name(target.name + ".bak"), edit.before)
        write_atomic(target, edit.after)
    except OSError as exc:
        raise InputError(f"cannot write bibliography: {exc.strerror or exc}", path=edit.path) from None
    return True
