"""Study design from what the authorities say about a record: the built-in sources' tables.

Each source maps its own records (``Source.design``); PubMed's and the
Crossref/OpenAlex work types are here. ``registry.design_from_resolution``
asks the sources of a verified entry's records, most authoritative first.

PubMed's publication types are assigned by NLM indexers from the full text,
so they come first - but only the specific ones. A generic type ("Clinical
Trial", "Clinical Trial, Phase II", "Comparative Study", "Journal Article")
says little about the design, and a PubMed call outranks everything the entry
itself says (its ``studydesign`` field, its title), so mapping it would
downgrade a precise design to a vague one. Those give no call.

Crossref and OpenAlex types describe the *kind of output* (article, chapter,
dataset) and only occasionally imply a design; a ``journal-article`` says
nothing, so no call is made and the offline heuristics (title, keywords...)
decide. A preprint or a dataset is not given a design either: a preprint of
a trial is still a trial.
"""

from __future__ import annotations

from ..models import DesignCall, StudyDesign

# PubMed publication type -> design, strongest evidence first: when a record
# carries several ("Randomized Controlled Trial" + "Multicenter Study"), the
# first one in this table wins.
PUBMED_TYPES: tuple[tuple[str, StudyDesign], ...] = (
    ("Meta-Analysis", "meta-analysis"),
    ("Network Meta-Analysis", "meta-analysis"),
    ("Systematic Review", "systematic-review"),
    ("Practice Guideline", "guideline"),
    ("Guideline", "guideline"),
    ("Consensus Development Conference", "guideline"),
    ("Consensus Development Conference, NIH", "guideline"),
    # animal trials say nothing about humans
    ("Randomized Controlled Trial, Veterinary", "preclinical"),
    ("Clinical Trial, Veterinary", "preclinical"),
    ("Observational Study, Veterinary", "preclinical"),
    ("Randomized Controlled Trial", "randomized-controlled-trial"),
    ("Controlled Clinical Trial", "controlled-trial"),
    ("Equivalence Trial", "controlled-trial"),
    ("Pragmatic Clinical Trial", "controlled-trial"),
    ("Observational Study", "cohort-study"),
    ("Case Reports", "case-report"),
    ("Review", "narrative-review"),
    ("Scoping Review", "narrative-review"),
    ("Editorial", "expert-opinion"),
    ("Comment", "expert-opinion"),
    ("Letter", "expert-opinion"),
)
# Generic types: no call, so the entry's own studydesign field or title decides.
# A phase says how far a drug has got, not whether there was a control group:
# a phase III trial may be an RCT, a phase II one single-arm.
GENERIC_TYPES = frozenset({
    "Journal Article", "Comparative Study", "Clinical Trial", "Clinical Study",
    "Clinical Trial, Phase I", "Clinical Trial, Phase II", "Clinical Trial, Phase III",
    "Clinical Trial, Phase IV", "Multicenter Study",
})
# Also unmapped: Evaluation Study, Validation Study, Research Support (*),
# Preprint, Clinical Trial Protocol (a protocol reports no results), Retracted
# Publication (a status, handled as EV403), Historical Article.

# Crossref and OpenAlex work types that do imply a design
WORK_TYPES: dict[str, StudyDesign] = {
    "book-chapter": "narrative-review",
    "book": "narrative-review",
    "edited-book": "narrative-review",
    "monograph": "narrative-review",
    "reference-entry": "narrative-review",
    "review": "narrative-review",       # OpenAlex
    "editorial": "expert-opinion",      # OpenAlex
    "letter": "expert-opinion",         # OpenAlex
    "peer-review": "expert-opinion",
}


def design_from_pubmed(types: tuple[str, ...]) -> DesignCall | None:
    """The call of the most telling specific type; None when only generic types are present."""
    present = set(types) - GENERIC_TYPES
    for name, design in PUBMED_TYPES:
        if name in present:
            return DesignCall(design=design, source="pubmed", evidence=name)
    return None


def design_from_work_type(source: str, work_type: str) -> DesignCall | None:
    """The call a Crossref/OpenAlex work type implies; None for types that imply no design."""
    design = WORK_TYPES.get(work_type)
    return DesignCall(design=design, source=source, evidence=work_type) if design else None
