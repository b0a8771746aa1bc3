"""Who a sentence says its information comes from.

"a study published in the Journal of Psychiatric Research" -> venue
"Journal of Psychiatric Research"; "researchers at Johns Hopkins University"
-> institution; "Dr. Smith found" / "Krystal et al." -> researcher; "studies
have shown" -> vague (Wikipedia's weasel words); "in clinical trials",
"researchers found" -> a study reference that names nothing.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

# A capitalised name: capitalised words, allowing lower-case connectors inside.
_CAP = r"(?:[A-Z][\w'&.-]*|[A-Z]{2,}|&)"
_CONNECT = r"(?:of|the|and|for|in|on|de|der|du|la|&)"
_NAME = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP})*"

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

_PUBLISHED_IN = re.compile(
    rf"\b(?i:published|reported|appearing|appeared|printed|featured)\s+(?:(?:online|today|this\s+week|last\s+week|"
    rf"[A-Z][a-z]+day)\s+)?in\s+(?:the\s+)?(?:journal\s+)?"
    rf"(?P<name>{_NAME})")
_STUDY_IN = re.compile(
    rf"\b(?i:study|trial|review|paper|article|report|analysis|meta-analysis|survey|letter)\s+in\s+(?:the\s+)?"
    rf"(?P<name>{_NAME})")
_ACCORDING_TO = re.compile(rf"\b(?i:according)\s+to\s+(?:a\s+\w+\s+(?:in|from|by)\s+)?(?:the\s+)?(?P<name>{_NAME})")
_IN_VENUE = re.compile(rf"(?:^|[,;]\s*|\b[Ii]n\s+)(?:the\s+)?(?P<name>{_NAME})\s*,?\s+(?:researchers|scientists|authors|investigators)\b")
_AT_INSTITUTION = re.compile(
    rf"\b(?i:researchers|scientists|investigators|doctors|physicians|experts|study|team|a team|teams)\s+"
    rf"(?:at|from|of|with|led by)\s+(?:the\s+)?(?P<name>{_NAME})")
# "a neurologist at Northbridge University Medical Center", "data from the Mayo Clinic"
_AT_PLACE = re.compile(rf"\b(?:at|from)\s+(?:the\s+)?(?P<name>{_NAME})")
# "The World Health Organization (WHO) estimates...", "The U.S. Food and Drug Administration cleared..."
_NAME_REPORTS = re.compile(
    rf"(?:^|[,;]\s+|\b[Tt]he\s+)(?P<name>{_NAME})\s*(?:\([A-Z]{{2,}}\)\s*)?(?:,\s*)?"
    rf"(?i:estimates?|reports?|says?|said|recommends?|warns?|states?|notes?|found|finds|advises?|announced|"
    rf"cleared|approved|authori[sz]ed|licensed|concluded)\b")
_BY_INSTITUTION = re.compile(rf"\b(?i:conducted|funded|led|published|run|issued)\s+by\s+(?:the\s+)?(?P<name>{_NAME})")
_RESEARCHER = re.compile(
    r"\b(?P<name>(?:Dr\.?|Doctor|Professor|Prof\.?)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?"
    r"|[A-Z][\w'-]+\s+(?:et\s+al\.?|and\s+colleagues|and\s+co-?workers|and\s+[A-Z][\w'-]+\s+\(\d{4}\)))")
_VAGUE = re.compile(
    r"\b(?:(?:many|several|some|numerous|multiple|recent|other|previous|emerging|preliminary|clinical|"
    r"scientific|new|growing)\s+)?"
    r"(?:studies|research|evidence|experts|scientists|researchers|doctors|data|findings|reports|"
    r"literature|trials|body of evidence|body of research)\s+"
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
    r"|\b(?:the\s+)?(?:growing\s+)?body\s+of\s+(?:evidence|research)\b"
    r"|\bemerging\s+evidence\b"
    r"|\bstudies\s+using\b",
    re.IGNORECASE)
_STUDY_REFERENCE = re.compile(
    r"\b(?:a|one|another|the|this|that|recent|new|clinical|several|multiple|many|some|numerous|"
    r"preliminary|large|small|randomi[sz]ed|controlled|double-blind)\s+"
    r"(?:(?:clinical|randomi[sz]ed|controlled|recent|large|small|new|pilot|follow-up)\s+)*"
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


_TRAILING = re.compile(r"(?:\s+(?:of|the|and|for|in|on|&))+$")


def _clean_name(name: str) -> str:
    name = _TRAILING.sub("", name.strip(" ,.;:"))
    name = re.sub(r"^[Tt]he\s+", "", name)
    # "St. Anne's Hospital in Boston": the place after an institution is not its name
    m = re.match(r"^(.*\S)\s+in\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*$", name)
    if m and _INSTITUTION_WORDS.search(m.group(1)):
        name = m.group(1)
    return name.strip()


def _venue_or_institution(name: str) -> AttributionKind | None:
    if _INSTITUTION_WORDS.search(name) or _KNOWN_INSTITUTIONS.fullmatch(name):
        return "institution"
    if _VENUE_WORDS.search(name):
        return "venue"
    return None


def find(text: str) -> list[Found]:
    """Every attribution in a sentence, named ones first, each at most once per span."""
    found: list[Found] = []
    spans: list[tuple[int, int]] = []

    def add(kind: AttributionKind | None, cue: str, name: str, m: re.Match[str], group: str | int = 0) -> None:
        start, end = m.span(group)
        if any(s < end and start < e for s, e in spans):
            return
        spans.append((start, end))
        found.append(Found(kind, cue, name, m.group(0).strip(), m.start()))  # type: ignore[arg-type]

    for pattern in (_PUBLISHED_IN, _STUDY_IN, _ACCORDING_TO, _IN_VENUE):
        for m in pattern.finditer(text):
            name = _clean_name(m.group("name"))
            kind = _venue_or_institution(name)
            if kind is None and pattern is _PUBLISHED_IN and len(name.split()) >= 2:
                kind = "venue"  # "published in X Y" names a venue even without a tell-tale word
            if kind:
                add(kind, kind, name, m, "name")
    for pattern in (_NAME_REPORTS, _AT_INSTITUTION, _BY_INSTITUTION, _AT_PLACE):
        for m in pattern.finditer(text):
            name = _clean_name(m.group("name"))
            if _INSTITUTION_WORDS.search(name) or _KNOWN_INSTITUTIONS.search(name):
                add("institution", "institution", name, m, "name")
    for m in _KNOWN_INSTITUTIONS.finditer(text):
        add("institution", "institution", m.group(0), m)
    for m in _RESEARCHER.finditer(text):
        name = re.sub(r"\s+(?:et\s+al\.?|and\s+colleagues|and\s+co-?workers)$", "", m.group("name"))
        add("researcher", "researcher", name.strip(), m)
    for m in _VAGUE.finditer(text):
        add("vague", "vague-attribution", "", m)
    for m in _STUDY_REFERENCE.finditer(text):
        add(None, "study-reference", "", m)
    found.sort(key=lambda f: f.offset)
    return found

