"""What the prefix of a pandoc citation key means: shared by the read and link stages.

Two conventions give ``prefix:rest`` keys a meaning of their own:

* pandoc-crossref reserves ``fig:``, ``eq:``, ``tbl:``, ``lst:`` and ``sec:``
  (figures, equations, tables, code listings, sections); ``@Fig:x`` (first letter
  capitalised) asks for a capitalised "Fig.". ``[@fig:x]`` is written like a
  citation but refers to a part of the document, never to a bibliography entry
  (:func:`is_crossref_label`).
* Manubot cites a persistent identifier directly: ``@doi:10.1/x``,
  ``@pmid:123``, ``@arxiv:1508.06576``, ``@url:https://...``, also as
  ``@https://...`` (:func:`identifier_of`). ``tag:`` keys are aliases defined in
  ``citation-tags.tsv`` (:mod:`evgrade.link.citation_tags`).

A narrative citation (pandoc's in-text ``@key``, natbib's ``\\citet{key}``) is part
of its sentence: the readers keep its key visible in the prose, where a reader sees
the author's name (:func:`shows_key`, :func:`visible_key_start`).

Keys are compared as written (pandoc's keys are case-sensitive); only the prefix
is matched without regard to case, as Manubot does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Citation

CROSSREF_PREFIXES: frozenset[str] = frozenset({"fig", "eq", "tbl", "lst", "sec"})

# Manubot's prefix -> the identifier kind it names (evgrade's Reference field)
IDENTIFIER_PREFIXES: dict[str, str] = {
    "doi": "doi", "pmid": "pmid", "pubmed": "pmid", "pmcid": "pmcid", "pmc": "pmcid",
    "arxiv": "arxiv", "isbn": "isbn", "url": "url", "wikidata": "wikidata",
}
_URL_SCHEMES = ("http", "https")  # "@https://example.org/x": the whole key is the URL
TAG_PREFIX = "tag:"


def _prefix(key: str) -> str:
    head, colon, _ = key.partition(":")
    return head if colon else ""


def is_crossref_label(key: str) -> bool:
    """True for a pandoc-crossref reference (``fig:x``, ``Tbl:x``): not a citation.

    The prefix must be one of :data:`CROSSREF_PREFIXES`, all lower case or with
    only its first letter capitalised (pandoc-crossref's two spellings), and a
    label must follow it.
    """
    head = _prefix(key)
    return (len(key) > len(head) + 1 and head[:1].lower() + head[1:] in CROSSREF_PREFIXES)


def identifier_of(key: str) -> tuple[str, str] | None:
    """``(kind, value)`` for a Manubot identifier key, else None.

    ``doi:10.1/x`` -> ``("doi", "10.1/x")``; ``pubmed:123`` -> ``("pmid", "123")``;
    ``https://example.org/a`` -> ``("url", "https://example.org/a")``. The value is
    as written (its syntax is checked where the entry is graded).
    """
    head = _prefix(key)
    value = key[len(head) + 1:].strip()
    if not head or not value:
        return None
    if head.lower() in _URL_SCHEMES and value.startswith("//"):
        return "url", key
    kind = IDENTIFIER_PREFIXES.get(head.lower())
    return (kind, value) if kind else None


def is_tag(key: str) -> bool:
    """A Manubot ``tag:NAME`` alias (defined in ``citation-tags.tsv``)."""
    return key[:len(TAG_PREFIX)].lower() == TAG_PREFIX and len(key) > len(TAG_PREFIX)


# LaTeX commands whose citation is read as the author's name ("\\citet{a} argues"),
# compared in lower case without the star
NARRATIVE_COMMANDS: frozenset[str] = frozenset(
    {"citet", "textcite", "citeauthor", "citetalias", "citealt", "citea", "citeauthornp"})


def shows_key(syntax: str, command: str, key: str, braced: bool = False) -> bool:
    """Does the prose keep this citation's key? For a narrative citation of a plain key:
    pandoc's in-text ``@key`` (not ``@{key}``, not an identifier or label with ":" or
    "/"), or a narrative LaTeX command (:data:`NARRATIVE_COMMANDS`)."""
    if syntax == "pandoc-intext":
        return not braced and ":" not in key and "/" not in key
    return syntax == "latex" and command.rstrip("*").lower() in NARRATIVE_COMMANDS


def visible_key_start(cite: Citation, text: str) -> int | None:
    """Where a citation's key starts in the prose when the prose keeps it, else None: the
    offset a sentence starts at when the citation opens it ("... before. @ni2022 showed",
    "... before. \\citet{ni2022} showed"), whatever the case of the key's first letter."""
    at = cite.span.start
    if cite.syntax == "pandoc-intext":
        braced = text[at + 1:at + 2] == "{"
        return at + 1 if shows_key(cite.syntax, cite.command, cite.key, braced) else None
    return at if shows_key(cite.syntax, cite.command, cite.key) else None
