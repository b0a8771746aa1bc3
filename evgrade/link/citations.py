"""Citation links: the keys a claim cites, one link per key.

A cited key unknown to the bibliography still gets its link (grading reports
EV101). Three kinds of key are more than a bibliography key (docs/formats.md,
"Citations"):

* Manubot identifier keys (``doi:10.1/x``, ``pmid:123``, ``pmcid:``, ``arxiv:``,
  ``isbn:``, ``url:``, ``wikidata:``, :func:`evgrade._citekeys.identifier_of`)
  cite that identifier. They stand for the bibliography entry carrying it when
  there is one; otherwise :func:`with_cited_identifiers` adds an entry built from
  the identifier alone (no title, design unknown, traceable when the identifier's
  syntax is valid, looked up with ``--resolve``), as Manubot needs no entry either.
* ``tag:NAME`` keys stand for what ``citation-tags.tsv`` says (:mod:`.citation_tags`).
* pandoc-crossref references (``fig:``, ``tbl:``, ``eq:``, ``sec:``, ``lst:``) are
  no citations at all and are skipped (:func:`evgrade._citekeys.is_crossref_label`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from .. import _patterns
from .. import _findings as catalogue
from .._citekeys import identifier_of, is_crossref_label
from ..models import Citation, Claim, Document, Finding, Link, Location, Reference
from .citation_tags import NO_TAGS, CitationTags

_DOI_PREFIX = _patterns.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_INDEXED = ("doi", "pmid", "pmcid", "arxiv", "isbn", "url")  # Reference fields a key can name


def _identifier_key(prefix: str, value: str) -> str:
    value = value.strip()
    if prefix == "doi":
        return _DOI_PREFIX.sub("", value).casefold()
    if prefix == "pmcid":
        return value.upper().removeprefix("PMC")
    if prefix == "isbn":
        return re.sub(r"[^0-9Xx]", "", value).upper()
    if prefix == "arxiv":
        return value.casefold().removeprefix("arxiv:")
    if prefix == "wikidata":
        return value.upper()
    return value.lstrip("0") if prefix == "pmid" else value


def _identifier_index(bibliography: Mapping[str, Reference]) -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for key, ref in bibliography.items():
        for prefix in _INDEXED:
            value = getattr(ref, prefix)
            if value:
                index.setdefault((prefix, _identifier_key(prefix, value)), key)
    return index


def resolve_key(key: str, bibliography: Mapping[str, Reference],
                index: Mapping[tuple[str, str], str] | None = None) -> str:
    """The bibliography key a cited key stands for (itself unless an identifier matches)."""
    if key in bibliography:
        return key
    found = identifier_of(key)
    if found is None:
        return key
    kind, value = found
    idx = index if index is not None else _identifier_index(bibliography)
    return idx.get((kind, _identifier_key(kind, value)), key)


def identifier_reference(key: str, location: Location | None = None) -> Reference | None:
    """The entry a Manubot identifier key stands for when no bibliography entry carries
    the identifier: the identifier and nothing else (None for any other key). Its
    ``location`` is where a document first cites it: findings about it point there."""
    found = identifier_of(key)
    if found is None:
        return None
    kind, value = found
    own = {kind: value} if kind in _INDEXED else {}
    return Reference(key=key, entry_type="misc", fields={kind: value}, location=location, **own)


def cited_in(documents: Sequence[Document], tags: CitationTags = NO_TAGS,
             ) -> Iterator[tuple[Document, Citation, str]]:
    """Every citation of the documents with the key it names after its tag is applied;
    pandoc-crossref references and pandoc's ``@*`` (cite everything) left out."""
    for doc in documents:
        for cite in doc.citations:
            if cite.key != "*" and not is_crossref_label(cite.key):
                yield doc, cite, tags.target(doc.path, cite.key)


def cited_keys(documents: Sequence[Document], bibliography: Mapping[str, Reference],
               tags: CitationTags = NO_TAGS) -> set[str]:
    """The keys the documents' citations stand for (:func:`cited_in`, :func:`resolve_key`)."""
    index = _identifier_index(bibliography)
    return {resolve_key(key, bibliography, index) for _, _, key in cited_in(documents, tags)}


def with_cited_identifiers(bibliography: Mapping[str, Reference],
                           cited: Iterable[tuple[str, Location | None]]) -> dict[str, Reference]:
    """``bibliography`` plus an entry for each identifier key of ``cited`` (key, where it is
    first cited) that no entry carries (:func:`identifier_reference`); two keys for one
    identifier share one entry."""
    entries = dict(bibliography)
    index = _identifier_index(entries)
    for key, location in cited:
        if key in entries or resolve_key(key, entries, index) != key:
            continue
        ref = identifier_reference(key, location)
        if ref is not None:
            entries[key] = ref
            index.update(_identifier_index({key: ref}))
    return entries


def citation_links(claims: Sequence[Claim], bibliography: Mapping[str, Reference],
                   tags: CitationTags = NO_TAGS) -> list[Link]:
    index = _identifier_index(bibliography)
    links: list[Link] = []
    for claim in claims:
        done: set[str] = set()
        for cite in claim.citations:
            if is_crossref_label(cite.key):
                continue
            key = resolve_key(tags.target(claim.article, cite.key), bibliography, index)
            if key in done:
                continue
            done.add(key)
            reason = f"cited as {cite.key}" if key != cite.key else ""
            links.append(Link(claim_id=claim.id, key=key, via="citation", reason=reason))
    return links


def unknown_outside_claims(documents: Sequence[Document], claims: Sequence[Claim],
                           bibliography: Mapping[str, Reference],
                           tags: CitationTags = NO_TAGS) -> list[Finding]:
    """EV101 for citations no claim carries (a heading's, a ``\\nocite``'s) whose key the
    bibliography lacks: grading reports those inside claims."""
    carried = {(c.article, cite.span.start) for c in claims for cite in c.citations}
    index = _identifier_index(bibliography)
    out = []
    for doc, cite, key in cited_in(documents, tags):
        if (doc.path, cite.span.start) in carried:
            continue
        if resolve_key(key, bibliography, index) not in bibliography:
            out.append(catalogue.make("unknown-citation-key", f"citation of unknown key '{key}'",
                                      path=doc.path, span=cite.span, key=key))
    return out
