"""Per-project defaults: ``[tool.evgrade]`` in pyproject.toml or an ``evgrade.toml``.

Looked up from the working directory upwards; the first file that has an
evgrade section wins. Command-line options override it. Paths in the file are
relative to the file's folder.
"""

from __future__ import annotations

import tomllib
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
