"""Word-list patterns shared by the claim rules (cues, kinds, exclusions)."""

from __future__ import annotations

import re

from .. import _patterns


def phrases(words: str) -> re.Pattern[str]:
    """A case-insensitive alternation of phrases, whole words only.

    Top-level '|' separates phrases (groups inside a phrase are regex syntax);
    a space matches any white space and a trailing '*' any word ending.
    """
    alts, depth, cur = [], 0, ""
    for ch in words:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            alts.append(cur)
            cur = ""
        else:
            cur += ch
    alts.append(cur)
    parts = [" ".join(a.split()).replace("*", r"\w*").replace(" ", r"\s+") for a in alts if a.strip()]
    return _patterns.compile(r"\b(?:" + _by_first_letter(parts) + r")(?!\w)", re.IGNORECASE)


def _by_first_letter(parts: list[str]) -> str:
    """The alternation with phrases grouped by their first letter: "a(?:dverse|ddict\\w*)|s(?:afe|...)".

    The regex engine tries every branch of an alternation at every word; grouped, it
    tries one letter per group, and only the phrases of the matching group. Phrases
    that do not start with a plain letter stay branches of their own, in their place.
    """
    groups: dict[str, list[str]] = {}
    order: list[str | list[str]] = []
    for p in parts:
        first = p[0].lower()
        if first.isascii() and first.isalpha() and (len(p) == 1 or p[1] not in "*+?{"):
            if first not in groups:
                groups[first] = []
                order.append(groups[first])
            groups[first].append(p[1:])
        else:
            order.append(p)
    out = []
    for item in order:
        if isinstance(item, str):
            out.append(item)
        else:
            letter = next(k for k, v in groups.items() if v is item)
            out.append(letter + "(?:" + "|".join(item) + ")")
    return "|".join(out)


def search_ending_at(pattern: re.Pattern[str], text: str, end: int, words: int = 1) -> re.Match[str] | None:
    """``pattern.search(text, 0, end)`` for a pattern anchored at its end (``$``) whose
    matches span at most ``words`` runs of non-space characters.

    Searching from offset 0 for every cue of a sentence is quadratic in the
    sentence; the match can only lie in the last ``words`` runs before ``end``
    (and the white space between them), so only they are searched.
    """
    start = end
    for _ in range(words):
        while start > 0 and text[start - 1].isspace():
            start -= 1
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    return pattern.search(text, start, end)
