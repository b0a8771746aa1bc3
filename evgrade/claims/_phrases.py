"""Word-list patterns shared by the claim rules (cues, kinds, exclusions)."""

from __future__ import annotations

import re


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
    return re.compile(r"\b(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


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
