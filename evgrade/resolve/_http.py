"""One HTTP client per run: cache, User-Agent, timeouts, retries, per-host politeness.

Retries are an explicit loop rather than urllib3's ``Retry`` on an adapter:
urllib3 sleeps inside the adapter, below requests-cache, where the per-host
rate limiter cannot see the retry and tests cannot replace the clock. Here
every attempt (first or retry) goes through the limiter, a ``Retry-After``
also holds back the other threads talking to that host, and only the final
answer reaches the cache, whose ``allowable_codes`` keep 429/5xx out of it.
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable

import requests
import requests_cache

from .. import __version__
from ._answers import AnswerStore
from .options import ResolveOptions, Source

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# 404 is an authority's answer ("no such identifier"), so it is cached like a 200
CACHED_STATUSES = (200, 404)
# credentials and contact details (params, User-Agent) never become part of a cache
# key or reach the disk: requests-cache redacts ignored parameters and headers
PRIVATE_PARAMS = ["mailto", "email", "tool", "api_key", "User-Agent"]


@dataclass
class Clock:
    """Time source, replaced in tests so waits are asserted, not slept."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


CLOCK = Clock()


class FetchError(Exception):
    """A lookup that produced no usable answer; ``reason`` goes into ResolvedRecord.error.

    ``status`` is the final HTTP status when the server answered, else None.
    """

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class RateLimiter:
    """Minimum interval between request starts for one host, shared by all threads."""

    def __init__(self, per_second: float, clock: Clock) -> None:
        self.interval = 1.0 / per_second
        self.clock = clock
        self._next = float("-inf")
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            now = self.clock.now()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self.clock.sleep(slot - now)

    def defer(self, seconds: float) -> None:
        """The server asked for a pause (Retry-After): nobody talks to this host before it ends."""
        with self._lock:
            self._next = max(self._next, self.clock.now() + seconds)


def retry_after(value: str | None, wall_now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - wall_now)


def user_agent(mailto: str) -> str:
    return f"evgrade/{__version__} (mailto:{mailto})" if mailto else f"evgrade/{__version__}"


@dataclass
class Stats:
    sent: int = 0          # requests that reached the network
    cached: int = 0        # answered from the cache
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, from_cache: bool) -> None:
        with self.lock:
            if from_cache:
                self.cached += 1
            else:
                self.sent += 1


class HttpClient:
    def __init__(self, options: ResolveOptions, clock: Clock | None = None) -> None:
        self.options = options
        self.clock = clock or CLOCK
        self.stats = Stats()
        options.cache_dir.mkdir(parents=True, exist_ok=True)
        self.session = requests_cache.CachedSession(
            str(options.cache_dir / "http-cache"),
            backend="sqlite",
            expire_after=timedelta(days=options.cache_days),
            allowable_codes=CACHED_STATUSES,
            allowable_methods=("GET", "HEAD", "POST"),  # efetch with long id lists is a POST
            ignored_parameters=PRIVATE_PARAMS,
            cache_control=False,  # the APIs' own no-cache headers would defeat offline use
            stale_if_error=False,
            wal=True,  # concurrent readers while one thread writes; no fsync per read
        )
        try:
            # per-DOI answers from batch queries (see _answers.py)
            self.answers = AnswerStore(options.cache_dir / "answers.sqlite", options.cache_days)
        except Exception:
            self.session.close()
            raise
        self.session.headers["User-Agent"] = user_agent(options.mailto)
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self._limiters: dict[str, RateLimiter] = {}
        self._list_limiters: dict[str, RateLimiter] = {}
        self._gates: dict[str, threading.BoundedSemaphore] = {}
        for source in ("pubmed", "crossref", "openalex"):
            self._limiters[source] = RateLimiter(options.rate(source), self.clock)
            self._gates[source] = threading.BoundedSemaphore(options.concurrency(source))
            list_rate = options.list_rate(source)
            if list_rate:
                self._list_limiters[source] = RateLimiter(list_rate, self.clock)

    def close(self) -> None:
        self.answers.close()
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _cached(self, method: str, url: str, params: dict[str, Any] | None,
                data: dict[str, Any] | None) -> requests.Response | None:
        """The stored answer, without touching the network (or the rate limiter)."""
        try:
            resp = self.session.request(method, url, params=params, data=data,
                                        timeout=self.options.timeout, only_if_cached=True)
        except requests.RequestException:
            return None
        # a miss is requests-cache's synthetic 504, never from the cache
        if getattr(resp, "from_cache", False) and resp.status_code in CACHED_STATUSES:
            self.stats.count(from_cache=True)
            return resp
        return None

    def _limiters_for(self, source: Source, listing: bool) -> list[RateLimiter]:
        # a list query also takes a slot of the host's overall rate: whether the
        # two limits add up is not documented, so assume they don't
        extra = self._list_limiters.get(source) if listing else None
        return [extra, self._limiters[source]] if extra else [self._limiters[source]]

    def request(self, source: Source, method: str, url: str, *,
                params: dict[str, Any] | None = None,
                data: dict[str, Any] | None = None,
                listing: bool = False) -> requests.Response:
        """Return a 200 or 404 response, or raise FetchError once retries are spent.

        ``listing`` marks a query answering a list of records (a filter, a
        search), which some sources rate-limit more tightly than single lookups.
        """
        opts = self.options
        if opts.mode != "refresh":
            hit = self._cached(method, url, params, data)
            if hit is not None:
                return hit
            if opts.mode == "offline":
                raise FetchError("not in cache (offline)")
        # online after a miss, or refresh: the network, within this host's limits
        cache_kw = {"force_refresh": True} if opts.mode == "refresh" else {}
        limiters, gate = self._limiters_for(source, listing), self._gates[source]
        reason, status = "no attempt", None
        for attempt in range(opts.max_retries + 1):
            wait = opts.backoff * (2 ** attempt)
            for limiter in limiters:
                limiter.acquire()
            try:
                with gate:
                    resp = self.session.request(method, url, params=params, data=data,
                                                timeout=opts.timeout, **cache_kw)
            except requests.Timeout:
                reason, status = "timeout", None
            except requests.ConnectionError:
                reason, status = "connection failed", None
            except requests.RequestException as exc:
                raise FetchError(f"request failed: {type(exc).__name__}") from None
            else:
                self.stats.count(from_cache=bool(getattr(resp, "from_cache", False)))
                if resp.status_code in CACHED_STATUSES:
                    return resp
                status = resp.status_code
                if status not in RETRY_STATUSES:
                    raise FetchError(f"HTTP {status}", status)
                reason = f"HTTP {status}"
                asked = retry_after(resp.headers.get("Retry-After"), time.time())
                if asked is not None:
                    if asked > opts.max_wait:
                        raise FetchError(f"{reason} (Retry-After {asked:.0f}s)", status)
                    # the limiters do the waiting, so every thread on this host pauses
                    for limiter in limiters:
                        limiter.defer(asked)
                    wait = 0.0
            if attempt == opts.max_retries:
                break
            if wait > 0:
                self.clock.sleep(wait)
        tries = opts.max_retries + 1
        raise FetchError(f"{reason} after {tries} attempt{'s' if tries > 1 else ''}", status)
