"""Citation links: the keys a claim cites, one link per key.

A cited key unknown to the bibliography still gets its link (grading reports
EV101). Manubot keys such as ``doi:10.1/x`` or ``pmid:123`` stand for the entry
carrying that identifier when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..models import Claim, Link, Reference

_MANUBOT = re.compile(r"^(doi|pmid|pmcid|arxiv|isbn):(.+)$", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)


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
    return value.lstrip("0") if prefix == "pmid" else value


def _identifier_index(bibliography: Mapping[str, Reference]) -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for key, ref in bibliography.items():
        for prefix in ("doi", "pmid", "pmcid", "arxiv", "isbn"):
            value = getattr(ref, prefix)
            if value:
                index.setdefault((prefix, _identifier_key(prefix, value)), key)
    return index


def is_identifier_key(key: str) -> bool:
    """True for a Manubot key such as ``doi:10.1/x``, which may stand for any entry."""
    return _MANUBOT.match(key) is not None


def resolve_key(key: str, bibliography: Mapping[str, Reference],
                index: Mapping[tuple[str, str], str] | None = None) -> str:
    """The bibliography key a cited key stands for (itself unless an identifier matches)."""
    if key in bibliography:
        return key
    m = _MANUBOT.match(key)
    if not m:
        return key
    prefix = m.group(1).lower()
    idx = index if index is not None else _identifier_index(bibliography)
    return idx.get((prefix, _identifier_key(prefix, m.group(2))), key)


def citation_links(claims: Sequence[Claim], bibliography: Mapping[str, Reference]) -> list[Link]:
    index = _identifier_index(bibliography)
    links: list[Link] = []
    for claim in claims:
        done: set[str] = set()
        for cite in claim.citations:
            key = resolve_key(cite.key, bibliography, index)
            if key in done:
                continue
            done.add(key)
            reason = f"cited as {cite.key}" if key != cite.key else ""
            links.append(Link(claim_id=claim.id, key=key, via="citation", reason=reason))
    return links
