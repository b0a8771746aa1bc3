"""One CSL item (a mapping from CSL-JSON or CSL-YAML) -> a :class:`ParsedEntry` with BibLaTeX names.

The item is mapped to the fields Better BibLaTeX writes for the same Zotero item
(``container-title`` -> ``journaltitle`` or ``booktitle``, ``publisher-place`` ->
``location``, ``section`` -> ``chapter``, ``genre`` -> ``type``...), so that
:func:`evgrade.bib.reference.to_reference` reads both the same way. A variable
with no BibLaTeX counterpart, or whose counterpart is already taken, is kept under
its own CSL name: nothing is dropped. Rich text (CSL's HTML-like ``<i>``, ``<span
class="nocase">``; pandoc Markdown ``*...*`` in CSL-YAML) becomes plain text.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Mapping
from typing import Any

from .. import _patterns
from ._entry import MAX_VALUE_CHARS, ParsedEntry

# CSL 1.0.2 item types -> BibLaTeX entry types (Better BibLaTeX's where the fixtures show it)
CSL_TYPES: dict[str, str] = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "article": "article", "review": "review", "review-book": "review",
    "book": "book", "classic": "book", "collection": "collection", "periodical": "periodical",
    "chapter": "incollection", "entry": "inreference", "entry-dictionary": "inreference",
    "entry-encyclopedia": "inreference", "paper-conference": "inproceedings",
    "report": "report", "thesis": "thesis", "manuscript": "unpublished", "speech": "unpublished",
    "pamphlet": "booklet", "webpage": "online", "post": "online", "post-weblog": "online",
    "dataset": "dataset", "software": "software", "patent": "patent", "standard": "standard",
    "legal_case": "jurisdiction", "legislation": "legislation", "bill": "legislation",
    "regulation": "legislation", "treaty": "legislation", "hearing": "legislation",
    "motion_picture": "video", "broadcast": "video", "song": "audio", "musical_score": "audio",
    "graphic": "image", "map": "image", "figure": "image", "interview": "misc",
    "personal_communication": "letter", "performance": "performance", "event": "misc",
    "document": "misc",
}
# types whose container is a book or proceedings (booktitle), not a journal (journaltitle)
_IN_BOOK = frozenset({"chapter", "entry", "entry-dictionary", "entry-encyclopedia",
                      "paper-conference"})

# CSL variable -> BibLaTeX field, in the order they are taken (the first to claim a field wins)
_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "title"), ("title-short", "shorttitle"), ("container-title-short", "shortjournal"),
    ("collection-title", "series"), ("publisher", "publisher"), ("publisher-place", "location"),
    ("page", "pages"), ("volume", "volume"), ("issue", "number"), ("number", "number"),
    ("edition", "edition"), ("genre", "type"), ("section", "chapter"),
    ("event-title", "eventtitle"), ("event", "eventtitle"),
    ("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid"), ("ISBN", "isbn"), ("ISSN", "issn"),
    ("URL", "url"), ("abstract", "abstract"), ("keyword", "keywords"), ("note", "note"),
    ("annote", "annote"), ("language", "langid"),
)
_DATES = (("issued", "date"), ("accessed", "urldate"), ("original-date", "origdate"),
          ("event-date", "eventdate"))
_PERSONS = ("author", "editor")
_NAME_VARIABLES = frozenset({
    "author", "editor", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editorial-director", "executive-producer", "guest",
    "host", "illustrator", "interviewer", "narrator", "organizer", "original-author", "performer",
    "producer", "recipient", "reviewed-author", "script-writer", "series-creator", "translator",
})
_SKIP = frozenset({"id", "type"})

_TAG = _patterns.compile(r"</?(?:i|b|em|strong|sup|sub|sc|span)(?:\s[^<>]*)?>", re.IGNORECASE)
_MD = (_patterns.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), _patterns.compile(r"\*(?=\S)(.+?)(?<=\S)\*"),
       _patterns.compile(r"~(\S+?)~"), _patterns.compile(r"\^(\S+?)\^"), _patterns.compile(r"\[([^\[\]]*)\]\{\.nocase\}"))
_WS = _patterns.compile(r"\s+")


class ItemError(ValueError):
    """An item that cannot become an entry (not a mapping, no id)."""


def plain_text(value: str, *, markdown: bool) -> str:
    """CSL rich text as plain text: tags dropped, entities decoded (and, for CSL-YAML,
    pandoc's Markdown emphasis, sub/superscript and ``[...]{.nocase}`` unwrapped)."""
    if "<" in value:
        value = _TAG.sub("", value)
    if "&" in value:
        value = html.unescape(value)
    if markdown and any(c in value for c in "*~^["):
        for pattern in _MD:
            value = pattern.sub(r"\1", value)
    return _WS.sub(" ", value).strip()


def _scalar(value: Any) -> str:
    """A value that should be text, as text: numbers and dates as written, lists joined,
    anything else as compact JSON (kept, not dropped)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, datetime.date)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


# ------------------------------------------------------------------ names

def _one_name(name: Any) -> str:
    """"Family, Given" as the BibTeX loader writes names ("von Last, Jr, First")."""
    if isinstance(name, str):
        return name.strip()
    if not isinstance(name, Mapping):
        return ""
    if name.get("literal"):
        return _scalar(name["literal"]).strip()
    family = " ".join(_scalar(name[p]).strip() for p in ("non-dropping-particle", "family")
                      if name.get(p))
    given = " ".join(_scalar(name[p]).strip() for p in ("given", "dropping-particle") if name.get(p))
    suffix = _scalar(name["suffix"]).strip() if name.get("suffix") else ""
    return ", ".join(p for p in (family, suffix, given) if p)


def _names(value: Any) -> list[str]:
    people = value if isinstance(value, list) else [value]
    return [n for n in (_one_name(p) for p in people) if n]


# ------------------------------------------------------------------ dates

_SEASON_MONTH = {1: 21, 2: 22, 3: 23, 4: 24}


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _date_part(parts: list[Any], season: Any = None) -> str:
    year = _int(parts[0]) if parts else None
    if not year:
        return ""
    out = f"{year:04d}" if year > 0 else f"-{-year:04d}"
    month = _int(parts[1]) if len(parts) > 1 else _SEASON_MONTH.get(_int(season) or 0)
    if month:
        out += f"-{month:02d}"
        day = _int(parts[2]) if len(parts) > 2 else None
        if day:
            out += f"-{day:02d}"
    return out


def _date_of_mapping(value: Mapping[str, Any]) -> str:
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts:
        ends = [_date_part(p if isinstance(p, list) else [p], value.get("season")) for p in parts[:2]]
        return "/".join(e for e in ends if e)
    for key in ("raw", "literal"):
        if value.get(key):
            return _scalar(value[key]).strip()
    if "year" not in value and "season" not in value:
        return ""
    parts = [value.get("year")]
    if value.get("month"):
        parts.append(value["month"])
        if value.get("day"):
            parts.append(value["day"])
    return _date_part(parts, value.get("season"))


def _date(value: Any) -> str:
    """A CSL date (``date-parts``, ``raw``, ``literal``, pandoc's list of {year, month, day},
    an EDTF string or a YAML date) as an EDTF-like string: "2014-12-31/2015-01-01"."""
    if isinstance(value, (str, int, datetime.date)):
        return str(value).strip()
    if isinstance(value, Mapping):
        return _date_of_mapping(value)
    if isinstance(value, list):
        return "/".join(e for e in (_date(v) for v in value[:2]) if e)
    return ""


# ------------------------------------------------------------------ items

def item_key(item: Any) -> str:
    """The citation key (CSL ``id``) of ``item``; ItemError when there is none."""
    if not isinstance(item, Mapping):
        raise ItemError(f"is {type(item).__name__ if item is not None else 'empty'}, not an object")
    key = item.get("id")
    if isinstance(key, bool) or not isinstance(key, (str, int)) or not str(key).strip():
        raise ItemError("has no 'id' (the citation key pandoc cites it by)")
    return str(key).strip()


def _put(fields: dict[str, str], name: str, csl_name: str, value: str) -> None:
    if not value:
        return
    if name not in fields:
        fields[name] = value
    elif csl_name.lower() not in fields:
        fields[csl_name.lower()] = value


def _persons(item: Mapping[str, Any], fields: dict[str, str]) -> dict[str, list[str]]:
    persons: dict[str, list[str]] = {}
    for var in _PERSONS:
        people = _names(item[var]) if var in item else []
        if people:
            persons[var] = people
            fields[var] = " and ".join(people)
    return persons


def _mapped(item: Mapping[str, Any], csl_type: str, fields: dict[str, str], markdown: bool) -> None:
    container = item.get("container-title")
    if container:
        name = "booktitle" if csl_type in _IN_BOOK else "journaltitle"
        fields[name] = plain_text(_scalar(container), markdown=markdown)
    for var, name in _FIELDS:
        if item.get(var) is not None:
            _put(fields, name, var, plain_text(_scalar(item[var]), markdown=markdown))
    for var, name in _DATES:
        if var in item:
            _put(fields, name, var, _date(item[var]))


def _unmapped(item: Mapping[str, Any], fields: dict[str, str], markdown: bool) -> None:
    """Variables with no BibLaTeX counterpart, under their own (lower-case) CSL names."""
    for var, value in item.items():
        name = str(var).lower()
        if var in _SKIP or var in _MAPPED or name in fields or value is None or value == "":
            continue
        if var in _NAME_VARIABLES:
            fields[name] = " and ".join(_names(value))
        else:
            fields[name] = plain_text(_scalar(value), markdown=markdown)


_MAPPED = frozenset({v for v, _ in _FIELDS} | {v for v, _ in _DATES} | {"container-title"})


def to_entry(item: Any, line: int, *, markdown: bool) -> ParsedEntry:
    """``item`` as the loader's :class:`ParsedEntry` (fields in BibLaTeX names, Unicode text)."""
    key = item_key(item)
    csl_type = _scalar(item.get("type", "")).strip()
    fields: dict[str, str] = {}
    persons = _persons(item, fields)
    _mapped(item, csl_type, fields, markdown)
    _unmapped(item, fields, markdown)
    if csl_type:
        fields.setdefault("csl-type", csl_type)
    # the same cap as a .bib value: a field longer than that is left out and reported
    oversized = [[k, "cap"] for k, v in fields.items() if len(v) > MAX_VALUE_CHARS]
    kept = {k: v for k, v in fields.items() if v and len(v) <= MAX_VALUE_CHARS}
    return ParsedEntry(key, CSL_TYPES.get(csl_type, "misc"), line, kept,
                       {role: names for role, names in persons.items() if role in kept}, [],
                       oversized)
