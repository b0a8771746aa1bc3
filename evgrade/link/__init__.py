"""The link stage: which bibliography entries each claim rests on.

Takes the claims, the bibliography's entries and an optional claim map
(:mod:`.claimmap`); gives one :class:`~evgrade.models.Link` per claim and key,
with how it was made: an explicit citation (:mod:`.citations`), the claim map
(:mod:`.mapmatch`), or a suggestion from the claim's own wording
(:mod:`.suggest`; :mod:`.venues` matches journal names). :mod:`.skeleton`
writes claim-map entries for ``evgrade map``. It never grades: whether a linked
entry is good evidence is the grade stage's question, and a suggestion is never
counted as a citation.
"""

from __future__ import annotations

from .claimmap import ClaimMap, load_claim_map
from .linker import link_claims
from .skeleton import skeleton_text, write_skeleton

__all__ = ["ClaimMap", "link_claims", "load_claim_map", "skeleton_text", "write_skeleton"]
