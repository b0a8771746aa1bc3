"""The resolver sources evgrade knows: the built-ins, then plugins from entry points.

A plugin is a distribution declaring, in its ``pyproject.toml``::

    [project.entry-points."evgrade.resolvers"]
    semanticscholar = "my_package.module:SemanticScholar"

where the object is a :class:`~evgrade.resolve.interface.Source` subclass (or
an instance of one) whose ``name`` is the entry point's name. Plugins are
loaded once, on first use; a plugin that fails to load, or is not a source, is
a ConfigError naming it. Built-in names cannot be taken over.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from .._registry import Registry
from ..errors import ConfigError
from ..models import DesignCall, Resolution
from .crossref import Crossref
from .interface import SOURCE_NAME, Source
from .openalex import OpenAlex
from .pubmed import PubMed
from .search import TitleSearch

GROUP = "evgrade.resolvers"
# the order records are listed in and design calls are tried (after authority)
BUILTINS: tuple[Source, ...] = (PubMed(), Crossref(), OpenAlex(), TitleSearch())
# names a design call can carry that come from the entry itself (models.EntryDesignSource)
RESERVED = frozenset({"field", "keywords", "title", "abstract", "entry-type", "url", "default"})


def _plugin_error(ep: EntryPoint, problem: str) -> ConfigError:
    dist = getattr(ep, "dist", None)
    where = f" from {dist.name}" if dist is not None else ""
    return ConfigError(f"resolver plugin {ep.name!r} ({ep.value}{where}): {problem}")


def check_source(obj: object, name: str) -> Source:
    """``obj`` as a registrable source named ``name``, or ValueError saying what is wrong."""
    if isinstance(obj, type) and issubclass(obj, Source):
        obj = obj()
    if not isinstance(obj, Source):
        raise ValueError("not an evgrade.resolve.Source subclass or instance")
    if obj.name != name:
        raise ValueError(f"its name is {obj.name!r}, not {name!r}")
    if not SOURCE_NAME.match(name) or name in RESERVED:
        raise ValueError("a source name is lower-case letters, digits, '-' and '_', "
                         f"and none of {', '.join(sorted(RESERVED))}")
    if not obj.kinds:
        raise ValueError("it answers no identifier kind (Source.kinds is empty)")
    return obj


class SourceRegistry(Registry[Source]):
    """A Registry whose entry points are checked, and whose failures are ConfigErrors."""

    def get(self, name: str) -> Source | None:
        self._load_entry_points()   # always: a plugin that reuses a built-in name is an error
        return self._items.get(name.lower())

    def _load_entry_points(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            for ep in entry_points(group=self.group):
                name = ep.name.lower()
                self._items[name] = self._load(ep, name)
        except ConfigError:
            self._loaded = False  # every later use says so too, not just the first
            raise

    def _load(self, ep: EntryPoint, name: str) -> Source:
        if name in self._items:
            raise _plugin_error(ep, f"{name!r} is already a source")
        try:
            return check_source(ep.load(), name)
        except ValueError as exc:
            raise _plugin_error(ep, str(exc)) from None
        except Exception as exc:  # an import error, a bug in the plugin
            raise _plugin_error(ep, f"cannot load it: {type(exc).__name__}: {exc}") from None


def new_registry() -> SourceRegistry:
    """The built-ins; plugins join on first lookup."""
    registry = SourceRegistry("resolver", GROUP)
    for source in BUILTINS:
        registry.register(source.name, source)
    return registry


REGISTRY = new_registry()


def ordered() -> list[Source]:
    """Every source: built-ins in their fixed order, then plugins by name."""
    builtin = [s.name for s in BUILTINS]
    names = builtin + [n for n in REGISTRY.names() if n not in builtin]
    return [s for s in (REGISTRY.get(n) for n in names) if s is not None]


def names() -> list[str]:
    return [s.name for s in ordered()]


def get(name: str) -> Source:
    source = REGISTRY.get(name)
    if source is None:
        raise ConfigError(f"unknown resolver source {name!r} (known: {', '.join(names())})")
    return source


def check_names(chosen: Iterable[str]) -> None:
    """ConfigError for the first name that is not a registered source."""
    for name in chosen:
        get(name)


def active(sources: tuple[str, ...] | None) -> list[Source]:
    """The sources a run asks, in order; None = all. A source sharing another's host
    (the title search shares Crossref's) is on whenever that one is."""
    if sources is None:
        return ordered()
    check_names(sources)
    return [s for s in ordered() if s.name in sources or (s.host and s.host in sources)]


def label(name: str) -> str:
    """How messages name a source; a name no installed source has is shown as it is."""
    source = REGISTRY.get(name)
    return source.label or source.name if source is not None else name


def design_authority(name: str) -> int:
    """Where a source's design calls rank (grade.designs); an unknown name ranks last."""
    source = REGISTRY.get(name)
    return source.design_authority if source is not None else 9


def design_from_resolution(resolution: Resolution | None) -> DesignCall | None:
    """A design only for a verified entry (a mismatched record describes another work):
    the first call of the most authoritative source that has an opinion."""
    if resolution is None or resolution.status != "verified":
        return None
    found = [r for r in resolution.records if r.status == "found"]
    for source in sorted(ordered(), key=lambda s: s.design_authority):
        for rec in found:
            call = source.design(rec) if rec.source == source.name else None
            if call is not None:
                return call
    return None
