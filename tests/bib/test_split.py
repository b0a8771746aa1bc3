"""Where the splitter ends a {...} block, at every nesting depth.

The string-operation shortcut (``_quick_end``) deletes one level of "{}" pairs per round;
a title nested thousands deep made those rounds quadratic (55 s for 200 KB in
benchmarks/bench_pathological.py, "bib: deep braces, one entry"). Past a few levels the
block is left to the brace-by-brace scan, which gives the same end.
"""

from __future__ import annotations

import pytest

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
