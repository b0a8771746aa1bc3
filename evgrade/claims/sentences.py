"""Sentence boundaries with exact offsets.

A rule-based splitter written for health and science prose. pysbd was the
obvious library, but it is slow (about 4 s per MB here), its spans drift when
the text is cleaned, and it is unmaintained since 2021; the benchmark
(benchmarks/bench_claims.py) compares the two on the project's boundary cases
and on speed. The rules: a boundary is a run of terminal punctuation (. ! ? …)
plus closing quotes/brackets, followed by white space and something that can
start a sentence; known abbreviations, initials and decimals are not
boundaries; blank lines, list markers and heading-like lines always are.
"""

from __future__ import annotations

import bisect
import html
import re

from .. import _patterns
from .._citekeys import visible_key_start
from .._text import LineIndex, trimmed
from ..models import Document, Sentence

# Abbreviations after which a period does not end a sentence when a capital
# letter or a number follows ("Dr. Smith", "Fig. 2", "vs. Placebo").
_NEVER_FINAL = frozenset("""
dr mr mrs ms prof sr st rev gen col capt lt sgt
vs cf approx ca e.g i.e viz al resp dept univ inst assoc est avg jan feb mar apr jun jul
aug sep sept oct nov dec mt ft op ed eds trans var
""".split())

# Abbreviations that only abbreviate before a number ("Fig. 2", "No. 5", "p. 12"):
# "The answer was no. Further tests..." ends a sentence.
_BEFORE_NUMBER = frozenset("no nos fig figs p pp vol vols eq eqs ref refs tab ch chap sec suppl".split())

# Abbreviations that may end a sentence: a boundary only when the next word is
# a typical sentence opener ("in the U.S. The drug..." vs "the U.S. Food and
# Drug Administration").
_MAYBE_FINAL = frozenset("""
u.s u.k u.n inc ltd co corp jr phd m.d md ph.d b.sc m.sc a.m p.m min max
""".split())

_OPENERS = frozenset("""
a an the this that these those it its it's he she they we i you there here however but and or so
yet thus therefore moreover furthermore additionally also in on at for from by with as when while
if although though because since after before during many most some several one two three all
each both such our their his her what why how who which where no not other another recent further
notably nonetheless nevertheless overall finally first second third similarly likewise instead
""".split())

_TERMINAL = _patterns.compile(r"(?:[.!?\u2026]+|\.\.\.)[\"'\u201d\u2019)\]]*")
_LIST_MARKER = _patterns.compile(r"[ \t]*(?:[-*+\u2022\u25aa\u2013]|\d{1,3}[.)])[ \t]+")
_BLANK_LINE = _patterns.compile(r"\n[ \t\r]*\n")
_SPACE = _patterns.compile(r"\s+")
_SPACE_BEFORE_PUNCT = _patterns.compile(r"(?<!\s)\s+([.,;:!?)\]])")   # from the start of a space run only
_SPACED_MARKS = tuple(" " + c for c in ".,;:!?)]")   # what it needs once white space is single spaces


_TOKEN = _patterns.compile(r"\s*(\S*)")


def _next_token(text: str, i: int) -> tuple[int, str]:
    """Position and text of the first non-space token at or after i."""
    m = _TOKEN.match(text, i)
    return m.start(1), m.group(1)  # type: ignore[union-attr]


def _starts_sentence(token: str) -> bool:
    stripped = token.lstrip("\"'\u201c\u2018([")
    if not stripped:
        return False
    c = stripped[0]
    return c.isupper() or c.isdigit() or (c in "\u201c\"'\u2018([" )


def _is_boundary(text: str, punct_start: int, punct_end: int,
                 openers: frozenset[int] = frozenset()) -> bool:
    punct = text[punct_start:punct_end]
    at, nxt = _next_token(text, punct_end)
    if not nxt:
        return True
    if not _starts_sentence(nxt) and at not in openers:
        return False
    if not punct.startswith(".") or punct.startswith(".."):
        return True  # ? ! and … followed by a capital, or an ellipsis
    return _period_ends_sentence(text, punct_start, nxt.lstrip("\"'\u201c\u2018(["))


def _period_ends_sentence(text: str, punct_start: int, first: str) -> bool:
    """One period before a token that could start a sentence; ``first`` is that token.

    Not a boundary after abbreviations, initials and the number of a list item.
    """
    word_start, word = _word_before(text, punct_start)
    core = word.lower().rstrip(".").lstrip("(\"'[")
    if core in _NEVER_FINAL or core.replace(".", "") in {"eg", "ie"}:
        return False
    if core in _BEFORE_NUMBER:
        return not first[:1].isdigit()
    if core.isdigit() and word and _starts_line(text, word_start):
        return False  # "1. Screen the patient": a numbered list marker at the start of a line
    # single initials: "J. H. Krystal", but not "vitamin D. Then" (rare, accepted)
    if len(core) == 1 and core.isalpha() and word[-1:].isupper() and not _after_unit_sign(text, word_start):
        return False
    if core in ("min", "max") and _after_number(text, punct_start - len(word)):
        return True  # a unit after a number ends a sentence ("over 40 min. Response...")
    if core in _MAYBE_FINAL or re.fullmatch(r"(?:[a-z]\.)+[a-z]", core):
        # dotted abbreviations such as "U.S." or "a.m.": boundary only before a sentence opener
        return first.lower().strip(",;:") in _OPENERS
    return True


def _after_unit_sign(text: str, at: int) -> bool:
    """A capital right after a degree sign or a digit is a unit ("25\u00b0C.", "5 mg/L."), not an initial."""
    return at > 0 and (text[at - 1] in "\u00b0/" or text[at - 1].isdigit())


def _word_before(text: str, end: int) -> tuple[int, str]:
    """The run of letters, digits, "_", ".", "-" and "'" that ends at ``end`` (or just before
    a newline there), and where it starts; ("", end) when there is none. Scanned
    backwards from ``end``: a regex search would try every start of the run."""
    if end > 0 and text[end - 1] == "\n":
        end -= 1
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-'"):
        start -= 1
    return start, text[start:end]


def _starts_line(text: str, at: int) -> bool:
    """Only white space between the start of the line and ``at``."""
    while at > 0 and text[at - 1] != "\n" and text[at - 1].isspace():
        at -= 1
    return at == 0 or text[at - 1] == "\n"


def _after_number(text: str, word_start: int) -> bool:
    before = text[max(0, word_start - 12):word_start].split()
    return bool(before) and before[-1].replace(".", "").isdigit()


def _heading_line_ends(text: str) -> list[int]:
    """Offsets of line ends that close a heading-like line inside a block.

    A line with no final punctuation, short, followed by a line that starts
    with a capital: a heading or label run into the next paragraph.
    """
    ends: list[int] = []
    pos = 0
    lines = text.split("\n")
    for k, line in enumerate(lines[:-1]):
        end = pos + len(line)
        stripped = line.strip()
        nxt = lines[k + 1].strip()
        if (stripped and nxt and len(stripped) <= 60 and stripped[-1] not in ".,;:!?\u2026-\u2013\u2014("
                and (nxt[0].isupper() or nxt[0].isdigit())
                and not stripped.split()[-1].lower() in _OPENERS
                and (len(stripped) < 0.6 * max(len(nxt), 1) or stripped.istitle())):
            ends.append(end)
        pos = end + 1
    return ends


# A reference marker glued to the end of a sentence: "trials.2 In", "84%.2 The", "clock.[1]",
# "sooner.[2] Experts" (docs/claims.md, section 9). It belongs to the sentence before it.
_GLUED_MARKER = _patterns.compile(r"(?:\[\d{1,3}(?:\s?[,\u2013-]\s?\d{1,3})*\]|\d{1,3}(?:[,\u2013-]\d{1,3})*|"
                           r"[\u00b9\u00b2\u00b3\u2070-\u2079]+)(?=\s|$)")


def _after_glued_marker(text: str, punct_start: int, end: int) -> int:
    """Where a sentence closed by the punctuation at ``punct_start``..``end`` ends when a
    reference marker follows it without a space; -1 when none does. A digit before the
    full stop makes it a decimal point ("2.5 Hz"), never a sentence end."""
    if punct_start == 0 or text[punct_start - 1].isdigit():
        return -1
    m = _GLUED_MARKER.match(text, end)
    return m.end() if m else -1


def split_sentences(text: str, openers: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Split ``text`` into sentences: (start, end) offsets, end exclusive, trimmed.

    ``openers`` are offsets where a token may open a sentence whatever its case: a
    narrative citation's key that the prose keeps ("... before. smith2020 showed")."""
    cuts: set[int] = set()
    for m in _BLANK_LINE.finditer(text):
        cuts.add(m.start())
    for m in re.finditer(r"\n", text):
        if _LIST_MARKER.match(text, m.end()):
            cuts.add(m.start())
    cuts.update(_heading_line_ends(text))
    for m in _TERMINAL.finditer(text):
        end = m.end()
        if end < len(text) and not text[end].isspace():
            end = _after_glued_marker(text, m.start(), end)
            if end < 0:
                continue  # "0.5", "example.com", "U.S.A" inside a token
        if _is_boundary(text, m.start(), end, openers):
            cuts.add(end)
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        s, e = trimmed(text, start, cut)
        if e > s:
            spans.append((s, e))
        start = cut
    return spans


def clean_text(raw: str) -> str:
    """Display text of a sentence: HTML entities decoded ("&nbsp;" left in a copied page),
    whitespace folded, gaps left by removed citations closed."""
    if "&" in raw:
        raw = html.unescape(raw)
    # most sentences hold single spaces only and no space before a mark: then neither
    # substitution changes them (an ASCII printable text has no white space but " ")
    if not (raw.isascii() and raw.isprintable() and "  " not in raw):
        raw = _SPACE.sub(" ", raw)
    if any(mark in raw for mark in _SPACED_MARKS):
        raw = _SPACE_BEFORE_PUNCT.sub(r"\1", raw)
    return raw.strip()


_SENTENCE_BLOCKS = {"prose", "list-item", "heading", "chrome"}


def segment(doc: Document) -> Document:
    """Return ``doc`` with ``sentences`` filled from its prose blocks."""
    index = LineIndex(doc.text)
    sentences: list[Sentence] = []
    keys = sorted(k for c in doc.citations if (k := visible_key_start(c, doc.text)) is not None)
    for b, block in enumerate(doc.blocks):
        if block.kind not in _SENTENCE_BLOCKS:
            continue
        start, end = block.span.start, block.span.end
        chunk = doc.prose[start:end]
        if block.kind in ("heading", "chrome"):
            pieces = [(s, e) for s, e in _line_spans(chunk)]
        else:
            pieces = split_sentences(chunk, _openers_in(keys, start, end))
        for s, e in pieces:
            text = clean_text(chunk[s:e])
            if not text:
                continue
            sentences.append(Sentence(index=len(sentences), span=index.span(start + s, start + e),
                                      text=text, block=b, block_kind=block.kind))
    return doc.model_copy(update={"sentences": tuple(sentences)})


def _openers_in(keys: list[int], start: int, end: int) -> frozenset[int]:
    """The visible citation keys between ``start`` and ``end``, as offsets in that chunk."""
    lo, hi = bisect.bisect_left(keys, start), bisect.bisect_left(keys, end)
    return frozenset(k - start for k in keys[lo:hi])


def _line_spans(chunk: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in chunk.split("\n"):
        s, e = trimmed(chunk, pos, pos + len(line))
        if e > s:
            spans.append((s, e))
        pos += len(line) + 1
    return spans
