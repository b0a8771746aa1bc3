"""``evgrade refs`` and ``evgrade annotate`` as library calls: the wiring behind
:func:`evgrade.pipeline.list_references` and :func:`evgrade.pipeline.annotate_bibliography`.

Kept beside :mod:`evgrade.pipeline` (which it uses: reading documents, choosing the
bibliography, looking entries up) so that module stays short. Every entry is assessed,
not only the cited ones, and the places that cite it come from the documents'
citations and the claim map (:mod:`evgrade.link.usage`).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from . import _findings as catalogue
from ._citekeys import identifier_of
from .bib.annotate import FileEdit, plan_edits
from .bib.load import Bibliography, load_bibliography
from .claims.detect import extract_claims
from .errors import UsageError
from .grade.grades import assess_entry
from .grade.refs import ReferenceList, RowFilter, checked_value, judgement_fields, reference_row
from .grade.rubric import load_rubric
from .link.claimmap import ClaimMap, load_claim_map
from .link.linker import link_claims
from .link.usage import CitedAt, cited_places
from .models import Document, Finding
from ._silenced import filter_findings
from .pipeline import INPUT_CODES, Options, _resolve, bibliography_paths, read_documents


def list_references(paths: Sequence[str | Path], options: Options, *,
                    keep: RowFilter | None = None, today: str | None = None) -> ReferenceList:
    """See :func:`evgrade.pipeline.list_references`. ``keep`` filters the rows; ``today``
    (ISO date) is what ``evgrade-checked`` will say, default the local date."""
    documents = read_documents(paths) if paths else []
    bib_paths = bibliography_paths(documents, options)
    if not bib_paths:
        raise UsageError("no bibliography: pass --bib FILE (or add references.bib)")
    rubric = load_rubric(options.rubric)
    bibliography = load_bibliography(bib_paths, cache_dir=options.cache_dir)
    claim_map = load_claim_map(options.claim_map) if options.claim_map else None
    keep = keep or RowFilter()
    usage_known = bool(documents) or claim_map is not None
    keep.check(rubric, usage_known)
    places, findings = _usage(documents, bibliography, claim_map, options)
    resolutions = _resolve(bibliography, set(bibliography.entries), options, findings)
    rows = [reference_row(ref, assess_entry(key, ref, rubric, resolution=resolutions.get(key)),
                          places.get(key, ())) for key, ref in bibliography.entries.items()]
    return ReferenceList(
        version=__version__, rubric=rubric.name, levels=rubric.level_names,
        date=today or datetime.date.today().isoformat(), bibliographies=tuple(map(str, bib_paths)),
        documents=tuple(doc.path for doc in documents), claim_map=str(options.claim_map or ""),
        usage_known=usage_known, resolved=options.resolve is not None, entries=len(rows),
        rows=tuple(r for r in rows if keep.keeps(r)), findings=tuple(filter_findings(findings, documents,
                                                                           options.ignore)))


def _usage(documents: list[Document], bibliography: Bibliography, claim_map: ClaimMap | None,
           options: Options) -> tuple[dict[str, tuple[CitedAt, ...]], list[Finding]]:
    """Where each key is cited, and the findings of the load and the claim map (a cited key
    the bibliography lacks among them)."""
    claims = [c for doc in documents for c in extract_claims(doc)]
    links, found = link_claims(claims, bibliography.entries, claim_map=claim_map, suggest=False,
                               map_path=str(options.claim_map or ""),
                               articles=[doc.path for doc in documents]) if documents else ((), ())
    places = cited_places(documents, bibliography.entries, claims=claims, links=links,
                          claim_map=claim_map)
    findings = list(bibliography.findings) + list(found)
    # a Manubot identifier key (doi:..., pmid:...) needs no entry, as in evgrade check
    findings += [_unknown_key(key, where) for key, where in places.items()
                 if key not in bibliography.entries and identifier_of(key) is None]
    return places, findings


def annotate_bibliography(options: Options, *, today: str | None = None) -> list[FileEdit]:
    """The edits ``evgrade annotate`` makes to each .bib file of the bibliography, each entry in
    the file it came from (nothing is written: see :func:`evgrade.bib.annotate.write_edit`)."""
    # every refusal is reported, whatever the project's ignore list says about the findings
    refs = list_references((), dataclasses.replace(options, ignore=frozenset()), today=today)
    return plan_edits(refs.bibliographies, [(r.location, r.key, r.recorded, judgement_fields(r))
                                            for r in refs.rows if r.location is not None],
                      refs.findings, checked=checked_value(refs.date, refs.rubric))


def _unknown_key(key: str, places: tuple[CitedAt, ...]) -> Finding:
    first = places[0]
    more = f" (and {len(places) - 1} more place(s))" if len(places) > 1 else ""
    return catalogue.make("unknown-citation-key", f"'{key}' is cited but not in the bibliography"
                          f"{more}", path=first.path, line=first.line, key=key)


def input_problems(refs: ReferenceList) -> list[Finding]:
    """The findings that mean a cited entry could not be used: its key is unknown, broken or
    duplicated (``pipeline.INPUT_CODES``); the CLI exits 1 on them (2 with ``--strict-input``),
    as ``evgrade check`` does."""
    cited = {r.key.casefold() for r in refs.rows if r.cited}
    return [f for f in refs.findings if f.code == "EV101"
            or (f.code in INPUT_CODES and f.key and f.key.casefold() in cited)]
