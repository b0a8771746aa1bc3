"""One parsed entry -> one :class:`~evgrade.models.Reference` (docs/bibliography.md).

Which fields give the venue, the year and the study design; identifiers taken
from their own fields, from ``eprint``, and (only when syntactically valid)
from ``extra``, URLs, and the text of ``note``, ``howpublished`` and ``annote``
(what ``\\doi{...}`` and ``\\url{...}`` leave there once LaTeX is decoded).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .. import _patterns
from ..models import Location, Reference
from .identifiers import (
    identifiers_from_extra,
    identifiers_from_url,
    identifiers_in_prose,
    normalize,
    normalize_arxiv,
    strip_doi_prefix,
)
from ._entry import ParsedEntry

VENUE_FIELDS = ("journal", "journaltitle", "booktitle", "publisher", "organization",
                "institution", "school")
WEB_TYPES = frozenset({"misc", "online", "electronic", "www", "webpage"})
DESIGN_FIELDS = ("studydesign", "study_design", "design", "evidence_level")
# evgrade's own judgement, written back by ``evgrade annotate`` (docs/reference-managers.md).
# Never a person's statement: no design, fact or identifier is read from them, and a
# crossref child does not inherit them. ``studydesign`` stays the person's field.
JUDGEMENT_FIELDS = ("evgrade-design", "evgrade-design-source", "evgrade-design-confidence",
                    "evgrade-design-evidence", "evgrade-level", "evgrade-traceable",
                    "evgrade-retraction", "evgrade-checked")
_URLISH = _patterns.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


def _first(fields: Mapping[str, str], names: Sequence[str]) -> str:
    for name in names:
        value = fields.get(name, "")
        if value:
            return value
    return ""


def _pick(kind: str, *candidates: str) -> str:
    """The first candidate that is a valid identifier of ``kind``, else the first non-empty one
    (kept so that it can be reported as invalid)."""
    present = [c.strip() for c in candidates if c.strip()]
    for c in present:
        if normalize(kind, c):
            return c
    return present[0] if present else ""


def _split_keywords(value: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for word in re.split(r"[,;]", value):
        word = word.strip()
        if word:
            seen.setdefault(word, None)
    return tuple(seen)


def _year(f: Mapping[str, str]) -> str:
    year = f.get("year", "")
    if not year:
        m = re.search(r"\d{4}", f.get("date", ""))
        year = m.group(0) if m else ""
    return year


def _url_and_venue(entry: ParsedEntry) -> tuple[str, str]:
    """The URL (``howpublished`` when it is one) and the venue (web pages: ``howpublished``)."""
    f = entry.fields
    url = f.get("url", "")
    howpublished = f.get("howpublished", "")
    if not url and _URLISH.match(howpublished):
        url = howpublished
    venue = _first(f, VENUE_FIELDS)
    if not venue and entry.entry_type in WEB_TYPES and not _URLISH.match(howpublished):
        venue = howpublished
    return url, venue


_EPRINT_KINDS = {"arxiv": "arxiv", "pubmed": "pmid", "pmid": "pmid", "pmc": "pmcid", "pmcid": "pmcid"}


def _field_identifiers(f: Mapping[str, str]) -> dict[str, str]:
    """DOI, PMID, PMCID and arXiv id from their own fields and ``eprint``."""
    eprint_type = (f.get("eprinttype") or f.get("archiveprefix") or "").strip().lower()
    eprint = f.get("eprint", "")
    eprint_kind = _EPRINT_KINDS.get(eprint_type, "")
    ids = {
        "doi": strip_doi_prefix(f.get("doi", "")),
        "pmid": _pick("pmid", f.get("pmid", ""), eprint if eprint_kind == "pmid" else ""),
        "pmcid": _pick("pmcid", f.get("pmcid", ""), eprint if eprint_kind == "pmcid" else ""),
        # old arXiv exports give the bare eprint without eprinttype
        "arxiv": _pick("arxiv", f.get("arxiv", ""), f.get("arxivid", ""),
                       eprint if eprint_kind == "arxiv" or not eprint_type else ""),
    }
    if ids["arxiv"] == eprint and not eprint_type and not normalize_arxiv(eprint):
        ids["arxiv"] = ""  # a bare eprint that is no arXiv id is something else
    return ids


def _spelled_out_identifiers(f: Mapping[str, str]) -> dict[str, str]:
    """Identifiers written in ``extra``/``note``, as URLs, or in the text of ``note``,
    ``howpublished`` and ``annote`` (``\\doi{...}``, ``\\url{...}``); only valid ones."""
    found: dict[str, str] = {}
    for text in (f.get("extra", ""), f.get("note", "")):
        for kind, value in identifiers_from_extra(text).items():
            found.setdefault(kind, value)
    for name in ("url", "howpublished", "eprint"):
        for kind, value in identifiers_from_url(f.get(name, "")).items():
            found.setdefault(kind, value)
    for name in ("note", "howpublished", "annote"):
        for kind, value in identifiers_in_prose(f.get(name, "")).items():
            found.setdefault(kind, value)
    return found


def to_reference(entry: ParsedEntry, path: str) -> Reference:
    f = entry.fields
    url, venue = _url_and_venue(entry)
    ids = _field_identifiers(f)
    # identifiers spelled out elsewhere count only when syntactically valid
    found = _spelled_out_identifiers(f)
    for kind, value in found.items():
        if kind in ids and not ids[kind]:
            ids[kind] = value
    isbn = f.get("isbn", "") or found.get("isbn", "")

    note = "\n".join(v for v in (f.get("note", ""), f.get("annote", "")) if v)
    return Reference(
        key=entry.key,
        entry_type=entry.entry_type,
        authors=tuple(entry.persons.get("author") or entry.persons.get("editor") or ()),
        title=f.get("title", ""),
        year=_year(f),
        venue=venue,
        doi=ids["doi"],
        pmid=ids["pmid"],
        pmcid=ids["pmcid"],
        arxiv=ids["arxiv"],
        isbn=isbn,
        url=url,
        howpublished=f.get("howpublished", ""),
        keywords=_split_keywords(f.get("keywords", "")),
        abstract=f.get("abstract", ""),
        note=note,
        study_design=_first(f, DESIGN_FIELDS),
        fields=dict(f),
        location=Location(path=path, line=entry.line),
    )
