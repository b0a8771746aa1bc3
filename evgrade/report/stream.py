"""The report in pieces, and the formats written piece by piece (JSON Lines, CSV).

A run over many articles can hand the report over as it is made: a :class:`Header`
(what is known before any article is graded), then each article with its findings,
in input order, then a :class:`Footer` (the entries, the findings about no article).
Formats in :data:`STREAM_FORMATS` (entry-point group ``evgrade.stream_formats``) write
each piece as it comes, so memory does not grow with the number of articles; each is
a class whose instances have ``header(piece)``, ``article(article, findings)`` and
``footer(piece)``, each returning text. A format may also have ``placed(text)`` (what an
article's text becomes in its place: JSON puts commas between them) and a true
``every_finding`` (the footer then has every finding, as JSON lists them after the
entries; the JSON writer holds the findings, not the articles). The same format renders
a whole :class:`~evgrade.models.Report` through :func:`pieces_of`, so both give the same
bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from .._findings import finding_order
from .._registry import Registry
from .json_ import JsonPieces
from ..errors import UsageError
from ..models import SCHEMA_VERSION, ArticleReport, EntryAssessment, Finding, Report


@dataclass
class Header:
    """The report's fields known before any article is graded."""

    version: str
    rubric: str
    levels: tuple[str, ...]
    bibliographies: tuple[str, ...]


@dataclass
class Footer:
    """Known once every article is: the entries, the findings about no article (sorted),
    and the findings the exit code and the stderr lines are made from (``decisive``)."""

    entries: dict[str, EntryAssessment]
    findings: list[Finding]
    decisive: list[Finding] = field(default_factory=list)


@dataclass
class Rendered:
    """An article already written in the stream format (by the process that graded it)."""

    text: str


Piece = Union[Header, tuple[ArticleReport, list[Finding]], Rendered, Footer]


def pieces_of(report: Report, *, every_finding: bool = False) -> Iterator[Piece]:
    """A whole report as pieces: each article gets the findings in its file; the footer
    those in no article's file, or with ``every_finding`` all of them."""
    yield Header(version=report.version, rubric=report.rubric, levels=report.levels,
                 bibliographies=report.bibliographies)
    by_path: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    for article in report.articles:
        yield article, by_path.pop(article.path, [])
    rest = list(report.findings) if every_finding else [f for f in report.findings if f.path in by_path]
    yield Footer(entries=dict(report.entries), findings=rest, decisive=list(report.findings))


def collect(pieces: Iterable[Piece]) -> Report:
    """The :class:`Report` the pieces make (the inverse of :func:`pieces_of`)."""
    header: Header | None = None
    articles: list[ArticleReport] = []
    findings: list[Finding] = []
    for piece in pieces:
        if isinstance(piece, Header):
            header = piece
        elif isinstance(piece, Footer):
            if header is None:
                raise ValueError("a footer came before the header")
            findings = sorted(findings + piece.findings, key=finding_order)
            return Report(version=header.version, rubric=header.rubric, levels=header.levels,
                          bibliographies=header.bibliographies, articles=tuple(articles),
                          entries=piece.entries, findings=tuple(findings))
        elif isinstance(piece, Rendered):
            raise ValueError("a report cannot be made from articles already written")
        else:
            articles.append(piece[0])
            findings += piece[1]
    raise ValueError("the pieces ended before the footer")


class JsonLines:
    """One JSON object a line: the run, then one per article (with its findings), then
    one per entry and one per finding about no article. docs/output.md has the fields."""

    def header(self, h: Header) -> str:
        return json.dumps({"type": "report", "schema_version": SCHEMA_VERSION, "tool": "evgrade",
                           "version": h.version, "rubric": h.rubric, "levels": list(h.levels),
                           "bibliographies": list(h.bibliographies)}, ensure_ascii=False) + "\n"

    def article(self, article: ArticleReport, findings: Sequence[Finding]) -> str:
        return ('{"type":"article","article":' + article.model_dump_json() + ',"findings":['
                + ",".join(f.model_dump_json() for f in findings) + "]}\n")

    def footer(self, f: Footer) -> str:
        lines = ['{"type":"entry","entry":' + e.model_dump_json() + "}\n" for e in f.entries.values()]
        lines += ['{"type":"finding","finding":' + x.model_dump_json() + "}\n" for x in f.findings]
        return "".join(lines)


class Csv:
    """The CSV of :func:`evgrade.report.csv_.render_csv`, an article's rows at a time."""

    def header(self, h: Header) -> str:
        from .csv_ import header_row

        return header_row()

    def article(self, article: ArticleReport, findings: Sequence[Finding]) -> str:
        from .csv_ import article_rows

        return article_rows(article)

    def footer(self, f: Footer) -> str:
        return ""


STREAM_FORMATS: Registry[Any] = Registry("stream format", "evgrade.stream_formats")
STREAM_FORMATS.register("jsonl", JsonLines)
STREAM_FORMATS.register("csv", Csv)
STREAM_FORMATS.register("json", JsonPieces)


def every_finding(fmt: str) -> bool:
    """Whether format ``fmt`` wants every finding in the footer (not each article's with it);
    False for "" (no stream format) and for a name no format has."""
    return bool(getattr(STREAM_FORMATS.get(fmt), "every_finding", False))


def write_pieces(pieces: Iterable[Piece], fmt: str) -> Iterator[str]:
    """The text of each piece in stream format ``fmt``."""
    factory = STREAM_FORMATS.get(fmt)
    if factory is None:
        raise UsageError(f"format {fmt!r} is not written piece by piece; those that are: "
                         f"{', '.join(STREAM_FORMATS.names())}")
    writer = factory()
    for piece in pieces:
        if isinstance(piece, Header):
            yield writer.header(piece)
        elif isinstance(piece, Footer):
            yield writer.footer(piece)
        else:
            text = piece.text if isinstance(piece, Rendered) else writer.article(*piece)
            yield writer.placed(text) if hasattr(writer, "placed") else text


def render_jsonl(report: Report) -> str:
    return "".join(write_pieces(pieces_of(report), "jsonl"))
