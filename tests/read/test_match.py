"""evgrade.read._match: answers from one pass equal the forward scans they replace.

Each reference below is the scan a reader used to run from every opening
character (which made unclosed brackets quadratic); the tables must agree with
it on every opener of generated text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from evgrade.read._match import BacktickRuns, BracketWalk, Occurrences, match_pairs

TEXTS = st.lists(st.sampled_from(["[", "]", "(", ")", "{", "}", "\\", "`", "``", "```", "\n", "\n\n", "a", " ",
                                  "-->", "$$"]), max_size=40).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)


def scan_bracket_end(text: str, open_: int, end: int) -> int:
    """Markdown: the "]" closing the "[" at open_ (escapes, code spans, a blank line stops)."""
    depth, j = 0, open_
    while j < end:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "`":
            run = len(re.match(r"`+", text[j:end]).group())  # type: ignore[union-attr]
            close = text.find("`" * run, j + run, end)
            j = close + run if close != -1 else j + run
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
        elif c == "\n" and text[j + 1:j + 2] == "\n":
            return -1
        j += 1
    return -1


def scan_pair(text: str, open_: int, end: int, o: str, c: str, blank_line_stops: bool) -> int | None:
    depth = 0
    for j in range(open_, end):
        if text[j] == o:
            depth += 1
        elif text[j] == c:
            depth -= 1
            if depth == 0:
                return j
        elif blank_line_stops and text[j] == "\n" and text[j + 1:j + 2] == "\n":
            return None
    return None


@SETTINGS
@given(TEXTS, st.integers(0, 5), st.integers(0, 5))
def test_bracket_walk(text: str, cut_start: int, cut_end: int) -> None:
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    walk = BracketWalk(text, start, end, BacktickRuns(text, start, end))
    for i in range(start, end):
        if text[i] == "[":
            assert walk.close(i) == scan_bracket_end(text, i, end), i


@SETTINGS
@given(TEXTS, st.booleans())
def test_match_pairs(text: str, blank_line_stops: bool) -> None:
    for o, c in ("()", "[]", "{}"):
        pairs = match_pairs(text, 0, len(text), o, c, blank_line_stops=blank_line_stops)
        for i, ch in enumerate(text):
            if ch == o:
                assert pairs.get(i) == scan_pair(text, i, len(text), o, c, blank_line_stops), (o, i)


@SETTINGS
@given(TEXTS)
def test_backtick_runs(text: str) -> None:
    runs = BacktickRuns(text, 0, len(text))
    # the readers ask from the end of a run of backticks, for a closer of the same length
    # (an inline code span) or of at least that length (a bracket scan skipping code)
    for pos in [m.end() for m in re.finditer("`+", text)]:
        for length in range(1, 5):
            exact = re.compile(r"(?<!`)" + "`" * length + r"(?!`)").search(text, pos)
            assert runs.exactly(length, pos) == (exact.start() if exact else -1)
            assert runs.at_least(length, pos) == text.find("`" * length, pos)
            assert runs.run_end(pos - 1) == pos


@SETTINGS
@given(TEXTS, st.sampled_from(["-->", "$$", "``", "a"]))
def test_occurrences(text: str, needle: str) -> None:
    occ = Occurrences(text, needle)
    for pos in range(len(text) + 1):
        assert occ.find(pos) == text.find(needle, pos)
