"""Who a sentence says its information comes from.

"a study published in the Journal of Psychiatric Research" -> venue
"Journal of Psychiatric Research"; "researchers at Johns Hopkins University"
-> institution; "Dr. Smith found" / "Krystal et al." -> researcher; "studies
have shown" -> vague (Wikipedia's weasel words); "in clinical trials",
"researchers found" -> a study reference that names nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

from .. import _patterns
from ._guard import guarded
from ._leads import (
    ACCORDING_TO,
    AT_INSTITUTION,
    AT_PLACE,
    BY,
    BY_INSTITUTION,
    COMMA,
    Followed,
    INSTITUTION_WORDS,
    IN_VENUE,
    KNOWN_INSTITUTIONS,
    NAME_REPORTS,
    ORGANISATION_BEFORE,
    OUTLET_PIECE,
    PUBLICATION_OF,
    PUBLISHED_IN,
    QUOTE_CREDIT,
    ROLE_BEFORE,
    STUDY_BEFORE,
    STUDY_IN,
    VENUE_WORDS,
    WITH_ROLE,
)
from ._names import Names
from ._phrases import search_ending_at

_TITLED = _patterns.compile(r"\b(?:Dr\.?|Doctor|Professor|Prof\.?)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?")
_COLLEAGUES = _patterns.compile(
    r"(?<=[\w'-])\s+(?:et\s+al\.?|and\s+colleagues|and\s+co-?workers|and\s+[A-Z][\w'-]+\s+\(\d{4}\))")
# A mass of unnamed research: "a body of evidence", "the weight of the data", "a wealth of studies".
_COLLECTIVE = (r"(?:body|weight|wealth|mass|pile|mountain)\s+of\s+(?:the\s+)?"
               r"(?:evidence|research|data|studies|literature)")
_VAGUE = guarded(_patterns.compile(
    r"\b(?:(?:many|several|some|numerous|multiple|recent|other|previous|emerging|preliminary|clinical|"
    r"scientific|new|growing)\s+)?"
    r"(?:studies|research|evidence|experts|scientists|researchers|doctors|data|findings|reports|"
    r"literature|trials|" + _COLLECTIVE + r")\s+"
    # "Studies in several countries have shown": a short phrase may sit between noun and verb
    r"(?:(?:in|from|of|on|among|involving|with)\s+(?:[\w-]+\s+){1,4})?"
    r"(?:(?:has|have|had)\s+(?:also\s+)?(?:shown|indicated|suggested|found|demonstrated|revealed|proven|"
    r"explored|reported|established|confirmed|linked)"
    r"|(?:show|shows|suggest|suggests|indicate|indicates|demonstrate|demonstrates|reveal|reveals|"
    r"believe|believes|say|says|agree|agrees|think|thinks|claim|claims|point to|points to|confirm|"
    r"confirms|support|supports))\b"
    r"|\b(?:it\s+(?:has\s+been|is|was)\s+(?:shown|found|reported|suggested|demonstrated|proven|"
    r"established|believed|thought|known|widely\s+accepted))\b"
    r"|\b(?:has|have)\s+(?:also\s+)?been\s+(?:found|shown|proven|demonstrated|reported|linked)\s+to\b"
    # "some experts", but not "some people" or "others": people in general vouch for nothing
    r"|\bsome\s+(?:experts|scientists|researchers|doctors)\b"
    # unnamed bodies and guidelines recommending: "Most health bodies suggest", "national guidelines recommend"
    r"|\b(?:bodies|authorities|organi[sz]ations|guidelines|guidance)\s+(?:now\s+)?(?:suggest|recommend|advise|say|state)\b"
    r"|\b(?:experts|doctors|scientists|researchers)\s+now\s+(?:suggest|recommend|agree|believe|say|advise)\b"
    r"|\baccording\s+to\s+(?:some|many|most|recent|official|several|current)\s+"
    r"(?:estimates|reports|studies|experts|figures|data|sources|research|surveys)\b"
    # "One theory is that...", "A leading hypothesis suggests..."
    r"|\b(?:one|another|a|the)\s+(?:[\w-]+\s+)?(?:theory|hypothesis|explanation)\s+(?:is|suggests|holds|proposes|says)\b"
    r"|\b(?:experts|scientists|doctors)\s+(?:believe|say|agree|suggest)\b"
    r"|\b(?:the\s+)?(?:growing\s+)?" + _COLLECTIVE + r"\b"
    r"|\bemerging\s+evidence\b"
    r"|\bstudies\s+using\b",
    re.IGNORECASE))
_STUDY_REFERENCE = guarded(_patterns.compile(
    r"\b(?:a|one|another|the|this|that|recent|new|clinical|several|multiple|many|some|numerous|"
    r"preliminary|large|small|randomi[sz]ed|controlled|double-blind)\s+"
    # at most 8 modifiers: each try looks at a bounded number of words, so the scan is linear
    # (a year or a hyphenated adjective too: "A 2016 study", "one well-known study")
    r"(?:(?:clinical|randomi[sz]ed|controlled|recent|large|small|new|pilot|big|major|landmark|blinded|"
    r"observational|published|earlier|previous|latest|national|international|(?:1[89]|20)\d\d|"
    r"[a-z]+(?:-[a-z]+)+)\s+){0,8}"
    r"(?:study|studies|trial|trials|meta-analysis|meta-analyses|review|reviews|experiment|experiments|"
    r"research\s+studies|survey)\b"
    r"|\bresearchers\s+(?:found|discovered|reported|observed|showed|concluded|noted)\b"
    r"|\bin\s+(?:clinical|controlled|randomi[sz]ed)\s+(?:studies|trials|settings)\b"
    r"|\b(?:study|trial) after (?:study|trial)\b",
    re.IGNORECASE))

# A reference marker: "[2]", "[1, 3]", "[4-6]", a digit glued after the full stop ("trials.2",
# "84%.2") or a superscript; it points to a source the text does not name (a study reference).
MARKER = _patterns.compile(
    r"\[\d{1,3}(?:\s?[,\u2013-]\s?\d{1,3})*\]"
    r"|(?:(?<=[^\W\d_][.!?])|(?<=[%)\]\"\u201d\u2019][.!?]))\d{1,3}(?:[,\u2013-]\d{1,3})*(?=\s|$)"
    r"|(?<=\w)[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_MARKER_CHARS = _patterns.compile(r"[\[\u00b9\u00b2\u00b3\u2070-\u2079]|[.!?]\d")
MARKER_START = "[0123456789\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"

AttributionKind = Literal["venue", "institution", "researcher", "vague"]


class Found(NamedTuple):
    kind: AttributionKind | None   # None: a study reference that names nothing
    cue_kind: Literal["venue", "institution", "researcher", "vague-attribution", "study-reference"]
    name: str
    text: str
    offset: int


_TRAILING_CONNECTORS = frozenset("of the and for in on &".split())   # dropped from the end of a name
_PLACE_AFTER = _patterns.compile(r"^(.*\S)\s+in\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*$")


def _strip_trailing_connectors(name: str) -> str:
    """Drop connectors at the end ("Journal of" -> "Journal"), each after white space."""
    end = len(name)
    while True:
        word_start = end
        while word_start > 0 and not name[word_start - 1].isspace():
            word_start -= 1
        space_start = word_start
        while space_start > 0 and name[space_start - 1].isspace():
            space_start -= 1
        if space_start == word_start or name[word_start:end] not in _TRAILING_CONNECTORS:
            return name[:end]
        end = space_start


_ROLE_TITLE = _patterns.compile(r"\s+(?:Director|Head|Chief|President|Vice|CEO|Chair|Chairman|Chairwoman|Dean|"
                         r"Spokesperson|Spokesman|Spokeswoman|Lead|Manager|Secretary|Professor)\b")


def _clean_name(name: str) -> str:
    name = _strip_trailing_connectors(name.strip(" ,.;:"))
    name = re.sub(r"^[Tt]he\s+", "", name)
    # "Mayo Clinic Director of Neurology": a role title after an organisation is not its name
    role = _ROLE_TITLE.search(name)
    if role and role.start() > 0:
        name = name[:role.start()]
    # "St. Anne's Hospital in Boston": the place after an institution is not its name
    m = _PLACE_AFTER.match(name)
    if m and INSTITUTION_WORDS.search(m.group(1)):
        name = m.group(1)
    return name.strip()


def _venue_or_institution(name: str) -> AttributionKind | None:
    if INSTITUTION_WORDS.search(name) or KNOWN_INSTITUTIONS.fullmatch(name):
        return "institution"
    if VENUE_WORDS.search(name):
        return "venue"
    return None


class _Hit(NamedTuple):
    start: int        # the whole phrase
    end: int
    span: tuple[int, int]   # the part that may not overlap an attribution found before


def _names_after(lead: re.Pattern[str], text: str, names: Names) -> Iterator[_Hit]:
    """Every "<lead><name>", left to right and not overlapping (as ``finditer`` would)."""
    pos = 0
    while (m := lead.search(text, pos)) is not None:
        end = names.end(m.end())
        if end is None:
            pos = m.start() + 1
            continue
        yield _Hit(m.start(), end, (m.end(), end))
        pos = end


def _names_before(rule: Followed, text: str, names: Names, start_only: bool = False) -> Iterator[_Hit]:
    """Every "<lead><name><after>", the name as long as it can be (only at the text's start)."""
    def at(start: int, name_start: int) -> _Hit | None:
        end = names.last_end(name_start, rule.after, rule.inside)
        if end is None:
            return None
        return _Hit(start, rule.after.match(text, end).end(), (name_start, end))  # type: ignore[union-attr]

    if not rule.may_match(text):
        return
    pos = 0
    first = rule.at_text_start.match(text)
    hit = at(0, first.end()) if first else None
    if hit:
        yield hit
        pos = hit.end
    while not start_only and (m := rule.lead.search(text, pos)) is not None:
        hit = at(m.start(), m.end())
        if hit:
            yield hit
        pos = hit.end if hit else m.start() + 1


def _researchers(text: str) -> Iterator[_Hit]:
    """"Dr. Smith" and "Smith et al." phrases, left to right, not overlapping."""
    pos = 0
    titled = _TITLED.search(text)
    colleagues = _with_colleagues(text, 0)
    while True:  # a search that found nothing finds nothing later either
        if titled is not None and titled.start() < pos:
            titled = _TITLED.search(text, pos)
        if colleagues is not None and colleagues.start < pos:
            colleagues = _with_colleagues(text, pos)
        if titled is not None and (colleagues is None or titled.start() <= colleagues.start):
            hit = _Hit(titled.start(), titled.end(), titled.span())
        elif colleagues is not None:
            hit = colleagues
        else:
            return
        yield hit
        pos = hit.end


def _with_colleagues(text: str, pos: int) -> _Hit | None:
    """The first "<Capitalised-word> et al." (and colleagues, co-workers, and X (year)) at or after pos.

    The capitalised word ends where the "et al." part begins; it starts at a word
    boundary inside the run of letters, digits, ' and - before it.
    """
    while (m := _COLLEAGUES.search(text, pos)) is not None:
        word_end = word_start = m.start()
        while word_start > pos and _researcher_char(text[word_start - 1]):
            word_start -= 1
        for p in range(word_start, word_end - 1):
            if "A" <= text[p] <= "Z" and (p == 0 or not _word_char(text[p - 1])):
                return _Hit(p, m.end(), (p, m.end()))
        pos = m.start() + 1
    return None


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _researcher_char(c: str) -> bool:
    return c.isalnum() or c in "_'-"


class _Taken:
    """Spans already attributed; one rule's hits never overlap each other, so they are
    checked against earlier rules' spans only, by bisection."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._new: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)
        return i == 0 or self._spans[i - 1][1] <= start

    def take(self, start: int, end: int) -> None:
        self._new.append((start, end))

    def next_rule(self) -> None:
        if self._new:
            self._spans = sorted(self._spans + self._new)
            self._starts = [s for s, _ in self._spans]
            self._new = []


def _preceded(hits: Iterator[_Hit], text: str, before: re.Pattern[str], words: int) -> Iterator[_Hit]:
    """The hits whose lead has ``before`` ending right before it, within ``words`` words."""
    return (h for h in hits if search_ending_at(before, text, h.start, words=words))


def _named_hits(text: str, names: Names) -> Iterator[tuple[bool, str, Iterator[_Hit]]]:
    """The name rules in order: (venue allowed, rule name, hits). A name is a capitalised word
    after a lead, or the sentence's first word followed by a reporting verb: without a capital
    after the first character only the second can match."""
    if _CAPITAL.search(text, 1) is None:
        yield True, "in-venue", _names_before(IN_VENUE, text, names, start_only=True)
        yield False, "reports", _names_before(NAME_REPORTS, text, names, start_only=True)
        return
    yield True, "published", _names_after(PUBLISHED_IN, text, names)
    yield True, "study", _names_after(STUDY_IN, text, names)
    yield True, "according", _names_after(ACCORDING_TO, text, names)
    yield True, "in-venue", _names_before(IN_VENUE, text, names)
    yield False, "reports", _names_before(NAME_REPORTS, text, names)
    yield False, "organisation", _names_before(PUBLICATION_OF, text, names)
    yield False, "person", _names_before(QUOTE_CREDIT, text, names)
    yield False, "person", _names_before(WITH_ROLE, text, names)
    yield False, "at-institution", _names_after(AT_INSTITUTION, text, names)
    yield False, "by-institution", _names_after(BY_INSTITUTION, text, names)
    yield False, "organisation", _preceded(_names_after(BY, text, names), text, STUDY_BEFORE, 8)
    yield False, "organisation", _preceded(_names_after(COMMA, text, names), text, ORGANISATION_BEFORE, 4)
    yield False, "at-place", _names_after(AT_PLACE, text, names)


_CAPITAL = _patterns.compile(r"[A-Z&]")


def _by_context(rule: str, text: str, hit: _Hit) -> AttributionKind | None:
    """What the words around a name of no tell-tale kind make it: a person's affiliation
    ("a neurologist at X") is an institution, a publication's piece ("a report in X Y") a venue."""
    if rule == "at-place" and search_ending_at(ROLE_BEFORE, text, hit.start, words=4):
        return "institution"
    if rule == "study" and OUTLET_PIECE.match(text, hit.start) and len(text[hit.span[0]:hit.span[1]].split()) >= 2:
        return "venue"
    return None


def _name_kind(venue_allowed: bool, rule: str, name: str) -> AttributionKind | None:
    if rule == "organisation":
        return "institution"   # the words before the name say what it is
    if rule == "person":
        return "institution" if INSTITUTION_WORDS.search(name) or KNOWN_INSTITUTIONS.search(name) else "researcher"
    if not venue_allowed:
        return "institution" if INSTITUTION_WORDS.search(name) or KNOWN_INSTITUTIONS.search(name) else None
    kind = _venue_or_institution(name)
    if kind is None and rule == "published" and len(name.split()) >= 2:
        kind = "venue"  # "published in X Y" names a venue even without a tell-tale word
    return kind


def find(text: str) -> list[Found]:
    """Every attribution in a sentence, named ones first, each at most once per span."""
    found: list[Found] = []
    taken = _Taken()

    def add(kind: AttributionKind | None, cue: str, name: str, hit: _Hit) -> None:
        if taken.free(*hit.span):
            taken.take(*hit.span)
            found.append(Found(kind, cue, name, text[hit.start:hit.end].strip(), hit.start))  # type: ignore[arg-type]

    names = Names(text)
    for venue_allowed, rule, hits in _named_hits(text, names):
        for hit in hits:
            name = _clean_name(text[hit.span[0]:hit.span[1]])
            kind = _name_kind(venue_allowed, rule, name) or _by_context(rule, text, hit)
            if kind:
                add(kind, kind, name, hit)
        taken.next_rule()
    for m in KNOWN_INSTITUTIONS.finditer(text):
        add("institution", "institution", m.group(0), _Hit(m.start(), m.end(), m.span()))
    taken.next_rule()
    for hit in _researchers(text):
        name = re.sub(r"\s+(?:et\s+al\.?|and\s+colleagues|and\s+co-?workers)$", "", text[hit.start:hit.end])
        add("researcher", "researcher", name.strip(), hit)
    taken.next_rule()
    for pattern, kind, cue in ((_VAGUE, "vague", "vague-attribution"), (_STUDY_REFERENCE, None, "study-reference"),
                               (MARKER, None, "study-reference")):
        if pattern is MARKER and not _MARKER_CHARS.search(text):
            continue   # most sentences have no marker: one scan for its characters is cheaper
        for m in pattern.finditer(text):
            add(kind, cue, "", _Hit(m.start(), m.end(), m.span()))  # type: ignore[arg-type]
        taken.next_rule()
    found.sort(key=lambda f: f.offset)
    return found
