"""A repository that ships a lookup cache must not run code on the machine of whoever runs
evgrade in it (issue 9, item 1).

``cache-dir`` can be set in a repository's ``[tool.evgrade]``, so the cache folder, and
every file in it, may be the repository's. Before the fix, requests-cache's SQLite backend
stored each response as a pickle: replacing the stored values of a cache filled by a real
run with a pickle whose ``__reduce__`` makes a folder, then running
``evgrade resolve --offline`` in the repository, made the folder and ended with exit 3.

Here every text or binary value in every SQLite file of a cache that evgrade filled itself
(whatever files it keeps) is replaced by such a pickle: nothing may be created, and evgrade
treats the damaged answers as missing. A cache file that is not a database at all is one
warning line and an empty cache, never an exit 3 (before: exit 2, "cannot use the lookup
cache").
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

import pytest
from resolve_support import ELIFE_DOI, REVIEW_PMID, options, point_sources_at, ref

from evgrade.cli import main
from evgrade.errors import EvgradeWarning
from evgrade.resolve import resolve_references

CACHE = ".evgrade-cache"
BIB = f"""@article{{review, title = {{The treatment of AIDS behind the walls of correctional
  facilities}}, author = {{Olivero, J. Michael}}, year = {{1990}}, pmid = {{{REVIEW_PMID}}}}}

@article{{elife, title = {{Automated quantitative histology reveals vascular morphodynamics
  during Arabidopsis hypocotyl secondary growth}}, author = {{Sankar, Martial}}, year = {{2014}},
  doi = {{{ELIFE_DOI}}}}}
"""


class _MakeFolder:
    """Unpickling this calls os.mkdir(path): the proof that a pickle was loaded."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def entries():
    return [ref("review", pmid=REVIEW_PMID), ref("elife", doi=ELIFE_DOI)]


def fill_cache(server, tmp_path: Path, cache: Path) -> None:
    """A real online run against the local server, so the cache holds real keys."""
    res = resolve_references(entries(), options(server, tmp_path, cache_dir=cache))
    assert {k: r.status for k, r in res.items()} == {"review": "verified", "elife": "verified"}


def poison(cache: Path, payload: bytes) -> int:
    """Replace every text/blob value outside the primary key of every table of every SQLite
    file in ``cache`` by ``payload``; return how many values were replaced."""
    replaced = 0
    for path in sorted(cache.rglob("*.sqlite")):
        db = sqlite3.connect(path)
        try:
            tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                columns = db.execute(f"PRAGMA table_info('{table}')").fetchall()
                for _, column, _, _, _, pk in columns:
                    if pk:
                        continue
                    cur = db.execute(f"UPDATE '{table}' SET '{column}' = ? WHERE typeof('{column}')"
                                     " IN ('text', 'blob')", (payload,))
                    replaced += cur.rowcount
            db.commit()
        finally:
            db.close()
    return replaced


def test_a_pickled_cache_is_never_loaded(resolve_api, resolve_clock, tmp_path):
    cache = tmp_path / "cache"
    fill_cache(resolve_api, tmp_path, cache)
    marker = tmp_path / "code-ran"
    assert poison(cache, pickle.dumps(_MakeFolder(marker))) > 0

    with pytest.warns(EvgradeWarning, match="damaged entries") as caught:
        res = resolve_references(entries(), options(resolve_api, tmp_path, cache_dir=cache,
                                                    mode="offline"))
    assert not marker.exists()
    assert {Path(str(w.message).split(":")[0]).name for w in caught} \
        == {"responses.sqlite", "answers.sqlite"}  # one warning per file
    # a damaged answer is no answer: nothing is known either way
    assert {k: r.status for k, r in res.items()} == {"review": "unverified", "elife": "unverified"}


@pytest.fixture
def repository(tmp_path, monkeypatch, resolve_api):
    """A repository whose pyproject.toml names its own cache folder, as an attacker's would."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text(
        f'[tool.evgrade]\ncache-dir = "{CACHE}"\nbibliography = "refs.bib"\n', encoding="utf-8")
    (repo / "refs.bib").write_text(BIB, encoding="utf-8")
    for name in ("EVGRADE_CACHE_DIR", "NCBI_API_KEY", "EVGRADE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EVGRADE_MAILTO", "tests@example.org")  # as fill_cache() ran
    point_sources_at(resolve_api, monkeypatch)
    monkeypatch.chdir(repo)
    return repo


def test_evgrade_resolve_offline_in_a_hostile_repository_runs_no_code(
        repository, resolve_api, resolve_clock, tmp_path, capsys):
    fill_cache(resolve_api, tmp_path, repository / CACHE)
    marker = tmp_path / "code-ran"
    assert poison(repository / CACHE, pickle.dumps(_MakeFolder(marker))) > 0

    code = main(["resolve", "--offline"])
    out, err = capsys.readouterr()
    assert not marker.exists()
    assert code == 0, err  # unverified entries are no error
    assert "internal error" not in err
    assert "review" in out and "unverified" in out


@pytest.mark.parametrize("name", ["responses.sqlite", "answers.sqlite", "http-cache.sqlite"])
def test_a_cache_file_that_is_not_a_database_is_a_warning(repository, resolve_api, resolve_clock,
                                                          capsys, name):
    folder = repository / CACHE
    folder.mkdir()
    (folder / name).write_bytes(b"this is not an SQLite database\n" * 200)
    code = main(["resolve", "--offline"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "unverified" in out
    # at most one line, a warning naming the file (http-cache.sqlite is no longer read at all)
    lines = err.splitlines()
    assert len(lines) <= 1
    assert all(line.startswith("evgrade: warning: ") and name in line for line in lines)
    assert lines or name == "http-cache.sqlite"
