"""One chunk of articles graded on its own: the unit of work of ``--jobs`` and of Dask.

A run over many articles is cut into chunks of consecutive inputs. What every chunk
needs (the rubric, the parsed bibliography entries, the claim map, the citation tags,
the options that shape linking) is a :class:`Context`, made once by the main process;
:func:`grade_chunk` reads, extracts, links and grades the chunk's articles with the
same stage functions as :func:`evgrade.pipeline.grade_documents`, and returns what the
main process needs to put the report together (:class:`ChunkResult`).

Between processes both travel as JSON text made and read by the pydantic models
(:func:`context_text` / :func:`context_from_text`, :meth:`ChunkResult.to_text` /
:meth:`ChunkResult.from_text`): no object of evgrade's is pickled, and what a worker
sends back is validated like any other input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from .errors import EvgradeError
from .models import ArticleReport, Document, Finding, Link, Location, Reference

if TYPE_CHECKING:
    from .link.citation_tags import CitationTags

_REFERENCES = TypeAdapter(list[Reference])
_ARTICLES = TypeAdapter(list[ArticleReport])
_FINDINGS = TypeAdapter(list[Finding])
_CITES = TypeAdapter(list[tuple[str, Location | None]])


@dataclass(frozen=True)
class Context:
    """What grading a chunk needs besides its articles."""

    rubric: str                        # a rubric name or a path to a .toml file
    entries: Mapping[str, Reference]   # the loaded bibliography (no identifier-only entries)
    claim_map: str = ""                # path of the claim map; "" for none
    map_path: str = ""                 # the claim map as findings name it
    suggest: bool = True
    tags: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # CitationTags.by_folder
    ignore: frozenset[str] = frozenset()
    stream_format: str = ""            # when set, each article comes back written in it
    sections: tuple[tuple[str, str], ...] = ()  # Options.sections


def context_text(ctx: Context) -> str:
    head = {"rubric": ctx.rubric, "claim_map": ctx.claim_map, "map_path": ctx.map_path,
            "suggest": ctx.suggest, "tags": {k: dict(v) for k, v in ctx.tags.items()},
            "ignore": sorted(ctx.ignore), "stream_format": ctx.stream_format,
            "sections": [list(pair) for pair in ctx.sections]}
    return json.dumps(head) + "\n" + _REFERENCES.dump_json(list(ctx.entries.values())).decode()


def context_from_text(text: str) -> Context:
    head_line, _, refs = text.partition("\n")
    head = json.loads(head_line)
    entries = {ref.key: ref for ref in _REFERENCES.validate_json(refs)}
    return Context(rubric=head["rubric"], entries=entries, claim_map=head["claim_map"],
                   map_path=head["map_path"], suggest=head["suggest"], tags=head["tags"],
                   ignore=frozenset(head["ignore"]), stream_format=head["stream_format"],
                   sections=tuple((part, policy) for part, policy in head["sections"]))


_DECODED: dict[str, Context] = {}  # a worker decodes each context once (digest -> context)


def decoded(text: str) -> Context:
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest not in _DECODED:
        _DECODED.clear()  # one run's context at a time
        _DECODED[digest] = context_from_text(text)
    return _DECODED[digest]


@dataclass
class ChunkResult:
    """One chunk's articles, in input order, and what the run as a whole needs of it."""

    articles: list[ArticleReport]
    findings: list[Finding]            # filtered (--ignore, inline comments), not yet sorted
    linked: list[str]                  # keys of every link, suggestions included
    cited: list[str]                   # keys the chunk uses (pipeline._cited)
    identifier_cites: list[tuple[str, Location | None]]  # every citation, for Manubot keys
    own_entries: list[str]             # identifier-only entries the chunk made for itself
    error: dict[str, Any] | None = None  # an EvgradeError, as fields
    paths: list[str] = field(default_factory=list)     # of the articles, in order
    rendered: list[str] = field(default_factory=list)  # each article in Context.stream_format
    wanted: list[str] = field(default_factory=list)    # every key the articles cite
    names_a_source: bool = False       # a claim names a journal, researcher or institution

    def to_text(self) -> str:
        head = {"linked": self.linked, "cited": self.cited, "own_entries": self.own_entries,
                "error": self.error, "paths": self.paths, "rendered": self.rendered,
                "wanted": self.wanted, "names_a_source": self.names_a_source}
        return "\n".join((json.dumps(head), _ARTICLES.dump_json(self.articles).decode(),
                          _FINDINGS.dump_json(self.findings).decode(),
                          _CITES.dump_json(self.identifier_cites).decode()))

    @classmethod
    def from_text(cls, text: str) -> ChunkResult:
        head, articles, findings, cites = text.split("\n")
        meta = json.loads(head)
        return cls(articles=_ARTICLES.validate_json(articles), findings=_FINDINGS.validate_json(findings),
                   linked=meta["linked"], cited=meta["cited"],
                   identifier_cites=_CITES.validate_json(cites), own_entries=meta["own_entries"],
                   error=meta["error"], paths=meta["paths"], rendered=meta["rendered"],
                   wanted=meta["wanted"], names_a_source=meta["names_a_source"])

    def raise_error(self) -> None:
        if self.error is not None:
            from . import errors

            cls = getattr(errors, self.error["type"], EvgradeError)
            raise cls(self.error["message"], path=self.error["path"], line=self.error["line"],
                      col=self.error["col"])


def grade_chunk(ctx: Context, paths: Sequence[str]) -> ChunkResult:
    """Grade the articles at ``paths`` as :func:`evgrade.pipeline.grade_documents` grades
    them in a run over all articles; an :class:`EvgradeError` comes back as data."""
    try:
        return _grade(ctx, paths)
    except EvgradeError as exc:
        error = {"type": type(exc).__name__, "message": exc.message, "path": exc.path,
                 "line": exc.line, "col": exc.col}
        return ChunkResult([], [], [], [], [], [], error=error)


def _grade(ctx: Context, paths: Sequence[str]) -> ChunkResult:
    from . import pipeline
    from ._citekeys import identifier_of
    from ._silenced import filter_findings
    from .link.citation_tags import CitationTags
    from .link.citations import cited_in, cited_keys, with_cited_identifiers

    documents = pipeline.read_documents(paths)
    tags = CitationTags(ctx.tags)
    cites = [(key, Location(path=doc.path, line=cite.span.line))
             for doc, cite, key in cited_in(documents, tags)]
    entries = with_cited_identifiers(ctx.entries, cites)
    articles, findings, links, names_a_source = _graded(ctx, documents, entries, tags)
    cited = cited_keys(documents, entries, tags) | {l.key for l in links if l.via != "suggested"}
    kept = filter_findings(findings, documents, ctx.ignore)
    rendered = _rendered(ctx.stream_format, articles, kept) if ctx.stream_format else []
    return ChunkResult(articles=[] if rendered else articles, findings=kept,
                       paths=[a.path for a in articles], rendered=rendered,
                       linked=sorted({l.key for l in links}), cited=sorted(cited),
                       identifier_cites=[c for c in cites
                                         if c[0] not in ctx.entries and identifier_of(c[0])],
                       own_entries=sorted(set(entries) - set(ctx.entries)),
                       wanted=sorted({key for key, _ in cites}), names_a_source=names_a_source)


def _graded(ctx: Context, documents: Sequence[Document], entries: Mapping[str, Reference],
            tags: CitationTags) -> tuple[list[ArticleReport], list[Finding], Sequence[Link], bool]:
    """What :func:`evgrade.pipeline.grade_documents` does to the documents, the entries given."""
    from . import pipeline
    from .claims.detect import extract_claims
    from .grade.grades import assess_entry
    from .grade.rubric import load_rubric
    from .link.citations import unknown_outside_claims
    from .link.claimmap import load_claim_map
    from .link.linker import link_claims

    rubric = load_rubric(ctx.rubric)
    claim_map = load_claim_map(Path(ctx.claim_map)) if ctx.claim_map else None
    claims_by_doc = {doc.path: extract_claims(doc, ctx.sections) for doc in documents}
    claims = [c for cs in claims_by_doc.values() for c in cs]
    links, found = link_claims(claims, entries, claim_map=claim_map, map_path=ctx.map_path,
                               suggest=ctx.suggest, articles=[doc.path for doc in documents], tags=tags)
    findings: list[Finding] = list(found) + unknown_outside_claims(documents, claims, entries, tags)
    assessments = {k: assess_entry(k, entries.get(k), rubric) for k in sorted({l.key for l in links})}
    by_claim: dict[str, list[Link]] = {}
    for link in links:
        by_claim.setdefault(link.claim_id, []).append(link)
    articles = [pipeline._grade_article(doc, claims_by_doc[doc.path], by_claim, assessments, rubric,
                                        findings) for doc in documents]
    return articles, findings, links, pipeline._names_a_source(claims)


def _rendered(fmt: str, articles: Sequence[ArticleReport], findings: Sequence[Finding]) -> list[str]:
    from .report.stream import STREAM_FORMATS

    writer = STREAM_FORMATS.get(fmt)()
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    return [writer.article(a, by_path.get(a.path, [])) for a in articles]


def grade_chunk_text(context: str, paths: Sequence[str]) -> str:
    """:func:`grade_chunk` from and to text: what a worker process or a Dask task runs."""
    return grade_chunk(decoded(context), paths).to_text()
