"""The claims stage: sentences in, claims out.

Takes a :class:`~evgrade.models.Document` from the read stage (its prose mask
and blocks), splits the prose into sentences (:mod:`.sentences`), decides which
sentences are claims (:mod:`.detect`, leaving out what :mod:`.exclusions`
names), of what kind (:mod:`.kinds`) and on what cues (:mod:`.cues`), and who
the claim says it comes from (:mod:`.attribution`). Gives a tuple of
:class:`~evgrade.models.Claim` per document. It never looks at a bibliography,
never reads files and never decides a grade: it only describes the text.
The rules are those written in docs/claims.md.
"""

from __future__ import annotations

from .detect import extract_claims
from .sentences import segment, split_sentences

__all__ = ["extract_claims", "segment", "split_sentences"]
