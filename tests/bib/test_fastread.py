"""The fast entry reader (evgrade/bib/_fastread.py) reads what pybtex's own parser reads.

On every entry block of every real export in ../shared/fixtures/bibtex (bbt-import: MIT;
iridia: CC0, loaded with its @string files first; see each SOURCE.txt) and on generated
blocks: whenever the fast reader gives a result it is pybtex's (command, key, every field's
name and value parts, the undefined macros, and what the macros added), and it gives one
for nearly every real block. When it gives none, pybtex reads the block."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.exceptions import PybtexError

from evgrade.bib._fastread import read_entry
from evgrade.bib.parse import ExpansionBudget, _Parser, new_macros, parse_string_block
from evgrade.bib.split import split_blocks

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
BBT = SHARED / "fixtures" / "bibtex" / "bbt-import"
IRIDIA = SHARED / "fixtures" / "bibtex" / "iridia"
IRIDIA_SET = [IRIDIA / n for n in ("abbrev.bib", "journals.bib", "authors.bib", "crossref.bib",
                                   "biblio.bib", "articles.bib")]
N = int(os.environ.get("EVGRADE_PROPERTY_EXAMPLES", "200"))


def pybtex_reading(text: str, macros) -> tuple | None:
    """What evgrade's pybtex parser gives for an entry block (caps out of reach), or None
    when it raises."""
    budget = ExpansionBudget(10**9)
    parser = _Parser(text, macros, budget)
    try:
        command, body = next(iter(parser))
    except (PybtexError, StopIteration, RecursionError):
        return None
    if command.lower() in ("string", "preamble"):
        return None
    key, fields = body
    used = budget.total - budget.left
    return command, key, [(n, list(p)) for n, p in fields], parser.undefined, used


def fast_reading(text: str, macros) -> tuple | None:
    fast = read_entry(text, macros)
    if fast is None:
        return None
    command, key, fields, undefined, added = fast
    return command, key, fields, undefined, sum(added)


def compare(text: str, macros) -> bool:
    """True when the fast reader read the block (then it must agree with pybtex)."""
    fast = fast_reading(text, macros)
    if fast is not None:
        assert fast == pybtex_reading(text, macros), text[:300]
    return fast is not None


def test_every_real_entry_block_reads_as_pybtex_reads_it() -> None:
    read = total = 0
    for group in [[p] for p in sorted(BBT.glob("*.bib"))] + [IRIDIA_SET]:
        macros = new_macros()
        for path in group:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
            for block in split_blocks(text):
                if block.kind == "string":
                    try:
                        parse_string_block(block, macros)
                    except Exception:
                        pass
                elif block.kind == "entry":
                    total += 1
                    read += compare(block.text, macros)
    assert total > 16_000
    assert read / total > 0.99, (read, total)


# ------------------------------------------------------------------ generated blocks

_SPACE = st.sampled_from([" ", "", "\n", "\t", "  ", "\u00a0", "\u2003", "\r\n"])
_NAMES = st.sampled_from(["title", "author", "Year", "journal", "x-y.z", "a1", "@b", "note",
                          "1bad", "t;x", "und", "jan"])
_TEXT = st.text(alphabet='ab {}"#,=()@%\\~\n', max_size=12)  # anything, often unbalanced
_PLAIN = st.text(alphabet='ab #,=()@%\\~\n\u00e9', max_size=8)
_BALANCED = st.recursive(st.text(alphabet='ab "#,=()@%\\~\n', max_size=6),
                         lambda inner: st.lists(inner, max_size=3).map(lambda xs: "{" + "".join(xs) + "}"),
                         max_leaves=6)
_PART = st.one_of(
    st.lists(st.one_of(_PLAIN, _BALANCED), max_size=3).map(lambda xs: "{" + "".join(xs) + "}"),
    st.lists(st.one_of(_PLAIN, _BALANCED), max_size=3).map(lambda xs: '"' + "".join(xs) + '"'),
    _TEXT.map(lambda t: "{" + t + "}"),
    _TEXT.map(lambda t: '"' + t + '"'),
    st.sampled_from(["2020", "12", "jan", "mar", "jpsy", "undefinedmacro", "A#B", "x"]),
    _TEXT,
)
_VALUE = st.lists(st.tuples(_SPACE, _PART), min_size=1, max_size=3).map(
    lambda parts: " # ".join(s + p for s, p in parts))
_FIELD = st.tuples(_SPACE, _NAMES, _SPACE, st.sampled_from(["=", "=", "=", "", "=="]), _SPACE,
                   _VALUE, st.sampled_from([",", ",", "", ",,", " ,"])).map("".join)
_BLOCK = st.tuples(
    st.sampled_from(["@article", "@article", "@ Book", "@misc", "@string", "@comment", "@in;proc"]),
    _SPACE, st.sampled_from(["{", "{", "("]), _SPACE,
    st.sampled_from(["key", "key", "k:1", "k}", "k)", "", "a=b", "K-2", "Clé"]),
    st.sampled_from([",", ",", "", " ,"]),
    st.lists(_FIELD, max_size=4).map("".join), _SPACE,
    st.sampled_from(["}", "}", ")", "", "}}", ") x", "}\n\n"]),
).map("".join)


@settings(max_examples=N, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=_BLOCK)
def test_generated_blocks_read_as_pybtex_reads_them(text: str) -> None:
    macros = new_macros()
    macros["jpsy"] = "Journal of Psychology"
    compare(text, macros)


# ------------------------------------------------------------------ names

def pybtex_names(raw: str) -> list[str]:
    """Names as evgrade read them through pybtex alone (split_name_list, then Person)."""
    import pybtex.errors
    from pybtex.bibtex.utils import split_name_list
    from pybtex.database import Person

    from evgrade.bib.latex import latex_to_text
    from evgrade.bib.parse import format_person

    out = []
    for name in split_name_list(raw):
        with pybtex.errors.capture():
            try:
                out.append(format_person(Person(name)))
            except PybtexError:
                out.append(latex_to_text(name))
    return out


def fast_names(raw: str) -> list[str]:
    from evgrade.bib.parse import _split_name, split_names
    return [_split_name(name) for name in split_names(raw)]


def test_every_real_name_list_splits_as_pybtex_splits_it() -> None:
    from pybtex.textutils import normalize_whitespace

    from evgrade.bib.parse import _plain_person
    lists = plain = 0
    for path in sorted(BBT.glob("*.bib")) + IRIDIA_SET:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        macros = new_macros()
        for block in split_blocks(text):
            fast = read_entry(block.text, macros) if block.kind == "entry" else None
            for name, parts in (fast[2] if fast else ()):
                if name.lower() in ("author", "editor"):
                    raw = normalize_whitespace("".join(parts))
                    assert fast_names(raw) == pybtex_names(raw), raw
                    lists += 1
                    plain += all(_plain_person(n) is not None for n in raw.split(" and "))
    assert lists > 15_000 and plain / lists > 0.75, (plain, lists)


_NAME_TEXT = st.text(alphabet="aBcD é-.,~' `\\{}\t", max_size=30)


@settings(max_examples=N, deadline=None, database=None, derandomize=True)
@given(names=st.lists(_NAME_TEXT, max_size=4), joiner=st.sampled_from([" and ", " AND ", " aNd "]))
def test_generated_names_split_as_pybtex_splits_them(names: list[str], joiner: str) -> None:
    from pybtex.textutils import normalize_whitespace
    raw = normalize_whitespace(joiner.join(names))
    assert fast_names(raw) == pybtex_names(raw)
