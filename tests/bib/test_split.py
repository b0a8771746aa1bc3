"""Where the splitter ends a {...} block, at every nesting depth.

The string-operation shortcut (``_quick_end``) deletes one level of "{}" pairs per round;
a title nested thousands deep made those rounds quadratic (55 s for 200 KB in
benchmarks/bench_pathological.py, "bib: deep braces, one entry"). Past a few levels the
block is left to the brace-by-brace scan, which gives the same end.
"""

from __future__ import annotations

import pytest

from bib_support import every_fixture_bib

from evgrade.bib.split import _ROUNDS, _quick_end, split_blocks


def nested(depth: int) -> str:
    return "@misc{e0, title = " + "{" * depth + "x" + "}" * depth + "}\n@article{k, title = {Coffee}}\n"


def scan_end(text: str, pos: int) -> int:
    """The reference: count braces one by one."""
    depth = 0
    for i in range(pos, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            if depth == 0:
                return i + 1
            depth -= 1
    return -1


@pytest.mark.parametrize("depth", [1, 2, _ROUNDS - 1, _ROUNDS, _ROUNDS + 1, 50, 5000])
def test_a_nested_title_ends_its_block_where_the_braces_balance(depth: int) -> None:
    text = nested(depth)
    first, second = split_blocks(text)
    assert first.terminated and first.end == scan_end(text, text.index("{") + 1)
    assert (second.key, second.terminated) == ("k", True)


@pytest.mark.parametrize("depth", [_ROUNDS + 1, 5000])
def test_deep_nesting_is_left_to_the_scan(depth: int) -> None:
    text = nested(depth)
    assert _quick_end(text, text.index("{") + 1) == -1


def test_shallow_nesting_takes_the_shortcut() -> None:
    text = nested(_ROUNDS - 1)
    body = text.index("{") + 1
    assert _quick_end(text, body) == scan_end(text, body)


def _cases() -> list[str]:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "bibtex" / "bbt-import"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.bib"))[:25]]
    return texts + ["a@b\n@\n  @x{\n\t@Article (k,\n @ string{", "\n" * 5 + "@a{" + " @" * 50 + "\n @b{x,}",
                    "x@article{a,}\n@@misc{b,}\n@9{c,}\n@m:i-s.c {d,}", ""]


@pytest.mark.parametrize("text", _cases())
def test_the_next_block_line_is_where_the_pattern_finds_it(text: str) -> None:
    # _new_block_at finds "the next line that opens a block" with str.find; the pattern
    # it stands in for is the definition, tried from every offset
    from evgrade.bib.split import _NEW_BLOCK_AT, _new_block_at

    step = max(1, len(text) // 3000)
    for pos in range(0, len(text) + 1, step):
        m = _NEW_BLOCK_AT.search(text, pos)
        assert _new_block_at(text, pos) == (m.start() if m else len(text)), pos


@pytest.mark.parametrize("text", _cases() + ["%x@a{b,}\n  % @c{d,}\n\t%\n@e{f,}", "50% @a{b,}\n%@c{d,}",
                                             "@\n% c\n %@x{y,}\n%"])
def test_the_next_head_is_where_the_pattern_finds_it(text: str) -> None:
    # _next_head stands in for _NEXT.search (a %-comment line, a block head, or a lone "@")
    from evgrade.bib.split import _NEXT, _next_head

    step = max(1, len(text) // 3000)
    for pos in range(0, len(text) + 1, step):
        m = _NEXT.search(text, pos)
        want = None if m is None else (m.start(), m.end(), m.group(1), m.group(2))
        at = text.find("@", pos)
        assert _next_head(text, pos, len(text) if at < 0 else at) == want, pos


def test_comment_lines_before_a_far_entry_are_read_once() -> None:
    # the "@" after thousands of %-comment lines is looked for once, not after each line
    # (the counts are what the split gives; the time is in bench_pathological.py)
    text = "% a comment line\n" * 5000 + "@article{a, title={T}}\n" + "% more\n" * 5000
    blocks = split_blocks(text)
    assert [(b.kind, b.key, b.line) for b in blocks] == [("entry", "a", 5001)]


def _scan_only_end(text: str, pos: int) -> tuple[int, bool]:
    """_find_end with the shortcut switched off: the brace-by-brace scan alone."""
    from evgrade.bib import split

    real = split._quick_end
    split._quick_end = lambda *args: -1   # type: ignore[assignment]
    try:
        return split._find_end(text, pos, "{")
    finally:
        split._quick_end = real


def test_the_shortcut_ends_every_block_where_the_scan_does() -> None:
    # random texts of braces, "@"s, new-block lines and junk: whichever window the
    # shortcut takes, its end is the scan's
    import random

    from evgrade.bib.split import _find_end

    pick = random.Random(16)
    parts = ["{", "}", "@", "@misc{", "\n@b{", "\n  @c(", " a@b ", "x", "\n", "}}", "{{"]
    for _ in range(4000):
        text = "@a{" + "".join(pick.choice(parts) for _ in range(pick.randrange(0, 30)))
        assert _find_end(text, 3, "{") == _scan_only_end(text, 3), text


@pytest.mark.parametrize("unit", ["@misc{k, title={T}} ", "@misc{k, note={a@b@c@d@e}} "])
def test_many_blocks_on_one_line_are_each_found(unit: str) -> None:
    # one line of 3,000 blocks (with "@"s inside their values too): each is found whole;
    # the work stays linear (bench_pathological.py, "bib: entries on one line")
    blocks = split_blocks(unit * 3000)
    assert len(blocks) == 3000
    assert all(b.terminated and b.text == unit.rstrip() for b in blocks)


def _one_by_one(text: str) -> list:
    """The reference for split_blocks: the block-by-block loop over the whole text."""
    from evgrade.bib.split import _split_from

    blocks: list = []
    _split_from(text, 0, len(text), blocks)
    return blocks




def test_pieces_give_the_blocks_of_the_loop_on_every_fixture() -> None:
    # split_blocks takes most pieces between block lines whole (_pieces); on every real
    # .bib file it gives what the block-by-block loop gives, lines and keys included
    texts = every_fixture_bib()
    assert len(texts) > 100
    for text in texts:
        assert split_blocks(text) == _one_by_one(text)


def test_pieces_give_the_blocks_of_the_loop_on_random_texts() -> None:
    # heads with "(" and "{", blanks, %-lines, "@" in values and after blocks, stray and
    # deep braces, characters latin-1 lacks (the skeleton's "?"), a type with a letter the
    # head does not read, lone surrogates
    import random

    pick = random.Random(2026)
    parts = ["\n@misc{k,", "\n  @Article{k2, t={x}}", "\n@c(d, a={)}", "\n@string{s={v}}", "{", "}",
             "@", " x@y ", "\n% @a{b,}", "\n", "{{{{{{{{{", "}}}}}}}}}", "é", "€", "\ud800",
             "\n@artícle{z,", "\n@misc {w, t = {a}b}c{d}}", "\n\t@Comment{x}", "=", ","]
    for _ in range(6000):
        text = "".join(pick.choice(parts) for _ in range(pick.randrange(0, 25)))
        assert split_blocks(text) == _one_by_one(text), repr(text)


def test_a_piece_with_a_stray_brace_ends_where_the_scan_does() -> None:
    # the braces of "{a}b}c{d}" count even but close too early: the block ends at "b}"
    text = "x\n@misc{k, t={a}b}c{d}}\n@misc{j, t={T}}\n"
    first, second = split_blocks(text)
    assert first.text == "@misc{k, t={a}b}" and (first.line, second.line) == (2, 3)
    assert second.key == "j" and second.terminated


@pytest.mark.parametrize("lazy", [False, True])
@pytest.mark.parametrize("with_twice", [False, True])
def test_a_scan_indexes_every_entry_by_its_casefolded_key(with_twice: bool, lazy: bool) -> None:
    # Source.scan builds the index in passes; the reference is one loop over the blocks
    from evgrade.bib._sources import Source
    from evgrade.bib.parse import new_macros

    texts = every_fixture_bib()
    if with_twice:
        texts = [text + "\n" + text for text in texts[:20]]
    texts.append("@a{x,}\n@a{X,}\n@b{,}\n@c{ ,}\n@a{x,}\n@string{s={v}}@string{s={w}}")
    for text in texts:
        source = Source("f.bib", b"", text, [])
        source.scan(new_macros(), lazy=lazy)
        want: dict[str, list[int]] = {}
        for i, b in enumerate(source.blocks):
            if b.kind == "entry":
                want.setdefault("" if b.key is None else b.key.casefold(), []).append(i)
        assert {k: list(at) for k, at in source.by_key.items()} == want
        assert source.info.duplicates == sorted(k for k, at in want.items() if k and len(at) > 1)
