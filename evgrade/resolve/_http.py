"""One HTTP client per run: cache, User-Agent, timeouts, retries, per-host politeness.

Retries are an explicit loop rather than urllib3's ``Retry`` on an adapter:
urllib3 sleeps inside the adapter, where the per-host rate limiter cannot see
the retry and tests cannot replace the clock. Here every attempt (first or
retry) goes through the limiter, and a ``Retry-After`` also holds back the
other threads talking to that host.

Only a final 200 or 404 is ever stored (``_answers.ResponseStore``: bytes, never
code), and only once the lookup that asked for it accepted it: inside
:meth:`HttpClient.holding` (the resolver holds every source's lookup) answers
wait, and a lookup that found a body malformed, empty or about another
identifier keeps none of them. Each exchange follows redirects only on the same
host and reads at most ``max_response_bytes`` (``_wire.py``).
"""

from __future__ import annotations

import email.utils
import threading
import time
import warnings
from contextlib import contextmanager
from urllib.parse import urlencode
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import requests
from requests.structures import CaseInsensitiveDict

from .. import __version__
from ..errors import EvgradeWarning
from ._answers import AnswerStore, ResponseStore, Stored, request_key
from ._wire import Refused, exchange

if TYPE_CHECKING:
    from .interface import Settings
    from .options import ResolveOptions

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# 404 is an authority's answer ("no such identifier"), so it is cached like a 200
CACHED_STATUSES = (200, 404)
# credentials and contact details (params, headers) never become part of a cache key
# or reach the disk: request headers are never stored, and these parameters are
# left out of keys and stored URLs. Sources add their own (Source.private).
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


RESPONSES, ANSWERS = "responses.sqlite", "answers.sqlite"  # in the cache folder


@dataclass
class Held:
    """What the lookups inside :meth:`HttpClient.holding` fetched: stored only if ``keep``."""

    responses: list[tuple[str, Stored]] = field(default_factory=list)
    answers: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    failures: set[str] = field(default_factory=set)  # reasons of the FetchErrors raised
    keep: bool = False


def _replayed(stored: Stored) -> requests.Response:
    """A stored answer as the response sources read (``from_cache`` set)."""
    resp = requests.Response()
    resp.status_code = stored.status
    resp.headers = CaseInsensitiveDict({"Content-Type": stored.content_type}
                                       if stored.content_type else {})
    resp.encoding = requests.utils.get_encoding_from_headers(resp.headers)
    resp.url = stored.url
    resp._content = stored.body
    resp._content_consumed = True
    resp.from_cache = True  # type: ignore[attr-defined]
    return resp


def _shown_url(url: str, params: dict[str, Any] | None, private: Iterable[str]) -> str:
    """The request's URL as stored: without its private parameters."""
    hidden = {p.lower() for p in private}
    kept = [(k, v) for k, v in (params or {}).items() if str(k).lower() not in hidden]
    return url + ("?" + urlencode(kept, doseq=True) if kept else "")


def _stores(options: ResolveOptions) -> tuple[ResponseStore, AnswerStore]:
    folder = Path(options.cache_dir)
    usable = True
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        usable = False
        warnings.warn(f"{folder}: cannot be the lookup cache ({exc.strerror or exc}); "
                      "going on without it", EvgradeWarning, stacklevel=3)
    return (ResponseStore(folder / RESPONSES, options.cache_days, usable),
            AnswerStore(folder / ANSWERS, options.cache_days, usable))


class HttpClient:
    """``hosts`` maps each host name (a source, or the source it shares) to its settings."""

    def __init__(self, options: ResolveOptions, hosts: Mapping[str, Settings],
                 private: Iterable[str] = (), clock: Clock | None = None) -> None:
        self.options = options
        self.clock = clock or CLOCK
        self.stats = Stats()
        self.private = tuple(sorted({*PRIVATE_PARAMS, *private}))
        self.responses, self.answers = _stores(options)
        self.session = requests.Session()
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self._local = threading.local()
        self._agents: dict[str, str] = {}
        self._limiters: dict[str, RateLimiter] = {}
        self._list_limiters: dict[str, RateLimiter] = {}
        self._gates: dict[str, threading.BoundedSemaphore] = {}
        for host, settings in hosts.items():
            self._agents[host] = user_agent(settings.mailto)
            self._limiters[host] = RateLimiter(settings.rps, self.clock)
            self._gates[host] = threading.BoundedSemaphore(settings.concurrency)
            if settings.list_rps:
                self._list_limiters[host] = RateLimiter(settings.list_rps, self.clock)

    def close(self) -> None:
        self.answers.close()
        self.responses.close()
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what is kept

    @contextmanager
    def holding(self) -> Iterator[Held]:
        """Answers fetched in this thread inside the block are stored at its end, and
        only if the block set ``keep`` (nothing is stored when it raises)."""
        held, outer = Held(), getattr(self._local, "held", None)
        self._local.held = held
        try:
            yield held
        finally:
            self._local.held = outer
        if held.keep:
            self.responses.put(held.responses)
            for space, answers in held.answers:
                self.answers.put(space, answers)

    def _held(self) -> Held | None:
        return getattr(self._local, "held", None)

    def remember(self, space: str, answers: dict[str, Any]) -> None:
        """Per-identifier answers for the answer store, under the same rule as responses."""
        held = self._held()
        if held is not None:
            held.answers.append((space, answers))
        else:
            self.answers.put(space, answers)

    def _keep(self, key: str, resp: requests.Response, url: str) -> None:
        stored = Stored(resp.status_code, resp.headers.get("Content-Type", ""), resp.content, url)
        held = self._held()
        if held is not None:
            held.responses.append((key, stored))
        else:
            self.responses.put([(key, stored)])

    def _cached(self, key: str) -> requests.Response | None:
        """The stored answer, without touching the network (or the rate limiter)."""
        stored = self.responses.get(key, self.options.max_response_bytes)
        if stored is None or stored.status not in CACHED_STATUSES:
            return None
        self.stats.count(from_cache=True)
        return _replayed(stored)

    def _limiters_for(self, host: str, listing: bool) -> list[RateLimiter]:
        # a list query also takes a slot of the host's overall rate: whether the
        # two limits add up is not documented, so assume they don't
        extra = self._list_limiters.get(host) if listing else None
        return [extra, self._limiters[host]] if extra else [self._limiters[host]]

    # --- asking

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
        key = request_key(method, url, params, data, json, self.private)
        send = {k: v for k, v in (("params", params), ("data", data), ("json", json)) if v is not None}
        send["headers"] = {"User-Agent": self._agents[host], **(headers or {})}
        try:
            if self.options.mode != "refresh":
                hit = self._cached(key)
                if hit is not None:
                    return hit
                if self.options.mode == "offline":
                    raise FetchError("not in cache (offline)")
            # online after a miss, or refresh: the network, within this host's limits
            resp = self._fetch(host, method, url, listing, send)
        except FetchError as exc:
            held = self._held()
            if held is not None:
                held.failures.add(exc.reason)
            raise
        self._keep(key, resp, _shown_url(url, params, self.private))
        return resp

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
                resp = exchange(self.session, method, url, cap=self.options.max_response_bytes,
                                timeout=self.options.timeout, **send)
        except Refused as exc:
            raise FetchError(exc.reason) from None
        except requests.Timeout:
            return _Retry("timeout")
        except requests.ConnectionError:
            return _Retry("connection failed")
        except requests.RequestException as exc:
            raise FetchError(f"request failed: {type(exc).__name__}") from None
        self.stats.count(from_cache=False)
        resp.from_cache = False  # type: ignore[attr-defined]
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
