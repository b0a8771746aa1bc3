"""evgrade's lookup cache: two small SQLite files holding data only, never code.

The cache folder can be named by a repository's ``[tool.evgrade] cache-dir``, so
every file in it may be someone else's. Nothing here is ever unpickled or
evaluated: a stored response is a status, a content type and the body's bytes;
a stored answer is a JSON object. A file that is not such a store (not a
database, views or triggers in it, other columns, damaged rows) is reported by
one :class:`~evgrade.errors.EvgradeWarning` and treated as empty; evgrade then
neither reads nor writes it.

- ``responses.sqlite`` (:class:`ResponseStore`): each 200/404 response evgrade
  accepted, under a key made of the request without its private parameters
  (contact, API keys), so changing ``--mailto`` keeps the cache.
- ``answers.sqlite`` (:class:`AnswerStore`): per-identifier answers learnt from
  batch queries. The HTTP cache stores a batch under its whole URL, so a
  bibliography that gained one DOI would miss it for every DOI in the shifted
  batches; here each DOI's answer is stored on its own: the record (only the
  fields evgrade reads) or a confirmed 404. Failures are never stored.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from .._sqlite import check_file, refuse_code
from ..errors import EvgradeWarning

_RESPONSES = """CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY, status INTEGER NOT NULL, content_type TEXT NOT NULL,
    body BLOB NOT NULL, url TEXT NOT NULL, stored REAL NOT NULL)"""
_ANSWERS = """CREATE TABLE IF NOT EXISTS answers (
    source TEXT NOT NULL, id TEXT NOT NULL, body TEXT, stored REAL NOT NULL,
    PRIMARY KEY (source, id))"""
_CHUNK = 500              # stay under SQLite's limit on bound parameters
MAX_ANSWER_CHARS = 1 << 20  # one stored answer (the few fields evgrade reads) is far smaller

T = TypeVar("T")


class _Store:
    """One SQLite file; any trouble with it is one warning, then it is left alone."""

    def __init__(self, path: Path, schema: str, max_age_days: float, usable: bool = True) -> None:
        self.path = path
        self.max_age = max_age_days * 86400.0
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._damaged = False
        if not usable:  # its folder cannot be made: nothing is read or kept
            return
        try:
            check_file(path)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            refuse_code(self._db)
            self._db.execute(schema)
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)

    def _give_up(self, exc: Exception) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        warnings.warn(f"{self.path}: not a usable lookup cache ({exc}); "
                      "going on without it", EvgradeWarning, stacklevel=2)

    def _run(self, work: Callable[[sqlite3.Connection], T], default: T) -> T:
        with self._lock:
            if self._db is None:
                return default
            try:
                return work(self._db)
            except sqlite3.Error as exc:
                self._give_up(exc)
                return default

    def damaged(self) -> None:
        """A row that is not what evgrade writes: ignored, said once."""
        if not self._damaged:
            self._damaged = True
            warnings.warn(f"{self.path}: damaged entries in the lookup cache were ignored",
                          EvgradeWarning, stacklevel=2)

    def oldest(self) -> float:
        return time.time() - self.max_age

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def _write(db: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """All rows in one transaction (one sync, not one per row)."""
    db.execute("BEGIN")
    try:
        db.executemany(sql, rows)
    except sqlite3.Error:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class Stored(NamedTuple):
    status: int
    content_type: str
    body: bytes
    url: str


def request_key(method: str, url: str, params: Any, data: Any, json_body: Any,
                private: Iterable[str]) -> str:
    """The cache key of a request: everything that selects the answer, nothing private."""
    hidden = {p.lower() for p in private}

    def kept(values: Any) -> Any:
        if isinstance(values, dict):
            return sorted([str(k), v] for k, v in values.items() if str(k).lower() not in hidden)
        return values

    raw = json.dumps([method.upper(), url, kept(params), kept(data), json_body],
                     default=str, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ResponseStore(_Store):
    """Request key -> the accepted response: status, content type, body bytes."""

    def __init__(self, path: Path, max_age_days: float, usable: bool = True) -> None:
        super().__init__(path, _RESPONSES, max_age_days, usable)

    def get(self, key: str, max_bytes: int) -> Stored | None:
        row = self._run(lambda db: db.execute(
            "SELECT status, content_type, body, url FROM responses "
            "WHERE key = ? AND stored >= ? AND length(body) <= ?",
            (key, self.oldest(), max_bytes)).fetchone(), None)
        if row is None:
            return None
        status, ctype, body, url = row
        if not (isinstance(status, int) and isinstance(ctype, str) and isinstance(body, bytes)
                and isinstance(url, str)):
            self.damaged()
            return None
        return Stored(status, ctype, body, url)

    def put(self, rows: list[tuple[str, Stored]]) -> None:
        if not rows:
            return
        now = time.time()
        values = [(key, s.status, s.content_type, s.body, s.url, now) for key, s in rows]
        self._run(lambda db: _write(db, "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)",
                                    values), None)


class AnswerStore(_Store):
    """space + identifier -> item (a JSON object) or None for "the authority said 404".

    A space is a source and the URL it was asked at: answers from a mirror a
    project named never stand in for the authority's own.
    """

    def __init__(self, path: Path, max_age_days: float, usable: bool = True) -> None:
        super().__init__(path, _ANSWERS, max_age_days, usable)

    def get(self, space: str, ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        wanted = list(dict.fromkeys(ids))
        rows: list[tuple[Any, Any]] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows += self._run(lambda db: db.execute(
                f"SELECT id, body FROM answers WHERE source = ? AND stored >= ? AND id IN ({marks})",
                [space, self.oldest(), *chunk]).fetchall(), [])
        out: dict[str, dict[str, Any] | None] = {}
        for ident, body in rows:
            item = _item(body)
            if item is False:
                self.damaged()  # simply asked again
            elif isinstance(ident, str):
                out[ident] = item  # type: ignore[assignment]
        return out

    def put(self, space: str, answers: dict[str, dict[str, Any] | None]) -> None:
        if not answers:
            return
        now = time.time()
        rows = [(space, ident, json.dumps(item) if item is not None else None, now)
                for ident, item in answers.items()]
        self._run(lambda db: _write(db, "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", rows),
                  None)


def _item(body: Any) -> dict[str, Any] | None | bool:
    """A stored answer: a dict, None (a 404), or False when the row is not one evgrade wrote."""
    if body is None:
        return None
    if not isinstance(body, str) or len(body) > MAX_ANSWER_CHARS:
        return False
    try:
        item = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return item if isinstance(item, dict) else False
