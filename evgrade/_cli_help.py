"""The help text and argument parsing that every ``evgrade`` command shares.

``EPILOG`` is the exit-code table ``evgrade --help`` (and every command's help)
ends with, kept as written by :class:`Formatter`; :class:`Parser` raises
:class:`~evgrade.errors.UsageError` instead of exiting, so :func:`evgrade.cli.main`
decides every exit code. README.md and docs/output.md say the same in more words.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .errors import UsageError

EPILOG = """\
exit codes:
  0  clean: no finding at or above --fail-on
  1  findings at or above --fail-on, a cited key missing from the bibliography
     included (EV101, an error); problems of entries nothing cites are info
  2  evgrade could not do its job: a file, option or config it cannot use (one
     line on stderr); with --strict-input also a cited key that is missing,
     broken or duplicated (the report is still written from the rest)
  3  evgrade itself failed (a bug: please report it)

Run 'evgrade COMMAND --help' for a command's options. Docs: docs/ in the source tree.
"""


class Lazy:
    """A help text made only when help is shown: listing the output formats loads the
    plugins' entry points, which ``evgrade --version`` should not pay for."""

    def __init__(self, make: Callable[[], str]) -> None:
        self.make = make

    def __str__(self) -> str:
        return self.make()

    def strip(self) -> str:  # argparse asks whether the help is blank
        return str(self).strip()


class Formatter(argparse.HelpFormatter):
    """Wrap descriptions to the terminal, but keep the exit-code table as written;
    :class:`Lazy` help texts are made here."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return None if action.help is None else str(action.help)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("exit codes:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() keeps control of exit codes."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def file_name(value: str) -> str:
    """An output or map file name; an empty one would silently mean "the default"."""
    if not value:
        raise argparse.ArgumentTypeError("expected a file name, got an empty string")
    return value


def add_network_options(p: argparse.ArgumentParser, resolve_help: str) -> None:
    """The online-resolution options of every command that can look works up."""
    net = p.add_argument_group("online resolution (off by default; see docs/resolution.md)")
    net.add_argument("--resolve", action="store_true", help=resolve_help)
    net.add_argument("--offline", action="store_true",
                     help="with --resolve: use only cached lookups, make no request")
    net.add_argument("--refresh", action="store_true", help="with --resolve: ignore the cache")
    net.add_argument("--cache-dir", metavar="DIR", default=None,
                     help="cache folder (default: $EVGRADE_CACHE_DIR or the user cache dir)")
    net.add_argument("--source", action="append", metavar="NAME", default=None,
                     help="with --resolve: ask only this source (repeatable; default: all, "
                          "or [tool.evgrade.resolve] sources)")
    net.add_argument("--mailto", metavar="EMAIL", default=None,
                     help="contact address sent in the User-Agent ($EVGRADE_MAILTO)")
