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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Callable

import requests
import requests_cache

from .. import __version__
from ._answers import AnswerStore

if TYPE_CHECKING:
    from .interface import Settings
    from .options import ResolveOptions

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# 404 is an authority's answer ("no such identifier"), so it is cached like a 200
CACHED_STATUSES = (200, 404)
# credentials and contact details (params, User-Agent) never become part of a cache
# key or reach the disk: requests-cache redacts ignored parameters and headers.
# Sources add their own (Source.private).
PRIVATE_PARAMS = ("mailto", "email", "tool", "api_key", "User-Agent")


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


@dataclass(frozen=True)
class _Retry:
    """A failed attempt worth repeating: why, the HTTP status, the Retry-After asked for."""

    reason: str
    status: int | None = None
    asked: float | None = None


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
    """``hosts`` maps each host name (a source, or the source it shares) to its settings."""

    def __init__(self, options: ResolveOptions, hosts: Mapping[str, Settings],
                 private: Iterable[str] = (), clock: Clock | None = None) -> None:
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
            ignored_parameters=sorted({*PRIVATE_PARAMS, *private}),
            cache_control=False,  # the APIs' own no-cache headers would defeat offline use
            stale_if_error=False,
            wal=True,  # concurrent readers while one thread writes; no fsync per read
        )
        try:
            # per-identifier answers from batch queries (see _answers.py)
            self.answers = AnswerStore(options.cache_dir / "answers.sqlite", options.cache_days)
        except Exception:
            self.session.close()
            raise
        self.session.headers["User-Agent"] = user_agent(options.mailto)
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self._limiters: dict[str, RateLimiter] = {}
        self._list_limiters: dict[str, RateLimiter] = {}
        self._gates: dict[str, threading.BoundedSemaphore] = {}
        for host, settings in hosts.items():
            self._limiters[host] = RateLimiter(settings.rps, self.clock)
            self._gates[host] = threading.BoundedSemaphore(settings.concurrency)
            if settings.list_rps:
                self._list_limiters[host] = RateLimiter(settings.list_rps, self.clock)

    def close(self) -> None:
        self.answers.close()
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _cached(self, method: str, url: str, send: dict[str, Any]) -> requests.Response | None:
        """The stored answer, without touching the network (or the rate limiter)."""
        try:
            resp = self.session.request(method, url, timeout=self.options.timeout,
                                        only_if_cached=True, **send)
        except requests.RequestException:
            return None
        # a miss is requests-cache's synthetic 504, never from the cache
        if getattr(resp, "from_cache", False) and resp.status_code in CACHED_STATUSES:
            self.stats.count(from_cache=True)
            return resp
        return None

    def _limiters_for(self, host: str, listing: bool) -> list[RateLimiter]:
        # a list query also takes a slot of the host's overall rate: whether the
        # two limits add up is not documented, so assume they don't
        extra = self._list_limiters.get(host) if listing else None
        return [extra, self._limiters[host]] if extra else [self._limiters[host]]

    def request(self, host: str, method: str, url: str, *,
                params: dict[str, Any] | None = None,
                data: dict[str, Any] | None = None,
                json: Any = None,
                headers: dict[str, str] | None = None,
                listing: bool = False) -> requests.Response:
        """Return a 200 or 404 response, or raise FetchError once retries are spent.

        ``listing`` marks a query answering a list of records (a filter, a
        search), which some sources rate-limit more tightly than single lookups.
        """
        send = {k: v for k, v in (("params", params), ("data", data), ("json", json),
                                  ("headers", headers)) if v is not None}
        if self.options.mode != "refresh":
            hit = self._cached(method, url, send)
            if hit is not None:
                return hit
            if self.options.mode == "offline":
                raise FetchError("not in cache (offline)")
        # online after a miss, or refresh: the network, within this host's limits
        if self.options.mode == "refresh":
            send["force_refresh"] = True
        return self._fetch(host, method, url, listing, send)

    def _fetch(self, host: str, method: str, url: str, listing: bool,
               send: dict[str, Any]) -> requests.Response:
        opts = self.options
        limiters = self._limiters_for(host, listing)
        failure = _Retry("no attempt")
        for attempt in range(opts.max_retries + 1):
            for limiter in limiters:
                limiter.acquire()
            outcome = self._attempt(host, method, url, send)
            if not isinstance(outcome, _Retry):
                return outcome
            failure = outcome
            wait = self._wait(failure, limiters, opts.backoff * (2 ** attempt))
            if attempt < opts.max_retries and wait > 0:
                self.clock.sleep(wait)
        tries = opts.max_retries + 1
        raise FetchError(f"{failure.reason} after {tries} attempt{'s' if tries > 1 else ''}",
                         failure.status)

    def _attempt(self, host: str, method: str, url: str,
                 send: dict[str, Any]) -> requests.Response | _Retry:
        """One request: a 200/404, a failure worth retrying, or FetchError for one that is not."""
        try:
            with self._gates[host]:
                resp = self.session.request(method, url, timeout=self.options.timeout, **send)
        except requests.Timeout:
            return _Retry("timeout")
        except requests.ConnectionError:
            return _Retry("connection failed")
        except requests.RequestException as exc:
            raise FetchError(f"request failed: {type(exc).__name__}") from None
        self.stats.count(from_cache=bool(getattr(resp, "from_cache", False)))
        status = resp.status_code
        if status in CACHED_STATUSES:
            return resp
        if status not in RETRY_STATUSES:
            raise FetchError(f"HTTP {status}", status)
        return _Retry(f"HTTP {status}", status,
                      retry_after(resp.headers.get("Retry-After"), time.time()))

    def _wait(self, failure: _Retry, limiters: list[RateLimiter], backoff: float) -> float:
        """Seconds to sleep before the next attempt; a Retry-After pauses the whole host instead."""
        if failure.asked is None:
            return backoff
        if failure.asked > self.options.max_wait:
            raise FetchError(f"{failure.reason} (Retry-After {failure.asked:.0f}s)", failure.status)
        # the limiters do the waiting, so every thread on this host pauses
        for limiter in limiters:
            limiter.defer(failure.asked)
        return 0.0
