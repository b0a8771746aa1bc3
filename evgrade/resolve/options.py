"""Settings for online resolution: mode, cache, contact, endpoints, politeness."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["pubmed", "crossref", "openalex"]

PUBMED_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
CROSSREF_URL = "https://api.crossref.org"
OPENALEX_URL = "https://api.openalex.org"


def default_cache_dir() -> Path:
    """``EVGRADE_CACHE_DIR`` if set, else the platform's user cache directory."""
    env = os.environ.get("EVGRADE_CACHE_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("evgrade"))


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


class ResolveOptions(BaseModel):
    """How to look identifiers up. Defaults read the environment; explicit values win."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # online = use the cache, fetch what is missing; offline = cache only, never
    # touch the network; refresh = fetch everything again and store it
    mode: Literal["online", "offline", "refresh"] = "online"
    cache_dir: Path = Field(default_factory=default_cache_dir)
    cache_days: float = Field(14.0, gt=0)  # retractions appear late: don't trust old answers forever
    mailto: str = Field(default_factory=lambda: _env("EVGRADE_MAILTO"))
    ncbi_api_key: str = Field(default_factory=lambda: _env("NCBI_API_KEY"))
    sources: tuple[Source, ...] = ("pubmed", "crossref", "openalex")

    pubmed_url: str = PUBMED_URL
    crossref_url: str = CROSSREF_URL
    openalex_url: str = OPENALEX_URL

    # requests per second; None = the documented limit for the current credentials
    pubmed_rps: float | None = Field(None, gt=0)
    crossref_rps: float | None = Field(None, gt=0)
    openalex_rps: float | None = Field(None, gt=0)
    crossref_list_rps: float | None = Field(None, gt=0)  # /works?filter= and title searches

    timeout: tuple[float, float] = (5.0, 30.0)   # (connect, read) seconds
    max_retries: int = Field(4, ge=0)
    backoff: float = Field(1.0, ge=0)            # first retry waits this long, then doubles
    max_wait: float = Field(120.0, ge=0)         # a Retry-After longer than this gives up
    workers: int = Field(4, ge=1)
    search: bool = False                         # title search for entries without identifier

    def rate(self, source: Source) -> float:
        if source == "pubmed":
            # NCBI: 3 requests/s per IP without an API key, 10/s with one
            return self.pubmed_rps or (10.0 if self.ncbi_api_key else 3.0)
        if source == "crossref":
            # Crossref (revised Dec 2025; each response states them in x-rate-limit-*
            # headers): public pool 5/s with 1 concurrent request, polite pool
            # (mailto given) 10/s with 3
            return self.crossref_rps or (10.0 if self.mailto else 5.0)
        return self.openalex_rps or 10.0  # OpenAlex: 10/s (100k a day)

    def list_rate(self, source: Source) -> float | None:
        """Requests/s for list queries, where a source limits them apart; None = no separate limit."""
        if source == "crossref":
            # Crossref counts "lists of records (queries, filters)" separately from
            # single-DOI lookups: 3/s polite, 1/s public (limits from 1 Dec 2025)
            return self.crossref_list_rps or (3.0 if self.mailto else 1.0)
        return None

    def concurrency(self, source: Source) -> int:
        if source == "crossref":
            return 3 if self.mailto else 1
        return 3

    def base_url(self, source: Source) -> str:
        return {"pubmed": self.pubmed_url, "crossref": self.crossref_url,
                "openalex": self.openalex_url}[source].rstrip("/")
