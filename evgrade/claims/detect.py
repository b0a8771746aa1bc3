"""Claims: which sentences assert something checkable, of what kind, on what cues.

The rules follow docs/claims.md. A prose sentence is a claim unless it is one
of the things the guidelines exclude (:mod:`.exclusions`) and cites nothing;
its cues come from :mod:`.cues`, its kind from :mod:`.kinds`. This module puts
them together: claim ids, one Claim per sentence, citations attached to the
sentence they belong to.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .. import _patterns
from ..models import Attribution, Citation, Claim, Document, Sentence
from ..read.sections import policy
from . import attribution
from .cues import find_cues
from .exclusions import exclusion_reason, is_fragment
from .kinds import classify_kind
from .sentences import segment

_CLAIM_BLOCKS = {"prose", "list-item"}
# a unit stops mid-phrase when it ends with a lead-in mark or a word that needs a continuation
_CLOSED = frozenset(".!?\u2026\"'\u201d\u2019)]*")
_OPEN_MARKS = frozenset(":,;-\u2013\u2014(")
_OPEN_WORDS = frozenset("a an the this that these those of to and or with for in on at by from as your our "
                        "their its is are be".split())
_QUOTES = _patterns.compile(r"[\u2018\u2019\u201c\u201d\"'`]")
_NOT_WORD = _patterns.compile(r"[^\w%]+")
_SHORT = 40   # a sentence this short may be a fragment: test that first (a page of "1. 1. 1.")


def normalise_text(text: str) -> str:
    """Text for ids and matching: NFKC, casefolded, punctuation dropped, spaces folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _QUOTES.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=64)
def _id_stem(article: str) -> str:
    """The article's part of a claim id (worked out once per article, not once per claim)."""
    return re.sub(r"[^a-z0-9]+", "-", Path(article).stem.lower()).strip("-")[:32] or "doc"


def claim_id(article: str, text: str, seen: dict[str, int] | None = None) -> str:
    """Stable id: article stem + hash of the normalised sentence (+ a counter for repeats)."""
    stem = _id_stem(article)
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
    lone = sum(s.block_kind != "chrome" for s in doc.sentences) == 1
    before, before_prose = "", False   # the sentence before, for a unit that continues it
    for sentence in doc.sentences:
        cites = citations.get(sentence.index, ())
        if _claimable(sentence, lone) and _part_allows(doc, sentence, cites, overrides):
            claim = sentence_to_claim(doc.path, sentence, cites, seen, after=before, after_prose=before_prose)
            if claim is not None:
                claims.append(claim)
        before, before_prose = sentence.text, sentence.block_kind in _CLAIM_BLOCKS
    return tuple(claims)


def _part_allows(doc: Document, sentence: Sentence, cites: tuple[Citation, ...], overrides: dict[str, str]) -> bool:
    """The manuscript part's policy: no claims in a ``skip`` part, only cited ones in an ``own`` part."""
    rule = policy(doc.blocks[sentence.block].section, overrides)
    return not (rule == "skip" or (rule == "own" and not cites))


def _left_open(before: str, prose: bool) -> bool:
    """Does the unit before stop mid-phrase ("...if you:", "...before you start using this"), or
    is it running text without closing punctuation (a line the layout cut)?"""
    before = before.rstrip()
    if not before:
        return False
    if prose and before[-1] not in _CLOSED:
        return True
    if before[-1] in _OPEN_MARKS:
        return True
    last = before.rsplit(None, 1)[-1]
    return last.lower() in _OPEN_WORDS


def _claimable(sentence: Sentence, lone: bool) -> bool:
    """Prose and list items; a heading-like line only when it heads nothing (docs/claims.md,
    section 9): the text's one line (a post, a headline on its own) or a line that starts
    in lower case, as no title does."""
    if sentence.block_kind in _CLAIM_BLOCKS:
        return True
    return sentence.block_kind == "heading" and (lone or sentence.text[:1].islower())


def sentence_to_claim(article: str, sentence: Sentence, cites: tuple[Citation, ...] = (),
                      seen: dict[str, int] | None = None, *, after: str = "", after_prose: bool = False) -> Claim | None:
    """The claim a sentence makes, or None; ``after`` is the text of the sentence before it
    (``after_prose``: a prose sentence or list item, not a heading)."""
    text = sentence.text
    if not cites and len(text) < _SHORT and is_fragment(text):
        return None   # excluded whatever its cues: do not look for them (see exclusion_reason)
    found = attribution.find(text)
    cues = find_cues(text, found)
    # a unit in lower case continues what comes before it when that is a list item, or a lead-in
    # or a line that stopped without closing punctuation ("...if you:", a line cut by the layout)
    continues = text[:1].islower() and (sentence.block_kind == "list-item" or _left_open(after, after_prose))
    if exclusion_reason(text, cues, continues=continues) and not cites:
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
