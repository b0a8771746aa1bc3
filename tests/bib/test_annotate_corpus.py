"""``evgrade annotate --write`` on every real .bib file of ../shared/fixtures/bibtex (bbt-import:
Zotero, JabRef, BibDesk, Mendeley... exports, MIT; iridia: CC0; see each SOURCE.txt): the diff
holds only added evgrade-* fields, a second run changes no byte, and pybtex and bibtexparser
read the same entries from the result as from the original, apart from those fields.

One annotate pass per file (the IRIDIA library as one call, its @string files first) and
one for the second run."""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
from pathlib import Path

import bibtexparser
import pybtex.errors
import pytest
from pybtex.database.input.bibtex import Parser

from evgrade import pipeline
from evgrade.bib.annotate import FileEdit, unified_diff, write_edit
from evgrade.bib.reference import JUDGEMENT_FIELDS

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
BBT = SHARED / "fixtures" / "bibtex" / "bbt-import"
IRIDIA = SHARED / "fixtures" / "bibtex" / "iridia"
IRIDIA_SET = ("abbrev.bib", "journals.bib", "authors.bib", "crossref.bib", "biblio.bib",
              "articles.bib")
GROUPS = [(p,) for p in sorted(BBT.glob("*.bib"))] + [tuple(IRIDIA / n for n in IRIDIA_SET)]

_OURS = re.compile(r"evgrade-[a-z-]+[ \t]*=[ \t]*(?:\{[^{}\r\n]*\}|\"[^\"\r\n]*\")")
_LAYOUT = re.compile(r"[\s,]+")


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig")


@functools.cache
def _workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="evgrade-annotate-"))


def _run(group: tuple[Path, ...]) -> tuple[list[tuple[Path, bytes]], list[FileEdit], list[FileEdit]]:
    """Copy the files, annotate and write them, then annotate again a day later."""
    folder = _workdir() / str(abs(hash(group)))
    folder.mkdir()
    copies = []
    for path in group:
        shutil.copy(path, folder / path.name)
        copies.append((folder / path.name, path.read_bytes()))
    options = pipeline.Options(bibliographies=tuple(c for c, _ in copies))
    first = pipeline.annotate_bibliography(options, today="2026-01-01")
    for edit in first:
        write_edit(edit)
    second = pipeline.annotate_bibliography(options, today="2026-01-02")
    return copies, first, second


def _pybtex(data: bytes) -> list[tuple]:
    with pybtex.errors.capture():
        db = Parser().parse_string(_text(data))
    return [(key, entry.type, _without_ours(dict(entry.fields)),
             {role: [str(p) for p in people] for role, people in entry.persons.items()})
            for key, entry in db.entries.items()]


def _bibtexparser(data: bytes) -> tuple[list[tuple], int]:
    library = bibtexparser.parse_string(_text(data))
    entries = [(e.key, e.entry_type, _without_ours({f.key: f.value for f in e.fields}))
               for e in library.entries]
    return entries, len(library.failed_blocks)


def _without_ours(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if k.lower() not in JUDGEMENT_FIELDS}


def _hunks(diff: str) -> list[tuple[str, str]]:
    """(removed text, added text) of each hunk of a unified diff."""
    hunks: list[tuple[str, str]] = []
    for hunk in diff.split("\n@@ ")[1:]:
        lines = hunk.split("\n")[1:]
        hunks.append(("\n".join(l[1:] for l in lines if l.startswith("-")),
                      "\n".join(l[1:] for l in lines if l.startswith("+"))))
    return hunks


def _patched(text: str, diff: str) -> str:
    """``text`` with a unified diff applied (what patch(1) would write)."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$", text)
    body = re.findall(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$", diff)[2:]
    out: list[str] = []
    at = 0
    for n, line in enumerate(body):
        if n + 1 < len(body) and body[n + 1].startswith("\\ No newline"):
            line = line.rstrip("\n")
        if line.startswith("\\"):
            continue
        if line.startswith("@@"):
            start = int(re.match(r"@@ -(\d+)", line).group(1))
            start = start - 1 if start else 0
            out += lines[at:start]
            at = start
        elif line.startswith((" ", "-")):
            assert lines[at] == line[1:], (at, line)
            if line[0] == " ":
                out.append(lines[at])
            at += 1
        elif line.startswith("+"):
            out.append(line[1:])
    return "".join(out + lines[at:])


def _content(text: str) -> str:
    """What a hunk says once evgrade's fields, commas and white space are taken out."""
    return _LAYOUT.sub("", _OURS.sub("", text))


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g[0].name[:60] if len(g) == 1 else "iridia")
def test_annotate_round_trip(group: tuple[Path, ...], caplog) -> None:
    copies, first, second = _run(group)
    edits = {e.path: e for e in first}
    for (copy, original), name in zip(copies, group):
        edit = edits.get(str(copy))
        after = copy.read_bytes()
        if edit is None or not edit.changes_bytes:
            assert after == original, name
            continue
        assert edit.before == original and after == edit.after
        # the diff: once evgrade's fields are taken out, each hunk says what it said before
        # (the comma after the entry's old last field, and line breaks, aside)
        diff = unified_diff(edit)
        assert _patched(_text(original), diff) == _text(after), name
        hunks = _hunks(diff)
        assert hunks and all(_content(added) == _content(removed) for removed, added in hunks), name
        assert sum(added.count("evgrade-checked") for _, added in hunks) == len(edit.changed)
        # two other parsers read the same entries, and evgrade's fields where it wrote them
        assert _pybtex(after) == _pybtex(original), name
        assert _bibtexparser(after) == _bibtexparser(original), name
    # a second run with the same judgement changes no byte, evgrade-checked included: it
    # reads back, as written, the fields of every entry the first run annotated
    assert all(not e.changes_bytes and not e.changed for e in second)
    assert sum(e.unchanged for e in second) == sum(len(e.changed) + e.unchanged for e in first)
    # and refuses the same entries (their lines moved down by the fields written above them)
    assert [(r.key, r.reason.split(" (")[0]) for e in second for r in e.refused] == \
        [(r.key, r.reason.split(" (")[0]) for e in first for r in e.refused]
