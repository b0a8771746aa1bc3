"""Does a record an authority returned describe the work the bibliography entry names?

An identifier that resolves proves only that *some* work carries it. The
classic fabricated or garbled reference pairs a real DOI with another paper's
title, so a record counts as the entry's work only when the title agrees and
neither the year nor the first author contradicts it.

Rules (documented in docs/resolution.md):

- title similarity: rapidfuzz ``token_set_ratio`` on normalised titles
  (case-folded, accents, markup and punctuation removed), 0..1. Titles of
  three words or fewer use ``token_sort_ratio``: a subset match on a tiny
  title ("Diabetes") would otherwise score 1.0 against any longer title.
- year: agrees when within +-1 (online-first vs issue year); unknown on
  either side is no evidence.
- first author: family names compared after normalisation; agrees when equal
  or one contains the other ("van der Berg" / "Berg"); unknown is no evidence.
- a record MATCHES when title >= TITLE_THRESHOLD and neither year nor author
  disagrees. An entry without a title matches when year and author both agree.
- ``score`` = weighted mean of the components that are known
  (title 0.6, year 0.2, author 0.2), reported as Resolution.match_score.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from .. import _patterns
from ..models import Reference, ResolvedRecord

TITLE_THRESHOLD = 0.85
WEIGHTS = {"title": 0.6, "year": 0.2, "author": 0.2}

_TAG = _patterns.compile(r"<[^>]+>")
_NON_WORD = _patterns.compile(r"[^\w]+")
_YEAR = _patterns.compile(r"(1[5-9]|20)\d\d")


def normalise(text: str) -> str:
    text = html.unescape(_TAG.sub(" ", text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).replace("_", " ").split())


def year_of(text: str) -> int | None:
    m = _YEAR.search(text or "")
    return int(m.group(0)) if m else None


def family_name(author: str) -> str:
    """Family name from "Family, Given", "Given Family" or "Family GA" (PubMed-style)."""
    author = author.strip()
    if not author:
        return ""
    if "," in author:
        return author.split(",", 1)[0].strip()
    parts = author.split()
    # "LoPresti PJ": trailing all-caps initials follow the family name
    if len(parts) > 1 and parts[-1].isupper() and len(parts[-1]) <= 3:
        return " ".join(parts[:-1])
    return parts[-1]


def title_similarity(a: str, b: str) -> float | None:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return None
    if min(len(na.split()), len(nb.split())) <= 3:
        return fuzz.token_sort_ratio(na, nb) / 100.0
    return fuzz.token_set_ratio(na, nb) / 100.0


@dataclass(frozen=True)
class Match:
    title: float | None
    year: bool | None
    author: bool | None

    @property
    def score(self) -> float | None:
        parts = {"title": self.title,
                 "year": None if self.year is None else float(self.year),
                 "author": None if self.author is None else float(self.author)}
        known = {k: v for k, v in parts.items() if v is not None}
        if not known:
            return None
        total = sum(WEIGHTS[k] for k in known)
        return round(sum(WEIGHTS[k] * v for k, v in known.items()) / total, 3)

    @property
    def matches(self) -> bool:
        if self.year is False or self.author is False:
            return False
        if self.title is not None:
            return self.title >= TITLE_THRESHOLD
        # no title to compare: existence plus agreeing year and author is the best we have
        return self.year is not False and self.author is not False

    @property
    def comparable(self) -> bool:
        return not (self.title is None and self.year is None and self.author is None)


def compare(ref: Reference, record: ResolvedRecord) -> Match:
    title = title_similarity(ref.title, record.title) if ref.title else None
    ry, cy = year_of(ref.year), year_of(record.year)
    year = None if ry is None or cy is None else abs(ry - cy) <= 1
    author: bool | None = None
    if ref.authors and record.first_author:
        a, b = normalise(family_name(ref.authors[0])), normalise(record.first_author)
        if a and b:
            author = a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} "
    return Match(title=title, year=year, author=author)


def _bare_doi(value: str) -> str:
    value = value.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.startswith(prefix):
            return value[len(prefix):].strip()
    return value


def lacks(record: ResolvedRecord, kind: str, value: str) -> str:
    """Why a found record cannot count for ``kind:value`` ("" = it can).

    An authority's answer is data like any other: it counts only when it names
    the identifier asked for and has a title. A record has fields for DOIs and
    PMIDs only; for other kinds (a plugin's PMCIDs, arXiv ids) the title must do.
    """
    if record.identifier != f"{kind}:{value}":
        return f"answer filed under another identifier ({record.identifier})"
    carried = {"doi": _bare_doi(record.doi), "pmid": record.pmid.strip()}.get(kind)
    asked = _bare_doi(value) if kind == "doi" else value.strip()
    label = kind.upper()
    if carried == "":
        return f"answer without the {label} asked for"
    if carried is not None and carried != asked:
        return f"answer for another {label} ({carried})"
    if not record.title.strip():
        return "answer without a title"
    return ""


def vouched(record: ResolvedRecord, kind: str, value: str) -> ResolvedRecord:
    """``record`` if it may count for ``kind:value``; else an error record saying why.

    Applied by the resolver to every source's records (one place for all of them).
    """
    if record.status != "found":
        return record
    problem = lacks(record, kind, value)
    if not problem:
        return record
    own = {kind: value} if kind in ("doi", "pmid") else {}
    return ResolvedRecord(source=record.source, identifier=f"{kind}:{value}", status="error",
                          error=problem, **own)


MAX_FIELD = 1000   # characters: the longest real titles are about half that
MAX_ITEMS = 50     # publication types, update notices


def trimmed(record: ResolvedRecord) -> ResolvedRecord:
    """``record`` with every text field and list cut to a size no real record reaches, so
    an answer cannot push megabytes of "title" into every report that quotes it."""
    long = {f: getattr(record, f)[:MAX_FIELD] for f in
            ("error", "title", "venue", "year", "first_author", "doi", "pmid", "work_type")
            if len(getattr(record, f)) > MAX_FIELD}
    if len(record.publication_types) > MAX_ITEMS or any(
            len(t) > MAX_FIELD for t in record.publication_types):
        long["publication_types"] = tuple(t[:MAX_FIELD] for t in record.publication_types[:MAX_ITEMS])
    if len(record.updates) > MAX_ITEMS:
        long["updates"] = record.updates[:MAX_ITEMS]
    return record.model_copy(update=long) if long else record


IdStatus = str  # "verified" | "mismatch" | "not-found" | "unverified"


@dataclass(frozen=True)
class IdVerdict:
    """What every source consulted about one identifier adds up to."""

    identifier: str                      # "doi:10.1/x", "pmid:123"
    status: IdStatus
    best: ResolvedRecord | None = None   # the found record closest to the entry
    score: float | None = None


def identifier_verdict(ref: Reference, identifier: str,
                       records: list[ResolvedRecord]) -> IdVerdict:
    """verified if any found record matches; mismatch if records were found and none
    matches; not-found only if every source answered "no such identifier";
    unverified when any source failed and none found it."""
    found = [r for r in records if r.status == "found"]
    if found:
        scored = [(compare(ref, r), r) for r in found]
        matching = [(m, r) for m, r in scored if m.matches or not m.comparable]
        pool = matching or scored

        def key(item: tuple[Match, ResolvedRecord]) -> float:
            return item[0].score if item[0].score is not None else -1.0

        m, rec = max(pool, key=key)
        return IdVerdict(identifier, "verified" if matching else "mismatch", rec, m.score)
    if records and all(r.status == "not-found" for r in records):
        return IdVerdict(identifier, "not-found")
    return IdVerdict(identifier, "unverified")


def group_by_identifier(records: tuple[ResolvedRecord, ...] | list[ResolvedRecord]
                        ) -> dict[str, list[ResolvedRecord]]:
    """Records by the identifier they answer; a title search's candidates answer none."""
    groups: dict[str, list[ResolvedRecord]] = {}
    for rec in records:
        if not rec.identifier.startswith("title:"):
            groups.setdefault(rec.identifier, []).append(rec)
    return groups
