"""Claims: which sentences assert something checkable, of what kind, on what cues.

The rules follow docs/claims.md. A prose sentence is a claim unless it is one
of the things the guidelines exclude (:mod:`.exclusions`) and cites nothing;
its cues come from :mod:`.cues`, its kind from :mod:`.kinds`. This module puts
them together: claim ids, one Claim per sentence, citations attached to the
sentence they belong to.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..models import Attribution, Citation, Claim, Document, Sentence
from ..read.sections import policy
from . import attribution
from .cues import find_cues
from .exclusions import exclusion_reason, is_fragment
from .kinds import classify_kind
from .sentences import segment

_CLAIM_BLOCKS = {"prose", "list-item"}
_SHORT = 40   # a sentence this short may be a fragment: test that first (a page of "1. 1. 1.")


def normalise_text(text: str) -> str:
    """Text for ids and matching: NFKC, casefolded, punctuation dropped, spaces folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2018\u2019\u201c\u201d\"'`]", "", text)
    text = re.sub(r"[^\w%]+", " ", text)
    return " ".join(text.split())


def claim_id(article: str, text: str, seen: dict[str, int] | None = None) -> str:
    """Stable id: article stem + hash of the normalised sentence (+ a counter for repeats)."""
    stem = re.sub(r"[^a-z0-9]+", "-", Path(article).stem.lower()).strip("-")[:32] or "doc"
    digest = hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:8]
    cid = f"{stem}:{digest}"
    if seen is not None:
        n = seen.get(cid, 0) + 1
        seen[cid] = n
        if n > 1:
            cid = f"{cid}-{n}"
    return cid

def extract_claims(doc: Document, sections: Iterable[tuple[str, str]] = ()) -> tuple[Claim, ...]:
    """Every claim in a document, in reading order.

    A document straight from the read stage has no sentences yet: it is split
    first (:func:`.sentences.segment`), so ``Claim.sentence`` indexes
    ``segment(doc).sentences``. ``sections`` (part, policy) override the default
    policy of the manuscript's parts (:mod:`evgrade.read.sections`): no claims in a
    ``skip`` part, only cited ones in an ``own`` part.
    """
    if not doc.sentences:
        doc = segment(doc)
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    citations = _citations_by_sentence(doc)
    overrides = dict(sections)
    for sentence in doc.sentences:
        if sentence.block_kind not in _CLAIM_BLOCKS:
            continue
        cites = citations.get(sentence.index, ())
        rule = policy(doc.blocks[sentence.block].section, overrides)
        if rule == "skip" or (rule == "own" and not cites):
            continue
        claim = sentence_to_claim(doc.path, sentence, cites, seen)
        if claim is not None:
            claims.append(claim)
    return tuple(claims)


def sentence_to_claim(article: str, sentence: Sentence, cites: tuple[Citation, ...] = (),
                      seen: dict[str, int] | None = None) -> Claim | None:
    text = sentence.text
    if not cites and len(text) < _SHORT and is_fragment(text):
        return None   # excluded whatever its cues: do not look for them (see exclusion_reason)
    found = attribution.find(text)
    cues = find_cues(text, found)
    if exclusion_reason(text, cues) and not cites:
        return None
    attributions = tuple(Attribution(kind=a.kind, name=a.name, text=a.text)
                         for a in found if a.kind is not None)
    return Claim(
        id=claim_id(article, text, seen),
        article=article,
        sentence=sentence.index,
        span=sentence.span,
        text=text,
        kind=classify_kind(text, cues),
        cues=cues,
        attributions=attributions,
        hedged=any(c.kind == "hedge" for c in cues),
        citations=cites,
    )


def _citations_by_sentence(doc: Document) -> dict[int, tuple[Citation, ...]]:
    """Attach each citation to the sentence containing it, or the one just before it.

    "... improved [@a]." sits inside its sentence; "... improved. [@a]" belongs
    to the sentence it follows, within the same block.
    """
    out: dict[int, list[Citation]] = {}
    sentences = [s for s in doc.sentences if s.block_kind in _CLAIM_BLOCKS]
    starts = [s.span.start for s in sentences]
    in_order = all(a <= b for a, b in zip(starts, starts[1:]))
    for cite in doc.citations:
        if cite.nocite:
            continue
        # the key's last character: "@Smith2020 argues" starts the sentence at "Smith2020"
        at = max(cite.span.start, cite.span.end - 1)
        best = _sentence_before(sentences, starts, at) if in_order \
            else _first_sentence_scan(sentences, at)
        if best is not None and (best.span.start <= at):
            block = doc.blocks[best.block].span
            if block.start <= at < block.end or at < best.span.end:
                out.setdefault(best.index, []).append(cite)
    return {k: tuple(v) for k, v in out.items()}


def _sentence_before(sentences: list[Sentence], starts: list[int], offset: int) -> Sentence | None:
    """The last sentence starting at or before ``offset`` (sentences in reading order)."""
    i = bisect.bisect_right(starts, offset) - 1
    return sentences[i] if i >= 0 else None


def _first_sentence_scan(sentences: list[Sentence], offset: int) -> Sentence | None:
    """The same, for sentences out of order (a plugin reader): the one containing ``offset``,
    else the last one before the first that starts after it."""
    best = None
    for s in sentences:
        if s.span.start <= offset < s.span.end:
            return s
        if s.span.start > offset:
            break
        best = s
    return best
