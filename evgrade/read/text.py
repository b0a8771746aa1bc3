"""Plain text, typically an article copied from a web page.

Blocks are separated by blank lines. Inside a group of lines with no blank
line between them, each line is its own block unless the group looks like one
hard-wrapped paragraph (web copies put a paragraph on one long line, and the
short lines around it are page furniture: site name, phone, address...).

Classification works on the shape of each block and its neighbours:
the *head* (blocks before the first real paragraph) holds the title, often
repeated and decorated with the site name; short unpunctuated lines in Title
Case, or followed by a paragraph, are headings; contact lines, link lists and
"related posts" sections are chrome (see ``_chrome``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from .. import _patterns
from .._text import LineIndex
from ..models import Block, BlockKind, Document
from . import _chrome
from ._common import Line, Mask, split_lines

_BULLET = _patterns.compile(r"^\s*(?:[-*+\u2022\u25aa\u25e6\u2023\u00b7\u2013]|\d{1,3}[.)]|\(\d{1,2}\)|\(?[a-z][.)])\s+")
_WRAP_MIN = 40          # shorter lines are never soft-wrapped paragraph lines
_HEADING_MAX_WORDS = 14
_PROSE_RESUMES_WORDS = 40  # a paragraph this long ends a chrome section


@dataclass
class _Unit:
    lines: list[Line]
    bullet: bool = False
    kind: BlockKind = "prose"
    reason: str = ""

    @property
    def start(self) -> int:
        first = self.lines[0]
        return first.start + (len(first.text) - len(first.text.lstrip()))

    @property
    def end(self) -> int:
        last = self.lines[-1]
        return last.start + len(last.text.rstrip())

    # asked for ten times a block by the rules below, and fixed once the units are made
    # (_units adds lines to a unit only before any rule reads it)
    @cached_property
    def text(self) -> str:
        return " ".join(line.text.strip() for line in self.lines)

    @cached_property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def one_line(self) -> bool:
        return len(self.lines) == 1


def read(source: str, path: str) -> Document:
    units = _units(split_lines(source))
    _classify(units)
    index = LineIndex(source)
    mask = Mask(source)
    blocks: list[Block] = []
    pos = 0
    for unit in units:
        mask.blank(pos, unit.start)  # white space between blocks
        if unit.kind not in ("prose", "list-item", "heading"):
            mask.blank(unit.start, unit.end)
        elif unit.bullet:
            m = _BULLET.match(unit.lines[0].text)
            if m:
                mask.blank(unit.lines[0].start, unit.lines[0].start + m.end())
        pos = unit.end
        blocks.append(Block(kind=unit.kind, span=index.span(unit.start, unit.end), reason=unit.reason))
    title = next((u.text for u in units if u.kind == "heading" and u.reason.startswith("title")), "")
    return Document(path=path, format="text", text=source, prose=str(mask), title=title,
                    blocks=tuple(blocks))


# ------------------------------------------------------------------ blocks

def _units(lines: list[Line]) -> list[_Unit]:
    units: list[_Unit] = []
    group: list[Line] = []
    for line in lines + [Line(0, 0, "")]:
        if not line.blank:
            group.append(line)
            continue
        if group:
            units.extend(_split_group(group))
            group = []
    return units


def _split_group(group: list[Line]) -> list[_Unit]:
    if any(_BULLET.match(line.text) for line in group):
        return _list_units(group)
    if len(group) == 1 or _wrapped(group):
        return [_Unit(group)]
    return [_Unit([line]) for line in group]


def _list_units(group: list[Line]) -> list[_Unit]:
    units: list[_Unit] = []
    for line in group:
        if _BULLET.match(line.text):
            units.append(_Unit([line], bullet=True))
        elif units and units[-1].bullet and line.indent > 0:
            units[-1].lines.append(line)  # continuation of the item above
        else:
            units.append(_Unit([line]))
    return units


def _wrapped(group: list[Line]) -> bool:
    """True when the lines read as one paragraph broken at some width.

    Every line but the last is long: a short line is a heading or a label run
    into the text. Editors wrap raggedly, so line lengths are not compared.
    """
    texts = [line.text.strip() for line in group]
    if any(_chrome.line_reason(t) for t in texts):
        return False
    return all(len(t) >= _WRAP_MIN for t in texts[:-1])


# ---------------------------------------------------------- classification

def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(" .:")


def _heading_shape(unit: _Unit) -> bool:
    t = unit.text
    return (unit.one_line and not unit.bullet and 0 < unit.words <= _HEADING_MAX_WORDS
            and len(t) <= 120 and not _chrome.final_punct(t.rstrip("?")) and not t.endswith(":"))


def _paragraph(unit: _Unit) -> bool:
    """Running text: ends like a sentence, or is long."""
    return not unit.bullet and (_chrome.sentence_like(unit.text) or unit.words >= 15)


def _classify(units: list[_Unit]) -> None:
    for unit in units:
        _classify_shape(unit)
    _classify_head(units)
    title = next((u.text for u in units if u.reason.startswith("title")), "")
    section = ""   # "chrome" or "bibliography" while inside such a section
    for i, unit in enumerate(units):
        if not unit.reason.startswith(_HEAD_REASONS):
            section = _classify_in_context(units, i, section, title)


# reasons given by _classify_head: those blocks are settled before the main pass
_HEAD_REASONS = ("title", "repeats the title", "above the title")


def _classify_shape(unit: _Unit) -> None:
    """What one block is by its own shape: a list item, a furniture line, a call to action."""
    if unit.bullet:
        unit.kind = "list-item"
    elif unit.one_line and (reason := _chrome.line_reason(unit.text)):
        unit.kind, unit.reason = "chrome", reason
    elif _paragraph(unit) and unit.words <= 40 and _single_sentence(unit.text) \
            and _chrome.CTA_SENTENCE.search(unit.text):
        unit.kind, unit.reason = "chrome", "call to action"


def _classify_in_context(units: list[_Unit], i: int, section: str, title: str) -> str:
    """Classify ``units[i]`` given the section it is in; returns the section after it."""
    unit = units[i]
    if section == "chrome" and _paragraph(unit) and unit.words >= _PROSE_RESUMES_WORDS:
        section = ""
        _heading_over_resumed_prose(units[i - 1] if i else None)
    opened = _opens_section(unit)
    if opened:
        return opened
    if section:
        _inside_section(unit, section)
    elif unit.kind == "prose":
        _classify_short_line(units, i, title)
    return section


def _heading_over_resumed_prose(prev: _Unit | None) -> None:
    """The heading-shaped line just before the prose that ends a furniture section."""
    if prev is not None and prev.reason == "inside a furniture section" and _heading_shape(prev):
        prev.kind, prev.reason = "heading", "followed by a paragraph"


def _opens_section(unit: _Unit) -> str:
    """"chrome" or "bibliography" when ``unit`` opens such a section (and mark it), else ""."""
    if unit.words <= 15 and not _chrome.sentence_like(unit.text) and _chrome.SECTION.search(unit.text):
        unit.kind, unit.reason = "chrome", "opens a furniture section (related links, publisher...)"
        return "chrome"
    if _heading_shape(unit) and _chrome.REFERENCES.match(unit.text):
        unit.kind, unit.reason = "bibliography", "references section heading"
        return "bibliography"
    return ""


def _inside_section(unit: _Unit, section: str) -> None:
    if section == "chrome" and unit.kind == "chrome":
        return  # keep the more telling reason of a contact line
    unit.kind = section  # type: ignore[assignment]
    unit.reason = ("inside a furniture section" if section == "chrome"
                   else "inside the references section")


def _classify_short_line(units: list[_Unit], i: int, title: str) -> None:
    """A block still read as prose: the title decorated, a heading or a fragment."""
    unit = units[i]
    variant = _title_variant(unit.text, title) if title else ""
    if variant:
        unit.kind, unit.reason = "chrome", variant
    elif _heading_shape(unit):
        nxt = units[i + 1] if i + 1 < len(units) else None
        after = units[i + 2] if i + 2 < len(units) else None
        unit.kind, unit.reason = _heading_or_fragment(unit, nxt, after)


def _single_sentence(text: str) -> bool:
    return len(re.findall(r"[.!?](?:\s+|$)", text.strip())) <= 1


def _heading_or_fragment(unit: _Unit, nxt: _Unit | None, after: _Unit | None) -> tuple[BlockKind, str]:
    text = unit.text
    over_prose = _over_paragraph(nxt, after)
    if text.endswith("?"):
        if unit.words <= 12 and over_prose:
            return "heading", "short question line followed by a paragraph"
        return "prose", ""
    if _chrome.title_case(text):
        return "heading", "short Title Case line without final punctuation"
    if over_prose:
        return "heading", "short line without final punctuation followed by a paragraph"
    if nxt is not None and nxt.kind == "list-item":
        return "heading", "short line without final punctuation introducing a list"
    return "chrome", "short fragment without sentence punctuation, not followed by prose"


def _over_paragraph(nxt: _Unit | None, after: _Unit | None) -> bool:
    """Followed by a paragraph, or by a sub-heading that is over a paragraph."""
    if nxt is None or nxt.kind != "prose":
        return False
    if _paragraph(nxt):
        return True
    return _heading_shape(nxt) and after is not None and _paragraph(after)


def _title_variant(text: str, title: str) -> str:
    """Reason when ``text`` is the title decorated with a site name or image number."""
    t, base = _norm(text), _norm(title)
    if not t.startswith(base) or t == base:
        return ""
    rest = t[len(base):].strip()
    if re.fullmatch(r"\d{1,3}", rest):
        return "image caption or alt text (the title and a number)"
    if rest[:1] in "-\u2013\u2014|:\u00b7\u00bb/" and rest[1:].strip():
        return "page title with the site name appended"
    return ""


def _classify_head(units: list[_Unit]) -> None:
    """Find the title among the blocks before the first paragraph."""
    head = _head(units)
    seen = Counter(_norm(u.text) for u in head)
    title = _pick_title(head, seen)
    if title is None:
        return
    at = head.index(title)
    base = _norm(title.text)
    if seen[base] > 1:
        for unit in head[:at]:
            if unit.kind == "prose":
                unit.kind, unit.reason = "chrome", "above the title (site name or section label)"
    title.kind, title.reason = "heading", "title: first heading-shaped line at the top"
    for unit in head[at + 1:]:
        if unit.kind == "prose" and _norm(unit.text) == base:
            unit.kind, unit.reason = "heading", "repeats the title"


def _head(units: list[_Unit]) -> list[_Unit]:
    """The blocks before the first real paragraph."""
    head: list[_Unit] = []
    for unit in units:
        if unit.kind == "prose" and _paragraph(unit) and not _heading_shape(unit):
            break
        head.append(unit)
    return head


def _pick_title(head: list[_Unit], seen: Counter[str]) -> _Unit | None:
    """A page copy often shows the title twice (page title and H1): the first repeated
    heading-shaped line is the title, else the first one unless it is a generic
    section name ("Introduction" opens the text: there is no title)."""
    candidates = [u for u in head if u.kind == "prose" and _heading_shape(u)]
    if not candidates:
        return None
    repeated = next((u for u in candidates if seen[_norm(u.text)] > 1), None)
    if repeated is not None:
        return repeated
    first = candidates[0]
    return None if _chrome.GENERIC_SECTION.match(first.text) else first
