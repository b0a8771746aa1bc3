"""Opening an SQLite file that a repository may have put in evgrade's cache folder.

The lookup cache (resolve/_answers.py) and the bibliography cache (bib/cache.py) are
SQLite files in a folder a repository's config can name, so either may be someone
else's: both refuse what could make evgrade write elsewhere or run SQL it did not write.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def check_file(path: Path) -> None:
    """Only a regular file (or none yet): a symbolic link could make evgrade write into
    another program's database, a FIFO would block the run."""
    if path.is_symlink():
        raise OSError(f"it is a symbolic link to {path.readlink()}")
    if path.exists() and not path.is_file():
        raise OSError("it is not a regular file")


def refuse_code(db: sqlite3.Connection) -> None:
    """Refuse a file with views or triggers: reading or writing it would run their SQL."""
    try:
        db.execute("PRAGMA trusted_schema = OFF")
    except sqlite3.Error:  # older SQLite without the pragma: the check below still holds
        pass
    hidden = db.execute("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"
                        ).fetchone()
    if hidden is not None:
        raise sqlite3.DatabaseError(f"it holds a {hidden[0]} ({hidden[1]!r})")
