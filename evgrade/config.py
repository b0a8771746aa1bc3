"""Per-project defaults: ``[tool.evgrade]`` in pyproject.toml or an ``evgrade.toml``.

Looked up from the project folder (the working directory for the CLI) upwards;
the first file that has an evgrade section wins. Explicit options override it.
Paths in the file are relative to the file's folder. An ``evgrade.toml`` holds its
settings at the top level or under ``[tool.evgrade]`` (so a section copied from a
pyproject.toml works as it is), not both.

The defaults a project gets when neither the caller nor the file says
otherwise live here too (:func:`default_inputs`, :func:`default_claim_map`,
:func:`default_bibliographies`, :func:`bibliography_cache`), so the library
and the command line share one policy (``pipeline.Options.from_project``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import _patterns
from ._cachedir import cache_folder
from ._findings import SPECS
from .errors import ConfigError
from .models import SOURCE_NAME_PATTERN
from .read.sections import check_overrides

_HTTP_URL = _patterns.compile(r"^https?://\S+$")
_SOURCE = _patterns.compile(SOURCE_NAME_PATTERN)


def _http_url(v: str | None) -> str | None:
    if v is not None and not _HTTP_URL.match(v):
        raise ValueError("must be an http:// or https:// URL")
    return v


class SourceTable(BaseModel):
    """``[tool.evgrade.resolve.source-settings.NAME]``: where one source is asked, how fast.

    No API keys: they belong in the user's environment, not in a repository."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    url: str | None = None
    # strict: a TOML boolean or string must not pass for a number (true would read as 1)
    rps: float | None = Field(None, gt=0, strict=True)
    list_rps: float | None = Field(None, gt=0, alias="list-rps", strict=True)
    concurrency: int | None = Field(None, ge=1, strict=True)

    _url = field_validator("url")(_http_url)


class ResolveSection(BaseModel):
    """``[tool.evgrade.resolve]``: which sources to ask, and where (docs/resolution.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    sources: tuple[str, ...] | None = Field(None, min_length=1)
    pubmed_url: str | None = Field(None, alias="pubmed-url")
    crossref_url: str | None = Field(None, alias="crossref-url")
    openalex_url: str | None = Field(None, alias="openalex-url")
    source_settings: dict[str, SourceTable] = Field(default_factory=dict, alias="source-settings")

    _urls = field_validator("pubmed_url", "crossref_url", "openalex_url")(_http_url)

    @field_validator("sources")
    @classmethod
    def _source_names(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        _check_names(v or ())
        return v

    @field_validator("source_settings")
    @classmethod
    def _table_names(cls, v: dict[str, SourceTable]) -> dict[str, SourceTable]:
        _check_names(v)
        return v

    @model_validator(mode="after")
    def _one_url_each(self) -> ResolveSection:
        for name in _SHORTHANDS:
            url, table = getattr(self, f"{name}_url"), self.source_settings.get(name)
            if url is not None and table is not None and table.url not in (None, url):
                raise ValueError(f"{name}-url and source-settings.{name}.url disagree")
        return self

    def per_source(self) -> dict[str, dict[str, object]]:
        """Source name -> its settings (``url``, ``rps``, ``list_rps``, ``concurrency``)."""
        out = {name: t.model_dump(exclude_none=True) for name, t in self.source_settings.items()}
        for name in _SHORTHANDS:
            url = getattr(self, f"{name}_url")
            if url is not None:
                out.setdefault(name, {})["url"] = url
        return out


_SHORTHANDS = ("pubmed", "crossref", "openalex")  # <name>-url in [tool.evgrade.resolve]


def _check_names(names: object) -> None:
    bad = [n for n in names if not _SOURCE.match(n)]  # type: ignore[attr-defined]
    if bad:
        raise ValueError(f"not a source name: {', '.join(map(repr, bad))}")


class Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    bibliography: tuple[str, ...] = ()
    rubric: str = ""
    map: str = ""
    articles: tuple[str, ...] = ()
    fail_on: Literal["error", "warning", "info", "never"] | None = Field(None, alias="fail-on")
    ignore: tuple[str, ...] = ()
    unused: bool = Field(False, strict=True)  # a TOML boolean: "no" must not read as true
    strict_input: bool = Field(False, alias="strict-input", strict=True)
    mailto: str = ""
    cache_dir: str = Field("", alias="cache-dir")
    resolve: ResolveSection = Field(default_factory=ResolveSection)
    # [tool.evgrade.sections]: part of a manuscript -> check | own | skip (docs/formats.md)
    sections: dict[str, str] = Field(default_factory=dict)
    source: str = ""  # the file it came from, for messages

    @field_validator("bibliography", "articles", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return (v,) if isinstance(v, str) else v

    @field_validator("ignore")
    @classmethod
    def _known_codes(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in v if c not in SPECS and not any(s.name == c for s in SPECS.values())]
        if unknown:
            raise ValueError(f"unknown finding code(s): {', '.join(map(_show_key, unknown))}")
        return v

    @field_validator("sections")
    @classmethod
    def _known_sections(cls, v: dict[str, str]) -> dict[str, str]:
        check_overrides(v)
        return v

    def resolve_path(self, value: str) -> str:
        if not value or not self.source:
            return value
        p = Path(value)
        return str(p if p.is_absolute() else Path(self.source).parent / p)


def _read_toml(path: Path) -> dict[str, Any]:
    from ._files import SETTINGS_LIMIT, read_bytes  # regular files only, size capped

    try:
        return tomllib.loads(read_bytes(path, what="config file", limit=SETTINGS_LIMIT,
                                        error=ConfigError).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        msg = str(exc).split(" (at line")[0]
        raise ConfigError(f"invalid TOML: {msg}", path=str(path), line=line, col=col) from exc
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError("invalid TOML: arrays or tables nested too deeply", path=str(path)) from None


def find_config(start: Path | None = None) -> Config:
    """The nearest evgrade configuration, or defaults when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("evgrade.toml", "pyproject.toml"):
            path = folder / name
            if not path.is_file():
                continue
            data = _read_toml(path)
            if name == "pyproject.toml":
                section = _pyproject_section(data, path)
                if section is None:
                    continue
                return load_config(section, path)
            section, nested = _evgrade_toml_section(data, path)
            return load_config(section, path, nested=nested)
    return Config()


def _evgrade_toml_section(data: dict[str, Any], path: Path) -> tuple[object, bool]:
    """An evgrade.toml's settings: the whole file, or its ``[tool.evgrade]`` table (True)."""
    tool = data.get("tool")
    if not isinstance(tool, dict) or "evgrade" not in tool:
        return data, False  # top-level keys; a stray "tool" is reported as an unknown key
    others = [_show_key(k) for k in data if k != "tool"]
    if others:
        raise ConfigError(f"both top-level settings ({', '.join(others)}) and [tool.evgrade]: "
                          "use one or the other", path=str(path))
    extra = [f"tool.{_show_key(k)}" for k in tool if k != "evgrade"]
    if extra:
        raise ConfigError(f"{', '.join(extra)}: Extra inputs are not permitted (an evgrade.toml "
                          "holds only [tool.evgrade])", path=str(path))
    return tool["evgrade"], True


def _pyproject_section(data: dict[str, Any], path: Path) -> object:
    """``[tool.evgrade]`` of a pyproject.toml (None when absent); ``tool`` must be a table."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"'tool' must be a table ([tool]), not {_toml_type(tool)}", path=str(path))
    return tool.get("evgrade")


def load_config(section: object, path: Path, *, nested: bool | None = None) -> Config:
    """Validate an evgrade section; every problem names its key, all on one line.
    ``nested``: it is a ``[tool.evgrade]`` table (default: when the file is a pyproject.toml)."""
    nested = path.name == "pyproject.toml" if nested is None else nested
    where = "[tool.evgrade]" if nested else ""
    if not isinstance(section, dict):
        key = "'tool.evgrade'" if where else "the file"
        raise ConfigError(f"{key} must be a table ([tool.evgrade]), not {_toml_type(section)}",
                          path=str(path))
    # "source" is set by evgrade itself (the file's path), never by the file
    problems = [f"{_show_key(k)}: Extra inputs are not permitted" for k in section if k == "source"]
    try:
        config = Config.model_validate({**section, "source": str(path)})
    except ValidationError as exc:
        problems += [f"{_where(err['loc'])}: {err['msg']}" for err in exc.errors()]
    else:
        if not problems:
            return config
    raise ConfigError(f"{where} {'; '.join(problems)}".strip(), path=str(path))


_BARE_KEY = _patterns.compile(r"[A-Za-z0-9_-]+")


def _show_key(key: object) -> str:
    """A key as TOML would write it: bare when it can be, else quoted with escapes
    (so a key holding a newline or an escape sequence stays on one line)."""
    text = str(key)
    return text if _BARE_KEY.fullmatch(text) else json.dumps(text)


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(_show_key(p) for p in loc)


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


# ------------------------------------------------------------ project defaults

ARTICLES = "articles"          # the folder graded when no input is given
BIBLIOGRAPHY = "references.bib"  # used when nothing else names a bibliography
CLAIM_MAP = "claims.toml"      # looked for in the first input's folder
BIB_CACHE = "bibliographies"   # parsed-bibliography cache, inside the cache folder


def default_inputs(config: Config, folder: str | Path = ".") -> tuple[Path, ...]:
    """The config's ``articles``, else ``<folder>/articles``."""
    given = tuple(Path(config.resolve_path(a)) for a in config.articles)
    return given or (Path(folder) / ARTICLES,)


def claim_map_path(inputs: Sequence[str | Path]) -> Path:
    """Where the inputs' claim map belongs: ``claims.toml`` in the first input's folder
    (the input itself when it is a folder). ``inputs`` must not be empty."""
    first = Path(inputs[0])
    return (first if first.is_dir() else first.parent) / CLAIM_MAP


def default_claim_map(inputs: Sequence[str | Path]) -> Path | None:
    """:func:`claim_map_path` when that file exists."""
    if not inputs:
        return None
    candidate = claim_map_path(inputs)
    return candidate if candidate.is_file() else None


def default_bibliographies(folder: str | Path = ".") -> tuple[Path, ...]:
    """``<folder>/references.bib`` when it exists: the last resort, after the config
    and the files the documents name."""
    candidate = Path(folder) / BIBLIOGRAPHY
    return (candidate,) if candidate.is_file() else ()


def bibliography_cache(root: str | Path | None = None) -> Path | None:
    """Where parsed bibliographies are cached: ``<root>/bibliographies``, the root being
    the given folder, else ``$EVGRADE_CACHE_DIR``, else the user cache folder.
    None (no cache) when ``EVGRADE_NO_CACHE`` is set."""
    folder = cache_folder(root)
    return None if folder is None else folder / BIB_CACHE
