"""The .bib writer on real files: only the field asked for changes, byte for byte.

Every file of ../shared/fixtures/bibtex (bbt-import: real Zotero, JabRef, BibDesk,
Mendeley exports, some with CRLF; iridia: a ~5,000-entry library with @string macros)
is read once by pybtex's own low-level parser; the edited files are read the same way
and must give the same entries and fields except the ones edited.
"""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import pytest
from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.utils import CaseInsensitiveDict

from evgrade.bib.load import load_bibliography
from evgrade.bib.split import RawBlock, split_blocks
from evgrade.bib.writer import set_fields, set_fields_many, write_fields
from evgrade.errors import BibWriteError, InputError

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
BBT = SHARED / "fixtures" / "bibtex" / "bbt-import"
IRIDIA = SHARED / "fixtures" / "bibtex" / "iridia"
EDGE = Path(__file__).parents[1] / "data" / "bib" / "edge-cases.bib"
FILES = sorted(BBT.glob("*.bib")) + sorted(IRIDIA.glob("*.bib"))
CRLF_FILES = [p for p in FILES if b"\r\n" in p.read_bytes()]

Raw = list[tuple[str, list[tuple[str, str]]]]   # [(key, [(field name as written, value)])]


def _text(data: bytes) -> str:
    return data[3:].decode() if data.startswith(b"\xef\xbb\xbf") else data.decode("utf-8")


def raw_entries(text: str) -> Raw:
    """Every entry pybtex's low-level parser reads from the whole file, errors skipped."""
    parser = LowLevelParser(text, macros=CaseInsensitiveDict(month_names),
                            handle_error=lambda error: None)
    out: Raw = []
    for command, body in parser:
        if command.lower() not in ("string", "preamble"):
            key, fields = body
            out.append((key, [(name, "".join(parts)) for name, parts in fields]))
    return out


@functools.cache
def corpus(path: Path) -> tuple[bytes, Raw, tuple[str, ...]]:
    """The file's bytes, its pybtex reading and the keys that occur once (ignoring case)."""
    data = path.read_bytes()
    raw = raw_entries(_text(data))
    # unique by pybtex's reading and by the splitter's, which the writer matches keys with
    seen = Counter(k.casefold() for k, _ in raw if k)
    seen.update(b.key.casefold() for b in split_blocks(_text(data)) if b.key)
    unique = tuple(k for k, fields in raw if k and fields and seen[k.casefold()] == 2)
    return data, raw, unique


@functools.cache
def _blocks(data: bytes) -> dict[str, RawBlock]:
    # the file read one character per byte, so that block offsets are byte offsets
    return {b.key.encode("latin-1").decode(): b
            for b in split_blocks(data.decode("latin-1")) if b.key}


def block_of(data: bytes, key: str) -> RawBlock:
    """The entry's block in ``data``, with byte offsets."""
    return _blocks(data)[key]


def changed_region(old: bytes, new: bytes) -> tuple[int, bytes, bytes]:
    """Where ``old`` and ``new`` differ: (offset, the old bytes there, the new bytes there)."""
    p = 0
    limit = min(len(old), len(new))
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return p, old[p:len(old) - s], new[p:len(new) - s]


def sample(keys: tuple[str, ...], n: int) -> list[str]:
    if len(keys) <= n:
        return list(keys)
    return [keys[i * (len(keys) - 1) // (n - 1)] for i in range(n)]


def expect(raw: Raw, key: str, fields: list[tuple[str, str]]) -> Raw:
    return [(k, fields if k == key else f) for k, f in raw]


# ------------------------------------------------------------------ every fixture

def test_corpus_is_present() -> None:
    assert len(FILES) >= 107 and len(CRLF_FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:60])
def test_unchanged_file_round_trips(path: Path) -> None:
    data, _raw, unique = corpus(path)
    assert set_fields_many(data, {}, path=str(path)) == data
    some = sample(unique, 25)
    # named entries with nothing to change: removing a field they do not have
    absent = {k: {"evgrade-absent-field": None} for k in some}
    assert set_fields_many(data, absent, path=str(path)) == data
    # setting a field to the value it already has changes nothing (idempotent)
    if some:
        edits = {k: {"evgrade-design": "rct"} for k in some}
        once = set_fields_many(data, edits, path=str(path))
        assert once != data
        assert set_fields_many(once, edits, path=str(path)) == once


def _check_insert(data: bytes, out: bytes, key: str) -> None:
    at, old, new = changed_region(data, out)
    block = block_of(data, key)
    assert old == b"" and block.start < at < block.end          # a pure insertion in the entry
    assert out[:at] == data[:at] and out[at + len(new):] == data[at:]
    piece = new.decode()
    assert "evgrade-design" in piece and "rct" in piece
    entry = data[block.start:block.end]
    newline = b"\r\n" if b"\r\n" in entry else b"\n"
    assert piece.count("\n") == piece.count(newline.decode()) <= 1  # the entry's own line end


def _check_replace(data: bytes, out: bytes, key: str, value: str) -> None:
    at, old, new = changed_region(data, out)
    block = block_of(data, key)
    assert block.start < at and at + len(old) < block.end
    assert new.decode().strip('{}"') in value


def _check_remove(data: bytes, out: bytes, key: str, name: str) -> None:
    at, old, new = changed_region(data, out)
    block = block_of(data, key)
    assert new == b"" and block.start < at and at + len(old) < block.end
    assert name.lower() in old.decode().lower()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:60])
def test_one_field_changes_and_nothing_else(path: Path) -> None:
    data, raw, unique = corpus(path)
    if not unique:
        pytest.skip("no entry with fields and a key of its own")
    name = str(path)
    a, b, c = sample(unique, 3) if len(unique) >= 3 else [unique[0]] * 3
    fields = dict(raw)

    added = set_fields(data, a, {"evgrade-design": "rct"}, path=name)
    _check_insert(data, added, a)
    assert set_fields(added, a, {"evgrade-design": None}, path=name) == data  # and back

    first = fields[b][0][0]
    value = "Replaced by evgrade {with braces}"
    replaced = set_fields(data, b, {first.lower(): value}, path=name)  # names ignore case
    _check_replace(data, replaced, b, value)

    last = fields[c][-1][0]
    removed = set_fields(data, c, {last: None}, path=name)
    _check_remove(data, removed, c, last)

    # all three in one pass: pybtex reads every other entry and field as before
    edits: dict[str, dict[str, str | None]] = {}
    edits.setdefault(a, {})["evgrade-design"] = "rct"
    edits.setdefault(b, {})[first] = value
    if (c, last.lower()) != (b, first.lower()):
        edits.setdefault(c, {})[last] = None
    both = set_fields_many(data, edits, path=name)
    expected = raw
    for key, changes in edits.items():
        kept = [(n, changes.get(n, v)) for n, v in dict(expected)[key]
                if n not in changes or changes[n] is not None]
        new = [(n, v) for n, v in changes.items() if v is not None and n not in dict(kept)]
        expected = expect(expected, key, kept + new)
    assert raw_entries(_text(both)) == expected


# ------------------------------------------------------------------ line ends, BOM, encodings

@pytest.mark.parametrize("path", CRLF_FILES, ids=lambda p: p.name[:60])
def test_crlf_file_keeps_crlf(path: Path) -> None:
    data, _raw, unique = corpus(path)
    out = set_fields(data, unique[-1], {"evgrade-design": "rct", "evgrade-note": "two\nlines"})
    _at, _old, new = changed_region(data, out)
    assert new.count(b"\r\n") == new.count(b"\n") == 3   # two new lines and the value's own
    assert out.count(b"\n") == out.count(b"\r\n") + data.count(b"\n") - data.count(b"\r\n")


def test_mixed_line_ends_follow_the_entry() -> None:
    # an LF export and a CRLF export pasted into one file: each entry keeps its own line end
    lf = (BBT / "Better BibTeX.011.bib").read_bytes()
    crlf = (BBT / "URL not recognised in a simple online bib file entry on import #2842.bib").read_bytes()
    mixed = lf + b"\n" + crlf
    edits = {"Klassen2010": {"evgrade-design": "rct"}, "Gartner_CloudComputing": {"evgrade-design": "rct"}}
    out = set_fields_many(mixed, edits)
    assert out == (b"".join([lf[:-3], b",\n  evgrade-design = {rct}", lf[-3:], b"\n"])
                   + crlf.replace(b"},\r\n}", b"},\r\nevgrade-design = {rct},\r\n}"))


def test_bom_is_kept(tmp_path: Path) -> None:
    data = (BBT / "Better BibTeX.001.bib").read_bytes()
    with_bom = b"\xef\xbb\xbf" + data
    assert set_fields_many(with_bom, {}) == with_bom
    out = set_fields(with_bom, "Adams2001", {"evgrade-design": "rct"})
    assert out == b"\xef\xbb\xbf" + set_fields(data, "Adams2001", {"evgrade-design": "rct"})


LATIN1_ENTRY = "Rechenberg2006a"   # "(nicht nur) für Informatiker" in Better BibTeX.001.bib


def _latin1_copy(tmp_path: Path) -> tuple[Path, str]:
    text = _text((BBT / "Better BibTeX.001.bib").read_bytes())
    path = tmp_path / "latin1.bib"
    path.write_bytes(text.encode("latin-1"))
    return path, text


def test_latin1_file_round_trips_and_is_edited_in_latin1(tmp_path: Path) -> None:
    path, text = _latin1_copy(tmp_path)
    data = path.read_bytes()
    assert b"f\xfcr" in data                                   # really not UTF-8
    assert set_fields_many(data, {LATIN1_ENTRY: {}}) == data
    # ASCII needs no encoding; the rest of the file keeps its Latin-1 bytes
    ascii_edit = set_fields(data, LATIN1_ENTRY, {"evgrade-design": "rct"})
    assert ascii_edit == set_fields(text.encode(), LATIN1_ENTRY,
                                    {"evgrade-design": "rct"}).decode().encode("latin-1")
    with pytest.raises(BibWriteError, match="encoding was not given"):
        set_fields(data, LATIN1_ENTRY, {"note": "geprüft"}, path=str(path))
    out = set_fields(data, LATIN1_ENTRY, {"note": "geprüft"}, encoding="latin-1")
    at, old, new = changed_region(data, out)
    assert old == b"" and b"gepr\xfcft" in new
    fields = dict(raw_entries(out.decode("latin-1")))[LATIN1_ENTRY]
    assert fields[-1] == ("note", "geprüft")
    assert ("subtitle", "(nicht nur) für Informatiker") in fields
    with pytest.raises(BibWriteError, match="cannot encode") as info:
        set_fields(data, LATIN1_ENTRY, {"note": "→ €"}, path=str(path), encoding="latin-1")
    line = load_bibliography([BBT / "Better BibTeX.001.bib"]).entries[LATIN1_ENTRY].location.line
    assert str(info.value).startswith(f"{path}:{line}: cannot set 'note' of entry '{LATIN1_ENTRY}'")


def test_utf16_and_unknown_encodings_are_refused() -> None:
    data = (BBT / "Better BibTeX.011.bib").read_bytes()
    with pytest.raises(BibWriteError, match="UTF-16"):
        set_fields(_text(data).encode("utf-16"), "x", {})
    with pytest.raises(BibWriteError, match="not ASCII-compatible"):
        set_fields(data, "x", {}, encoding="utf-16-le")
    with pytest.raises(BibWriteError, match="unknown encoding"):
        set_fields(data, "x", {}, encoding="no-such-codec")


# ------------------------------------------------------------------ the entry's own style

STYLES = [
    # BibDesk: tab indent, closing brace right after the last value, no trailing comma
    (BBT / "BBT + Zotfile creating duplicate files in the wrong location #2300.bib", "gocl1613",
     "evgrade", b",\n\tevgrade = {rct}"),
    # JabRef: "=" aligned in one column, a trailing comma after the last field
    (BBT / "BBT does not import groups from JabRef 5.1 #1641.bib", "Bogadottir2012",
     "evgrade", b"\n  evgrade   = {rct},"),
    # IRIDIA: "=" and values aligned, eight-space indent; braces when quotes do not win
    (IRIDIA / "articles.bib", "CamBatAra2020jss", "evgrade", b",\n        evgrade = {rct}"),
    # IRIDIA: values aligned after "name =", most values quoted, trailing comma
    (IRIDIA / "articles.bib", "AppBixChvCoo98", "evgrade", b"\n  evgrade =      \"rct\","),
    (IRIDIA / "articles.bib", "CamDorStu2019si", "evgrade", b",\n  evgrade =      {rct}"),
    # one line, fields separated by ",  " (and an empty field)
    (BBT / "Import from Clipboard stopped working #2377.bib", "TBD", "evgrade",
     b",  evgrade = {rct}"),
    # a parenthesised entry with a tab after "=" and no indentation
    (BBT / "Issues with round instead of curly braces do not import correctly #871.bib",
     "McDermott:72", "evgrade", b",\nevgrade =\t{rct}"),
    # a name longer than the aligned column gets one space
    (BBT / "BBT does not import groups from JabRef 5.1 #1641.bib", "Bogadottir2012",
     "evgrade-design-level", b"\n  evgrade-design-level = {rct},"),
]


@pytest.mark.parametrize(("path", "key", "name", "inserted"), STYLES,
                         ids=[f"{s[1]}-{s[2]}" for s in STYLES])
def test_new_field_copies_its_siblings(path: Path, key: str, name: str, inserted: bytes) -> None:
    data = path.read_bytes()
    out = set_fields(data, key, {name: "rct"}, path=str(path))
    assert out.count(inserted) == 1 and out.replace(inserted, b"", 1) == data


def _becomes(path: Path, key: str, changes: dict[str, str | None], old: bytes,
             new: bytes) -> None:
    """Editing ``key`` turns the one place ``old`` occurs in that entry into ``new`` and
    changes nothing else."""
    data = path.read_bytes()
    block = block_of(data, key)
    entry = data[block.start:block.end]
    assert entry.count(old) == 1
    expected = data[:block.start] + entry.replace(old, new) + data[block.end:]
    assert set_fields(data, key, changes, path=str(path)) == expected


def test_replace_keeps_delimiters_and_name_spelling() -> None:
    path = IRIDIA / "articles.bib"
    # a quoted value stays quoted, a braced one braced; "TITLE" finds "title"
    _becomes(path, "AppBixChvCoo98", {"TITLE": "New"},
             b'title   =      "On the Solution of Traveling Salesman Problems",',
             b'title   =      "New",')
    _becomes(path, "CamDorStu2019si", {"Pages": "1--2"},
             b"pages =        {173--192}\n}", b"pages =        {1--2}\n}")
    # a macro, a number and a '#' concatenation become one value in the entry's delimiters
    _becomes(path, "CamDorStu2019si", {"journal": "Swarm Intelligence"},
             b"journal =      swarm,", b"journal =      {Swarm Intelligence},")
    _becomes(path, "AppBixChvCoo98", {"year": "1999"},
             b'year    =      1998,\n  volume  =      "Extra', b'year    =      "1999",\n  volume  =      "Extra')
    _becomes(path, "AppBixChvCoo98", {"author": "Applegate, David"},
             b"Applegate_D #and# Bixby #and# Chvatal #and# Cook_W,", b'"Applegate, David",')
    # setting a field to the value it has, in any of these forms, changes nothing
    data = path.read_bytes()
    same = {"year": "1998", "title": "On the Solution of Traveling Salesman Problems"}
    assert set_fields(data, "AppBixChvCoo98", same) == data


def test_remove_takes_one_comma_with_the_field() -> None:
    path = BBT / "Better BibTeX.011.bib"
    _becomes(path, "Klassen2010", {"booktitle": None},
             b"  booktitle = {CATA},\n  year", b"  year")
    # the last field (no comma after it) takes the comma before it
    _becomes(path, "Klassen2010", {"timestamp": None},
             b"{sstudent},\n  timestamp = {2011.03.22}\n}", b"{sstudent}\n}")
    # with a trailing comma, the field takes its own
    _becomes(BBT / "BBT does not import groups from JabRef 5.1 #1641.bib", "Bogadottir2012",
             {"url": None}, b"{2020-09-12},\n  url       = {https://www.routledge.com/Ecology-and-Power-"
             b"Struggles-over-Land-and-Material-Resources-in-the-Past/Hornborg-Clark-Hermele/p/book/"
             b"9780415601467},\n}", b"{2020-09-12},\n}")


def test_batch_equals_one_entry_at_a_time() -> None:
    path = IRIDIA / "biblio.bib"
    data, _raw, unique = corpus(path)
    keys = sample(unique, 4)
    edits = {k: {"evgrade-design": "rct", "evgrade-level": "2"} for k in keys}
    one_by_one = data
    for key in reversed(keys):
        one_by_one = set_fields(one_by_one, key, edits[key])
    assert set_fields_many(data, edits) == one_by_one


# ------------------------------------------------------------------ refusals


def _refusal(path: Path, key: str, changes: dict[str, str | None], data: bytes | None = None,
             **kw: str) -> str:
    with pytest.raises(BibWriteError) as info:
        set_fields(path.read_bytes() if data is None else data, key, changes, path=str(path), **kw)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}:")
    assert isinstance(info.value, InputError)
    return message


def test_broken_blocks_are_refused(tmp_path: Path) -> None:
    # a real entry whose braces never balance (the loader reports it and skips it)
    f873 = BBT / "Some bibtex entries quietly discarded on import from bib file #873.bib"
    assert _refusal(f873, "Thiebaux:93", {"evgrade-design": "rct"}) == (
        f"{f873}:6523: entry 'Thiebaux:93' cannot be edited: its braces never balance before "
        "the next @entry")
    # a real entry with one comma taken out: pybtex's reason and the line it stopped at
    real = (BBT / "Better BibTeX.011.bib").read_bytes()
    broken = tmp_path / "broken.bib"
    broken.write_bytes(real.replace(b"{CATA},", b"{CATA}"))
    # line 6 is where pybtex stopped ("year"): the lone CR inside the title on line 3 ends a
    # line, as it does for the loader
    assert _refusal(broken, "Klassen2010", {}) == (
        f"{broken}:6: entry 'Klassen2010' cannot be edited: pybtex cannot parse it "
        "(syntax error: '}' expected)")
    assert _refusal(EDGE, "missing-comma", {}).startswith(f"{EDGE}:40: entry 'missing-comma'")
    assert _refusal(EDGE, "broken", {"year": "2003"}).startswith(f"{EDGE}:20: entry 'broken'")


def test_keys_must_match_exactly_and_once() -> None:
    german = BBT / "Title of German entry converted to lowercase during import #1350.bib"
    assert _refusal(german, "schiffer2005a", {}) == (
        f"{german}:1: key 'schiffer2005a' is ambiguous: 2 entries match (line 1 ('schiffer2005a'), "
        "line 36 ('schiffer2005a')); edit the file by hand")
    chen = BBT / "Unabbreviate on import #1436-3.bib"
    assert _refusal(chen, "Chen_2017", {}).endswith(
        ":9555: key 'Chen_2017' is ambiguous: 2 entries match (line 9544 ('chen_2017'), "
        "line 9555 ('Chen_2017'); BibTeX keys ignore case); edit the file by hand")
    klassen = BBT / "Better BibTeX.011.bib"
    assert _refusal(klassen, "klassen2010", {}) == (
        f"{klassen}:1: no entry with key 'klassen2010'; the entry here is 'Klassen2010' "
        "(keys must match exactly)")
    with pytest.raises(BibWriteError) as info:
        set_fields(klassen.read_bytes(), "Nobody1999", {}, path=str(klassen))
    # @string names and entries inside @comment are not entries
    assert _refusal(EDGE, "jpsy", {}) == f"{EDGE}: no entry with key 'jpsy'"
    assert _refusal(EDGE, "inside", {}) == f"{EDGE}: no entry with key 'inside'"
    # no line to point at: the message names the file and the key
    assert str(info.value) == f"{klassen}: no entry with key 'Nobody1999'"


@pytest.mark.parametrize(("value", "reason"), [
    ("a } b", "a '}' without a '{' before it: it would close the entry"),
    ("}{", "a '}' without a '{' before it"),
    ("{open", "1 more '{' than '}': it would swallow the rest of the file"),
    ("line one\n@article{evil, title={x}}", "starts with '@', which would read as a new entry"),
    ("bell\x07", "control character U+0007"),
])
def test_unsafe_values_are_refused(value: str, reason: str) -> None:
    path = BBT / "Better BibTeX.011.bib"
    message = _refusal(path, "Klassen2010", {"note": value})
    assert message.startswith(f"{path}:1: cannot set 'note' of entry 'Klassen2010': ")
    assert reason in message


def test_fields_named_twice_are_refused() -> None:
    path = BBT / "BBT + Zotfile creating duplicate files in the wrong location #2300.bib"
    assert _refusal(path, "garberayers1998b", {"FILE": None}) == (
        f"{path}:24: entry 'garberayers1998b' has field 'FILE' 2 times (lines 24, 25); edit it "
        "by hand")
    # its other fields can still be edited
    _becomes(path, "garberayers1998b", {"isbn": "052153180X"},
             b"isbn = {0521531802}", b"isbn = {052153180X}")


def test_bad_field_names_and_values() -> None:
    data = (BBT / "Better BibTeX.011.bib").read_bytes()
    for name in ("two words", "x=y", "{x}", "", "1st"):
        with pytest.raises(BibWriteError, match="is not a field name"):
            set_fields(data, "Klassen2010", {name: "v"}, path="refs.bib")
    with pytest.raises(BibWriteError, match="are the same field"):
        set_fields(data, "Klassen2010", {"Note": "a", "note": "b"}, path="refs.bib")
    with pytest.raises(TypeError):
        set_fields(data, "Klassen2010", {"note": 3})  # type: ignore[dict-item]


# ------------------------------------------------------------------ files on disk

def test_write_fields_replaces_the_file_atomically(tmp_path: Path) -> None:
    source = BBT / "Double newlines means parbreak #2789.bib"
    path = tmp_path / "refs.bib"
    path.write_bytes(source.read_bytes())
    key = corpus(source)[2][0]
    assert write_fields(path, {key: {"evgrade-design": "rct"}}) is True
    assert path.read_bytes() == set_fields(source.read_bytes(), key, {"evgrade-design": "rct"})
    assert write_fields(path, {key: {"evgrade-design": "rct"}}) is False   # nothing to change
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]            # no temp file left
    with pytest.raises(InputError, match="not found"):
        write_fields(tmp_path / "missing.bib", {})
    with pytest.raises(InputError, match="directory"):
        write_fields(tmp_path, {})


def test_an_encoding_that_contradicts_the_bytes_is_refused(tmp_path: Path) -> None:
    utf8 = (BBT / "Better BibTeX.001.bib").read_bytes()           # "für" in UTF-8
    with pytest.raises(BibWriteError, match="reads as UTF-8, not latin-1"):
        set_fields(utf8, LATIN1_ENTRY, {"note": "geprüft"}, encoding="latin-1")
    with pytest.raises(BibWriteError, match="byte-order mark, not cp1252"):
        set_fields(b"\xef\xbb\xbf" + utf8, LATIN1_ENTRY, {}, encoding="cp1252")
    path, _text_ = _latin1_copy(tmp_path)
    with pytest.raises(BibWriteError, match=r"not valid utf-8 \(byte 0xFC\)") as info:
        set_fields(path.read_bytes(), LATIN1_ENTRY, {}, path=str(path), encoding="utf-8")
    assert str(info.value).startswith(f"{path}:21:")
    # an ASCII-only file is whatever the caller says it is
    ascii_file = (BBT / "Better BibTeX.011.bib").read_bytes()
    out = set_fields(ascii_file, "Klassen2010", {"note": "bardzo dobre – tak"}, encoding="cp1250")
    assert changed_region(ascii_file, out)[2] == "bardzo dobre – tak".encode("cp1250")
