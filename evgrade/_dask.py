"""The Dask engine: chunks of articles graded on a ``dask.distributed`` cluster.

Optional: ``pip install 'evgrade[dask]'``. Each chunk of consecutive articles
(:mod:`evgrade._chunks`) is one task; the run's context (the parsed bibliography and
the rest, as text) is scattered to every worker once, and the results are gathered
in input order with a bounded number of tasks in flight, so the report is the one
:func:`evgrade.pipeline.run` makes in one process. Workers read the articles (and the
claim map) by the paths the main process names: on a real cluster those paths must
reach the same files from every worker (a shared file system). docs/scale.md shows a
run on a ``LocalCluster``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .errors import UsageError


def _names(paths: list[str]) -> list[str]:
    from ._parallel import named_bibliographies

    return named_bibliographies(paths)


def _grade(context: str, paths: list[str]) -> str:
    from ._chunks import grade_chunk_text

    return grade_chunk_text(context, paths)


class DaskEngine:
    """An engine (:class:`evgrade._parallel.Engine`) on a ``dask.distributed.Client``."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def workers(self) -> int:
        """Threads across the cluster's workers: how many chunks run at once."""
        return max(1, sum(self.client.nthreads().values()))

    def names(self, chunks: Iterable[list[str]]) -> Iterator[list[str]]:
        from ._pool import in_order

        return in_order(chunks, lambda chunk: self.client.submit(_names, chunk, pure=False),
                        2 * self.workers)

    def grade(self, context: str, chunks: Iterable[list[str]]) -> Iterator[str]:
        from ._pool import in_order

        shared = self.client.scatter(context, broadcast=True)
        return in_order(chunks, lambda chunk: self.client.submit(_grade, shared, chunk, pure=False),
                        2 * self.workers)


def client_for(scheduler: str | None, workers: int) -> Any:
    """A client of the scheduler at ``scheduler`` (``tcp://host:8786``), else of a new
    local cluster of ``workers`` processes (closed with the client)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--backend dask needs Dask: pip install 'evgrade[dask]'") from None
    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    client.close_cluster = cluster.close  # type: ignore[attr-defined]
    return client


def engine(client: Any) -> DaskEngine:
    """The engine to pass to :func:`evgrade.pipeline.run` (``engine=``) for ``client``."""
    return DaskEngine(client)
