"""BlockIndex: the blocks of split_blocks, each made when it is read (bib/_block_index.py)."""

from __future__ import annotations

import random

import pytest

from bib_support import every_fixture_bib

from evgrade.bib._block_index import BlockIndex
from evgrade.bib.split import split_blocks


def _same_as_split(text: str, order: random.Random) -> None:
    want = split_blocks(text)
    index = BlockIndex(text)
    assert index.kinds == [b.kind for b in want]
    assert index.keys == [b.key for b in want]
    asked = list(range(len(want)))
    order.shuffle(asked)   # any order: the line numbers are counted from what is known
    for i in asked[: len(asked) // 2]:
        assert index[i] == want[i], (text[:80], i)
    assert index.every() == want
    assert list(index) == want


def test_every_fixture_gives_the_blocks_of_split_blocks() -> None:
    texts = every_fixture_bib()
    assert len(texts) > 100
    order = random.Random(7)
    for text in texts:
        _same_as_split(text, order)
    _same_as_split("\n".join(texts), order)   # one file of many pieces: the line marks


def test_random_texts_give_the_blocks_of_split_blocks() -> None:
    # the pieces the index reads from their heads and those it splits at once: "@" in
    # values, "(" heads, indented heads, a key that would run into the next piece, a head
    # the splitter does not read, braces that never close, comment lines
    pick = random.Random(2026)
    parts = ["\n@misc{k,", "\n  @Article{k2, t={x}}", "\n@c(d, a={)}", "\n@string{s={v}}", "{", "}",
             "@", " x@y ", "\n% @a{b,}", "\n", "{{{{{{{{{", "}}}}}}}}}", "é", "€", "\ud800",
             "\n@artícle{z,", "\n@misc {w, t = {a}b}c{d}}", "\n\t@Comment{x}", "=", ",",
             "\n@misc{ ", "\n@misc{k = {v}}", "\n@Misc{K,}", "\n@misc\n{n,}", "\n@preamble{p}"]
    order = random.Random(1)
    for _ in range(4000):
        text = "".join(pick.choice(parts) for _ in range(pick.randrange(0, 25)))
        _same_as_split(text, order)


@pytest.mark.parametrize("text", ["", "no blocks", "@misc{a,}", "\n@misc{a,}", "\n@misc{\n@misc{b,}}",
                                  "x\n@misc{a, m={x@y}}\n@misc{b,}",
                                  # runs of pieces split at once, between pieces read from their heads
                                  "x" + "\n@misc{a, m={x@y}}" * 3 + "\n@misc{b,}" * 3 + "\n@misc{c, @}" * 2,
                                  "x" + "\n  @misc{k,}" * 5 + "\n@ x" * 3 + "\n@misc{ " * 4,
                                  "x\n@misc{k, t={" + " @" * 50 + "}}\n@misc{j,}"])
def test_edge_texts(text: str) -> None:
    _same_as_split(text, random.Random(0))


def test_a_load_of_some_keys_makes_only_the_blocks_it_reads(tmp_path) -> None:
    from evgrade.bib._open import open_sources
    from evgrade.bib.load import _select

    body = "".join(f"@article{{key{i},\n  title = {{T{i}}},\n  year = {{2020}}\n}}\n\n" for i in range(3000))
    path = tmp_path / "big.bib"
    path.write_text("@string{j = {J}}\n" + body, encoding="utf-8")
    [src] = open_sources([path], None, some_keys=True)
    assert isinstance(src.blocks, BlockIndex) and len(src.blocks) == 3001
    _select([src], {"key17", "key2999"}, None)
    assert len(src.blocks._made) <= 3   # the @string (split at once: it is the first block) and two
    [whole] = open_sources([path], None)
    assert not isinstance(whole.blocks, BlockIndex)
