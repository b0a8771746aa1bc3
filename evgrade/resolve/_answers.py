"""Per-identifier answers learnt from batch queries, kept beside the HTTP cache.

The HTTP cache stores a batch under its whole URL, so a bibliography that
gained one DOI would miss it for every DOI in the shifted batches - online
that means requests again, offline it means "unverified" for DOIs that were
answered yesterday. Here each DOI's answer is stored on its own: the record
(only the fields evgrade reads) or a confirmed 404. Failures are never stored.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_SCHEMA = """CREATE TABLE IF NOT EXISTS answers (
    source TEXT NOT NULL, id TEXT NOT NULL, body TEXT, stored REAL NOT NULL,
    PRIMARY KEY (source, id))"""
_CHUNK = 500  # stay under SQLite's limit on bound parameters


class AnswerStore:
    """source + identifier -> item (a JSON object) or None for "the authority said 404"."""

    def __init__(self, path: Path, max_age_days: float) -> None:
        self.max_age = max_age_days * 86400.0
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        try:
            self._db.execute(_SCHEMA)
        except sqlite3.Error:
            self._db.close()
            raise

    def get(self, source: str, ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        wanted = list(dict.fromkeys(ids))
        oldest = time.time() - self.max_age
        out: dict[str, dict[str, Any] | None] = {}
        with self._lock:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start:start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT id, body FROM answers WHERE source = ? AND stored >= ? AND id IN ({marks})",
                    [source, oldest, *chunk]).fetchall()
                for ident, body in rows:
                    if body is None:
                        out[ident] = None
                        continue
                    try:
                        item = json.loads(body)
                    except ValueError:
                        continue  # a damaged row is simply asked again
                    if isinstance(item, dict):
                        out[ident] = item
        return out

    def put(self, source: str, answers: dict[str, dict[str, Any] | None]) -> None:
        if not answers:
            return
        now = time.time()
        rows = [(source, ident, json.dumps(item) if item is not None else None, now)
                for ident, item in answers.items()]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", rows)

    def close(self) -> None:
        with self._lock:
            self._db.close()
