"""The whole job as a library call: read -> claims -> link -> grade -> report.

``run(paths, Options.from_project())`` is what ``evgrade score`` does, minus
printing: :meth:`Options.from_project` applies the project's policy (the
config file, the default bibliography, claim map, rubric and caches) that a
plain ``Options()`` leaves out. Each stage is its own package; this module
only wires them and applies the project-level policies (which entries to
assess, suppressions, ignores).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from . import __version__
from . import _findings as catalogue
from ._assess import assess_entries
from ._citekeys import identifier_of
from ._inputs import STDIN, expand_inputs, read_documents  # noqa: F401 (pipeline.STDIN)
from ._silenced import filter_findings
from ._finding_policy import INPUT_CODES, exit_code, for_cited, input_problems, worst_severity
from .bib.load import Bibliography, load_bibliography
from .claims.detect import extract_claims
from .config import (Config, bibliography_cache, default_bibliographies, default_claim_map,
                     default_inputs, find_config)
from .grade.grades import grade_claim, summarize
from .grade.rubric import Rubric, load_rubric
from .link.citation_tags import CitationTags
from .link.citations import cited_in, cited_keys, unknown_outside_claims, with_cited_identifiers
from .link.claimmap import ClaimMap, load_claim_map
from .link.linker import link_claims
from .models import (ArticleReport, Claim, Document, EntryAssessment, Finding, Link, Location,
                     Reference, Report, Resolution, ResolutionReport)

if TYPE_CHECKING:  # importing evgrade.resolve loads requests: only when lookups are wanted
    from ._parallel import Engine
    from .bib.annotate import FileEdit
    from .grade.refs import ReferenceList, RowFilter
    from .resolve import ResolveOptions

FailOn = Literal["error", "warning", "info", "never"]


@dataclass(frozen=True)
class Options:
    """What a run needs besides the documents.

    A plain ``Options()`` applies no project policy (no config file, no default
    bibliography or claim map, no cache); :meth:`from_project` gives exactly what
    ``evgrade score`` uses.
    """

    bibliographies: tuple[Path, ...] = ()          # win over the files the documents name
    default_bibliographies: tuple[Path, ...] = ()  # used when neither those nor the documents name one
    rubric: str | Path = "default"
    claim_map: Path | None = None
    suggest: bool = True
    unused: bool = False                  # report entries never cited (EV301)
    ignore: frozenset[str] = frozenset()  # finding codes or names to drop
    fail_on: FailOn = "never"             # for exit_code(); the run itself does not use it
    strict_input: bool = False            # for exit_code(): exit 2 on a missing/broken cited key
    cache_dir: Path | None = None         # parsed-bibliography cache; None = no cache
    resolve: ResolveOptions | None = None  # online lookups, when wanted
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)
    stdin_format: str = "text"            # the reader of an input named "-" (standard input)
    sections: tuple[tuple[str, str], ...] = ()  # (part, policy) over read/sections.py's defaults

    @classmethod
    def from_project(cls, folder: str | Path = ".", *, inputs: Sequence[str | Path] = (),
                     defaults: Mapping[str, Any] | None = None,
                     cache_root: str | Path | None = None, **overrides: Any) -> Options:
        """Options for the project in ``folder``, as ``evgrade score`` builds them.

        Precedence, first wins: ``overrides`` (any field; the command line), the
        config file found from ``folder`` upwards (``evgrade.toml`` or
        ``[tool.evgrade]``), the files the documents name (applied by the run),
        ``defaults`` (any field), then the built-in defaults: ``<folder>/references.bib``,
        ``claims.toml`` in the folder of the first of ``inputs`` (default: the
        config's ``articles``, else ``<folder>/articles``), rubric ``default``.

        ``ignore`` adds to the config's list. ``cache_root`` is the cache folder
        (default: the config's ``cache-dir``, else ``$EVGRADE_CACHE_DIR``, else the
        user cache folder). ``resolve`` may be a ``ResolveOptions``, or True or a
        mapping of ``ResolveOptions`` fields to build one on the project's cache
        folder and contact address.
        """
        config = find_config(Path(folder))
        values: dict[str, Any] = {
            "default_bibliographies": default_bibliographies(folder),
            "claim_map": default_claim_map(tuple(inputs) or default_inputs(config, folder)),
            **(defaults or {}),
            **_configured(config),
        }
        root = cache_root or config.resolve_path(config.cache_dir) or None
        values["cache_dir"] = bibliography_cache(root)
        values["resolve"] = _resolve_options(overrides.pop("resolve", None), config, root)
        values["ignore"] = frozenset(config.ignore) | frozenset(overrides.pop("ignore", ()))
        return cls(**{**values, **overrides})


def _configured(config: Config) -> dict[str, Any]:
    """The Options fields the config file sets."""
    out: dict[str, Any] = {}
    if config.bibliography:
        out["bibliographies"] = tuple(Path(config.resolve_path(b)) for b in config.bibliography)
    if config.rubric:
        out["rubric"] = config.rubric
    if config.map:
        out["claim_map"] = Path(config.resolve_path(config.map))
    if config.fail_on:
        out["fail_on"] = config.fail_on
    if config.sections:
        out["sections"] = tuple(sorted(config.sections.items()))
    for name in ("unused", "strict_input"):
        if name in config.model_fields_set:
            out[name] = getattr(config, name)
    return out


def _resolve_options(value: Any, config: Config, root: str | Path | None) -> ResolveOptions | None:
    if value is None or value is False:
        return None
    from .resolve import ResolveOptions

    if isinstance(value, ResolveOptions):
        return value
    settings: dict[str, Any] = {}
    if root:
        settings["cache_dir"] = Path(root)
    if config.mailto:
        settings["mailto"] = config.mailto
    section = config.resolve
    if section.sources is not None or section.per_source():
        # below the environment and the caller (docs/resolution.md, Configuration)
        from .resolve.layers import ProjectResolve

        settings["project"] = ProjectResolve(file=config.source, sources=section.sources,
                                             source_settings=section.per_source())
    if value is not True:
        settings.update(value)
    return ResolveOptions(**settings)


def project_inputs(inputs: Sequence[str | Path] = (), folder: str | Path = ".") -> tuple[Path, ...]:
    """``inputs`` when given, else the config's ``articles``, else ``<folder>/articles``."""
    if inputs:
        return tuple(Path(p) for p in inputs)
    return default_inputs(find_config(Path(folder)), folder)


def run(paths: Sequence[str | Path], options: Options, *, stdin: BinaryIO | None = None,
        jobs: int = 1, engine: Engine | None = None) -> Report:
    """The report on ``paths``; ``jobs`` > 1 or an ``engine`` (Dask) grade chunks apart (docs/scale.md)."""
    if (jobs > 1 or engine is not None) and stdin is None:
        from ._parallel import run as run_in_chunks
        return run_in_chunks(paths, options, jobs, engine)
    documents = read_documents(paths, stdin_format=options.stdin_format, stdin=stdin)
    return grade_documents(documents, options, jobs=jobs)


def grade_documents(documents: Sequence[Document], options: Options, *, jobs: int = 1) -> Report:
    """The report on ``documents``; ``jobs``: see :mod:`evgrade._assess`."""
    return report_of(grade_parts(documents, options, jobs=jobs), documents, options)


@dataclass(frozen=True)
class Graded:
    """What grading the documents gives, before the findings are put in report order."""

    rubric: Rubric
    bib_paths: list[Path]
    loaded: Bibliography                    # the entries loaded (no identifier-only entries)
    entries: dict[str, Reference]           # those and the identifier-only entries
    resolutions: dict[str, Resolution]      # online lookups of the linked entries
    articles: list[ArticleReport]
    assessments: dict[str, EntryAssessment]
    findings: list[Finding]                 # as found (no EV301, none made info yet)
    cited: set[str]                         # the keys cited, or linked by the claim map


def grade_parts(documents: Sequence[Document], options: Options, *, jobs: int = 1,
                load: Callable[..., Bibliography] | None = None) -> Graded:
    """:func:`grade_documents` up to the findings; ``load``: as :func:`load_bibliography`
    (evgrade/_entry_pool.py loads from files it has opened)."""
    rubric = load_rubric(options.rubric)
    claim_map = load_claim_map(options.claim_map) if options.claim_map else None
    claims_by_doc = {doc.path: extract_claims(doc, options.sections) for doc in documents}
    claims = [c for cs in claims_by_doc.values() for c in cs]
    bib_paths = bibliography_paths(documents, options)
    tags = CitationTags.beside(doc.path for doc in documents)
    loaded = _bibliography_for(documents, claims, claim_map, tags, bib_paths, options, load)
    bibliography = _with_identifier_entries(loaded, documents, tags)

    links, found = link_claims(claims, bibliography.entries, claim_map=claim_map,
                               map_path=str(options.claim_map or ""), suggest=options.suggest,
                               articles=[doc.path for doc in documents], tags=tags)
    findings: list[Finding] = list(bibliography.findings) + list(found) + unknown_outside_claims(
        documents, claims, bibliography.entries, tags)
    cited = _cited(documents, bibliography, tags, links)
    assessments, resolutions = _assess(bibliography, links, rubric, options, findings, jobs)
    links_by_claim: dict[str, list[Link]] = {}
    for link in links:
        links_by_claim.setdefault(link.claim_id, []).append(link)
    articles = [_grade_article(doc, claims_by_doc[doc.path], links_by_claim, assessments, rubric,
                               findings) for doc in documents]
    return Graded(rubric, bib_paths, loaded, bibliography.entries, resolutions, articles, assessments,
                  findings, cited)


def report_of(graded: Graded, documents: Sequence[Document], options: Options) -> Report:
    """The report: EV301 for uncited entries (``unused``), findings in report order."""
    findings = list(graded.findings)
    if options.unused:
        findings.extend(unused_findings(graded.loaded.entries, graded.cited))
    findings = for_cited(findings, graded.cited)  # a shared library's uncited entries: info
    rubric = graded.rubric
    return Report(version=__version__, rubric=rubric.name,
                  levels=tuple(level.name for level in rubric.levels),
                  bibliographies=tuple(str(p) for p in graded.bib_paths), articles=tuple(graded.articles),
                  entries=graded.assessments,
                  findings=tuple(filter_findings(findings, documents, options.ignore)))


def _bibliography_for(documents: Sequence[Document], claims: Sequence[Claim],
                      claim_map: ClaimMap | None, tags: CitationTags, paths: Sequence[Path],
                      options: Options, load: Callable[..., Bibliography] | None) -> Bibliography:
    """The entries a run uses: those the documents cite (through their citation tags) and
    the claim map names, with the crossref parents they need (docs/bibliography.md,
    "Speed"). Every entry when the run looks at all of them: ``unused``, a claim whose
    named source may be any entry (suggestions), or a cited identifier (``doi:...``) that
    is no entry's key, which may be any entry's DOI."""
    return bibliography_for_keys({key for _doc, _cite, key in cited_in(documents, tags)},
                                 options.suggest and _names_a_source(claims), claim_map, paths, options,
                                 load)


def bibliography_for_keys(wanted: set[str], names_a_source: bool, claim_map: ClaimMap | None,
                          paths: Sequence[Path], options: Options,
                          load: Callable[..., Bibliography] | None = None) -> Bibliography:
    """:func:`_bibliography_for` from the keys cited and whether a claim names a source."""
    load = load or load_bibliography
    cache = options.cache_dir if paths else None
    if options.unused or names_a_source:
        return load(paths, cache_dir=cache)
    wanted = set(wanted)
    if claim_map is not None:
        wanted.update(key for entry in claim_map.entries for key in entry.all_keys)
    bibliography = load(paths, keys=wanted, cache_dir=cache)
    if any(identifier_of(key) is not None and key not in bibliography for key in wanted):
        return load(paths, cache_dir=cache)
    return bibliography


def _names_a_source(claims: Sequence[Claim]) -> bool:
    """True when a claim names a journal, researcher or institution: the link stage then
    weighs every entry of the bibliography as what it may mean."""
    return any(attr.kind != "vague" and attr.name for claim in claims for attr in claim.attributions)


def _with_identifier_entries(loaded: Bibliography, documents: Sequence[Document],
                             tags: CitationTags) -> Bibliography:
    """A Manubot identifier key no entry carries is an entry of its own (link/citations.py)."""
    cited = ((key, Location(path=doc.path, line=cite.span.line))
             for doc, cite, key in cited_in(documents, tags))
    return dataclasses.replace(loaded, entries=with_cited_identifiers(loaded.entries, cited))


def _cited(documents: Sequence[Document], bibliography: Bibliography, tags: CitationTags,
           links: Sequence[Link]) -> set[str]:
    """Every citation in the documents (in a claim or not) and claim-map link; not suggestions."""
    return cited_keys(documents, bibliography.entries, tags) | {l.key for l in links if l.via != "suggested"}


def _assess(bibliography: Bibliography, links: Sequence[Link], rubric: Rubric, options: Options,
            findings: list[Finding], jobs: int) -> tuple[dict[str, EntryAssessment], dict[str, Resolution]]:
    """Every linked entry (and every entry with ``unused``), resolved online when asked."""
    resolutions = _resolve(bibliography, {l.key for l in links if l.via != "suggested"}, options,
                           findings)
    keys = {l.key for l in links} | (set(bibliography.entries) if options.unused else set())
    return assess_entries(keys, bibliography.entries, rubric, resolutions, jobs), resolutions


def _grade_article(doc: Document, claims: Sequence[Claim], links_by_claim: Mapping[str, list[Link]],
                   assessments: Mapping[str, EntryAssessment], rubric: Rubric,
                   findings: list[Finding]) -> ArticleReport:
    graded = []
    for claim in claims:
        gc, claim_findings = grade_claim(claim, links_by_claim.get(claim.id, ()), assessments, rubric)
        graded.append(gc)
        findings.extend(claim_findings)
    return ArticleReport(path=doc.path, title=doc.title, claims=tuple(graded),
                         summary=summarize(graded, rubric))


def bibliography_paths(documents: Sequence[Document], options: Options) -> list[Path]:
    """The files a run reads: ``options.bibliographies``, else those the documents name,
    else ``options.default_bibliographies``."""
    return (list(options.bibliographies) or _named_by_documents(documents)
            or list(options.default_bibliographies))


def _named_by_documents(documents: Sequence[Document]) -> list[Path]:
    """``bibliography:`` front matter or ``\\bibliography{}``, relative to each document."""
    out: list[Path] = []
    for doc in documents:
        for name in doc.bibliography:
            p = Path(name)
            p = p if p.is_absolute() else Path(doc.path).parent / p
            if p not in out:
                out.append(p)
    return out


def _resolve(bibliography: Bibliography, keys: set[str], options: Options,
             findings: list[Finding]) -> dict[str, Resolution]:
    if options.resolve is None:
        return {}
    refs = [bibliography.entries[k] for k in sorted(keys) if k in bibliography.entries]
    resolutions, found = _look_up(refs, options.resolve, options.progress)
    findings.extend(found)
    return resolutions


def _look_up(refs: Sequence[Reference], settings: ResolveOptions,
             progress: Callable[[int, int], None] | None) -> tuple[dict[str, Resolution], list[Finding]]:
    from .resolve import resolution_findings, resolve_references

    resolutions = resolve_references(refs, settings, progress=progress)
    found = [f for ref in refs if ref.key in resolutions
             for f in resolution_findings(ref, resolutions[ref.key],
                                          ref.location.path if ref.location else "")]
    return resolutions, found


def resolve_bibliography(options: Options) -> ResolutionReport:
    """Look up every entry of the bibliography online: ``evgrade resolve`` minus printing.

    The files are :func:`bibliography_paths` with no documents; the lookups follow ``options.resolve``
    (default: ``ResolveOptions()``). Importing requests happens only here.
    """
    from .resolve import ResolveOptions

    paths = bibliography_paths((), options)
    bibliography = load_bibliography(paths, cache_dir=options.cache_dir if paths else None)
    resolutions, found = _look_up(list(bibliography.entries.values()),
                                  options.resolve or ResolveOptions(), options.progress)
    return ResolutionReport(resolutions=resolutions, findings=tuple(found))


def unused_findings(entries: Mapping[str, Reference], cited: set[str]) -> list[Finding]:
    """EV301 for each of ``entries`` not in ``cited``, in the entries' order."""
    out = []
    for key, ref in entries.items():
        if key not in cited:
            loc = ref.location
            out.append(catalogue.make("unused-entry", f"entry '{key}' is never cited",
                                      path=loc.path if loc else "", line=loc.line if loc else None,
                                      key=key))
    return out


def claims_of(paths: Sequence[str | Path]) -> dict[str, tuple[Claim, ...]]:
    """Claims per article, for the claim-map skeleton."""
    return {doc.path: extract_claims(doc) for doc in read_documents(paths)}


def list_references(paths: Sequence[str | Path], options: Options, *,
                    keep: RowFilter | None = None, today: str | None = None) -> ReferenceList:
    """Every bibliography entry with its design, level, traceability, retraction status
    (``options.resolve``) and the places in ``paths`` (and the claim map) that cite it:
    ``evgrade refs`` minus printing (wired in :mod:`evgrade._pipeline_refs`)."""
    from . import _pipeline_refs
    return _pipeline_refs.list_references(paths, options, keep=keep, today=today)


def annotate_bibliography(options: Options, *, today: str | None = None) -> list[FileEdit]:
    """The edits ``evgrade annotate`` would make to each .bib file; nothing is written."""
    from . import _pipeline_refs
    return _pipeline_refs.annotate_bibliography(options, today=today)


__all__ = ["Options", "run", "grade_documents", "expand_inputs", "exit_code", "claims_of",
           "project_inputs", "bibliography_paths", "resolve_bibliography", "worst_severity", "ClaimMap",
           "list_references", "annotate_bibliography", "input_problems", "INPUT_CODES"]
