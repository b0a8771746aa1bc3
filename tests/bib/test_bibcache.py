"""The parsed-bibliography cache is data a repository may ship (``cache-dir`` in its
``[tool.evgrade]``): whatever the file holds, loading never crashes, never runs code, and
gives what a parse of the .bib files gives (docs/bibliography.md, "Speed"; docs/security.md).

The libraries are real: the IRIDIA macro and crossref files (../shared/fixtures/bibtex/iridia,
CC0) and the verified ketamine references (../shared/reference-facts)."""

from __future__ import annotations

import os
import pickle
import sqlite3
import warnings
from pathlib import Path

import pytest

from evgrade.bib import _cache_rows
from evgrade.bib import cache as bibcache
from evgrade.bib.load import load_bibliography
from evgrade.errors import EvgradeWarning, FileChangedError

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
IRIDIA = SHARED / "fixtures" / "bibtex" / "iridia"
FILES = [IRIDIA / n for n in ("abbrev.bib", "journals.bib", "crossref.bib")]
KETAMINE = SHARED / "reference-facts" / "ketamine-verified.bib"
KEYS = ["Berman2000", "Zarate2006", "Krystal1994"]


class _MakeFolder:
    """Unpickling this calls os.mkdir(path): the proof that a pickle was loaded."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def db_file(cache: Path) -> Path:
    return cache / bibcache.FILENAME


def quietly(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load_bibliography(*args, **kwargs)


def warned(match: str, *args, **kwargs):
    with pytest.warns(EvgradeWarning, match=match) as caught:
        result = load_bibliography(*args, **kwargs)
    assert len(caught) == 1  # one line, however many rows were bad
    return result


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A cache filled by real loads: the ketamine file whole, the IRIDIA files in part."""
    cache = tmp_path / "cache"
    quietly([KETAMINE], cache_dir=cache)
    quietly(FILES, keys=["CEC2002", "SearchMethod2005"], cache_dir=cache)
    return cache


def test_a_warm_cache_gives_what_a_parse_gives(filled: Path) -> None:
    assert quietly([KETAMINE], cache_dir=filled) == load_bibliography([KETAMINE])
    assert quietly([KETAMINE], keys=KEYS, cache_dir=filled) == load_bibliography([KETAMINE], keys=KEYS)
    assert quietly(FILES, cache_dir=filled) == load_bibliography(FILES)


def poison(cache: Path, payload: bytes | str) -> int:
    """Put ``payload`` into every value outside the primary key of every table."""
    db = sqlite3.connect(db_file(cache))
    replaced = 0
    try:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for _, column, _, _, _, pk in db.execute(f"PRAGMA table_info('{table}')").fetchall():
                if not pk and (table, column) != ("files", "id"):  # id: unique, the file's key
                    replaced += db.execute(f"UPDATE '{table}' SET '{column}' = ?",
                                           (payload,)).rowcount
        db.commit()
    finally:
        db.close()
    return replaced


@pytest.mark.parametrize("kind", ["pickle", "json list", "huge"])
def test_damaged_rows_are_ignored_and_no_code_runs(filled: Path, tmp_path: Path, kind: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "code-ran"
    payload: bytes | str = {
        "pickle": pickle.dumps(_MakeFolder(marker)),
        "json list": '["e", "key", "article", 1, {"title": 5}, {}, [], []]',
        "huge": "x" * 5000,
    }[kind]
    monkeypatch.setattr(_cache_rows, "MAX_ROW_CHARS", 1000)
    monkeypatch.setattr(_cache_rows, "MAX_INFO_CHARS", 1000)
    assert poison(filled, payload) > 0
    for paths, keys in (([KETAMINE], None), ([KETAMINE], KEYS), (FILES, ["CEC2002"])):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = load_bibliography(paths, keys=keys, cache_dir=filled)
        assert got == load_bibliography(paths, keys=keys)
        assert all(issubclass(w.category, EvgradeWarning) for w in caught)
        assert len(caught) <= 1
    assert not marker.exists()


def test_damaged_rows_are_written_again(filled: Path) -> None:
    db = sqlite3.connect(db_file(filled))
    db.execute("UPDATE blocks SET result = '[\"e\", 1, 2]' WHERE result IS NOT NULL")
    db.commit()
    db.close()
    warned("damaged entries", [KETAMINE], cache_dir=filled)
    assert quietly([KETAMINE], cache_dir=filled) == load_bibliography([KETAMINE])  # healed


def test_rows_pointing_outside_the_file_do_not_crash(filled: Path) -> None:
    db = sqlite3.connect(db_file(filled))
    db.execute("UPDATE blocks SET result = NULL, start = 10, stop = 99999999")
    db.execute("UPDATE blocks SET start = -5 WHERE seq % 2 = 0")
    db.commit()
    db.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvgradeWarning)
        got = load_bibliography(FILES, keys=["CEC2002", "SearchMethod2005"], cache_dir=filled)
    assert set(got.entries) <= set(load_bibliography(FILES).entries)


@pytest.mark.parametrize("setup", ["not sqlite", "other tables", "other columns", "trigger",
                                   "view", "other format"])
def test_a_file_that_is_not_the_cache_is_one_warning_and_left_alone(tmp_path: Path, setup: str) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    path = db_file(cache)
    if setup == "not sqlite":
        path.write_bytes(b"this is not an SQLite database\n" * 200)
    else:
        db = sqlite3.connect(path)
        if setup == "other tables":
            db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        else:
            quietly([KETAMINE], cache_dir=tmp_path / "real")
            db.close()
            path.write_bytes(db_file(tmp_path / "real").read_bytes())
            db = sqlite3.connect(path)
            db.execute({
                "other columns": "ALTER TABLE blocks ADD COLUMN extra TEXT",
                "trigger": "CREATE TRIGGER t AFTER INSERT ON files BEGIN DELETE FROM meta; END",
                "view": "CREATE VIEW v AS SELECT * FROM files",
                "other format": "UPDATE meta SET value = 'a cache of another program'",
            }[setup])
        db.commit()
        db.close()
    before = path.read_bytes()
    got = warned("not a usable bibliography cache", [KETAMINE], keys=KEYS, cache_dir=cache)
    assert got == load_bibliography([KETAMINE], keys=KEYS)
    assert path.read_bytes() == before


def test_an_older_format_of_evgrades_own_cache_is_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    quietly([KETAMINE], cache_dir=cache)
    db = sqlite3.connect(db_file(cache))
    db.execute("UPDATE meta SET value = 'evgrade bibliography cache 2'")
    db.commit()
    db.close()
    assert quietly([KETAMINE], cache_dir=cache) == load_bibliography([KETAMINE])
    db = sqlite3.connect(db_file(cache))
    assert db.execute("SELECT value FROM meta").fetchall() == [(bibcache.SCHEMA,)]
    db.close()


def test_a_symbolic_link_or_a_folder_is_refused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    other = tmp_path / "another-programs.sqlite"
    sqlite3.connect(other).close()
    db_file(cache).symlink_to(other)
    warned("symbolic link", [KETAMINE], cache_dir=cache)
    assert other.read_bytes() == b""
    db_file(cache).unlink()
    db_file(cache).mkdir()
    warned("not a regular file", [KETAMINE], cache_dir=cache)


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    cache = tmp_path / "cache"
    for title in ("One", "Two", "Three", "Four", "Two"):
        bib.write_text(f"@book{{k, title = {{{title}}}}}\n@book{{j, title = {{J}}}}\n",
                       encoding="utf-8")
        assert quietly([bib], keys=["k"], cache_dir=cache).entries["k"].title == title
        assert quietly([bib], cache_dir=cache).entries["k"].title == title
    db = sqlite3.connect(db_file(cache))
    kept = db.execute("SELECT count(*) FROM files").fetchone()[0]
    db.close()
    assert kept == bibcache.KEEP_VERSIONS  # older versions of the file are dropped


# ------------------------------------------------------------------ files known by their stat

from evgrade.bib import _open  # noqa: E402

BODY = "@book{k, title = {One}}\n@book{j, title = {J}}\n@book{m, title = {M}}\n"


def seen_rows(cache: Path) -> list[tuple]:
    db = sqlite3.connect(db_file(cache))
    try:
        return db.execute("SELECT path, stat, digest FROM seen").fetchall()
    finally:
        db.close()


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take every file as written long ago: the tests write theirs a moment before loading."""
    monkeypatch.setattr(bibcache, "SETTLED_NS", 0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The .bib files read from now on."""
    names: list[str] = []
    real = _open._read

    def counted(name: str):
        names.append(name)
        return real(name)

    monkeypatch.setattr(_open, "_read", counted)
    return names


def test_a_file_with_the_stat_the_cache_recorded_is_not_read(tmp_path: Path, settled_at_once,
                                                             reads: list[str]) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BODY, encoding="utf-8")
    cache = tmp_path / "cache"
    first = quietly([bib], keys=["k"], cache_dir=cache)
    assert reads == [str(bib)]
    [(path, _, digest)] = seen_rows(cache)
    assert path == os.path.realpath(bib) and digest == bibcache.digest(bib.read_bytes())
    assert quietly([bib], keys=["k"], cache_dir=cache) == first
    assert reads == [str(bib)]          # the second load took the file from the cache unread
    # a key no load has parsed yet: now the bytes are read, and they hash as recorded
    got = quietly([bib], keys=["j"], cache_dir=cache)
    assert reads == [str(bib)] * 2
    assert got == load_bibliography([bib], keys=["j"]) and first == load_bibliography([bib], keys=["k"])


@pytest.mark.parametrize("change", ["other size", "same size, other time"])
def test_a_file_whose_stat_changed_is_read_again(tmp_path: Path, settled_at_once,
                                                 reads: list[str], change: str) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BODY, encoding="utf-8")
    cache = tmp_path / "cache"
    quietly([bib], keys=["k"], cache_dir=cache)
    before = os.stat(bib)
    bib.write_text(BODY.replace("One", "Two" if change != "other size" else "Twenty"), encoding="utf-8")
    if change != "other size":   # the same size; a clock tick apart, however fast the machine
        os.utime(bib, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    got = quietly([bib], keys=["k"], cache_dir=cache)
    assert got.entries["k"].title == ("Two" if change != "other size" else "Twenty")
    assert len(reads) == 2


def test_a_file_written_just_before_its_read_is_not_remembered_by_its_stat(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BODY, encoding="utf-8")   # its change time is now: a later write could keep it
    cache = tmp_path / "cache"
    quietly([bib], keys=["k"], cache_dir=cache)
    assert seen_rows(cache) == []
    old = os.stat(bib).st_mtime_ns - 10_000_000_000
    os.utime(bib, ns=(old, old))             # the change time stays now: still not remembered
    quietly([bib], keys=["k"], cache_dir=cache)
    assert seen_rows(cache) == []


def test_bytes_that_no_longer_hash_as_recorded_are_an_error_naming_the_file(tmp_path: Path,
                                                                           settled_at_once) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BODY, encoding="utf-8")
    cache = tmp_path / "cache"
    quietly([bib], keys=["k"], cache_dir=cache)
    bib.write_text(BODY.replace("One", "Two"), encoding="utf-8")
    # what a change that kept every time and the size would look like: the recorded stat matches
    db = sqlite3.connect(db_file(cache))
    db.execute("UPDATE seen SET stat = ?", (bibcache.stat_token(os.stat(bib)),))
    db.commit()
    db.close()
    with pytest.raises(FileChangedError, match="changed while evgrade was reading it") as caught:
        load_bibliography([bib], keys=["j"], cache_dir=cache)   # j must be parsed: the file is read
    assert caught.value.path == str(bib)


@pytest.mark.parametrize("digest", ["not hex", "A" * 64, 7, None])
def test_a_damaged_stat_row_is_ignored_and_the_file_read(tmp_path: Path, settled_at_once,
                                                         reads: list[str], digest) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BODY, encoding="utf-8")
    cache = tmp_path / "cache"
    quietly([bib], keys=["k"], cache_dir=cache)
    db = sqlite3.connect(db_file(cache))
    if digest is None:
        db.execute("UPDATE seen SET stat = ?", (b"\x00",))   # a blob, not text
    else:
        db.execute("UPDATE seen SET digest = ?", (digest,))
    db.commit()
    db.close()
    got = warned("damaged entries", [bib], keys=["k"], cache_dir=cache)
    assert len(reads) == 2 and got == load_bibliography([bib], keys=["k"])


def test_only_the_most_recently_read_paths_are_remembered(tmp_path: Path, settled_at_once,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibcache, "KEEP_SEEN", 3)
    cache = tmp_path / "cache"
    for i in range(5):
        bib = tmp_path / f"refs{i}.bib"
        bib.write_text(BODY, encoding="utf-8")
        quietly([bib], keys=["k"], cache_dir=cache)
    assert sorted(Path(p).name for p, _, _ in seen_rows(cache)) == ["refs2.bib", "refs3.bib", "refs4.bib"]


def test_check_stops_with_one_line_when_the_bibliography_changed_under_it(
        tmp_path: Path, settled_at_once, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from evgrade.cli import main

    bib = tmp_path / "refs.bib"
    bib.write_text(BODY, encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text("Ketamine helped 70% of patients [@k].\n", encoding="utf-8")
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "draft.md", "--bib", "refs.bib"]) in (0, 1)
    capsys.readouterr()
    bib.write_text(BODY.replace("One", "Two"), encoding="utf-8")
    db = sqlite3.connect(next((tmp_path / "cache").rglob(bibcache.FILENAME)))
    db.execute("UPDATE seen SET stat = ?", (bibcache.stat_token(os.stat(bib)),))
    db.commit()
    db.close()
    draft.write_text("Ketamine helped 70% of patients [@k; @j].\n", encoding="utf-8")  # j: parsed now
    assert main(["check", "draft.md", "--bib", "refs.bib"]) == 2
    _, err = capsys.readouterr()
    assert err.strip().splitlines() == [
        "evgrade: error: refs.bib: bibliography changed while evgrade was reading it; run again"]
