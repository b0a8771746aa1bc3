"""Add, replace or remove one field in the text of one entry block, in the entry's own style.

Every function here takes the block text and its :class:`EntryLayout` and returns
new block text that differs in one contiguous stretch only: the new field and its
separator, the old value, or the removed field with its separator; and the layout of
the new text, worked out from the edit (not scanned again), so that several fields of
one entry are edited in one pass. The writer scans the final text once and checks that
the scanner agrees (:mod:`.writer`). A new field
copies its siblings: the indentation and line end before the last field, its
spacing around "=" (or the column the siblings align "=" to), braces or quotes as
most siblings use (braces by default), and whether the last field ends in a comma.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import _patterns
from ._write_layout import EntryLayout, FieldSpan, Part

FIELD_NAME = _patterns.compile(r"[A-Za-z][A-Za-z0-9_\-:.+/]*")
_BREAK = _patterns.compile(r"\r\n|\r|\n")
_INLINE_WS = _patterns.compile(r"[ \t]*")
_AT_LINE_START = _patterns.compile(r"\n[ \t]*@")
_CONTROL = _patterns.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DEFAULT_INDENT = "  "


def value_problem(value: str) -> str | None:
    """Why ``value`` cannot go between braces in a .bib file, or None when it can.

    Braces must balance (counted as BibTeX counts them: a backslash does not escape a
    brace), and no line of it may start with "@", which readers that recover from
    broken files (evgrade's splitter among them) take as the start of a new entry."""
    m = _CONTROL.search(value)
    if m:
        return f"the value holds the control character U+{ord(m.group()):04X}"
    depth = 0
    for c in value:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return "the value has a '}' without a '{' before it: it would close the entry"
    if depth:
        return f"the value has {depth} more '{{' than '}}': it would swallow the rest of the file"
    if _AT_LINE_START.search(normalize_newlines(value, "\n")):
        return "a line of the value starts with '@', which would read as a new entry"
    return None


def normalize_newlines(value: str, newline: str) -> str:
    return _BREAK.sub(newline, value) if ("\n" in value or "\r" in value) else value


def entry_newline(text: str, fallback: str) -> str:
    """The line end of the entry's first line, else ``fallback``."""
    m = _BREAK.search(text)
    return m.group() if m else fallback


def _quotable(value: str) -> bool:
    """True when ``value`` can sit between quotes: no '"' outside braces."""
    depth = 0
    for c in value:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0:
            return False
    return True


def render(value: str, quote: bool) -> str:
    if quote and _quotable(value):
        return f'"{value}"'
    return "{" + value + "}"


@dataclass(frozen=True, slots=True)
class _Style:
    lead: str               # what goes between the separator and the name
    pre: str                # between the name and "="
    post: str               # between "=" and the value
    eq_col: int | None      # len(name) + len(pre), when the siblings align "=" in one column
    value_col: int | None   # the same up to the value, when they align values in one column
    quote: bool

    def pieces(self, name: str, value: str) -> tuple[str, str, str, str]:
        """What goes before the name, between it and "=", after "=", and the value."""
        pre, post = self.pre, self.post
        if self.eq_col is not None:
            pre = " " * max(1, self.eq_col - len(name))
        if self.value_col is not None:
            post = " " * max(1, self.value_col - len(name) - len(pre) - 1)
        return self.lead, pre, post, render(value, self.quote)


def _lead(lead: str, newline: str) -> str:
    """One line end and the indentation that follows the last one in ``lead``."""
    if not _BREAK.search(lead):
        return lead
    return newline + _BREAK.split(lead)[-1]


def _columns(text: str, fields: tuple[FieldSpan, ...]) -> tuple[int | None, int | None]:
    """The columns of "=" and of the values, when every field on its own line shares them.

    Only spaces count: with tabs or line breaks around "=", the last field is copied."""
    if len(fields) < 2 or len({len(f.name) for f in fields}) < 2:
        return None, None
    eqs, values = set(), set()
    for f in fields:
        pre, post = text[f.name_end:f.eq], text[f.eq + 1:f.value_start]
        if pre.strip(" ") or post.strip(" ") or not _BREAK.search(text[f.lead:f.name_start]):
            return None, None
        eqs.add(len(f.name) + len(pre))
        values.add(len(f.name) + len(pre) + 1 + len(post))
    return (eqs.pop() if len(eqs) == 1 else None), (values.pop() if len(values) == 1 else None)


def prefers_quotes(layout: EntryLayout) -> bool:
    """True when more of the entry's fields open with '"' than with '{'."""
    kinds = [f.parts[0].kind for f in layout.fields]
    return kinds.count("quote") > kinds.count("brace")


def _style(text: str, layout: EntryLayout, newline: str) -> _Style:
    last = layout.fields[-1]
    pre, post = text[last.name_end:last.eq], text[last.eq + 1:last.value_start]
    if not _INLINE_WS.fullmatch(pre) or not _INLINE_WS.fullmatch(post):
        pre = post = " "
    return _Style(_lead(text[last.lead:last.name_start], newline), pre, post,
                  *_columns(text, layout.fields), prefers_quotes(layout))


def _insert_first(text: str, layout: EntryLayout, name: str, value: str, newline: str) -> str:
    """An entry without fields gets one on its own line, indented by two spaces."""
    if layout.commas:
        at, prefix = layout.commas[0] + 1, ""
    else:
        at, prefix = layout.key_end, ","
    tail = "" if _BREAK.search(text[at:layout.close]) else newline
    piece = f"{prefix}{newline}{DEFAULT_INDENT}{name} = {render(value, False)}{tail}"
    return text[:at] + piece + text[at:]


def _shift(layout: EntryLayout, at: int, delta: int) -> EntryLayout:
    """``layout`` after ``delta`` characters are put in (or taken out) at ``at``: offsets at
    or past it move, an end offset only past it (text put at ``at`` follows what ends there)."""
    def s(x: int) -> int:
        return x + delta if x >= at else x

    def e(x: int) -> int:
        return x + delta if x > at else x

    fields = tuple(FieldSpan(f.name, s(f.lead), s(f.name_start), e(f.name_end), s(f.eq),
                             tuple(Part(p.kind, s(p.start), e(p.end)) for p in f.parts),
                             None if f.comma is None else s(f.comma)) for f in layout.fields)
    return EntryLayout(layout.key, e(layout.key_end), layout.opener, fields,
                       tuple(s(c) for c in layout.commas), s(layout.close))


def _kind(rendered: str) -> str:
    return "quote" if rendered.startswith('"') else "brace"


def insert_field(text: str, layout: EntryLayout, name: str, value: str,
                 newline: str) -> tuple[str, EntryLayout | None]:
    """``text`` with ``name = value`` added after the last field, and its layout (None for
    an entry that had no field: the writer scans that one)."""
    if not layout.fields:
        return _insert_first(text, layout, name, value, newline), None
    lead, pre, post, rendered = _style(text, layout, newline).pieces(name, value)
    field = f"{lead}{name}{pre}={post}{rendered}"
    last = layout.fields[-1]
    if last.comma is not None:
        at, piece, start, comma = last.comma + 1, field + ",", last.comma + 1, last.comma + 1 + len(field)
    else:
        at, piece, start, comma = last.value_end, "," + field, last.value_end + 1, None
    # nothing of the fields lies past ``at``: only the commas after it and the close move
    moved = replace(layout, commas=tuple(c + len(piece) if c >= at else c for c in layout.commas),
                    close=layout.close + len(piece))
    name_start = start + len(lead)
    eq = name_start + len(name) + len(pre)
    value_start = eq + 1 + len(post)
    new = FieldSpan(name, start, name_start, name_start + len(name), eq,
                    (Part(_kind(rendered), value_start, value_start + len(rendered)),), comma)  # type: ignore[arg-type]
    fields = moved.fields
    if comma is None:  # the old last field now ends with the comma put before the new one
        fields = fields[:-1] + (replace(fields[-1], comma=at),)
    commas = tuple(sorted(moved.commas + (at if comma is None else comma,)))
    return text[:at] + piece + text[at:], replace(moved, fields=fields + (new,), commas=commas)


def replace_value(text: str, layout: EntryLayout, field: FieldSpan,
                  value: str) -> tuple[str, EntryLayout]:
    """``text`` with the value of ``field`` replaced, and its layout; the same text when it
    already reads so.

    A value written as one {...} or "..." keeps its delimiters; a number, macro or
    '#' concatenation is replaced by a value in the entry's delimiters."""
    parts = field.parts
    if len(parts) == 1 and parts[0].inner(text) == value and parts[0].kind != "macro":
        return text, layout
    kind = parts[0].kind if len(parts) == 1 else "macro"
    quote = kind == "quote" if kind in ("brace", "quote") else prefers_quotes(layout)
    rendered = render(value, quote)
    start, end = field.value_start, field.value_end
    moved = _shift(layout, end, len(rendered) - (end - start))
    i = layout.fields.index(field)
    one = (Part(_kind(rendered), start, start + len(rendered)),)  # type: ignore[arg-type]
    fields = moved.fields[:i] + (replace(moved.fields[i], parts=one),) + moved.fields[i + 1:]
    return text[:start] + rendered + text[end:], replace(moved, fields=fields)


def remove_field(text: str, layout: EntryLayout, field: FieldSpan) -> tuple[str, EntryLayout]:
    """``text`` without ``field``, its indentation and one comma next to it, and its layout."""
    if field.comma is not None:
        start, end = field.lead, field.comma + 1       # the field and the comma after it
    elif field is not layout.fields[0]:
        start, end = field.lead - 1, field.value_end   # the last field and the comma before it
    else:
        start, end = field.lead, field.value_end       # the only field, no comma after it
    rest = tuple(replace(f, comma=None) if f.comma is not None and start <= f.comma < end else f
                 for f in layout.fields if f is not field)
    kept = replace(layout, fields=rest, commas=tuple(c for c in layout.commas if not start <= c < end))
    return text[:start] + text[end:], _shift(kept, end, start - end)
