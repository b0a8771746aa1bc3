"""The parsed-bibliography cache: one SQLite file, one row per entry block.

A file is known by a hash of its bytes, the @string macros in force when it starts
(earlier files of the same call define them) and the evgrade version. The hash of a
path's bytes is kept beside what ``os.stat`` said of the file when it was read (device,
inode, size, modification and change times): a later run that finds the same stat takes
the hash without reading the file, and reads it only if a block has to be parsed. A file
changed within two seconds of being read is not remembered so, because a second write in
the same tick of the file system's clock could keep the same times. For each such
file the cache keeps what the file defines for the files after it (its @strings) and
one row per entry block, under the block's casefolded key: where the block is, and,
once some run has parsed it, the parse (JSON). A run that needs 50 entries of a
100,000-entry file reads 50 rows; the blocks no run has parsed yet are parsed from the
file and their rows filled in.

The folder can be named by a repository's ``cache-dir``, so the file may be someone
else's: it holds data only (text, numbers, JSON), never pickles, and is read as data.
A file that is not such a store (a symbolic link, not a regular file, not a database,
views or triggers in it, other tables or columns) is one
:class:`~evgrade.errors.EvgradeWarning`, and evgrade goes on without it, neither
reading nor writing it. A row that is not what evgrade writes (a wrong type, JSON that
does not decode to an entry, a row over the size cap) is ignored, with one warning,
and its file parsed again. Writes are transactions: a reader sees a file's rows as one
run wrote them, or not at all.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import warnings
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from .. import __version__
from .._sqlite import check_file, refuse_code
from ..errors import EvgradeWarning
from . import _cache_rows as rows_
from ._cache_rows import Broken, FileInfo, StoredBlock

__all__ = ["BibCache", "Broken", "FileInfo", "StoredBlock", "cache_key", "digest", "settled",
           "stat_token"]

FORMAT = 4  # bump when what is stored, or how it is derived, changes
FILENAME = "bib-index.sqlite"
SCHEMA = f"evgrade bibliography cache {FORMAT}"
KEEP_VERSIONS = 3             # parses kept per path (older versions of a file are dropped)
_CHUNK = 500                  # keys per query: under SQLite's limit on bound parameters
KEEP_SEEN = 1000              # paths whose stat and hash are kept (the most recently read)
SETTLED_NS = 2_000_000_000    # a file's times must be this much older than its read
_HEX = frozenset("0123456789abcdef")


_TABLES = {
    "meta": "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "files": ("CREATE TABLE files (fid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
              "path TEXT NOT NULL, complete INTEGER NOT NULL, info TEXT NOT NULL, "
              "stored REAL NOT NULL)"),
    "blocks": ("CREATE TABLE blocks (fid INTEGER NOT NULL, folded TEXT NOT NULL, "
               "seq INTEGER NOT NULL, key TEXT, line INTEGER NOT NULL, start INTEGER NOT NULL, "
               "stop INTEGER NOT NULL, terminated INTEGER NOT NULL, command TEXT NOT NULL, "
               "names TEXT, result TEXT, PRIMARY KEY (fid, folded, seq)) WITHOUT ROWID"),
    "seen": ("CREATE TABLE seen (path TEXT PRIMARY KEY, stat TEXT NOT NULL, digest TEXT NOT NULL, "
             "at REAL NOT NULL) WITHOUT ROWID"),
}
_COLUMNS = {"meta": ["name", "value"],
            "files": ["fid", "id", "path", "complete", "info", "stored"],
            "blocks": ["fid", "folded", "seq", "key", "line", "start", "stop", "terminated",
                       "command", "names", "result"],
            "seen": ["path", "stat", "digest", "at"]}
_BLOCK_COLUMNS = "seq, folded, key, line, start, stop, terminated, command, names, result"


def digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def stat_token(info: os.stat_result) -> str:
    """What must be the same for a file to be taken as unchanged since it was hashed."""
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def settled(info: os.stat_result, now_ns: int) -> bool:
    """True when the file was last written well before ``now_ns`` (when it was opened)."""
    return now_ns - max(info.st_mtime_ns, info.st_ctime_ns) >= SETTLED_NS


def cache_key(file_digest: str, macros_in: Iterable[tuple[str, str]]) -> str:
    """The key of a file's rows: its :func:`digest`, the macros in force and the version."""
    h = hashlib.sha256(f"evgrade {__version__} bibcache {FORMAT}\0{file_digest}".encode())
    for name, value in sorted((n.lower(), v) for n, v in macros_in):
        h.update(b"\0" + name.encode("utf-8", "surrogatepass") + b"\1"
                 + value.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# ------------------------------------------------------------------ the store

class BibCache:
    """The cache file in one folder; any trouble with it is one warning, then it is left alone."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILENAME
        self._db: sqlite3.Connection | None = None
        self._damaged = False
        self._fids: dict[str, int] = {}  # file key -> its row id in table files
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:  # a folder that cannot be made: no cache, as with none asked for
            return
        try:
            check_file(self.path)
            self._db = sqlite3.connect(str(self.path), isolation_level=None, timeout=10)
            _prepare(self._db)
        except (sqlite3.Error, OSError, ValueError) as exc:
            self._give_up(exc)

    def _give_up(self, exc: Exception) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        warnings.warn(f"{self.path}: not a usable bibliography cache ({exc}); going on "
                      "without it", EvgradeWarning, stacklevel=3)

    def damaged(self) -> None:
        """A row that is not what evgrade writes: ignored (its file is parsed again), said once."""
        if not self._damaged:
            self._damaged = True
            warnings.warn(f"{self.path}: damaged entries in the bibliography cache were ignored",
                          EvgradeWarning, stacklevel=3)

    @property
    def usable(self) -> bool:
        return self._db is not None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _query(self, sql: str, args: Iterable[Any]) -> list[tuple[Any, ...]]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return []

    # -------------------------------------------------------------- reading

    def file(self, key: str) -> FileInfo | None:
        rows = self._query("SELECT fid, info, complete FROM files WHERE id = ? AND length(info) <= ?",
                           (key, rows_.MAX_INFO_CHARS))
        if not rows or type(rows[0][0]) is not int:
            return None
        try:
            info = rows_.decode_info(*rows[0][1:])
        except ValueError:
            self.damaged()
            return None
        self._fids[key] = rows[0][0]
        return info

    def seen(self, path: str) -> tuple[str, str] | None:
        """The stat token and digest kept for ``path`` (a real path), if any."""
        rows = self._query("SELECT stat, digest FROM seen WHERE path = ?", (path,))
        if not rows:
            return None
        token, hexed = rows[0]
        if not (isinstance(token, str) and isinstance(hexed, str) and len(hexed) == 64
                and _HEX.issuperset(hexed)):
            self.damaged()
            return None
        return token, hexed

    def blocks(self, key: str, folded: Collection[str]) -> list[StoredBlock] | None:
        """The rows of the blocks with these casefolded keys, in file order; None when one of
        them is damaged (the file must then be parsed again)."""
        wanted = sorted(set(folded))
        fid = self._fids.get(key)
        rows: list[tuple[Any, ...]] = []
        for i in range(0, len(wanted) if fid is not None else 0, _CHUNK):
            chunk = wanted[i:i + _CHUNK]
            rows += self._query(f"SELECT {_BLOCK_COLUMNS} FROM blocks WHERE fid = ? AND folded IN "
                                f"({','.join('?' * len(chunk))})", (fid, *chunk))
        return self._decoded(rows)

    def keys(self, key: str) -> set[str] | None:
        """Every casefolded key of the file's entry blocks; None when a row is damaged."""
        rows = self._query("SELECT DISTINCT folded FROM blocks WHERE fid = ? AND folded != ''",
                           (self._fids.get(key),))
        if not all(isinstance(k, str) for (k,) in rows):
            self.damaged()
            return None
        return {k for (k,) in rows}

    def all_blocks(self, key: str) -> list[StoredBlock] | None:
        return self._decoded(self._query(f"SELECT {_BLOCK_COLUMNS} FROM blocks WHERE fid = ?",
                                         (self._fids.get(key),)))

    def _decoded(self, rows: list[tuple[Any, ...]]) -> list[StoredBlock] | None:
        try:
            out = [rows_.block(*row) for row in rows]
        except ValueError:
            self.damaged()
            return None
        out.sort(key=lambda b: b.seq)
        return out

    # -------------------------------------------------------------- writing

    def put_file(self, key: str, path: str, info: FileInfo, blocks: Iterable[StoredBlock]) -> None:
        """Store a file anew: its information and every entry block (replacing what was kept)."""
        rows = sorted((b.folded, b.seq, b.key, b.line, b.start, b.stop, int(b.terminated),
                       b.command, b.names or None, rows_.encode_result(b.result)) for b in blocks)
        self._write(lambda db: _put_file(db, key, path, info, rows))

    def put_results(self, key: str, blocks: Iterable[StoredBlock]) -> None:
        """Fill in the parses of blocks a run parsed now."""
        fid = self._fids.get(key)
        rows = [(rows_.encode_result(b.result), fid, b.folded, b.seq) for b in blocks]
        if rows and fid is not None:
            self._write(lambda db: db.executemany(
                "UPDATE blocks SET result = ? WHERE fid = ? AND folded = ? AND seq = ?", rows))

    def put_seen(self, seen: Iterable[tuple[str, str, str]]) -> None:
        """Keep (real path, stat token, digest) of files read now; only the most recent
        :data:`KEEP_SEEN` paths stay."""
        rows = [(path, token, hexed, time.time()) for path, token, hexed in seen]
        if rows:
            self._write(lambda db: _put_seen(db, rows))

    def mark_complete(self, key: str) -> None:
        self._write(lambda db: db.execute("UPDATE files SET complete = 1 WHERE id = ?", (key,)))

    def _write(self, work: Any) -> None:
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                work(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._give_up(exc)


def _put_file(db: sqlite3.Connection, key: str, path: str, info: FileInfo,
              rows: list[tuple[Any, ...]]) -> None:
    for (fid,) in db.execute("SELECT fid FROM files WHERE id = ?", (key,)).fetchall():
        _drop(db, fid)
    fid = db.execute("INSERT INTO files (id, path, complete, info, stored) VALUES (?, ?, ?, ?, ?)",
                     (key, path, int(info.complete), rows_.encode_info(info), time.time())).lastrowid
    db.executemany(f"INSERT OR REPLACE INTO blocks VALUES ({fid}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   rows)
    for (old,) in db.execute("SELECT fid FROM files WHERE path = ? ORDER BY stored DESC",
                             (path,)).fetchall()[KEEP_VERSIONS:]:
        _drop(db, old)


def _put_seen(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    db.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?, ?, ?)", rows)
    db.execute("DELETE FROM seen WHERE path NOT IN "
               "(SELECT path FROM seen ORDER BY at DESC LIMIT ?)", (KEEP_SEEN,))


def _drop(db: sqlite3.Connection, fid: Any) -> None:
    db.execute("DELETE FROM blocks WHERE fid = ?", (fid,))
    db.execute("DELETE FROM files WHERE fid = ?", (fid,))


def _prepare(db: sqlite3.Connection) -> None:
    """Check that ``db`` is evgrade's store of this format (or empty: then make it one).
    Views and triggers are refused: reading or writing the file would run their SQL."""
    refuse_code(db)
    objects = db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                         ).fetchall()
    tables = {n for t, n in objects if t == "table"}
    if not tables:
        _create(db, drop=())
    elif _schema(db, tables) != SCHEMA or tables != set(_TABLES):
        if not str(_schema(db, tables)).startswith(SCHEMA.rsplit(" ", 1)[0] + " "):
            raise ValueError("it is not evgrade's bibliography cache")
        _create(db, drop=tables)  # evgrade's own cache in another format: start afresh
    for table, columns in _COLUMNS.items():
        if [row[1] for row in db.execute(f"PRAGMA table_info({table})")] != columns:
            raise ValueError(f"other columns in table {table}")


def _schema(db: sqlite3.Connection, tables: set[str]) -> object:
    if "meta" not in tables:
        return None
    found = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
    return found[0] if found else None


def _create(db: sqlite3.Connection, drop: Iterable[str]) -> None:
    db.execute("BEGIN IMMEDIATE")
    for table in drop:
        db.execute('DROP TABLE "{}"'.format(table.replace('"', '""')))
    for sql in _TABLES.values():
        db.execute(sql)
    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
    db.execute("COMMIT")
