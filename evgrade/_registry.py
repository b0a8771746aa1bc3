"""Plain registries for extension points (readers, resolvers, output formats).

A registry maps a name (a file suffix, an identifier prefix, a format name) to
an object. Third-party packages can add entries through the entry-point group
given at construction; those are loaded lazily, once, on the first lookup that the
built-in entries do not answer (they never replace a built-in entry, so a name that is
built in needs no scan of the installed packages), or when every name is asked for.
A built-in entry can also be named by where it lives (:meth:`Registry.register_lazy`):
its module is imported on the first lookup of its name, so a run pays only for the
entries it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, Iterator, TypeVar

T = TypeVar("T")


def load(target: str) -> Any:
    """The object ``"package.module:attribute"`` names, its module imported now."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def lazy_names(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A package's module ``__getattr__``: each name of ``where`` from the submodule it
    names, imported on first use, so importing the package costs none of them."""
    def __getattr__(name: str) -> Any:
        if name in where:
            return load(f"{package}.{where[name]}:{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    return __getattr__


def entry_points(group: str) -> Iterable[Any]:
    """The installed entry points of ``group``. :mod:`importlib.metadata` is imported here,
    at the first lookup of a name no built-in has: with what it imports (email, zipfile,
    csv) it costs 20-40 ms, which a run that names only built-ins need not pay."""
    from importlib.metadata import entry_points as installed

    return installed(group=group)


class Registry(Generic[T]):
    def __init__(self, kind: str, group: str | None = None) -> None:
        self.kind = kind
        self.group = group
        self._items: dict[str, T] = {}
        self._lazy: dict[str, str] = {}   # name -> "module:attribute", not imported yet
        self._registered: set[str] = set()
        self._loaded = group is None

    def register(self, name: str, item: T) -> T:
        self._items[name.lower()] = item
        self._lazy.pop(name.lower(), None)
        self._registered.add(name.lower())
        return item

    def registered(self, name: str) -> bool:
        """Whether ``name`` was registered in this process (every built-in is), known
        without reading the installed entry points; a built-in wins over a plugin's name."""
        return name.lower() in self._registered

    def register_lazy(self, name: str, target: str) -> None:
        """A built-in entry named by where it is (``"package.module:attribute"``), imported
        on the first lookup of ``name``."""
        self._lazy[name.lower()] = target
        self._items.pop(name.lower(), None)
        self._registered.add(name.lower())

    def _load_entry_points(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for ep in entry_points(group=self.group):
            if ep.name.lower() not in self._lazy:
                self._items.setdefault(ep.name.lower(), ep.load())

    def get(self, name: str) -> T | None:
        key = name.lower()
        item = self._items.get(key)
        if item is None and key in self._lazy:
            item = self._items[key] = load(self._lazy.pop(key))
        if item is None and not self._loaded:
            self._load_entry_points()
            item = self._items.get(key)
        return item

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted({*self._items, *self._lazy})

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())
