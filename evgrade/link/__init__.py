"""The link stage: which bibliography entries each claim rests on.

Takes the claims, the bibliography's entries and an optional claim map
(:mod:`.claimmap`); gives one :class:`~evgrade.models.Link` per claim and key,
with how it was made: an explicit citation, the claim map, or a suggestion
from the claim's own wording (:mod:`.venues` matches journal names). It never
grades: whether a linked entry is good evidence is the grade stage's question,
and a suggestion is never counted as a citation.
"""

from __future__ import annotations

from .claimmap import ClaimMap, load_claim_map
from .linker import link_claims

__all__ = ["ClaimMap", "link_claims", "load_claim_map"]
