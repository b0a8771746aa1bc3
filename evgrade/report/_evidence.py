"""What a grade rests on, in words a reader can check: "Murrough 2013, Biol Psychiatry, open-label".

Built from an entry's :class:`~evgrade.models.EntryAssessment`: first author's family
name, year, abbreviated venue, design label and, when the entry's facts carry one, the
sample size. Fields that later stages add are read here and nowhere else, so those
stages only have to fill them (docs/output.md, "What the rows show today"):

- ``EntryAssessment.facts`` with ``sample_size`` (or ``n``) and ``population``;
- ``DesignCall.confidence`` / ``low_confidence``;
- ``GradedClaim.certainty`` (a GRADE level, a string or a model with ``level`` and
  ``reasons``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..models import EntryAssessment, GradedClaim, ReferenceSummary

DESIGN_LABELS = {
    "meta-analysis": "meta-analysis", "systematic-review": "systematic review",
    "guideline": "guideline", "randomized-controlled-trial": "RCT",
    "controlled-trial": "controlled trial", "open-label-trial": "open-label",
    "cohort-study": "cohort", "case-control-study": "case-control",
    "cross-sectional-study": "cross-sectional", "case-series": "case series",
    "case-report": "case report", "healthy-volunteer-study": "healthy volunteers",
    "preclinical": "preclinical", "narrative-review": "narrative review",
    "expert-opinion": "expert opinion", "web-page": "web page", "unknown": "design unknown",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# venues of these entry types are journals; others (a clinic's site, a publisher) stay whole
_JOURNAL_TYPES = {"article", "periodical", "suppperiodical"}
MAX_AUTHORS = 3  # a reference list names three, then "et al." (Vancouver style allows 6)


# ------------------------------------------------------------------ names

def _name_parts(name: str) -> tuple[str, str, str]:
    """(family, given, suffix) of a "Family, Given" or "Given Family" name."""
    parts = [p.strip() for p in name.split(",") if p.strip()]
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        words = parts[0].split()
        return (words[-1], " ".join(words[:-1]), "") if len(words) > 1 else (words[0], "", "")
    rest = parts[1:]
    suffix = " ".join(p for p in rest if p.lower() in _SUFFIXES)
    given = " ".join(p for p in rest if p.lower() not in _SUFFIXES)
    return parts[0], given, suffix


def family_name(name: str) -> str:
    return _name_parts(name)[0]


def _initials(given: str) -> str:
    return "".join(w[0].upper() for w in re.split(r"[\s.\-]+", given) if w and w[0].isalpha())


def vancouver_name(name: str) -> str:
    """"Murrough, James W." -> "Murrough JW"; "Zarate, C. A., Jr." -> "Zarate CA Jr"."""
    family, given, suffix = _name_parts(name)
    return " ".join(p for p in (family, _initials(given), suffix.rstrip(".")) if p)


def author_list(authors: tuple[str, ...]) -> str:
    names = [vancouver_name(a) for a in authors[:MAX_AUTHORS]]
    if len(authors) > MAX_AUTHORS:
        names.append("et al.")
    return ", ".join(names)


# ------------------------------------------------------------------ venues

_ABBREVIATED: dict[str, str] = {}   # journal title -> abbreviation, for this process
_KEEP_ABBREVIATED = 20_000


def abbreviate_journals(titles: Iterable[str]) -> None:
    """Work out the abbreviations of these journal titles together: one pass over the
    LTWA for all of them (``_iso4.py``), however many there are."""
    todo = [t for t in dict.fromkeys(titles) if t.strip() and t not in _ABBREVIATED]
    if not todo:
        return
    from ._iso4 import abbreviator

    abbreviate = abbreviator(todo)
    if len(_ABBREVIATED) + len(todo) > _KEEP_ABBREVIATED:
        _ABBREVIATED.clear()
    for title in todo:
        _ABBREVIATED[title] = _abbreviated(abbreviate, title)


def _abbreviated(abbreviate: Any, title: str) -> str:
    if abbreviate is None:
        return title
    try:
        short = abbreviate(title, remove_part=True)
    except Exception:  # pyiso4 raises on some odd titles; the full title is still right
        return title
    return " ".join(short.replace(".", " ").split()) or title


def abbreviate_journal(title: str) -> str:
    """A journal title the way MEDLINE prints it: ISO 4 abbreviations without full stops."""
    if not title.strip():
        return title
    if title not in _ABBREVIATED:
        abbreviate_journals([title])
    return _ABBREVIATED.get(title, title)


def journal_titles(refs: Iterable[ReferenceSummary | None]) -> list[str]:
    """The titles :func:`short_venue` abbreviates for these references."""
    return [r.venue for r in refs
            if r is not None and not r.venue_short and r.entry_type in _JOURNAL_TYPES and r.venue]


def short_venue(ref: ReferenceSummary) -> str:
    if ref.venue_short:
        return " ".join(ref.venue_short.replace(".", " ").split())
    if ref.entry_type in _JOURNAL_TYPES and ref.venue:
        return abbreviate_journal(ref.venue)
    return ref.venue


# ---------------------------------------------------- fields later issues fill

def _field(obj: Any, *names: str) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return None


def sample_size(entry: EntryAssessment) -> int | None:
    """n from the entry's facts (issue 12); None while entries carry no facts."""
    facts = getattr(entry, "facts", None)
    n = _field(facts, "sample_size", "n") if facts is not None else None
    return n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else None


def population(entry: EntryAssessment) -> str:
    facts = getattr(entry, "facts", None)
    value = _field(facts, "population") if facts is not None else None
    return str(value) if value else ""


def design_label(entry: EntryAssessment) -> str:
    call = entry.design
    if call is None:
        return "" if not entry.exists else DESIGN_LABELS["unknown"]
    label = DESIGN_LABELS.get(call.design, call.design)
    if getattr(call, "low_confidence", False):
        label += " (low confidence)"
    return label


def certainty(gc: GradedClaim) -> tuple[str, tuple[str, ...]]:
    """(level, reasons) of a claim's GRADE-style certainty; ("", ()) until claims carry one."""
    value = getattr(gc, "certainty", None)
    if value is None or value == "":
        return "", ()
    if isinstance(value, str):
        return value, ()
    level = _field(value, "level", "rating", "certainty")
    reasons = _field(value, "reasons") or ()
    return (str(level) if level else ""), tuple(str(r) for r in reasons)


# ------------------------------------------------------------------ labels

def _source_parts(ref: ReferenceSummary, key: str, venue: bool) -> list[str]:
    """["Murrough 2013", "Biol Psychiatry"]: who and when, then where; the title or key
    when the entry names neither."""
    who = family_name(ref.authors[0]) if ref.authors else ""
    head = " ".join(p for p in (who, ref.year) if p)
    parts = [head] if head else []
    where = short_venue(ref) if venue else ""
    if where and where != who:
        parts.append(where)
    return parts or [ref.title or key]


def evidence_label(entry: EntryAssessment | None, key: str, *, venue: bool = True) -> str:
    """"Murrough 2013, Biol Psychiatry, open-label, n=24"; the key alone for a missing entry."""
    if entry is None or entry.reference is None:
        return "not in the bibliography" if entry is not None and not entry.exists else key
    parts = _source_parts(entry.reference, key, venue)
    design = design_label(entry)
    n = sample_size(entry)
    parts += [design] if design else []
    parts += [f"n={n}"] if n is not None else []
    return ", ".join(parts)


__all__ = ["DESIGN_LABELS", "abbreviate_journal", "abbreviate_journals", "journal_titles", "author_list", "certainty", "design_label",
           "evidence_label", "family_name", "population", "sample_size", "short_venue",
           "vancouver_name"]
