"""Immutable data passed between the pipeline stages.

read -> claims -> link -> grade -> report. Every stage takes and returns these
models; none of them holds behaviour beyond small derived properties. Offsets
are 0-based character offsets into ``Document.text``; ``line`` and ``col`` are
1-based, as editors and linters print them.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, StringConstraints

# entry facts, support, figures and certainty live in their own module; import them from here
from ._evidence_models import CERTAINTY_LEVELS as CERTAINTY_LEVELS
from ._evidence_models import Certainty as Certainty
from ._evidence_models import CertaintyLevel as CertaintyLevel
from ._evidence_models import Control as Control
from ._evidence_models import EntryFacts as EntryFacts
from ._evidence_models import FigureCheck as FigureCheck
from ._evidence_models import PartGrade as PartGrade
from ._evidence_models import Population as Population
from ._evidence_models import RecordedResult as RecordedResult
from ._evidence_models import SourceMatch as SourceMatch
from ._evidence_models import Support as Support
from ._frozen import Frozen

# 2.1: entry facts, support, parts, figures, certainty, EntryAssessment.reference;
# 2.0: Report.command removed (docs/output.md)
SCHEMA_VERSION = "2.1"


Model = Frozen   # frozen, no unknown fields, field-name sets shared (evgrade/_frozen.py)


# --------------------------------------------------------------------- read

class Span(Model):
    start: int = Field(ge=0, description="0-based offset of the first character")
    end: int = Field(ge=0, description="0-based offset one past the last character")
    line: int = Field(ge=1)
    col: int = Field(ge=1)
    end_line: int = Field(ge=1)
    end_col: int = Field(ge=1)


BlockKind = Literal[
    "heading",       # titles and section headings (no claims)
    "prose",         # running text: the only place claims come from
    "list-item",     # a bullet or numbered item: prose, but kept apart
    "chrome",        # navigation, contact details, link lists, "Related posts"...
    "code",          # fenced/indented code, inline code is masked inside prose
    "math",
    "front-matter",  # YAML front matter of a Markdown draft
    "comment",       # HTML/LaTeX comments
    "bibliography",  # a references section at the end of a draft
]


class Block(Model):
    kind: BlockKind
    span: Span
    reason: str = ""  # why a block was classed as chrome/heading, for debugging
    # the part of a manuscript it belongs to (evgrade/read/sections.py): "title-block",
    # "abstract", "methods", "results", "caption", "acknowledgements", "data-availability";
    # "" for body text and for readers that do not label parts
    section: str = ""


class Citation(Model):
    """One cited key as written in the source."""

    key: str
    span: Span
    syntax: Literal["pandoc", "pandoc-intext", "latex", "manubot"]
    command: str = ""          # e.g. "citep", "parencite"; "" for pandoc
    prefix: str = ""
    locator: str = ""          # "p. 3", "pp. 3-5"
    suppress_author: bool = False
    nocite: bool = False


class Suppression(Model):
    """An inline ``evgrade: ignore CODE`` comment; applies to the paragraph after it."""

    codes: tuple[str, ...]     # empty = every code
    span: Span                 # the paragraph it covers


class Sentence(Model):
    index: int
    span: Span
    text: str                  # prose text, citations and markup removed, whitespace folded
    block: int                 # index into Document.blocks
    block_kind: BlockKind


class Document(Model):
    path: str
    format: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")  # the reader's name: text, markdown, latex, html or a plugin's
    text: str                  # the decoded source, unchanged
    prose: str                 # same length as text; non-prose characters blanked to spaces
    title: str = ""
    blocks: tuple[Block, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    citations: tuple[Citation, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    bibliography: tuple[str, ...] = ()  # .bib paths named by the document itself


# ------------------------------------------------------------------- claims

ClaimKind = Literal["statistic", "efficacy", "mechanism", "safety", "prevalence-history", "other"]
CLAIM_KINDS: tuple[str, ...] = ("statistic", "efficacy", "mechanism", "safety",
                                "prevalence-history", "other")

CueKind = Literal[
    "number", "percent", "comparison",
    "venue", "institution", "researcher",   # named sources
    "vague-attribution",                    # "studies have shown", "research has indicated"
    "study-reference",                      # "clinical trials", "a study", "researchers found"
    "hedge",                                # "may", "is thought to"
]


class Cue(Model):
    kind: CueKind
    text: str
    offset: int = 0            # offset of the cue inside Claim.text


class Attribution(Model):
    """Who or what the claim says it comes from."""

    kind: Literal["venue", "institution", "researcher", "vague"]
    name: str = ""             # "Journal of Psychiatric Research"; "" for vague ones
    text: str                  # the phrase as written


class Claim(Model):
    id: str                    # stable: derived from article name and normalised text
    article: str               # document path
    sentence: int              # index into Document.sentences
    span: Span
    text: str
    kind: ClaimKind
    cues: tuple[Cue, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    hedged: bool = False
    citations: tuple[Citation, ...] = ()  # explicit citations attached to this sentence

    @property
    def named_source(self) -> Attribution | None:
        """The most specific named source: venue > institution > researcher (docs/claims.md)."""
        named = [a for a in self.attributions if a.kind != "vague"]
        order = {"venue": 0, "institution": 1, "researcher": 2}
        return min(named, key=lambda a: order[a.kind]) if named else None


# ------------------------------------------------------------- bibliography

class Location(Model):
    path: str
    line: int = Field(ge=1)


class Reference(Model):
    """One bibliography entry, fields already turned from LaTeX into Unicode."""

    key: str
    entry_type: str            # lower case: "article", "online", ...
    authors: tuple[str, ...] = ()   # "Family, Given" as written
    title: str = ""
    year: str = ""
    venue: str = ""            # journal / booktitle / publisher site
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    arxiv: str = ""
    isbn: str = ""
    url: str = ""
    howpublished: str = ""
    keywords: tuple[str, ...] = ()
    abstract: str = ""
    note: str = ""
    study_design: str = ""     # explicit field: studydesign / study_design / design
    fields: dict[str, str] = Field(default_factory=dict)  # every field, Unicode
    location: Location | None = None


# ---------------------------------------------------------------- findings

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Finding(Model):
    code: str                  # stable, e.g. "EV201"
    name: str                  # kebab-case, e.g. "claim-without-citation"
    severity: Severity
    message: str
    path: str = ""
    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    end_col: int | None = None
    claim_id: str = ""
    key: str = ""


# -------------------------------------------------------------- resolution

class UpdateNotice(Model):
    kind: Literal["retraction", "correction", "expression-of-concern", "other"]
    doi: str = ""
    date: str = ""
    source: str = ""


# The name of a resolver source: "pubmed", "crossref", "openalex", "search" (the
# Crossref title search) or a plugin's (docs/resolution.md). Any name of this
# shape is accepted here, so a report written with a plugin reads back without
# it; evgrade.resolve.registry checks names against the registered sources
# where they come in.
SOURCE_NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
SourceName = Annotated[str, StringConstraints(pattern=SOURCE_NAME_PATTERN)]


class ResolvedRecord(Model):
    """What one authority said about one identifier."""

    source: SourceName = Field(description="the resolver source: pubmed, crossref, openalex, "
                                           "search (title search) or a plugin source's name")
    identifier: str
    status: Literal["found", "not-found", "error"]
    error: str = ""            # why status == "error" ("timeout", "HTTP 503", "malformed body")
    title: str = ""
    venue: str = ""
    year: str = ""
    first_author: str = ""     # family name
    doi: str = ""
    pmid: str = ""
    publication_types: tuple[str, ...] = ()  # publication types as the source names them (PubMed's)
    work_type: str = ""        # kind of output as the source names it (Crossref / OpenAlex type)
    retracted: bool = False
    updates: tuple[UpdateNotice, ...] = ()


class Resolution(Model):
    """evgrade's verdict on one bibliography entry after looking it up."""

    key: str
    status: Literal["verified", "mismatch", "not-found", "unverified", "no-identifier"]
    records: tuple[ResolvedRecord, ...] = ()
    match_score: float | None = None   # 0..1 title/year/author agreement with the best record
    retracted: bool = False
    updates: tuple[UpdateNotice, ...] = ()
    suggested_doi: str = ""            # from a title search, never written silently
    suggestion_score: float | None = None


# ------------------------------------------------------------------- grade

StudyDesign = Literal[
    "meta-analysis", "systematic-review", "guideline",
    "randomized-controlled-trial", "controlled-trial", "open-label-trial",
    "cohort-study", "case-control-study", "cross-sectional-study",
    "case-series", "case-report", "healthy-volunteer-study",
    "preclinical", "narrative-review", "expert-opinion",
    "web-page", "unknown",
]

# A design call comes from the entry itself or from a resolver source's record
# (pubmed, crossref, openalex or a plugin: see SourceName).
EntryDesignSource = Literal["field", "keywords", "title", "abstract", "section", "absence",
                            "entry-type", "url", "default"]
DesignSource = Union[EntryDesignSource, SourceName]

LOW_CONFIDENCE = 0.5  # a call below it is shown as low-confidence


class DesignCall(Model):
    """A study design, where it came from, the words that decided it and how sure the call is:
    confidence 1.0 for a statement (PubMed types, a studydesign field, a work type), below 1.0
    for a call weighed from wording or from what an entry lacks, below 0.5 shown as low."""

    design: StudyDesign
    source: DesignSource
    evidence: str = ""         # the wording or value that decided it
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)

    @property
    def low_confidence(self) -> bool:
        return self.design != "unknown" and self.confidence < LOW_CONFIDENCE

    def describe(self) -> str:
        """One line for people: "case-report (abstract, low confidence 0.42: 'we report')"."""
        if self.design == "unknown":
            return "unknown"
        sure = f"low confidence {self.confidence:.2f}" if self.low_confidence else \
            f"confidence {self.confidence:.2f}"
        words = f": {self.evidence!r}" if self.evidence else ""
        return f"{self.design} ({self.source}, {sure}{words})"


class ReferenceSummary(Model):
    """What a reader needs to find an entry again: reference lists and evidence cells show it."""

    entry_type: str = ""
    authors: tuple[str, ...] = ()   # "Family, Given" as written
    title: str = ""
    year: str = ""
    venue: str = ""
    venue_short: str = ""      # the entry's own abbreviation (shortjournal, journalabbrev), if any
    url: str = ""


class EntryAssessment(Model):
    key: str
    exists: bool
    design: DesignCall | None = None
    level: str                 # rubric level name (the rubric's placement for every kind)
    kind_levels: dict[str, str] = Field(default_factory=dict)  # claim kind -> level, where a kind's ladder differs
    traceable: bool = False
    identifiers: dict[str, str] = Field(default_factory=dict)  # valid ones only
    reasons: tuple[str, ...] = ()   # why not traceable / not counted
    counts_as_evidence: bool = True  # False for retracted works or missing entries
    resolution: Resolution | None = None
    reference: ReferenceSummary | None = None  # None for a missing entry
    facts: EntryFacts | None = None  # None for a missing entry

    def level_for(self, kind: str) -> str:
        """The entry's level for a claim of this kind."""
        return self.kind_levels.get(kind, self.level)



LinkVia = Literal["citation", "map", "suggested"]


class Link(Model):
    claim_id: str
    key: str
    via: LinkVia
    score: float | None = None  # for suggestions and fuzzy map matches
    reason: str = ""
    support: Support = "full"  # from the claim map; citations and suggestions are "full"
    note: str = ""             # the claim map's note on this link
    part: str = ""             # the part of a compound claim this link is about ("" = the whole claim)
    parts: tuple[str, ...] = ()  # the required parts the claim map names for this claim
    match: SourceMatch | None = None  # for suggestions: figure, population, topic and source


class GradedClaim(Model):
    claim: Claim
    links: tuple[Link, ...] = ()
    grade: str                 # rubric level name: that of the weakest required part
    minimum: str = ""          # rubric minimum for the claim's kind
    meets_minimum: bool = True
    traceable: bool = False    # at least one counted, supporting link is traceable
    flags: tuple[str, ...] = ()  # short reasons shown in the table
    parts: tuple[PartGrade, ...] = ()  # one per part (one for the whole claim without parts)
    contradicting: tuple[str, ...] = ()  # keys of linked entries that contradict the claim
    figures: tuple[FigureCheck, ...] = ()
    certainty: Certainty | None = None  # None when nothing counted is linked


class ArticleSummary(Model):
    claims: int
    by_grade: dict[str, int]
    by_kind: dict[str, int]
    traceable: int
    traceable_share: float     # traceable / claims, 0 when there are no claims


class ArticleReport(Model):
    path: str
    title: str = ""
    claims: tuple[GradedClaim, ...] = ()
    summary: ArticleSummary


class Report(Model):
    schema_version: str = SCHEMA_VERSION
    tool: str = "evgrade"
    version: str
    rubric: str
    levels: tuple[str, ...]    # rubric level names, best first
    bibliographies: tuple[str, ...] = ()
    articles: tuple[ArticleReport, ...] = ()
    entries: dict[str, EntryAssessment] = Field(default_factory=dict)
    findings: tuple[Finding, ...] = ()


class ResolutionReport(Model):
    """What ``evgrade resolve`` reports: each entry's verdict and the findings they raise."""

    resolutions: dict[str, Resolution] = Field(default_factory=dict)  # by key, bibliography order
    findings: tuple[Finding, ...] = ()
