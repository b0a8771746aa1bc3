"""The base of every model passed between stages: frozen, no unknown fields, and light.

pydantic keeps on each instance the set of the field names it was given
(``model_fields_set``), a fresh ``set`` every time: 728 bytes once it holds five names.
A 1 MB text makes some 27,000 models (blocks, sentences, spans, cues, claims), nearly
all given the same names as the others of their class, so those sets were about a
quarter of the run's peak memory (75.8 MiB before, 55.0 MiB after: benchmarks/README.md). A frozen model never adds to its set, and pydantic
copies the set before it changes one (``model_copy(update=...)``), so instances given
the same names share one set. What the set says is unchanged, and so is every
``exclude_unset`` dump.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

# one set per distinct combination of names given; bounded by the models' fields
_SHARED: dict[frozenset[str], set[str]] = {}
_set_attribute = object.__setattr__


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_post_init(self, context: Any, /) -> None:
        names = self.__pydantic_fields_set__
        _set_attribute(self, "__pydantic_fields_set__", _SHARED.setdefault(frozenset(names), names))
