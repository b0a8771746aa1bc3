"""The report as the printable formats show it: rows, evidence, summaries, references.

Every string that came from a draft or a bibliography passes through
:func:`~evgrade.report._safe.visible` here, once, so the renderers built on this view
(text, markdown, latex, html, worksheets) only add their own escaping.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from ..models import ArticleReport, EntryAssessment, GradedClaim, Link, Report
from ._common import article_heading, display_path, grade_order, table_path
from ._evidence import (
    abbreviate_journals,
    author_list,
    certainty,
    design_label,
    evidence_label,
    family_name,
    journal_titles,
    sample_size,
    short_venue,
)
from ._safe import visible

RANKS = ("best", "middle", "worst")


@dataclass(frozen=True)
class Evidence:
    key: str
    via: str                   # citation, map or suggested
    label: str                 # "Murrough 2013, Biol Psychiatry, open-label"
    note: str = ""             # why it does not count or cannot be traced

    @property
    def text(self) -> str:
        """The label with its key, and the note after it: what every format prints."""
        note = f" ({self.note})" if self.note else ""
        return f"{self.label} [{self.key}]{note}"


@dataclass(frozen=True)
class Row:
    claim: GradedClaim
    line: int
    text: str                  # the whole claim, whitespace folded
    kind: str
    grade: str
    rank: str                  # best, middle or worst level of the rubric
    certainty: str
    certainty_reasons: tuple[str, ...]
    minimum: str
    meets_minimum: bool
    traceable: bool
    evidence: tuple[Evidence, ...]     # counted links: citations and the claim map
    suggested: tuple[Evidence, ...]    # offered, never counted
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Counts:
    claims: int
    by_grade: tuple[tuple[str, int], ...]   # rubric order, best first
    traceable: int
    meets_minimum: int
    with_suggestions: int

    def share(self, part: int) -> str:
        return f"{round(100 * part / self.claims)}%" if self.claims else "0%"


@dataclass(frozen=True)
class ArticleView:
    path: str                  # relative, forward slashes
    name: str                  # the file name
    title: str
    heading: str               # "path — title"
    rows: tuple[Row, ...]
    counts: Counts


@dataclass(frozen=True)
class ReferenceEntry:
    key: str
    authors: str               # "Murrough JW, Perez AM, Pillemer S, et al."
    year: str
    title: str
    venue: str                 # abbreviated for journals
    design: str
    n: int | None
    doi: str
    pmid: str
    url: str
    level: str
    notes: tuple[str, ...]     # not in the bibliography, no identifier, suggested only...


@dataclass(frozen=True)
class ReportView:
    header: str
    levels: tuple[str, ...]    # grade order, best first, with any grade the rubric lacks
    articles: tuple[ArticleView, ...]
    total: Counts
    references: tuple[ReferenceEntry, ...]
    rubric_levels: int = 0     # how many of ``levels`` the rubric names (the rest: grades it lacks)
    has_certainty: bool = field(default=False)


def _rank(report: Report, grade: str) -> str:
    levels = report.levels
    if grade not in levels or len(levels) < 2:
        return "middle"
    i = levels.index(grade)
    return "best" if i == 0 else "worst" if i == len(levels) - 1 else "middle"


def _note(entry: EntryAssessment | None, link: Link) -> str:
    if entry is None or not entry.exists:
        return "not in the bibliography"
    if not entry.counts_as_evidence:
        return "; ".join(entry.reasons) or "not counted"
    if link.via != "suggested" and not entry.traceable:
        return "no identifier" if not entry.identifiers else "not traceable"
    return ""


def _evidence(report: Report, link: Link, venue: bool) -> Evidence:
    entry = report.entries.get(link.key)
    return Evidence(key=visible(link.key), via=link.via,
                    label=visible(evidence_label(entry, link.key, venue=venue)),
                    note=visible(_note(entry, link)))


def _row(report: Report, gc: GradedClaim, venue: bool) -> Row:
    level, reasons = certainty(gc)
    links = [_evidence(report, l, venue) for l in gc.links]
    return Row(
        claim=gc, line=gc.claim.span.line, text=visible(" ".join(gc.claim.text.split())),
        kind=gc.claim.kind, grade=visible(gc.grade), rank=_rank(report, gc.grade),
        certainty=visible(level), certainty_reasons=tuple(visible(r) for r in reasons),
        minimum=visible(gc.minimum), meets_minimum=gc.meets_minimum, traceable=gc.traceable,
        evidence=tuple(e for e in links if e.via != "suggested"),
        suggested=tuple(e for e in links if e.via == "suggested"),
        flags=tuple(visible(f) for f in gc.flags))


def _counts(levels: tuple[str, ...], rows: list[Row]) -> Counts:
    grades = Counter(r.grade for r in rows)
    return Counts(claims=len(rows), by_grade=tuple((g, grades.get(g, 0)) for g in levels),
                  traceable=sum(r.traceable for r in rows),
                  meets_minimum=sum(r.meets_minimum for r in rows),
                  with_suggestions=sum(bool(r.suggested) for r in rows))


def _article(report: Report, article: ArticleReport, levels: tuple[str, ...],
             venue: bool) -> ArticleView:
    rows = [_row(report, gc, venue) for gc in article.claims]
    return ArticleView(path=visible(display_path(article.path)),
                       name=visible(table_path(article.path)), title=visible(article.title),
                       heading=article_heading(article), rows=tuple(rows),
                       counts=_counts(levels, rows))


def _reference(key: str, entry: EntryAssessment, suggested_only: bool) -> ReferenceEntry:
    ref = entry.reference
    notes = [n for n in (_note(entry, Link(claim_id="", key=key, via="map")),) if n]
    if suggested_only:
        notes.append("only suggested, never counted")
    return ReferenceEntry(
        key=visible(key), authors=visible(author_list(ref.authors)) if ref else "",
        year=visible(ref.year) if ref else "", title=visible(ref.title) if ref else "",
        venue=visible(short_venue(ref)) if ref else "", design=design_label(entry),
        n=sample_size(entry), doi=visible(entry.identifiers.get("doi", "")),
        pmid=visible(entry.identifiers.get("pmid", "")),
        url=visible(ref.url) if ref else "", level=visible(entry.level), notes=tuple(notes))


def _ref_order(item: tuple[str, EntryAssessment]) -> tuple[str, str, str]:
    key, entry = item
    ref = entry.reference
    who = family_name(ref.authors[0]) if ref and ref.authors else (ref.venue if ref else "") or key
    return (who.casefold(), ref.year if ref else "", key.casefold())


def _references(report: Report) -> tuple[ReferenceEntry, ...]:
    counted = {l.key for a in report.articles for gc in a.claims for l in gc.links
               if l.via != "suggested"}
    return tuple(_reference(k, e, k not in counted)
                 for k, e in sorted(report.entries.items(), key=_ref_order))


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid, safe='')}/"


def header_line(report: Report) -> str:
    return (f"{report.tool} {report.version}: rubric {visible(report.rubric)} "
            f"(levels best first: {', '.join(visible(l) for l in report.levels)})")


def build_view(report: Report, *, venue: bool = True) -> ReportView:
    """The report as rows and summaries; ``venue=False`` leaves journals out of evidence
    labels (the terminal table, where width is short)."""
    abbreviate_journals(journal_titles(e.reference for e in report.entries.values()))
    grades = [gc.grade for a in report.articles for gc in a.claims]
    levels = tuple(visible(g) for g in grade_order(report, grades))
    articles = tuple(_article(report, a, levels, venue) for a in report.articles)
    rows = [r for a in articles for r in a.rows]
    return ReportView(header=header_line(report), levels=levels, articles=articles,
                      total=_counts(levels, rows), references=_references(report),
                      rubric_levels=len(report.levels), has_certainty=any(r.certainty for r in rows))


__all__ = ["ArticleView", "Counts", "Evidence", "RANKS", "ReferenceEntry", "ReportView", "Row",
           "build_view", "doi_url", "header_line", "pubmed_url"]
