"""Property-based tests (hypothesis): whatever bytes the bibliography loader, the claim-map
loader, the rubric loader or the config loader are handed, they end in a result or an
``EvgradeError`` with a one-line message, never another exception (issue 9).

Inputs are random bytes, and text built from the pieces these formats are made of
(including lines of the real bundled files), so that most examples get past the first
syntax check. Example counts are bounded so the suite stays fast. There is no per-example
deadline: a deadline is a timing assertion, which fails on a loaded machine; how time
grows with input size is measured by benchmarks/bench_pathological.py instead. No example
database is written (``database=None``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evgrade.bib import load_bibliography
from evgrade.bib.parse import MAX_VALUE_CHARS
from evgrade.config import Config, find_config
from evgrade.errors import EvgradeError
from evgrade.grade.rubric import load_rubric, parse_rubric
from evgrade.link.claimmap import ClaimMap, load_claim_map

ROOT = Path(__file__).resolve().parents[2]
REAL_MAP_LINES = (ROOT / "articles" / "claims.toml").read_text(encoding="utf-8").splitlines()
REAL_RUBRIC_LINES = (ROOT / "rubrics" / "default.toml").read_text(encoding="utf-8").splitlines()
BIB = ROOT.parent / "shared" / "fixtures" / "bibtex" / "bbt-import"
REAL_BIB_LINES = (BIB / "Math markup to unicode not always imported correctly #472.bib").read_text(encoding="utf-8").splitlines()

# EVGRADE_PROPERTY_EXAMPLES=5000 runs a longer search locally, and EVGRADE_PROPERTY_RANDOM=1
# a new random one each run (how the control character in a rubric key below was found);
# by default the search is the same every run, so CI never fails on a lucky draw
N = int(os.environ.get("EVGRADE_PROPERTY_EXAMPLES", "200"))
EXAMPLES = settings(max_examples=N, deadline=None, database=None,
                    derandomize=not os.environ.get("EVGRADE_PROPERTY_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow])


def ends_well(call: Callable[[], Any]) -> Any:
    """The result of ``call``, or the EvgradeError it raised (checked to be one line)."""
    try:
        return call()
    except EvgradeError as exc:
        assert "\n" not in str(exc) and "\r" not in str(exc), repr(str(exc))
        return exc


def in_temp_file(name: str, data: bytes, use: Callable[[Path], Any]) -> Any:
    with tempfile.TemporaryDirectory(prefix="evgrade-prop-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return use(path)


def joined(pieces: list[str], max_size: int = 30) -> st.SearchStrategy[str]:
    """Text made of ``pieces`` (and short random text), in any order, up to ``max_size``."""
    atom = st.sampled_from(pieces) | st.text(max_size=4)
    return st.lists(atom, max_size=max_size).map("".join)


def encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    # surrogates cannot be encoded: let them through as the replacement bytes a file would hold
    return text.map(lambda t: t.encode("utf-8", "surrogatepass"))


# ------------------------------------------------------------------ bibliographies

BIB_PIECES = [
    "@", "@article", "@Article{", "@string", "@string{", "@STRING(", "@preamble{", "@comment{",
    "@misc(", "{", "}", "{{", "}}", "(", ")", '"', "#", " # ", ",", "=", " = ", " ", "\n", "\t",
    "%", "% comment\n", "key", "k1", "k2", "title", "title = ", "crossref", "crossref = {k1}",
    "author", "author = {", " and ", "others", "editor", "year = 2020", "month = jan", "jan",
    "a0", "a1", "a0 # a0", "\\", "\\'", "\\'e", "\\{", "\\}", "\\$", "\\%", "\\emph{", "\\url{",
    "\\href{x}{", "$", "$\\alpha$", "~", "--", "``", "''", "{\\\"o}", "{\\v R}", "é", "ß",
    "\u00a0", "\u2028", "\x00", "\x01", "\x02", "\x03", "\x1b[2J", "\ue000", "\U0010fffd",
    "\U0001f600", "doi = {10.1000/xyz}", "pmid = 123", "url = {http://x.org/a\\%20b}",
    "\r\n", "\r", "\ufeff",
]


def _entry(parts: tuple[str, str, list[tuple[str, str]]]) -> str:
    kind, key, fields = parts
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


bib_values = (joined(BIB_PIECES, 12).map(lambda v: "{" + v + "}")
              | joined(BIB_PIECES, 12).map(lambda v: '"' + v + '"')
              | st.sampled_from(["a0", "a1 # a0", "jan", "2020", "undefined # {x}", "a0 # a0 # a0"]))
bib_entries = st.tuples(
    st.sampled_from(["article", "book", "inbook", "misc", "string", "online"]),
    st.sampled_from(["k1", "k2", "K1", "k3", "a0", "a1"]) | st.text(max_size=6),
    st.lists(st.tuples(st.sampled_from(["title", "author", "editor", "crossref", "year", "doi",
                                        "journal", "note", "a0", "a1", "url"]), bib_values),
             max_size=5),
).map(_entry)
bib_texts = st.lists(bib_entries | joined(BIB_PIECES) | st.sampled_from(REAL_BIB_LINES),
                     max_size=8).map("\n".join)


def _check_bibliography(result: Any, path: Path) -> None:
    if isinstance(result, EvgradeError):
        return
    for key, ref in result.entries.items():
        assert ref.key == key and ref.location is not None and ref.location.path == str(path)
        assert all(len(v) <= MAX_VALUE_CHARS for v in ref.fields.values())
    for finding in result.findings:
        assert finding.path == str(path) and finding.code.startswith("EV")


@EXAMPLES
@given(data=st.binary(max_size=3000))
def test_bibliography_from_random_bytes(data: bytes) -> None:
    def use(path: Path) -> None:
        _check_bibliography(ends_well(lambda: load_bibliography(path)), path)
    in_temp_file("random.bib", data, use)


@EXAMPLES
@given(text=bib_texts)
def test_bibliography_from_bib_pieces(text: str) -> None:
    def use(path: Path) -> None:
        full = ends_well(lambda: load_bibliography(path))
        _check_bibliography(full, path)
        if not isinstance(full, EvgradeError):
            some = list(full.entries)[:2]
            part = load_bibliography(path, keys=some)
            assert set(some) <= set(part.entries)
    in_temp_file("pieces.bib", text.encode("utf-8", "surrogatepass"), use)


@settings(EXAMPLES, max_examples=max(1, N * 3 // 10))  # each example writes the cache (fsync): fewer of them
@given(text=bib_texts)
def test_the_bibliography_cache_changes_nothing(text: str) -> None:
    def use(path: Path) -> None:
        full = ends_well(lambda: load_bibliography(path))
        cold = ends_well(lambda: load_bibliography(path, cache_dir=path.parent / "cache"))
        warm = ends_well(lambda: load_bibliography(path, cache_dir=path.parent / "cache"))
        if not isinstance(full, EvgradeError):
            assert cold == full and warm == full
    in_temp_file("cached.bib", text.encode("utf-8", "surrogatepass"), use)


@settings(EXAMPLES, max_examples=max(1, N // 2))  # two files per example
@given(first=bib_texts, second=bib_texts)
def test_two_bibliographies_sharing_macros(first: str, second: str) -> None:
    with tempfile.TemporaryDirectory(prefix="evgrade-prop-") as folder:
        paths = [Path(folder) / "abbrev.bib", Path(folder) / "refs.bib"]
        for path, text in zip(paths, (first, second)):
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        result = ends_well(lambda: load_bibliography(paths))
        if not isinstance(result, EvgradeError):
            assert result.paths == tuple(map(str, paths))


# ------------------------------------------------------------------ claim maps

TOML_PIECES = [
    "[[claims]]", "[claims]", "[[claims]]\n", "quote = ", "keys = [", "]", "[", "article = ",
    "note = ", "version = ", "version = 1", "version = 2", "claims = [", "{", "}", "=", " = ",
    ",", '"', "'", '"""', "'''", "\\", "\\n", "\\u0000", "\\\"", "#", "# comment", "\n", "\r\n",
    "\t", " ", "1", "1.5", "true", "2024-01-01", "inf", "nan", '"Smith2020"', '"a b"', '""',
    "\x00", "\x1b", "\ue000", "é", "\ufeff", "a.b", '"k"', "[a]", "[[a.b]]",
]


def _toml_value(depth: int = 2) -> st.SearchStrategy[str]:
    scalars = st.sampled_from(["1", "-0", "1.5", "1e400", "true", "false", "1979-05-27",
                               "07:32:00", "1979-05-27T07:32:00Z", "'x'", '""', "inf", "nan"])
    scalars = scalars | st.text(max_size=12).map(json.dumps)
    if depth == 0:
        return scalars
    inner = _toml_value(depth - 1)
    arrays = st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
    tables = st.lists(st.tuples(st.sampled_from(["a", "b", '"c d"', "quote", "keys"]), inner),
                      max_size=3).map(lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}")
    return scalars | arrays | tables


def _toml_lines(keys: list[str], real: list[str]) -> st.SearchStrategy[str]:
    assignment = st.tuples(st.sampled_from(keys) | st.text(max_size=5).map(json.dumps),
                           _toml_value()).map(lambda kv: f"{kv[0]} = {kv[1]}")
    line = assignment | st.sampled_from(real) | joined(TOML_PIECES)
    return st.lists(line, max_size=15).map("\n".join)


map_texts = _toml_lines(["quote", "keys", "article", "note", "version", "claims", "extra"],
                        REAL_MAP_LINES)


@EXAMPLES
@given(data=st.binary(max_size=2000) | encoded(map_texts))
def test_claim_map_from_random_input(data: bytes) -> None:
    def use(path: Path) -> None:
        result = ends_well(lambda: load_claim_map(path))
        if isinstance(result, ClaimMap):
            assert all(entry.quote for entry in result.entries)
    in_temp_file("claims.toml", data, use)


# ------------------------------------------------------------------ rubrics

rubric_texts = _toml_lines(["name", "title", "description", "unknown", "levels", "designs",
                            "label", "minimums", "statistic", "efficacy"], REAL_RUBRIC_LINES)


@EXAMPLES
@given(text=rubric_texts)
def test_rubric_from_rubric_pieces(text: str) -> None:
    ends_well(lambda: parse_rubric(text, source="prop.toml"))


@EXAMPLES
@given(data=st.binary(max_size=2000) | encoded(rubric_texts))
def test_rubric_file_from_random_input(data: bytes) -> None:
    in_temp_file("rubric.toml", data, lambda path: ends_well(lambda: load_rubric(path)))


def test_a_control_character_in_a_rubric_key_stays_inside_one_line(tmp_path: Path) -> None:
    """Found by the random search: the TOML key "\\r" was quoted raw in the error."""
    path = tmp_path / "rubric.toml"
    path.write_bytes(b'"\\r"=0')
    error = ends_well(lambda: load_rubric(path))
    assert isinstance(error, EvgradeError) and "\\x0d: unknown field" in str(error)


# ------------------------------------------------------------------ configuration

CONFIG_KEYS = ["bibliography", "rubric", "map", "articles", "fail-on", "ignore", "unused",
               "mailto", "cache-dir", "source", "tool", "evgrade", "resolve", "sources",
               "pubmed-url", "source-settings", "url", "rps", "list-rps", "concurrency"]
config_texts = _toml_lines(CONFIG_KEYS, [
    "[tool]", "[tool.evgrade]", "[[tool.evgrade]]", "[tool.other]", "[resolve]",
    "[tool.evgrade.resolve]", "[tool.evgrade.resolve.source-settings.crossref]",
    "[resolve.source-settings.pubmed]", 'sources = ["crossref"]', 'url = "https://x.example"',
    'fail-on = "error"', 'ignore = ["EV204"]', "unused = true", 'bibliography = ["refs.bib"]'])


@EXAMPLES
@given(name=st.sampled_from(["evgrade.toml", "pyproject.toml"]),
       data=st.binary(max_size=1000) | encoded(config_texts))
def test_config_from_random_input(name: str, data: bytes) -> None:
    def use(path: Path) -> None:
        result = ends_well(lambda: find_config(path.parent))
        if isinstance(result, Config) and result.source:
            assert result.source == str(path)
    in_temp_file(name, data, use)
