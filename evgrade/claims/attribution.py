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

from ._names import Names

_VENUE_WORDS = re.compile(
    r"\b(?:Journal|Lancet|Nature|Science|JAMA|BMJ|NEJM|PLoS|PLOS|Proceedings|Annals|Archives|Bulletin|"
    r"Review|Reviews|Research|Reports|Medicine|Psychiatry|Psychiatric|Psychology|Neuroscience|"
    r"Neuropsychopharmacology|Pharmacology|Psychopharmacology|Cell|Brain|Pediatrics|Cochrane|"
    r"Letters|Transactions|Quarterly|Gazette|Magazine|Times|Post|News|Today|Frontiers|Neurology|"
    r"Anesthesiology|Anaesthesia|Anesthesia|Therapeutics|Clinical|Biological|Molecular|Translational)\b")
_INSTITUTION_WORDS = re.compile(
    r"\b(?:University|Universit\w+|College|Institute|Institutes|Hospital|Hospitals|Clinic|School|Center|Centre|"
    r"Centers|Centres|"
    r"Foundation|Agency|Administration|Organization|Organisation|Association|Society|Academy|"
    r"Department|Council|Laboratory|Laboratories|Ministry|Service|Trust|Consortium)\b")
_KNOWN_INSTITUTIONS = re.compile(
    r"\b(?:FDA|NIH|NIMH|NIDA|CDC|WHO|NHS|NICE|EMA|MHRA|SAMHSA|VA|Mayo Clinic|Johns Hopkins|"
    r"Harvard|Yale|Stanford|Oxford|Cambridge)\b")

# The phrases that come before a name (the name itself is found by _names.Names).
_PUBLISHED_IN = re.compile(
    r"\b(?i:published|reported|appearing|appeared|printed|featured)\s+(?:(?:online|today|this\s+week|last\s+week|"
    r"[A-Z][a-z]+day)\s+)?in\s+(?:the\s+)?(?:journal\s+)?")
_STUDY_IN = re.compile(
    r"\b(?i:study|trial|review|paper|article|report|analysis|meta-analysis|survey|letter)\s+in\s+(?:the\s+)?")
_ACCORDING_TO = re.compile(r"\b(?i:according)\s+to\s+(?:a\s+\w+\s+(?:in|from|by)\s+)?(?:the\s+)?")
_AT_INSTITUTION = re.compile(
    r"\b(?i:researchers|scientists|investigators|doctors|physicians|experts|study|team|a team|teams)\s+"
    r"(?:at|from|of|with|led by)\s+(?:the\s+)?")
# "a neurologist at Northbridge University Medical Center", "data from the Mayo Clinic"
_AT_PLACE = re.compile(r"\b(?:at|from)\s+(?:the\s+)?")
_BY_INSTITUTION = re.compile(r"\b(?i:conducted|funded|led|published|run|issued)\s+by\s+(?:the\s+)?")


class _Followed(NamedTuple):
    """A name that must be followed by certain words: where it may start, what follows."""
    at_text_start: re.Pattern[str]   # matched at offset 0 only, tried first there
    lead: re.Pattern[str]            # anywhere
    after: re.Pattern[str]
    needs: tuple[str, ...]           # a text ``after`` can match in holds one of these, case aside
    inside: re.Pattern[str] | None = None   # where ``after`` may match inside a word

    def may_match(self, text: str) -> bool:
        """A quick test before the names are listed: most sentences hold none of the words."""
        if not text.isascii():   # case-insensitive matching of other scripts is not just lower()
            return True
        low = text.lower()
        return any(word in low for word in self.needs)


# "In Nature, researchers...", "..., the Mayo Clinic researchers found"
_IN_VENUE = _Followed(re.compile(r"(?:the\s+)?"), re.compile(r"(?:[,;]\s*|\b[Ii]n\s+)(?:the\s+)?"),
                      # "\s*,?\s+" written so that two space runs never meet (n spaces: n^2 tries)
                      re.compile(r"(?:\s*,\s+|\s+)(?:researchers|scientists|authors|investigators)\b"),
                      ("researchers", "scientists", "authors", "investigators"))
# "The World Health Organization (WHO) estimates...", "The U.S. Food and Drug Administration cleared..."
_REPORT_VERBS = (r"(?i:estimates?|reports?|says?|said|recommends?|warns?|states?|notes?|found|finds|advises?|"
                 r"announced|cleared|approved|authori[sz]ed|licensed|concluded)\b")
_NAME_REPORTS = _Followed(re.compile(""), re.compile(r"[,;]\s+|\b[Tt]he\s+"),
                          re.compile(rf"\s*(?:\([A-Z]{{2,}}\)\s*)?(?:,\s*)?{_REPORT_VERBS}"),
                          ("estimate", "report", "say", "said", "recommend", "warn", "state", "note", "found",
                           "find", "advise", "announced", "cleared", "approved", "authori", "licensed",
                           "concluded"),
                          re.compile(rf"(?={_REPORT_VERBS})"))
# "Dr. Smith", "Professor Jane Doe"; "Krystal et al.", "Smith and colleagues", "Smith and Jones (2019)"
_TITLED = re.compile(r"\b(?:Dr\.?|Doctor|Professor|Prof\.?)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?")
_COLLEAGUES = re.compile(
    r"(?<=[\w'-])\s+(?:et\s+al\.?|and\s+colleagues|and\s+co-?workers|and\s+[A-Z][\w'-]+\s+\(\d{4}\))")
# A mass of unnamed research: "a body of evidence", "the weight of the data", "a wealth of studies".
_COLLECTIVE = (r"(?:body|weight|wealth|mass|pile|mountain)\s+of\s+(?:the\s+)?"
               r"(?:evidence|research|data|studies|literature)")
_VAGUE = re.compile(
    r"\b(?:(?:many|several|some|numerous|multiple|recent|other|previous|emerging|preliminary|clinical|"
    r"scientific|new|growing)\s+)?"
    r"(?:studies|research|evidence|experts|scientists|researchers|doctors|data|findings|reports|"
    r"literature|trials|" + _COLLECTIVE + r")\s+"
    r"(?:(?:has|have|had)\s+(?:also\s+)?(?:shown|indicated|suggested|found|demonstrated|revealed|proven|"
    r"explored|reported|established|confirmed|linked)"
    r"|(?:show|shows|suggest|suggests|indicate|indicates|demonstrate|demonstrates|reveal|reveals|"
    r"believe|believes|say|says|agree|agrees|think|thinks|claim|claims|point to|points to|confirm|"
    r"confirms|support|supports))\b"
    r"|\b(?:it\s+(?:has\s+been|is|was)\s+(?:shown|found|reported|suggested|demonstrated|proven|"
    r"established|believed|thought|known|widely\s+accepted))\b"
    r"|\b(?:has|have)\s+been\s+(?:found|shown|proven|demonstrated|reported)\s+to\b"
    r"|\bsome\s+(?:experts|scientists|researchers|doctors|people)\b"
    r"|\b(?:experts|scientists|doctors)\s+(?:believe|say|agree|suggest)\b"
    r"|\b(?:the\s+)?(?:growing\s+)?" + _COLLECTIVE + r"\b"
    r"|\bemerging\s+evidence\b"
    r"|\bstudies\s+using\b",
    re.IGNORECASE)
_STUDY_REFERENCE = re.compile(
    r"\b(?:a|one|another|the|this|that|recent|new|clinical|several|multiple|many|some|numerous|"
    r"preliminary|large|small|randomi[sz]ed|controlled|double-blind)\s+"
    # at most 8 modifiers: each try looks at a bounded number of words, so the scan is linear
    r"(?:(?:clinical|randomi[sz]ed|controlled|recent|large|small|new|pilot|follow-up)\s+){0,8}"
    r"(?:study|studies|trial|trials|meta-analysis|meta-analyses|review|reviews|experiment|experiments|"
    r"research\s+studies|survey)\b"
    r"|\bresearchers\s+(?:found|discovered|reported|observed|showed|concluded|noted)\b"
    r"|\bin\s+(?:clinical|controlled|randomi[sz]ed)\s+(?:studies|trials|settings)\b",
    re.IGNORECASE)

AttributionKind = Literal["venue", "institution", "researcher", "vague"]


class Found(NamedTuple):
    kind: AttributionKind | None   # None: a study reference that names nothing
    cue_kind: Literal["venue", "institution", "researcher", "vague-attribution", "study-reference"]
    name: str
    text: str
    offset: int


_TRAILING_CONNECTORS = frozenset("of the and for in on &".split())   # dropped from the end of a name
_PLACE_AFTER = re.compile(r"^(.*\S)\s+in\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*$")


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


def _clean_name(name: str) -> str:
    name = _strip_trailing_connectors(name.strip(" ,.;:"))
    name = re.sub(r"^[Tt]he\s+", "", name)
    # "St. Anne's Hospital in Boston": the place after an institution is not its name
    m = _PLACE_AFTER.match(name)
    if m and _INSTITUTION_WORDS.search(m.group(1)):
        name = m.group(1)
    return name.strip()


def _venue_or_institution(name: str) -> AttributionKind | None:
    if _INSTITUTION_WORDS.search(name) or _KNOWN_INSTITUTIONS.fullmatch(name):
        return "institution"
    if _VENUE_WORDS.search(name):
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


def _names_before(rule: _Followed, text: str, names: Names) -> Iterator[_Hit]:
    """Every "<lead><name><after>", the name as long as it can be."""
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
    while (m := rule.lead.search(text, pos)) is not None:
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


def _named_hits(text: str, names: Names) -> Iterator[tuple[bool, str, Iterator[_Hit]]]:
    """The name rules in order: (venue allowed, rule name, hits)."""
    yield True, "published", _names_after(_PUBLISHED_IN, text, names)
    yield True, "study", _names_after(_STUDY_IN, text, names)
    yield True, "according", _names_after(_ACCORDING_TO, text, names)
    yield True, "in-venue", _names_before(_IN_VENUE, text, names)
    yield False, "reports", _names_before(_NAME_REPORTS, text, names)
    yield False, "at-institution", _names_after(_AT_INSTITUTION, text, names)
    yield False, "by-institution", _names_after(_BY_INSTITUTION, text, names)
    yield False, "at-place", _names_after(_AT_PLACE, text, names)


def _name_kind(venue_allowed: bool, rule: str, name: str) -> AttributionKind | None:
    if not venue_allowed:
        return "institution" if _INSTITUTION_WORDS.search(name) or _KNOWN_INSTITUTIONS.search(name) else None
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
            kind = _name_kind(venue_allowed, rule, name)
            if kind:
                add(kind, kind, name, hit)
        taken.next_rule()
    for m in _KNOWN_INSTITUTIONS.finditer(text):
        add("institution", "institution", m.group(0), _Hit(m.start(), m.end(), m.span()))
    taken.next_rule()
    for hit in _researchers(text):
        name = re.sub(r"\s+(?:et\s+al\.?|and\s+colleagues|and\s+co-?workers)$", "", text[hit.start:hit.end])
        add("researcher", "researcher", name.strip(), hit)
    taken.next_rule()
    for pattern, kind, cue in ((_VAGUE, "vague", "vague-attribution"), (_STUDY_REFERENCE, None, "study-reference")):
        for m in pattern.finditer(text):
            add(kind, cue, "", _Hit(m.start(), m.end(), m.span()))  # type: ignore[arg-type]
        taken.next_rule()
    found.sort(key=lambda f: f.offset)
    return found
