"""One hierarchy for failures of evgrade itself.

Problems found *in* a document are findings (data); these exceptions are for
input evgrade cannot use at all. Each carries the fields the CLI needs to
print one line: ``path:line:col: message``.
"""

from __future__ import annotations

# C0 and C1 control characters (and DEL): an error is one line of text, whatever
# a user's file put into the names and values it quotes ("\r" as a TOML key). A
# table, not a pattern: this module is the root of the imports, and
# ``_patterns``, once a run turns it on, reads its file through modules that
# import this one.
_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}


def one_line(text: str) -> str:
    """``text`` with every control character shown as ``\\xNN``."""
    return text.translate(_CONTROL)


class EvgradeError(Exception):
    """Base class. ``exit_code`` is what the CLI returns for it."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None,
                 line: int | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.col is not None:
                    where += f":{self.col}"
            where += ": "
        return one_line(f"{where}{self.message}")


class InputError(EvgradeError):
    """A file cannot be read or decoded (missing, not UTF-8, empty where content is needed)."""


class BibWriteError(InputError):
    """evgrade refuses to edit a .bib file: the entry is missing, ambiguous or unparsable,
    or the new value would change how the file reads outside the edited field."""


class FileChangedError(InputError):
    """A bibliography the cache vouched for unread (by its stat) no longer hashed as
    recorded once its bytes had to be read: it changed during the run."""


class RubricError(InputError):
    """A rubric file is malformed. ``problems`` lists every error found, not just the first."""

    def __init__(self, message: str, *, path: str | None = None,
                 problems: list[str] | None = None) -> None:
        super().__init__(message, path=path)
        self.problems = problems or []


class ClaimMapError(InputError):
    """A claim map file is malformed."""


class ConfigError(InputError):
    """Project configuration ([tool.evgrade] / evgrade.toml) is malformed."""


class UsageError(EvgradeError):
    """The command line asks for something that does not exist (unknown format, rubric...)."""



class EvgradeWarning(UserWarning):
    """Something evgrade worked around that the user should hear about (a lookup cache it
    could not use, say). Issued with :func:`warnings.warn`; the CLI prints each as one line."""
