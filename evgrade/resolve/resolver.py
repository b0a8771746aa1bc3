"""Look up every entry's identifiers in batches and turn the answers into verdicts.

Phase 1 asks all sources at once: PubMed for PMIDs (200 per request),
Crossref for DOIs (40 per filter query, confirming each DOI a batch did not
return with its own lookup), OpenAlex for DOIs (50 per request) and, when
asked, a Crossref title search for entries without identifier. Phase 2 fetches from
PubMed the PMIDs OpenAlex reported for DOI-only entries, so their publication
types are known too. Threads only overlap waiting; each host's rate and
concurrency limits live in the HTTP client.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from ..errors import ConfigError
from ..models import Reference, Resolution, ResolvedRecord, UpdateNotice
from . import crossref, openalex, pubmed
from ._http import HttpClient
from .options import ResolveOptions
from .search import search
from .verify import IdVerdict, group_by_identifier, identifier_verdict

Progress = Callable[[int, int], None]

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^[1-9]\d{0,8}$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)

# an entry's status is that of its most telling identifier: an identifier that
# names another work is the signature of a fabricated reference, so it wins
# even over one that checks out
_PRIORITY = {"mismatch": 0, "verified": 1, "not-found": 2, "unverified": 3}


def _all_identifiers(ref: Reference) -> dict[str, str]:
    try:
        from ..bib.identifiers import persistent_identifiers  # written alongside this package
    except ImportError:
        return {k: v for k, v in (("doi", ref.doi), ("pmid", ref.pmid), ("pmcid", ref.pmcid),
                                  ("arxiv", ref.arxiv), ("isbn", ref.isbn)) if v}
    return dict(persistent_identifiers(ref))


def lookup_identifiers(ref: Reference) -> dict[str, str]:
    """The DOI and PMID of an entry, normalised, if their syntax is valid."""
    ids = _all_identifiers(ref)
    out = {}
    doi = _DOI_PREFIX.sub("", (ids.get("doi") or "").strip()).lower()
    if _DOI.match(doi):
        out["doi"] = doi
    pmid = (ids.get("pmid") or "").strip()
    pmid = pmid[5:].strip() if pmid.lower().startswith("pmid:") else pmid
    if _PMID.match(pmid):
        out["pmid"] = pmid
    return out


def has_other_identifier(ref: Reference) -> bool:
    """PMCID, arXiv id or ISBN: traceable, but not looked up here."""
    return any(k in _all_identifiers(ref) for k in ("pmcid", "arxiv", "isbn"))


class _Tracker:
    """Counts finished lookups for the caller's progress callback.

    The library never draws anything itself: the CLI turns the callback into a
    progress bar on a terminal.
    """

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self.lock = threading.Lock()

    def grow(self, n: int) -> None:
        with self.lock:
            self.total += n
            if self.progress is not None:
                self.progress(self.done, self.total)

    def advance(self, n: int) -> None:
        with self.lock:
            self.done += n
            if self.progress is not None:
                self.progress(self.done, self.total)

    def close(self) -> None:
        pass


def _verdict(ref: Reference, records: list[ResolvedRecord]) -> Resolution:
    verdicts: list[IdVerdict] = [identifier_verdict(ref, ident, recs)
                                 for ident, recs in group_by_identifier(records).items()]
    if not verdicts:
        return Resolution(key=ref.key, status="unverified", records=tuple(records))
    decisive = min(verdicts, key=lambda v: _PRIORITY[v.status])
    verified = [v for v in verdicts if v.status == "verified"]
    # retraction and notices only count for records that are the entry's work
    trusted = {v.identifier for v in verified}
    seen: dict[tuple[str, str], UpdateNotice] = {}
    retracted = False
    for rec in records:
        if rec.status == "found" and rec.identifier in trusted:
            retracted = retracted or rec.retracted
            for u in rec.updates:
                seen.setdefault((u.kind, u.doi or u.source), u)
    return Resolution(key=ref.key, status=decisive.status,  # type: ignore[arg-type]
                      records=tuple(records), match_score=decisive.score,
                      retracted=retracted, updates=tuple(seen.values()))


def resolve_references(refs: Iterable[Reference], options: ResolveOptions,
                       progress: Progress | None = None) -> dict[str, Resolution]:
    """Resolution per entry key (first entry wins for duplicate keys), in input order.

    ``progress(done, total)`` counts identifier lookups; it is called from worker
    threads and ``total`` grows once PMIDs learnt from OpenAlex are queued.
    Failures never raise: they make entries ``unverified``. Only an unusable
    cache directory raises (ConfigError).
    """
    entries: dict[str, Reference] = {}
    for ref in refs:
        entries.setdefault(ref.key, ref)
    ids = {key: lookup_identifiers(ref) for key, ref in entries.items()}
    use = set(options.sources)
    pmids = sorted({i["pmid"] for i in ids.values() if "pmid" in i}) if "pubmed" in use else []
    dois = sorted({i["doi"] for i in ids.values() if "doi" in i})
    searching = options.search and "crossref" in use
    searches = [k for k, i in ids.items() if not i and searching and entries[k].title
                and not has_other_identifier(entries[k])]

    pm: dict[str, ResolvedRecord] = {}
    cr: dict[str, ResolvedRecord] = {}
    oa: dict[str, ResolvedRecord] = {}
    found_by_search: dict[str, tuple[ResolvedRecord, float | None]] = {}
    oa_batches, oa_single = openalex.batches(dois) if "openalex" in use else ([], [])

    def run_pubmed(chunk: list[str]) -> None:
        pm.update(pubmed.fetch(client, chunk))
        tracker.advance(len(chunk))

    def run_crossref(batch: list[str]) -> None:
        cr.update(crossref.fetch_batch(client, batch))
        tracker.advance(len(batch))

    def run_crossref_one(doi: str) -> None:
        cr[doi] = crossref.fetch_one(client, doi)
        tracker.advance(1)

    def run_openalex(batch: list[str]) -> None:
        oa.update(openalex.fetch_batch(client, batch))
        tracker.advance(len(batch))

    def run_openalex_one(doi: str) -> None:
        oa[doi] = openalex.fetch_one(client, doi)
        tracker.advance(1)

    def run_search(key: str) -> None:
        found_by_search[key] = search(client, entries[key])
        tracker.advance(1)

    def cache_error(exc: Exception) -> ConfigError:
        return ConfigError(f"cannot use the lookup cache: {exc}", path=str(options.cache_dir))

    try:
        client = HttpClient(options)
    except (OSError, sqlite3.Error) as exc:
        raise cache_error(exc) from None
    with client:
        try:
            # DOIs Crossref answered in earlier runs are not batched again
            cr, cr_todo = crossref.known(client, dois) if "crossref" in use else ({}, [])
        except sqlite3.Error as exc:
            raise cache_error(exc) from None
        cr_batches, cr_single = crossref.batches(cr_todo)
        tracker = _Tracker(progress, len(pmids) + len(searches) + len(cr)
                           + sum(map(len, oa_batches)) + len(oa_single)
                           + sum(map(len, cr_batches)) + len(cr_single))
        if cr:
            tracker.advance(len(cr))
        with ThreadPoolExecutor(options.workers) as pool:
            try:
                jobs: list[Future[None]] = []
                jobs += [pool.submit(run_pubmed, pmids[i:i + pubmed.BATCH])
                         for i in range(0, len(pmids), pubmed.BATCH)]
                jobs += [pool.submit(run_openalex, b) for b in oa_batches]
                jobs += [pool.submit(run_openalex_one, d) for d in oa_single]
                jobs += [pool.submit(run_crossref, b) for b in cr_batches]
                jobs += [pool.submit(run_crossref_one, d) for d in cr_single]
                jobs += [pool.submit(run_search, k) for k in searches]
                for job in jobs:
                    job.result()
                # phase 2: PubMed records for DOIs whose PMID only OpenAlex knew
                extra = sorted({r.pmid for r in oa.values() if r.status == "found" and r.pmid}
                               - set(pm)) if "pubmed" in use else []
                tracker.grow(len(extra))
                for job in [pool.submit(run_pubmed, extra[i:i + pubmed.BATCH])
                            for i in range(0, len(extra), pubmed.BATCH)]:
                    job.result()
            except sqlite3.Error as exc:  # a corrupt or full cache file
                raise cache_error(exc) from None
            finally:
                tracker.close()

    out: dict[str, Resolution] = {}
    for key, ref in entries.items():
        found = ids[key]
        if not found:
            if has_other_identifier(ref):
                # PMCID / arXiv / ISBN: traceable by hand, but no authority is asked here
                out[key] = Resolution(key=key, status="unverified")
                continue
            rec, score = found_by_search.get(key, (None, None))
            out[key] = Resolution(
                key=key, status="no-identifier", records=(rec,) if rec else (),
                suggested_doi=rec.doi if rec and rec.status == "found" else "",
                suggestion_score=score)
            continue
        records: list[ResolvedRecord] = []
        if "pmid" in found and found["pmid"] in pm:
            records.append(pm[found["pmid"]])
        if "doi" in found:
            doi = found["doi"]
            records += [src[doi] for src in (cr, oa) if doi in src]
            via = oa.get(doi)
            if via and via.pmid and via.pmid != found.get("pmid") and via.pmid in pm:
                linked = pm[via.pmid]
                if linked.status == "found":  # a PMID OpenAlex knows but PubMed lacks proves nothing
                    records.append(linked.model_copy(update={"identifier": f"doi:{doi}"}))
        out[key] = _verdict(ref, records)
    return out
