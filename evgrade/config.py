"""Per-project defaults: ``[tool.evgrade]`` in pyproject.toml or an ``evgrade.toml``.

Looked up from the project folder (the working directory for the CLI) upwards;
the first file that has an evgrade section wins. Explicit options override it.
Paths in the file are relative to the file's folder.

The defaults a project gets when neither the caller nor the file says
otherwise live here too (:func:`default_inputs`, :func:`default_claim_map`,
:func:`default_bibliographies`, :func:`bibliography_cache`), so the library
and the command line share one policy (``pipeline.Options.from_project``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ._findings import SPECS
from .errors import ConfigError


class Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    bibliography: tuple[str, ...] = ()
    rubric: str = ""
    map: str = ""
    articles: tuple[str, ...] = ()
    fail_on: Literal["error", "warning", "info", "never"] | None = Field(None, alias="fail-on")
    ignore: tuple[str, ...] = ()
    unused: bool = False
    mailto: str = ""
    cache_dir: str = Field("", alias="cache-dir")
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
            raise ValueError(f"unknown finding code(s): {', '.join(unknown)}")
        return v

    def resolve_path(self, value: str) -> str:
        if not value or not self.source:
            return value
        p = Path(value)
        return str(p if p.is_absolute() else Path(self.source).parent / p)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        msg = str(exc).split(" (at line")[0]
        raise ConfigError(f"invalid TOML: {msg}", path=str(path), line=line, col=col) from exc


def find_config(start: Path | None = None) -> Config:
    """The nearest evgrade configuration, or defaults when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("evgrade.toml", "pyproject.toml"):
            path = folder / name
            if not path.is_file():
                continue
            data = _read_toml(path)
            section = data.get("tool", {}).get("evgrade") if name == "pyproject.toml" else data
            if section is None:
                continue
            return load_config(section, path)
    return Config()


def load_config(section: dict, path: Path) -> Config:
    try:
        return Config.model_validate({**section, "source": str(path)})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            problems.append(f"{where}: {err['msg']}")
        where = "[tool.evgrade]" if path.name == "pyproject.toml" else ""
        raise ConfigError(f"{where} {'; '.join(problems)}".strip(), path=str(path)) from exc


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
    if os.environ.get("EVGRADE_NO_CACHE"):
        return None
    base = root or os.environ.get("EVGRADE_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("evgrade")
    return Path(base) / BIB_CACHE
