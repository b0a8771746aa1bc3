"""Where lookup settings come from besides the caller: the environment and a project file.

Precedence, first wins: the caller (command line, ``ResolveOptions`` arguments),
the environment, the project file (``[tool.evgrade.resolve]``), the source's
defaults. Per source and per setting: an environment URL for Crossref and a
project file's rate for Crossref both apply.

- Environment: ``EVGRADE_<SOURCE>_URL``, ``_RPS``, ``_LIST_RPS``, ``_CONCURRENCY``
  for any registered source (``<SOURCE>`` is its name in capitals, ``-`` as ``_``:
  ``EVGRADE_PUBMED_URL``, ``EVGRADE_SEMANTICSCHOLAR_RPS``), and ``EVGRADE_SOURCES``
  (names, comma-separated).
- Project file: :class:`ProjectResolve`, built by the pipeline from the config.

A project file is a repository's, so what it may do is bounded (ResolveOptions
applies it): a source it moves to another URL gets no API key and no contact
address from the user's environment, and is named in a warning on every run; for
a source left at its own URL it may lower the rates, not raise them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import _patterns
from ..errors import ConfigError
from . import registry
from .interface import SourceSettings

# environment suffix -> SourceSettings field (no API keys: each source has its own variable)
ENV_FIELDS = {"URL": "url", "RPS": "rps", "LIST_RPS": "list_rps", "CONCURRENCY": "concurrency"}
_ENV = _patterns.compile(r"^EVGRADE_([A-Z0-9_]+?)_(URL|LIST_RPS|RPS|CONCURRENCY)$")
SOURCES_ENV = "EVGRADE_SOURCES"


def env_name(source: str) -> str:
    """A source's part of its variables' names: ``semantic-scholar`` -> ``SEMANTIC_SCHOLAR``."""
    return source.upper().replace("-", "_")


class Layer(BaseModel):
    """Source choice and per-source settings from one place (environment or project file)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: tuple[str, ...] | None = None
    source_settings: dict[str, SourceSettings] = Field(default_factory=dict)

    def values(self, name: str) -> dict[str, object]:
        given = self.source_settings.get(self.key(name))
        return given.model_dump(exclude_none=True) if given is not None else {}

    def key(self, name: str) -> str:
        return name


class Environment(Layer):
    """What the environment says; settings are keyed by :func:`env_name`."""

    def key(self, name: str) -> str:
        return env_name(name)

    def check(self) -> None:
        if self.sources is not None:
            _check(self.sources, f"{SOURCES_ENV}: ", None)


class ProjectResolve(Layer):
    """What a project file says (``[tool.evgrade.resolve]``); ``file`` names it in messages."""

    file: str = ""

    def check(self) -> None:
        section = "[tool.evgrade.resolve]" if self.file.endswith("pyproject.toml") else "[resolve]"
        _check([*(self.sources or ()), *self.source_settings], f"{section} ", self.file or None)


def _check(names: list[str] | tuple[str, ...], prefix: str, path: str | None) -> None:
    try:
        registry.check_names(names)
    except ConfigError as exc:
        raise ConfigError(f"{prefix}{exc.message}", path=path) from None


def read_environment(environ: Mapping[str, str] | None = None) -> Environment:
    """The lookup settings in the environment; a bad value is a ConfigError naming its variable."""
    environ = os.environ if environ is None else environ
    found: dict[str, dict[str, str]] = {}
    for variable, raw in environ.items():
        match = _ENV.match(variable)
        if match and raw.strip():
            found.setdefault(match.group(1), {})[ENV_FIELDS[match.group(2)]] = raw.strip()
    settings = {}
    for name, values in sorted(found.items()):
        try:
            settings[name] = SourceSettings(**values)
        except ValidationError as exc:
            err = exc.errors()[0]
            suffix = next(s for s, f in ENV_FIELDS.items() if f == err["loc"][0])
            raise ConfigError(f"EVGRADE_{name}_{suffix}={values[err['loc'][0]]!r}: "
                              f"{err['msg']}") from None
    chosen = environ.get(SOURCES_ENV, "")
    sources = tuple(n.strip().lower() for n in chosen.split(",") if n.strip()) or None
    return Environment(sources=sources, source_settings=settings)
