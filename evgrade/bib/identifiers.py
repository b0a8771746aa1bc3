"""Syntax checks and normal forms for the persistent identifiers of a reference.

Only syntax is checked here (prefix, digits, ISBN checksum); whether an
identifier really exists is the resolvers' business. Every ``normalize_*``
returns the identifier in the form evgrade stores and compares, or "" when the
value is not a syntactically valid identifier of that kind.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .. import _patterns
from ..models import Reference

KINDS: tuple[str, ...] = ("doi", "pmid", "pmcid", "arxiv", "isbn")

# --------------------------------------------------------------------- DOI

# Crossref's advice is 10.NNNN+/suffix with a printable suffix; old Wiley DOIs
# carry <>;# in the suffix, so anything but whitespace is accepted.
_DOI = _patterns.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_DOI_PREFIX = _patterns.compile(
    r"^(?:https?://(?:dx\.|www\.)?doi\.org/|doi\.org/|doi\s*:\s*|doi\s+)", re.IGNORECASE)


def strip_doi_prefix(value: str) -> str:
    """``https://doi.org/10.1/x`` / ``doi:10.1/x`` -> ``10.1/x``; nothing else changes."""
    value = value.strip()
    m = _DOI_PREFIX.match(value)
    if m:
        value = value[m.end():].strip()
        if "%" in value:  # a DOI taken from a URL may be percent-encoded
            value = unquote(value)
    return value


def normalize_doi(value: str) -> str:
    """The DOI without resolver prefix, case kept as written (compare with ``.lower()``)."""
    value = strip_doi_prefix(value)
    return value if _DOI.fullmatch(value) else ""


# -------------------------------------------------------------------- PMID

_PMID = _patterns.compile(r"[1-9]\d{0,7}")
_PMID_PREFIX = _patterns.compile(r"^(?:pmid\s*:?\s*)", re.IGNORECASE)


def normalize_pmid(value: str) -> str:
    value = _PMID_PREFIX.sub("", value.strip()).strip()
    return value if _PMID.fullmatch(value) else ""


# ------------------------------------------------------------------- PMCID

_PMCID = _patterns.compile(r"PMC\d{1,9}", re.IGNORECASE)
_PMCID_PREFIX = _patterns.compile(r"^(?:pmcid\s*:?\s*)", re.IGNORECASE)


def normalize_pmcid(value: str) -> str:
    value = _PMCID_PREFIX.sub("", value.strip()).strip()
    return "PMC" + value[3:] if _PMCID.fullmatch(value) else ""


# ------------------------------------------------------------------- arXiv

# new style (April 2007 on): YYMM.NNNN (to 2014) or YYMM.NNNNN, optional version
_ARXIV_NEW = _patterns.compile(r"(\d{2})(0[1-9]|1[0-2])\.(\d{4,5})(v\d+)?")
# old style: archive[.SUBJECT-CLASS]/YYMMNNN
_ARXIV_OLD = _patterns.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3}(?:v\d+)?")
_ARXIV_PREFIX = _patterns.compile(
    r"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv\s*:\s*)", re.IGNORECASE)


# Mendeley writes "0603845 [cond-mat]" for cond-mat/0603845 and "1234.5678 [physics.optics]"
_ARXIV_BRACKETED = _patterns.compile(r"(\S+)\s*\[([a-z]+(?:-[a-z]+)*)(?:\.[A-Za-z\-]+)?\]")


def normalize_arxiv(value: str) -> str:
    value = _ARXIV_PREFIX.sub("", value.strip()).strip()
    if value.lower().endswith(".pdf"):
        value = value[:-4]
    m = _ARXIV_BRACKETED.fullmatch(value)
    if m:
        number, archive = m.groups()
        value = f"{archive}/{number}" if re.fullmatch(r"\d{7}(?:v\d+)?", number) else number
    m = _ARXIV_NEW.fullmatch(value)
    if m:
        # five-digit numbers started in January 2015, four-digit ones ended in December 2014
        five = len(m.group(3)) == 5
        return value if five == (m.group(1) + m.group(2) >= "1501") else ""
    return value if _ARXIV_OLD.fullmatch(value) else ""


# -------------------------------------------------------------------- ISBN

_ISBN_PREFIX = _patterns.compile(r"^(?:isbn(?:-1[03])?\s*:?\s*)", re.IGNORECASE)


def _isbn10_ok(s: str) -> bool:
    if not re.fullmatch(r"\d{9}[\dX]", s):
        return False
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(s))
    return total % 11 == 0


def _isbn13_ok(s: str) -> bool:
    if not re.fullmatch(r"97[89]\d{10}", s):
        return False
    total = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(s))
    return total % 10 == 0


def normalize_isbn(value: str) -> str:
    """ISBN-10 or ISBN-13 as bare digits (final X upper case) when its checksum holds."""
    value = _ISBN_PREFIX.sub("", value.strip())
    compact = re.sub(r"[\s\-‐‑–]", "", value).upper()
    if _isbn10_ok(compact) or _isbn13_ok(compact):
        return compact
    return ""


NORMALIZERS = {
    "doi": normalize_doi,
    "pmid": normalize_pmid,
    "pmcid": normalize_pmcid,
    "arxiv": normalize_arxiv,
    "isbn": normalize_isbn,
}


def normalize(kind: str, value: str) -> str:
    """Normal form of ``value`` as an identifier of ``kind``, or "" when invalid."""
    return NORMALIZERS[kind](value)


def is_valid(kind: str, value: str) -> bool:
    return bool(normalize(kind, value))


# ---------------------------------------------------- identifiers in other fields

_URL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("doi", _patterns.compile(r"^https?://(?:dx\.|www\.)?doi\.org/(10\.[^?#\s]+)", re.IGNORECASE)),
    ("pmid", _patterns.compile(
        r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/(\d+)/?(?:[?#].*)?$",
        re.IGNORECASE)),
    ("pmcid", _patterns.compile(
        r"^https?://(?:www\.)?(?:ncbi\.nlm\.nih\.gov/pmc|pmc\.ncbi\.nlm\.nih\.gov)/articles/(PMC\d+)/?",
        re.IGNORECASE)),
    ("arxiv", _patterns.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/([^?#\s]+)", re.IGNORECASE)),
)


def identifiers_from_url(url: str) -> dict[str, str]:
    """Identifiers a landing-page URL spells out (doi.org/..., pubmed/..., PMC..., arxiv.org/abs/...)."""
    found: dict[str, str] = {}
    url = url.strip()
    for kind, pattern in _URL_PATTERNS:
        m = pattern.match(url)
        if m:
            value = normalize(kind, unquote(m.group(1)))
            if value:
                found[kind] = value
    return found


# "PMID: 123" items; bibtex values arrive whitespace-folded, so lines cannot be relied on
_EXTRA_ITEM = _patterns.compile(r"(?<![\w.])(doi|pmid|pmcid|arxiv(?:\s*id)?|isbn)\s*:\s*(\S+)", re.IGNORECASE)


def _trim_prose(value: str) -> str:
    """Drop sentence punctuation after an identifier written in running text."""
    value = value.rstrip(".,;")
    while value and value[-1] in ")]" and value.count("(") + value.count("[") < value.count(")") + value.count("]"):
        value = value[:-1].rstrip(".,;")
    return value


def identifiers_from_extra(text: str) -> dict[str, str]:
    """``PMID: 123``-style items that Zotero and Better BibTeX write into ``extra``."""
    found: dict[str, str] = {}
    for m in _EXTRA_ITEM.finditer(text):
        kind = m.group(1).lower().replace(" ", "")
        kind = "arxiv" if kind.startswith("arxiv") else kind
        value = normalize(kind, _trim_prose(m.group(2)))
        if value and kind not in found:
            found[kind] = value
    return found


_URL_IN_TEXT = _patterns.compile(r"https?://[^\s<>\"'{}]+", re.IGNORECASE)
# a DOI standing alone, not inside a URL or a longer word (LaTeX decoding reads
# "\doi{10.1/x}" as "10.1/x")
_BARE_DOI = _patterns.compile(r"(?<![\w./:])10\.\d{4,9}(?:\.\d+)*/\S+")


def identifiers_in_prose(text: str) -> dict[str, str]:
    """Identifiers written in running text (``note``, ``howpublished``, ``annote``): the
    items :func:`identifiers_from_extra` reads, landing-page URLs anywhere in the text (what
    ``\\url{...}`` leaves), and a bare DOI (what ``\\doi{...}`` leaves) when it is the only
    one: a field naming two works names neither."""
    found = identifiers_from_extra(text)
    for m in _URL_IN_TEXT.finditer(text):
        for kind, value in identifiers_from_url(_trim_prose(m.group(0))).items():
            found.setdefault(kind, value)
    bare = [d for m in _BARE_DOI.finditer(text) if (d := normalize_doi(_trim_prose(m.group(0))))]
    if "doi" not in found and len({d.casefold() for d in bare}) == 1:
        found["doi"] = bare[0]  # as first written
    return found


# ---------------------------------------------------------------- per reference

def _candidates(kind: str, raw: str) -> list[str]:
    # ISBN fields often list several editions ("0-226-03933-1, 978-...")
    if kind == "isbn":
        return [raw, *(p for p in re.split(r"[,;/\s]+", raw) if p)]
    return [raw]


def _check(ref: Reference) -> tuple[dict[str, str], dict[str, str]]:
    valid: dict[str, str] = {}
    invalid: dict[str, str] = {}
    for kind in KINDS:
        raw = getattr(ref, kind).strip()
        if not raw:
            continue
        for part in _candidates(kind, raw):
            value = normalize(kind, part)
            if value:
                valid[kind] = value
                break
        else:
            invalid[kind] = raw
    return valid, invalid


def persistent_identifiers(ref: Reference) -> dict[str, str]:
    """The syntactically valid identifiers of ``ref`` by kind, in normal form."""
    return _check(ref)[0]


def invalid_identifiers(ref: Reference) -> dict[str, str]:
    """Identifier fields that are present but not valid, by kind, as written."""
    return _check(ref)[1]
