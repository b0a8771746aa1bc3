"""The phrases that lead to a source's name, and what may follow a name (for :mod:`.attribution`).

Each rule is a class of wording (docs/claims.md, sections 5 and 9): "published in <venue>",
"researchers at <institution>", "<name>, a neurologist, said", "its maker, <company>,".
The name itself is found by :class:`._names.Names`.
"""

from __future__ import annotations

import re

from .. import _patterns
from ._guard import guarded
from typing import NamedTuple

VENUE_WORDS = _patterns.compile(
    r"\b(?:Journal|Lancet|Nature|Science|JAMA|BMJ|NEJM|PLoS|PLOS|Proceedings|Annals|Archives|Bulletin|"
    r"Review|Reviews|Research|Reports|Medicine|Psychiatry|Psychiatric|Psychology|Neuroscience|"
    r"Neuropsychopharmacology|Pharmacology|Psychopharmacology|Cell|Brain|Pediatrics|Cochrane|"
    r"Letters|Transactions|Quarterly|Gazette|Magazine|Times|Post|News|Today|Frontiers|Neurology|"
    r"Anesthesiology|Anaesthesia|Anesthesia|Therapeutics|Clinical|Biological|Molecular|Translational)\b")
INSTITUTION_WORDS = _patterns.compile(
    r"\b(?:University|Universit\w+|College|Institute|Institutes|Hospital|Hospitals|Clinic|School|Center|Centre|"
    r"Centers|Centres|"
    r"Foundation|Agency|Administration|Organization|Organisation|Association|Society|Academy|"
    r"Department|Council|Laboratory|Laboratories|Ministry|Service|Trust|Consortium|"
    # companies: "NutraGen Labs", "Pellworth Pharma Ltd", "Ardent Biologics"
    r"Labs|Inc|Ltd|LLC|plc|GmbH|Pharma|Pharmaceuticals?|Biologics|Biotech|Corporation|Corp|Company|Group)\b")
KNOWN_INSTITUTIONS = _patterns.compile(
    r"\b(?:FDA|NIH|NIMH|NIDA|CDC|WHO|NHS|NICE|EMA|MHRA|SAMHSA|VA|Mayo Clinic|Johns Hopkins|"
    r"Harvard|Yale|Stanford|Oxford|Cambridge)\b")

# The phrases that come before a name (the name itself is found by _names.Names).
PUBLISHED_IN = guarded(_patterns.compile(
    r"\b(?i:published|reported|appearing|appeared|printed|featured)\s+(?:(?:online|today|this\s+week|last\s+week|"
    r"[A-Z][a-z]+day)\s+)?in\s+(?:the\s+)?(?:journal\s+)?"))
# "a study in <venue>"; a publication's piece: "a report in the Daily Clarion", "an interview in Weekend Health"
STUDY_IN = guarded(_patterns.compile(
    r"\b(?i:study|trial|review|paper|article|report|analysis|meta-analysis|survey|letter|story|piece|interview|"
    r"column|feature|editorial|op-ed)\s+in\s+(?:the\s+)?"))
OUTLET_PIECE = _patterns.compile(r"(?i:report|article|story|piece|interview|column|feature|editorial|op-ed|letter)\b")
ACCORDING_TO = guarded(_patterns.compile(r"\b(?i:according)\s+to\s+(?:a\s+\w+\s+(?:in|from|by)\s+)?(?:the\s+)?"))
AT_INSTITUTION = guarded(_patterns.compile(
    r"\b(?i:researchers|scientists|investigators|doctors|physicians|experts|study|team|a team|teams)\s+"
    r"(?:at|from|of|with|led by)\s+(?:the\s+)?"))
# "a neurologist at Northbridge University Medical Center", "data from the Mayo Clinic"
AT_PLACE = _patterns.compile(r"\b(?:at|from|with)\s+(?:the\s+)?")
BY_INSTITUTION = guarded(_patterns.compile(r"\b(?i:conducted|funded|led|published|run|issued|carried\s+out|sponsored)\s+by\s+(?:the\s+)?"))
# "a study published in 2017 by São Paulo University", "a 2022 trial by NutraGen Labs": "by" (the lead)
# with a study noun among the eight words before it (STUDY_BEFORE, searched back from the lead)
BY = guarded(_patterns.compile(r"\b(?i:by)\s+(?:the\s+)?"))
STUDY_BEFORE = _patterns.compile(r"\b(?i:study|studies|trial|trials|review|survey|report|analysis|research|paper)\b[^.;,\n]*$")
# "its maker, Ardent Biologics, said": a comma (the lead), an organisation noun among the four words before it
COMMA = _patterns.compile(r",\s+(?:the\s+)?")
ORGANISATION_BEFORE = _patterns.compile(
    r"\b(?i:company|maker|manufacturer|firm|drugmaker|charity|agency|organi[sz]ation|insurer|regulator|developer|"
    r"start-?up|publisher|distributor)\b(?:\s+[\w-]+){0,3}$")
# "a consultant dermatologist at Clearskin", "professor of medicine at Westmarch": a person's
# affiliation (a role among the four words before "at", "with" or "from") names an institution
ROLE_BEFORE = _patterns.compile(
    r"\b(?i:consultant|specialist|professor|lecturer|researcher|scientist|director|head|dean|doctor|nurse|surgeon|"
    r"adviser|advisor|spokes(?:person|man|woman)|chief|fellow|[a-z]+ists?|[a-z]+ians?)"
    r"(?:\s+(?i:of|in)\s+[\w-]+(?:\s+[\w-]+)?)?\s*$")


class Followed(NamedTuple):
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
IN_VENUE = Followed(_patterns.compile(r"(?:the\s+)?"), _patterns.compile(r"(?:[,;]\s*|\b[Ii]n\s+)(?:the\s+)?"),
                      # "\s*,?\s+" written so that two space runs never meet (n spaces: n^2 tries)
                      _patterns.compile(r"(?:\s*,\s+|\s+)(?:researchers|scientists|authors|investigators)\b"),
                      ("researchers", "scientists", "authors", "investigators"))
# "according to the HeartWise UK leaflet": the organisation whose publication is cited
PUBLICATION_OF = Followed(_patterns.compile(r"(?!)"), _patterns.compile(r"\b(?i:according\s+to|from|in)\s+(?:the\s+|a\s+|an\s+)?"),
                            _patterns.compile(r"(?:'s)?\s+(?i:leaflet|website|guidance|guidelines|factsheet|fact\s+sheet|"
                                       r"statement|advice|booklet|report|survey|figures|data)\b"),
                            ("leaflet", "website", "guidance", "guideline", "factsheet", "fact sheet", "statement",
                             "advice", "booklet", "report", "survey", "figures", "data"))
# "The World Health Organization (WHO) estimates...", "The U.S. Food and Drug Administration cleared..."
REPORT_VERBS = (r"(?i:estimates?|reports?|says?|said|recommends?|warns?|states?|notes?|found|finds|advises?|"
                 r"announced|cleared|approved|authori[sz]ed|licensed|concluded)\b")
NAME_REPORTS = Followed(_patterns.compile(""), _patterns.compile(r"[,;]\s+|[,.!?][\"\u201d\u2019]\s+|\b[Tt]he\s+"),
                          _patterns.compile(rf"\s*(?:\([A-Z]{{2,}}\)\s*)?(?:,\s*)?{REPORT_VERBS}"),
                          ("estimate", "report", "say", "said", "recommend", "warn", "state", "note", "found",
                           "find", "advise", "announced", "cleared", "approved", "authori", "licensed",
                           "concluded"),
                          _patterns.compile(rf"(?={REPORT_VERBS})"))
# "Dr. Smith", "Professor Jane Doe"; "Krystal et al.", "Smith and colleagues", "Smith and Jones (2019)"
# a person credited with a quote or named with a role: '"...," Hurd said', 'says Jane Hurd',
# 'Jane Hurd, a board-certified neurologist, told ...'
ROLE_WORD = (r"(?:consultant|specialist|professor|lecturer|researcher|scientist|director|doctor|nurse|surgeon|expert|"
              r"adviser|advisor|spokes(?:person|man|woman)|author|officer|[a-z]+ists?|[a-z]+ians?)")
QUOTE_CREDIT = Followed(_patterns.compile(r"(?!)"), _patterns.compile(r"[,.!?][\"\u201d\u2019]\s+(?:(?i:said|says|adds|added|explains|explained)\s+)?"),
                          _patterns.compile(r"(?:\s+(?i:said|says|added|adds|explained|explains|noted|warned|wrote)\b|\s*[.,]|$)"),
                          ('"', "\u201d", "\u2019"))
WITH_ROLE = Followed(_patterns.compile(""), _patterns.compile(r"[,;:]\s+|[\"\u201c]\s*|\b(?i:said|says|told|explains|explained)\s+"),
                       _patterns.compile(rf",\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,4}}?(?i:{ROLE_WORD})\b"),
                       (", a ", ", an ", ", the "))
