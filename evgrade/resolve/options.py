"""Settings for online resolution: mode, cache, contact, which sources, and each source's settings.

Each source owns its base URL, rate limit, concurrency and credentials
(:class:`~evgrade.resolve.interface.Source`); ``source_settings`` overrides them
per source. The older per-source fields (``pubmed_url``, ``crossref_rps``...)
are aliases, each setting one value of one built-in source.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import registry
from .interface import Settings, SourceSettings

# alias field -> (source, SourceSettings field)
ALIASES: dict[str, tuple[str, str]] = {
    "pubmed_url": ("pubmed", "url"),
    "crossref_url": ("crossref", "url"),
    "openalex_url": ("openalex", "url"),
    "pubmed_rps": ("pubmed", "rps"),
    "crossref_rps": ("crossref", "rps"),
    "openalex_rps": ("openalex", "rps"),
    "crossref_list_rps": ("crossref", "list_rps"),  # /works?filter= and title searches
    "ncbi_api_key": ("pubmed", "api_key"),
}


MAX_RESPONSE_BYTES = 20 * 1024 * 1024  # an efetch of 200 records is about 2 MB


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
    # registered source names; None = every registered source (built-ins and plugins)
    sources: tuple[str, ...] | None = None
    # per source: url, rps, list_rps, concurrency, api_key (unset = the source's default)
    source_settings: dict[str, SourceSettings] = Field(default_factory=dict)

    pubmed_url: str | None = None
    crossref_url: str | None = None
    openalex_url: str | None = None

    # requests per second; None = the documented limit for the current credentials
    pubmed_rps: float | None = Field(None, gt=0)
    crossref_rps: float | None = Field(None, gt=0)
    openalex_rps: float | None = Field(None, gt=0)
    crossref_list_rps: float | None = Field(None, gt=0)

    timeout: tuple[float, float] = (5.0, 30.0)   # (connect, read) seconds
    max_retries: int = Field(4, ge=0)
    backoff: float = Field(1.0, ge=0)            # first retry waits this long, then doubles
    max_wait: float = Field(120.0, ge=0)         # a Retry-After longer than this gives up
    workers: int = Field(4, ge=1)
    # a body past this many bytes (after decompression) is not read further: could not verify
    max_response_bytes: int = Field(MAX_RESPONSE_BYTES, ge=1)
    search: bool = False                         # title search for entries without identifier

    # an unknown source name is the caller's mistake: a ConfigError (not a
    # ValueError, so pydantic passes it through unchanged)
    @field_validator("sources")
    @classmethod
    def _known_sources(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if v is not None:
            registry.check_names(v)
        return v

    @field_validator("source_settings")
    @classmethod
    def _known_settings(cls, v: dict[str, SourceSettings]) -> dict[str, SourceSettings]:
        registry.check_names(v)
        return v

    @model_validator(mode="after")
    def _aliases_agree(self) -> ResolveOptions:
        for field, (name, key) in ALIASES.items():
            value = getattr(self, field)
            given = self.source_settings.get(name)
            other = getattr(given, key) if given is not None else None
            if field in self.model_fields_set and other is not None and other != value:
                raise ValueError(f"{field}={value!r} and source_settings[{name!r}].{key}="
                                 f"{other!r} disagree")
        for name in {name for name, _ in ALIASES.values()}:
            self.given(name)  # an alias value SourceSettings refuses (a URL that is not one)
        return self

    def given(self, name: str) -> SourceSettings:
        """What the caller set for one source: its aliases, then ``source_settings``."""
        values = {key: getattr(self, field) for field, (source, key) in ALIASES.items()
                  if source == name and getattr(self, field) is not None}
        explicit = self.source_settings.get(name)
        if explicit is not None:
            values.update(explicit.model_dump(exclude_none=True))
        return SourceSettings(**values)

    def settings(self, name: str) -> Settings:
        """The settings in force for ``name``: given values, then the source's defaults.

        A source sharing another's host (the title search) gets that one's settings.
        """
        source = registry.get(name)
        if source.host and source.host != name:
            return self.settings(source.host)
        return source.settings(self.given(name), self)

    def rate(self, source: str) -> float:
        return self.settings(source).rps

    def list_rate(self, source: str) -> float | None:
        """Requests/s for list queries, where a source limits them apart; None = no separate limit."""
        return self.settings(source).list_rps

    def concurrency(self, source: str) -> int:
        return self.settings(source).concurrency

    def base_url(self, source: str) -> str:
        return self.settings(source).url
