"""Rubrics: which study designs count as which level of evidence, and what each claim kind needs.

A rubric is data (``rubrics/*.toml``), never code. Loading validates the whole
file and reports every problem at once, each as ``file: field.path: message``,
so a rubric author fixes them in one pass.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .. import _patterns
from ..errors import RubricError, UsageError
from ..models import CLAIM_KINDS, ClaimKind, StudyDesign

STUDY_DESIGNS: tuple[str, ...] = get_args(StudyDesign)

# The bundled rubrics have one source, the repository's top-level rubrics/. An
# installed evgrade carries the same files as package data in evgrade/rubrics/
# (setup.py maps the package evgrade.rubrics to rubrics/); a checkout or an
# editable install reads rubrics/ itself.
_PACKAGE = Path(__file__).resolve().parents[1]


def _bundled_folder() -> Path:
    shipped = _PACKAGE / "rubrics"
    if shipped.is_dir() or not (_PACKAGE.parent / "pyproject.toml").is_file():
        return shipped
    return _PACKAGE.parent / "rubrics"


RUBRICS = _bundled_folder()
DEFAULT_RUBRIC = "default"
_CROSS_FIELD = "inconsistent rubric: "


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Level(_Model):
    name: str = Field(min_length=1)
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)
    designs: tuple[StudyDesign, ...] = ()


class KindLadder(_Model):
    """One claim kind's own placement of designs: what a design is worth for that question."""

    description: str = ""
    place: dict[StudyDesign, str] = Field(default_factory=dict)  # design -> level, over levels[].designs
    unknown: str = ""       # level for designs neither ``place`` nor the levels list; "" = the rubric's


SMALL_STUDY = 50            # default: a study with fewer participants is small


class Rubric(_Model):
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=2)  # best first
    unknown: str = ""       # level for designs no level lists; "" = the lowest level
    minimums: dict[ClaimKind, str] = Field(default_factory=dict)  # missing kind = lowest level
    kinds: dict[ClaimKind, KindLadder] = Field(default_factory=dict)  # per-kind ladders
    small_study: int = Field(default=SMALL_STUDY, ge=1, validation_alias="small-study")

    @model_validator(mode="after")
    def _consistent(self) -> "Rubric":
        # also guards rubrics built in code; load_rubric reports these per field
        problems = _semantic_problems(self.model_dump(mode="json"))
        if problems:
            raise ValueError(_CROSS_FIELD + "; ".join(problems))
        return self

    # derived lookups; validation (load_rubric / validate_rubric) guarantees they are consistent
    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels)

    @property
    def lowest(self) -> str:
        return self.levels[-1].name

    @property
    def best(self) -> str:
        return self.levels[0].name

    def level(self, name: str) -> Level:
        for level in self.levels:
            if level.name == name:
                return level
        raise KeyError(f"rubric {self.name!r} has no level {name!r}")

    def rank(self, level: str) -> int:
        """0 for the best level, growing towards the lowest."""
        try:
            return self.level_names.index(level)
        except ValueError:
            raise KeyError(f"rubric {self.name!r} has no level {level!r}") from None

    def level_for(self, design: str, kind: str | None = None) -> str:
        """The level of a design; for a claim ``kind`` with its own ladder, that ladder's."""
        ladder = self.kinds.get(kind) if kind is not None else None  # type: ignore[call-overload]
        if ladder is not None and design in ladder.place:
            return ladder.place[design]  # type: ignore[index]
        for level in self.levels:
            if design in level.designs:
                return level.name
        return (ladder.unknown if ladder is not None and ladder.unknown else "") \
            or self.unknown or self.lowest

    def kind_levels(self, design: str) -> dict[str, str]:
        """Claim kind -> level for the kinds whose ladder places this design differently."""
        base = self.level_for(design)
        return {kind: level for kind in self.kinds
                if (level := self.level_for(design, kind)) != base}

    def minimum_for(self, kind: str) -> str:
        return self.minimums.get(kind, self.lowest)  # type: ignore[call-overload]

    def at_least(self, level: str, minimum: str) -> bool:
        return self.rank(level) <= self.rank(minimum)

    def needs_citation(self, kind: str) -> bool:
        return self.minimum_for(kind) != self.lowest


# ------------------------------------------------------------- validation

def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


_TYPE_NAMES = {"string_type": "a string", "tuple_type": "a list", "list_type": "a list",
               "dict_type": "a table", "model_type": "a table", "int_type": "an integer"}


def _pydantic_problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors(include_url=False):
        if not err["loc"] and str(err.get("msg", "")).find(_CROSS_FIELD) != -1:
            continue  # the same checks run separately in _semantic_problems
        loc = tuple(p for p in err["loc"] if p != "[key]")
        msg = _pydantic_message(err["type"], loc, err)
        if msg is not None:
            problems.append(f"{_where(loc)}: {msg}")
    return problems


def _pydantic_message(kind: str, loc: tuple[Any, ...], err: Any) -> str | None:
    """One problem in a rubric author's words; None when another check reports it."""
    value = err.get("input")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "missing field"
    if kind == "literal_error" and "designs" in loc:
        return f"{value!r} is not a known study design"
    if kind == "literal_error" and "place" in loc:
        return f"{value!r} is not a known study design"
    if kind == "literal_error" and (loc[:1] == ("minimums",) or loc[:1] == ("kinds",)):
        return f"{value!r} is not a claim kind (one of: {', '.join(CLAIM_KINDS)})"
    if kind == "too_short" and loc == ("levels",):
        return None  # counted on the raw list in _semantic_problems, not after failed items
    if kind in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[kind]}, got {value!r}"
    return f"{err['msg'].lower()} (got {value!r})" if value is not None else err["msg"].lower()


def _semantic_problems(data: dict[str, Any]) -> list[str]:
    """Cross-field checks pydantic cannot express per field; tolerant of wrong types,
    because they run even when the structure is broken elsewhere."""
    problems: list[str] = []
    levels = data.get("levels")
    names: list[str] = []
    seen_design: dict[str, int] = {}
    if isinstance(levels, list):
        if len(levels) < 2:
            problems.append("levels: a rubric needs at least two levels")
        for i, level in enumerate(levels):
            if isinstance(level, dict):
                problems += _level_problems(i, level, names, seen_design)
    problems += _unknown_levels(data, set(names))
    return problems


def _level_problems(i: int, level: dict[str, Any], names: list[str],
                    seen_design: dict[str, int]) -> list[str]:
    """A duplicate name, designs already mapped by an earlier level; records both."""
    problems = []
    name = level.get("name")
    if isinstance(name, str):
        if name in names:
            problems.append(f"levels[{i}].name: duplicate level name {name!r}")
        names.append(name)
    designs = level.get("designs")
    for j, design in enumerate(designs if isinstance(designs, list) else ()):
        if not isinstance(design, str) or design not in STUDY_DESIGNS:
            continue  # reported by pydantic
        if design in seen_design:
            problems.append(f"levels[{i}].designs[{j}]: {design!r} is already "
                            f"mapped by levels[{seen_design[design]}]")
        else:
            seen_design[design] = i
    return problems


def _unknown_levels(data: dict[str, Any], known: set[str]) -> list[str]:
    """``unknown`` and ``minimums`` naming levels the rubric does not have."""
    if not known:
        return []
    problems = []
    unknown = data.get("unknown")
    if isinstance(unknown, str) and unknown and unknown not in known:
        problems.append(f"unknown: {unknown!r} is not a level of this rubric")
    minimums = data.get("minimums")
    if isinstance(minimums, dict):
        for kind, level in minimums.items():
            if isinstance(level, str) and level not in known:
                problems.append(f"minimums.{kind}: {level!r} is not a level of this rubric")
    kinds = data.get("kinds")
    for kind, ladder in (kinds.items() if isinstance(kinds, dict) else ()):
        if isinstance(ladder, dict):
            problems += _ladder_levels(f"kinds.{kind}", ladder, known)
    return problems


def _ladder_levels(where: str, ladder: dict[str, Any], known: set[str]) -> list[str]:
    """A kind's ladder naming levels the rubric does not have."""
    problems = []
    place = ladder.get("place")
    for design, level in (place.items() if isinstance(place, dict) else ()):
        if isinstance(level, str) and level not in known:
            problems.append(f"{where}.place.{design}: {level!r} is not a level of this rubric")
    unknown = ladder.get("unknown")
    if isinstance(unknown, str) and unknown and unknown not in known:
        problems.append(f"{where}.unknown: {unknown!r} is not a level of this rubric")
    return problems


def validate_rubric(data: Any, *, source: str = "<rubric>") -> Rubric:
    """Turn parsed TOML into a Rubric or raise RubricError listing every problem."""
    problems: list[str] = []
    rubric: Rubric | None = None
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        problems += _pydantic_problems(exc)
    if isinstance(data, dict):
        problems += _semantic_problems(data)
    if problems:
        raise RubricError("; ".join(problems), path=source,
                          problems=[f"{source}: {p}" for p in problems])
    assert rubric is not None
    return rubric


_TOML_POS = _patterns.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def parse_rubric(text: str, *, source: str = "<rubric>") -> Rubric:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raw = str(exc)
        m = _TOML_POS.search(raw)
        message = _TOML_POS.sub("", raw) if m else raw
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        where = f"{source}:{line}:{col}" if m else source
        err = RubricError(f"TOML syntax error: {message}", path=source,
                          problems=[f"{where}: TOML syntax error: {message}"])
        err.line, err.col = line, col
        raise err from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        message = "TOML syntax error: arrays or tables nested too deeply"
        raise RubricError(message, path=source, problems=[f"{source}: {message}"]) from None
    return validate_rubric(data, source=source)


# ---------------------------------------------------------------- loading

def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def list_rubrics() -> list[str]:
    """Names a bare ``--rubric NAME`` accepts."""
    return sorted(p.stem for p in RUBRICS.glob("*.toml"))


def find_rubric(name: str) -> Path | None:
    candidate = RUBRICS / f"{name}.toml"
    return candidate if candidate.is_file() else None


def _looks_like_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or "\\" in name


def load_rubric(name_or_path: str | Path = DEFAULT_RUBRIC) -> Rubric:
    """Load a rubric by bare name (one of the bundled ``rubrics/``) or by path."""
    if isinstance(name_or_path, Path) or _looks_like_path(name_or_path):
        path = Path(name_or_path)
    else:
        found = find_rubric(name_or_path)
        if found is None:
            available = ", ".join(list_rubrics()) or "none"
            raise UsageError(f"unknown rubric {name_or_path!r} (available: {available})")
        path = found
    source = _display(path)
    from .._files import SETTINGS_LIMIT, read_bytes  # regular files only (never a FIFO), size capped

    data = read_bytes(path, what="rubric file", limit=SETTINGS_LIMIT)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RubricError(f"not UTF-8 text (byte {exc.start})", path=source,
                          problems=[f"{source}: not UTF-8 text (byte {exc.start})"]) from None
    return parse_rubric(text, source=source)
