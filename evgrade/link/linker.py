"""Link stage: which bibliography entries each claim rests on.

Three sources, each a models.Link with its ``via``:

* ``citation`` - the claim's explicit citations, one link per cited key even
  when the key is unknown (grading reports EV101). Manubot keys such as
  ``doi:10.1/x`` or ``pmid:123`` are resolved to the entry carrying that
  identifier when there is one, ``tag:`` keys through ``citation-tags.tsv``;
  pandoc-crossref references (``fig:x``) are skipped (:mod:`.citations`). A claim
  without citations that names the author of a work the claim right before it
  cites ("... [@ni2022]. Ni et al. demonstrated ...") is linked to that work too
  (:mod:`.continuation`).
* ``map`` - entries named for the claim by a claim map (:mod:`.claimmap`,
  matched by :mod:`.mapmatch`).
* ``suggested`` - entries the claim's own wording points at: published in the
  journal the claim names, or written by the researcher it names, AND sharing
  enough content words with it. Offered to the reader, never counted
  (:mod:`.suggest`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..models import Claim, Finding, Link, Reference
from .citation_tags import NO_TAGS, CitationTags
from .citations import citation_links
from .continuation import continuation_links
from .claimmap import ClaimMap
from .mapmatch import map_links
from .suggest import suggestion_links


def link_claims(claims: Sequence[Claim], bibliography: Mapping[str, Reference], *,
                claim_map: ClaimMap | None = None, map_path: str = "", suggest: bool = True,
                articles: Iterable[str] | None = None, tags: CitationTags = NO_TAGS,
                ) -> tuple[tuple[Link, ...], tuple[Finding, ...]]:
    """All links of all claims, grouped by claim in input order, and the map's findings.

    No (claim, key, via, part) appears twice; a citation or map link to a key
    suppresses a suggestion of the same key for that claim. ``articles`` are
    the documents read (see mapmatch.map_links); default: those of ``claims``.
    ``tags`` are the Manubot citation tags each article may use.
    """
    found: list[Link] = citation_links(claims, bibliography, tags)
    found += continuation_links(claims, bibliography, tags)
    problems: list[Finding] = []
    if claim_map is not None:
        mapped, problems = map_links(claims, claim_map, map_path=map_path, articles=articles)
        found += mapped
    counted = {(link.claim_id, link.key) for link in found}
    if suggest:
        found += suggestion_links(claims, bibliography, exclude=counted)

    order = {"citation": 0, "map": 1, "suggested": 2}
    position = {c.id: i for i, c in enumerate(claims)}
    seen: set[tuple[str, str, str, str]] = set()
    unique: list[Link] = []
    for link in found:
        ident = (link.claim_id, link.key, link.via, link.part)
        if ident not in seen:
            seen.add(ident)
            unique.append(link)
    # stable: within a claim and via, the order each source produced is kept
    unique.sort(key=lambda k: (position.get(k.claim_id, len(position)), order[k.via]))
    return tuple(unique), tuple(problems)
