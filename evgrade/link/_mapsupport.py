"""The support fields of a claim-map entry: ``support``, ``links`` and ``parts`` (docs/claim-map.md).

``keys`` (with the entry's ``support``, default full) and ``links`` tables back the
whole claim; each ``parts`` table names one part of a compound claim with its own
keys and links. Every problem is a ClaimMapError at the entry's line, with the
place inside the entry ("parts[1].links[0]: ...").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ClaimMapError
from ..models import Support

SUPPORT_LEVELS: tuple[str, ...] = get_args(Support)
LINK_FIELDS = frozenset({"key", "support", "note"})
PART_FIELDS = frozenset({"text", "required", "keys", "support", "links", "note"})

Fail = Callable[[str], ClaimMapError]


class MapLink(BaseModel):
    """One key of a map entry, with how far it supports the claim (or the part)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    support: Support = "full"
    note: str = ""
    extra: dict[str, Any] = Field(default_factory=dict)  # fields evgrade does not know, kept


class MapPart(BaseModel):
    """One part of a compound claim ("the anxiety half") and the entries behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    required: bool = True      # the claim's grade is that of its weakest required part
    links: tuple[MapLink, ...] = ()
    note: str = ""
    extra: dict[str, Any] = Field(default_factory=dict)


def toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def string_field(item: dict[str, Any], name: str, fail: Fail, where: str = "") -> str:
    value = item.get(name, "")
    if not isinstance(value, str):
        raise fail(f"{where}'{name}' must be a string, not {toml_type(value)}")
    return value


def keys_field(item: dict[str, Any], fail: Fail, where: str = "") -> list[str]:
    keys = item.get("keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise fail(f'{where}\'keys\' must be an array of strings, e.g. keys = ["Smith2020"]')
    for k in keys:
        _check_key(k, fail, where, "keys")
    return keys


def _check_key(key: str, fail: Fail, where: str, field: str) -> None:
    if not key.strip() or any(c.isspace() for c in key):
        raise fail(f"{where}invalid bibliography key {key!r} in '{field}'")


def support_field(item: dict[str, Any], fail: Fail, where: str = "") -> Support:
    value = item.get("support", "full")
    if value not in SUPPORT_LEVELS:
        shown = repr(value) if isinstance(value, str) else toml_type(value)
        raise fail(f"{where}'support' must be one of {', '.join(SUPPORT_LEVELS)}, not {shown}")
    return value  # type: ignore[no-any-return]


def _table_list(item: dict[str, Any], name: str, fail: Fail, where: str) -> list[dict[str, Any]]:
    raw = item.get(name, [])
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise fail(f"{where}'{name}' must be an array of tables ([[claims.{name}]] or "
                   f"{name} = [{{...}}])")
    return raw


def links_field(item: dict[str, Any], fail: Fail, where: str = "") -> list[MapLink]:
    """``keys`` with the item's support and note, then its ``links`` tables."""
    support = support_field(item, fail, where)
    note = string_field(item, "note", fail, where)
    out = [MapLink(key=k, support=support, note=note) for k in keys_field(item, fail, where)]
    for i, table in enumerate(_table_list(item, "links", fail, where)):
        here = f"{where}links[{i}]: "
        key = table.get("key")
        if not isinstance(key, str):
            raise fail(f"{here}a link needs a 'key' string")
        _check_key(key, fail, here, "key")
        out.append(MapLink(key=key, support=support_field(table, fail, here),
                           note=string_field(table, "note", fail, here),
                           extra={k: v for k, v in table.items() if k not in LINK_FIELDS}))
    return out


def parts_field(item: dict[str, Any], fail: Fail) -> list[MapPart]:
    parts = []
    for i, table in enumerate(_table_list(item, "parts", fail, "")):
        here = f"parts[{i}]: "
        text = table.get("text")
        if not isinstance(text, str) or not text.strip():
            raise fail(f"{here}a part needs a 'text' string naming it")
        required = table.get("required", True)
        if not isinstance(required, bool):
            raise fail(f"{here}'required' must be true or false, not {toml_type(required)}")
        parts.append(MapPart(text=text.strip(), required=required,
                             links=tuple(links_field(table, fail, here)),
                             note=string_field(table, "note", fail, here),
                             extra={k: v for k, v in table.items() if k not in PART_FIELDS}))
    return parts
