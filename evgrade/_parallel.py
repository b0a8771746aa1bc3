"""Many articles on all cores (``--jobs``), or on a Dask cluster, with the output of one process.

:func:`plan` decides whether a run can be cut into chunks of consecutive articles
(:mod:`evgrade._chunks`) that are graded apart and give, put back together in input
order, exactly the report :func:`evgrade.pipeline.run` makes in one process. When it
cannot, it says why and the run stays in one process:

* online lookups (``--resolve``): they need every linked key before any claim is graded;
* standard input, or the same file given twice;
* a claim-map entry that can match articles of more than one chunk (an entry without
  ``article``, or one naming a file name that several folders hold): its best match
  is chosen among all of them;
* the bibliography or the claim map cannot be loaded: the one-process run then stops
  with the same message as always.

A chunk that made an identifier-only entry (a Manubot ``doi:``/``pmid:`` key no entry
carries) that an earlier chunk had already made is graded again in the main process
with the earlier entries, as one process would have seen them.

:func:`stream` yields the pieces of the report as chunks finish, in input order, so
that JSON Lines and CSV output are written while later articles are graded; memory
then holds a few chunks, not the report. :func:`collect` puts the pieces into a
:class:`~evgrade.models.Report`.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import __version__
from ._chunks import ChunkResult, Context, context_text, grade_chunk
from .models import Finding, Report
from .report.stream import (Footer, Header, Piece, Rendered, collect, every_finding, finding_order,
                             pieces_of)

if TYPE_CHECKING:
    from .bib.load import Bibliography
    from .pipeline import Options

MAX_CHUNK = 32       # articles per chunk at most: what memory holds per chunk in flight
# Bibliography files larger than this in all stay with one process (unless every entry is
# graded, --unused): it loads only the cited entries, where chunks need all of them in the
# main process and again in every worker (a 100,000-entry file is about 46 MB).
LARGE_BIBLIOGRAPHY = 16 * 2**20
CHUNKS_PER_JOB = 4   # smaller chunks than inputs / jobs, so a slow one does not idle a core


class Engine(Protocol):
    """Where chunks run: each method gives one answer per chunk, in chunk order."""

    def names(self, chunks: Iterable[list[str]]) -> Iterator[list[str]]:
        """The bibliography files each chunk's documents name (:func:`named_bibliographies`)."""

    def grade(self, context: str, chunks: Iterable[list[str]]) -> Iterator[str]:
        """The text of each chunk's :class:`ChunkResult` (:func:`grade_chunk_text`)."""


@dataclass
class Plan:
    context: Context
    chunks: list[list[str]]
    bibliography: Bibliography
    bib_paths: list[Path]
    levels: tuple[str, ...]
    rubric: str
    jobs: int = 1


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def chunked(paths: Sequence[str], jobs: int) -> list[list[str]]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(paths) / (max(1, jobs) * CHUNKS_PER_JOB))))
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


def plan(paths: Sequence[str | Path], options: Options, jobs: int, engine: Engine) -> Plan | str:
    """A plan for a chunked run, or why the run stays in one process. When no bibliography
    is given, the files the documents name are found by reading them on ``engine``."""
    from . import pipeline
    from .errors import EvgradeError

    if options.resolve is not None:
        return "online lookups (--resolve) grade in one process"
    files = [str(p) for p in pipeline.expand_inputs(paths)]
    if pipeline.STDIN in files:
        return "standard input is read in one process"
    if len(set(files)) != len(files):
        return "a file given twice is graded in one process"
    chunks = chunked(files, jobs)
    if len(chunks) == 1:
        return "one chunk is graded in one process"
    try:
        return _plan(files, chunks, options, engine, jobs)
    except EvgradeError:  # the one-process run stops with its own message
        return "the bibliography, rubric or claim map cannot be used"


def _plan(files: list[str], chunks: list[list[str]], options: Options, engine: Engine,
          jobs: int) -> Plan | str:
    from .bib.load import load_bibliography
    from .grade.rubric import load_rubric
    from .link.citation_tags import CitationTags
    from .link.claimmap import load_claim_map

    rubric = load_rubric(options.rubric)
    bib_paths = list(options.bibliographies)
    if not bib_paths:
        named = dict.fromkeys(p for names in engine.names(chunks) for p in names)
        bib_paths = [Path(p) for p in named]
        bib_paths = bib_paths or list(options.default_bibliographies)
    if not options.unused and _total_size(bib_paths) > LARGE_BIBLIOGRAPHY:
        return "a large bibliography: one process loads only the entries the articles cite"
    loaded = load_bibliography(bib_paths, cache_dir=options.cache_dir if bib_paths else None)
    claim_map = load_claim_map(options.claim_map) if options.claim_map else None
    if claim_map is not None and _spans_chunks(claim_map, chunks):
        return "a claim-map entry may match articles of several chunks"
    tags = CitationTags.beside(files)
    context = Context(rubric=str(options.rubric), entries=loaded.entries,
                      claim_map=str(options.claim_map or ""), map_path=str(options.claim_map or ""),
                      suggest=options.suggest, tags=tags.by_folder, ignore=options.ignore,
                      sections=options.sections)
    return Plan(context=context, chunks=chunks, bibliography=loaded, bib_paths=bib_paths,
                levels=tuple(level.name for level in rubric.levels), rubric=rubric.name, jobs=jobs)


def _total_size(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += Path(path).stat().st_size
        except OSError:
            pass   # the load reports it
    return total


def named_bibliographies(paths: Sequence[str]) -> list[str]:
    """The bibliography files the documents at ``paths`` name, as the one-process run finds them."""
    from . import pipeline

    return [str(p) for p in pipeline._named_by_documents(pipeline.read_documents(paths))]


def _spans_chunks(claim_map: object, chunks: list[list[str]]) -> bool:
    from .link.mapmatch import article_matches

    folder = Path(claim_map.path).parent if claim_map.path else Path(".")  # type: ignore[attr-defined]
    where = {p: i for i, chunk in enumerate(chunks) for p in chunk}
    for article in {entry.article for entry in claim_map.entries}:  # type: ignore[attr-defined]
        if not article:
            return True
        if len({where[p] for p in where if article_matches(article, p, folder)}) > 1:
            return True
    return False


class InProcess:
    """The engine of ``--jobs 1``: every chunk here, one after another."""

    def names(self, chunks: Iterable[list[str]]) -> Iterator[list[str]]:
        return (named_bibliographies(chunk) for chunk in chunks)

    def grade(self, context: str, chunks: Iterable[list[str]]) -> Iterator[str]:
        from ._chunks import grade_chunk_text

        return (grade_chunk_text(context, chunk) for chunk in chunks)


def stream(p: Plan, options: Options, engine: Engine) -> Iterator[Piece]:
    """The report in pieces: a :class:`Header`, then (article, its findings) in input
    order, then a :class:`Footer`."""
    from .link.citations import with_cited_identifiers

    yield Header(version=__version__, rubric=p.rubric, levels=p.levels,
                 bibliographies=tuple(str(x) for x in p.bib_paths))
    entries = dict(p.bibliography.entries)
    linked: set[str] = set()
    cited: set[str] = set()
    wanted: set[str] = set()
    names_a_source = False
    other: list[Finding] = []
    decisive: list[Finding] = []
    texts = engine.grade(context_text(p.context), p.chunks)
    at_end = every_finding(p.context.stream_format)
    for chunk, text in zip(p.chunks, texts):
        result = ChunkResult.from_text(text)
        result.raise_error()
        before = entries
        entries = with_cited_identifiers(entries, result.identifier_cites) if result.identifier_cites else entries
        made_here = set(entries) - set(before)
        if set(result.own_entries) - made_here:  # an earlier chunk made one of them first
            result = grade_chunk(Context(**{**p.context.__dict__, "entries": before}), chunk)
            result.raise_error()
        linked.update(result.linked)
        cited.update(result.cited)
        wanted.update(result.wanted)
        names_a_source = names_a_source or result.names_a_source
        paths = set(result.paths)
        other += [f for f in result.findings if at_end or f.path not in paths]
        if not at_end:   # else they are all in the footer's findings already
            decisive += _decisive([f for f in result.findings if f.path in paths])
        if result.rendered:
            yield from (Rendered(text) for text in result.rendered)
        else:
            yield from _with_findings(result)
    bib_findings = _bibliography_findings(p, options, wanted, names_a_source)
    yield _footer(p, options, entries, linked, cited, bib_findings + other, decisive)


def _with_findings(result: ChunkResult) -> Iterator[Piece]:
    by_path: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    for article in result.articles:
        yield article, by_path.get(article.path, [])


def _bibliography_findings(p: Plan, options: Options, wanted: set[str],
                           names_a_source: bool) -> list[Finding]:
    """The bibliography's findings as one process reports them: it loads only the entries
    the documents cite when it can (pipeline.bibliography_for_keys); the chunks were
    graded on every entry, which links and assesses them the same way."""
    from . import pipeline
    from .link.claimmap import load_claim_map

    claim_map = load_claim_map(options.claim_map) if options.claim_map else None
    chosen = pipeline.bibliography_for_keys(wanted, options.suggest and names_a_source, claim_map,
                                            p.bib_paths, options)
    return list(chosen.findings)


def _decisive(findings: Sequence[Finding]) -> list[Finding]:
    """What exit_code and input_problems need of an article's findings: the cited-key
    problems, and one finding of each other severity."""
    from ._finding_policy import INPUT_CODES

    keep = [f for f in findings if f.code in INPUT_CODES]
    seen = {f.severity for f in keep}
    for f in findings:
        if f.severity not in seen:
            seen.add(f.severity)
            keep.append(f)
    return keep


def _footer(p: Plan, options: Options, entries: dict[str, object], linked: set[str], cited: set[str],
            other: list[Finding], decisive: list[Finding]) -> Footer:
    from . import pipeline
    from ._finding_policy import for_cited
    from ._silenced import filter_findings
    from ._assess import assess_entries
    from .grade.rubric import load_rubric

    rubric = load_rubric(p.context.rubric)
    keys = linked | (set(entries) if options.unused else set())
    assessed = assess_entries(keys, entries, rubric, {}, p.jobs)  # type: ignore[arg-type]
    found = list(other)
    if options.unused:
        found.extend(pipeline.unused_findings(p.bibliography.entries, cited))
    found = filter_findings(for_cited(found, cited), (), options.ignore)
    return Footer(entries=assessed, findings=found,
                  decisive=sorted(found + decisive, key=finding_order))


def pieces(paths: Sequence[str | Path], options: Options, *, jobs: int = 1,
           engine: Engine | None = None, stream_format: str = "") -> Iterator[Piece]:
    """The report of :func:`evgrade.pipeline.run` in pieces, graded in chunks on ``engine``
    (default: this process) for ``jobs`` workers, or in one process when :func:`plan`
    says so. With ``stream_format`` the articles come as :class:`Rendered` text in it."""
    from . import pipeline

    engine = engine or InProcess()
    p = plan(paths, options, jobs, engine)
    if isinstance(p, str):
        documents = pipeline.read_documents(paths, stdin_format=options.stdin_format)
        report = pipeline.grade_documents(documents, options, jobs=jobs)
        yield from pieces_of(report, every_finding=every_finding(stream_format))
        return
    p.context = dataclasses.replace(p.context, stream_format=stream_format)
    yield from stream(p, options, engine)


def run(paths: Sequence[str | Path], options: Options, jobs: int,
        engine: Engine | None = None) -> Report:
    """:func:`evgrade.pipeline.run` on ``engine``, default a pool of ``jobs`` processes."""
    if engine is not None:
        return collect(pieces(paths, options, jobs=jobs, engine=engine))
    from ._pool import Pool

    with Pool(jobs) as pool:
        return collect(pieces(paths, options, jobs=jobs, engine=pool))
