"""Assess many bibliography entries, on several processes when there are thousands.

``score --unused`` assesses every entry of the bibliography (design cues, facts, level):
about a millisecond each, so a 100,000-entry library spends most of its run here. With
``jobs`` > 1 and at least :data:`MIN_PARALLEL` entries, the sorted keys are cut into
slices and each slice is assessed by a worker *forked* from this process: the worker
starts with the loaded entries and the rubric in its memory, so nothing but a slice's
bounds goes to it, and it sends back its assessments as JSON text, which this process
validates into the same models a serial run makes. Results are put back in key order;
the dictionary is the one a serial run returns, entry for entry.

Only ``fork`` hands a worker the entries for free, and it is safe only while this process
runs one thread (a lock held by another thread at the fork would stay held in the
worker). Elsewhere (another platform, another thread running, or too few entries) the
entries are assessed here, one after another.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .grade.rubric import Rubric
    from .models import EntryAssessment, Reference, Resolution

MIN_PARALLEL = 2000   # fewer entries take under a few seconds: a pool would not pay for itself
SLICES_PER_JOB = 8    # small slices keep every worker busy to the end

# What a forked worker reads: set just before the pool forks, cleared after.
_WORK: tuple[Sequence[str], Mapping[str, Reference], Rubric, Mapping[str, Resolution]] | None = None


def assess_entries(keys: Collection[str], entries: Mapping[str, Reference], rubric: Rubric,
                   resolutions: Mapping[str, Resolution], jobs: int = 1) -> dict[str, EntryAssessment]:
    """The assessment of each of ``keys``, keyed by key, in sorted key order."""
    ordered = sorted(keys)
    if not _can_fork(jobs, len(ordered)):
        return {k: _one(k, entries, rubric, resolutions) for k in ordered}
    return _in_workers(ordered, entries, rubric, resolutions, jobs)


def _one(key: str, entries: Mapping[str, Reference], rubric: Rubric,
         resolutions: Mapping[str, Resolution]) -> EntryAssessment:
    from .grade.grades import assess_entry

    return assess_entry(key, entries.get(key), rubric, resolution=resolutions.get(key))


def _can_fork(jobs: int, count: int) -> bool:
    if jobs <= 1 or count < MIN_PARALLEL:
        return False
    from ._pool import fork_is_safe   # with multiprocessing: only for a run that may use it

    return fork_is_safe()


def _in_workers(ordered: list[str], entries: Mapping[str, Reference], rubric: Rubric,
                resolutions: Mapping[str, Resolution], jobs: int) -> dict[str, EntryAssessment]:
    global _WORK
    import multiprocessing   # here, not at the top: most runs assess in this process
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    adapter = _adapter()
    step = max(1, -(-len(ordered) // (jobs * SLICES_PER_JOB)))
    bounds = [(start, min(start + step, len(ordered))) for start in range(0, len(ordered), step)]
    _WORK = (ordered, entries, rubric, resolutions)
    out: dict[str, EntryAssessment] = {}
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for text in pool.map(_assess_slice, bounds):  # in slice order
                out.update((a.key, a) for a in adapter.validate_json(text))
    except BrokenProcessPool:  # a worker was killed (out of memory, say): the rest here
        out.update((k, _one(k, entries, rubric, resolutions)) for k in ordered[len(out):])
    finally:
        _WORK = None
    return out


def _assess_slice(bounds: tuple[int, int]) -> bytes:
    """In a worker: the JSON of the assessments of ``ordered[start:end]``."""
    assert _WORK is not None, "a worker forked without its work"
    ordered, entries, rubric, resolutions = _WORK
    start, end = bounds
    return _adapter().dump_json([_one(k, entries, rubric, resolutions) for k in ordered[start:end]])


def _adapter():  # type: ignore[no-untyped-def]
    from pydantic import TypeAdapter

    from .models import EntryAssessment

    return TypeAdapter(list[EntryAssessment])
