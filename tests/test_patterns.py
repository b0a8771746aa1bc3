"""Compiled patterns kept between runs (evgrade/_patterns.py): what is kept must compile to
exactly what re.compile makes, and a damaged or foreign file must cost time, never a result."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import _sre
import pytest
from array import array

from evgrade import _patterns

ROOT = Path(__file__).resolve().parents[1]

SAMPLES = [
    (r"\b(?:trial|review)s?\b", re.I),
    (r"(?P<year>\d{4})-(?P<month>\d\d)", 0),
    (r"^\s*(?:#+)\s*(.+?)\s*$", re.M),
    (r"""(?x) \d+ (?:[.,]\d+)?  \s?%  # a share""", 0),
    ("caf\u00e9|na\u00efve", re.I | re.S),
]


@pytest.fixture
def store(tmp_path: Path):
    _patterns.use(tmp_path)
    yield tmp_path
    _patterns.use(None)


def _words(code: list[int]) -> str:
    return array(_patterns._CODE, code).tobytes().hex()


def _code(words: str) -> list[int]:
    return array(_patterns._CODE, bytes.fromhex(words)).tolist()


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> bool:
    return a == b and a.groups == b.groups and a.groupindex == b.groupindex


def _afresh_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = _patterns._afresh

    def counted(store, key):
        calls.append(key[0])
        return real(store, key)

    monkeypatch.setattr(_patterns, "_afresh", counted)
    return calls


def test_off_until_used_it_is_re_compile(tmp_path: Path) -> None:
    _patterns.use(None)
    assert _patterns.compile(r"a+b", re.I) is re.compile(r"a+b", re.I)   # re's own cache
    _patterns.save()
    assert not list(tmp_path.iterdir())


def test_a_kept_program_compiles_to_what_re_makes(store: Path, monkeypatch) -> None:
    first = [_patterns.compile(p, f) for p, f in SAMPLES]
    _patterns.save()
    path = _patterns.file_for(store)
    assert path.is_file()
    _patterns.use(store)
    calls = _afresh_calls(monkeypatch)
    again = [_patterns.compile(p, f) for p, f in SAMPLES]
    assert calls == []   # every one from the file
    for (pattern, flags), a, b in zip(SAMPLES, first, again):
        assert _same(a, b) and _same(b, re.compile(pattern, flags))
        assert b.search("Caf\u00c9 2024-05 Trials 12,5 %") or pattern.startswith("^")
    before = path.read_bytes()
    _patterns.save()   # nothing compiled afresh: the file is left as it was
    assert path.read_bytes() == before


def test_within_a_run_a_pattern_is_compiled_once(store: Path) -> None:
    assert _patterns.compile(r"x(y)z") is _patterns.compile(r"x(y)z")


def test_every_pattern_of_a_real_run_is_kept_exactly(tmp_path: Path) -> None:
    # a run of the bundled example fills the file; each program in it rebuilds the very
    # pattern re.compile makes, and a second run, from the file, prints the same bytes
    env = {"EVGRADE_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    argv = [sys.executable, "-m", "evgrade", "score", "--format", "json", "--fail-on", "never"]
    cold = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)
    path = _patterns.file_for(tmp_path / "cache")
    rows = json.loads(path.read_text())["patterns"]
    assert len(rows) > 300
    for pattern, flags, final, words, groups, groupindex, indexgroup in rows:
        kept = _sre.compile(pattern, final, _code(words), groups, groupindex, tuple(indexgroup))
        assert _same(kept, re.compile(pattern, flags)), pattern
    written = path.stat().st_mtime_ns
    warm = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)
    assert warm.stdout == cold.stdout
    assert path.stat().st_mtime_ns == written   # the warm run compiled nothing afresh
    off = subprocess.run(argv, cwd=ROOT, env={**env, "EVGRADE_NO_CACHE": "1"}, capture_output=True,
                         check=True)
    assert off.stdout == cold.stdout


@pytest.mark.parametrize("damage", [
    b"{not json", b"[]", b'{"header": {"format": 1}, "patterns": []}', b"\xff\xfe", b"[" * 100_000])
def test_an_unreadable_file_is_replaced(store: Path, damage: bytes) -> None:
    path = _patterns.file_for(store)
    path.write_bytes(damage)
    _patterns.use(store)
    assert _same(_patterns.compile(r"(a|b)+c"), re.compile(r"(a|b)+c"))
    _patterns.save()
    assert json.loads(path.read_text())["patterns"][0][0] == "(a|b)+c"


def test_a_program_the_engine_rejects_is_compiled_afresh(store: Path, monkeypatch) -> None:
    _patterns.compile(r"ab+c")
    _patterns.compile(r"(d)e")
    _patterns.save()
    path = _patterns.file_for(store)
    data = json.loads(path.read_text())
    for row in data["patterns"]:
        row[3] = _words([999_999, 1, 2]) if row[0] == "ab+c" else "not hex"
    data["patterns"].append(["orphan", "flags", 0])
    data["patterns"].append(["kept as it is", 0, 0, 12, 0, {}, []])
    path.write_text(json.dumps(data))
    _patterns.use(store)
    calls = _afresh_calls(monkeypatch)
    assert _same(_patterns.compile(r"ab+c"), re.compile(r"ab+c"))
    assert _same(_patterns.compile(r"(d)e"), re.compile(r"(d)e"))
    assert calls == ["ab+c", "(d)e"]
    _patterns.save()   # and the file is mended
    _patterns.use(store)
    calls.clear()
    _patterns.compile(r"ab+c")
    assert calls == []


def test_another_pythons_file_is_not_used(store: Path, monkeypatch) -> None:
    _patterns.compile(r"q+")
    _patterns.save()
    path = _patterns.file_for(store)
    data = json.loads(path.read_text())
    data["header"]["python"] = "2.7.18"
    path.write_text(json.dumps(data))
    _patterns.use(store)
    calls = _afresh_calls(monkeypatch)
    _patterns.compile(r"q+")
    assert calls == ["q+"]


def test_what_is_kept_is_bounded(store: Path, monkeypatch) -> None:
    monkeypatch.setattr(_patterns, "BUDGET", 200)
    for n in range(40):
        _patterns.compile(rf"word{n}\d+")
    _patterns.save()
    rows = json.loads(_patterns.file_for(store).read_text())["patterns"]
    assert 0 < len(rows) < 40
    assert sum(len(r[0]) + len(_code(r[3])) for r in rows) <= 200
    assert rows[0][0] == r"word0\d+"   # in the order the run used them


def test_a_folder_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    _patterns.use(blocker / "cache")
    try:
        assert _same(_patterns.compile(r"z{2,}"), re.compile(r"z{2,}"))
        _patterns.save()
    finally:
        _patterns.use(None)
    assert blocker.read_text() == ""


def test_bytes_and_debug_patterns_are_not_kept(store: Path) -> None:
    assert _patterns.compile(rb"\d+").pattern == rb"\d+"
    _patterns.save()
    assert not _patterns.file_for(store).exists()


def test_a_fifo_or_folder_in_its_place_does_not_block(store: Path) -> None:
    import os

    path = _patterns.file_for(store)
    os.mkfifo(path)
    _patterns.use(store)   # a FIFO is not opened for reading: this would block
    assert _same(_patterns.compile(r"f+"), re.compile(r"f+"))
    path.unlink()
    path.mkdir()
    _patterns.use(store)
    assert _same(_patterns.compile(r"g+"), re.compile(r"g+"))
    _patterns.save()   # cannot replace a folder: no error
    assert path.is_dir()


def test_without_cpythons_engine_nothing_is_kept(tmp_path: Path, monkeypatch) -> None:
    class Elsewhere:   # an engine with none of CPython's constants
        compile = staticmethod(_sre.compile)

    monkeypatch.setattr(_patterns, "_sre", Elsewhere)
    assert _patterns._code_type() is None
    monkeypatch.setattr(_patterns, "_CODE", None)
    _patterns.use(tmp_path)
    try:
        assert _same(_patterns.compile(r"k+"), re.compile(r"k+"))
        _patterns.save()
    finally:
        _patterns.use(None)
    assert not list(tmp_path.iterdir())


def test_the_file_is_read_only_when_a_pattern_is_compiled(store: Path, monkeypatch) -> None:
    read: list[Path] = []
    real = _patterns._read
    monkeypatch.setattr(_patterns, "_read", lambda path: read.append(path) or real(path))
    _patterns.use(store)
    _patterns.save()
    assert read == []   # a command that compiles nothing (evgrade codes) reads nothing
    _patterns.compile(r"r+")
    _patterns.compile(r"s+")
    assert read == [_patterns.file_for(store)]


def test_the_folder_is_asked_for_at_the_first_pattern(tmp_path: Path) -> None:
    asked: list[int] = []
    _patterns.use(lambda: asked.append(1) or tmp_path)
    try:
        _patterns.save()
        assert asked == []   # no pattern, no question (and no platformdirs import)
        _patterns.compile(r"t+")
        _patterns.compile(r"u+")
        assert asked == [1]
        _patterns.save()
    finally:
        _patterns.use(None)
    assert _patterns.file_for(tmp_path).is_file()
    _patterns.use(lambda: None)   # EVGRADE_NO_CACHE: nothing kept
    try:
        assert _same(_patterns.compile(r"v+"), re.compile(r"v+"))
        _patterns.save()
    finally:
        _patterns.use(None)


def test_every_cache_finds_the_same_folder(tmp_path: Path, monkeypatch) -> None:
    # the parsed bibliographies, the lookups and the kept patterns live under one folder,
    # found the same way (evgrade/_cachedir.py)
    from evgrade._cachedir import cache_folder
    from evgrade.config import BIB_CACHE, bibliography_cache
    from evgrade.resolve import default_cache_dir

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("EVGRADE_CACHE_DIR", " ~/caches ")
    monkeypatch.delenv("EVGRADE_NO_CACHE", raising=False)
    assert default_cache_dir() == cache_folder() == tmp_path / "caches"
    assert bibliography_cache() == tmp_path / "caches" / BIB_CACHE
    assert bibliography_cache(tmp_path / "mine") == tmp_path / "mine" / BIB_CACHE
    monkeypatch.setenv("EVGRADE_NO_CACHE", "1")
    assert cache_folder() is None and bibliography_cache() is None
    assert default_cache_dir() == tmp_path / "caches"   # lookups have --offline / --refresh instead


def test_turned_on_before_anything_else_is_imported(tmp_path: Path) -> None:
    # reading the file goes through _files, which imports errors: errors (the root of the
    # imports) must not compile a pattern at import, or the first compile re-enters it
    script = ("import sys; from pathlib import Path; from evgrade import _patterns; "
              "_patterns.use(Path(sys.argv[1])); import evgrade.pipeline; "
              "from evgrade.errors import one_line; print(one_line('a\\rb\\x85c\\xa0'))")
    for _ in range(2):   # no file yet, then the file the first run wrote
        done = subprocess.run([sys.executable, "-c", script + "; _patterns.save()", str(tmp_path)],
                              cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "a\\x0db\\x85c\u00a0\n"
    assert _patterns.file_for(tmp_path).is_file()
