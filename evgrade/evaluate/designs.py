"""Measure study-design detection against PubMed's indexers.

PubMed records (``PubmedArticleSet`` XML, plain or gzipped) carry the
publication types NLM indexers assigned after reading the paper. Each record is
turned into the BibTeX entry a reference manager would export for it (title,
journal, year, volume, pages, authors, DOI, PMID, the abstract with its
structured-abstract labels, the authors' own keywords) and read back by the bib
loader's own parser, so :func:`evgrade.grade.designs.detect_design` sees exactly
what it would see in a user's bibliography. The publication types are *not* in
the entry: they are the gold. MeSH headings are left out unless asked for
(``mesh=True``): NLM's indexers assign them in the same pass as the publication
types, so they carry part of the answer (see docs/designs.md).

Records are deduplicated by PMID (the first file in sorted order wins) and split
into a dev and a held-out set by a hash of the PMID (:func:`split_of`), so the
split never depends on file order and never changes. The mapping from PubMed
types to gold classes is :func:`gold_class`; what each class accepts is
:data:`ACCEPT`. Scoring and the printed report are in :mod:`._design_scores`.
"""

from __future__ import annotations

import gzip
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..bib.load import to_reference
from ..bib.parse import new_macros, parse_entry_block
from ..bib.split import split_blocks
from ..models import Reference, StudyDesign

Split = Literal["dev", "heldout"]
GoldClass = Literal["rct", "trial", "sr-ma", "guideline", "animal", "case", "opinion",
                    "review", "primary"]

# --------------------------------------------------------------- gold classes

SR_MA = frozenset({"Meta-Analysis", "Network Meta-Analysis", "Systematic Review"})
GUIDELINE = frozenset({"Practice Guideline", "Guideline", "Consensus Development Conference",
                       "Consensus Development Conference, NIH"})
ANIMAL_TRIAL = frozenset({"Randomized Controlled Trial, Veterinary",
                          "Clinical Trial, Veterinary", "Observational Study, Veterinary"})
RCT = frozenset({"Randomized Controlled Trial"})
TRIAL = frozenset({"Clinical Trial", "Controlled Clinical Trial", "Clinical Trial, Phase I",
                   "Clinical Trial, Phase II", "Clinical Trial, Phase III",
                   "Clinical Trial, Phase IV", "Equivalence Trial", "Pragmatic Clinical Trial",
                   "Adaptive Clinical Trial"})
CASE = frozenset({"Case Reports"})
OPINION = frozenset({"Editorial", "Letter", "Comment", "News", "Newspaper Article", "Interview",
                     "Introductory Journal Article", "Lecture", "Address", "Personal Narrative"})
REVIEW = frozenset({"Review", "Scoping Review", "Historical Article", "Biography"})
# notices about another record: nobody cites them as evidence, so they are not scored
EXCLUDED = frozenset({"Published Erratum", "Retraction of Publication",
                      "Expression of Concern", "Corrected and Republished Article"})

# Strongest first: a record with several types gets the first class whose types it has.
# "Review" + "Meta-Analysis" is a meta-analysis; "Case Reports" + "Review" (a case with a
# review of the literature) and "Case Reports" + "Letter" (a case told in a letter) are
# case reports; "Comment" on a trial is a comment; every other record ("Journal Article",
# "Comparative Study", "Observational Study", "Evaluation Study"...) is primary research.
_PRECEDENCE: tuple[tuple[GoldClass, frozenset[str]], ...] = (
    ("sr-ma", SR_MA), ("guideline", GUIDELINE), ("animal", ANIMAL_TRIAL), ("rct", RCT),
    ("trial", TRIAL), ("case", CASE), ("opinion", OPINION), ("review", REVIEW),
)

# The designs each gold class accepts. PubMed has no type for most observational designs
# or for animal work, and "Journal Article" alone says only "none of the specific types":
# for those records any primary design, or "unknown", agrees with the indexers.
ACCEPT: dict[GoldClass, frozenset[StudyDesign]] = {
    "rct": frozenset({"randomized-controlled-trial"}),
    "trial": frozenset({"controlled-trial", "open-label-trial", "healthy-volunteer-study"}),
    "sr-ma": frozenset({"meta-analysis", "systematic-review"}),
    "guideline": frozenset({"guideline"}),
    "animal": frozenset({"preclinical"}),
    "case": frozenset({"case-report", "case-series"}),
    "opinion": frozenset({"expert-opinion"}),
    "review": frozenset({"narrative-review"}),
    "primary": frozenset({"cohort-study", "case-control-study", "cross-sectional-study",
                          "case-series", "healthy-volunteer-study", "preclinical", "unknown"}),
}


def gold_class(types: Iterable[str]) -> GoldClass | None:
    """The gold class of a record's publication types; None for notices (not scored)."""
    present = set(types)
    for cls, names in _PRECEDENCE:
        if present & names:
            return cls
    if present & EXCLUDED:
        return None
    return "primary"


# Chosen once, before any classifier ran on these records: of the salts 0-39, the one
# whose split is nearest to even in the rare classes (rct, trial, sr-ma, opinion,
# guideline, animal: smallest sum of |dev - held-out|). Never change it.
SPLIT_SALT = 22


def split_of(pmid: str) -> Split:
    """A fixed half of all PMIDs is held out: the parity of a salted hash of the PMID alone,
    so a record's side never depends on file order or on which other records exist."""
    digest = hashlib.sha256(f"evgrade-designs-{SPLIT_SALT}:{pmid}".encode()).digest()
    return "heldout" if digest[0] % 2 else "dev"


# ------------------------------------------------------------------ records

@dataclass(frozen=True)
class PubmedRecord:
    pmid: str
    types: tuple[str, ...]     # PubMed publication types: the gold, never in ``reference``
    gold: GoldClass | None
    split: Split
    reference: Reference
    path: str                  # the file it was read from

    @property
    def has_abstract(self) -> bool:
        return bool(self.reference.abstract.strip())


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _abstract(article: ET.Element) -> str:
    parts = []
    for node in article.findall("Abstract/AbstractText"):
        body = _text(node)
        label = node.get("Label", "").strip()
        if body:
            parts.append(f"{label}: {body}" if label else body)
    return "\n".join(parts)


def _authors(article: ET.Element) -> list[str]:
    names = []
    for a in article.findall("AuthorList/Author"):
        last, first = _text(a.find("LastName")), _text(a.find("ForeName"))
        coll = _text(a.find("CollectiveName"))
        if last:
            names.append(f"{last}, {first}" if first else last)
        elif coll:
            names.append(coll)
    return names


def _doi(node: ET.Element, article: ET.Element) -> str:
    for loc in article.findall("ELocationID"):
        if loc.get("EIdType") == "doi":
            return _text(loc)
    for aid in node.findall("PubmedData/ArticleIdList/ArticleId"):
        if aid.get("IdType") == "doi":
            return _text(aid)
    return ""


def _keywords(cit: ET.Element, mesh: bool) -> list[str]:
    words = [_text(k) for kl in cit.findall("KeywordList")
             if mesh or kl.get("Owner", "NOTNLM") == "NOTNLM" for k in kl.findall("Keyword")]
    if mesh:
        words += [_text(d) for d in cit.findall("MeshHeadingList/MeshHeading/DescriptorName")]
    return [w for w in words if w]


def _year(article: ET.Element) -> str:
    pub = article.find("Journal/JournalIssue/PubDate")
    year = _text(pub.find("Year")) if pub is not None else ""
    return year or (_text(pub.find("MedlineDate"))[:4] if pub is not None else "")


def _fields(node: ET.Element, mesh: bool) -> dict[str, str] | None:
    cit = node.find("MedlineCitation")
    article = cit.find("Article") if cit is not None else None
    if cit is None or article is None:
        return None
    issue = article.find("Journal/JournalIssue")
    return {
        # each name braced whole when it holds an "and" or a comma of its own
        "author": " and ".join(_bib_name(n) for n in _authors(article)),
        "title": _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle")),
        "journal": _text(article.find("Journal/Title")),
        "year": _year(article),
        "volume": _text(issue.find("Volume")) if issue is not None else "",
        "number": _text(issue.find("Issue")) if issue is not None else "",
        "pages": _text(article.find("Pagination/MedlinePgn")),
        "doi": _doi(node, article),
        "pmid": _text(cit.find("PMID")),
        "abstract": _abstract(article),
        "keywords": ", ".join(_keywords(cit, mesh)),
    }


# BibTeX counts every brace, escaped or not, so a lone brace in an abstract cannot be
# written; it becomes a parenthesis (no design wording hangs on it).
_ESCAPES = str.maketrans({"\\": "/", "{": "(", "}": ")", "%": r"\%",
                          "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_"})


def _bib_name(name: str) -> str:
    escaped = name.translate(_ESCAPES)
    first = name.partition(", ")[2]
    if " and " in name or "," in first or ("," not in name and " " in name):
        return "{" + escaped + "}"  # a collective name: one unit, never split into persons
    return escaped


def to_bibtex(key: str, fields: dict[str, str]) -> str:
    """The @article a reference manager exports: special characters escaped as LaTeX."""
    lines = [f"@article{{{key},"]
    for name, value in fields.items():
        if not value:
            continue
        if name in ("doi", "pmid"):
            lines.append(f"  {name} = {{{value}}},")
        elif name == "author":
            lines.append(f"  author = {{{value}}},")  # escaped name by name (_bib_name)
        else:
            lines.append(f"  {name} = {{{value.translate(_ESCAPES)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _reference(bibtex: str, path: str) -> Reference:
    block = split_blocks(bibtex)[0]
    return to_reference(parse_entry_block(block, new_macros()), path)


def _articles(path: Path) -> Iterator[ET.Element]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    yield from ET.fromstring(data).iter("PubmedArticle")


def read_records(paths: Iterable[Path], *, mesh: bool = False) -> list[PubmedRecord]:
    """Every distinct PMID in ``paths`` (sorted; the first file holding a PMID wins)."""
    seen: dict[str, PubmedRecord] = {}
    for path in sorted(paths):
        for node in _articles(path):
            fields = _fields(node, mesh)
            if fields is None or not fields["pmid"] or fields["pmid"] in seen:
                continue
            pmid = fields["pmid"]
            types = tuple(_text(p) for p in node.findall(
                "MedlineCitation/Article/PublicationTypeList/PublicationType"))
            ref = _reference(to_bibtex(f"pmid{pmid}", fields), str(path))
            seen[pmid] = PubmedRecord(pmid=pmid, types=types, gold=gold_class(types),
                                      split=split_of(pmid), reference=ref, path=str(path))
    return sorted(seen.values(), key=lambda r: int(r.pmid))


def corpus_files(shared: Path) -> list[Path]:
    """The PubMed XML under ``shared/fixtures``: pubmed-dev and the recorded efetch answers."""
    fixtures = shared / "fixtures"
    found = [p for p in (fixtures / "pubmed-dev").rglob("*")
             if p.name.endswith((".xml", ".xml.gz"))]
    found += sorted((fixtures / "api").rglob("pubmed*.xml"))
    return sorted(found)
