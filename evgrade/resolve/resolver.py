"""Look up every entry's identifiers, source by source, and turn the answers into verdicts.

Phase 1 asks every active source (registry.py) at once about the identifiers of
the kinds it answers, in the batches it chooses: PubMed 200 PMIDs per efetch,
Crossref 40 DOIs per filter query (confirming each DOI a batch did not return
with its own lookup), OpenAlex 50 DOIs per request, a plugin what it says; and,
when asked, a title search for entries without identifier. Phase 2 asks the
sources that take follow-ups about identifiers phase 1's records revealed:
PubMed fetches the PMIDs OpenAlex reported for DOI-only entries, so their
publication types are known too. Threads only overlap waiting; each host's
rate and concurrency limits live in the HTTP client.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from .. import _patterns
from ..bib.identifiers import persistent_identifiers
from ..errors import EvgradeWarning
from ..models import Reference, Resolution, ResolvedRecord, UpdateNotice
from . import registry
from ._http import HttpClient
from .interface import Source, SourceClient
from .options import ResolveOptions
from .verify import IdVerdict, group_by_identifier, identifier_verdict, trimmed, vouched

Progress = Callable[[int, int], None]
# source name -> (kind, value) -> record
Answers = dict[str, dict[tuple[str, str], ResolvedRecord]]
Suggestion = tuple[ResolvedRecord, float | None]

_DOI = _patterns.compile(r"^10\.\d{4,9}/\S+$")
_PMID = _patterns.compile(r"^[1-9]\d{0,8}$")
_DOI_PREFIX = _patterns.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_LOOKED_UP = ("doi", "pmid")  # always extracted; other kinds only when a source answers them

# an entry's status is that of its most telling identifier: an identifier that
# names another work is the signature of a fabricated reference, so it wins
# even over one that checks out
_PRIORITY = {"mismatch": 0, "verified": 1, "not-found": 2, "unverified": 3}


def lookup_identifiers(ref: Reference, kinds: Iterable[str] = ()) -> dict[str, str]:
    """The DOI and PMID of an entry, normalised, if their syntax is valid; and its
    identifiers of the other ``kinds`` (those a registered source answers)."""
    ids = persistent_identifiers(ref)
    out = {}
    doi = _DOI_PREFIX.sub("", (ids.get("doi") or "").strip()).lower()
    if _DOI.match(doi):
        out["doi"] = doi
    pmid = (ids.get("pmid") or "").strip()
    pmid = pmid[5:].strip() if pmid.lower().startswith("pmid:") else pmid
    if _PMID.match(pmid):
        out["pmid"] = pmid
    out.update((k, ids[k]) for k in sorted(set(kinds) - set(_LOOKED_UP)) if ids.get(k))
    return out


def has_other_identifier(ref: Reference) -> bool:
    """PMCID, arXiv id, ISBN...: traceable, but not looked up unless a source answers it."""
    return any(k not in _LOOKED_UP for k in persistent_identifiers(ref))


class _Tracker:
    """Counts finished lookups for the caller's progress callback.

    The library never draws anything itself: the CLI turns the callback into a
    progress bar on a terminal.
    """

    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.total, self.done = progress, 0, 0
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


def _revealed(record: ResolvedRecord, kind: str) -> str:
    """An identifier of ``kind`` a found record names (the PMID OpenAlex knows for a DOI)."""
    if record.status != "found":
        return ""
    return record.doi if kind == "doi" else record.pmid if kind == "pmid" else ""


class _Lookups:
    """One run's lookups: what to ask each source, the jobs, and the answers."""

    def __init__(self, http: HttpClient, active: list[Source], progress: Progress | None) -> None:
        options = http.options
        self.clients = {s.name: SourceClient(http, s, options.settings(s.name)) for s in active}
        self.finders = [s for s in active if not s.searches]
        self.searcher = next((s for s in active if s.searches), None) if options.search else None
        self.answers: Answers = {s.name: {} for s in active}
        self.suggestions: dict[str, Suggestion] = {}
        self.tracker = _Tracker(progress)

    def run(self, pool: ThreadPoolExecutor, wanted: dict[tuple[str, str], list[str]],
            to_search: list[Reference]) -> None:
        planned, known = self._plan(wanted)
        searches = to_search if self.searcher is not None else []
        # the whole of phase 1 is counted before anything is reported
        self.tracker.total = known + sum(len(b) for _, _, b in planned) + len(searches)
        if known:
            self.tracker.advance(known)
        jobs = self._submit(pool, planned)
        jobs += [pool.submit(self._search, self.searcher, ref) for ref in searches]
        for job in jobs:
            job.result()
        # phase 2: identifiers the answers revealed, for the sources that take follow-ups
        planned, known = self._plan(self._follow_ups())
        self.tracker.grow(known + sum(len(b) for _, _, b in planned))
        if known:
            self.tracker.advance(known)
        for job in self._submit(pool, planned):
            job.result()

    def _plan(self, wanted: dict[tuple[str, str], list[str]]
              ) -> tuple[list[tuple[Source, str, list[str]]], int]:
        """The batches still to ask, and how many answers were already known."""
        planned: list[tuple[Source, str, list[str]]] = []
        known = 0
        for (name, kind), values in wanted.items():
            source = self.clients[name].source
            # a stored answer that cannot count (from an older evgrade, or planted) is asked again
            answers = {v: trimmed(rec) for v, rec in source.known(self.clients[name], kind, values).items()
                       if rec.status != "error" and vouched(rec, kind, v) is rec}
            self._keep(source, kind, answers)
            known += len(answers)
            rest = [v for v in values if v not in answers]
            planned += [(source, kind, batch) for batch in source.batches(kind, rest) if batch]
        return planned, known

    def _submit(self, pool: ThreadPoolExecutor,
                planned: list[tuple[Source, str, list[str]]]) -> list[Future[None]]:
        return [pool.submit(self._lookup, source, kind, batch) for source, kind, batch in planned]

    def _keep(self, source: Source, kind: str, answers: dict[str, ResolvedRecord]) -> None:
        self.answers[source.name].update(((kind, v), rec) for v, rec in answers.items())

    def _lookup(self, source: Source, kind: str, batch: list[str]) -> None:
        client = self.clients[source.name]
        with client.http.holding() as held:
            answers = source.lookup(client, kind, batch)
            # a value a source left out is not "not found": nothing is known about it
            checked = {v: vouched(trimmed(answers[v]), kind, v) if v in answers
                       else client.failed(kind, v, "no answer") for v in batch}
            held.keep = _kept(checked.values(), held.failures)
        self._keep(source, kind, checked)
        self.tracker.advance(len(batch))

    def _search(self, source: Source, ref: Reference) -> None:
        client = self.clients[source.name]
        with client.http.holding() as held:
            rec, score = source.search(client, ref)
            rec = trimmed(rec)
            if rec.status == "found" and not (rec.doi.strip() and rec.title.strip()):
                rec, score = client.failed("title", ref.title[:80], "answer without a DOI or a title"), None
            held.keep = _kept([rec], held.failures)
        self.suggestions[ref.key] = (rec, score)
        self.tracker.advance(1)

    def _follow_ups(self) -> dict[tuple[str, str], list[str]]:
        wanted = {}
        for source in self.finders:
            for kind in sorted(source.follow_up):
                asked = {v for k, v in self.answers[source.name] if k == kind}
                revealed = {_revealed(rec, kind) for other in self.finders if other is not source
                            for rec in self.answers[other.name].values()}
                wanted[(source.name, kind)] = sorted(revealed - asked - {""})
        return wanted


def _kept(records: Iterable[ResolvedRecord], failures: set[str]) -> bool:
    """Whether a lookup's answers may be stored: only when every record that is an error
    failed in transport (the HTTP client raised it, and nothing was received to keep).
    A malformed or empty body, an answer about another identifier, a value left out:
    none of the lookup's answers are kept, so the next run asks again."""
    return all(r.status != "error" or r.error in failures for r in records)


def _wanted(finders: list[Source], ids: dict[str, dict[str, str]]) -> dict[tuple[str, str], list[str]]:
    """(source, kind) -> the sorted unique values of that kind among the entries."""
    return {(s.name, kind): sorted({i[kind] for i in ids.values() if kind in i})
            for s in finders for kind in sorted(s.kinds)}


def _ask(options: ResolveOptions, active: list[Source], ids: dict[str, dict[str, str]],
         to_search: list[Reference], progress: Progress | None) -> _Lookups:
    hosts = {s.host or s.name: options.settings(s.host or s.name) for s in active}
    private = {p for s in active for p in s.private}
    # a cache that cannot be used is a warning (EvgradeWarning) and an empty cache
    with HttpClient(options, hosts, private) as http, ThreadPoolExecutor(options.workers) as pool:
        lookups = _Lookups(http, active, progress)
        lookups.run(pool, _wanted(lookups.finders, ids), to_search)
    return lookups


def _verdict(ref: Reference, records: list[ResolvedRecord]) -> Resolution:
    verdicts: list[IdVerdict] = [identifier_verdict(ref, ident, recs)
                                 for ident, recs in group_by_identifier(records).items()]
    if not verdicts:
        return Resolution(key=ref.key, status="unverified", records=tuple(records))
    decisive = min(verdicts, key=lambda v: _PRIORITY[v.status])
    # retraction and notices only count for records that are the entry's work
    trusted = {v.identifier for v in verdicts if v.status == "verified"}
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


def _linked(found: dict[str, str], records: list[ResolvedRecord], lookups: _Lookups) -> list[ResolvedRecord]:
    """Follow-up records for identifiers the entry's records revealed, filed under the
    identifier that revealed them. Only found ones: a PMID OpenAlex knows but
    PubMed lacks proves nothing."""
    out: list[ResolvedRecord] = []
    seen: set[tuple[str, str, str]] = set()
    for source in lookups.finders:
        for kind in sorted(source.follow_up):
            for rec in records:
                value = _revealed(rec, kind) if rec.source != source.name else ""
                linked = lookups.answers[source.name].get((kind, value))
                mark = (source.name, value, rec.identifier)
                if value and value != found.get(kind) and linked is not None \
                        and linked.status == "found" and mark not in seen:
                    seen.add(mark)
                    out.append(linked.model_copy(update={"identifier": rec.identifier}))
    return out


def _resolution(ref: Reference, found: dict[str, str], lookups: _Lookups) -> Resolution:
    if not found:
        if has_other_identifier(ref):
            # PMCID / arXiv / ISBN: traceable by hand, but no authority is asked here
            return Resolution(key=ref.key, status="unverified")
        rec, score = lookups.suggestions.get(ref.key, (None, None))
        return Resolution(key=ref.key, status="no-identifier", records=(rec,) if rec else (),
                          suggested_doi=rec.doi if rec and rec.status == "found" else "",
                          suggestion_score=score)
    records = [lookups.answers[s.name][(kind, value)] for s in lookups.finders
               for kind, value in found.items() if (kind, value) in lookups.answers[s.name]]
    return _verdict(ref, records + _linked(found, records, lookups))


def resolve_references(refs: Iterable[Reference], options: ResolveOptions,
                       progress: Progress | None = None) -> dict[str, Resolution]:
    """Resolution per entry key (first entry wins for duplicate keys), in input order.

    ``progress(done, total)`` counts identifier lookups; it is called from worker
    threads and ``total`` grows once PMIDs learnt from OpenAlex are queued.
    Failures never raise: they make entries ``unverified``; an unusable cache is an
    EvgradeWarning and an empty cache. Only an unknown source name or a broken
    plugin raise (ConfigError).
    """
    entries: dict[str, Reference] = {}
    for ref in refs:
        entries.setdefault(ref.key, ref)
    active = registry.active(options.chosen)
    for line in options.moved_by_project([s.name for s in active]):
        warnings.warn(line, EvgradeWarning, stacklevel=2)  # whose answers are believed
    kinds = {k for s in active if not s.searches for k in s.kinds}
    ids = {key: lookup_identifiers(ref, kinds) for key, ref in entries.items()}
    to_search = [ref for key, ref in entries.items() if not ids[key] and ref.title
                 and not has_other_identifier(ref)]
    lookups = _ask(options, active, ids, to_search, progress)
    return {key: _resolution(ref, ids[key], lookups) for key, ref in entries.items()}
