"""Patterns for page furniture in text copied from web pages.

Everything here is a general shape (contact lines, call-to-action links,
"related posts" sections, bylines, copyright lines), never the literal text of
one article. Each rule returns the reason recorded on the Block.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import _patterns

_I = re.IGNORECASE

URL = _patterns.compile(r"^(?:<)?(?:https?://|www\.)\S+?(?:>)?$", _I)
# No two white-space runs may meet in these patterns ("\s*(?:us)?\s*" reads a run of n spaces
# in n^2 ways): each optional word brings its own trailing space instead.
EMAIL = _patterns.compile(r"^(?:e-?mail\s*(?:us\s*)?(?:[:\-]\s*)?)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$", _I)
PHONE = _patterns.compile(r"^(?:(?:tel|phone|call(?:\s+us)?|fax|mobile|cell)\b\.?\s*(?:[:\-]\s*)?)?"
                   r"\+?[\d(][\d\s().\-\u2013/]{5,}\d$", _I)
# a US state code and ZIP, or "<number> <name> Street/Suite/..."
ADDRESS = _patterns.compile(
    r"\b[A-Z]{2},?\s+\d{5}(?:-\d{4})?\b"
    r"|^\d+[A-Za-z]?\s+(?:[A-Z][\w.'-]*\s+){1,5}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Way|Boulevard|Blvd|Drive|Dr|Lane|Ln|Suite|Ste|Court|Ct"
    r"|Place|Pl|Highway|Hwy|Parkway|Pkwy|Square|Sq|Terrace|Plaza)\b\.?")
COPYRIGHT = _patterns.compile(r"\u00a9|\(c\)\s*\d{4}|\bcopyright\s+\d{4}|\ball rights reserved\b", _I)
DATE = _patterns.compile(
    r"^(?:(?:posted|published|updated|last updated)\s*(?:on\s*)?(?::\s*)?)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})$", _I)
BYLINE = _patterns.compile(r"^(?:by|posted by|written by|author|reviewed by|medically reviewed by)\b\s*(?::\s*)?\S", _I)
# one lower-case token alone on a line: a user name such as "admin" under a post link
USERNAME = _patterns.compile(r"^[a-z][a-z0-9_.-]{1,24}$")
SEPARATED = _patterns.compile(r"\s[|\u00bb\u203a\u2022]\s")  # "Title | Site", "Home » News"
NAVIGATION = _patterns.compile(
    r"^(?:home|menu|search|skip to (?:main )?content|main menu|navigation|share(?: this)?(?: post| article)?"
    r"|tweet|pin it|print|reply|comments?|leave a (?:reply|comment)|previous(?: post| article)?"
    r"|next(?: post| article)?|back to top|privacy policy|terms(?: of (?:use|service))?(?: and conditions)?"
    r"|cookie (?:policy|settings)|sitemap|advertisement|sponsored(?: content)?|subscribe(?: now)?"
    r"|sign (?:up|in)|log ?in|register)$", _I)

# Imperatives of contact/call-to-action buttons ("Email Us", "Call Now", "Book Today").
_CTA_VERBS = ("email|e-mail|call|phone|contact|text|message|write|chat|book|schedule|request|"
              "subscribe|follow|donate|shop|buy|order|apply|join|register|visit|get")
CTA = _patterns.compile(rf"^(?:{_CTA_VERBS})\b(?:\s+\w+){{0,3}}?\s+(?:us|now|today|here|online)\b[\s!.]*$"
                 rf"|^(?:{_CTA_VERBS})(?:\s+us)?[\s!.]*$", _I)
# A one-sentence invitation to get in touch, typically closing a clinic's post.
CTA_SENTENCE = _patterns.compile(
    rf"\b(?:{_CTA_VERBS})\b[^.!?]{{0,80}}\b(?:today|now|us)\b"
    r"|\b(?:schedule|book|request|arrange)\s+(?:a|an|your)\s+(?:free\s+)?(?:consultation|appointment|session|visit)",
    _I)
# Anchor text of link lists: "Read this informative guide", "Explore this external resource".
_ANCHOR_VERBS = ("read|observe|grasp|check|explore|discover|visit|learn|see|view|find|click|look|"
                 "investigate|delve|dive|uncover|examine|browse|access|review|study|consult|gain|"
                 "expand|broaden|deepen|enhance|dig|continue|go|head|understand|inspect|evaluate|"
                 "analyze|analyse|peruse|research|open|watch|download|tap|get|follow|reach|find")
_ANCHOR_NEXT = ("this|these|the|our|more|further|here|out|related|additional|full|similar|some|"
                "details|now|into|deeper|in|at|through|up|about|to|it")
ANCHOR = _patterns.compile(rf"^(?:{_ANCHOR_VERBS})(?:\s+(?:{_ANCHOR_NEXT})\b.*)?$", _I)

# Headings that open a block of page furniture; everything after them is
# furniture until the article's prose resumes.
SECTION = _patterns.compile(
    r"\brelated (?:posts?|articles?|links?|stories|content|reading|topics|resources|searches)\b"
    r"|\b(?:recent|popular|latest|more|similar|trending|top) (?:posts|articles|stories|news|reads)\b"
    r"|\byou (?:may|might|could) also (?:like|enjoy|be interested)"
    r"|^(?:read (?:more|next|also)|see also|also read|further reading|more from\b.*)\b"
    r"|\bpublisher(?:'s)? (?:details|information|info)\b|\babout the (?:author|publisher|company)\b"
    r"|\b(?:share|follow) (?:this|us|on)\b|\bpost navigation\b|\bleave a (?:reply|comment)\b"
    r"|^(?:tags|categories|filed under|contact (?:us|details|information))\s*:?$"
    r"|\blearn more about the (?:topic|subject)\b",
    _I)

REFERENCES = _patterns.compile(
    r"^(?:references?|bibliography|sources|works cited|literature cited|citations|cited works"
    r"|references and (?:notes|further reading))\s*:?$", _I)

GENERIC_SECTION = _patterns.compile(
    r"^(?:introduction|summary|abstract|overview|background|contents|table of contents)\s*:?$", _I)


# One rule per furniture shape, tried in order: (reason, test on the stripped line and its words).
_LINE_RULES: tuple[tuple[str, Callable[[str, list[str]], bool]], ...] = (
    ("bare URL", lambda t, w: bool(URL.match(t))),
    ("e-mail address", lambda t, w: bool(EMAIL.match(t))),
    ("phone number", lambda t, w: bool(PHONE.match(t)) and sum(c.isdigit() for c in t) >= 7),
    ("copyright line", lambda t, w: bool(COPYRIGHT.search(t)) and len(w) <= 20),
    ("street address", lambda t, w: len(w) <= 15 and bool(ADDRESS.search(t)) and not _sentence_like(t)),
    ("date line", lambda t, w: bool(DATE.match(t))),
    ("site navigation", lambda t, w: bool(NAVIGATION.match(t))),
    ("call-to-action link", lambda t, w: len(w) <= 5 and bool(CTA.match(t))),
    ("link text of a link list", lambda t, w: len(w) <= 8 and not _final_punct(t)
     and bool(ANCHOR.match(t)) and not _title_case(w)),
    ("lone lower-case word (user name or byline)", lambda t, w: len(w) == 1 and bool(USERNAME.match(t))),
    ("byline", lambda t, w: len(w) <= 8 and bool(BYLINE.match(t)) and not _final_punct(t)),
    ("page title or menu joined by separators",
     lambda t, w: len(w) <= 20 and bool(SEPARATED.search(t)) and not _sentence_like(t)),
)


def line_reason(text: str) -> str | None:
    """Why a one-line block is page furniture, or None."""
    t = text.strip()
    words = t.split()
    if not words:
        return None
    return next((reason for reason, test in _LINE_RULES if test(t, words)), None)


def _final_punct(t: str) -> bool:
    return t.rstrip("\"'\u201d\u2019)]")[-1:] in (".", "!", "?", "\u2026", ";", ",")


def _sentence_like(t: str) -> bool:
    return t.rstrip("\"'\u201d\u2019)]")[-1:] in (".", "!", "?", "\u2026") and len(t.split()) >= 4


SMALL_WORDS = frozenset(
    "a an the and or nor but of in on at to for from by with as vs via per into onto upon over "
    "is are be than that so up out off down".split())


def _title_case(words: list[str]) -> bool:
    """Most non-small words start with a capital, and the first word does."""
    tokens = [w.strip("\"'\u201c\u201d\u2018\u2019()[],:;!?.") for w in words]
    tokens = [w for w in tokens if w and w[0].isalpha()]
    if not tokens or not tokens[0][0].isupper():
        return False
    major = [w for w in tokens[1:] if w.lower() not in SMALL_WORDS]
    if not major:
        return True
    return sum(w[0].isupper() for w in major) / len(major) >= 0.75


def title_case(text: str) -> bool:
    return _title_case(text.split())


def final_punct(text: str) -> bool:
    return _final_punct(text.strip())


def sentence_like(text: str) -> bool:
    return _sentence_like(text.strip())
