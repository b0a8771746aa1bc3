"""Settings for online resolution: mode, cache, contact, which sources, and each source's settings.

Each source owns its base URL, rate limit, concurrency and credentials
(:class:`~evgrade.resolve.interface.Source`); ``source_settings`` overrides them
per source. The older per-source fields (``pubmed_url``, ``crossref_rps``...)
are aliases, each setting one value of one built-in source. Below the caller's
values come the environment and a project file (layers.py), in that order.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._cachedir import base_folder
from . import registry
from .interface import Settings, Source, SourceSettings
from .layers import Environment, ProjectResolve, read_environment

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
    return base_folder()


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
    # below the values above: the environment (EVGRADE_<SOURCE>_URL..., read when the
    # options are made), then a project file's [tool.evgrade.resolve] (layers.py)
    environment: Environment = Field(default_factory=read_environment, repr=False)
    project: ProjectResolve | None = None

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
        self.environment.check()
        if self.project is not None:
            self.project.check()
        return self

    @property
    def chosen(self) -> tuple[str, ...] | None:
        """The sources to ask: ``sources``, else ``EVGRADE_SOURCES``, else the project
        file's ``sources``; None = every registered source."""
        for layer in (self.sources, self.environment.sources,
                      self.project.sources if self.project else None):
            if layer is not None:
                return layer
        return None

    def _explicit(self, name: str) -> dict[str, object]:
        values = {key: getattr(self, field) for field, (source, key) in ALIASES.items()
                  if source == name and getattr(self, field) is not None}
        explicit = self.source_settings.get(name)
        if explicit is not None:
            values.update(explicit.model_dump(exclude_none=True))
        return values

    def given(self, name: str) -> SourceSettings:
        """What is set for one source: the project file's values, over them the
        environment's, over those the aliases and ``source_settings``."""
        values = dict(self.project.values(name)) if self.project else {}
        values.update(self.environment.values(name))
        values.update(self._explicit(name))
        return SourceSettings(**values)

    def from_project(self, name: str) -> set[str]:
        """The settings of ``name`` that only the project file sets."""
        if self.project is None:
            return set()
        return set(self.project.values(name)) - set(self.environment.values(name)) \
            - set(self._explicit(name))

    def settings(self, name: str) -> Settings:
        """The settings in force for ``name``: given values, then the source's defaults.

        A source sharing another's host (the title search) gets that one's settings.
        """
        source = registry.get(name)
        if source.host and source.host != name:
            return self.settings(source.host)
        return self._bounded(source, source.settings(self.given(name), self))

    def _bounded(self, source: Source, settings: Settings) -> Settings:
        """What a project file may do: move a source (which then gets no API key and no
        contact address), or slow it down; not make it faster than its documented limits."""
        keys = self.from_project(source.name)
        if "url" in keys and settings.url != source.url.rstrip("/"):
            return dataclasses.replace(settings, api_key="", mailto="")
        key = settings.api_key
        limits = {"rps": source.default_rate(self, key),
                  "list_rps": source.default_list_rate(self, key),
                  "concurrency": source.default_concurrency(self, key)}
        lowered = {k: min(getattr(settings, k), limit) for k, limit in limits.items()
                   if k in keys and limit is not None and getattr(settings, k) is not None}
        return dataclasses.replace(settings, **lowered)

    def moved_by_project(self, names: list[str]) -> list[str]:
        """One line per source in ``names`` that the project file sends elsewhere."""
        out = []
        for name in names:
            source = registry.get(name)
            if source.host or "url" not in self.from_project(name):
                continue
            url = self.settings(name).url
            if url != source.url.rstrip("/"):
                out.append(f"{self.project.file if self.project else ''}: {source.label or name} "
                           f"lookups go to {url} (set there), not {source.url}")
        return out

    def rate(self, source: str) -> float:
        return self.settings(source).rps

    def list_rate(self, source: str) -> float | None:
        """Requests/s for list queries, where a source limits them apart; None = no separate limit."""
        return self.settings(source).list_rps

    def concurrency(self, source: str) -> int:
        return self.settings(source).concurrency

    def base_url(self, source: str) -> str:
        return self.settings(source).url
