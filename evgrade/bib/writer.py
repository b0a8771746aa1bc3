"""Write fields back into a .bib file, changing those fields' bytes and no others.

:func:`set_fields` edits one entry, :func:`set_fields_many` many entries in one pass
over the file (split once, each edited entry parsed twice: before, to refuse what
pybtex cannot read, and after, to prove nothing else changed), and
:func:`write_fields` does that to a file on disk, atomically. A change maps a
field name to a new value (added when absent, replaced when present) or to
``None`` (removed). Field names match case-insensitively, as in BibTeX; keys
match exactly. Everything else -- @string, @preamble, @comment, text between
entries, other entries and other fields -- keeps its bytes, encoding and line
ends. See docs/bibliography.md, "Writing fields back".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import _patterns
from .._atomic import write_atomic
from ..errors import BibWriteError, InputError
from ._write_edit import (
    FIELD_NAME,
    entry_newline,
    insert_field,
    normalize_newlines,
    remove_field,
    replace_value,
    value_problem,
)
from ._write_encoding import DecodedBib, decode_bib
from ._write_layout import EntryLayout, LayoutError, scan_entry
from ._write_verify import edit_bug, verify_edit
from .parse import BlockError, RawEntry, new_macros, read_entry_block
from .split import RawBlock, split_blocks

__all__ = ["Changes", "set_fields", "set_fields_many", "write_fields"]

Changes = Mapping[str, str | None]
_LONE_CR = _patterns.compile(r"\r(?!\n)")


@dataclass(slots=True)
class _Bib:
    path: str
    decoded: DecodedBib
    scan: str                                   # the text with lone CRs read as LF (same length)
    blocks: list[RawBlock]
    by_key: dict[str, list[int]] = field(default_factory=dict)  # casefolded key -> block indexes
    newline: str = "\n"

    def line_of(self, block: RawBlock, offset: int) -> int:
        """1-based file line of ``offset`` within ``block`` (lines as the loader counts them)."""
        return block.line + self.scan.count("\n", block.start, block.start + offset)


def _open(data: bytes, path: str, encoding: str | None) -> _Bib:
    decoded = decode_bib(data, path, encoding)
    text = decoded.text
    scan = _LONE_CR.sub("\n", text) if "\r" in text else text
    bib = _Bib(path, decoded, scan, split_blocks(scan))
    for i, block in enumerate(bib.blocks):
        if block.kind == "entry" and block.key is not None:
            bib.by_key.setdefault(block.key.casefold(), []).append(i)
    bib.newline = entry_newline(text, "\n")
    return bib


def _find(bib: _Bib, key: str) -> int:
    found = bib.by_key.get(key.casefold(), [])
    exact = [i for i in found if bib.blocks[i].key == key]
    if len(found) > 1:
        where = ", ".join(f"line {bib.blocks[i].line} ('{bib.blocks[i].key}')" for i in found)
        note = "" if len(exact) == len(found) else "; BibTeX keys ignore case"
        first = bib.blocks[(exact or found)[0]]
        raise BibWriteError(f"key '{key}' is ambiguous: {len(found)} entries match ({where}"
                            f"{note}); edit the file by hand", path=bib.path, line=first.line)
    if not exact:
        if found:
            other = bib.blocks[found[0]]
            raise BibWriteError(f"no entry with key '{key}'; the entry here is '{other.key}' "
                                "(keys must match exactly)", path=bib.path, line=other.line)
        raise BibWriteError(f"no entry with key '{key}'", path=bib.path)
    return exact[0]


def _check_changes(key: str, changes: Changes, path: str) -> None:
    seen: dict[str, str] = {}
    for name, value in changes.items():
        if not isinstance(name, str) or not FIELD_NAME.fullmatch(name):
            raise BibWriteError(f"entry '{key}': {name!r} is not a field name evgrade writes "
                                "(a letter, then letters, digits or _-:.+/)", path=path)
        if name.lower() in seen:
            raise BibWriteError(f"entry '{key}': fields '{seen[name.lower()]}' and '{name}' are "
                                "the same field (names ignore case)", path=path)
        seen[name.lower()] = name
        if value is not None and not isinstance(value, str):
            raise TypeError(f"value of {name!r} must be str or None, not {type(value).__name__}")


def _judge(bib: _Bib, block: RawBlock, text: str) -> RawEntry:
    """Read ``text`` (block text from the file) with pybtex as the loader does, or refuse."""
    what = f"entry '{block.key}'"
    if not block.terminated:
        raise BibWriteError(f"{what} cannot be edited: its braces never balance before the "
                            "next @entry", path=bib.path, line=block.line)
    lf = _LONE_CR.sub("\n", text).replace("\r\n", "\n")
    try:
        return read_entry_block(block._replace(text=lf), new_macros())
    except BlockError as exc:
        raise BibWriteError(f"{what} cannot be edited: pybtex cannot parse it ({exc.message})",
                            path=bib.path, line=exc.line) from None


def _layout(bib: _Bib, block: RawBlock, text: str) -> EntryLayout:
    try:
        layout = scan_entry(text)
    except LayoutError as exc:
        raise BibWriteError(f"entry '{block.key}' cannot be edited: {exc.message}",
                            path=bib.path, line=bib.line_of(block, exc.offset)) from None
    if layout.key != block.key:
        raise BibWriteError(f"entry '{block.key}' cannot be edited: its key reads as "
                            f"'{layout.key}' to pybtex", path=bib.path, line=block.line)
    return layout


def _apply(bib: _Bib, block: RawBlock, text: str, layout: EntryLayout, name: str,
           value: str | None, newline: str) -> tuple[str, EntryLayout | None]:
    same = layout.named(name)
    if len(same) > 1:
        lines = ", ".join(str(bib.line_of(block, f.name_start)) for f in same)
        raise BibWriteError(f"entry '{block.key}' has field '{name}' {len(same)} times (lines "
                            f"{lines}); edit it by hand", path=bib.path,
                            line=bib.line_of(block, same[0].name_start))
    if value is None:
        return remove_field(text, layout, same[0]) if same else (text, layout)
    problem = value_problem(value) or bib.decoded.check_value(value)
    if problem:
        raise BibWriteError(f"cannot set '{name}' of entry '{block.key}': {problem}",
                            path=bib.path, line=block.line)
    value = normalize_newlines(value, newline)
    if same:
        return replace_value(text, layout, same[0], value)
    return insert_field(text, layout, name, value, newline)


def _scan(text: str, where: tuple[str, int, str]) -> EntryLayout:
    try:
        return scan_entry(text)
    except LayoutError as exc:
        raise edit_bug(where, f"not read as one entry ({exc.message})") from None


def _edit_block(bib: _Bib, block: RawBlock, changes: Changes) -> str:
    """The new text of ``block`` with ``changes`` applied (the old text when nothing changes).

    The fields are changed one after the other, each edit giving the layout the next one
    works on; the result is then scanned once, must be laid out as the edits said, and is
    verified once (:func:`~._write_verify.verify_edit`)."""
    old = bib.decoded.text[block.start:block.end]
    before = _judge(bib, block, old)
    old_layout = layout = _layout(bib, block, old)
    newline = entry_newline(old, bib.newline)
    where = (bib.path, block.line, block.key or "")
    text = old
    for name, value in changes.items():
        new, new_layout = _apply(bib, block, text, layout, name, value, newline)
        if new != text:
            text, layout = new, new_layout or _scan(new, where)
    if text != old:
        scanned = _scan(text, where)
        if scanned != layout:
            raise edit_bug(where, "not be laid out as its edits said")
        verify_edit(old, old_layout, text, scanned, before, changes, newline,
                    judge=lambda t: _judge(bib, block, t), where=where)
    return text


def set_fields_many(data: bytes, edits: Mapping[str, Changes], *, path: str = "",
                    encoding: str | None = None) -> bytes:
    """``data`` with the field changes of several entries applied, in one pass.

    ``edits`` maps an entry key to its changes ({field: value or None}). The file is
    split once and only the named entries are parsed, so the cost grows with the file
    size plus the number of edited entries. Every key is checked (missing, ambiguous,
    unparsable entries raise :class:`~evgrade.errors.BibWriteError`) before anything
    is returned; with nothing to change the result is ``data`` itself.
    ``encoding``: the file's encoding when it is not UTF-8 (see docs/bibliography.md).
    """
    for key, changes in edits.items():
        _check_changes(key, changes, path)
    bib = _open(data, path, encoding)
    targets = sorted(((_find(bib, key), changes) for key, changes in edits.items()),
                     key=lambda target: target[0])
    pieces: list[str] = []
    pos = 0
    changed = False
    for index, changes in targets:
        block = bib.blocks[index]
        new = _edit_block(bib, block, changes)
        if new != bib.decoded.text[block.start:block.end]:
            pieces += [bib.decoded.text[pos:block.start], new]
            pos = block.end
            changed = True
    if not changed:
        return data
    pieces.append(bib.decoded.text[pos:])
    return bib.decoded.encode("".join(pieces))


def set_fields(data: bytes, key: str, changes: Changes, *, path: str = "",
               encoding: str | None = None) -> bytes:
    """``data`` with the fields of entry ``key`` changed: ``{"evgrade-design": "rct"}`` adds
    or replaces a field, ``{"note": None}`` removes one. See :func:`set_fields_many`."""
    return set_fields_many(data, {key: changes}, path=path, encoding=encoding)


def write_fields(path: str | Path, edits: Mapping[str, Changes], *,
                 encoding: str | None = None) -> bool:
    """Apply ``edits`` (as in :func:`set_fields_many`) to the file at ``path``, replacing
    it atomically; True when its bytes changed, False when there was nothing to change."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("bibliography file not found", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a .bib file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read bibliography: {exc.strerror or exc}", path=name) from None
    new = set_fields_many(data, edits, path=name, encoding=encoding)
    if new is data or new == data:
        return False
    try:
        write_atomic(path, new)
    except OSError as exc:
        raise InputError(f"cannot write bibliography: {exc.strerror or exc}", path=name) from None
    return True
