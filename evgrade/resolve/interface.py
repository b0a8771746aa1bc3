"""What a resolver source is: the interface every authority evgrade asks implements.

A source (PubMed, Crossref, OpenAlex, the Crossref title search, or a plugin)
is an instance of a :class:`Source` subclass. It says which identifier kinds it
answers, where its API lives, how fast and how many at once it may be asked,
how to split identifiers into requests and how to turn one request's answer
into :class:`~evgrade.models.ResolvedRecord` s, and, if it has an opinion,
what a record says about the study design. The resolver
(:mod:`evgrade.resolve.resolver`) does the rest: batching across entries,
threads, the cache, retries, per-host politeness, verdicts and findings.

Records tell found, not-found and could-not-verify apart by their ``status``:
``found``, ``not-found`` (the authority answered "no such identifier") or
``error`` (no usable answer: a timeout, HTTP 503, a malformed body; the
identifier is then *unverified*, never not-found). :class:`SourceClient` has
helpers for the last two.

See docs/resolution.md, "Adding a source".
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import _patterns
from ..models import SOURCE_NAME_PATTERN, DesignCall, Reference, ResolvedRecord

if TYPE_CHECKING:
    from ._http import HttpClient
    from .options import ResolveOptions

# what ResolvedRecord.source and the registry accept (docs/resolution.md)
SOURCE_NAME = _patterns.compile(SOURCE_NAME_PATTERN)

# design authority, as ranked by grade.designs: 0 = above the entry's own
# ``studydesign`` field (indexers who read the paper), 2 = below it but above the
# entry's wording (the kind of output: book, editorial...)
INDEXED = 0
WORK_TYPE = 2


class SourceSettings(BaseModel):
    """Settings a caller gives one source (``ResolveOptions.source_settings[name]``).

    Anything left out takes the source's default for the current credentials.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str | None = None                         # base URL of the API
    rps: float | None = Field(None, gt=0)          # requests per second
    list_rps: float | None = Field(None, gt=0)     # requests per second for list queries
    concurrency: int | None = Field(None, ge=1)    # requests in flight at once
    api_key: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://\S+$", v):
            raise ValueError("must be an http:// or https:// URL")
        return v


@dataclass(frozen=True)
class Settings:
    """The settings in force for one source in one run."""

    url: str
    rps: float
    list_rps: float | None
    concurrency: int
    api_key: str = ""
    mailto: str = ""       # the contact address sent to it (User-Agent, mailto=/email=)


class Source:
    """One authority. Subclass it, set the class attributes, override what differs.

    Identifier sources override :meth:`lookup` (and maybe :meth:`batches`,
    :meth:`known`); a title search (``"title"`` in ``kinds``) overrides
    :meth:`search` instead and only runs when ``ResolveOptions.search`` is on.
    """

    name: str = ""                      # registry key and ResolvedRecord.source
    label: str = ""                     # how messages name it ("Semantic Scholar")
    kinds: frozenset[str] = frozenset()  # identifier kinds it answers: "doi", "pmid", ..., "title"
    url: str = ""                       # default base URL, no trailing slash
    host: str = ""                      # "" = its own; else the source whose URL, limits and
                                        # connections it shares (and with which it is on)
    follow_up: frozenset[str] = frozenset()  # kinds it also looks up when another
                                        # source's record reveals them (PubMed: PMIDs from OpenAlex)
    private: tuple[str, ...] = ()       # params/headers never stored or used as cache keys
    design_authority: int = WORK_TYPE
    batch_size: int = 1                 # identifiers per request for the default batches()
    api_key_env: str = ""               # environment variable holding its API key, if any

    # --- politeness: the documented limits for the current credentials

    def default_rate(self, options: ResolveOptions, api_key: str) -> float:
        return 1.0

    def default_list_rate(self, options: ResolveOptions, api_key: str) -> float | None:
        """Requests/s for list queries, where the source limits them apart; None = no separate limit."""
        return None

    def default_concurrency(self, options: ResolveOptions, api_key: str) -> int:
        return 1

    def settings(self, given: SourceSettings, options: ResolveOptions) -> Settings:
        """The caller's settings, completed with this source's defaults."""
        key = given.api_key
        if key is None:
            key = os.environ.get(self.api_key_env, "").strip() if self.api_key_env else ""
        return Settings(
            url=(given.url or self.url).rstrip("/"),
            rps=given.rps or self.default_rate(options, key),
            list_rps=given.list_rps or self.default_list_rate(options, key),
            concurrency=given.concurrency or self.default_concurrency(options, key),
            api_key=key,
            mailto=options.mailto,
        )

    # --- lookups

    def batches(self, kind: str, values: list[str]) -> list[list[str]]:
        """Split the (unique) values into requests; stable, so the HTTP cache keeps working."""
        ordered = sorted(set(values))
        return [ordered[i:i + self.batch_size] for i in range(0, len(ordered), self.batch_size)]

    def known(self, client: SourceClient, kind: str, values: list[str]) -> dict[str, ResolvedRecord]:
        """Answers kept from earlier runs outside the HTTP cache; these values are not batched."""
        return {}

    def lookup(self, client: SourceClient, kind: str, batch: list[str]) -> dict[str, ResolvedRecord]:
        """One batch: a record for every value (found, not-found or error). Never raises."""
        raise NotImplementedError(f"source {self.name!r} does not look identifiers up")

    def search(self, client: SourceClient, ref: Reference) -> tuple[ResolvedRecord, float | None]:
        """Title search: (best matching record, its match score) or a not-found/error record and None."""
        raise NotImplementedError(f"source {self.name!r} does not search titles")

    def design(self, record: ResolvedRecord) -> DesignCall | None:
        """The study design a found, verified record states; None = no opinion."""
        return None

    @property
    def searches(self) -> bool:
        return "title" in self.kinds


class SourceClient:
    """What a source's lookup gets: its settings, and HTTP through evgrade's cache and limits."""

    def __init__(self, http: HttpClient, source: Source, settings: Settings) -> None:
        self.http = http
        self.source = source
        self.settings = settings
        self.host = source.host or source.name
        self.options = http.options

    @property
    def url(self) -> str:
        return self.settings.url

    @property
    def mailto(self) -> str:
        return self.settings.mailto

    def request(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                data: dict[str, Any] | None = None, json: Any = None,
                headers: dict[str, str] | None = None, listing: bool = False) -> requests.Response:
        """A 200 or 404 response, or FetchError once retries are spent (see _http.HttpClient)."""
        return self.http.request(self.host, method, url, params=params, data=data, json=json,
                                 headers=headers, listing=listing)

    def record(self, kind: str, value: str, **fields: Any) -> ResolvedRecord:
        """A found record for ``kind:value``."""
        return ResolvedRecord(source=self.source.name, identifier=f"{kind}:{value}",
                              status="found", **fields)

    def not_found(self, kind: str, value: str) -> ResolvedRecord:
        """The authority answered that ``value`` does not exist."""
        return ResolvedRecord(source=self.source.name, identifier=f"{kind}:{value}",
                              status="not-found", **_own(kind, value))

    def failed(self, kind: str, value: str, reason: str) -> ResolvedRecord:
        """No usable answer for ``value``: it stays unverified."""
        return ResolvedRecord(source=self.source.name, identifier=f"{kind}:{value}",
                              status="error", error=reason, **_own(kind, value))


def _own(kind: str, value: str) -> dict[str, str]:
    return {kind: value} if kind in ("doi", "pmid") else {}
