"""``score --unused`` on a large bibliography: entries loaded and assessed on forked workers,
the JSON report put together from what they wrote to disk.

A run that grades every entry of a 100,000-entry library would otherwise hold every
entry, every assessment and the whole report text in one process. Here:

1. This process reads the documents, splits the bibliography once
   (:func:`~evgrade.bib.load.open_bibliography`) and grades the articles with the cited
   entries only, as ``check`` does (:func:`evgrade.pipeline.grade_parts`).
2. The casefolded keys of every entry block are sorted and cut into slices. A worker
   forked from this process loads one slice (the same blocks, macros and crossref
   parents a load of every key uses for them), assesses its entries, and writes them,
   and the findings about them (the bibliography's, and EV301 for those never cited),
   to a spool file, each in the text the report will hold, in report order.
3. The report is written from the head of step 1, the entries merged from the spool
   files in key order and the findings merged in report order: a few lines of each file
   are in memory at a time.

The bytes are those of the one-process run (tests/test_entry_pool.py). :func:`prepare`
returns None, and the run stays in one process, when this cannot hold or would not pay:
another format than JSON, ``--jobs 1``, a process that may not fork (:func:`_pool.fork_is_safe`),
standard input, fewer than :data:`MIN_ENTRIES` entries, links that need every entry (a
claim naming its source, with suggestions on; a cited ``doi:`` key no entry has), or
macros and crossref that, counted over all workers, could have reached a file's
expansion budget (then where a one-process load stops expanding is what counts). A
worker that dies (the out-of-memory killer) or a spool that cannot be written (a full
disk) also sends the run back to one process, which needs neither.
The bibliography cache is not used here: every worker parses its own blocks.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import json
import multiprocessing
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import pipeline
from ._assess import assess_entries
from ._finding_policy import for_cited
from ._findings import finding_order
from ._inputs import STDIN, read_documents
from ._silenced import filter_findings

if TYPE_CHECKING:
    from .bib.load import Bibliography, Opened
    from .grade.rubric import Rubric
    from .models import EntryAssessment, Finding, Report, Resolution

MIN_ENTRIES = 2000     # fewer: one process does it in seconds
SLICES_PER_JOB = 8     # small slices: every worker busy to the end, little in memory at once
FORMATS = ("json", "jsonl")


@dataclass
class Prepared:
    """A report ready to be written: ``report`` has its header and the findings the exit
    code and the stderr lines are made from; :meth:`parts` gives its text."""

    report: Report
    layout: _Json | _JsonLines
    head: str              # the text before the entries
    folder: Path           # the spool files
    slices: int
    extra: list[tuple[str, str]]      # entries no slice holds (keys cited but not loaded)
    findings: list[tuple[tuple, str]]  # this process's findings that follow the entries

    def parts(self) -> Iterator[str]:
        entries = heapq.merge(*(_spooled(self.folder / f"{i}.entries") for i in range(self.slices)),
                              self.extra, key=_first)
        spooled = heapq.merge(*(_spooled(self.folder / f"{i}.findings") for i in range(self.slices)),
                              key=_first)
        seen = Counter(text for _order, text in self.findings)   # found here and by a worker
        found = heapq.merge(self.findings, _unseen(spooled, seen), key=_first)
        return self.layout.body(self.head, (text for _key, text in entries),
                                (text for _order, text in found))

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def prepare(paths: list[Path], options: pipeline.Options, fmt: str, jobs: int) -> Prepared | None:
    """Grade ``paths`` with workers as above, or None (see the module's docstring)."""
    from ._pool import fork_is_safe
    from .bib.load import open_bibliography

    if not (options.unused and fmt in FORMATS and jobs > 1 and fork_is_safe()):
        return None
    if any(str(p) == STDIN for p in paths):
        return None
    documents = read_documents(paths, stdin_format=options.stdin_format)
    opened = open_bibliography(pipeline.bibliography_paths(documents, options))
    universe = sorted(opened.keys())
    if len(universe) < MIN_ENTRIES:
        return None
    cited_only = dataclasses.replace(options, unused=False)
    loader = _Loader(opened)
    try:
        graded = pipeline.grade_parts(documents, cited_only, load=loader)
    except _NeedsEvery:
        return None
    head = pipeline.report_of(graded, documents, cited_only)
    slices = _slices(universe, jobs)
    try:
        folder = Path(tempfile.mkdtemp(prefix="evgrade-entries-"))
    except OSError:   # no temporary folder to spool to: one process needs none
        return None
    try:
        decisive = _in_workers(graded, loader, slices, options, fmt, jobs, folder)
        if decisive is None:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return _prepared(graded, head, fmt, folder, len(slices), decisive)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _slices(universe: list[str], jobs: int) -> list[tuple[int, list[str]]]:
    """The sorted keys cut into about ``jobs * SLICES_PER_JOB`` slices, numbered."""
    step = max(1, -(-len(universe) // (jobs * SLICES_PER_JOB)))
    return [(i, universe[start:start + step]) for i, start in enumerate(range(0, len(universe), step))]


def _in_workers(graded: pipeline.Graded, loader: _Loader, slices: list[tuple[int, list[str]]],
                options: pipeline.Options, fmt: str, jobs: int, folder: Path) -> list[str] | None:
    """Spool every slice; the JSON of the findings that decide the exit code, or None when
    the expansion budgets may have been reached (the run is then done in one process)."""
    global _WORK
    from ._pool import fork_is_safe

    if not fork_is_safe():   # a thread the grading started (online lookups) is still running
        return None
    _WORK = _Work(loader.opened, graded.rubric, graded.resolutions, graded.cited, options.ignore,
                  _LAYOUTS[fmt](), folder)
    spent, decisive = loader.parsed, []
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for parsed, inherited, texts in pool.map(_load_slice, slices):
                spent += parsed - loader.parsed + inherited   # what this worker added
                decisive += texts
    except (BrokenProcessPool, OSError):  # a worker killed, the spool disk full: one process
        return None
    finally:
        _WORK = None
    return None if spent > loader.opened.allowance() else decisive


def _prepared(graded: pipeline.Graded, head: Report, fmt: str, folder: Path, slices: int,
              decisive: list[str]) -> Prepared:
    from .models import Finding

    loaded = graded.loaded.entries
    missing = (set(graded.assessments) | set(graded.entries)) - set(loaded)
    extra = assess_entries(missing, graded.entries, graded.rubric, graded.resolutions)
    layout = _LAYOUTS[fmt]()
    text, after = layout.head(head)
    known = Counter(f.model_dump_json() for f in head.findings)
    more = [Finding.model_validate_json(t) for _t, t in _unseen(((t, t) for t in decisive), known)]
    report = head.model_copy(update={"entries": {}, "findings": tuple(sorted(
        [*head.findings, *more], key=finding_order))})
    return Prepared(report=report, layout=layout, head=text, folder=folder, slices=slices,
                    extra=[(k, layout.entry(k, a)) for k, a in extra.items()],
                    findings=[(finding_order(f), layout.finding(f)) for f in after])


# ------------------------------------------------------------------ in the main process

class _NeedsEvery(Exception):
    """The articles' links need every entry loaded in this process."""


class _Loader:
    """:func:`~evgrade.bib.load.load_bibliography` of some keys, from the opened files;
    ``parsed``: what macros have added to their values so far."""

    def __init__(self, opened: Opened) -> None:
        self.opened, self.parsed = opened, 0

    def __call__(self, paths: object, *, keys: Iterable[str] | None = None,
                 cache_dir: object = None) -> Bibliography:
        if keys is None:
            raise _NeedsEvery
        loaded, self.parsed, _inherited = self.opened.load(keys)
        return loaded


def _first(pair: tuple) -> object:
    return pair[0]


def _joined(texts: Iterable[str], close: str) -> Iterator[str]:
    """``texts`` as the members of a JSON object or array at depth 1; ``close`` ends it."""
    first = True
    for text in texts:
        yield ("\n" if first else ",\n") + text
        first = False
    yield close if first else "\n  " + close


def _spooled(path: Path) -> Iterator[tuple]:
    """The (order, text) pairs :func:`_spool` wrote, in the order written."""
    with open(path, encoding="utf-8", newline="") as spool:
        while line := spool.readline():
            size, order = line.split("\t", 1)
            found = json.loads(order)
            yield (tuple(found) if isinstance(found, list) else found), spool.read(int(size))


def _unseen(pairs: Iterable[tuple], seen: Counter) -> Iterator[tuple]:
    """The pairs whose text ``seen`` does not count (each count met once)."""
    for pair in pairs:
        text = pair[1]
        if seen[text] > 0:
            seen[text] -= 1
            continue
        yield pair


# ------------------------------------------------------------------ in a worker

@dataclass
class _Work:
    opened: Opened
    rubric: Rubric
    resolutions: Mapping[str, Resolution]
    cited: set[str]
    ignore: frozenset[str]
    layout: _Json | _JsonLines
    folder: Path


_WORK: _Work | None = None   # set just before the pool forks, cleared after


def _load_slice(task: tuple[int, list[str]]) -> tuple[int, int, list[str]]:
    """In a worker: load, assess and spool one slice; what the budgets were charged, and
    the JSON of the findings that are not ``info`` (and of the first that is)."""
    assert _WORK is not None, "a worker forked without its work"
    work = _WORK
    index, keys = task
    owned = set(keys)
    bib, parsed, inherited = work.opened.load(keys, every_broken=index == 0, keep=False)
    entries = {k: ref for k, ref in bib.entries.items() if k.casefold() in owned}
    found = [f for f in bib.findings if (f.key.casefold() in owned if f.key else index == 0)]
    found += pipeline.unused_findings(entries, work.cited)
    found = filter_findings(for_cited(found, work.cited), (), work.ignore)
    assessed = assess_entries(entries, entries, work.rubric, work.resolutions)
    layout = work.layout
    _spool(work.folder / f"{index}.entries", ((k, layout.entry(k, a)) for k, a in assessed.items()))
    _spool(work.folder / f"{index}.findings", ((finding_order(f), layout.finding(f)) for f in found))
    decisive = [f.model_dump_json() for f in found if f.severity != "info"]
    decisive += [f.model_dump_json() for f in found if f.severity == "info"][:1]
    return parsed, inherited, decisive


def _spool(path: Path, pairs: Iterable[tuple]) -> None:
    """Each (order, text) as a line "<characters of text><TAB><order as JSON>", then the text."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        for order, text in pairs:
            out.write(f"{len(text)}\t{json.dumps(order, ensure_ascii=False)}\n{text}")


class _Json:
    """The report's JSON (``render_json``), written a member at a time."""

    def head(self, report: Report) -> tuple[str, tuple[Finding, ...]]:
        """The text before the entries, and the findings of ``report`` that follow them."""
        text = report.model_copy(update={"entries": {}, "findings": ()}).model_dump_json(indent=2)
        return text[:text.rindex('  "entries": {}')], report.findings

    def entry(self, key: str, assessment: EntryAssessment) -> str:
        """``"key": {...}`` as it stands in the report's ``entries`` (indented two levels)."""
        from .report.json_ import nested

        text = _entries_adapter().dump_json({key: assessment}, indent=2).decode("utf-8")
        return nested(text[2:-2], 1)   # the member without the braces around it

    def finding(self, finding: Finding) -> str:
        from .report.json_ import nested

        return nested(finding.model_dump_json(indent=2), 2)

    def body(self, head: str, entries: Iterable[str], findings: Iterable[str]) -> Iterator[str]:
        yield head + '  "entries": {'
        yield from _joined(entries, "}")
        yield ',\n  "findings": ['
        yield from _joined(findings, "]")
        yield "\n}\n"


class _JsonLines:
    """JSON Lines (report/stream.py): the run and the articles, then entries, then findings."""

    def __init__(self) -> None:
        from .report.stream import JsonLines

        self.writer = JsonLines()

    def head(self, report: Report) -> tuple[str, list[Finding]]:
        from .report.stream import pieces_of, write_pieces

        *pieces, footer = pieces_of(report)
        return "".join(write_pieces(pieces, "jsonl")), footer.findings  # type: ignore[union-attr]

    def entry(self, key: str, assessment: EntryAssessment) -> str:
        from .report.stream import Footer

        return self.writer.footer(Footer(entries={key: assessment}, findings=[]))

    def finding(self, finding: Finding) -> str:
        from .report.stream import Footer

        return self.writer.footer(Footer(entries={}, findings=[finding]))

    def body(self, head: str, entries: Iterable[str], findings: Iterable[str]) -> Iterator[str]:
        yield head
        yield from entries
        yield from findings


_LAYOUTS = {"json": _Json, "jsonl": _JsonLines}


@functools.cache
def _entries_adapter():  # type: ignore[no-untyped-def]
    from pydantic import TypeAdapter

    from .models import EntryAssessment

    return TypeAdapter(dict[str, EntryAssessment])
