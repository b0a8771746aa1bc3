"""Study design from what the authorities say about a verified record.

PubMed's publication types are assigned by NLM indexers from the full text,
so they come first. Crossref and OpenAlex types describe the *kind of output*
(article, chapter, dataset) and only occasionally imply a design; a
``journal-article`` says nothing, so no call is made and the offline
heuristics (title, keywords...) decide. A preprint or a dataset is not given
a design either: a preprint of a trial is still a trial.
"""

from __future__ import annotations

from ..models import DesignCall, Resolution, StudyDesign

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
    ("Clinical Trial, Phase III", "controlled-trial"),
    # a phase I/II/IV or plain "Clinical Trial" asserts no control group
    ("Clinical Trial, Phase I", "open-label-trial"),
    ("Clinical Trial, Phase II", "open-label-trial"),
    ("Clinical Trial, Phase IV", "open-label-trial"),
    ("Clinical Trial", "open-label-trial"),
    ("Observational Study", "cohort-study"),
    ("Case Reports", "case-report"),
    ("Review", "narrative-review"),
    ("Scoping Review", "narrative-review"),
    ("Editorial", "expert-opinion"),
    ("Comment", "expert-opinion"),
    ("Letter", "expert-opinion"),
)
# Deliberately unmapped: Journal Article, Comparative Study, Multicenter Study,
# Evaluation Study, Validation Study, Research Support (*), Preprint, Clinical
# Trial Protocol (a protocol reports no results), Retracted Publication (a
# status, handled as EV403), Historical Article.

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
    present = set(types)
    for name, design in PUBMED_TYPES:
        if name in present:
            return DesignCall(design=design, source="pubmed", evidence=name)
    return None


def design_from_resolution(resolution: Resolution | None) -> DesignCall | None:
    """A design only for a verified entry; a mismatched record describes another work."""
    if resolution is None or resolution.status != "verified":
        return None
    found = [r for r in resolution.records if r.status == "found"]
    for rec in found:
        if rec.source == "pubmed":
            call = design_from_pubmed(rec.publication_types)
            if call:
                return call
    for source in ("crossref", "openalex"):
        for rec in found:
            if rec.source == source and rec.work_type in WORK_TYPES:
                return DesignCall(design=WORK_TYPES[rec.work_type], source=source,
                                  evidence=rec.work_type)
    return None
